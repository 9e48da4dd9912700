import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connectSdk } from './sdk';
import { basename, join } from 'node:path';
import type { Doc } from './ejson';
import { decode } from './ejson';
import type { IndexSpec } from './database/indexes';
import type { Store } from './database/store';

/** `database/collections.json`: every collection with its purpose, indexes and client security rule. */
export interface DatabaseSchema {
  collections: Record<string, { description: string; indexes?: IndexSpec[]; rules?: unknown }>;
}

export function readSchema(file: string): DatabaseSchema {
  return JSON.parse(readFileSync(file, 'utf8')) as DatabaseSchema;
}

/** Creates missing collections and indexes; safe to run on every start. */
export async function applySchema(store: Store, schema: DatabaseSchema) {
  for (const [name, spec] of Object.entries(schema.collections)) {
    if (!store.hasCollection(name)) await store.createCollection(name);
    for (const index of spec.indexes ?? []) await store.ensureIndex(name, index);
  }
}

/**
 * Loads `<dir>/<collection>.jsonl` files: UTF-8 JSON Lines, one document per line, dates as
 * `{"$date": "2026-01-01T00:00:00.000Z"}`, the format the CloudBase console imports.
 */
export async function loadDemoData(store: Store, dir: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  if (!existsSync(dir)) return counts;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    const collection = basename(file, '.jsonl');
    if (!store.hasCollection(collection)) await store.createCollection(collection);
    const docs = readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .map((line, i) => ({ line: line.trim(), i }))
      .filter(({ line }) => line)
      .map(({ line, i }) => {
        const doc = decode(line, `${file}:${i + 1}`) as Doc;
        if (typeof doc._id !== 'string') throw new Error(`${file}:${i + 1}: every demo document needs a string _id`);
        return doc;
      });
    await store.commit(docs.map((doc) => ({ collection, id: doc._id as string, doc })));
    counts[collection] = docs.length;
  }
  return counts;
}

/**
 * Uploads `<dir>/*` to cloud storage under `demo/` through the real SDK, as loading the demo school into
 * a real environment would; the demo documents refer to them by the file IDs this gives.
 */
export async function uploadDemoMedia(sdkEnv: Record<string, string>, dir: string): Promise<number> {
  if (!existsSync(dir)) return 0;
  const cloud = connectSdk(sdkEnv);
  const names = readdirSync(dir).sort();
  for (const name of names) await cloud.uploadFile({ cloudPath: `demo/${name}`, fileContent: readFileSync(join(dir, name)) });
  return names.length;
}
