/** Section 1: the emulator's database at 100,000 documents, through the real SDK over HTTP. */
import type { DB } from 'wx-server-sdk';
import type { Cloud, EmulatorClient } from './client';
import { msSince, summarize, timeSequentially, type Summary } from './stats';

const COLLECTION = 'bench_lessons';
const DOCUMENTS = 100_000;
/** 1,000 courses of 100 lessons: an indexed `course` query matches 100 documents and returns 20. */
const COURSES = 1_000;
const PAGE = 20;
/** Documents per `add()`; several batches in flight keep both the SDK and the emulator busy. */
const BATCH = 1_000;
const BATCHES_IN_FLIGHT = 4;
const SAMPLES = 2_000;
const WARM_UP = 200;

export interface DatabaseResult {
  collection: string;
  documents: number;
  insert: { batch: number; inFlight: number; seconds: number; docsPerSecond: number };
  /** unmeasured requests of each kind before the measured ones */
  warmUp: number;
  pointRead: Summary;
  indexedQuery: Summary & { docsExaminedPerQuery: number; matchingPerQuery: number; returnedPerQuery: number };
}

type Db = DB.Database;

const lesson = (seq: number) => ({
  seq,
  course: `course-${seq % COURSES}`,
  title: `第 ${seq} 课`,
  durationS: 300 + (seq % 3_000),
  free: seq % 10 === 0,
  publishedAt: new Date(Date.UTC(2025, 0, 1) + seq * 60_000),
});

/** Inserts the documents with the SDK's batch `add({data: [...]})`; returns their ids in `seq` order. */
async function insertLessons(db: Db): Promise<string[]> {
  const ids: string[] = new Array(DOCUMENTS);
  let next = 0;
  const worker = async () => {
    while (next < DOCUMENTS) {
      const from = next;
      next = Math.min(DOCUMENTS, next + BATCH);
      const docs = Array.from({ length: next - from }, (_, i) => lesson(from + i));
      // wx-server-sdk's typings say `data` is one document, but it passes an array through to
      // @cloudbase/database, which sends one insertDocument request and answers `{_ids}`.
      const reply = (await db.collection(COLLECTION).add({ data: docs as unknown as DB.IDocumentData })) as unknown as { _ids?: string[] };
      if (reply._ids?.length !== docs.length) throw new Error(`add() of ${docs.length} documents answered ${JSON.stringify(reply)}`);
      reply._ids.forEach((id, i) => (ids[from + i] = id));
    }
  };
  await Promise.all(Array.from({ length: BATCHES_IN_FLIGHT }, worker));
  return ids;
}

/** A deterministic spread of sample positions, so every run reads the same documents. */
const spread = (i: number, size: number) => (i * 7_919) % size;

async function pointReads(db: Db, ids: string[]): Promise<number[]> {
  return timeSequentially(SAMPLES, WARM_UP, async (i) => {
    const id = ids[spread(i, ids.length)];
    const { data } = (await db.collection(COLLECTION).doc(id).get()) as { data: { _id: string } };
    if (data?._id !== id) throw new Error(`doc(${id}).get() answered ${JSON.stringify(data)}`);
  });
}

async function indexedQueries(db: Db): Promise<number[]> {
  return timeSequentially(SAMPLES, WARM_UP, async (i) => {
    const course = `course-${spread(i, COURSES)}`;
    const { data } = (await db.collection(COLLECTION).where({ course }).limit(PAGE).get()) as { data: unknown[] };
    if (data.length !== PAGE) throw new Error(`where({course: ${course}}) answered ${data.length} documents, expected ${PAGE}`);
  });
}

/** Documents the emulator tested per request on the collection while `run` ran (its own counter). */
async function examinedPerRequest(client: EmulatorClient, run: () => Promise<unknown>): Promise<number> {
  const before = (await client.stats()).collections[COLLECTION];
  await run();
  const after = (await client.stats()).collections[COLLECTION];
  return (after.docsExamined - before.docsExamined) / (after.requests - before.requests);
}

export async function benchDatabase(cloud: Cloud, client: EmulatorClient, progress: (line: string) => void): Promise<DatabaseResult> {
  const db = cloud.database();
  await client.createCollection(COLLECTION, [{ keys: { course: 1 } }, { keys: { seq: 1 }, unique: true }]);

  progress(`inserting ${DOCUMENTS.toLocaleString('en')} documents`);
  const insertStart = process.hrtime.bigint();
  const ids = await insertLessons(db);
  const seconds = msSince(insertStart) / 1000;

  progress(`point reads and indexed queries (${SAMPLES} each after ${WARM_UP} warm-up)`);
  const pointRead = summarize(await pointReads(db, ids));
  let querySamples: number[] = [];
  const docsExaminedPerQuery = await examinedPerRequest(client, async () => (querySamples = await indexedQueries(db)));

  return {
    collection: COLLECTION,
    documents: DOCUMENTS,
    insert: { batch: BATCH, inFlight: BATCHES_IN_FLIGHT, seconds, docsPerSecond: DOCUMENTS / seconds },
    warmUp: WARM_UP,
    pointRead,
    indexedQuery: { ...summarize(querySamples), docsExaminedPerQuery, matchingPerQuery: DOCUMENTS / COURSES, returnedPerQuery: PAGE },
  };
}
