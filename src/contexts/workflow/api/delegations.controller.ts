import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../../../platform/http/endpoint.decorator.js';
import { mapPage } from '../../../platform/http/pagination.js';
import { CurrentActor, type Actor } from '../../../platform/identity/domain/actor.js';
import { DelegationService } from '../application/delegation.service.js';
import { CreateDelegationRequest, DelegationListQuery } from './dto/delegation.request.js';
import { DelegationPage, DelegationResponse, toDelegationResponse } from './dto/delegation.response.js';

@ApiTags('workflow')
@Controller('api/v1/workflow/delegations')
export class DelegationsController {
  constructor(private readonly delegations: DelegationService) {}

  @Get()
  @Endpoint({ operationId: 'workflow_listDelegations', summary: 'List out-of-office delegations (own, or all for admins)', permission: 'workflow.delegation:read' })
  @ApiOkResponse({ type: DelegationPage })
  async list(@CurrentActor() actor: Actor, @Query() query: DelegationListQuery): Promise<DelegationPage> {
    return mapPage(await this.delegations.list(actor, query), toDelegationResponse);
  }

  @Post()
  @Endpoint({ operationId: 'workflow_createDelegation', summary: 'Route new tasks of a user to a deputy during a window', permission: 'workflow.delegation:create', errors: [422], idempotent: true })
  @ApiCreatedResponse({ type: DelegationResponse })
  create(@CurrentActor() actor: Actor, @Body() body: CreateDelegationRequest): Promise<DelegationResponse> {
    return this.delegations
      .create(actor, { fromUserId: body.fromUserId, toUserId: body.toUserId, startsAt: new Date(body.startsAt), endsAt: new Date(body.endsAt), reason: body.reason })
      .then(toDelegationResponse);
  }

  @Delete(':id')
  @HttpCode(204)
  @Endpoint({ operationId: 'workflow_deleteDelegation', summary: 'Delete a delegation', permission: 'workflow.delegation:delete', errors: [404] })
  @ApiNoContentResponse({ description: 'Deleted' })
  async remove(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.delegations.remove(actor, id);
  }
}
