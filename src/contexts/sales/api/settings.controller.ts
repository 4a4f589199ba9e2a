import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../../../platform/http/endpoint.decorator.js';
import { IfMatch } from '../../../platform/http/etag.js';
import { CurrentActor, type Actor } from '../../../platform/identity/domain/actor.js';
import { SalesSettingsService } from '../application/sales-settings.service.js';
import { UpdateSalesSettingsRequest } from './dto/settings.request.js';
import { SalesSettingsResponse, toSalesSettingsResponse } from './dto/settings.response.js';

/** The Sales system parameters (one resource for the whole context). */
@ApiTags('sales')
@Controller('api/v1/sales/settings')
export class SalesSettingsController {
  constructor(private readonly settings: SalesSettingsService) {}

  @Get()
  @Endpoint({ operationId: 'sales_getSettings', summary: 'Get the Sales parameters', permission: 'sales.settings:read' })
  @ApiOkResponse({ type: SalesSettingsResponse })
  async get(): Promise<SalesSettingsResponse> {
    return toSalesSettingsResponse(await this.settings.get());
  }

  @Patch()
  @Endpoint({
    operationId: 'sales_updateSettings',
    summary: 'Change Sales parameters',
    description: 'Send only the parameters to change. Audited (record type `sales.settings`, id `sales`); the services use the new values from the next request on. The settings apply to the whole organisation: among the built-in roles only the admin holds `sales.settings:manage`.',
    permission: 'sales.settings:manage',
    ifMatch: true,
  })
  @ApiOkResponse({ type: SalesSettingsResponse })
  async update(@CurrentActor() actor: Actor, @Body() body: UpdateSalesSettingsRequest, @IfMatch() version?: number): Promise<SalesSettingsResponse> {
    return toSalesSettingsResponse(await this.settings.update(actor, version, body));
  }
}
