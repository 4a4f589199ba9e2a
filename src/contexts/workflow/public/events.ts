/**
 * Events the Workflow context publishes: the only part of Workflow other contexts may import
 * (together with approval-contract.ts).
 */
import type { EventDeclaration } from '../../../platform/events/domain-event.js';
import type { ApprovalDecided, ApprovalStarted } from './approval-contract.js';

export interface ApprovalStepStarted {
  approvalId: string;
  subjectType: string;
  subjectId: string;
  stepIndex: number;
  stepName: string;
  mode: 'any' | 'all';
  approverIds: string[];
  dueAt: string | null;
  /** Why the rule found nobody when the step went to the admins instead; else null. */
  unresolvedReason: string | null;
}

export interface ApprovalEscalated {
  approvalId: string;
  subjectType: string;
  subjectId: string;
  stepIndex: number;
  fromTaskId: string;
  fromUserId: string;
  toUserIds: string[];
}

export interface TaskAssigned {
  taskId: string;
  kind: 'approval' | 'action';
  assigneeId: string;
  /** The approver the rule named when a delegation rerouted the task. */
  originalAssigneeId: string | null;
  approvalId: string | null;
  subjectType: string | null;
  subjectId: string | null;
  subjectCode: string | null;
  title: string;
  dueAt: string | null;
}

export interface TaskReminderDue {
  taskId: string;
  approvalId: string;
  assigneeId: string;
  subjectType: string;
  subjectId: string;
  subjectCode: string;
  title: string;
}

export interface AutomationTaskCreated {
  ruleId: string;
  taskId: string;
  assigneeId: string;
  title: string;
  sourceEventId: string;
  sourceEventType: string;
}

export interface AutomationNotificationRequested {
  ruleId: string;
  recipientIds: string[];
  message: string;
  sourceEventId: string;
  sourceEventType: string;
}

/** Command for Sales: create an opportunity and assign it (the "transaction over 10,000" example). */
export interface AutomationOpportunityRequested {
  accountId: string | null;
  name: string | null;
  amountMinor: number | null;
  currency: string | null;
  ownerId: string | null;
  /** The event that fired the rule: consumers deduplicate on it. */
  sourceEventId: string;
}

export type WorkflowEvents = {
  'workflow.approval.started': ApprovalStarted;
  'workflow.approval.step-started': ApprovalStepStarted;
  'workflow.approval.approved': ApprovalDecided;
  'workflow.approval.rejected': ApprovalDecided;
  'workflow.approval.recalled': ApprovalDecided;
  'workflow.approval.escalated': ApprovalEscalated;
  'workflow.task.assigned': TaskAssigned;
  'workflow.task.reminder-due': TaskReminderDue;
  'workflow.automation.task-created': AutomationTaskCreated;
  'workflow.automation.notification-requested': AutomationNotificationRequested;
  'workflow.automation.opportunity-requested': AutomationOpportunityRequested;
};

const decided = (outcome: string) => ({
  approvalId: 'uuid — the approval instance',
  subjectType: `string — e.g. finance.expense-claim; consumers filter on it`,
  subjectId: 'string — the subject record',
  outcome: `"${outcome}"`,
  decidedBy: 'uuid | null — the user whose decision closed it; null when automatic',
  comment: 'string | null',
  automatic: 'boolean — no definition matched, or a timeout decided',
  decidedAt: 'ISO 8601',
});

export const WORKFLOW_EVENT_CATALOG: EventDeclaration[] = [
  {
    type: 'workflow.approval.started',
    description: 'An approval request was accepted: an instance exists (aggregateId). Always followed by exactly one approved/rejected/recalled.',
    payload: { approvalId: 'uuid', subjectType: 'string', subjectId: 'string', definitionKey: 'string | null — null: no definition matched', definitionVersion: 'integer | null' },
  },
  {
    type: 'workflow.approval.step-started',
    description: 'A step of an approval became active and its tasks were assigned.',
    payload: { approvalId: 'uuid', subjectType: 'string', subjectId: 'string', stepIndex: 'integer', stepName: 'string', mode: 'any | all', approverIds: 'uuid[]', dueAt: 'ISO 8601 | null', unresolvedReason: 'string | null — the rule found nobody; the admins got the step' },
  },
  { type: 'workflow.approval.approved', description: 'The approval finished approved; the owning context moves its subject on.', payload: decided('approved') },
  { type: 'workflow.approval.rejected', description: 'The approval finished rejected.', payload: decided('rejected') },
  { type: 'workflow.approval.recalled', description: 'The requester recalled (or the owning context withdrew) the approval.', payload: decided('recalled') },
  {
    type: 'workflow.approval.escalated',
    description: 'A step timed out with action escalate: the open task moved to the approver’s manager (or the admins).',
    payload: { approvalId: 'uuid', subjectType: 'string', subjectId: 'string', stepIndex: 'integer', fromTaskId: 'uuid', fromUserId: 'uuid', toUserIds: 'uuid[]' },
  },
  {
    type: 'workflow.task.assigned',
    description: 'A task landed in someone’s inbox (approval task, or an action task from an automation rule).',
    payload: { taskId: 'uuid', kind: 'approval | action', assigneeId: 'uuid', originalAssigneeId: 'uuid | null — set when a delegation rerouted it', approvalId: 'uuid | null', subjectType: 'string | null', subjectId: 'string | null', subjectCode: 'string | null', title: 'string', dueAt: 'ISO 8601 | null' },
  },
  {
    type: 'workflow.task.reminder-due',
    description: 'A step timed out with action remind: remind the assignee of the open task.',
    payload: { taskId: 'uuid', approvalId: 'uuid', assigneeId: 'uuid', subjectType: 'string', subjectId: 'string', subjectCode: 'string', title: 'string' },
  },
  {
    type: 'workflow.automation.task-created',
    description: 'An automation rule created an action task.',
    payload: { ruleId: 'uuid', taskId: 'uuid', assigneeId: 'uuid', title: 'string', sourceEventId: 'uuid', sourceEventType: 'string' },
  },
  {
    type: 'workflow.automation.notification-requested',
    description: 'An automation rule asks for a notification to users.',
    payload: { ruleId: 'uuid', recipientIds: 'uuid[]', message: 'string', sourceEventId: 'uuid', sourceEventType: 'string' },
  },
  {
    type: 'workflow.automation.opportunity-requested',
    description: 'Command for Sales from an automation rule: create an opportunity and assign it. Deduplicate on sourceEventId.',
    payload: { accountId: 'uuid | null', name: 'string | null', amountMinor: 'integer | null', currency: 'string | null', ownerId: 'uuid | null', sourceEventId: 'uuid — the event that fired the rule' },
  },
];
