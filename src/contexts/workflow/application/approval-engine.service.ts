import { Injectable, Logger } from '@nestjs/common';
import { In, LessThanOrEqual, MoreThan } from 'typeorm';
import { newId } from '../../../platform/database/base.entity.js';
import { Transactional, Tx } from '../../../platform/database/transaction.js';
import type { DomainEvent } from '../../../platform/events/domain-event.js';
import { EventPublisher } from '../../../platform/events/event-publisher.js';
import { OrgDirectory } from '../../../platform/identity/application/org-directory.js';
import { Clock } from '../../../platform/scheduling/clock.js';
import { Timers } from '../../../platform/scheduling/timers.js';
import { APPROVAL_RESULT_EVENTS, type ApprovalDecided, type ApprovalOutcome, type ApprovalRequested, type ApprovalStarted, type ApprovalWithdrawn } from '../public/approval-contract.js';
import type { ApprovalStepStarted, TaskAssigned } from '../public/events.js';
import { ApprovalHistoryEntry, ApprovalInstance, ApprovalStep, WorkflowTask } from '../domain/approval-instance.entity.js';
import { stepOutcomeAfter, type Decision } from '../domain/approval.rules.js';
import { resolveApprovers, routeAvoidingSelf, selfApprovers, type ResolvedApprover } from '../domain/approver.rules.js';
import { Delegation } from '../domain/delegation.entity.js';
import { addIsoDuration, planSteps, selectDefinition } from '../domain/process-definition.rules.js';
import { ProcessDefinition, ProcessDefinitionVersion } from '../domain/process-definition.entity.js';

export const STEP_TIMEOUT_TIMER = 'workflow.step-timeout';
export interface StepTimeoutPayload {
  stepId: string;
}

/** The definition version a subject would run on (latest version of each active definition). */
export interface ChosenDefinition {
  definition: ProcessDefinition;
  version: ProcessDefinitionVersion;
}

/**
 * The approval engine: starts instances from approval requests, activates steps (approvers,
 * delegations, fallbacks, timers), applies decisions and timeouts, and finishes instances with
 * exactly one result event. Every method joins the caller's transaction; decisions on one
 * instance are serialized by locking its row (`lockInstance`).
 */
@Injectable()
export class ApprovalEngine {
  private readonly logger = new Logger(ApprovalEngine.name);

  constructor(
    private readonly tx: Tx,
    private readonly events: EventPublisher,
    private readonly directory: OrgDirectory,
    private readonly timers: Timers,
    private readonly clock: Clock,
  ) {}

  private get em() {
    return this.tx.tx;
  }

  /** The matching definition for a subject: most specific entry criteria, latest version. */
  async chooseDefinition(subject: Pick<ApprovalRequested, 'subjectType'> & object): Promise<ChosenDefinition | null> {
    const definitions = await this.em.getRepository(ProcessDefinition).find({ where: { subjectType: subject.subjectType, active: true } });
    if (definitions.length === 0) return null;
    const versions = await this.em
      .getRepository(ProcessDefinitionVersion)
      .createQueryBuilder('v')
      .innerJoin(ProcessDefinition, 'd', 'd.id = v.definitionId AND d.version = v.number')
      .where('v.definitionId IN (:...ids)', { ids: definitions.map((d) => d.id) })
      .getMany();
    const byId = new Map(definitions.map((d) => [d.id, d]));
    const candidates = versions.map((v) => {
      const definition = byId.get(v.definitionId)!;
      return { definitionId: definition.id, key: definition.key, version: v.number, entryCriteria: v.entryCriteria, createdAt: definition.createdAt, definition, v };
    });
    const chosen = selectDefinition(candidates, subject);
    return chosen ? { definition: chosen.definition, version: chosen.v } : null;
  }

