import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../../../platform/http/endpoint.decorator.js';
import { IfMatch } from '../../../platform/http/etag.js';
import type { RenderedJson } from '../../../platform/http/record-view.js';
import { CurrentActor, type Actor } from '../../../platform/identity/domain/actor.js';
import { OpportunityService } from '../application/opportunity.service.js';
import { ReasonRequest } from './dto/common.js';
import {
  ChangeStageRequest, CreateOpportunityRequest, OpportunityListQuery, PutCompetitorRequest, PutContactRoleRequest, ReopenRequest, UpdateOpportunityRequest,
} from './dto/opportunity.request.js';
import {
  ContactRoleList, ContactRoleResponse, OPPORTUNITY_VIEW, OpportunityCompetitorList, OpportunityCompetitorResponse, OpportunityPage, OpportunityResponse, StageHistoryResponse,
  toContactRoleResponse, toOpportunityCompetitorResponse, toOpportunityResponse, toStageChangeResponse,
} from './dto/opportunity.response.js';

@ApiTags('sales')
@Controller('api/v1/sales/opportunities')
export class OpportunitiesController {
  constructor(private readonly opportunities: OpportunityService) {}

  @Post()
  @Endpoint({ operationId: 'sales_createOpportunity', summary: 'Create an opportunity at the first stage of its sales method', description: 'Every id it names (`accountId`, `leadId`, `ownerId`, `salesMethodId`, `campaignId`) must exist and be visible to you, else 422 naming the field (missing and out of scope answer alike). Campaign ids are unknown until Marketing registers its campaigns.', permission: 'sales.opportunity:create', errors: [422], idempotent: true })
  @ApiCreatedResponse({ type: OpportunityResponse })
  async create(@CurrentActor() actor: Actor, @Body() body: CreateOpportunityRequest): Promise<OpportunityResponse> {
    return toOpportunityResponse(await this.opportunities.create(actor, body));
  }

  @Get()
  @Endpoint({ operationId: 'sales_listOpportunities', summary: 'List opportunities in your data scope', permission: 'sales.opportunity:read' })
  @ApiOkResponse({ type: OpportunityPage })
  async list(@CurrentActor() actor: Actor, @Query() query: OpportunityListQuery): Promise<RenderedJson> {
    return this.opportunities.list(actor, query, OPPORTUNITY_VIEW);
  }

  @Get(':id')
  @Endpoint({ operationId: 'sales_getOpportunity', summary: 'Get an opportunity', permission: 'sales.opportunity:read', errors: [404] })
  @ApiOkResponse({ type: OpportunityResponse })
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<RenderedJson> {
    return this.opportunities.getRendered(actor, id, OPPORTUNITY_VIEW);
  }

  @Patch(':id')
  @Endpoint({ operationId: 'sales_updateOpportunity', summary: 'Update an open opportunity', permission: 'sales.opportunity:update', errors: [404, 409, 422], ifMatch: true })
  @ApiOkResponse({ type: OpportunityResponse })
  async update(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateOpportunityRequest, @IfMatch() version?: number): Promise<OpportunityResponse> {
    return toOpportunityResponse(await this.opportunities.update(actor, id, version, body));
  }

  @Post(':id/stage')
  @HttpCode(200)
  @Endpoint({
    operationId: 'sales_changeOpportunityStage',
    summary: 'Move an open opportunity to another open stage',
    description: 'Any other open stage; on a strict method forward moves go one stage at a time. Won/lost stages only through /win and /lose.',
    permission: 'sales.opportunity:change-stage',
    errors: [404, 409, 422],
    idempotent: true,
    ifMatch: true,
  })
  @ApiOkResponse({ type: OpportunityResponse })
  async changeStage(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: ChangeStageRequest, @IfMatch() version?: number): Promise<OpportunityResponse> {
    return toOpportunityResponse(await this.opportunities.changeStage(actor, id, version, body.stageKey));
  }

  @Post(':id/win')
  @HttpCode(200)
  @Endpoint({
    operationId: 'sales_winOpportunity',
    summary: 'Mark an opportunity won',
    description: 'On a strict method only from the last open stage: winning from an earlier one would skip stages → 409 `sales.opportunity.illegal-stage-transition` (`allowed`: the stage moves open from here).',
    permission: 'sales.opportunity:win',
    errors: [404, 409],
    idempotent: true,
    ifMatch: true,
  })
  @ApiOkResponse({ type: OpportunityResponse })
  async win(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @IfMatch() version?: number): Promise<OpportunityResponse> {
    return toOpportunityResponse(await this.opportunities.win(actor, id, version));
  }

