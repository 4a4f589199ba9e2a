import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../../../platform/http/endpoint.decorator.js';
import { CurrentActor, type Actor } from '../../../platform/identity/domain/actor.js';
import { Customer360Service } from '../application/customer-360.service.js';
import { Customer360Response, toCustomer360Response } from './dto/customer-360.response.js';

@ApiTags('sales')
@Controller('api/v1/sales/accounts')
export class Customer360Controller {
  constructor(private readonly customer360: Customer360Service) {}

  @Get(':id/360')
  @Endpoint({
    operationId: 'sales_getCustomer360',
    summary: 'Customer 360: an account with its contacts, open opportunities, recent activities, and touches from other contexts',
    description:
      'Tickets, calls and campaign responses come from Sales’ own read model, fed by the events of Service, CallCenter and Marketing (contracts in `src/contexts/sales/public/customer-touch-events.ts`). ' +
      'Visible when the account is (else 404); contacts, opportunities and activities are narrowed to your scope for each.',
    permission: 'sales.account:read',
    errors: [404],
  })
  @ApiOkResponse({ type: Customer360Response })
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<Customer360Response> {
    return toCustomer360Response(await this.customer360.get(actor, id));
  }
}
