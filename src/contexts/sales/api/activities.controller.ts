import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../../../platform/http/endpoint.decorator.js';
import { IfMatch } from '../../../platform/http/etag.js';
import { mapPage, PageQuery } from '../../../platform/http/pagination.js';
import { CurrentActor, type Actor } from '../../../platform/identity/domain/actor.js';
import { ActivityService } from '../application/activity.service.js';
import { OwnershipTransferService } from '../application/ownership-transfer.service.js';
import { ActivityListQuery, CalendarQuery, CompleteActivityRequest, CreateActivityRequest, CreateOwnershipTransferRequest, UpdateActivityRequest } from './dto/activity.request.js';
import {
  ActivityPage, ActivityResponse, CalendarResponse, OwnershipTransferPage, OwnershipTransferResponse, toActivityResponse, toOwnershipTransferResponse,
} from './dto/activity.response.js';

@ApiTags('sales')
@Controller('api/v1/sales')
export class ActivitiesController {
  constructor(private readonly activities: ActivityService, private readonly transfers: OwnershipTransferService) {}

  @Post('activities')
  @Endpoint({
    operationId: 'sales_createActivity',
    summary: 'Book or log an activity',
    description:
      'An overlap with the owner’s open bookings → 409 `sales.activity.calendar-conflict` with `conflictingIds`, unless `allowConflict`. The `related` record must be visible to you (422 `sales.activity.unknown-related`), participants active users you can see (422 `sales.user.unknown` naming `participantIds[i]`), the owner a user in your scope (422 `sales.owner.unknown-user`); a missing and an out-of-scope id answer alike.',
    permission: 'sales.activity:create',
    errors: [409, 422],
    idempotent: true,
  })
  @ApiCreatedResponse({ type: ActivityResponse })
  async create(@CurrentActor() actor: Actor, @Body() { allowConflict, ...body }: CreateActivityRequest): Promise<ActivityResponse> {
    return toActivityResponse(await this.activities.create(actor, body, allowConflict));
  }

  @Get('activities')
  @Endpoint({ operationId: 'sales_listActivities', summary: 'List activities in your data scope', permission: 'sales.activity:read' })
  @ApiOkResponse({ type: ActivityPage })
  async list(@CurrentActor() actor: Actor, @Query() query: ActivityListQuery): Promise<ActivityPage> {
    return mapPage(await this.activities.list(actor, query), toActivityResponse);
  }

  @Get('calendar')
  @Endpoint({ operationId: 'sales_getCalendar', summary: 'Calendar of a user or an org unit for a range', permission: 'sales.activity:read' })
  @ApiOkResponse({ type: CalendarResponse })
  async calendar(@CurrentActor() actor: Actor, @Query() query: CalendarQuery): Promise<CalendarResponse> {
    return { items: (await this.activities.calendar(actor, query)).map(toActivityResponse) };
  }

  @Get('activities/:id')
  @Endpoint({ operationId: 'sales_getActivity', summary: 'Get an activity', permission: 'sales.activity:read', errors: [404] })
  @ApiOkResponse({ type: ActivityResponse })
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ActivityResponse> {
    return toActivityResponse(await this.activities.get(actor, id));
  }

  @Patch('activities/:id')
  @Endpoint({ operationId: 'sales_updateActivity', summary: 'Update an open activity', permission: 'sales.activity:update', errors: [404, 409, 422], ifMatch: true })
  @ApiOkResponse({ type: ActivityResponse })
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() { allowConflict, ...body }: UpdateActivityRequest,
    @IfMatch() version?: number,
  ): Promise<ActivityResponse> {
    return toActivityResponse(await this.activities.update(actor, id, version, body, allowConflict));
  }

  @Post('activities/:id/complete')
  @HttpCode(200)
  @Endpoint({ operationId: 'sales_completeActivity', summary: 'Complete an activity with its outcome', permission: 'sales.activity:complete', errors: [404, 409], idempotent: true, ifMatch: true })
  @ApiOkResponse({ type: ActivityResponse })
  async complete(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: CompleteActivityRequest, @IfMatch() version?: number): Promise<ActivityResponse> {
    return toActivityResponse(await this.activities.complete(actor, id, version, body.outcome ?? null));
  }

  @Delete('activities/:id')
  @HttpCode(204)
  @Endpoint({ operationId: 'sales_deleteActivity', summary: 'Delete an activity', permission: 'sales.activity:delete', errors: [404], ifMatch: true })
  @ApiNoContentResponse({ description: 'Deleted' })
  async delete(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @IfMatch() version?: number): Promise<void> {
    await this.activities.delete(actor, id, version);
  }

  @Post('ownership-transfers')
  @Endpoint({
    operationId: 'sales_transferOwnership',
    summary: 'Move a user’s accounts, contacts, leads, open opportunities and open activities to another user',
    description: 'Both users must exist and be inside your data scope for accounts, the receiver active; else 422 `sales.owner.unknown-user` naming the field (the same answer for a missing and an out-of-scope user).',
    permission: 'sales.ownership-transfer:create',
    errors: [422],
    idempotent: true,
  })
  @ApiCreatedResponse({ type: OwnershipTransferResponse })
  async transfer(@CurrentActor() actor: Actor, @Body() body: CreateOwnershipTransferRequest): Promise<OwnershipTransferResponse> {
    return toOwnershipTransferResponse(await this.transfers.transfer(actor, body.fromUserId, body.toUserId));
  }

  @Get('ownership-transfers')
  @Endpoint({ operationId: 'sales_listOwnershipTransfers', summary: 'List ownership transfers, newest first', permission: 'sales.ownership-transfer:read' })
  @ApiOkResponse({ type: OwnershipTransferPage })
  async transfers_(@Query() query: PageQuery): Promise<OwnershipTransferPage> {
    return mapPage(await this.transfers.list(query), toOwnershipTransferResponse);
  }
}
