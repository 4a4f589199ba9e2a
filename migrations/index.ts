/**
 * Every migration, in order. TypeORM runs them from this list (not a glob) so the same code
 * works compiled (ESM) and under jest (CommonJS). A test checks that no file is missing here.
 * Append new migrations at the end.
 */
import { CreateSchemas1763850000000 } from './1763850000000-CreateSchemas.js';
import { CreateIdentity1763860000000 } from './1763860000000-CreateIdentity.js';
import { SeedBuiltInRoles1763860000001 } from './1763860000001-SeedBuiltInRoles.js';
import { CreateAuditEntries1763860000002 } from './1763860000002-CreateAuditEntries.js';
import { CreateEventsAndScheduling1763870000000 } from './1763870000000-CreateEventsAndScheduling.js';
import { CreateSales1763880000000 } from './1763880000000-CreateSales.js';
import { SalesCustomFieldIndexes1763880000001 } from './1763880000001-SalesCustomFieldIndexes.js';
import { CreateWorkflow1763890000000 } from './1763890000000-CreateWorkflow.js';
import { FinanceCostCentres1763900000000 } from './1763900000000-FinanceCostCentres.js';
import { SeedFinanceApprovalDefinitions1763909000000 } from './1763909000000-SeedFinanceApprovalDefinitions.js';
import { ConsumerInterest1763910000000 } from './1763910000000-ConsumerInterest.js';
import { IdentityChangeNotify1764042000000 } from './1764042000000-IdentityChangeNotify.js';
import { SalesSettingsApi1764051000000 } from './1764051000000-SalesSettingsApi.js';
import { SalesCustomerTouch1764051000001 } from './1764051000001-SalesCustomerTouch.js';
import { SeedDefaultSalesMethod1764051000002 } from './1764051000002-SeedDefaultSalesMethod.js';
import { SalesRepRecordWorkOnly1764070000000 } from './1764070000000-SalesRepRecordWorkOnly.js';
import { ClaimEventDeliveriesFunction1764080000000 } from './1764080000000-ClaimEventDeliveriesFunction.js';
import { DropIdentityChangeNotify1764080000001 } from './1764080000001-DropIdentityChangeNotify.js';
import { TimersKindDueIndex1764060000000 } from './1764060000000-TimersKindDueIndex.js';
import { ApprovalSubmittedBy1764060000001 } from './1764060000001-ApprovalSubmittedBy.js';
import { FinanceSegregationOfDuties1764100000200 } from './1764100000200-FinanceSegregationOfDuties.js';
import { SalesSetupAdminOnly1764100000300 } from './1764100000300-SalesSetupAdminOnly.js';
import { SalesDuplicateCheckSetting1764100000301 } from './1764100000301-SalesDuplicateCheckSetting.js';
import { RevokeKeysOfDeactivatedUsers1764100000021 } from './1764100000021-RevokeKeysOfDeactivatedUsers.js';

export const MIGRATIONS = [
  CreateSchemas1763850000000,
  CreateIdentity1763860000000,
  SeedBuiltInRoles1763860000001,
  CreateAuditEntries1763860000002,
  CreateEventsAndScheduling1763870000000,
  CreateSales1763880000000,
  SalesCustomFieldIndexes1763880000001,
  CreateWorkflow1763890000000,
  FinanceCostCentres1763900000000,
  SeedFinanceApprovalDefinitions1763909000000,
  ConsumerInterest1763910000000,
  IdentityChangeNotify1764042000000,
  SalesSettingsApi1764051000000,
  SalesCustomerTouch1764051000001,
  SeedDefaultSalesMethod1764051000002,
  TimersKindDueIndex1764060000000,
  ApprovalSubmittedBy1764060000001,
  SalesRepRecordWorkOnly1764070000000,
  ClaimEventDeliveriesFunction1764080000000,
  DropIdentityChangeNotify1764080000001,
  RevokeKeysOfDeactivatedUsers1764100000021,
  FinanceSegregationOfDuties1764100000200,
  SalesSetupAdminOnly1764100000300,
  SalesDuplicateCheckSetting1764100000301,
];
