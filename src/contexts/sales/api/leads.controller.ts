import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../../../platform/http/endpoint.decorator.js';
import { IfMatch } from '../../../platform/http/etag.js';
import type { RenderedJson } from '../../../platform/http/record-view.js';
import { CurrentActor, type Actor } from '../../../platform/identity/domain/actor.js';
import { LeadService } from '../application/lead.service.js';
import { LEAD_TRANSITIONS } from '../domain/lead-status.rules.js';
import { ReasonRequest } from './dto/common.js';
import { AssignLeadRequest, ConvertLeadRequest, CreateLeadRequest, LeadListQuery, LeadPoolQuery, UpdateLeadRequest } from './dto/lead.request.js';
import { LEAD_VIEW, LeadConversionResponse, LeadPage, LeadResponse, toLeadResponse } from './dto/lead.response.js';

const TRANSITIONS_TABLE = Object.entries(LEAD_TRANSITIONS)
  .map(([from, to]) => `\`${from}\` → ${to.length ? to.map((t) => `\`${t}\``).join(', ') : '(final)'}`)
  .join('; ');

@ApiTags('sales')
@Controller('api/v1/sales')
export class LeadsController {
  constructor(private readonly leads: LeadService) {}

  @Post('leads')
  @Endpoint({
    operationId: 'sales_createLead',
    summary: 'Create a lead',
    description: 'Owner: `ownerId` if given, else the first matching assignment rule, else the caller.',
    permission: 'sales.lead:create',
    errors: [422],
    idempotent: true,
  })
  @ApiCreatedResponse({ type: LeadResponse })
  async create(@CurrentActor() actor: Actor, @Body() body: CreateLeadRequest): Promise<LeadResponse> {
    return toLeadResponse(await this.leads.create(actor, body));
  }

  @Get('leads')
  @Endpoint({ operationId: 'sales_listLeads', summary: 'List leads in your data scope', permission: 'sales.lead:read' })
  @ApiOkResponse({ type: LeadPage })
  async list(@CurrentActor() actor: Actor, @Query() query: LeadListQuery): Promise<RenderedJson> {
    return this.leads.list(actor, query, LEAD_VIEW);
  }

  @Get('lead-pool')
  @Endpoint({ operationId: 'sales_listLeadPool', summary: 'List the lead pool (unowned new leads), oldest first', permission: 'sales.lead:claim' })
  @ApiOkResponse({ type: LeadPage })
  async pool(@Query() query: LeadPoolQuery): Promise<RenderedJson> {
    return this.leads.pool(query, LEAD_VIEW);
  }

  @Get('leads/:id')
  @Endpoint({ operationId: 'sales_getLead', summary: 'Get a lead', permission: 'sales.lead:read', errors: [404] })
  @ApiOkResponse({ type: LeadResponse })
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<LeadResponse> {
    return toLeadResponse(await this.leads.get(actor, id));
  }

  @Patch('leads/:id')
  @Endpoint({ operationId: 'sales_updateLead', summary: 'Update a lead (converted leads are read-only: 409)', permission: 'sales.lead:update', errors: [404, 409, 422], ifMatch: true })
  @ApiOkResponse({ type: LeadResponse })
  async update(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateLeadRequest, @IfMatch() version?: number): Promise<LeadResponse> {
    return toLeadResponse(await this.leads.update(actor, id, version, body));
  }

  @Post('leads/:id/assign')
  @HttpCode(200)
  @Endpoint({ operationId: 'sales_assignLead', summary: 'Assign a lead to a user', description: `Lead states: ${TRANSITIONS_TABLE}.`, permission: 'sales.lead:assign', errors: [404, 409, 422], idempotent: true, ifMatch: true })
  @ApiOkResponse({ type: LeadResponse })
  async assign(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: AssignLeadRequest, @IfMatch() version?: number): Promise<LeadResponse> {
    return toLeadResponse(await this.leads.assign(actor, id, version, body.ownerId));
  }

  @Post('leads/:id/auto-assign')
  @HttpCode(200)
  @Endpoint({ operationId: 'sales_autoAssignLead', summary: 'Assign a lead by the assignment rules now', permission: 'sales.lead:assign', errors: [404, 409, 422], idempotent: true, ifMatch: true })
  @ApiOkResponse({ type: LeadResponse })
  async autoAssign(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @IfMatch() version?: number): Promise<LeadResponse> {
    return toLeadResponse(await this.leads.autoAssign(actor, id, version));
  }

  @Post('leads/:id/qualify')
  @HttpCode(200)
  @Endpoint({ operationId: 'sales_qualifyLead', summary: 'Qualify a lead', permission: 'sales.lead:qualify', errors: [404, 409], idempotent: true, ifMatch: true })
  @ApiOkResponse({ type: LeadResponse })
  async qualify(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @IfMatch() version?: number): Promise<LeadResponse> {
    return toLeadResponse(await this.leads.qualify(actor, id, version));
  }

  @Post('leads/:id/disqualify')
  @HttpCode(200)
  @Endpoint({ operationId: 'sales_disqualifyLead', summary: 'Disqualify a lead with a reason', permission: 'sales.lead:disqualify', errors: [404, 409], idempotent: true, ifMatch: true })
  @ApiOkResponse({ type: LeadResponse })
  async disqualify(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReasonRequest, @IfMatch() version?: number): Promise<LeadResponse> {
    return toLeadResponse(await this.leads.disqualify(actor, id, version, body.reason));
  }

  @Post('leads/:id/convert')
  @HttpCode(200)
  @Endpoint({
    operationId: 'sales_convertLead',
    summary: 'Convert a lead into account, contact and optionally an opportunity (one transaction)',
    description:
      'Duplicate accounts or contacts → 409 with `candidates` (pass `accountId` or `force`). An `accountId` or `opportunity.salesMethodId` that does not exist or that you cannot see → 422 naming the field. Any failure leaves nothing behind.',
    permission: 'sales.lead:convert',
    errors: [404, 409, 422],
    idempotent: true,
    ifMatch: true,
  })
  @ApiOkResponse({ type: LeadConversionResponse })
  async convert(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: ConvertLeadRequest, @IfMatch() version?: number): Promise<LeadConversionResponse> {
    const result = await this.leads.convert(actor, id, version, body);
    return { accountId: result.accountId, contactId: result.contactId, opportunityId: result.opportunityId, lead: toLeadResponse(result.lead) };
  }

  @Post('leads/:id/release')
  @HttpCode(200)
  @Endpoint({ operationId: 'sales_releaseLead', summary: 'Give a lead back to the pool', permission: 'sales.lead:release', errors: [404, 409], idempotent: true, ifMatch: true })
  @ApiOkResponse({ type: LeadResponse })
  async release(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @IfMatch() version?: number): Promise<LeadResponse> {
    return toLeadResponse(await this.leads.release(actor, id, version));
  }

  @Post('leads/:id/claim')
  @HttpCode(200)
  @Endpoint({
    operationId: 'sales_claimLead',
    summary: 'Claim a lead from the pool',
    description: 'Atomic: of concurrent claims exactly one wins. The others get 409 `sales.lead.already-claimed` when they may still see the lead, else 404 (it left their scope). 422 `sales.lead.claim-limit-reached` when you hold too many open leads.',
    permission: 'sales.lead:claim',
    errors: [404, 409, 422],
    idempotent: true,
    ifMatch: true,
  })
  @ApiOkResponse({ type: LeadResponse })
  async claim(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @IfMatch() version?: number): Promise<LeadResponse> {
    return toLeadResponse(await this.leads.claim(actor, id, version));
  }
}