  /** Consumes `<ctx>.<subject>.approval-requested`. Idempotent per request event and per running subject. */
  @Transactional()
  async start(event: DomainEvent<ApprovalRequested>): Promise<ApprovalInstance | null> {
    const request = event.payload;
    const instances = this.em.getRepository(ApprovalInstance);
    if (await instances.existsBy({ requestEventId: event.id })) return null;
    const running = await instances.findOneBy({ subjectType: request.subjectType, subjectId: request.subjectId, status: 'running' });
    if (running) {
      await this.history(running.id, 'duplicate-request-ignored', null, { requestEventId: event.id });
      this.logger.warn(`Approval for ${request.subjectType} ${request.subjectId} is already running (${running.id}); request ${event.id} ignored`);
      return null;
    }
    const now = this.clock.now();
    const chosen = await this.chooseDefinition(request);
    const instance = instances.create({
      id: newId(),
      subjectType: request.subjectType,
      subjectId: request.subjectId,
      subjectCode: request.subjectCode,
      title: request.title,
      requesterId: request.requesterId,
      submittedBy: event.actorId && event.actorId !== request.requesterId ? event.actorId : null,
      requesterOrgUnitId: request.requesterOrgUnitId ?? null,
      amountMinor: request.amountMinor ?? null,
      currency: request.currency ?? null,
      attributes: request.attributes ?? {},
      definitionId: chosen?.definition.id ?? null,
      definitionKey: chosen?.definition.key ?? null,
      definitionVersion: chosen?.version.number ?? null,
      status: 'running',
      currentStepIndex: null,
      decidedBy: null,
      decisionComment: null,
      automatic: false,
      completedAt: null,
      requestEventId: event.id,
    });
    await instances.insert(instance);
    await this.history(instance.id, 'started', event.actorId ?? request.requesterId, {
      requestEventId: event.id,
      definitionKey: instance.definitionKey,
      definitionVersion: instance.definitionVersion,
    });
    await this.events.publish<ApprovalStarted>({
      type: 'workflow.approval.started',
      aggregateType: 'workflow.approval',
      aggregateId: instance.id,
      payload: { approvalId: instance.id, subjectType: instance.subjectType, subjectId: instance.subjectId, definitionKey: instance.definitionKey, definitionVersion: instance.definitionVersion },
    });
    if (!chosen) {
      await this.history(instance.id, 'auto-approved', null, { reason: `no active process definition for ${request.subjectType} matches` });
      await this.finish(instance, 'approved', null, null, true);
      return instance;
    }
    const plan = planSteps(chosen.version.steps, request);
    const steps = plan.map(({ index, step, applies }) =>
      this.em.getRepository(ApprovalStep).create({
        id: newId(),
        instanceId: instance.id,
        stepIndex: index,
        name: step.name,
        mode: step.mode,
        approver: step.approver,
        condition: step.condition ?? null,
        timeout: step.timeout ?? null,
        status: applies ? 'pending' : 'skipped',
        startedAt: null,
        dueAt: null,
        completedAt: applies ? null : now,
        unresolvedReason: null,
      }),
    );
    await this.em.getRepository(ApprovalStep).insert(steps);
    for (const s of steps.filter((x) => x.status === 'skipped')) {
      await this.history(instance.id, 'step-skipped', null, { stepIndex: s.stepIndex, name: s.name, reason: 'condition does not hold' }, s.id);
    }
    await this.advance(instance, null);
    return instance;
  }

  /** Consumes `<ctx>.<subject>.approval-withdrawn`: closes the running instance as recalled. */
  @Transactional()
  async withdraw(event: DomainEvent<ApprovalWithdrawn>): Promise<void> {
    const { subjectType, subjectId, requesterId, reason } = event.payload;
    const running = await this.em.getRepository(ApprovalInstance).findOneBy({ subjectType, subjectId, status: 'running' });
    if (!running) return;
    const instance = await this.lockInstance(running.id);
    if (instance.status !== 'running') return;
    await this.recall(instance, event.actorId ?? requesterId, reason ?? null, 'withdrawn');
  }

  /** Locks the instance row for the rest of the transaction: serializes decisions and timers on one instance. */
  async lockInstance(id: string): Promise<ApprovalInstance> {
    const instance = await this.em.getRepository(ApprovalInstance).createQueryBuilder('i').setLock('pessimistic_write').where('i.id = :id', { id }).getOne();
    if (!instance) throw new Error(`Approval instance ${id} vanished`);
    return instance;
  }

