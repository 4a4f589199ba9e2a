import type { InstanceStatus, StepStatus } from './approval.rules.js';
import { routeAvoidingSelf, selfApprovers, type ApproverResolution, type DelegationWindow } from './approver.rules.js';
import type { StepTimeout } from './process-definition.rules.js';

/**
 * What a batch of due step timeouts does, as plain data (no I/O): `StepTimeouts` loads the rows
 * set-based, calls {@link planStepTimeouts} and writes the plan with set-based statements.
 *
 * - `remind`: a `workflow.task.reminder-due` for each open task of the step. Timers fire once;
 *   nothing is rescheduled and no "reminded" mark is kept (a step timing out again reminds again).
 * - `escalate`: each open task, in order, closes as `escalated` and its escalation targets (the
 *   assignee's manager, else the admins, resolved beforehand without the requester/submitter)
 *   get a task, rerouted by out-of-office delegations, at most one open task per person on the
 *   step. No target left (no manager, no admin): the task still closes, `toUserIds` is empty.
 * - `auto-approve` / `auto-reject`: listed in `decide`, for the engine to close the step and move
 *   the instance on (one at a time: that may start the next step).
 * A step no longer active, or of an instance no longer running, is left alone. Whether a timer
 * is due is the scheduler's (its `due_at` ≤ now); the plan does not compare `dueAt` again.
 */

export interface TimedOutStep {
  id: string;
  instanceId: string;
  stepIndex: number;
  name: string;
  status: StepStatus;
  timeout: StepTimeout | null;
}

export interface TimeoutInstance {
  id: string;
  subjectType: string;
  subjectId: string;
  subjectCode: string;
  title: string;
  status: InstanceStatus;
  requesterId: string;
  submittedBy: string | null;
}

export interface OpenTaskFacts {
  id: string;
  stepId: string;
  assigneeId: string;
  title: string;
}

export interface StepTimeoutFacts {
  /** The batch's instances (locked by the caller). */
  instances: TimeoutInstance[];
  /** The batch's steps, in (instance, step index) order. */
  steps: TimedOutStep[];
  /** Open tasks of the `remind` / `escalate` steps, each step's in (created, id) order. */
  openTasks: OpenTaskFacts[];
  /** Escalation target per open task id of an `escalate` step, requester/submitter left out. */
  escalationTargets: ReadonlyMap<string, ApproverResolution>;
  /** Delegation windows (only needed when an escalation has a target). */
  delegations: DelegationWindow[];
  now: Date;
}

/** A new open approval task for an escalation target (no due date). */
export interface EscalationTask {
  id: string;
  instanceId: string;
  stepId: string;
  assigneeId: string;
  originalAssigneeId: string | null;
  delegatedFromTaskId: string;
  via: string;
  title: string;
}

/** An approval history row (at `now`, no actor). */
export interface TimeoutHistoryRow {
  id: string;
  instanceId: string;
  stepId: string;
  taskId: string | null;
  action: 'timeout' | 'task-assigned' | 'escalated';
  detail: Record<string, unknown>;
}

/** What to publish, in order. */
export type TimeoutNotice =
  | { kind: 'reminder-due'; instanceId: string; task: OpenTaskFacts }
  | { kind: 'task-assigned'; instanceId: string; task: EscalationTask }
  | { kind: 'escalated'; instanceId: string; stepIndex: number; fromTask: OpenTaskFacts; toUserIds: string[] };

export interface StepTimeoutPlan {
  /** `auto-approve` / `auto-reject` steps, in batch order, for the engine. */
  decide: Array<{ stepId: string; outcome: 'approved' | 'rejected' }>;
  /** Open tasks to close as `escalated`. */
  escalateTaskIds: string[];
  newTasks: EscalationTask[];
  history: TimeoutHistoryRow[];
  notices: TimeoutNotice[];
}

const SET_BASED = new Set(['remind', 'escalate']);

/** The batch's steps that still time out (active, instance running), split by who handles them. */
export function dueSteps(facts: Pick<StepTimeoutFacts, 'instances' | 'steps'>): { setBased: TimedOutStep[]; automatic: TimedOutStep[] } {
  const running = new Set(facts.instances.filter((i) => i.status === 'running').map((i) => i.id));
  const live = facts.steps.filter((s) => s.status === 'active' && s.timeout && running.has(s.instanceId));
  return { setBased: live.filter((s) => SET_BASED.has(s.timeout!.action)), automatic: live.filter((s) => !SET_BASED.has(s.timeout!.action)) };
}

