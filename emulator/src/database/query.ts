import { Query } from 'mingo';
import type { Doc } from '../ejson';
import { CloudBaseError } from '../errors';
import type { EqualityConstraints } from './indexes';
import type { Collection, DocId } from './store';

function isScalar(v: unknown) {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v) || v instanceof Date;
}

/** Equality constraints that any matching document must satisfy (top level and inside top-level `$and`). */
export function equalities(query: Record<string, unknown>, out: EqualityConstraints = new Map()): EqualityConstraints {
  for (const [field, cond] of Object.entries(query)) {
    if (field === '$and' && Array.isArray(cond)) {
      for (const part of cond) equalities(part as Record<string, unknown>, out);
      continue;
    }
    if (field.startsWith('$')) continue;
    let values: unknown[] | undefined;
    if (isScalar(cond)) values = [cond];
    else if (cond && typeof cond === 'object' && !Array.isArray(cond) && !(cond instanceof RegExp)) {
      const ops = cond as Record<string, unknown>;
      if ('$eq' in ops && isScalar(ops.$eq)) values = [ops.$eq];
      else if (Array.isArray(ops.$in) && ops.$in.every(isScalar)) values = ops.$in;
    }
    if (values) out.set(field, values);
  }
  return out;
}

export function compile(query: Record<string, unknown>): Query {
  try {
    return new Query(query);
  } catch (e) {
    throw new CloudBaseError('DATABASE_INVALID_OPERRATOR', `invalid query: ${(e as Error).message}`);
  }
}

export interface Match {
  ids: DocId[];
  /** documents the query had to test: the whole collection without a usable index */
  examined: number;
}

/**
 * Ids of the documents matching `query`, using `_id` or an equality index instead of a scan when it
 * can, and stopping after `enough` matches (an unsorted page needs no more than offset + limit).
 */
export function match(coll: Collection, query: Record<string, unknown>, enough = Infinity): Match {
  const compiled = compile(query);
  const eq = equalities(query);
  const candidates: Iterable<DocId> = eq.has('_id')
    ? (eq.get('_id') as DocId[])
    : (coll.indexes.candidates(eq) ?? coll.docs.keys());
  const ids: DocId[] = [];
  let examined = 0;
  for (const id of new Set(candidates)) {
    const doc = coll.docs.get(id);
    if (!doc) continue;
    examined++;
    if (compiled.test(doc as Doc) && ids.push(id) >= enough) break;
  }
  return { ids, examined };
}
