/** One cell of the month's calendar: a day of the month, or an empty cell before the 1st. */
export interface CalendarCell {
  key: string;
  /** the day of the month; 0 for the empty cells before the 1st */
  date: number;
  checked: boolean;
  today: boolean;
}

/**
 * The month of `today` (YYYY-MM-DD) as rows of a Monday-first calendar, with the days in `checkedDays`
 * marked. Pure, so the page only shows it.
 */
export function monthCalendar(today: string, checkedDays: string[]): CalendarCell[] {
  const [year, month] = today.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(year, month - 1, 1));
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const leading = (first.getUTCDay() + 6) % 7;
  const checked = new Set(checkedDays);
  const prefix = today.slice(0, 8);
  const blanks = Array.from({ length: leading }, (_, i): CalendarCell => ({ key: `blank-${i}`, date: 0, checked: false, today: false }));
  const cells = Array.from({ length: days }, (_, i): CalendarCell => {
    const day = `${prefix}${String(i + 1).padStart(2, '0')}`;
    return { key: day, date: i + 1, checked: checked.has(day), today: day === today };
  });
  return [...blanks, ...cells];
}
