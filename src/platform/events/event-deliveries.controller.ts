import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IfMatch } from '../http/etag.js';
import { Endpoint } from '../http/endpoint.decorator.js';
import { mapPage } from '../http/pagination.js';
import { EventDeliveriesService } from './event-deliveries.service.js';
import { EventDeliveryListQuery } from './event-delivery.request.js';
import { EventDeliveryPage, EventDeliveryResponse, toEventDeliveryResponse } from './event-delivery.response.js';

@ApiTags('platform')
@Controller('api/v1/events/deliveries')
export class EventDeliveriesController {
  constructor(private readonly deliveries: EventDeliveriesService) {}

  @Get()
  @Endpoint({
    operationId: 'platform_listEventDeliveries',
    summary: 'List event deliveries (e.g. the parked ones)',
    description: 'One row per (event, consumer). `status=parked`: deliveries that exhausted their retries and wait for an administrator.',
    permission: 'platform.event-delivery:read',
  })
  @ApiOkResponse({ type: EventDeliveryPage })
  async list(@Query() query: EventDeliveryListQuery) {
    return mapPage(await this.deliveries.list(query), toEventDeliveryResponse);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @Endpoint({
    operationId: 'platform_retryEventDelivery',
    summary: 'Retry a parked or failing delivery now',
    description: 'Resets the attempts and makes the delivery due at once; the dispatcher delivers it (in order after earlier pending events of its aggregate).',
    permission: 'platform.event-delivery:retry',
    errors: [404, 409],
    idempotent: true,
    ifMatch: true,
  })
  @ApiOkResponse({ type: EventDeliveryResponse })
  async retry(@Param('id', ParseUUIDPipe) id: string, @IfMatch() version?: number) {
    return toEventDeliveryResponse(await this.deliveries.retry(id, version));
  }
}
