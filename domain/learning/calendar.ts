/** Days and weeks as learners in China count them: by Beijing time (UTC+8), whatever the server's zone. */

const BEIJING_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** The Beijing calendar day of `at` (YYYY-MM-DD). */
export const beijingDay = (at: Date) => new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);

/** The day before `day` (YYYY-MM-DD). */
export const dayBefore = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);

/** The Monday (YYYY-MM-DD) of the Beijing week of `at`: the key of a week's learning. */
export function beijingWeek(at: Date): string {
  const day = beijingDay(at);
  const sinceMonday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  return new Date(Date.parse(`${day}T00:00:00Z`) - sinceMonday * DAY_MS).toISOString().slice(0, 10);
}
