import { Injectable } from '@nestjs/common';
import { newId } from '../../../platform/database/base.entity.js';
import { Transactional, Tx } from '../../../platform/database/transaction.js';
import type { NewDomainEvent } from '../../../platform/events/domain-event.js';
import { EventPublisher } from '../../../platform/events/event-publisher.js';
import { OrgDirectory } from '../../../platform/identity/org-directory.js';
import { Clock } from '../../../platform/scheduling/clock.js';
import type { ApprovalEscalated, TaskReminderDue } from '../public/events.js';
import type { ApprovalInstance, WorkflowTask } from '../domain/approval-instance.entity.js';
import { escalationTargetsFor, escalationWithoutSelf, routeAvoidingSelf, selfApprovers, type ApproverResolution } from '../domain/approver.rules.js';
import type { StepTimeout } from '../domain/process-definition.rules.js';
import { ApprovalEngine } from './approval-engine.service.js';

interface TimedOutStep {
  id: string;
  instanceId: string;
  stepIndex: number;
  name: string;
  timeout: StepTimeout;
}

type InstanceFacts = Pick<ApprovalInstance, 'id' | 'subjectType' | 'subjectId' | 'subjectCode' | 'title' | 'status' | 'requesterId' | 'submittedBy'>;
type OpenTask = Pick<WorkflowTask, 'id' | 'stepId' | 'assigneeId' | 'title' | 'createdAt'>;

interface HistoryRow {
  id: string;
  instanceId: string;
  stepId: string | null;
  taskId: string | null;
  action: string;
  detail: Record<string, unknown>;
}

/**
 * Step timeouts, many at once (the `workflow.step-timeout` batch timer handler, the only
 * handler of that timer kind; the scheduler's fallback calls it with one timer). For a
 * batch it locks the instances (in id order), loads steps and open tasks in one query each,
 * resolves escalation targets with a handful of directory reads, and writes with one UPDATE,
 * two INSERTs and one `publishAll`. `remind` and `escalate` are handled here; `auto-approve` /
 * `auto-reject` (which close the step and move the instance on) go through the engine per step.
 */
@Injectable()
export class StepTimeouts {
  constructor(
    private readonly tx: Tx,
    private readonly engine: ApprovalEngine,
    private readonly events: EventPublisher,
    private readonly directory: OrgDirectory,
    private readonly clock: Clock,
  ) {}

  private get em() {
    return this.tx.tx;
  }

  @Transactional()
  async fire(stepIds: string[]): Promise<void> {
    if (stepIds.length === 0) return;
    const now = this.clock.now();
    // Serialises with decisions, which lock their instance too; id order avoids deadlocks between batches.
    // `= ANY(ARRAY(…))` makes it primary-key lookups (an IN semi-join hashed every instance).
    const instances: InstanceFacts[] = await this.em.query(
      `SELECT i.id, i.subject_type AS "subjectType", i.subject_id AS "subjectId", i.subject_code AS "subjectCode", i.title, i.status,
              i.requester_id AS "requesterId", i.submitted_by AS "submittedBy"
         FROM workflow.approval_instance i
        WHERE i.id = ANY(ARRAY(SELECT s.instance_id FROM workflow.approval_step s WHERE s.id = ANY($1::uuid[]) AND s.status = 'active' AND s.timeout IS NOT NULL))
        ORDER BY i.id FOR UPDATE OF i`,
      [stepIds],
    );
    const running = new Map(instances.filter((i) => i.status === 'running').map((i) => [i.id, i]));
    if (running.size === 0) return;
    const steps: TimedOutStep[] = (
      await this.em.query(
        `SELECT s.id, s.instance_id AS "instanceId", s.step_index AS "stepIndex", s.name, s.timeout
           FROM workflow.approval_step s
          WHERE s.id = ANY($1::uuid[]) AND s.status = 'active' AND s.timeout IS NOT NULL AND s.instance_id = ANY($2::uuid[])
          ORDER BY s.instance_id, s.step_index`,
        [stepIds, [...running.keys()]],
      )
    ).filter((s: TimedOutStep) => running.has(s.instanceId));

    const automatic = steps.filter((s) => s.timeout.action === 'auto-approve' || s.timeout.action === 'auto-reject');
    const bulk = steps.filter((s) => s.timeout.action === 'remind' || s.timeout.action === 'escalate');
    if (bulk.length) await this.remindAndEscalate(bulk, running, now);
    for (const step of automatic) await this.engine.onStepTimeout(step.id);
  }

