import { assertActivityTransition, assertNoConflict, assertTimes, conflictsWith, overlaps } from './activity.rules';

const at = (hhmm: string) => new Date(`2026-03-02T${hhmm}:00Z`);
const slot = (id: string, from: string, to: string | null) => ({ id, startAt: at(from), endAt: to ? at(to) : null });

describe('calendar conflicts', () => {
  it('treats bookings as half-open intervals', () => {
    expect(overlaps(slot('a', '09:00', '10:00'), slot('b', '09:30', '11:00'))).toBe(true);
    expect(overlaps(slot('a', '09:00', '10:00'), slot('b', '10:00', '11:00'))).toBe(false);
    expect(overlaps(slot('a', '09:00', '12:00'), slot('b', '10:00', '11:00'))).toBe(true);
    expect(overlaps(slot('a', '09:00', null), slot('b', '08:00', '11:00'))).toBe(false);
  });

  it('lists the conflicting ids, never the booking itself', () => {
    const booking = slot('x', '09:00', '10:00');
    const others = [slot('x', '09:00', '10:00'), slot('a', '08:30', '09:15'), slot('b', '10:00', '10:30'), slot('c', '09:59', '11:00')];
    expect(conflictsWith(booking, others)).toEqual(['a', 'c']);
    expect(() => assertNoConflict(booking, others, false)).toThrow(
      expect.objectContaining({ status: 409, code: 'sales.activity.calendar-conflict', extras: { conflictingIds: ['a', 'c'] } }),
    );
    expect(() => assertNoConflict(booking, others, true)).not.toThrow();
  });

  it('validates times', () => {
    expect(() => assertTimes(at('10:00'), at('09:00'), null)).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => assertTimes(at('10:00'), at('11:00'), at('10:30'))).toThrow(expect.objectContaining({ errors: [{ field: 'reminderAt', message: expect.any(String) }] }));
    expect(() => assertTimes(at('10:00'), at('11:00'), at('09:45'))).not.toThrow();
  });

  it('completes only open activities', () => {
    expect(() => assertActivityTransition('open', 'completed')).not.toThrow();
    expect(() => assertActivityTransition('completed', 'completed')).toThrow(expect.objectContaining({ code: 'sales.activity.illegal-transition' }));
  });
});
