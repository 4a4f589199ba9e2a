import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../../../platform/http/endpoint.decorator.js';
import { IfMatch } from '../../../platform/http/etag.js';
import { mapPage } from '../../../platform/http/pagination.js';
import { CurrentActor, type Actor } from '../../../platform/identity/domain/actor.js';
import { ProcessDefinitionService } from '../application/process-definition.service.js';
import { CreateProcessDefinitionRequest, ProcessDefinitionGetQuery, ProcessDefinitionListQuery, SimulateRequest, UpdateProcessDefinitionRequest } from './dto/process-definition.request.js';
import { ProcessDefinitionPage, ProcessDefinitionResponse, SimulationResponse, toProcessDefinitionResponse, toSimulationResponse } from './dto/process-definition.response.js';

@ApiTags('workflow')
@Controller('api/v1/workflow/process-definitions')
export class ProcessDefinitionsController {
  constructor(private readonly definitions: ProcessDefinitionService) {}

  @Get()
  @Endpoint({ operationId: 'workflow_listProcessDefinitions', summary: 'List process definitions', permission: 'workflow.process-definition:read' })
  @ApiOkResponse({ type: ProcessDefinitionPage })
  async list(@Query() query: ProcessDefinitionListQuery): Promise<ProcessDefinitionPage> {
    const page = await this.definitions.list(query);
    const views = [];
    for (const d of page.items) views.push(await this.definitions.get(d.id));
    return mapPage({ items: views, nextCursor: page.nextCursor }, toProcessDefinitionResponse);
  }

  @Post()
  @Endpoint({ operationId: 'workflow_createProcessDefinition', summary: 'Create a process definition (version 1)', permission: 'workflow.process-definition:create', errors: [409, 422], idempotent: true })
  @ApiCreatedResponse({ type: ProcessDefinitionResponse })
  create(@CurrentActor() actor: Actor, @Body() body: CreateProcessDefinitionRequest): Promise<ProcessDefinitionResponse> {
    return this.definitions.create(actor, body).then(toProcessDefinitionResponse);
  }

  @Post('simulate')
  @HttpCode(200)
  @Endpoint({ operationId: 'workflow_simulateApproval', summary: 'Show the definition, steps and approvers a subject would get, creating nothing', permission: 'workflow.process-definition:read', errors: [422], idempotent: true })
  @ApiOkResponse({ type: SimulationResponse })
  simulate(@CurrentActor() actor: Actor, @Body() body: SimulateRequest): Promise<SimulationResponse> {
    return this.definitions.simulate(actor, body).then(toSimulationResponse);
  }

  @Get(':id')
  @Endpoint({ operationId: 'workflow_getProcessDefinition', summary: 'Get a process definition (latest version, or ?version=)', permission: 'workflow.process-definition:read', errors: [404] })
  @ApiOkResponse({ type: ProcessDefinitionResponse })
  get(@Param('id', ParseUUIDPipe) id: string, @Query() query: ProcessDefinitionGetQuery): Promise<ProcessDefinitionResponse> {
    return this.definitions.get(id, query.version).then(toProcessDefinitionResponse);
  }

  @Put(':id')
  @Endpoint({ operationId: 'workflow_updateProcessDefinition', summary: 'Publish a new version of a process definition; running approvals keep theirs', permission: 'workflow.process-definition:update', errors: [404, 422], ifMatch: true })
  @ApiOkResponse({ type: ProcessDefinitionResponse })
  update(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateProcessDefinitionRequest, @IfMatch() version?: number): Promise<ProcessDefinitionResponse> {
    return this.definitions.update(actor, id, body, version).then(toProcessDefinitionResponse);
  }
}
