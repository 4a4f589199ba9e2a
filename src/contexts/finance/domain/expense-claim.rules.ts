import { DomainError } from '../../../platform/errors/domain-error.js';
import { assertTransition, sourcesOf, type Transitions } from '../../../platform/errors/transitions.js';

export const EXPENSE_CLAIM_KINDS = ['request', 'reimbursement'] as const;
export type ExpenseClaimKind = (typeof EXPENSE_CLAIM_KINDS)[number];

export const EXPENSE_CLAIM_STATUSES = ['draft', 'submitted', 'approved', 'posted', 'rejected', 'recalled'] as const;
export type ExpenseClaimStatus = (typeof EXPENSE_CLAIM_STATUSES)[number];

/**
 * The expense claim life cycle. `submitted` is pending approval (the amount is reserved on the
 * cost centre); approval posts it at once (approved → posted in the same transaction);
 * rejection and recall release the reservation. A recalled claim can be edited and submitted again.
 */
export const EXPENSE_CLAIM_TRANSITIONS: Transitions<ExpenseClaimStatus> = {
  draft: ['submitted'],
  submitted: ['approved', 'rejected', 'recalled'],
  approved: ['posted'],
  posted: [],
  rejected: [],
  recalled: ['submitted'],
};

/** States in which the claimant may still edit the claim. */
export const EDITABLE_CLAIM_STATUSES: readonly ExpenseClaimStatus[] = ['draft', 'recalled'];

export function assertClaimTransition(from: ExpenseClaimStatus, to: ExpenseClaimStatus): void {
  assertTransition(EXPENSE_CLAIM_TRANSITIONS, 'finance.expense-claim.illegal-transition', from, to);
}

/** The states a claim may be in to move to `to` (for conditional UPDATEs). */
export const claimSourcesOf = (to: ExpenseClaimStatus): ExpenseClaimStatus[] => sourcesOf(EXPENSE_CLAIM_TRANSITIONS, to);

export function assertClaimEditable(status: ExpenseClaimStatus): void {
  if (!EDITABLE_CLAIM_STATUSES.includes(status)) {
    throw new DomainError(
      'conflict',
      status === 'submitted' ? 'finance.expense-claim.pending-approval' : 'finance.expense-claim.read-only',
      status === 'submitted'
        ? 'The claim is pending approval and cannot be edited; recall it first'
        : `A ${status} claim cannot be edited`,
      { currentStatus: status },
    );
  }
}

export interface ClaimLineInput {
  category: string;
  date: string;
  amountMinor: number;
}

/** Sum of the lines; refuses an empty claim and totals beyond safe integers. */
export function claimTotal(lines: readonly ClaimLineInput[]): number {
  if (lines.length === 0) {
    throw new DomainError('rule-violated', 'finance.expense-claim.no-lines', 'An expense claim needs at least one line');
  }
  const total = lines.reduce((sum, l) => sum + l.amountMinor, 0);
  if (!Number.isSafeInteger(total)) {
    throw new DomainError('rule-violated', 'finance.expense-claim.total-too-large', 'The total of the lines is too large');
  }
  return total;
}

/** The distinct categories of the lines, in first-seen order (for approval attributes). */
export const claimCategories = (lines: readonly ClaimLineInput[]) => [...new Set(lines.map((l) => l.category))];
