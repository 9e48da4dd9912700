/** How subscription message fields take values (WeChat's field types). */

/** A `thing` field holds at most 20 characters. */
export const thing = (text: string) => (text.length > 20 ? `${text.slice(0, 19)}…` : text);

/** Beijing time as `time` and `date` fields (and messages) show it: 2026-11-24 09:05. */
export const beijingMinute = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
