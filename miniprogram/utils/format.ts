/** How the pages write money (fen), durations, counts and dates for learners. */

/** An amount of money: 990 -> "¥9.9", 19900 -> "¥199", 0 -> "¥0". */
export const formatAmount = (fen: number) => `¥${Number((fen / 100).toFixed(2))}`;

/** A price: as formatAmount, but 0 -> "免费". */
export function formatPrice(fen: number): string {
  return fen === 0 ? '免费' : formatAmount(fen);
}

/** 420 -> "7 分钟", 5400 -> "1 小时 30 分钟". */
export function formatDuration(seconds: number): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  if (minutes < 60) return `${minutes} 分钟`;
  const rest = minutes % 60;
  return rest ? `${Math.floor(minutes / 60)} 小时 ${rest} 分钟` : `${minutes / 60} 小时`;
}

/** 860 -> "860", 12860 -> "1.3万". */
export function formatCount(count: number): string {
  return count < 10000 ? String(count) : `${Number((count / 10000).toFixed(1))}万`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO time -> "2026-10-31". */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** An ISO time -> "11月3日 20:00", in the learner's time zone. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return `${date.getMonth() + 1}月${date.getDate()}日 ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A player's clock: 75 -> "1:15", 3725 -> "1:02:05". */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** A file's size: 512 -> "512 B", 1536 -> "1.5 KB", 5242880 -> "5.0 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The time left until `iso`, as a countdown: "05:09" under an hour, "23:59:08" otherwise; "00:00" once past. */
export function formatCountdown(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.floor((new Date(iso).getTime() - now) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${pad(h)}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}
