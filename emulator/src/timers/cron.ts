/**
 * CloudBase timer trigger schedules: 7-field cron expressions `second minute hour day month week year`
 * (each `*`, `a`, `a-b`, one of these with a step `/n`, or a comma list of them; months JAN-DEC, weeks
 * SUN-SAT with 0 = Sunday; years 1970-2099). When both day and week are given (neither is `*`), either matches, as
 * CloudBase documents. Times are Beijing time (UTC+8, no daylight saving), the zone of CloudBase triggers.
 */

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const FIELDS: FieldSpec[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
  { name: 'year', min: 1970, max: 2099 },
];

const UTC8_MS = 8 * 3600_000;

export interface CronSchedule {
  expression: string;
  /** The first time strictly after `after` (whole seconds), or null when the schedule has no more runs. */
  next(after: Date): Date | null;
}

function parseValue(text: string, spec: FieldSpec): number {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  const value = named >= 0 ? spec.min + named : /^\d+$/.test(text) ? Number(text) : NaN;
  if (Number.isNaN(value)) throw new Error(`${spec.name}: "${text}" is not a number${spec.names ? ' or a name' : ''}`);
  if (value < spec.min || value > spec.max) throw new Error(`${spec.name}: ${value} is out of range ${spec.min}-${spec.max}`);
  return value;
}

/** The allowed values of one field, or null for `*` (any). */
function parseField(text: string, spec: FieldSpec): Set<number> | null {
  if (text === '*') return null;
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (extra !== undefined || !range) throw new Error(`${spec.name}: "${part}" is not a valid item`);
    const step = stepText === undefined ? 1 : /^\d+$/.test(stepText) ? Number(stepText) : 0;
    if (step < 1) throw new Error(`${spec.name}: step "${stepText}" must be a positive integer`);
    let from: number;
    let to: number;
    if (range === '*') [from, to] = [spec.min, spec.max];
    else if (range.includes('-')) {
      const [a, b, more] = range.split('-');
      if (more !== undefined) throw new Error(`${spec.name}: "${range}" is not a valid range`);
      [from, to] = [parseValue(a!, spec), parseValue(b!, spec)];
      if (from > to) throw new Error(`${spec.name}: range "${range}" runs backwards`);
    } else {
      from = parseValue(range, spec);
      // `a/n` runs from a to the end of the field's range.
      to = stepText === undefined ? from : spec.max;
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 7) {
    throw new Error(`"${expression}": a CloudBase cron expression has 7 fields (second minute hour day month week year), not ${parts.length}`);
  }
  let fields: Array<Set<number> | null>;
  try {
    fields = parts.map((part, i) => parseField(part, FIELDS[i]!));
  } catch (e) {
    throw new Error(`"${expression}": ${(e as Error).message}`);
  }
  const [second, minute, hour, day, month, week, year] = fields;
  const has = (field: Set<number> | null, value: number) => field === null || field.has(value);
  const dayMatches = (d: Date) => {
    if (day && week) return day.has(d.getUTCDate()) || week.has(d.getUTCDay());
    return has(day, d.getUTCDate()) && has(week, d.getUTCDay());
  };

  return {
    expression,
    next(after) {
      // Work on Beijing wall-clock time through the UTC getters of a shifted instant.
      let t = Math.floor((after.getTime() + UTC8_MS) / 1000) * 1000 + 1000;
      for (;;) {
        const d = new Date(t);
        const y = d.getUTCFullYear();
        if (y > 2099) return null;
        if (!has(year, y)) {
          t = Date.UTC(y + 1, 0, 1);
        } else if (!has(month, d.getUTCMonth() + 1)) {
          t = Date.UTC(y, d.getUTCMonth() + 1, 1);
        } else if (!dayMatches(d)) {
          t = Date.UTC(y, d.getUTCMonth(), d.getUTCDate() + 1);
        } else if (!has(hour, d.getUTCHours())) {
          t = Date.UTC(y, d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
        } else if (!has(minute, d.getUTCMinutes())) {
          t = Date.UTC(y, d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes() + 1);
        } else if (!has(second, d.getUTCSeconds())) {
          t += 1000;
        } else {
          return new Date(t - UTC8_MS);
        }
      }
    },
  };
}
