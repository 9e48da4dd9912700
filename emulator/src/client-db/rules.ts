import { parseExpression, type Node } from './expression';

export type Operation = 'read' | 'create' | 'update' | 'delete';

/**
 * CloudBase's named permission levels, as the security rules WeChat documents as their equivalents.
 * (The old basic permissions also filtered queries by `_openid` silently; the rules refuse instead.)
 */
const LEVELS: Record<string, Record<string, unknown>> = {
  /** everyone reads, the creator writes */
  READONLY: { read: true, write: 'doc._openid == auth.openid' },
  /** only the creator reads and writes */
  PRIVATE: { read: 'doc._openid == auth.openid', write: 'doc._openid == auth.openid' },
  /** everyone reads, only cloud functions write */
  ADMINWRITE: { read: true, write: false },
  /** only cloud functions read and write */
  ADMINONLY: { read: false, write: false },
};

const KEYS = new Set(['read', 'write', 'create', 'update', 'delete']);

interface Compiled {
  /** as declared, for the inspection page and error messages */
  source: unknown;
  expressions: Partial<Record<'read' | 'write' | Operation, { node: Node; text: string }>>;
}

/**
 * The security rule of each collection (`rules` in database/collections.json, or set by the control
 * API): a named level or `{read, write}` with `write` optionally split into create/update/delete.
 * A collection without rules is closed to the client, like a rule set `{}` in CloudBase.
 */
export class SecurityRules {
  private readonly byCollection = new Map<string, Compiled>();

  /** Compiles and sets a collection's rules; throws an Error naming what is wrong. */
  set(collection: string, spec: unknown) {
    const rules = typeof spec === 'string' ? LEVELS[spec] : spec;
    if (!rules || typeof rules !== 'object' || Array.isArray(rules)) {
      throw new Error(`rules of ${collection}: expected ${Object.keys(LEVELS).join(', ')} or {read, write, create, update, delete}`);
    }
    const expressions: Compiled['expressions'] = {};
    for (const [key, value] of Object.entries(rules)) {
      if (!KEYS.has(key)) throw new Error(`rules of ${collection}: unknown operation "${key}"`);
      try {
        expressions[key as Operation] = { node: parseExpression(value), text: String(value) };
      } catch (e) {
        throw new Error(`rules of ${collection}.${key}: ${(e as Error).message}`);
      }
    }
    this.byCollection.set(collection, { source: spec, expressions });
  }

  /** The expression deciding `operation` (create/update/delete fall back to write), if any. */
  rule(collection: string, operation: Operation): { node: Node; text: string } | undefined {
    const expressions = this.byCollection.get(collection)?.expressions;
    return expressions?.[operation] ?? (operation === 'read' ? undefined : expressions?.write);
  }

  /** Every collection's rules as declared. */
  all(): Record<string, unknown> {
    return Object.fromEntries([...this.byCollection].map(([name, compiled]) => [name, compiled.source]));
  }
}
