import { EJSON } from 'bson';

/**
 * The SDK sends queries, updates and documents as canonical EJSON strings. Internally documents are plain
 * JS values (Date, RegExp, number); `db.serverDate()` arrives as `{$tcb_server_date: {offset}}` and becomes
 * a Date here, at the moment the server handles the request, as in the cloud.
 */
export type Doc = Record<string, unknown> & { _id?: unknown };

export function decode(text: unknown, what: string): unknown {
  if (text === undefined || text === null || text === '') return undefined;
  if (typeof text !== 'string') throw new TypeError(`${what} must be an EJSON string`);
  let value: unknown;
  try {
    value = EJSON.parse(text, { relaxed: true });
  } catch (e) {
    throw new TypeError(`${what} is not valid EJSON: ${(e as Error).message}`);
  }
  return normalize(value, Date.now());
}

export function encode(value: unknown): string {
  return EJSON.stringify(value, { relaxed: false });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/** Resolves server dates and turns BSON regular expressions into JS RegExp (mingo understands those). */
function normalize(value: unknown, now: number): unknown {
  if (Array.isArray(value)) return value.map((v) => normalize(v, now));
  if (value && typeof value === 'object' && (value as { _bsontype?: string })._bsontype === 'BSONRegExp') {
    const { pattern, options } = value as unknown as { pattern: string; options: string };
    return new RegExp(pattern, options.replace(/[^gimsuy]/g, ''));
  }
  if (!isPlainObject(value)) return value;
  const serverDate = value.$tcb_server_date as { offset?: number } | undefined;
  if (serverDate && Object.keys(value).length === 1) return new Date(now + Number(serverDate.offset ?? 0));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = normalize(v, now);
  return out;
}

export function deepClone<T>(value: T): T {
  return structuredClone(value);
}
