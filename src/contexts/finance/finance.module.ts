import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdvancesController } from './api/advances.controller.js';
import { AutoOpenRulesController, CostCentresController } from './api/cost-centres.controller.js';
import { ExpenseClaimsController } from './api/expense-claims.controller.js';
import { IncomesController } from './api/incomes.controller.js';
import { FinanceReportsController, ReconciliationsController } from './api/reconciliations.controller.js';
import { AdvanceService } from './application/advance.service.js';
import { AutoOpenRuleService } from './application/auto-open-rule.service.js';
import { CodeCounter } from './application/code-counter.service.js';
import { CostCentreLedger } from './application/cost-centre-ledger.service.js';
import { CostCentreService } from './application/cost-centre.service.js';
import { ExpenseClaimService } from './application/expense-claim.service.js';
import { FinanceAccess } from './application/finance-access.js';
import { IncomeService } from './application/income.service.js';
import { OnApprovalOutcome } from './application/on-approval-outcome.handler.js';
import { OpenCostCentreOnSubjectCreated } from './application/open-cost-centre.handler.js';
import { ReconciliationService } from './application/reconciliation.service.js';
import { SpendReportService } from './application/spend-report.service.js';
import { Advance } from './domain/advance.entity.js';
import { AutoOpenRule } from './domain/auto-open-rule.entity.js';
import { CostCentre } from './domain/cost-centre.entity.js';
import { ExpenseClaim, ExpenseClaimLine } from './domain/expense-claim.entity.js';
import { Income } from './domain/income.entity.js';
import { LedgerEntry } from './domain/ledger-entry.entity.js';
import { Settlement } from './domain/settlement.entity.js';
import { OpenApiTags } from '../../platform/http/openapi-tags.js';

/**
 * Finance bounded context (Postgres schema `finance`): cost centres with caps and warning
 * lines, a ledger of reservations and postings, expense claims and advances through the
 * Workflow approval protocol, incomes, personal reconciliation and spend reports.
 */
@OpenApiTags({ name: 'finance', description: 'Cost centres, expense claims, advances, reconciliation' })
@Module({
  imports: [TypeOrmModule.forFeature([CostCentre, LedgerEntry, ExpenseClaim, ExpenseClaimLine, Advance, Income, Settlement, AutoOpenRule])],
  controllers: [CostCentresController, AutoOpenRulesController, ExpenseClaimsController, AdvancesController, IncomesController, ReconciliationsController, FinanceReportsController],
  providers: [
    FinanceAccess,
    CodeCounter,
    CostCentreLedger,
    CostCentreService,
    AutoOpenRuleService,
    ExpenseClaimService,
    AdvanceService,
    IncomeService,
    ReconciliationService,
    SpendReportService,
    OpenCostCentreOnSubjectCreated,
    OnApprovalOutcome,
  ],
})
export class FinanceModule {}