/** The open tasks that escalate (their targets are resolved before planning). */
export function tasksToEscalate(setBased: TimedOutStep[], openTasks: OpenTaskFacts[]): OpenTaskFacts[] {
  const escalating = new Set(setBased.filter((s) => s.timeout!.action === 'escalate').map((s) => s.id));
  return openTasks.filter((t) => escalating.has(t.stepId));
}

export function planStepTimeouts(facts: StepTimeoutFacts, newId: () => string): StepTimeoutPlan {
  const { setBased, automatic } = dueSteps(facts);
  const instances = new Map(facts.instances.map((i) => [i.id, i]));
  const openByStep = new Map<string, OpenTaskFacts[]>();
  for (const task of facts.openTasks) openByStep.set(task.stepId, [...(openByStep.get(task.stepId) ?? []), task]);
  const plan: StepTimeoutPlan = {
    decide: automatic.map((s) => ({ stepId: s.id, outcome: s.timeout!.action === 'auto-approve' ? 'approved' : 'rejected' })),
    escalateTaskIds: [],
    newTasks: [],
    history: [],
    notices: [],
  };
  for (const step of setBased) {
    const instance = instances.get(step.instanceId)!;
    const open = openByStep.get(step.id) ?? [];
    const { action, after } = step.timeout!;
    plan.history.push({ id: newId(), instanceId: instance.id, stepId: step.id, taskId: null, action: 'timeout', detail: { stepIndex: step.stepIndex, action, after, openTaskIds: open.map((t) => t.id) } });
    if (action === 'remind') {
      for (const task of open) plan.notices.push({ kind: 'reminder-due', instanceId: instance.id, task });
      continue;
    }
    escalateStep(plan, facts, instance, step, open, newId);
  }
  return plan;
}

/** Escalates every open task of the step in order (like closing each and assigning its targets one by one). */
function escalateStep(plan: StepTimeoutPlan, facts: StepTimeoutFacts, instance: TimeoutInstance, step: TimedOutStep, open: OpenTaskFacts[], newId: () => string): void {
  const excluded = selfApprovers(instance);
  const createdOnStep: string[] = [];
  open.forEach((task, k) => {
    const target = facts.escalationTargets.get(task.id);
    if (!target) throw new Error(`escalation: no target resolved for task ${task.id}`);
    // Open on the step when this task's targets are assigned: the later open tasks and the ones created so far.
    const existing = new Set([...open.slice(k + 1).map((t) => t.assigneeId), ...createdOnStep]);
    const mine: EscalationTask[] = [];
    for (const approver of target.approvers) {
      const routed = routeAvoidingSelf(approver.userId, facts.delegations, facts.now, excluded);
      if (existing.has(routed.assigneeId)) continue;
      existing.add(routed.assigneeId);
      createdOnStep.push(routed.assigneeId);
      const delegated = routed.chain.length > 1;
      mine.push({
        id: newId(),
        instanceId: instance.id,
        stepId: step.id,
        assigneeId: routed.assigneeId,
        originalAssigneeId: delegated ? approver.userId : null,
        delegatedFromTaskId: task.id,
        via: delegated ? `${approver.via};delegation:${routed.chain.join('>')}` : approver.via,
        title: `${step.name}: ${instance.subjectCode} ${instance.title}`.slice(0, 500),
      });
    }
    plan.escalateTaskIds.push(task.id);
    plan.newTasks.push(...mine);
    for (const t of mine) {
      plan.history.push({ id: newId(), instanceId: instance.id, stepId: step.id, taskId: t.id, action: 'task-assigned', detail: { assigneeId: t.assigneeId, originalAssigneeId: t.originalAssigneeId, via: t.via } });
    }
    plan.notices.push(...mine.map((t) => ({ kind: 'task-assigned' as const, instanceId: instance.id, task: t })));
    const toUserIds = mine.map((t) => t.assigneeId);
    plan.history.push({ id: newId(), instanceId: instance.id, stepId: step.id, taskId: task.id, action: 'escalated', detail: { fromTaskId: task.id, fromUserId: task.assigneeId, toUserIds, unresolvedReason: target.unresolvedReason } });
    plan.notices.push({ kind: 'escalated', instanceId: instance.id, stepIndex: step.stepIndex, fromTask: task, toUserIds });
  });
}
