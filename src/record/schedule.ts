/**
 * The weekly mixtape's calendar, in UTC: "fri 18:00" as data, the ISO week of an instant,
 * when a week's post is due, and the cron pattern for a job scheduler. Pure functions.
 */

export interface WeeklyTime {
  /** 0 = Sunday ... 6 = Saturday (as Date#getUTCDay and cron). */
  day: number;
  hour: number;
  minute: number;
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_MS = 24 * 60 * 60 * 1000;

/** Parses "fri 18:00"; null when it is not one. @example parseWeeklyTime('fri 18:00') // { day: 5, hour: 18, minute: 0 } */
export function parseWeeklyTime(text: unknown): WeeklyTime | null {
  const m = typeof text === 'string' ? /^(sun|mon|tue|wed|thu|fri|sat)\s+(\d{1,2}):(\d{2})$/i.exec(text.trim()) : null;
  if (!m) return null;
  const hour = Number(m[2]);
  const minute = Number(m[3]);
  if (hour > 23 || minute > 59) return null;
  return { day: DAYS.indexOf(m[1].toLowerCase()), hour, minute };
}

/** Monday 00:00 UTC of the ISO week holding `at`. @example weekStart(new Date('2026-12-03T10:00Z')).toISOString() // '2026-11-30T00:00:00.000Z' */
export function weekStart(at: Date): Date {
  const day = (at.getUTCDay() + 6) % 7; // Monday = 0
  const midnight = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  return new Date(midnight - day * DAY_MS);
}

/** The ISO week of an instant. @example isoWeek(new Date('2026-12-01T12:00Z')) // '2026-W49' */
export function isoWeek(at: Date): string {
  const thursday = new Date(weekStart(at).getTime() + 3 * DAY_MS); // a week belongs to the year of its Thursday
  const year = thursday.getUTCFullYear();
  const firstThursday = weekStart(new Date(Date.UTC(year, 0, 4))).getTime() + 3 * DAY_MS;
  const week = 1 + Math.round((thursday.getTime() - firstThursday) / (7 * DAY_MS));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** When the post of the ISO week holding `at` is due. @example dueInWeek(new Date('2026-12-01T12:00Z'), { day: 5, hour: 18, minute: 0 }).toISOString() // '2026-12-04T18:00:00.000Z' */
export function dueInWeek(at: Date, t: WeeklyTime): Date {
  const offsetDays = (t.day + 6) % 7; // days after Monday
  return new Date(weekStart(at).getTime() + offsetDays * DAY_MS + (t.hour * 60 + t.minute) * 60_000);
}

/** The cron pattern (minute hour * * weekday) of a weekly time. @example cronOf({ day: 5, hour: 18, minute: 0 }) // '0 18 * * 5' */
export const cronOf = (t: WeeklyTime): string => `${t.minute} ${t.hour} * * ${t.day}`;
