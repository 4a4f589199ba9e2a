import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../../../platform/http/endpoint.decorator.js';
import { IfMatch } from '../../../platform/http/etag.js';
import { mapPage, PageQuery } from '../../../platform/http/pagination.js';
import { CurrentActor, type Actor } from '../../../platform/identity/domain/actor.js';
import { AutoOpenRuleService } from '../application/auto-open-rule.service.js';
import { CostCentreService } from '../application/cost-centre.service.js';
import { AutoOpenRuleRequest, CostCentreListQuery, CreateCostCentreRequest, UpdateCostCentreRequest } from './dto/cost-centre.request.js';
import {
  AutoOpenRuleList,
  AutoOpenRuleResponse,
  CostCentrePage,
  CostCentreResponse,
  LedgerPage,
  toAutoOpenRuleResponse,
  toCostCentreResponse,
  toLedgerEntryResponse,
} from './dto/cost-centre.response.js';

@ApiTags('finance')
@Controller('api/v1/finance/cost-centres')
export class CostCentresController {
  constructor(private readonly centres: CostCentreService) {}

  @Post()
  @Endpoint({ operationId: 'finance_createCostCentre', summary: 'Open a cost centre by hand', permission: 'finance.cost-centre:create', errors: [409, 422], idempotent: true })
  @ApiCreatedResponse({ type: CostCentreResponse })
  create(@CurrentActor() actor: Actor, @Body() body: CreateCostCentreRequest) {
    return this.centres.create(actor, { ...body, subjectId: body.subjectId ?? null, ownerId: body.ownerId ?? actor.userId }).then(toCostCentreResponse);
  }

  @Get()
  @Endpoint({ operationId: 'finance_listCostCentres', summary: 'List cost centres in the caller’s data scope', permission: 'finance.cost-centre:read' })
  @ApiOkResponse({ type: CostCentrePage })
  list(@CurrentActor() actor: Actor, @Query() query: CostCentreListQuery) {
    return this.centres.list(actor, query).then((page) => mapPage(page, toCostCentreResponse));
  }

  @Get(':id')
  @Endpoint({ operationId: 'finance_getCostCentre', summary: 'Get a cost centre with spent, reserved and available', permission: 'finance.cost-centre:read', errors: [404] })
  @ApiOkResponse({ type: CostCentreResponse })
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.centres.get(actor, id).then(toCostCentreResponse);
  }

  @Patch(':id')
  @Endpoint({
    operationId: 'finance_updateCostCentre',
    summary: 'Change a cost centre',
    description: 'Changing `capMinor` also needs `finance.cost-centre:change-cap` (403 otherwise) and may not go below spent + reserved (422); it is audited and published.',
    permission: 'finance.cost-centre:update',
    errors: [404, 409, 422],
    ifMatch: true,
  })
  @ApiOkResponse({ type: CostCentreResponse })
  update(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateCostCentreRequest, @IfMatch() version?: number) {
    return this.centres.update(actor, id, version, body).then(toCostCentreResponse);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Endpoint({ operationId: 'finance_closeCostCentre', summary: 'Close a cost centre (no new reservations)', permission: 'finance.cost-centre:update', errors: [404, 409], idempotent: true, ifMatch: true })
  @ApiOkResponse({ type: CostCentreResponse })
  close(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @IfMatch() version?: number) {
    return this.centres.close(actor, id, version).then(toCostCentreResponse);
  }

  @Get(':id/ledger')
  @Endpoint({ operationId: 'finance_listCostCentreLedger', summary: 'Reservations, releases, postings and incomes of a cost centre', permission: 'finance.cost-centre:read', errors: [404] })
  @ApiOkResponse({ type: LedgerPage })
  ledger(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Query() query: PageQuery) {
    return this.centres.ledgerOf(actor, id, { ...query, updatedSince: undefined }).then((page) => mapPage(page, toLedgerEntryResponse));
  }
}

@ApiTags('finance')
@Controller('api/v1/finance/auto-open-rules')
export class AutoOpenRulesController {
  constructor(private readonly rules: AutoOpenRuleService) {}

  @Get()
  @Endpoint({ operationId: 'finance_listAutoOpenRules', summary: 'Which created subjects open a cost centre, with which defaults', permission: 'finance.settings:read' })
  @ApiOkResponse({ type: AutoOpenRuleList })
  async list() {
    return { items: (await this.rules.list()).map(toAutoOpenRuleResponse), nextCursor: null };
  }

  @Put(':subjectType')
  @Endpoint({ operationId: 'finance_putAutoOpenRule', summary: 'Turn automatic cost centres on/off for a subject type, and set their defaults', permission: 'finance.settings:update', errors: [404], ifMatch: true })
  @ApiOkResponse({ type: AutoOpenRuleResponse })
  put(@CurrentActor() actor: Actor, @Param('subjectType') subjectType: string, @Body() body: AutoOpenRuleRequest, @IfMatch() version?: number) {
    return this.rules.put(actor, subjectType, version, body).then(toAutoOpenRuleResponse);
  }
}
