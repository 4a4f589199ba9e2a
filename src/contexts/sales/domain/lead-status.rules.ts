import { IllegalTransitionError } from '../../../platform/errors/domain-error.js';
import { assertTransition, canTransition, type Transitions } from '../../../platform/errors/transitions.js';

export const LEAD_STATUSES = ['new', 'assigned', 'working', 'qualified', 'disqualified', 'converted'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/**
 * The lead life cycle. `new` leads without an owner are the pool; releasing a lead sends it
 * back to `new` without an owner; claiming or assigning moves it to `assigned`; the first
 * activity logged against it moves it to `working`. `converted` and `disqualified` are final.
 */
export const LEAD_TRANSITIONS: Transitions<LeadStatus> = {
  new: ['assigned', 'disqualified'],
  assigned: ['assigned', 'new', 'working', 'qualified', 'disqualified', 'converted'],
  working: ['assigned', 'new', 'qualified', 'disqualified', 'converted'],
  qualified: ['assigned', 'disqualified', 'converted'],
  disqualified: [],
  converted: [],
};

/** Statuses in which a lead counts against its owner's open-lead load. */
export const OPEN_LEAD_STATUSES: readonly LeadStatus[] = ['assigned', 'working'];

export const canTransitionLead = (from: LeadStatus, to: LeadStatus): boolean => canTransition(LEAD_TRANSITIONS, from, to);

/** Throws 409 `sales.lead.illegal-transition` (or `converted-read-only`) unless `from → to` is allowed. */
export function assertLeadTransition(from: LeadStatus, to: LeadStatus): void {
  assertLeadEditable(from);
  assertTransition(LEAD_TRANSITIONS, 'sales.lead.illegal-transition', from, to);
}

/** Converted leads are read-only: any change answers 409 `sales.lead.converted-read-only`. */
export function assertLeadEditable(status: LeadStatus): void {
  if (status === 'converted') {
    throw new IllegalTransitionError('sales.lead.converted-read-only', status, 'changed', []);
  }
}
