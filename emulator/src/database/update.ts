import { update as applyUpdate } from 'mingo';
import type { Doc } from '../ejson';
import { deepClone } from '../ejson';
import { CloudBaseError, invalidParam } from '../errors';

type Modifier = Record<string, Record<string, unknown>>;

/** An update without operators is a merge of its fields (`$set`), as the SDK's `update({a: 1})` means. */
export function toModifier(update: Record<string, unknown>): Modifier {
  const modifier: Modifier = {};
  for (const [key, value] of Object.entries(update)) {
    if (key.startsWith('$')) modifier[key] = { ...modifier[key], ...(value as Record<string, unknown>) };
    else modifier.$set = { ...modifier.$set, [key]: value };
  }
  if ('_id' in (modifier.$set ?? {}) || '_id' in (modifier.$unset ?? {})) throw invalidParam('_id cannot be updated');
  return modifier;
}

/** The type an operator needs at its path when the field exists (MongoDB refuses the update otherwise). */
const REQUIRED_TYPE: Record<string, 'number' | 'array'> = {
  $inc: 'number',
  $mul: 'number',
  $push: 'array',
  $pop: 'array',
  $addToSet: 'array',
  $pull: 'array',
  $pullAll: 'array',
};

const failed = (message: string) => new CloudBaseError('DATABASE_REQUEST_FAILED', `update failed: ${message}`);

/**
 * Walks a dotted path; fails where the path runs through a value that cannot hold fields, which
 * mingo would silently ignore but MongoDB (and so CloudBase) rejects.
 */
function valueAt(doc: Doc, path: string): unknown {
  let value: unknown = doc;
  const parts = path.split('.');
  for (const [i, part] of parts.entries()) {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || value instanceof Date) {
      throw failed(`cannot create field '${part}' in element ${parts.slice(0, i).join('.')} of type ${typeof value}`);
    }
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function checkTypes(doc: Doc, modifier: Modifier) {
  for (const [op, fields] of Object.entries(modifier)) {
    for (const path of Object.keys(fields)) {
      const value = valueAt(doc, path);
      const required = REQUIRED_TYPE[op];
      if (value === undefined || !required) continue;
      const ok = required === 'array' ? Array.isArray(value) : typeof value === 'number';
      if (!ok) throw failed(`cannot apply ${op} to '${path}', which is not ${required === 'array' ? 'an array' : 'a number'}`);
    }
  }
}

/** The document after `modifier`, as a new object; the input is untouched. */
export function modify(doc: Doc, modifier: Modifier): Doc {
  checkTypes(doc, modifier);
  const next = deepClone(doc);
  try {
    applyUpdate(next, modifier, undefined, undefined, { cloneMode: 'deep' });
  } catch (e) {
    throw failed((e as Error).message);
  }
  return next;
}
