import { birthdayOccasion, birthdayTaskKey, monthDaysFor } from './birthday.rules';

describe('birthday reminders', () => {
  it('looks leadDays ahead, across month and year ends', () => {
    expect(birthdayOccasion(new Date('2026-12-30T06:00:00Z'), 3)).toEqual({ date: '2027-01-02', month: 1, day: 2 });
    expect(birthdayOccasion(new Date('2026-05-10T23:59:00Z'), 0)).toEqual({ date: '2026-05-10', month: 5, day: 10 });
  });

  it('celebrates 29 February on 28 February in non-leap years only', () => {
    expect(monthDaysFor(birthdayOccasion(new Date('2027-02-25T00:00:00Z'), 3))).toEqual([{ month: 2, day: 28 }, { month: 2, day: 29 }]);
    expect(monthDaysFor(birthdayOccasion(new Date('2028-02-25T00:00:00Z'), 3))).toEqual([{ month: 2, day: 28 }]);
  });

  it('keys one task per contact and year', () => {
    expect(birthdayTaskKey('c1', birthdayOccasion(new Date('2026-06-01T00:00:00Z'), 1))).toBe('birthday:c1:2026');
  });
});
