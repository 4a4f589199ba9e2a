/**
 * The approval protocol between any context and Workflow (ARCHITECTURE.md "Approval protocol").
 *
 * 1. The owning context moves its record to pending-approval and publishes
 *    `<ctx>.<subject>.approval-requested` (e.g. `finance.expense-claim.approval-requested`)
 *    with an {@link ApprovalRequested} payload, aggregateType = subjectType, aggregateId = subjectId.
 * 2. Workflow picks the process definition (none matching → approved at once), runs the steps and
 *    publishes `workflow.approval.started`, then exactly one of
 *    `workflow.approval.approved | rejected | recalled` with an {@link ApprovalDecided} payload.
 * 3. To withdraw a pending request from its own API, the owning context publishes
 *    `<ctx>.<subject>.approval-withdrawn` ({@link ApprovalWithdrawn}); Workflow closes the instance
 *    and publishes `workflow.approval.recalled`. (The requester may also recall through
 *    `POST /api/v1/workflow/approvals/{id}/recall`.)
 * Owning contexts consume the result events filtered by `subjectType`, idempotently.
 */
export interface ApprovalRequested {
  /** e.g. `finance.expense-claim`, `sales.quote`. */
  subjectType: string;
  subjectId: string;
  /** Human code, e.g. `EXP-2026-000123`. */
  subjectCode: string;
  title: string;
  requesterId: string;
  requesterOrgUnitId: string | null;
  amountMinor: number | null;
  currency: string | null;
  /** Attributes process definitions may test (`discountPct`, `category`, …). Scalars only. */
  attributes: Record<string, string | number | boolean | null>;
}

export interface ApprovalWithdrawn {
  subjectType: string;
  subjectId: string;
  requesterId: string;
  reason?: string;
}

export type ApprovalOutcome = 'approved' | 'rejected' | 'recalled';

export interface ApprovalStarted {
  approvalId: string;
  subjectType: string;
  subjectId: string;
  definitionKey: string | null;
  definitionVersion: number | null;
}

export interface ApprovalDecided {
  approvalId: string;
  subjectType: string;
  subjectId: string;
  outcome: ApprovalOutcome;
  /** The user whose decision closed it; null for automatic outcomes (no definition, timeout). */
  decidedBy: string | null;
  comment: string | null;
  /** true when no definition matched or a timeout decided. */
  automatic: boolean;
  decidedAt: string;
}

export const APPROVAL_REQUESTED_SUFFIX = '.approval-requested';
export const APPROVAL_WITHDRAWN_SUFFIX = '.approval-withdrawn';
export const APPROVAL_RESULT_EVENTS = {
  approved: 'workflow.approval.approved',
  rejected: 'workflow.approval.rejected',
  recalled: 'workflow.approval.recalled',
} as const;
