import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../../../platform/http/endpoint.decorator.js';
import { IfMatch } from '../../../platform/http/etag.js';
import { PageQuery, mapPage } from '../../../platform/http/pagination.js';
import { CurrentActor, type Actor } from '../../../platform/identity/domain/actor.js';
import { AutomationService } from '../application/automation.service.js';
import { AutomationRuleListQuery, CreateAutomationRuleRequest, UpdateAutomationRuleRequest } from './dto/automation-rule.request.js';
import { AutomationExecutionPage, AutomationRulePage, AutomationRuleResponse, toAutomationExecutionResponse, toAutomationRuleResponse } from './dto/automation-rule.response.js';

@ApiTags('workflow')
@Controller('api/v1/workflow/automation-rules')
export class AutomationRulesController {
  constructor(private readonly automation: AutomationService) {}

  @Get()
  @Endpoint({ operationId: 'workflow_listAutomationRules', summary: 'List automation rules', permission: 'workflow.automation-rule:read' })
  @ApiOkResponse({ type: AutomationRulePage })
  async list(@Query() query: AutomationRuleListQuery): Promise<AutomationRulePage> {
    return mapPage(await this.automation.list(query), toAutomationRuleResponse);
  }

  @Post()
  @Endpoint({ operationId: 'workflow_createAutomationRule', summary: 'Create an automation rule: when event X and condition C, do action A', permission: 'workflow.automation-rule:create', idempotent: true })
  @ApiCreatedResponse({ type: AutomationRuleResponse })
  create(@CurrentActor() actor: Actor, @Body() body: CreateAutomationRuleRequest): Promise<AutomationRuleResponse> {
    return this.automation.create(actor, body).then(toAutomationRuleResponse);
  }

  @Get(':id')
  @Endpoint({ operationId: 'workflow_getAutomationRule', summary: 'Get an automation rule', permission: 'workflow.automation-rule:read', errors: [404] })
  @ApiOkResponse({ type: AutomationRuleResponse })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<AutomationRuleResponse> {
    return this.automation.get(id).then(toAutomationRuleResponse);
  }

  @Patch(':id')
  @Endpoint({ operationId: 'workflow_updateAutomationRule', summary: 'Change, enable or disable an automation rule', permission: 'workflow.automation-rule:update', errors: [404], ifMatch: true })
  @ApiOkResponse({ type: AutomationRuleResponse })
  update(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateAutomationRuleRequest, @IfMatch() version?: number): Promise<AutomationRuleResponse> {
    return this.automation.update(actor, id, body, version).then(toAutomationRuleResponse);
  }

  @Get(':id/executions')
  @Endpoint({ operationId: 'workflow_listAutomationExecutions', summary: 'The execution log of a rule (one row per triggering event)', permission: 'workflow.automation-rule:read', errors: [404] })
  @ApiOkResponse({ type: AutomationExecutionPage })
  async executions(@Param('id', ParseUUIDPipe) id: string, @Query() query: PageQuery): Promise<AutomationExecutionPage> {
    return mapPage(await this.automation.executions(id, query), toAutomationExecutionResponse);
  }
}
