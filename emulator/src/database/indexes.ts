import { CloudBaseError } from '../errors';
import type { Doc } from '../ejson';
import { encode } from '../ejson';
import type { Change, DocId } from './store';

/** As declared in `database/collections.json`: `{"keys": {"course": 1, "createdAt": -1}, "unique": false}`. */
export interface IndexSpec {
  name?: string;
  keys: Record<string, 1 | -1>;
  unique?: boolean;
}

/** Values of an equality constraint on one field: `{f: v}`, `{f: {$eq: v}}` or `{f: {$in: [...]}}`. */
export type EqualityConstraints = Map<string, unknown[]>;

const MAX_INDEXES = 100;

function fieldValue(doc: Doc, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** A missing field indexes as null, as in CloudBase (so a unique index allows one document without it). */
function keyOf(values: unknown[]): string {
  return encode(values.map((v) => (v === undefined ? null : v)));
}

/** Cartesian product of candidate values per field, for compound keys and multikey (array) fields. */
function combinations(lists: unknown[][]): unknown[][] {
  return lists.reduce<unknown[][]>((acc, list) => acc.flatMap((prefix) => list.map((v) => [...prefix, v])), [[]]);
}

class Index {
  /** per prefix length (1..fields), key of the prefix's values -> documents; the last is the full key */
  private readonly entries: Array<Map<string, Set<DocId>>>;
  readonly fields: string[];

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.keys);
    this.entries = this.fields.map(() => new Map());
  }

  /**
   * Keys of the document's first `length` fields. An array field is indexed by each element (and the
   * whole array), like MongoDB's multikey indexes.
   */
  keys(doc: Doc, length = this.fields.length): string[] {
    const perField = this.fields.slice(0, length).map((f) => {
      const v = fieldValue(doc, f);
      return Array.isArray(v) ? [v, ...v] : [v];
    });
    return [...new Set(combinations(perField).map(keyOf))];
  }

  add(id: DocId, doc: Doc) {
    this.entries.forEach((map, i) => {
      for (const key of this.keys(doc, i + 1)) {
        let ids = map.get(key);
        if (!ids) map.set(key, (ids = new Set()));
        ids.add(id);
      }
    });
  }

  remove(id: DocId, doc: Doc) {
    this.entries.forEach((map, i) => {
      for (const key of this.keys(doc, i + 1)) {
        const ids = map.get(key);
        ids?.delete(id);
        if (ids?.size === 0) map.delete(key);
      }
    });
  }

  /** Documents whose first `values.length` fields equal `values`. */
  lookup(key: string, length = this.fields.length): Set<DocId> | undefined {
    return this.entries[length - 1].get(key);
  }

  /** How many leading fields the constraints fix by equality (0: the index cannot help). */
  usablePrefix(equalities: EqualityConstraints): number {
    const free = this.fields.findIndex((f) => !equalities.has(f));
    return free === -1 ? this.fields.length : free;
  }
}

export class IndexSet {
  private readonly list: Index[] = [];

  constructor(
    private readonly collection: string,
    specs: IndexSpec[],
  ) {
    for (const spec of specs) this.list.push(new Index(spec));
  }

  get specs(): IndexSpec[] {
    return this.list.map((i) => i.spec);
  }

  has(spec: IndexSpec) {
    return this.list.some((i) => JSON.stringify(i.spec.keys) === JSON.stringify(spec.keys) && !!i.spec.unique === !!spec.unique);
  }

  create(spec: IndexSpec, docs: Map<DocId, Doc>) {
    if (this.list.length >= MAX_INDEXES) {
      throw new CloudBaseError('DATABASE_REQUEST_FAILED', `a collection has at most ${MAX_INDEXES} indexes`);
    }
    if (Object.keys(spec.keys).length === 0) throw new CloudBaseError('INVALID_PARAM', 'an index needs at least one key');
    const index = new Index(spec);
    for (const [id, doc] of docs) index.add(id, doc);
    if (spec.unique) {
      for (const [id, doc] of docs) {
        for (const key of index.keys(doc)) {
          if ((index.lookup(key)?.size ?? 0) > 1) throw this.duplicate(index, key, id);
        }
      }
    }
    this.list.push(index);
  }

  add(id: DocId, doc: Doc) {
    for (const index of this.list) index.add(id, doc);
  }

  remove(id: DocId, doc: Doc) {
    for (const index of this.list) index.remove(id, doc);
  }

  /** Rejects a batch of changes that would give two documents the same key of a unique index. */
  checkUnique(changes: Change[]) {
    const changing = new Set(changes.map((c) => c.id));
    for (const index of this.list) {
      if (!index.spec.unique) continue;
      const claimed = new Map<string, DocId>();
      for (const { id, doc } of changes) {
        if (!doc) continue;
        for (const key of index.keys(doc)) {
          const other = claimed.get(key);
          if (other !== undefined && other !== id) throw this.duplicate(index, key, id);
          claimed.set(key, id);
          for (const holder of index.lookup(key) ?? []) {
            if (holder !== id && !changing.has(holder)) throw this.duplicate(index, key, id);
          }
        }
      }
    }
  }

  /**
   * Candidate ids for a query from the index whose leading fields are most fixed by equality
   * constraints (a compound index serves a query on its prefix, as in MongoDB), or undefined when no
   * index applies (the caller then scans).
   */
  candidates(equalities: EqualityConstraints): Set<DocId> | undefined {
    let best: Index | undefined;
    let bestLength = 0;
    for (const index of this.list) {
      const length = index.usablePrefix(equalities);
      if (length > bestLength) [best, bestLength] = [index, length];
    }
    if (!best) return undefined;
    const ids = new Set<DocId>();
    for (const combo of combinations(best.fields.slice(0, bestLength).map((f) => equalities.get(f)!))) {
      for (const id of best.lookup(keyOf(combo), bestLength) ?? []) ids.add(id);
    }
    return ids;
  }

  private duplicate(index: Index, key: string, id: DocId) {
    const name = index.spec.name ?? index.fields.join('_');
    return new CloudBaseError(
      'DATABASE_REQUEST_FAILED',
      `E11000 duplicate key error collection: ${this.collection} index: ${name} dup key: ${key} (document ${String(id)})`,
    );
  }
}