  /** Closes a running instance as recalled: open tasks and live steps are cancelled. */
  async recall(instance: ApprovalInstance, actorId: string | null, comment: string | null, how: 'recalled' | 'withdrawn'): Promise<ApprovalInstance> {
    const now = this.clock.now();
    const active = await this.em.getRepository(ApprovalStep).findBy({ instanceId: instance.id, status: 'active' });
    for (const step of active) await this.timers.cancel(STEP_TIMEOUT_TIMER, step.id);
    await this.em
      .createQueryBuilder()
      .update(ApprovalStep)
      .set({ status: 'cancelled', completedAt: now, version: () => 'version + 1' })
      .where('instance_id = :id AND status IN (:...live)', { id: instance.id, live: ['active', 'pending'] })
      .execute();
    await this.closeOpenTasks({ instanceId: instance.id }, 'cancelled', now);
    await this.history(instance.id, how, actorId, { comment });
    return this.finish(instance, 'recalled', actorId, comment, false);
  }

  /** After a decision was recorded on one task of the active step. */
  async afterDecision(instance: ApprovalInstance, step: ApprovalStep, decision: Decision, actorId: string, comment: string | null): Promise<ApprovalInstance> {
    const open = await this.em.getRepository(WorkflowTask).countBy({ stepId: step.id, status: 'open' });
    const outcome = stepOutcomeAfter(step.mode, decision, open);
    if (outcome === 'pending') return instance;
    await this.closeStep(instance, step, outcome, actorId, false);
    if (outcome === 'rejected') return this.finish(instance, 'rejected', actorId, comment, false);
    return this.advance(instance, { actorId, comment, automatic: false });
  }

  private async closeStep(instance: ApprovalInstance, step: ApprovalStep, outcome: 'approved' | 'rejected', actorId: string | null, automatic: boolean) {
    const now = this.clock.now();
    const result = await this.em
      .createQueryBuilder()
      .update(ApprovalStep)
      .set({ status: outcome, completedAt: now, version: () => 'version + 1' })
      .where('id = :id AND status = :active', { id: step.id, active: 'active' })
      .execute();
    if (result.affected === 0) throw new Error(`Step ${step.id} was not active`);
    const silenced = await this.closeOpenTasks({ stepId: step.id }, 'no-response', now);
    await this.timers.cancel(STEP_TIMEOUT_TIMER, step.id);
    await this.history(instance.id, `step-${outcome}`, actorId, { stepIndex: step.stepIndex, name: step.name, automatic, noResponse: silenced }, step.id);
  }

  /** Marks every open task matching `where` with a closing status; returns their assignees. */
  private async closeOpenTasks(where: { stepId?: string; instanceId?: string }, status: 'no-response' | 'cancelled', now: Date): Promise<string[]> {
    const qb = this.em
      .createQueryBuilder()
      .update(WorkflowTask)
      .set({ status, decidedAt: now, version: () => 'version + 1', updatedAt: () => 'now()' })
      .where('status = :open', { open: 'open' })
      .returning(['assignee_id']);
    if (where.stepId) qb.andWhere('step_id = :stepId', { stepId: where.stepId });
    if (where.instanceId) qb.andWhere('instance_id = :instanceId', { instanceId: where.instanceId });
    const result = await qb.execute();
    return ((result.raw as Array<{ assignee_id: string }>) ?? []).map((r) => r.assignee_id);
  }

  /** Activates the next pending step, or finishes the instance approved when none is left. */
  private async advance(instance: ApprovalInstance, last: { actorId: string | null; comment: string | null; automatic: boolean } | null): Promise<ApprovalInstance> {
    const next = await this.em.getRepository(ApprovalStep).findOne({ where: { instanceId: instance.id, status: 'pending' }, order: { stepIndex: 'ASC' } });
    if (!next) return this.finish(instance, 'approved', last?.actorId ?? null, last?.comment ?? null, last?.automatic ?? true);
    await this.activateStep(instance, next);
    return instance;
  }

