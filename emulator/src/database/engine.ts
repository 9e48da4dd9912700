import { randomBytes } from 'node:crypto';
import { aggregate, find } from 'mingo';
import type { Doc } from '../ejson';
import { decode, deepClone, encode } from '../ejson';
import { CloudBaseError, invalidParam } from '../errors';
import { LockTable } from './locks';
import { match } from './query';
import { modify, toModifier } from './update';
import type { Change, Collection, DocId, Store } from './store';

/** CloudBase: at most 1000 documents per read from a cloud function; the SDK defaults to 100. */
export const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 100;
/** CloudBase: `aggregate().end()` returns 20 documents unless the pipeline has a `$limit`. */
const AGGREGATE_DEFAULT_LIMIT = 20;

/** The `database.*` actions of the admin API this engine answers. */
export const DATABASE_ACTIONS = [
  'database.getDocument',
  'database.calculateDocument',
  'database.insertDocument',
  'database.modifyDocument',
  'database.removeDocument',
  'database.aggregateDocuments',
  'database.addCollection',
  'database.startTransaction',
  'database.commitTransaction',
  'database.abortTransaction',
] as const;
export type DatabaseAction = (typeof DATABASE_ACTIONS)[number];

export interface DbParams {
  collectionName?: string;
  queryType?: 'WHERE' | 'DOC';
  query?: string;
  order?: string;
  offset?: number;
  limit?: number;
  projection?: string;
  data?: string | string[];
  multi?: boolean;
  merge?: boolean;
  upsert?: boolean;
  stages?: Array<{ stageKey: string; stageValue: string }>;
  transactionId?: string;
}

export interface DbResult {
  body: Record<string, unknown>;
  /** documents tested to answer the request (for the "no collection scan" checks) */
  examined: number;
}

interface Transaction {
  id: string;
  locks: Set<string>;
  writes: Map<string, Change>;
  idleTimer: NodeJS.Timeout;
  /** why the transaction cannot commit (a deadlock or lock timeout); its commit fails with a conflict */
  doomed?: CloudBaseError;
}

export interface EngineOptions {
  lockTimeoutMs: number;
  transactionIdleMs: number;
}

const newId = () => randomBytes(16).toString('hex');
const lockKey = (collection: string, id: DocId) => `${collection}\u0000${typeof id}:${id}`;

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalidParam(`${what} must be an object`);
  return value as Record<string, unknown>;
}

function decodeObject(text: unknown, what: string) {
  try {
    return asObject(decode(text, what), what);
  } catch (e) {
    if (e instanceof CloudBaseError) throw e;
    throw invalidParam((e as Error).message);
  }
}

function docId(query: Record<string, unknown>): DocId {
  const id = query._id;
  if (typeof id !== 'string' && typeof id !== 'number') throw invalidParam('a DOC request needs query {_id}');
  return id;
}

function storedId(doc: Doc): DocId {
  return doc._id as DocId;
}

const same = (a: Doc | undefined | null, b: Doc | null) => (a ? encode(a) : null) === (b ? encode(b) : null);

/** The database actions of the CloudBase admin API (`database.*`), over the durable store. */
export class DatabaseEngine {
  private readonly transactions = new Map<string, Transaction>();
  private readonly locks: LockTable;

  constructor(
    private readonly store: Store,
    private readonly options: EngineOptions,
  ) {
    this.locks = new LockTable(options.lockTimeoutMs);
  }

  async handle(action: DatabaseAction, params: DbParams): Promise<DbResult> {
    switch (action) {
      case 'database.getDocument':
        return this.getDocument(params);
      case 'database.calculateDocument':
        return this.calculateDocument(params);
      case 'database.insertDocument':
        return this.insertDocument(params);
      case 'database.modifyDocument':
        return this.modifyDocument(params);
      case 'database.removeDocument':
        return this.removeDocument(params);
      case 'database.aggregateDocuments':
        return this.aggregateDocuments(params);
      case 'database.addCollection':
        await this.store.createCollection(String(params.collectionName ?? ''));
        return { body: {}, examined: 0 };
      case 'database.startTransaction':
        return { body: { transactionId: this.startTransaction() }, examined: 0 };
      case 'database.commitTransaction':
        await this.commitTransaction(this.transaction(params.transactionId));
        return { body: {}, examined: 0 };
      case 'database.abortTransaction':
        this.abortTransaction(this.transaction(params.transactionId));
        return { body: {}, examined: 0 };
    }
  }

