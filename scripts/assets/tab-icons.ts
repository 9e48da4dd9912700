/**
 * Draws the tab bar's icons (81x81 PNGs, as WeChat recommends) into miniprogram/assets/tab/: a house, four
 * tiles and a person, grey and in the selected blue. Committed; run again only to change them:
 *   npx tsx scripts/assets/tab-icons.ts
 * Shapes are filled by 4x4 supersampling, and the PNG is written with node:zlib: no image library needed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';

const SIZE = 81;
const SAMPLES = 4;
const out = resolve(__dirname, '../../miniprogram/assets/tab');

/** Whether the point (x, y), in a 0-1 square, is inside the icon. */
type Shape = (x: number, y: number) => boolean;

const rect = (x0: number, y0: number, x1: number, y1: number, r = 0): Shape => (x, y) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const circle = (cx: number, cy: number, r: number): Shape => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const triangle = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number): Shape => (x, y) => {
  const side = (px: number, py: number, qx: number, qy: number) => (qx - px) * (y - py) - (qy - py) * (x - px);
  const [d1, d2, d3] = [side(ax, ay, bx, by), side(bx, by, cx, cy), side(cx, cy, ax, ay)];
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
};
const union = (...shapes: Shape[]): Shape => (x, y) => shapes.some((s) => s(x, y));
const minus = (shape: Shape, hole: Shape): Shape => (x, y) => shape(x, y) && !hole(x, y);

const ICONS: Record<string, Shape> = {
  home: minus(union(triangle(0.5, 0.12, 0.1, 0.48, 0.9, 0.48), rect(0.2, 0.44, 0.8, 0.86, 0.04)), rect(0.42, 0.6, 0.58, 0.87)),
  category: union(rect(0.14, 0.14, 0.46, 0.46, 0.08), rect(0.54, 0.14, 0.86, 0.46, 0.08), rect(0.14, 0.54, 0.46, 0.86, 0.08), rect(0.54, 0.54, 0.86, 0.86, 0.08)),
  me: union(circle(0.5, 0.33, 0.19), minus(circle(0.5, 0.98, 0.38), rect(0, 0.9, 1, 1))),
};
const COLOURS = { normal: [0x8f, 0x95, 0x9e], selected: [0x00, 0x52, 0xd9] } as const;

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An RGBA PNG of `shape` in `colour`, its edges anti-aliased by coverage. */
function png(shape: Shape, [r, g, b]: readonly number[]): Buffer {
  const rows: Buffer[] = [];
  for (let py = 0; py < SIZE; py++) {
    const row = Buffer.alloc(1 + SIZE * 4);
    for (let px = 0; px < SIZE; px++) {
      let covered = 0;
      for (let sy = 0; sy < SAMPLES; sy++) for (let sx = 0; sx < SAMPLES; sx++) if (shape((px + (sx + 0.5) / SAMPLES) / SIZE, (py + (sy + 0.5) / SAMPLES) / SIZE)) covered++;
      row.set([r!, g!, b!, Math.round((255 * covered) / SAMPLES ** 2)], 1 + px * 4);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

mkdirSync(out, { recursive: true });
for (const [name, shape] of Object.entries(ICONS)) {
  for (const [state, colour] of Object.entries(COLOURS)) {
    const file = join(out, `${name}${state === 'selected' ? '-selected' : ''}.png`);
    writeFileSync(file, png(shape, colour));
    console.log(file);
  }
}
