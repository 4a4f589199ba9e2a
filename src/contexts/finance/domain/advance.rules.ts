import { assertTransition, sourcesOf, type Transitions } from '../../../platform/errors/transitions.js';

export const ADVANCE_STATUSES = ['draft', 'submitted', 'approved', 'paid', 'rejected', 'recalled'] as const;
export type AdvanceStatus = (typeof ADVANCE_STATUSES)[number];

/**
 * The advance life cycle: submitting reserves the amount on the cost centre, approval keeps the
 * reservation, paying out (finance) posts it; rejection and recall release it.
 */
export const ADVANCE_TRANSITIONS: Transitions<AdvanceStatus> = {
  draft: ['submitted'],
  submitted: ['approved', 'rejected', 'recalled'],
  approved: ['paid'],
  paid: [],
  rejected: [],
  recalled: ['submitted'],
};

export function assertAdvanceTransition(from: AdvanceStatus, to: AdvanceStatus): void {
  assertTransition(ADVANCE_TRANSITIONS, 'finance.advance.illegal-transition', from, to);
}

export const advanceSourcesOf = (to: AdvanceStatus): AdvanceStatus[] => sourcesOf(ADVANCE_TRANSITIONS, to);
