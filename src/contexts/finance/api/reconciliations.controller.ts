import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../../../platform/http/endpoint.decorator.js';
import { CurrentActor, type Actor } from '../../../platform/identity/domain/actor.js';
import { ReconciliationService } from '../application/reconciliation.service.js';
import { SpendReportService } from '../application/spend-report.service.js';
import { CreateSettlementRequest, ReconciliationQueryDto, SpendReportQueryDto } from './dto/reconciliation.request.js';
import {
  ReconciliationResponse,
  SettlementResponse,
  SpendReportResponse,
  toReconciliationResponse,
  toSettlementResponse,
  toSpendReportResponse,
} from './dto/reconciliation.response.js';

@ApiTags('finance')
@Controller('api/v1/finance/reconciliations')
export class ReconciliationsController {
  constructor(private readonly reconciliations: ReconciliationService) {}

  @Get(':userId')
  @Endpoint({
    operationId: 'finance_getReconciliation',
    summary: 'Personal reconciliation: advances paid, reimbursements approved, balance to return or receive',
    description: 'Balance = advances paid − approved reimbursements ± settlements. Positive: the employee returns it; negative: the company pays it.',
    permission: 'finance.reconciliation:read',
    errors: [404, 422],
  })
  @ApiOkResponse({ type: ReconciliationResponse })
  get(@CurrentActor() actor: Actor, @Param('userId', ParseUUIDPipe) userId: string, @Query() query: ReconciliationQueryDto) {
    return this.reconciliations.get(actor, userId, query).then(toReconciliationResponse);
  }

  @Post(':userId/settlements')
  @Endpoint({ operationId: 'finance_settleReconciliation', summary: 'Record a settlement of the balance (money returned or paid out)', permission: 'finance.reconciliation:settle', errors: [404, 422], idempotent: true })
  @ApiCreatedResponse({ type: SettlementResponse })
  settle(@CurrentActor() actor: Actor, @Param('userId', ParseUUIDPipe) userId: string, @Body() body: CreateSettlementRequest) {
    return this.reconciliations.settle(actor, userId, body).then(({ settlement, reconciliation }) => toSettlementResponse(settlement, reconciliation));
  }
}

@ApiTags('finance')
@Controller('api/v1/finance/reports')
export class FinanceReportsController {
  constructor(private readonly reports: SpendReportService) {}

  @Get('spend')
  @Endpoint({ operationId: 'finance_getSpendReport', summary: 'Spend per cost centre by category and month vs cap', permission: 'finance.report:read' })
  @ApiOkResponse({ type: SpendReportResponse })
  spend(@CurrentActor() actor: Actor, @Query() query: SpendReportQueryDto) {
    return this.reports.spend(actor, query).then(toSpendReportResponse);
  }
}
