/**
 * Promise-only types for wx-server-sdk's database API. The SDK's own typings date from its callback
 * era (every call returns `Promise<T> | void | string`) and leave transactions untyped; this file
 * describes what the SDK actually does when called without callbacks. Types only: the one cast
 * happens in `database()` below.
 */
import type * as cloud from 'wx-server-sdk';
import type { DB } from 'wx-server-sdk';

export type Document = Record<string, unknown> & { _id?: string | number };
type Stored<T> = T & { _id: string };
type Where = Record<string, unknown>;
/** a plain condition, or a command such as `_.or([...])` */
type Condition = Where | DB.DatabaseLogicCommand;

export interface QueryResult<T> {
  data: Array<Stored<T>>;
  errMsg: string;
}

export interface Query<T> {
  where(condition: Condition): Query<T>;
  orderBy(field: string, order: 'asc' | 'desc'): Query<T>;
  skip(offset: number): Query<T>;
  limit(max: number): Query<T>;
  field(projection: Record<string, boolean | number>): Query<T>;
  get(): Promise<QueryResult<T>>;
  count(): Promise<{ total: number; errMsg: string }>;
  update(options: { data: Where }): Promise<{ stats: { updated: number }; errMsg: string }>;
  remove(): Promise<{ stats: { removed: number }; errMsg: string }>;
}

export interface DocumentReference<T> {
  /** fails when the document does not exist */
  get(): Promise<{ data: Stored<T>; errMsg: string }>;
  set(options: { data: T }): Promise<{ _id: string; stats: { updated: number; created: number }; errMsg: string }>;
  update(options: { data: Where }): Promise<{ stats: { updated: number }; errMsg: string }>;
  remove(): Promise<{ stats: { removed: number }; errMsg: string }>;
}

export interface Aggregate {
  match(condition: Condition): Aggregate;
  group(spec: Where): Aggregate;
  lookup(spec: { from: string; localField: string; foreignField: string; as: string }): Aggregate;
  sort(spec: Record<string, 1 | -1>): Aggregate;
  project(spec: Where): Aggregate;
  unwind(field: string): Aggregate;
  skip(n: number): Aggregate;
  limit(n: number): Aggregate;
  end(): Promise<{ list: Document[]; errMsg: string }>;
}

export interface Collection<T = Document> extends Query<T> {
  readonly collectionName: string;
  doc(id: string | number): DocumentReference<T>;
  add(options: { data: T }): Promise<{ _id: string; errMsg: string }>;
  add(options: { data: T[] }): Promise<{ _ids: string[]; errMsg: string }>;
  aggregate(): Aggregate;
}

/** Inside a transaction only single-document operations are allowed (CloudBase's rule). */
export interface TransactionCollection<T = Document> {
  doc(id: string | number): DocumentReference<T>;
  add(options: { data: T }): Promise<{ _id: string; errMsg: string }>;
  where(condition: Condition): Pick<Query<T>, 'get'>;
}

export interface Transaction {
  collection<T = Document>(name: string): TransactionCollection<T>;
  commit(): Promise<unknown>;
  rollback(reason?: unknown): Promise<unknown>;
}

export interface Database {
  collection<T = Document>(name: string): Collection<T>;
  command: DB.DatabaseCommand;
  serverDate(options?: { offset: number }): DB.ServerDate;
  RegExp(options: { regexp: string; options?: string }): DB.RegExp;
  createCollection(name: string): Promise<{ errMsg: string }>;
  /** retries the whole callback when the commit fails with DATABASE_TRANSACTION_CONFLICT */
  runTransaction<R>(callback: (transaction: Transaction) => Promise<R>, times?: number): Promise<R>;
  startTransaction(): Promise<Transaction>;
}

export function database(sdk: typeof cloud): Database {
  return sdk.database() as unknown as Database;
}

/**
 * A document read inside a transaction, or null when it does not exist. A transaction allows no
 * `where().get()`, and wx-server-sdk's `doc().get()` fails on a missing document (`document.get:fail
 * document with _id ... does not exist`) after the read succeeded, so that failure means "absent".
 */
export async function readIfExists<T>(tx: Transaction, collection: string, id: string): Promise<Stored<T> | null> {
  try {
    return (await tx.collection<T>(collection).doc(id).get()).data;
  } catch (e) {
    if (String((e as { errMsg?: unknown }).errMsg ?? (e as Error).message).includes('does not exist')) return null;
    throw e;
  }
}

/**
 * An insert refused because the `_id` (or a unique index's key) is taken: how "create it unless it
 * exists" is written without a read first. Outside a transaction the SDK reports it in `message`; inside
 * one it rewraps it as -501001 with the same text.
 */
/**
 * One page of a sorted query in one request: a document more than the page tells whether another page
 * exists, without a count.
 */
export async function pageOf<T>(query: Query<T>, { page, pageSize }: { page: number; pageSize: number }): Promise<{ items: Array<Stored<T>>; page: number; hasMore: boolean }> {
  const { data } = await query
    .skip((page - 1) * pageSize)
    .limit(pageSize + 1)
    .get();
  return { items: data.slice(0, pageSize), page, hasMore: data.length > pageSize };
}

export function isDuplicateKey(e: unknown): boolean {
  const error = e as { errMsg?: unknown; message?: unknown } | null;
  return String(error?.errMsg ?? '').includes('duplicate key') || String(error?.message ?? '').includes('duplicate key');
}
