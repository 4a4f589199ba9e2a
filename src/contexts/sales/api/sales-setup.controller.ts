import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../../../platform/http/endpoint.decorator.js';
import { mapPage, PageQuery } from '../../../platform/http/pagination.js';
import { CurrentActor, type Actor } from '../../../platform/identity/domain/actor.js';
import { CompetitorService } from '../application/competitor.service.js';
import { PipelineService } from '../application/pipeline.service.js';
import { SalesMethodService } from '../application/sales-method.service.js';
import { CompetitorListQuery, CreateCompetitorRequest, CreateSalesMethodRequest, PipelineQuery } from './dto/opportunity.request.js';
import {
  CompetitorPage, CompetitorResponse, PipelineResponse, SalesMethodPage, SalesMethodResponse, toCompetitorResponse, toPipelineResponse, toSalesMethodResponse,
} from './dto/opportunity.response.js';

/** Sales methods, the competitor catalogue and the pipeline summary. */
@ApiTags('sales')
@Controller('api/v1/sales')
export class SalesSetupController {
  constructor(private readonly methods: SalesMethodService, private readonly competitors: CompetitorService, private readonly pipelines: PipelineService) {}

  @Post('sales-methods')
  @Endpoint({
    operationId: 'sales_createSalesMethod',
    summary: 'Create a sales method with its ordered stages',
    description: '`isDefault: true` makes it the default method of the whole organisation, which also needs the permission `sales.sales-method:set-default` (403 `permission-denied` without it; among the built-in roles only the admin holds it).',
    permission: 'sales.sales-method:create',
    idempotent: true,
  })
  @ApiCreatedResponse({ type: SalesMethodResponse })
  async createMethod(@CurrentActor() actor: Actor, @Body() body: CreateSalesMethodRequest): Promise<SalesMethodResponse> {
    return toSalesMethodResponse(await this.methods.create(actor, { ...body, stages: body.stages.map((s) => ({ ...s, terminal: s.terminal ?? null })) }));
  }

  @Get('sales-methods')
  @Endpoint({ operationId: 'sales_listSalesMethods', summary: 'List sales methods with their stages', permission: 'sales.sales-method:read' })
  @ApiOkResponse({ type: SalesMethodPage })
  async listMethods(@Query() query: PageQuery): Promise<SalesMethodPage> {
    return mapPage(await this.methods.list(query), toSalesMethodResponse);
  }

  @Get('sales-methods/:id')
  @Endpoint({ operationId: 'sales_getSalesMethod', summary: 'Get a sales method with its stages', permission: 'sales.sales-method:read', errors: [404] })
  @ApiOkResponse({ type: SalesMethodResponse })
  async getMethod(@Param('id', ParseUUIDPipe) id: string): Promise<SalesMethodResponse> {
    return toSalesMethodResponse(await this.methods.get(id));
  }

  @Post('competitors')
  @Endpoint({ operationId: 'sales_createCompetitor', summary: 'Add a competitor to the catalogue', permission: 'sales.competitor:create', idempotent: true })
  @ApiCreatedResponse({ type: CompetitorResponse })
  async createCompetitor(@CurrentActor() actor: Actor, @Body() body: CreateCompetitorRequest): Promise<CompetitorResponse> {
    return toCompetitorResponse(await this.competitors.create(actor, body));
  }

  @Get('competitors')
  @Endpoint({ operationId: 'sales_listCompetitors', summary: 'List competitors', permission: 'sales.competitor:read' })
  @ApiOkResponse({ type: CompetitorPage })
  async listCompetitors(@Query() query: CompetitorListQuery): Promise<CompetitorPage> {
    return mapPage(await this.competitors.list(query), toCompetitorResponse);
  }

  @Get('competitors/:id')
  @Endpoint({ operationId: 'sales_getCompetitor', summary: 'Get a competitor', permission: 'sales.competitor:read', errors: [404] })
  @ApiOkResponse({ type: CompetitorResponse })
  async getCompetitor(@Param('id', ParseUUIDPipe) id: string): Promise<CompetitorResponse> {
    return toCompetitorResponse(await this.competitors.get(id));
  }

  @Get('pipeline')
  @Endpoint({
    operationId: 'sales_getPipeline',
    summary: 'Pipeline per stage: count, amount, weighted amount',
    description: 'Over the opportunities you may see, of one sales method and currency, filtered by owner, org unit and close period.',
    permission: 'sales.pipeline:read',
    errors: [422],
  })
  @ApiOkResponse({ type: PipelineResponse })
  async pipeline(@CurrentActor() actor: Actor, @Query() query: PipelineQuery): Promise<PipelineResponse> {
    return toPipelineResponse(await this.pipelines.summary(actor, query));
  }
}
