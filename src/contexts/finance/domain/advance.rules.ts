import { IllegalTransitionError } from '../../../platform/errors/domain-error.js';

export const ADVANCE_STATUSES = ['draft', 'submitted', 'approved', 'paid', 'rejected', 'recalled'] as const;
export type AdvanceStatus = (typeof ADVANCE_STATUSES)[number];

/**
 * The advance life cycle: submitting reserves the amount on the cost centre, approval keeps the
 * reservation, paying out (finance) posts it; rejection and recall release it.
 */
export const ADVANCE_TRANSITIONS: Record<AdvanceStatus, readonly AdvanceStatus[]> = {
  draft: ['submitted'],
  submitted: ['approved', 'rejected', 'recalled'],
  approved: ['paid'],
  paid: [],
  rejected: [],
  recalled: ['submitted'],
};

export function assertAdvanceTransition(from: AdvanceStatus, to: AdvanceStatus): void {
  const allowed = ADVANCE_TRANSITIONS[from];
  if (!allowed.includes(to)) throw new IllegalTransitionError('finance.advance.illegal-transition', from, to, allowed);
}

export const advanceSourcesOf = (to: AdvanceStatus): AdvanceStatus[] => ADVANCE_STATUSES.filter((s) => ADVANCE_TRANSITIONS[s].includes(to));
