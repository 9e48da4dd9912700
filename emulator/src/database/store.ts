import { open, type Database, type RootDatabase } from 'lmdb';
import { CloudBaseError, invalidParam } from '../errors';
import type { Doc } from '../ejson';
import { decode, encode } from '../ejson';
import { IndexSet, type IndexSpec } from './indexes';

export type DocId = string | number;

/** One document's new state (null = removed), as persisted in one LMDB transaction. */
export interface Change {
  collection: string;
  id: DocId;
  doc: Doc | null;
}

export interface CollectionMeta {
  name: string;
  indexes: IndexSpec[];
}

export class Collection {
  readonly docs = new Map<DocId, Doc>();
  readonly indexes: IndexSet;

  constructor(
    readonly name: string,
    indexSpecs: IndexSpec[],
  ) {
    this.indexes = new IndexSet(name, indexSpecs);
  }
}

/**
 * The emulator's durable document store. LMDB is the source of truth; every collection is also held
 * parsed in memory with its indexes, so reads never touch the disk. A write is applied to memory
 * synchronously (so concurrent requests see a single order of changes) and acknowledged only after
 * the LMDB transaction that persists it has committed, which survives `kill -9` of the process.
 */
export class Store {
  private readonly collections = new Map<string, Collection>();

  private constructor(
    private readonly env: RootDatabase,
    private readonly meta: Database<CollectionMeta, string>,
    private readonly rows: Database<string, [string, DocId]>,
  ) {}

  static open(path: string): Store {
    // noSync: a committed transaction is in the kernel's page cache, which survives the emulator being
    // killed (kill -9), though not a power cut; syncing to disk would cost ~0.7 ms per write.
    const env = open({ path, maxDbs: 4, noSync: true });
    const meta = env.openDB<CollectionMeta, string>({ name: 'collections' });
    const rows = env.openDB<string, [string, DocId]>({ name: 'documents', encoding: 'string' });
    const store = new Store(env, meta, rows);
    store.load();
    return store;
  }

  private load() {
    for (const { value } of this.meta.getRange()) {
      this.collections.set(value.name, new Collection(value.name, value.indexes));
    }
    for (const { key, value } of this.rows.getRange()) {
      const coll = this.collections.get(key[0]);
      if (!coll) continue;
      const doc = decode(value, 'stored document') as Doc;
      coll.docs.set(key[1], doc);
      coll.indexes.add(key[1], doc);
    }
  }

  get isEmpty() {
    return this.collections.size === 0;
  }

  collection(name: string): Collection {
    const coll = this.collections.get(name);
    if (!coll) {
      throw new CloudBaseError('DATABASE_COLLECTION_NOT_EXIST', `Db or Table not exist: ${name}`);
    }
    return coll;
  }

  hasCollection(name: string) {
    return this.collections.has(name);
  }

  listCollections(): CollectionMeta[] {
    return [...this.collections.values()].map((c) => ({ name: c.name, indexes: c.indexes.specs }));
  }

  async createCollection(name: string): Promise<void> {
    validateCollectionName(name);
    if (this.collections.has(name)) {
      throw new CloudBaseError('DATABASE_COLLECTION_ALREADY_EXIST', `Table exist: ${name}`);
    }
    this.collections.set(name, new Collection(name, []));
    await this.meta.put(name, { name, indexes: [] });
  }

  /** Adds an index (building it over the existing documents) or does nothing if an equal one exists. */
  async ensureIndex(name: string, spec: IndexSpec): Promise<void> {
    const coll = this.collection(name);
    if (coll.indexes.has(spec)) return;
    coll.indexes.create(spec, coll.docs);
    await this.meta.put(name, { name, indexes: coll.indexes.specs });
  }

  /**
   * Applies changes to memory after checking unique indexes, then persists them atomically.
   * Synchronous up to the returned promise, so a batch never interleaves with another request.
   */
  commit(changes: Change[]): Promise<void> {
    const byCollection = new Map<string, Change[]>();
    for (const change of changes) {
      const list = byCollection.get(change.collection) ?? [];
      list.push(change);
      byCollection.set(change.collection, list);
    }
    for (const [name, list] of byCollection) this.collection(name).indexes.checkUnique(list);
    for (const change of changes) {
      const coll = this.collection(change.collection);
      const before = coll.docs.get(change.id);
      if (before) coll.indexes.remove(change.id, before);
      if (change.doc) {
        coll.docs.set(change.id, change.doc);
        coll.indexes.add(change.id, change.doc);
      } else {
        coll.docs.delete(change.id);
      }
    }
    const encoded = changes.map((c) => ({ key: [c.collection, c.id] as [string, DocId], value: c.doc && encode(c.doc) }));
    return this.rows.transaction(() => {
      for (const { key, value } of encoded) {
        if (value === null) this.rows.remove(key);
        else this.rows.put(key, value);
      }
    }) as Promise<void>;
  }

  async close() {
    await this.env.close();
  }
}

function validateCollectionName(name: string) {
  // CloudBase: 1-32 characters of letters, digits, underscore and hyphen, not starting with a digit.
  if (!/^[A-Za-z_][A-Za-z0-9_-]{0,31}$/.test(name)) {
    throw invalidParam(`invalid collection name "${name}": 1-32 letters, digits, "_" or "-", not starting with a digit`);
  }
}
