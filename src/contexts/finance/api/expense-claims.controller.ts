import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../../../platform/http/endpoint.decorator.js';
import { IfMatch } from '../../../platform/http/etag.js';
import { mapPage } from '../../../platform/http/pagination.js';
import { CurrentActor, type Actor } from '../../../platform/identity/domain/actor.js';
import { ExpenseClaimService } from '../application/expense-claim.service.js';
import { EXPENSE_CLAIM_TRANSITIONS } from '../domain/expense-claim.rules.js';
import { CreateExpenseClaimRequest, ExpenseClaimListQuery, RecallRequest, UpdateExpenseClaimRequest } from './dto/expense-claim.request.js';
import { ExpenseClaimPage, ExpenseClaimResponse, toExpenseClaimResponse } from './dto/expense-claim.response.js';

const LIFECYCLE = Object.entries(EXPENSE_CLAIM_TRANSITIONS).map(([from, to]) => `${from} → ${to.join(', ') || '(final)'}`).join('; ');

@ApiTags('finance')
@Controller('api/v1/finance/expense-claims')
export class ExpenseClaimsController {
  constructor(private readonly claims: ExpenseClaimService) {}

  @Post()
  @Endpoint({ operationId: 'finance_createExpenseClaim', summary: 'Create a draft expense claim (the caller is the claimant)', permission: 'finance.expense-claim:create', errors: [422], idempotent: true })
  @ApiCreatedResponse({ type: ExpenseClaimResponse })
  create(@CurrentActor() actor: Actor, @Body() body: CreateExpenseClaimRequest) {
    return this.claims.create(actor, body).then(toExpenseClaimResponse);
  }

  @Get()
  @Endpoint({ operationId: 'finance_listExpenseClaims', summary: 'List expense claims in the caller’s data scope', permission: 'finance.expense-claim:read' })
  @ApiOkResponse({ type: ExpenseClaimPage })
  list(@CurrentActor() actor: Actor, @Query() query: ExpenseClaimListQuery) {
    return this.claims.list(actor, query).then((page) => mapPage(page, toExpenseClaimResponse));
  }

  @Get(':id')
  @Endpoint({ operationId: 'finance_getExpenseClaim', summary: 'Get an expense claim with its lines', permission: 'finance.expense-claim:read', errors: [404] })
  @ApiOkResponse({ type: ExpenseClaimResponse })
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.claims.get(actor, id).then(toExpenseClaimResponse);
  }

  @Patch(':id')
  @Endpoint({ operationId: 'finance_updateExpenseClaim', summary: 'Edit a draft (or recalled) expense claim; 409 while pending approval', permission: 'finance.expense-claim:update', errors: [404, 409, 422], ifMatch: true })
  @ApiOkResponse({ type: ExpenseClaimResponse })
  update(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateExpenseClaimRequest, @IfMatch() version?: number) {
    return this.claims.update(actor, id, version, body).then(toExpenseClaimResponse);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Endpoint({
    operationId: 'finance_submitExpenseClaim',
    summary: 'Submit for approval: reserves the total on the cost centre',
    description: `Reserves the total under the cost centre's cap in one conditional update; 422 \`cost-centre-cap-exceeded\` (with \`availableMinor\`) when it does not fit, and the claim stays a draft. Life cycle: ${LIFECYCLE}.`,
    permission: 'finance.expense-claim:submit',
    errors: [404, 409, 422],
    idempotent: true,
    ifMatch: true,
  })
  @ApiOkResponse({ type: ExpenseClaimResponse })
  submit(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @IfMatch() version?: number) {
    return this.claims.submit(actor, id, version).then(toExpenseClaimResponse);
  }

  @Post(':id/recall')
  @HttpCode(200)
  @Endpoint({ operationId: 'finance_recallExpenseClaim', summary: 'Withdraw a pending claim: releases the reservation and closes the approval; the claimant’s (or a holder of finance.expense-claim:recall-any), 403 otherwise', permission: 'finance.expense-claim:recall', errors: [404, 409], idempotent: true, ifMatch: true })
  @ApiOkResponse({ type: ExpenseClaimResponse })
  recall(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: RecallRequest, @IfMatch() version?: number) {
    return this.claims.recall(actor, id, version, body?.reason).then(toExpenseClaimResponse);
  }
}
