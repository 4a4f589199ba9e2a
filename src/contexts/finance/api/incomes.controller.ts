import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../../../platform/http/endpoint.decorator.js';
import { mapPage } from '../../../platform/http/pagination.js';
import { CurrentActor, type Actor } from '../../../platform/identity/domain/actor.js';
import { IncomeService } from '../application/income.service.js';
import { CreateIncomeRequest, IncomeListQuery } from './dto/income.request.js';
import { IncomePage, IncomeResponse, toIncomeResponse } from './dto/income.response.js';

@ApiTags('finance')
@Controller('api/v1/finance/incomes')
export class IncomesController {
  constructor(private readonly incomes: IncomeService) {}

  @Post()
  @Endpoint({ operationId: 'finance_recordIncome', summary: 'Record money received against a cost centre', permission: 'finance.income:create', errors: [422], idempotent: true })
  @ApiCreatedResponse({ type: IncomeResponse })
  create(@CurrentActor() actor: Actor, @Body() body: CreateIncomeRequest) {
    return this.incomes.record(actor, body).then(toIncomeResponse);
  }

  @Get()
  @Endpoint({ operationId: 'finance_listIncomes', summary: 'List incomes', permission: 'finance.income:read' })
  @ApiOkResponse({ type: IncomePage })
  list(@Query() query: IncomeListQuery) {
    return this.incomes.list(query).then((page) => mapPage(page, toIncomeResponse));
  }
}
