/**
 * Every migration, in order. TypeORM runs them from this list (not a glob) so the same code
 * works compiled (ESM) and under jest (CommonJS). A test checks that no file is missing here.
 * Append new migrations at the end.
 */
import { CreateSchemas1763850000000 } from './1763850000000-CreateSchemas.js';
import { FinanceCostCentres1763900000000 } from './1763900000000-FinanceCostCentres.js';
import { SeedFinanceApprovalDefinitions1763909000000 } from './1763909000000-SeedFinanceApprovalDefinitions.js';

export const MIGRATIONS = [
  CreateSchemas1763850000000,
  FinanceCostCentres1763900000000,
  SeedFinanceApprovalDefinitions1763909000000,
];
