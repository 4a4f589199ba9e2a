import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../../../platform/http/endpoint.decorator.js';
import { IfMatch } from '../../../platform/http/etag.js';
import { mapPage } from '../../../platform/http/pagination.js';
import { CurrentActor, type Actor } from '../../../platform/identity/domain/actor.js';
import { ApprovalService } from '../application/approval.service.js';
import { ApprovalListQuery, RecallApprovalRequest } from './dto/approval.request.js';
import { ApprovalDetailResponse, ApprovalPage, toApprovalDetailResponse, toApprovalResponse } from './dto/approval.response.js';

@ApiTags('workflow')
@Controller('api/v1/workflow/approvals')
export class ApprovalsController {
  constructor(private readonly approvals: ApprovalService) {}

  @Get()
  @Endpoint({ operationId: 'workflow_listApprovals', summary: 'List approval instances in scope (requester, approver, or all for admins)', permission: 'workflow.approval:read' })
  @ApiOkResponse({ type: ApprovalPage })
  async list(@CurrentActor() actor: Actor, @Query() query: ApprovalListQuery): Promise<ApprovalPage> {
    return mapPage(await this.approvals.list(actor, query), toApprovalResponse);
  }

  @Get(':id')
  @Endpoint({ operationId: 'workflow_getApproval', summary: 'Get an approval with its steps, tasks and history', permission: 'workflow.approval:read', errors: [404] })
  @ApiOkResponse({ type: ApprovalDetailResponse })
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ApprovalDetailResponse> {
    return this.approvals.get(actor, id).then(toApprovalDetailResponse);
  }

  @Post(':id/recall')
  @HttpCode(200)
  @Endpoint({ operationId: 'workflow_recallApproval', summary: 'Recall a running approval (requester only)', permission: 'workflow.approval:recall', errors: [404, 409], idempotent: true, ifMatch: true })
  @ApiOkResponse({ type: ApprovalDetailResponse })
  recall(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: RecallApprovalRequest, @IfMatch() version?: number): Promise<ApprovalDetailResponse> {
    return this.approvals.recall(actor, id, body.comment ?? null, version).then(toApprovalDetailResponse);
  }
}
