import type { Transitions } from '../../../platform/errors/transitions.js';
import type { StepMode } from './process-definition.rules.js';

export const INSTANCE_STATUSES = ['running', 'approved', 'rejected', 'recalled'] as const;
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];
export const STEP_STATUSES = ['pending', 'active', 'approved', 'rejected', 'skipped', 'cancelled'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];
export const TASK_STATUSES = ['open', 'approved', 'rejected', 'delegated', 'escalated', 'no-response', 'cancelled', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const INSTANCE_TRANSITIONS: Transitions<InstanceStatus> = {
  running: ['approved', 'rejected', 'recalled'],
  approved: [],
  rejected: [],
  recalled: [],
};

export const STEP_TRANSITIONS: Transitions<StepStatus> = {
  pending: ['active', 'skipped', 'cancelled'],
  active: ['approved', 'rejected', 'cancelled'],
  approved: [],
  rejected: [],
  skipped: [],
  cancelled: [],
};

/** `done` is for automation (to-do) tasks; the others for approval tasks. */
export const TASK_TRANSITIONS: Transitions<TaskStatus> = {
  open: ['approved', 'rejected', 'delegated', 'escalated', 'no-response', 'cancelled', 'done'],
  approved: [],
  rejected: [],
  delegated: [],
  escalated: [],
  'no-response': [],
  cancelled: [],
  done: [],
};

export type Decision = 'approve' | 'reject';
export const DECISION_STATUS: Record<Decision, 'approved' | 'rejected'> = { approve: 'approved', reject: 'rejected' };

/**
 * What one decision does to its step. `any`: the first response decides. `all`: one
 * rejection rejects; the step is approved when no task is left open.
 */
export function stepOutcomeAfter(mode: StepMode, decision: Decision, openTasksLeft: number): 'approved' | 'rejected' | 'pending' {
  if (decision === 'reject') return 'rejected';
  if (mode === 'any') return 'approved';
  return openTasksLeft === 0 ? 'approved' : 'pending';
}

/**
 * A decision on a task that is no longer open: the same decision by the same actor is a replay
 * (answer the original result); anything else is a conflict.
 */
export function isReplayedDecision(task: { status: TaskStatus; decidedBy: string | null }, decision: Decision, actorId: string): boolean {
  return task.status === DECISION_STATUS[decision] && task.decidedBy === actorId;
}