  private async activateStep(instance: ApprovalInstance, step: ApprovalStep): Promise<void> {
    const now = this.clock.now();
    const resolution = await resolveApprovers(
      step.approver,
      { requesterId: instance.requesterId, requesterOrgUnitId: instance.requesterOrgUnitId, submittedBy: instance.submittedBy },
      this.directory,
    );
    if (resolution.fallback) {
      await this.history(instance.id, 'approver-unresolved', null, { stepIndex: step.stepIndex, reason: resolution.unresolvedReason, fallbackRole: 'admin', approverIds: resolution.approvers.map((a) => a.userId) }, step.id);
    }
    const dueAt = step.timeout ? addIsoDuration(now, step.timeout.after) : null;
    await this.em
      .createQueryBuilder()
      .update(ApprovalStep)
      .set({ status: 'active', startedAt: now, dueAt, unresolvedReason: resolution.unresolvedReason, version: () => 'version + 1' })
      .where('id = :id AND status = :pending', { id: step.id, pending: 'pending' })
      .execute();
    await this.em.getRepository(ApprovalInstance).update({ id: instance.id }, { currentStepIndex: step.stepIndex });
    instance.currentStepIndex = step.stepIndex;
    const tasks = await this.assign(instance, step, resolution.approvers, dueAt, null);
    if (tasks.length === 0) {
      await this.history(instance.id, 'no-approver', null, { stepIndex: step.stepIndex, reason: `${resolution.unresolvedReason ?? 'nobody'}; and nobody holds the admin role` }, step.id);
    }
    await this.history(instance.id, 'step-started', null, { stepIndex: step.stepIndex, name: step.name, mode: step.mode, approverIds: tasks.map((t) => t.assigneeId), dueAt }, step.id);
    await this.events.publish<ApprovalStepStarted>({
      type: 'workflow.approval.step-started',
      aggregateType: 'workflow.approval',
      aggregateId: instance.id,
      payload: {
        approvalId: instance.id,
        subjectType: instance.subjectType,
        subjectId: instance.subjectId,
        stepIndex: step.stepIndex,
        stepName: step.name,
        mode: step.mode,
        approverIds: tasks.map((t) => t.assigneeId),
        dueAt: dueAt?.toISOString() ?? null,
        unresolvedReason: resolution.unresolvedReason,
      },
    });
    if (dueAt) await this.timers.schedule<StepTimeoutPayload>({ kind: STEP_TIMEOUT_TIMER, key: step.id, dueAt, payload: { stepId: step.id } });
  }

  /** Delegation windows active now for these users (and whoever they delegate to). */
  async activeDelegations(): Promise<Delegation[]> {
    const now = this.clock.now();
    return this.em.getRepository(Delegation).find({ where: { startsAt: LessThanOrEqual(now), endsAt: MoreThan(now) } });
  }

  /**
   * Creates one open task per (delegation-rerouted) approver, at most one per person per step.
   * An out-of-office delegation that would hand the task to the requester or submitter is not
   * followed: the approver keeps the task.
   */
  async assign(instance: ApprovalInstance, step: ApprovalStep, approvers: ResolvedApprover[], dueAt: Date | null, delegatedFromTaskId: string | null): Promise<WorkflowTask[]> {
    const now = this.clock.now();
    const delegations = approvers.length ? await this.activeDelegations() : [];
    const excluded = selfApprovers(instance);
    const repo = this.em.getRepository(WorkflowTask);
    const existing = new Set((await repo.findBy({ stepId: step.id, status: 'open' })).map((t) => t.assigneeId));
    const tasks: WorkflowTask[] = [];
    for (const approver of approvers) {
      const routed = routeAvoidingSelf(approver.userId, delegations, now, excluded);
      if (existing.has(routed.assigneeId)) continue;
      existing.add(routed.assigneeId);
      const task = repo.create({
        id: newId(),
        kind: 'approval',
        instanceId: instance.id,
        stepId: step.id,
        assigneeId: routed.assigneeId,
        originalAssigneeId: routed.chain.length > 1 ? approver.userId : null,
        delegatedFromTaskId,
        via: routed.chain.length > 1 ? `${approver.via};delegation:${routed.chain.join('>')}` : approver.via,
        title: `${step.name}: ${instance.subjectCode} ${instance.title}`.slice(0, 500),
        status: 'open',
        decidedBy: null,
        decidedAt: null,
        comment: null,
        dueAt,
        ruleId: null,
        sourceEventId: null,
      });
      tasks.push(task);
    }
    if (tasks.length === 0) return tasks;
    await repo.insert(tasks);
    for (const task of tasks) {
      await this.history(instance.id, 'task-assigned', null, { assigneeId: task.assigneeId, originalAssigneeId: task.originalAssigneeId, via: task.via }, step.id, task.id);
    }
    await this.events.publishAll(tasks.map((task) => this.assignedEvent(task, instance)));
    return tasks;
  }

