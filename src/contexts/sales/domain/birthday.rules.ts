/**
 * Birthday care reminders: on `today`, remind about contacts whose birthday falls `leadDays`
 * days later. Pure: which month-day to look for, and the occasion's date and task key.
 */
export interface BirthdayOccasion {
  /** The birthday's date this year (YYYY-MM-DD, UTC). */
  date: string;
  month: number;
  day: number;
}

export function birthdayOccasion(today: Date, leadDays: number): BirthdayOccasion {
  const target = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + leadDays));
  return { date: target.toISOString().slice(0, 10), month: target.getUTCMonth() + 1, day: target.getUTCDate() };
}

/**
 * Month-days whose birthdays are celebrated on the occasion: 29 February is celebrated on
 * 28 February in non-leap years.
 */
export function monthDaysFor(occasion: BirthdayOccasion): Array<{ month: number; day: number }> {
  const year = Number(occasion.date.slice(0, 4));
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [{ month: occasion.month, day: occasion.day }];
  if (!leap && occasion.month === 2 && occasion.day === 28) days.push({ month: 2, day: 29 });
  return days;
}

/** One task per contact per year. */
export const birthdayTaskKey = (contactId: string, occasion: BirthdayOccasion) => `birthday:${contactId}:${occasion.date.slice(0, 4)}`;
