import { Injectable } from '@nestjs/common';
import { newId } from '../../../platform/database/base.entity.js';
import { Transactional, Tx } from '../../../platform/database/transaction.js';
import type { NewDomainEvent } from '../../../platform/events/domain-event.js';
import { EventPublisher } from '../../../platform/events/event-publisher.js';
import { OrgDirectory } from '../../../platform/identity/application/org-directory.js';
import { Clock } from '../../../platform/scheduling/clock.js';
import type { ApprovalEscalated, TaskReminderDue } from '../public/events.js';
import type { ApprovalInstance, WorkflowTask } from '../domain/approval-instance.entity.js';
import { escalationTargetsFor, escalationWithoutSelf, selfApprovers, type ApproverResolution } from '../domain/approver.rules.js';
import { dueSteps, planStepTimeouts, tasksToEscalate, type OpenTaskFacts, type StepTimeoutPlan, type TimedOutStep, type TimeoutInstance, type TimeoutNotice } from '../domain/step-timeout.rules.js';
import { ApprovalEngine } from './approval-engine.service.js';

/**
 * Step timeouts, many at once (the `workflow.step-timeout` batch timer handler, the only
 * handler of that timer kind; the scheduler's fallback calls it with one timer). For a batch it
 * locks the instances (in id order), loads steps and open tasks in one query each, resolves
 * escalation targets with a handful of directory reads, lets the pure plan
 * (`domain/step-timeout.rules.ts`) decide, and writes `remind` / `escalate` with one UPDATE, two
 * multi-row INSERTs and one `publishAll`; `auto-approve` / `auto-reject` (which close the step
 * and move the instance on) go through the engine per step.
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
    const instances: TimeoutInstance[] = await this.em.query(
      `SELECT i.id, i.subject_type AS "subjectType", i.subject_id AS "subjectId", i.subject_code AS "subjectCode", i.title, i.status,
              i.requester_id AS "requesterId", i.submitted_by AS "submittedBy"
         FROM workflow.approval_instance i
        WHERE i.id = ANY(ARRAY(SELECT s.instance_id FROM workflow.approval_step s WHERE s.id = ANY($1::uuid[]) AND s.status = 'active' AND s.timeout IS NOT NULL))
        ORDER BY i.id FOR UPDATE OF i`,
      [stepIds],
    );
    const running = new Map(instances.filter((i) => i.status === 'running').map((i) => [i.id, i]));
    if (running.size === 0) return;
    const steps: TimedOutStep[] = await this.em.query(
      `SELECT s.id, s.instance_id AS "instanceId", s.step_index AS "stepIndex", s.name, s.status, s.timeout
         FROM workflow.approval_step s
        WHERE s.id = ANY($1::uuid[]) AND s.status = 'active' AND s.timeout IS NOT NULL AND s.instance_id = ANY($2::uuid[])
        ORDER BY s.instance_id, s.step_index`,
      [stepIds, [...running.keys()]],
    );
    const { setBased } = dueSteps({ instances, steps });
    let openTasks: OpenTaskFacts[] = [];
    let escalationTargets = new Map<string, ApproverResolution>();
    if (setBased.length) {
      openTasks = await this.em.query(
        `SELECT t.id, t.step_id AS "stepId", t.assignee_id AS "assigneeId", t.title
           FROM workflow.task t WHERE t.step_id = ANY($1::uuid[]) AND t.status = 'open'
          ORDER BY t.step_id, t.created_at, t.id`,
        [setBased.map((s) => s.id)],
      );
      escalationTargets = await this.escalationTargets(tasksToEscalate(setBased, openTasks), steps, running);
    }
    const delegations = [...escalationTargets.values()].some((t) => t.approvers.length) ? await this.engine.activeDelegations() : [];
    const plan = planStepTimeouts({ instances, steps, openTasks, escalationTargets, delegations, now }, newId);
    await this.write(plan, running, now);
    for (const { stepId } of plan.decide) await this.engine.onStepTimeout(stepId);
  }

  /** Each escalating task's target: the assignee's manager (else the admins), never the request's own requester/submitter (rare: then one more level up). */
  private async escalationTargets(tasks: OpenTaskFacts[], steps: TimedOutStep[], instances: Map<string, TimeoutInstance>): Promise<Map<string, ApproverResolution>> {
    const targets = await escalationTargetsFor(
      tasks.map((t) => t.assigneeId),
      this.directory,
    );
    const instanceOf = new Map(steps.map((s) => [s.id, instances.get(s.instanceId)!]));
    const out = new Map<string, ApproverResolution>();
    for (const task of tasks) {
      out.set(task.id, await escalationWithoutSelf(targets.get(task.assigneeId)!, task.assigneeId, selfApprovers(instanceOf.get(task.stepId)!), this.directory));
    }
    return out;
  }

  /** The plan's remind/escalate writes: one UPDATE, two multi-row INSERTs and one publishAll at most. */
  private async write(plan: StepTimeoutPlan, instances: Map<string, TimeoutInstance>, now: Date): Promise<void> {
    const { escalateTaskIds, newTasks, history } = plan;
    if (escalateTaskIds.length) {
      const [{ n }]: { n: number }[] = await this.em.query(
        `WITH closed AS (
           UPDATE workflow.task SET status = 'escalated', decided_at = $2, version = version + 1, updated_at = now()
            WHERE id = ANY($1::uuid[]) AND status = 'open' RETURNING id)
         SELECT count(*)::int AS n FROM closed`,
        [escalateTaskIds, now],
      );
      // The instances are locked: nothing else can have closed these tasks since they were read.
      if (n !== escalateTaskIds.length) throw new Error(`escalation: ${escalateTaskIds.length - n} open tasks changed under the instance lock`);
    }
    if (newTasks.length) {
      await this.em.query(
        `INSERT INTO workflow.task (id, kind, instance_id, step_id, assignee_id, original_assignee_id, delegated_from_task_id, via, title, status, due_at)
         SELECT id, 'approval', instance_id, step_id, assignee_id, original_assignee_id, delegated_from_task_id, via, title, 'open', NULL
           FROM jsonb_to_recordset($1::jsonb)
             AS x(id uuid, instance_id uuid, step_id uuid, assignee_id uuid, original_assignee_id uuid, delegated_from_task_id uuid, via text, title text)`,
        [
          JSON.stringify(
            newTasks.map((t) => ({
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
    if (history.length) {
      await this.em.query(
        `INSERT INTO workflow.approval_history (id, instance_id, step_id, task_id, at, actor_id, action, detail)
         SELECT id, instance_id, step_id, task_id, $2, NULL, action, detail
           FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, instance_id uuid, step_id uuid, task_id uuid, action text, detail jsonb)`,
        [JSON.stringify(history.map((h) => ({ id: h.id, instance_id: h.instanceId, step_id: h.stepId, task_id: h.taskId, action: h.action, detail: h.detail }))), now],
      );
    }
    if (plan.notices.length) await this.events.publishAll(plan.notices.map((n) => this.event(n, instances.get(n.instanceId)!)));
  }

  private event(notice: TimeoutNotice, instance: TimeoutInstance): NewDomainEvent<object> {
    switch (notice.kind) {
      case 'reminder-due': {
        const { task } = notice;
        return {
          type: 'workflow.task.reminder-due',
          aggregateType: 'workflow.task',
          aggregateId: task.id,
          payload: { taskId: task.id, approvalId: instance.id, assigneeId: task.assigneeId, subjectType: instance.subjectType, subjectId: instance.subjectId, subjectCode: instance.subjectCode, title: task.title } satisfies TaskReminderDue,
        };
      }
      case 'task-assigned':
        return this.engine.assignedEvent({ ...notice.task, kind: 'approval', dueAt: null } as WorkflowTask, instance as ApprovalInstance);
      case 'escalated': {
        const { fromTask, stepIndex, toUserIds } = notice;
        return {
          type: 'workflow.approval.escalated',
          aggregateType: 'workflow.approval',
          aggregateId: instance.id,
          payload: { approvalId: instance.id, subjectType: instance.subjectType, subjectId: instance.subjectId, stepIndex, fromTaskId: fromTask.id, fromUserId: fromTask.assigneeId, toUserIds } satisfies ApprovalEscalated,
        };
      }
    }
  }
}
