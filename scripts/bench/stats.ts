/** Latency samples and their summary. All times are milliseconds. */

export interface Summary {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

/** Milliseconds since `start` (a `process.hrtime.bigint()` reading), at sub-microsecond resolution. */
export const msSince = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/** Nearest-rank percentile of ascending `sorted` samples. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function summarize(samples: number[]): Summary {
  if (samples.length === 0) throw new Error('no samples to summarize');
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] };
}

export const median = (samples: number[]) => summarize(samples).p50;

/**
 * Runs `op` `warmUp` times unmeasured (JIT, connection pool, caches), then `n` times one after the
 * other, and returns how long each measured run took.
 */
export async function timeSequentially(n: number, warmUp: number, op: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < warmUp; i++) await op(i);
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    await op(warmUp + i);
    samples.push(msSince(start));
  }
  return samples;
}
