import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../../../platform/http/endpoint.decorator.js';
import { IfMatch } from '../../../platform/http/etag.js';
import { mapPage } from '../../../platform/http/pagination.js';
import { CurrentActor, type Actor } from '../../../platform/identity/domain/actor.js';
import { AdvanceService } from '../application/advance.service.js';
import { AdvanceListQuery, CreateAdvanceRequest, PayAdvanceRequest } from './dto/advance.request.js';
import { AdvancePage, AdvanceResponse, toAdvanceResponse } from './dto/advance.response.js';
import { RecallRequest } from './dto/expense-claim.request.js';

@ApiTags('finance')
@Controller('api/v1/finance/advances')
export class AdvancesController {
  constructor(private readonly advances: AdvanceService) {}

  @Post()
  @Endpoint({ operationId: 'finance_createAdvance', summary: 'Request an advance (draft; the caller is the employee)', permission: 'finance.advance:create', errors: [422], idempotent: true })
  @ApiCreatedResponse({ type: AdvanceResponse })
  create(@CurrentActor() actor: Actor, @Body() body: CreateAdvanceRequest) {
    return this.advances.create(actor, body).then(toAdvanceResponse);
  }

  @Get()
  @Endpoint({ operationId: 'finance_listAdvances', summary: 'List advances in the caller’s data scope', permission: 'finance.advance:read' })
  @ApiOkResponse({ type: AdvancePage })
  list(@CurrentActor() actor: Actor, @Query() query: AdvanceListQuery) {
    return this.advances.list(actor, query).then((page) => mapPage(page, toAdvanceResponse));
  }

  @Get(':id')
  @Endpoint({ operationId: 'finance_getAdvance', summary: 'Get an advance', permission: 'finance.advance:read', errors: [404] })
  @ApiOkResponse({ type: AdvanceResponse })
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.advances.get(actor, id).then(toAdvanceResponse);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Endpoint({ operationId: 'finance_submitAdvance', summary: 'Submit for approval: reserves the amount on the cost centre (422 cost-centre-cap-exceeded)', permission: 'finance.advance:submit', errors: [404, 409, 422], idempotent: true, ifMatch: true })
  @ApiOkResponse({ type: AdvanceResponse })
  submit(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @IfMatch() version?: number) {
    return this.advances.submit(actor, id, version).then(toAdvanceResponse);
  }

  @Post(':id/recall')
  @HttpCode(200)
  @Endpoint({ operationId: 'finance_recallAdvance', summary: 'Withdraw a pending advance: releases the reservation; the requester’s (or a holder of finance.advance:recall-any), 403 otherwise', permission: 'finance.advance:submit', errors: [404, 409], idempotent: true, ifMatch: true })
  @ApiOkResponse({ type: AdvanceResponse })
  recall(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: RecallRequest, @IfMatch() version?: number) {
    return this.advances.recall(actor, id, version, body?.reason).then(toAdvanceResponse);
  }

  @Post(':id/pay')
  @HttpCode(200)
  @Endpoint({ operationId: 'finance_payAdvance', summary: 'Pay an approved advance out (posts it to the cost centre); not one’s own, nor one the caller approved (403)', permission: 'finance.advance:pay', errors: [404, 409], idempotent: true, ifMatch: true })
  @ApiOkResponse({ type: AdvanceResponse })
  pay(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: PayAdvanceRequest, @IfMatch() version?: number) {
    return this.advances.pay(actor, id, version, body?.paymentRef ?? null).then(toAdvanceResponse);
  }
}
