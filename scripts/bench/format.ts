/** Number and table formatting shared by the benchmark's and the load test's reports. */

export const ms = (x: number) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
export const int = (x: number) => Math.round(x).toLocaleString('en');

/** Left-aligns the first column and right-aligns the others. */
export function table(header: string[], rows: string[][], indent = '   '): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    indent + cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('   ').trimEnd();
  return [line(header), ...rows.map(line)];
}