  @Post(':id/lose')
  @HttpCode(200)
  @Endpoint({ operationId: 'sales_loseOpportunity', summary: 'Mark an opportunity lost, with a reason', permission: 'sales.opportunity:lose', errors: [404, 409], idempotent: true, ifMatch: true })
  @ApiOkResponse({ type: OpportunityResponse })
  async lose(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReasonRequest, @IfMatch() version?: number): Promise<OpportunityResponse> {
    return toOpportunityResponse(await this.opportunities.lose(actor, id, version, body.reason));
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @Endpoint({ operationId: 'sales_reopenOpportunity', summary: 'Reopen a lost opportunity', permission: 'sales.opportunity:reopen', errors: [404, 409, 422], idempotent: true, ifMatch: true })
  @ApiOkResponse({ type: OpportunityResponse })
  async reopen(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReopenRequest, @IfMatch() version?: number): Promise<OpportunityResponse> {
    return toOpportunityResponse(await this.opportunities.reopen(actor, id, version, body.stageKey));
  }

  @Get(':id/stage-history')
  @Endpoint({ operationId: 'sales_getOpportunityStageHistory', summary: 'Stage history: from, to, when, who, days in stage', permission: 'sales.opportunity:read', errors: [404] })
  @ApiOkResponse({ type: StageHistoryResponse })
  async stageHistory(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<StageHistoryResponse> {
    return { items: (await this.opportunities.stageHistory(actor, id)).map(toStageChangeResponse) };
  }

  @Get(':id/competitors')
  @Endpoint({ operationId: 'sales_listOpportunityCompetitors', summary: 'Competitors in an opportunity', permission: 'sales.opportunity:read', errors: [404] })
  @ApiOkResponse({ type: OpportunityCompetitorList })
  async competitors(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<OpportunityCompetitorList> {
    return { items: (await this.opportunities.competitors(actor, id)).map(toOpportunityCompetitorResponse) };
  }

  @Post(':id/competitors')
  @Endpoint({ operationId: 'sales_addOpportunityCompetitor', summary: 'Add (or update) a competitor in an opportunity', permission: 'sales.opportunity:update', errors: [404, 422], idempotent: true })
  @ApiCreatedResponse({ type: OpportunityCompetitorResponse })
  async addCompetitor(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: PutCompetitorRequest): Promise<OpportunityCompetitorResponse> {
    return toOpportunityCompetitorResponse(await this.opportunities.putCompetitor(actor, id, body));
  }

  @Delete(':id/competitors/:competitorId')
  @HttpCode(204)
  @Endpoint({ operationId: 'sales_removeOpportunityCompetitor', summary: 'Remove a competitor from an opportunity', permission: 'sales.opportunity:update', errors: [404] })
  @ApiNoContentResponse({ description: 'Removed' })
  async removeCompetitor(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Param('competitorId', ParseUUIDPipe) competitorId: string): Promise<void> {
    await this.opportunities.removeCompetitor(actor, id, competitorId);
  }

  @Get(':id/contact-roles')
  @Endpoint({ operationId: 'sales_listOpportunityContactRoles', summary: 'Contacts’ roles and attitudes in an opportunity', permission: 'sales.opportunity:read', errors: [404] })
  @ApiOkResponse({ type: ContactRoleList })
  async contactRoles(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ContactRoleList> {
    return { items: (await this.opportunities.contactRoles(actor, id)).map(toContactRoleResponse) };
  }

  @Post(':id/contact-roles')
  @Endpoint({ operationId: 'sales_setOpportunityContactRole', summary: 'Set a contact’s role and attitude in an opportunity', permission: 'sales.opportunity:update', errors: [404, 422], idempotent: true })
  @ApiCreatedResponse({ type: ContactRoleResponse })
  async setContactRole(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: PutContactRoleRequest): Promise<ContactRoleResponse> {
    return toContactRoleResponse(await this.opportunities.putContactRole(actor, id, body));
  }

  @Delete(':id/contact-roles/:contactId')
  @HttpCode(204)
  @Endpoint({ operationId: 'sales_removeOpportunityContactRole', summary: 'Remove a contact’s role from an opportunity', permission: 'sales.opportunity:update', errors: [404] })
  @ApiNoContentResponse({ description: 'Removed' })
  async removeContactRole(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Param('contactId', ParseUUIDPipe) contactId: string): Promise<void> {
    await this.opportunities.removeContactRole(actor, id, contactId);
  }
}
