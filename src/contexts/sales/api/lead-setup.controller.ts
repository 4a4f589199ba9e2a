import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { IsString, Matches, MaxLength } from 'class-validator';
import { Endpoint } from '../../../platform/http/endpoint.decorator.js';
import { IfMatch } from '../../../platform/http/etag.js';
import { mapPage, PageQuery } from '../../../platform/http/pagination.js';
import { CurrentActor, type Actor } from '../../../platform/identity/domain/actor.js';
import { LeadAssignmentService } from '../application/lead-assignment.service.js';
import { LeadCaptureService } from '../application/lead-capture.service.js';
import { CaptureLeadRequest, CreateAssignmentRuleRequest, CreateCaptureFormRequest, UpdateAssignmentRuleRequest } from './dto/lead.request.js';
import {
  AssignmentRulePage, AssignmentRuleResponse, CapturedLeadResponse, CaptureFormPage, CaptureFormResponse, toAssignmentRuleResponse, toCaptureFormResponse,
} from './dto/lead.response.js';

class FormKeyParams {
  @IsString() @MaxLength(64) @Matches(/^[A-Za-z0-9_-]+$/) formKey: string;
}

/** Lead assignment rules, web capture forms and the public capture endpoint. */
@ApiTags('sales')
@Controller('api/v1/sales')
export class LeadSetupController {
  constructor(private readonly rules: LeadAssignmentService, private readonly captures: LeadCaptureService) {}

  @Post('lead-assignment-rules')
  @Endpoint({
    operationId: 'sales_createLeadAssignmentRule',
    summary: 'Create a lead assignment rule',
    description:
      'Rules route every matching lead of the organisation (web-form leads included), so writing them is administration: among the built-in roles only the admin holds `sales.lead-assignment-rule:create|update|delete`. The target (`assignTo.userId`, or `assignTo.orgUnitId` whose members take turns) must be someone you may give leads to (scope `sales.lead`): an unknown target and one outside your scope answer alike, 422 `sales.owner.unknown-user` / `sales.org-unit.unknown` naming the field.',
    permission: 'sales.lead-assignment-rule:create',
    errors: [422],
    idempotent: true,
  })
  @ApiCreatedResponse({ type: AssignmentRuleResponse })
  async createRule(@CurrentActor() actor: Actor, @Body() body: CreateAssignmentRuleRequest): Promise<AssignmentRuleResponse> {
    return toAssignmentRuleResponse(await this.rules.create(actor, body));
  }

  @Get('lead-assignment-rules')
  @Endpoint({ operationId: 'sales_listLeadAssignmentRules', summary: 'List lead assignment rules by priority', permission: 'sales.lead-assignment-rule:read' })
  @ApiOkResponse({ type: AssignmentRulePage })
  async listRules(@Query() query: PageQuery): Promise<AssignmentRulePage> {
    return mapPage(await this.rules.list(query), toAssignmentRuleResponse);
  }

  @Get('lead-assignment-rules/:id')
  @Endpoint({ operationId: 'sales_getLeadAssignmentRule', summary: 'Get a lead assignment rule', permission: 'sales.lead-assignment-rule:read', errors: [404] })
  @ApiOkResponse({ type: AssignmentRuleResponse })
  async getRule(@Param('id', ParseUUIDPipe) id: string): Promise<AssignmentRuleResponse> {
    return toAssignmentRuleResponse(await this.rules.get(id));
  }

  @Patch('lead-assignment-rules/:id')
  @Endpoint({
    operationId: 'sales_updateLeadAssignmentRule',
    summary: 'Update a lead assignment rule',
    description: 'A new target is checked like on create (422). A rule whose current target is outside your data scope answers 403 `sales.lead-assignment-rule.out-of-scope`.',
    permission: 'sales.lead-assignment-rule:update',
    errors: [404, 422],
    ifMatch: true,
  })
  @ApiOkResponse({ type: AssignmentRuleResponse })
  async updateRule(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateAssignmentRuleRequest, @IfMatch() version?: number): Promise<AssignmentRuleResponse> {
    return toAssignmentRuleResponse(await this.rules.update(actor, id, version, body));
  }

  @Delete('lead-assignment-rules/:id')
  @HttpCode(204)
  @Endpoint({
    operationId: 'sales_deleteLeadAssignmentRule',
    summary: 'Delete a lead assignment rule',
    description: 'Leads being assigned at that moment fall through to the next matching rule (or none). A rule whose current target is outside your data scope answers 403 `sales.lead-assignment-rule.out-of-scope`.',
    permission: 'sales.lead-assignment-rule:delete',
    errors: [404],
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  async deleteRule(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.rules.delete(actor, id);
  }

  @Post('lead-capture-forms')
  @Endpoint({
    operationId: 'sales_createLeadCaptureForm',
    summary: 'Create a web capture form (returns its public form key)',
    description:
      'The form’s leads are routed by the assignment rules (else the pool), so creating forms is administration: among the built-in roles only the admin holds `sales.lead-capture-form:create`. A `campaignId` must name a campaign you can see (422 `marketing.campaign.unknown` until Marketing registers its campaigns).',
    permission: 'sales.lead-capture-form:create',
    errors: [422],
    idempotent: true,
  })
  @ApiCreatedResponse({ type: CaptureFormResponse })
  async createForm(@CurrentActor() actor: Actor, @Body() body: CreateCaptureFormRequest): Promise<CaptureFormResponse> {
    return toCaptureFormResponse(await this.captures.createForm(actor, body));
  }

  @Get('lead-capture-forms')
  @Endpoint({ operationId: 'sales_listLeadCaptureForms', summary: 'List web capture forms', permission: 'sales.lead-capture-form:read' })
  @ApiOkResponse({ type: CaptureFormPage })
  async listForms(@Query() query: PageQuery): Promise<CaptureFormPage> {
    return mapPage(await this.captures.listForms(query), toCaptureFormResponse);
  }

  @Post('lead-capture/:formKey')
  @Endpoint({
    operationId: 'sales_captureLead',
    summary: 'Submit a lead from a web form (public)',
    description: 'No authentication: the form key identifies the form. Rate-limited per client IP and form (429 with Retry-After).',
    public: true,
    errors: [404, 429],
    idempotent: true,
  })
  @ApiParam({ name: 'formKey', description: 'The form’s public key', example: 'q3Zk1vX0m2Wc8Yp4Rt6Uh9Lb' })
  @ApiCreatedResponse({ type: CapturedLeadResponse })
  async capture(@Param() params: FormKeyParams, @Body() body: CaptureLeadRequest, @Req() request: FastifyRequest): Promise<CapturedLeadResponse> {
    const lead = await this.captures.capture(params.formKey, request.ip, body);
    return { id: lead.id, status: 'received' };
  }
}