  private async remindAndEscalate(steps: TimedOutStep[], instances: Map<string, InstanceFacts>, now: Date): Promise<void> {
    const openRows: OpenTask[] = await this.em.query(
      `SELECT t.id, t.step_id AS "stepId", t.assignee_id AS "assigneeId", t.title, t.created_at AS "createdAt"
         FROM workflow.task t WHERE t.step_id = ANY($1::uuid[]) AND t.status = 'open'
        ORDER BY t.step_id, t.created_at, t.id`,
      [steps.map((s) => s.id)],
    );
    const openByStep = new Map<string, OpenTask[]>();
    for (const task of openRows) openByStep.set(task.stepId!, [...(openByStep.get(task.stepId!) ?? []), task]);

    const escalating = steps.filter((s) => s.timeout.action === 'escalate');
    const toEscalate = escalating.flatMap((s) => openByStep.get(s.id) ?? []);
    const targets = await escalationTargetsFor(
      toEscalate.map((t) => t.assigneeId),
      this.directory,
    );
    // Never escalate to the request's own requester/submitter (rare: then one more level up).
    const targetOf = new Map<string, ApproverResolution>();
    for (const step of escalating) {
      const excluded = selfApprovers(instances.get(step.instanceId)!);
      for (const task of openByStep.get(step.id) ?? []) {
        targetOf.set(task.id, await escalationWithoutSelf(targets.get(task.assigneeId)!, task.assigneeId, excluded, this.directory));
      }
    }
    const delegations = [...targetOf.values()].some((t) => t.approvers.length) ? await this.engine.activeDelegations() : [];

    const history: HistoryRow[] = [];
    const created: WorkflowTask[] = [];
    const events: NewDomainEvent<object>[] = [];
    for (const step of steps) {
      const instance = instances.get(step.instanceId)!;
      const open = openByStep.get(step.id) ?? [];
      const { action, after } = step.timeout;
      history.push({ id: newId(), instanceId: instance.id, stepId: step.id, taskId: null, action: 'timeout', detail: { stepIndex: step.stepIndex, action, after, openTaskIds: open.map((t) => t.id) } });
      if (action === 'remind') {
        for (const task of open) {
          events.push({
            type: 'workflow.task.reminder-due',
            aggregateType: 'workflow.task',
            aggregateId: task.id,
            payload: { taskId: task.id, approvalId: instance.id, assigneeId: task.assigneeId, subjectType: instance.subjectType, subjectId: instance.subjectId, subjectCode: instance.subjectCode, title: task.title } satisfies TaskReminderDue,
          });
        }
        continue;
      }
      // Escalate every open task in order: it closes as `escalated` and its targets get a task,
      // at most one open task per person on the step (like ApprovalEngine.assign).
      const createdOnStep: string[] = [];
      const excluded = selfApprovers(instance);
      open.forEach((task, k) => {
        const target = targetOf.get(task.id)!;
        const existing = new Set([...open.slice(k + 1).map((t) => t.assigneeId), ...createdOnStep]);
        const mine: WorkflowTask[] = [];
        for (const approver of target.approvers) {
          const routed = routeAvoidingSelf(approver.userId, delegations, now, excluded);
          if (existing.has(routed.assigneeId)) continue;
          existing.add(routed.assigneeId);
          createdOnStep.push(routed.assigneeId);
          mine.push({
            id: newId(),
            kind: 'approval',
            instanceId: instance.id,
            stepId: step.id,
            assigneeId: routed.assigneeId,
            originalAssigneeId: routed.chain.length > 1 ? approver.userId : null,
            delegatedFromTaskId: task.id,
            via: routed.chain.length > 1 ? `${approver.via};delegation:${routed.chain.join('>')}` : approver.via,
            title: `${step.name}: ${instance.subjectCode} ${instance.title}`.slice(0, 500),
            status: 'open',
            dueAt: null,
          } as WorkflowTask);
        }
        created.push(...mine);
        for (const t of mine) {
          history.push({ id: newId(), instanceId: instance.id, stepId: step.id, taskId: t.id, action: 'task-assigned', detail: { assigneeId: t.assigneeId, originalAssigneeId: t.originalAssigneeId, via: t.via } });
        }
        events.push(...mine.map((t) => this.engine.assignedEvent(t, instance as ApprovalInstance)));
        const toUserIds = mine.map((t) => t.assigneeId);
        history.push({ id: newId(), instanceId: instance.id, stepId: step.id, taskId: task.id, action: 'escalated', detail: { fromTaskId: task.id, fromUserId: task.assigneeId, toUserIds, unresolvedReason: target.unresolvedReason } });
        events.push({
          type: 'workflow.approval.escalated',
          aggregateType: 'workflow.approval',
          aggregateId: instance.id,
          payload: { approvalId: instance.id, subjectType: instance.subjectType, subjectId: instance.subjectId, stepIndex: step.stepIndex, fromTaskId: task.id, fromUserId: task.assigneeId, toUserIds } satisfies ApprovalEscalated,
        });
      });
    }

    if (toEscalate.length) {
      const [{ n }]: { n: number }[] = await this.em.query(
        `WITH closed AS (
           UPDATE workflow.task SET status = 'escalated', decided_at = $2, version = version + 1, updated_at = now()
            WHERE id = ANY($1::uuid[]) AND status = 'open' RETURNING id)
         SELECT count(*)::int AS n FROM closed`,
        [toEscalate.map((t) => t.id), now],
      );
      // The instances are locked: nothing else can have closed these tasks since they were read.
      if (n !== toEscalate.length) throw new Error(`escalation: ${toEscalate.length - n} open tasks changed under the instance lock`);
    }
    if (created.length) {
      await this.em.query(
        `INSERT INTO workflow.task (id, kind, instance_id, step_id, assignee_id, original_assignee_id, delegated_from_task_id, via, title, status, due_at)
         SELECT id, 'approval', instance_id, step_id, assignee_id, original_assignee_id, delegated_from_task_id, via, title, 'open', NULL
           FROM jsonb_to_recordset($1::jsonb)
             AS x(id uuid, instance_id uuid, step_id uuid, assignee_id uuid, original_assignee_id uuid, delegated_from_task_id uuid, via text, title text)`,
        [
          JSON.stringify(
            created.map((t) => ({
              id: t.id,
              instance_id: t.instanceId,
              step_id: t.stepId,
              assignee_id: t.assigneeId,
              original_assignee_id: t.originalAssigneeId,
              delegated_from_task_id: t.delegatedFromTaskId,
              via: t.via,
              title: t.title,
            })),
          ),
        ],
      );
    }
    // One JSON document rather than parallel arrays (here and for the tasks above): array
    // parameters make the driver escape every element into an array literal, and a jsonb[] is
    // parsed twice by the server (≈ 30% slower measured for the history rows).
    await this.em.query(
      `INSERT INTO workflow.approval_history (id, instance_id, step_id, task_id, at, actor_id, action, detail)
       SELECT id, instance_id, step_id, task_id, $2, NULL, action, detail
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, instance_id uuid, step_id uuid, task_id uuid, action text, detail jsonb)`,
      [JSON.stringify(history.map((h) => ({ id: h.id, instance_id: h.instanceId, step_id: h.stepId, task_id: h.taskId, action: h.action, detail: h.detail }))), now],
    );
    if (events.length) await this.events.publishAll(events);
  }
}
