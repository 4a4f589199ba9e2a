import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../../../platform/http/endpoint.decorator.js';
import { IfMatch } from '../../../platform/http/etag.js';
import { mapPage } from '../../../platform/http/pagination.js';
import { CurrentActor, type Actor } from '../../../platform/identity/domain/actor.js';
import { TaskService } from '../application/task.service.js';
import { DecideTaskRequest, DelegateTaskRequest, TaskListQuery } from './dto/task.request.js';
import { TaskPage, TaskResponse, toTaskResponse } from './dto/task.response.js';

@ApiTags('workflow')
@Controller('api/v1/workflow/tasks')
export class TasksController {
  constructor(private readonly tasks: TaskService) {}

  @Get()
  @Endpoint({ operationId: 'workflow_listTasks', summary: 'Task inbox (e.g. ?assignee=me&status=open) with subject code, title, amount, requester and due time', permission: 'workflow.task:read' })
  @ApiOkResponse({ type: TaskPage })
  async list(@CurrentActor() actor: Actor, @Query() query: TaskListQuery): Promise<TaskPage> {
    return mapPage(await this.tasks.list(actor, query), toTaskResponse);
  }

  @Get(':id')
  @Endpoint({ operationId: 'workflow_getTask', summary: 'Get a task', permission: 'workflow.task:read', errors: [404] })
  @ApiOkResponse({ type: TaskResponse })
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<TaskResponse> {
    return this.tasks.get(actor, id).then(toTaskResponse);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Endpoint({ operationId: 'workflow_approveTask', summary: 'Approve (assignee only); repeating the same decision answers the original result', permission: 'workflow.task:decide', errors: [404, 409], idempotent: true, ifMatch: true })
  @ApiOkResponse({ type: TaskResponse })
  approve(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: DecideTaskRequest, @IfMatch() version?: number): Promise<TaskResponse> {
    return this.tasks.decide(actor, id, 'approve', body.comment ?? null, version).then(toTaskResponse);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Endpoint({ operationId: 'workflow_rejectTask', summary: 'Reject (assignee only); the approval ends rejected', permission: 'workflow.task:decide', errors: [404, 409], idempotent: true, ifMatch: true })
  @ApiOkResponse({ type: TaskResponse })
  reject(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: DecideTaskRequest, @IfMatch() version?: number): Promise<TaskResponse> {
    return this.tasks.decide(actor, id, 'reject', body.comment ?? null, version).then(toTaskResponse);
  }

  @Post(':id/delegate')
  @HttpCode(200)
  @Endpoint({ operationId: 'workflow_delegateTask', summary: 'Hand an open approval task to another user', description: 'Hand an open approval task to another active employee: the task closes as `delegated` and theirs opens. Not to yourself, nor to the requester or submitter of the approval (422 `workflow.task.delegate-to-requester`).', permission: 'workflow.task:delegate', errors: [404, 409, 422], idempotent: true, ifMatch: true })
  @ApiOkResponse({ type: TaskResponse })
  delegate(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: DelegateTaskRequest, @IfMatch() version?: number): Promise<TaskResponse> {
    return this.tasks.delegate(actor, id, body.toUserId, body.comment ?? null, version).then(toTaskResponse);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @Endpoint({ operationId: 'workflow_completeTask', summary: 'Complete an action task created by an automation rule', permission: 'workflow.task:decide', errors: [404, 409], idempotent: true, ifMatch: true })
  @ApiOkResponse({ type: TaskResponse })
  complete(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: DecideTaskRequest, @IfMatch() version?: number): Promise<TaskResponse> {
    return this.tasks.complete(actor, id, body.comment ?? null, version).then(toTaskResponse);
  }
}
