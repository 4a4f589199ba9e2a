import { Injectable } from '@nestjs/common';
import { Brackets, In } from 'typeorm';
import { AuditLog } from '../../../platform/audit/audit-log.js';
import { Transactional, Tx } from '../../../platform/database/transaction.js';
import { assertVersion, updateVersioned } from '../../../platform/database/versioned-update.js';
import { DomainError, NotFoundError, StaleVersionError } from '../../../platform/errors/domain-error.js';
import { assertTransition } from '../../../platform/errors/transitions.js';
import { type Page, type PageQuery, paginate } from '../../../platform/http/pagination.js';
import type { Actor } from '../../../platform/identity/domain/actor.js';
import { Clock } from '../../../platform/scheduling/clock.js';
import { ApprovalInstance, ApprovalStep, WorkflowTask } from '../domain/approval-instance.entity.js';
import { DECISION_STATUS, TASK_TRANSITIONS, isReplayedDecision, type Decision, type TaskStatus } from '../domain/approval.rules.js';
import { selfApprovers } from '../domain/approver.rules.js';
import { ApprovalEngine } from './approval-engine.service.js';
import { seesAllApprovals } from './approval.service.js';
import { WorkflowReferences } from './workflow-references.js';

export interface TaskListQuery extends PageQuery {
  /** `me` or a user id. */
  assignee?: string;
  status?: TaskStatus;
  kind?: 'approval' | 'action';
  approvalId?: string;
}

/** A task with what the inbox shows about its subject and step. */
export interface TaskView {
  task: WorkflowTask;
  instance: ApprovalInstance | null;
  step: ApprovalStep | null;
}

/**
 * The task inbox and the decisions on tasks. A decision locks its instance first, so two
 * approvers acting at the same moment are applied one after the other: the second sees the
 * task already closed (`any` step) and gets 409; an identical repeat by the same actor
 * answers the original result.
 */
@Injectable()
export class TaskService {
  constructor(
    private readonly tx: Tx,
    private readonly engine: ApprovalEngine,
    private readonly audit: AuditLog,
    private readonly users: WorkflowReferences,
    private readonly clock: Clock,
  ) {}

  private get em() {
    return this.tx.tx;
  }

