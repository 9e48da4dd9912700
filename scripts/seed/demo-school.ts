/**
 * The demo school into a CloudBase environment through the real `@cloudbase/node-sdk` (issue 13): its media
 * uploaded under `demo/`, its documents written with every file ID rewritten to the target environment's,
 * in the console import format's collections (`database/demo/<collection>.jsonl`). Running it again changes
 * nothing: a file already stored with the same size is not uploaded again, and a document equal to what is
 * stored is not written.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { decode } from '../../emulator/src/ejson';

/** The file IDs the demo's documents were generated with (scripts/demo/school.ts: the emulator's `local-env`). */
export const DEMO_FILE_PREFIX = 'cloud://local-env.6c6f-local-env-1300000000/demo/';

/** What the script uses of node-sdk's app (typed here: the SDK's own types are loose). */
export interface SeedTarget {
  uploadFile(params: { cloudPath: string; fileContent: Buffer }): Promise<{ fileID: string }>;
  getTempFileURL(params: { fileList: string[] }): Promise<{ fileList: Array<{ fileID: string; code?: string; tempFileURL: string }> }>;
  database(): {
    createCollection(name: string): Promise<unknown>;
    collection(name: string): {
      doc(id: string): { get(): Promise<{ data: Array<Record<string, unknown>> }>; set(data: Record<string, unknown>): Promise<unknown> };
    };
  };
}

export interface SeedReport {
  media: { uploaded: number; unchanged: number };
  documents: Record<string, { written: number; unchanged: number }>;
  /** what the demo's file IDs became in the target */
  filePrefix: string;
}

/** Replaces the demo's file prefix in every string of `value` (file IDs, and images inside article HTML). */
function rewriteFileIds(value: unknown, prefix: string): unknown {
  if (typeof value === 'string') return value.split(DEMO_FILE_PREFIX).join(prefix);
  if (Array.isArray(value)) return value.map((v) => rewriteFileIds(v, prefix));
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteFileIds(v, prefix)]));
}

/** A document as text with its keys in order, to tell whether what is stored already is what would be written. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/** Whether the file at `url` is `size` bytes long (its Content-Length). */
async function sizeIs(url: string, size: number): Promise<boolean> {
  const res = await fetch(url, { method: 'HEAD' });
  return res.ok && Number(res.headers.get('content-length')) === size;
}

/** Where the seed remembers the prefix the demo's files got in the target, so a second run uploads nothing. */
const MARKER = { collection: 'settings', id: 'demoMedia' };

/**
 * Uploads the media missing from the target (or stored with another size). The target's file IDs are
 * learned from the first upload of a first run, and remembered (`settings/demoMedia`); a later run checks
 * every file through them and uploads only what is missing. Answers the prefix of the demo's files.
 */
async function seedMedia(app: SeedTarget, dir: string, report: SeedReport): Promise<string> {
  const names = readdirSync(dir).sort();
  if (!names.length) throw new Error(`${dir} has no media`);
  const db = app.database();
  await db.createCollection(MARKER.collection).catch(() => undefined);
  const marker = (await db.collection(MARKER.collection).doc(MARKER.id).get()).data[0] as { filePrefix?: string } | undefined;
  let prefix = marker?.filePrefix;
  let pending = names;
  if (!prefix) {
    const [first, ...rest] = names;
    const { fileID } = await app.uploadFile({ cloudPath: `demo/${first}`, fileContent: readFileSync(join(dir, first!)) });
    report.media.uploaded++;
    prefix = fileID.slice(0, -first!.length);
    await db.collection(MARKER.collection).doc(MARKER.id).set({ filePrefix: prefix });
    pending = rest;
  }
  const { fileList } = await app.getTempFileURL({ fileList: pending.map((name) => `${prefix}${name}`) });
  for (const [i, name] of pending.entries()) {
    const stored = fileList[i];
    const path = join(dir, name);
    if (stored?.tempFileURL && (await sizeIs(stored.tempFileURL, statSync(path).size))) {
      report.media.unchanged++;
      continue;
    }
    await app.uploadFile({ cloudPath: `demo/${name}`, fileContent: readFileSync(path) });
    report.media.uploaded++;
  }
  return prefix;
}

/** Reads `<collection>.jsonl`: one document per line, dates as `{"$date": ...}`. */
function documentsOf(file: string): Array<Record<string, unknown> & { _id: string }> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line, i) => ({ line: line.trim(), i }))
    .filter(({ line }) => line)
    .map(({ line, i }) => {
      const doc = decode(line, `${file}:${i + 1}`) as Record<string, unknown>;
      if (typeof doc._id !== 'string') throw new Error(`${file}:${i + 1}: every demo document needs a string _id`);
      return doc as Record<string, unknown> & { _id: string };
    });
}

export async function seedDemoSchool(app: SeedTarget, demoDir: string, log: (line: string) => void = () => {}): Promise<SeedReport> {
  const report: SeedReport = { media: { uploaded: 0, unchanged: 0 }, documents: {}, filePrefix: '' };
  report.filePrefix = await seedMedia(app, join(demoDir, 'media'), report);
  log(`media: ${report.media.uploaded} uploaded, ${report.media.unchanged} already there (${report.filePrefix})`);
  const db = app.database();
  for (const file of readdirSync(demoDir).filter((f) => f.endsWith('.jsonl')).sort()) {
    const collection = basename(file, '.jsonl');
    // Created by `npm run provision` with its indexes; here only so that seeding alone works too.
    await db.createCollection(collection).catch(() => undefined);
    const counts = { written: 0, unchanged: 0 };
    for (const { _id, ...doc } of documentsOf(join(demoDir, file))) {
      const wanted = rewriteFileIds(doc, report.filePrefix) as Record<string, unknown>;
      const [stored] = (await db.collection(collection).doc(_id).get()).data;
      const { _id: _storedId, ...storedDoc } = stored ?? {};
      if (stored && canonical(storedDoc) === canonical(wanted)) {
        counts.unchanged++;
        continue;
      }
      await db.collection(collection).doc(_id).set(wanted);
      counts.written++;
    }
    report.documents[collection] = counts;
    log(`${collection}: ${counts.written} written, ${counts.unchanged} unchanged`);
  }
  return report;
}