  // ---- reads

  private async getDocument(p: DbParams): Promise<DbResult> {
    const coll = this.store.collection(this.collectionName(p));
    const query = decodeObject(p.query, 'query');
    const tx = this.optionalTransaction(p.transactionId);
    if (tx) {
      if (p.queryType !== 'DOC') throw this.notSingleDocument('where().get()');
      const doc = await this.readInTransaction(tx, coll.name, docId(query));
      const list = doc ? [this.project([doc], p.projection)[0]] : [];
      return { body: { data: { list: list.map(encode) } }, examined: 1 };
    }
    const limit = p.limit === undefined ? DEFAULT_LIMIT : p.limit;
    const offset = p.offset ?? 0;
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT) {
      throw invalidParam(`limit must be an integer from 0 to ${MAX_LIMIT}, got ${limit}`);
    }
    if (!Number.isInteger(offset) || offset < 0) throw invalidParam(`offset must be a non-negative integer, got ${offset}`);
    const order = decodeObject(p.order, 'order');
    const sorted = Object.keys(order).length > 0;
    const { ids, examined } = match(coll, query, sorted ? Infinity : offset + limit);
    const docs = ids.map((id) => coll.docs.get(id)!);
    let cursor = find(docs, {}, this.projection(p.projection));
    if (sorted) cursor = cursor.sort(order as Record<string, 1 | -1>);
    const list = cursor.skip(offset).limit(limit).all();
    return { body: { data: { list: list.map(encode) } }, examined };
  }

  private calculateDocument(p: DbParams): DbResult {
    if (p.transactionId) throw this.notSingleDocument('count()');
    const coll = this.store.collection(this.collectionName(p));
    const { ids, examined } = match(coll, decodeObject(p.query, 'query'));
    return { body: { data: { total: ids.length } }, examined };
  }

  private aggregateDocuments(p: DbParams): DbResult {
    if (p.transactionId) throw this.notSingleDocument('aggregate()');
    const coll = this.store.collection(this.collectionName(p));
    if (!Array.isArray(p.stages)) throw invalidParam('stages must be an array');
    const pipeline = p.stages.map(({ stageKey, stageValue }) => {
      if (typeof stageKey !== 'string' || !stageKey.startsWith('$')) throw invalidParam(`invalid stage ${String(stageKey)}`);
      return { [stageKey]: decode(stageValue, `stage ${stageKey}`) };
    });
    if (!pipeline.some((s) => '$limit' in s)) pipeline.push({ $limit: AGGREGATE_DEFAULT_LIMIT });
    let list: unknown[];
    try {
      list = aggregate([...coll.docs.values()], pipeline, {
        collectionResolver: (name: string) => [...this.store.collection(name).docs.values()],
      });
    } catch (e) {
      if (e instanceof CloudBaseError) throw e;
      throw new CloudBaseError('DATABASE_REQUEST_FAILED', `aggregate failed: ${(e as Error).message}`);
    }
    return { body: { data: { list: list.map(encode) } }, examined: coll.docs.size };
  }

  // ---- writes

  private async insertDocument(p: DbParams): Promise<DbResult> {
    const collection = this.collectionName(p);
    const coll = this.store.collection(collection);
    const texts = Array.isArray(p.data) ? p.data : [p.data];
    if (texts.length === 0) throw invalidParam('data must hold at least one document');
    const docs = texts.map((t) => decodeObject(t, 'document') as Doc);
    for (const doc of docs) {
      if (doc._id === undefined) doc._id = newId();
      if (typeof doc._id !== 'string' && typeof doc._id !== 'number') throw invalidParam('_id must be a string or a number');
    }
    const tx = this.optionalTransaction(p.transactionId);
    if (tx) {
      if (docs.length !== 1) throw this.notSingleDocument('add() of several documents');
      const [doc] = docs;
      const existing = await this.readInTransaction(tx, collection, storedId(doc));
      if (existing) throw this.duplicateId(collection, storedId(doc));
      this.writeInTransaction(tx, { collection, id: storedId(doc), doc });
      return { body: { data: { insertedIds: [doc._id] } }, examined: 0 };
    }
    return this.whenUnlocked(collection, () => docs.map(storedId), async (ids) => {
      for (const id of ids) if (coll.docs.has(id)) throw this.duplicateId(collection, id);
      await this.store.commit(docs.map((doc) => ({ collection, id: storedId(doc), doc })));
      return { body: { data: { insertedIds: ids } }, examined: 0 };
    });
  }

  private async modifyDocument(p: DbParams): Promise<DbResult> {
    const collection = this.collectionName(p);
    const coll = this.store.collection(collection);
    const query = decodeObject(p.query, 'query');
    const data = decodeObject(p.data, 'data');
    const replace = p.merge === false;
    const next = (current: Doc | undefined, id: DocId): Doc =>
      replace ? { ...data, _id: id } : modify(current ?? { _id: id }, toModifier(data));
    if (replace && Object.keys(data).some((k) => k.startsWith('$'))) throw invalidParam('set() takes a document, not update operators');

    const tx = this.optionalTransaction(p.transactionId);
    if (tx) {
      if (p.queryType !== 'DOC') throw this.notSingleDocument('where().update()');
      const id = docId(query);
      const current = await this.readInTransaction(tx, collection, id);
      if (!current && !p.upsert) return { body: { data: { updated: 0 } }, examined: 1 };
      const doc = next(current ?? undefined, id);
      this.writeInTransaction(tx, { collection, id, doc });
      return { body: { data: current ? { updated: same(current, doc) ? 0 : 1 } : { updated: 0, upsert_id: id } }, examined: 1 };
    }

    const { targets, examined } = this.targets(coll, p, query);
    return this.whenUnlocked(collection, targets, async (ids) => {
      const existing = ids.filter((id) => coll.docs.has(id));
      if (existing.length === 0) {
        if (!p.upsert) return { body: { data: { updated: 0 } }, examined: examined() };
        // A DOC upsert creates the document it named; a WHERE upsert takes the query's equalities.
        const id = p.queryType === 'DOC' ? ids[0] : ((query._id as DocId | undefined) ?? newId());
        const seed = p.queryType === 'DOC' ? { _id: id } : { ...equalityFields(query), _id: id };
        const doc = replace ? { ...data, _id: id } : modify(seed, toModifier(data));
        await this.store.commit([{ collection, id, doc }]);
        return { body: { data: { updated: 0, upsert_id: id } }, examined: examined() };
      }
      const changes = existing
        .map((id) => ({ collection, id, doc: next(coll.docs.get(id), id) }))
        .filter((c) => !same(coll.docs.get(c.id), c.doc));
      await this.store.commit(changes);
      return { body: { data: { updated: changes.length } }, examined: examined() };
    });
  }

  private async removeDocument(p: DbParams): Promise<DbResult> {
    const collection = this.collectionName(p);
    const coll = this.store.collection(collection);
    const query = decodeObject(p.query, 'query');
    const tx = this.optionalTransaction(p.transactionId);
    if (tx) {
      if (p.queryType !== 'DOC') throw this.notSingleDocument('where().remove()');
      const id = docId(query);
      const current = await this.readInTransaction(tx, collection, id);
      if (current) this.writeInTransaction(tx, { collection, id, doc: null });
      return { body: { data: { deleted: current ? 1 : 0 } }, examined: 1 };
    }
    const { targets, examined } = this.targets(coll, p, query);
    return this.whenUnlocked(collection, targets, async (ids) => {
      const existing = ids.filter((id) => coll.docs.has(id));
      await this.store.commit(existing.map((id) => ({ collection, id, doc: null })));
      return { body: { data: { deleted: existing.length } }, examined: examined() };
    });
  }

  /** The documents a write outside a transaction targets, re-evaluated after each wait for a lock. */
  private targets(coll: Collection, p: DbParams, query: Record<string, unknown>) {
    let examined = 0;
    const targets = () => {
      if (p.queryType === 'DOC') {
        examined = 1;
        return [docId(query)];
      }
      const found = match(coll, query, p.multi === false ? 1 : Infinity);
      examined = found.examined;
      return found.ids;
    };
    return { targets, examined: () => examined };
  }

  /**
   * Runs `write` once no transaction holds any of the documents `targets` names. `targets` is evaluated
   * again after every wait, and `write` starts in the same turn as the final check, so no transaction
   * can lock a document in between.
   */
  private async whenUnlocked<T>(collection: string, targets: () => DocId[], write: (ids: DocId[]) => Promise<T>): Promise<T> {
    for (;;) {
      const ids = targets();
      const busy = ids.map((id) => lockKey(collection, id)).filter((key) => this.locks.holder(key) !== undefined);
      if (busy.length === 0) return write(ids);
      await this.locks.waitFree(busy);
    }
  }

  // ---- transactions

  private startTransaction(): string {
    const id = newId();
    const tx: Transaction = { id, locks: new Set(), writes: new Map(), idleTimer: this.idleTimer(id) };
    this.transactions.set(id, tx);
    return id;
  }

  private idleTimer(id: string) {
    return setTimeout(() => {
      const tx = this.transactions.get(id);
      if (tx) this.abortTransaction(tx);
    }, this.options.transactionIdleMs).unref();
  }

  private transaction(id: string | undefined): Transaction {
    const tx = id === undefined ? undefined : this.transactions.get(id);
    if (!tx) {
      throw new CloudBaseError('DATABASE_TRANSACTION_FAIL', `transaction ${String(id)} does not exist: it was committed, aborted or expired`);
    }
    clearTimeout(tx.idleTimer);
    tx.idleTimer = this.idleTimer(tx.id);
    return tx;
  }

  private optionalTransaction(id: string | undefined) {
    return id ? this.transaction(id) : undefined;
  }

  /**
   * Locks the document for the transaction and returns its state as the transaction sees it.
   *
   * A deadlock or lock timeout does not fail this request: wx-server-sdk rethrows errors of reads and
   * writes inside a transaction as -501001, so its runTransaction would give up. The transaction is
   * doomed instead, runs on without locks, and its commit fails with DATABASE_TRANSACTION_CONFLICT,
   * the one error runTransaction retries.
   */
  private async readInTransaction(tx: Transaction, collection: string, id: DocId): Promise<Doc | null> {
    const key = lockKey(collection, id);
    if (!tx.doomed) {
      try {
        await this.locks.acquire(tx.id, key);
        tx.locks.add(key);
      } catch (e) {
        if (!(e instanceof CloudBaseError) || e.code !== 'DATABASE_TRANSACTION_CONFLICT') throw e;
        tx.doomed = e;
      }
    }
    if (!this.transactions.has(tx.id)) {
      this.locks.releaseAll(tx.id, [key]);
      throw new CloudBaseError('DATABASE_TRANSACTION_FAIL', `transaction ${tx.id} ended while waiting for a lock`);
    }
    const written = tx.writes.get(key);
    if (written) return written.doc && deepClone(written.doc);
    const doc = this.store.collection(collection).docs.get(id);
    return doc ? deepClone(doc) : null;
  }

  private writeInTransaction(tx: Transaction, change: Change) {
    tx.writes.set(lockKey(change.collection, change.id), change);
  }

  private async commitTransaction(tx: Transaction) {
    this.end(tx);
    const changes = [...tx.writes.values()];
    try {
      if (tx.doomed) throw tx.doomed;
      if (changes.length) await this.store.commit(changes);
    } finally {
      this.locks.releaseAll(tx.id, tx.locks);
    }
  }

  private abortTransaction(tx: Transaction) {
    this.end(tx);
    this.locks.cancelWait(tx.id);
    this.locks.releaseAll(tx.id, tx.locks);
  }

  private end(tx: Transaction) {
    clearTimeout(tx.idleTimer);
    this.transactions.delete(tx.id);
  }

  // ---- helpers

  private collectionName(p: DbParams): string {
    if (typeof p.collectionName !== 'string' || !p.collectionName) throw invalidParam('collectionName is required');
    return p.collectionName;
  }

  private projection(text: string | undefined) {
    const projection = decodeObject(text, 'projection');
    return Object.keys(projection).length ? projection : undefined;
  }

  private project(docs: Doc[], text: string | undefined): Doc[] {
    const projection = this.projection(text);
    return projection ? (find(docs, {}, projection).all() as Doc[]) : docs;
  }

  private notSingleDocument(what: string) {
    return new CloudBaseError(
      'DATABASE_TRANSACTION_FAIL',
      `${what} is not allowed in a transaction: only single-document operations (doc().get/set/update/remove, add) are`,
    );
  }

  private duplicateId(collection: string, id: DocId) {
    return new CloudBaseError(
      'DATABASE_REQUEST_FAILED',
      `E11000 duplicate key error collection: ${collection} index: _id_ dup key: { _id: ${JSON.stringify(id)} }`,
    );
  }
}

/** The fields an upsert's new document takes from its query (plain equalities only). */
function equalityFields(query: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(query)) {
    if (k.startsWith('$') || k.includes('.')) continue;
    if (v === null || typeof v !== 'object' || v instanceof Date) out[k] = v;
  }
  return out;
}