  @Transactional()
  async list(actor: Actor, query: TaskListQuery): Promise<Page<TaskView>> {
    const qb = this.em.getRepository(WorkflowTask).createQueryBuilder('t');
    if (query.assignee) qb.andWhere('t.assigneeId = :assignee', { assignee: query.assignee === 'me' ? actor.userId : query.assignee });
    if (query.status) qb.andWhere('t.status = :status', { status: query.status });
    if (query.kind) qb.andWhere('t.kind = :kind', { kind: query.kind });
    if (query.approvalId) qb.andWhere('t.instanceId = :approvalId', { approvalId: query.approvalId });
    if (!seesAllApprovals(actor)) {
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('t.assigneeId = :me', { me: actor.userId })
            .orWhere('t.instanceId IN (SELECT i.id FROM workflow.approval_instance i WHERE i.requester_id = :me)'),
        ),
      );
    }
    const page = await paginate(qb, query, { sortable: { createdAt: 'createdAt' }, defaultSort: '-createdAt' });
    return { items: await this.views(page.items), nextCursor: page.nextCursor };
  }

  private async views(tasks: WorkflowTask[]): Promise<TaskView[]> {
    const instances = await this.engine.instancesByIds([...new Set(tasks.map((t) => t.instanceId).filter((x): x is string => !!x))]);
    const stepIds = [...new Set(tasks.map((t) => t.stepId).filter((x): x is string => !!x))];
    const steps = new Map(stepIds.length ? (await this.em.getRepository(ApprovalStep).findBy({ id: In(stepIds) })).map((s) => [s.id, s]) : []);
    return tasks.map((task) => ({ task, instance: task.instanceId ? instances.get(task.instanceId) ?? null : null, step: task.stepId ? steps.get(task.stepId) ?? null : null }));
  }

  private async canSee(actor: Actor, task: WorkflowTask): Promise<boolean> {
    if (seesAllApprovals(actor) || task.assigneeId === actor.userId) return true;
    if (!task.instanceId) return false;
    const instance = await this.em.getRepository(ApprovalInstance).findOneBy({ id: task.instanceId });
    return instance?.requesterId === actor.userId;
  }

  private async load(actor: Actor, id: string): Promise<WorkflowTask> {
    const task = await this.em.getRepository(WorkflowTask).findOneBy({ id });
    if (!task || !(await this.canSee(actor, task))) throw new NotFoundError('Task', id);
    return task;
  }

  @Transactional()
  async get(actor: Actor, id: string): Promise<TaskView> {
    return (await this.views([await this.load(actor, id)]))[0];
  }

  private assertAssignee(actor: Actor, task: WorkflowTask) {
    if (task.assigneeId !== actor.userId) throw new DomainError('forbidden', 'workflow.task.not-assignee', 'Only the assignee can act on this task');
  }

  /** Approve or reject an approval task. */
  @Transactional()
  async decide(actor: Actor, id: string, decision: Decision, comment: string | null, expectedVersion?: number): Promise<TaskView> {
    const seen = await this.load(actor, id);
    this.assertAssignee(actor, seen);
    if (seen.kind !== 'approval' || !seen.instanceId || !seen.stepId) {
      throw new DomainError('conflict', 'workflow.task.not-an-approval', 'This task is an action task: complete it instead');
    }
    const instance = await this.engine.lockInstance(seen.instanceId);
    const task = await this.em.getRepository(WorkflowTask).findOneByOrFail({ id });
    if (task.status !== 'open') {
      if (isReplayedDecision(task, decision, actor.userId)) return this.get(actor, id);
      throw new DomainError('conflict', 'workflow.task.closed', `This task is already ${task.status}`, { taskStatus: task.status });
    }
    assertVersion(expectedVersion, task.version);
    const step = await this.em.getRepository(ApprovalStep).findOneByOrFail({ id: task.stepId! });
    const status = DECISION_STATUS[decision];
    assertTransition(TASK_TRANSITIONS, 'workflow.task.closed', task.status, status);
    await updateVersioned(this.em, WorkflowTask, 'Task', id, task.version, { status, decidedBy: actor.userId, decidedAt: this.clock.now(), comment });
    await this.engine.history(instance.id, status, actor.userId, { stepIndex: step.stepIndex, comment }, step.id, id);
    await this.engine.afterDecision(instance, step, decision, actor.userId, comment);
    await this.audit.record({ actor, recordType: 'workflow.task', recordId: id, action: decision, before: { status: 'open' }, after: { status, comment } });
    return this.get(actor, id);
  }

  /** Hand an open approval task to another user; the task closes as `delegated` and a new one opens. */
  @Transactional()
  async delegate(actor: Actor, id: string, toUserId: string, comment: string | null, expectedVersion?: number): Promise<TaskView> {
    const seen = await this.load(actor, id);
    this.assertAssignee(actor, seen);
    if (seen.kind !== 'approval' || !seen.instanceId || !seen.stepId) {
      throw new DomainError('conflict', 'workflow.task.not-an-approval', 'Only approval tasks can be delegated');
    }
    if (toUserId === actor.userId) throw new DomainError('rule-violated', 'workflow.task.delegate-to-self', 'Delegate to someone else', {}, [{ field: 'toUserId', message: 'is yourself' }]);
    // Missing, inactive, not an employee, out of the caller's scope: one answer.
    await this.users.assertUser(actor, toUserId, 'toUserId', { code: 'workflow.task.unknown-delegate', active: true, employee: true });
    const instance = await this.engine.lockInstance(seen.instanceId);
    if (selfApprovers(instance).has(toUserId)) {
      throw new DomainError('rule-violated', 'workflow.task.delegate-to-requester', 'The requester of an approval cannot approve it', {}, [
        { field: 'toUserId', message: 'is the requester or submitter of this approval' },
      ]);
    }
    const task = await this.em.getRepository(WorkflowTask).findOneByOrFail({ id });
    assertTransition(TASK_TRANSITIONS, 'workflow.task.closed', task.status, 'delegated');
    assertVersion(expectedVersion, task.version);
    const step = await this.em.getRepository(ApprovalStep).findOneByOrFail({ id: task.stepId! });
    await updateVersioned(this.em, WorkflowTask, 'Task', id, task.version, { status: 'delegated', decidedBy: actor.userId, decidedAt: this.clock.now(), comment });
    const created = await this.engine.assign(instance, step, [{ userId: toUserId, via: 'delegated' }], task.dueAt, task.id);
    await this.engine.history(instance.id, 'delegated', actor.userId, { fromUserId: actor.userId, toUserId, newTaskIds: created.map((t) => t.id), comment }, step.id, id);
    await this.audit.record({ actor, recordType: 'workflow.task', recordId: id, action: 'delegate', before: { status: 'open', assigneeId: task.assigneeId }, after: { status: 'delegated', toUserId } });
    return this.get(actor, id);
  }

  /** Close an action task (created by an automation rule). */
  @Transactional()
  async complete(actor: Actor, id: string, comment: string | null, expectedVersion?: number): Promise<TaskView> {
    const task = await this.load(actor, id);
    this.assertAssignee(actor, task);
    if (task.kind !== 'action') throw new DomainError('conflict', 'workflow.task.is-an-approval', 'Approval tasks are approved or rejected, not completed');
    if (task.status === 'done' && task.decidedBy === actor.userId) return this.get(actor, id);
    assertTransition(TASK_TRANSITIONS, 'workflow.task.closed', task.status, 'done');
    const result = await this.em
      .createQueryBuilder()
      .update(WorkflowTask)
      .set({ status: 'done', decidedBy: actor.userId, decidedAt: this.clock.now(), comment, version: () => 'version + 1', updatedAt: () => 'now()' })
      .where('id = :id AND status = :open', { id, open: 'open' })
      .andWhere(expectedVersion !== undefined ? 'version = :v' : '1=1', { v: expectedVersion })
      .execute();
    if (result.affected === 0) {
      const now = await this.em.getRepository(WorkflowTask).findOneByOrFail({ id });
      if (now.status !== 'open') throw new DomainError('conflict', 'workflow.task.closed', `This task is already ${now.status}`);
      throw new StaleVersionError(expectedVersion!, now.version);
    }
    await this.audit.record({ actor, recordType: 'workflow.task', recordId: id, action: 'complete', before: { status: 'open' }, after: { status: 'done', comment } });
    return this.get(actor, id);
  }
}
