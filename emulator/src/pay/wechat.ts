import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';

/** Time as WeChat Pay writes it: Beijing time (UTC+8), whatever the machine's zone. */
function beijing(ms: number) {
  const d = new Date(ms + 8 * 3600_000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return {
    date: `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}`,
    dashed: `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`,
    time: `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`,
    colons: `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`,
  };
}

/** yyyyMMddHHmmss (`time_end`) */
export const compactTime = (ms: number) => {
  const b = beijing(ms);
  return b.date + b.time;
};

/** yyyy-MM-dd HH:mm:ss (`success_time` of a refund) */
export const dashedTime = (ms: number) => {
  const b = beijing(ms);
  return `${b.dashed} ${b.colons}`;
};

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

export const nonce = () => randomBytes(16).toString('hex');
export const newPrepayId = () => `wx${compactTime(Date.now())}${randomBytes(9).toString('hex')}`;
/** 28 digits, as WeChat Pay's transaction ids (4200... for balance/bank payments) */
export const newTransactionId = () => `4200${digits(6)}${beijing(Date.now()).date}${digits(10)}`;
export const newRefundId = () => `5030${digits(25)}`;

/**
 * WeChat Pay v2's MD5 signature: non-empty scalar fields sorted by name, `k=v` joined with `&`, then
 * `&key=<merchant key>`, MD5, upper case. The sandbox merchant key is derived from the sub-merchant id.
 */
export function sign(fields: Record<string, unknown>, subMchId: string): string {
  const key = createHash('md5').update(`emulator-sandbox-merchant:${subMchId}`).digest('hex');
  const text = Object.keys(fields)
    .filter((k) => k !== 'sign' && fields[k] !== undefined && fields[k] !== '' && typeof fields[k] !== 'object')
    .sort()
    .map((k) => `${k}=${String(fields[k])}`)
    .join('&');
  return createHash('md5').update(`${text}&key=${key}`).digest('hex').toUpperCase();
}

export const hmacSha256 = (key: string, text: string) => createHmac('sha256', key).update(text).digest('hex');
