import { DomainError, IllegalTransitionError } from '../../../platform/errors/domain-error.js';
import { assertTransition, type Transitions } from '../../../platform/errors/transitions.js';

export const ACTIVITY_TYPES = ['call', 'meeting', 'visit', 'email', 'demo', 'task'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export const ACTIVITY_STATUSES = ['open', 'completed', 'cancelled'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

export const PRIORITIES = ['low', 'normal', 'high'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const RELATED_TYPES = ['account', 'contact', 'lead', 'opportunity', 'campaign', 'service-request'] as const;
export type RelatedType = (typeof RELATED_TYPES)[number];

export const ACTIVITY_TRANSITIONS: Transitions<ActivityStatus> = {
  open: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

export function assertActivityTransition(from: ActivityStatus, to: ActivityStatus): void {
  assertTransition(ACTIVITY_TRANSITIONS, 'sales.activity.illegal-transition', from, to);
}

/** Only open activities may be edited. */
export function assertActivityOpen(status: ActivityStatus): void {
  if (status !== 'open') throw new IllegalTransitionError('sales.activity.closed', status, 'changed', []);
}

/** The longest range the calendar answers in one call. */
export const MAX_CALENDAR_DAYS = 92;

export function assertTimes(startAt: Date, endAt: Date | null, reminderAt: Date | null): void {
  const errors = [];
  if (endAt && endAt.getTime() <= startAt.getTime()) errors.push({ field: 'endAt', message: 'endAt must be after startAt' });
  if (endAt && endAt.getTime() - startAt.getTime() > MAX_CALENDAR_DAYS * 86_400_000) {
    errors.push({ field: 'endAt', message: `an activity lasts at most ${MAX_CALENDAR_DAYS} days` });
  }
  if (reminderAt && reminderAt.getTime() > startAt.getTime()) errors.push({ field: 'reminderAt', message: 'reminderAt must not be after startAt' });
  if (errors.length) throw new DomainError('invalid', 'validation-failed', `The request has ${errors.length} invalid field${errors.length === 1 ? '' : 's'}`, {}, errors);
}

export interface TimeSlot {
  id: string;
  startAt: Date;
  endAt: Date | null;
}

/** Half-open intervals [start, end) overlap when each starts before the other ends. */
export function overlaps(a: { startAt: Date; endAt: Date | null }, b: { startAt: Date; endAt: Date | null }): boolean {
  if (!a.endAt || !b.endAt) return false;
  return a.startAt.getTime() < b.endAt.getTime() && b.startAt.getTime() < a.endAt.getTime();
}

/** Ids of the slots that overlap `booking` (excluding itself). */
export const conflictsWith = (booking: TimeSlot, others: readonly TimeSlot[]): string[] =>
  others.filter((o) => o.id !== booking.id && overlaps(booking, o)).map((o) => o.id);

export function assertNoConflict(booking: TimeSlot, others: readonly TimeSlot[], allowConflict: boolean): void {
  const conflicts = conflictsWith(booking, others);
  if (conflicts.length && !allowConflict) {
    throw new DomainError('conflict', 'sales.activity.calendar-conflict', `The owner already has ${conflicts.length} overlapping booking${conflicts.length === 1 ? '' : 's'}; send allowConflict: true to book anyway`, {
      conflictingIds: conflicts,
    });
  }
}