  assignedEvent(task: WorkflowTask, instance: ApprovalInstance | null) {
    return {
      type: 'workflow.task.assigned',
      aggregateType: 'workflow.task',
      aggregateId: task.id,
      payload: {
        taskId: task.id,
        kind: task.kind,
        assigneeId: task.assigneeId,
        originalAssigneeId: task.originalAssigneeId,
        approvalId: instance?.id ?? null,
        subjectType: instance?.subjectType ?? null,
        subjectId: instance?.subjectId ?? null,
        subjectCode: instance?.subjectCode ?? null,
        title: task.title,
        dueAt: task.dueAt?.toISOString() ?? null,
      } satisfies TaskAssigned,
    };
  }

  /** Finishes the instance (conditional on it still running) and publishes its one result event. */
  private async finish(instance: ApprovalInstance, outcome: ApprovalOutcome, decidedBy: string | null, comment: string | null, automatic: boolean): Promise<ApprovalInstance> {
    const now = this.clock.now();
    const result = await this.em
      .createQueryBuilder()
      .update(ApprovalInstance)
      .set({ status: outcome, decidedBy, decisionComment: comment, automatic, completedAt: now, version: () => 'version + 1', updatedAt: () => 'now()' })
      .where('id = :id AND status = :running', { id: instance.id, running: 'running' })
      .execute();
    if (result.affected === 0) throw new Error(`Approval ${instance.id} is no longer running`);
    await this.history(instance.id, `completed:${outcome}`, decidedBy, { automatic, comment });
    await this.events.publish<ApprovalDecided>({
      type: APPROVAL_RESULT_EVENTS[outcome],
      aggregateType: 'workflow.approval',
      aggregateId: instance.id,
      payload: { approvalId: instance.id, subjectType: instance.subjectType, subjectId: instance.subjectId, outcome, decidedBy, comment, automatic, decidedAt: now.toISOString() },
    });
    return this.em.getRepository(ApprovalInstance).findOneByOrFail({ id: instance.id });
  }

  /**
   * Timer (through `StepTimeouts.fire`, the `workflow.step-timeout` batch handler): the active
   * step's `auto-approve` / `auto-reject` timeout passed. Closes the step and moves the instance
   * on. `remind` and `escalate` are set-based in `StepTimeouts`, never here.
   */
  @Transactional()
  async onStepTimeout(stepId: string): Promise<void> {
    const found = await this.em.getRepository(ApprovalStep).findOneBy({ id: stepId });
    if (!found || found.status !== 'active' || !found.timeout) return;
    const instance = await this.lockInstance(found.instanceId);
    const step = await this.em.getRepository(ApprovalStep).findOneByOrFail({ id: stepId });
    if (instance.status !== 'running' || step.status !== 'active' || !step.timeout) return;
    const { action, after } = step.timeout;
    if (action !== 'auto-approve' && action !== 'auto-reject') throw new Error(`Step ${stepId}: a '${action}' timeout is handled by StepTimeouts, not the engine`);
    const open = await this.em.getRepository(WorkflowTask).find({ where: { stepId, status: 'open' }, order: { createdAt: 'ASC', id: 'ASC' } });
    await this.history(instance.id, 'timeout', null, { stepIndex: step.stepIndex, action, after, openTaskIds: open.map((t) => t.id) }, step.id);
    const comment = `Timed out after ${after}`;
    if (action === 'auto-reject') {
      await this.closeStep(instance, step, 'rejected', null, true);
      await this.finish(instance, 'rejected', null, comment, true);
      return;
    }
    await this.closeStep(instance, step, 'approved', null, true);
    await this.advance(instance, { actorId: null, comment, automatic: true });
  }

  async history(instanceId: string, action: string, actorId: string | null, detail: Record<string, unknown>, stepId: string | null = null, taskId: string | null = null): Promise<void> {
    await this.em.getRepository(ApprovalHistoryEntry).insert({ id: newId(), instanceId, stepId, taskId, at: this.clock.now(), actorId, action, detail: detail as never });
  }

  async instancesByIds(ids: string[]): Promise<Map<string, ApprovalInstance>> {
    if (ids.length === 0) return new Map();
    const rows = await this.em.getRepository(ApprovalInstance).findBy({ id: In(ids) });
    return new Map(rows.map((r) => [r.id, r]));
  }
}

