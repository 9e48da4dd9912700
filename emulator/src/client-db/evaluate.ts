/**
 * Evaluates a security rule for one client request, as CloudBase does: the rule must hold for every
 * document the request can touch. `doc` is either one known document (a `doc(id)` request on a
 * document that exists, or a new document) or the request's query ("the query must be a subset of the
 * rule"): then `doc.<field>` stands for what the query says about that field, and a rule the query does
 * not guarantee is refused. Three-valued: true, false, or UNKNOWN (refused too).
 */
import type { Doc } from '../ejson';
import type { BinaryOp, Node } from './expression';

const UNKNOWN = Symbol('unknown');
type Truth = boolean | typeof UNKNOWN;

/** What the query guarantees about one field, for every document it matches. */
export interface Constraint {
  op: 'eq' | 'ne' | 'in' | 'nin' | 'gt' | 'gte' | 'lt' | 'lte' | 'all';
  value: unknown;
}

/** One alternative of a query (a query with `$or` has several): field path -> constraints. */
export type Branch = Map<string, Constraint[]>;

export interface Scope {
  auth: { openid: string };
  now: number;
  request: { data?: unknown };
  doc: { kind: 'document'; doc: Doc } | { kind: 'query'; branch: Branch };
  /** `get('database.<collection>.<id>')` */
  read(collection: string, id: string): Doc | null;
}

/** A field of `doc` that the query constrains without pinning it to one value. */
class FieldRef {
  constructor(
    readonly path: string,
    readonly constraints: Constraint[],
  ) {}
}

type Value = unknown;

/** Whether the rule holds for everything the request can touch. */
export function allows(rule: Node, scope: Scope): boolean {
  return truth(evaluate(rule, scope)) === true;
}

function evaluate(node: Node, scope: Scope): Value {
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'variable':
      if (node.name === 'auth') return scope.auth;
      if (node.name === 'now') return scope.now;
      if (node.name === 'request') return scope.request;
      return scope.doc.kind === 'document' ? scope.doc.doc : new FieldRef('', []);
    case 'member':
      return member(evaluate(node.object, scope), evaluate(node.property, scope), scope);
    case 'array': {
      const items = node.items.map((item) => evaluate(item, scope));
      return items.some(isOpen) ? UNKNOWN : items;
    }
    case 'template': {
      const parts = node.parts.map((part) => (typeof part === 'string' ? part : evaluate(part, scope)));
      return parts.some(isOpen) ? UNKNOWN : parts.map((p) => String(p)).join('');
    }
    case 'get': {
      const path = evaluate(node.path, scope);
      if (typeof path !== 'string') return UNKNOWN;
      const match = /^database\.([^.]+)\.(.+)$/.exec(path);
      return match ? scope.read(match[1], match[2]) : null;
    }
    case 'not': {
      const value = truth(evaluate(node.operand, scope));
      return value === UNKNOWN ? UNKNOWN : !value;
    }
    case 'logical': {
      const left = truth(evaluate(node.left, scope));
      if (node.op === '&&' && left === false) return false;
      if (node.op === '||' && left === true) return true;
      const right = truth(evaluate(node.right, scope));
      if (node.op === '&&') return left === true && right === true ? true : right === false ? false : UNKNOWN;
      return right === true ? true : left === false && right === false ? false : UNKNOWN;
    }
    case 'binary':
      return compare(node.op, evaluate(node.left, scope), evaluate(node.right, scope));
  }
}

const isOpen = (v: Value) => v === UNKNOWN || v instanceof FieldRef;

function member(object: Value, property: Value, scope: Scope): Value {
  if (isOpen(property)) return UNKNOWN;
  const key = String(property);
  if (object instanceof FieldRef) {
    if (scope.doc.kind !== 'query') return UNKNOWN;
    const path = object.path ? `${object.path}.${key}` : key;
    const constraints = scope.doc.branch.get(path) ?? [];
    const pinned = constraints.find((c) => c.op === 'eq' || (c.op === 'in' && (c.value as unknown[]).length === 1));
    if (pinned) return pinned.op === 'eq' ? pinned.value : (pinned.value as unknown[])[0];
    return new FieldRef(path, constraints);
  }
  if (object === UNKNOWN) return UNKNOWN;
  if (object === null || typeof object !== 'object') return undefined;
  return Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}

function truth(value: Value): Truth {
  if (value === UNKNOWN) return UNKNOWN;
  if (value instanceof FieldRef) {
    const values = value.constraints.find((c) => c.op === 'in')?.value as unknown[] | undefined;
    if (values?.every(Boolean)) return true;
    if (values && !values.some(Boolean)) return false;
    return UNKNOWN;
  }
  return Boolean(value);
}

const FLIPPED: Record<BinaryOp, BinaryOp> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=', in: 'in' };

function compare(op: BinaryOp, left: Value, right: Value): Truth {
  if (left === UNKNOWN || right === UNKNOWN) return UNKNOWN;
  const leftOpen = left instanceof FieldRef;
  const rightOpen = right instanceof FieldRef;
  if (leftOpen && rightOpen) return UNKNOWN;
  if (leftOpen) return decide(left.constraints, (c) => implies(c, op, right));
  if (rightOpen) {
    if (op === 'in') return decide(right.constraints, (c) => contains(c, left));
    return decide(right.constraints, (c) => implies(c, FLIPPED[op], left));
  }
  return concrete(op, left, right);
}

/** Each constraint holds for every matching document: one that decides the comparison decides it. */
function decide(constraints: Constraint[], judge: (c: Constraint) => Truth): Truth {
  let result: Truth = UNKNOWN;
  for (const c of constraints) {
    const verdict = judge(c);
    if (verdict !== UNKNOWN) result = verdict;
    if (verdict === false) return false;
  }
  return result;
}

/** Whether `x op v` holds for every x the constraint allows (true), for none (false), or it depends. */
function implies(c: Constraint, op: BinaryOp, v: Value): Truth {
  if (c.op === 'eq' || c.op === 'in') {
    const values = c.op === 'eq' ? [c.value] : (c.value as unknown[]);
    const verdicts = values.map((x) => concrete(op, x, v));
    if (verdicts.every(Boolean)) return true;
    return verdicts.some(Boolean) ? UNKNOWN : false;
  }
  if (c.op === 'ne' || c.op === 'nin') {
    const excluded = c.op === 'ne' ? [c.value] : (c.value as unknown[]);
    const out = (x: unknown) => excluded.some((e) => equal(e, x));
    if (op === '==' && out(v)) return false;
    if (op === '!=' && out(v)) return true;
    if (op === 'in' && Array.isArray(v) && v.every(out)) return false;
    return UNKNOWN;
  }
  if (c.op === 'all') return UNKNOWN;
  // A range: x > b, x >= b, x < b or x <= b.
  const b = c.value;
  if (order(b, v) === undefined) return UNKNOWN;
  const inRange = (x: unknown) => concrete(RANGE_OP[c.op], x, b) === true;
  if (op === '==') return inRange(v) ? UNKNOWN : false;
  if (op === '!=') return inRange(v) ? UNKNOWN : true;
  if (op === 'in') return Array.isArray(v) && !v.some(inRange) ? false : UNKNOWN;
  const d = order(b, v)!; // sign of b - v
  const lower = c.op === 'gt' || c.op === 'gte';
  const strict = c.op === 'gt' || c.op === 'lt';
  const wantsAbove = op === '>' || op === '>=';
  const opStrict = op === '>' || op === '<';
  if (lower === wantsAbove) {
    // x > b vs x > v: holds for all when b is past v (or at v, unless only the question is strict).
    const past = lower ? d > 0 : d < 0;
    return past || (d === 0 && (strict || !opStrict)) ? true : UNKNOWN;
  }
  // x > b vs x < v: holds for none when b is at or past v.
  const past = lower ? d > 0 : d < 0;
  return past || (d === 0 && (strict || opStrict)) ? false : UNKNOWN;
}

const RANGE_OP: Record<string, BinaryOp> = { gt: '>', gte: '>=', lt: '<', lte: '<=' };

/** `v in doc.field` for an array field: the query's `field: v` or `_.all([v])` guarantees it. */
function contains(c: Constraint, v: Value): Truth {
  if (c.op === 'all') return (c.value as unknown[]).some((x) => equal(x, v)) ? true : UNKNOWN;
  if (c.op === 'in') return (c.value as unknown[]).every((x) => concrete('in', v, x) === true) ? true : UNKNOWN;
  return UNKNOWN;
}

function concrete(op: BinaryOp, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
      return equal(a, b);
    case '!=':
      return !equal(a, b);
    case 'in':
      // A query's `field: v` also matches arrays holding v, so a scalar right side means "is".
      if (Array.isArray(b)) return b.some((x) => equal(a, x));
      if (b !== null && typeof b === 'object' && !(b instanceof Date)) return Object.hasOwn(b, String(a));
      return equal(a, b);
    default: {
      const d = order(a, b);
      if (d === undefined) return false;
      return op === '<' ? d < 0 : op === '<=' ? d <= 0 : op === '>' ? d > 0 : d >= 0;
    }
  }
}

/** The sign of a - b for numbers, strings and dates (`now` is a number of milliseconds); else undefined. */
function order(a: unknown, b: unknown): number | undefined {
  const x = a instanceof Date ? a.getTime() : a;
  const y = b instanceof Date ? b.getTime() : b;
  if (typeof x === 'number' && typeof y === 'number') return Math.sign(x - y);
  if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0;
  return undefined;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === undefined || a === null) return b === undefined || b === null;
  if (a instanceof Date || b instanceof Date) return order(a, b) === 0;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (typeof a === 'object' && b !== null && typeof b === 'object' && !Array.isArray(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => equal((a as Doc)[k], (b as Doc)[k]));
  }
  return a === b;
}

// ---- queries as constraints

const MAX_BRANCHES = 64;

/** The alternatives of a query (`$or` multiplies them), each with what it guarantees per field. */
export function branches(query: Record<string, unknown>): Branch[] {
  let result: Branch[] = [new Map()];
  for (const [key, cond] of Object.entries(query)) {
    if (key === '$and' && Array.isArray(cond)) {
      for (const part of cond) result = product(result, branches(part as Record<string, unknown>));
    } else if (key === '$or' && Array.isArray(cond)) {
      result = product(result, cond.flatMap((part) => branches(part as Record<string, unknown>)));
    } else if (!key.startsWith('$')) {
      // $nor and the like guarantee nothing a rule can rely on: leaving them out only refuses more.
      const constraints = fieldConstraints(cond);
      result = result.map((b) => merge(b, new Map([[key, constraints]])));
    }
    if (result.length > MAX_BRANCHES) throw new RangeError(`the query has more than ${MAX_BRANCHES} alternatives`);
  }
  return result;
}

function product(left: Branch[], right: Branch[]): Branch[] {
  return left.flatMap((a) => right.map((b) => merge(a, b)));
}

function merge(a: Branch, b: Branch): Branch {
  const out = new Map(a);
  for (const [path, constraints] of b) out.set(path, [...(out.get(path) ?? []), ...constraints]);
  return out;
}

const OPERATORS: Record<string, Constraint['op']> = {
  $eq: 'eq', $ne: 'ne', $in: 'in', $nin: 'nin', $gt: 'gt', $gte: 'gte', $lt: 'lt', $lte: 'lte', $all: 'all',
};

function fieldConstraints(cond: unknown): Constraint[] {
  if (cond instanceof RegExp) return [];
  if (cond === null || typeof cond !== 'object' || cond instanceof Date || Array.isArray(cond)) return [{ op: 'eq', value: cond }];
  const entries = Object.entries(cond);
  if (!entries.some(([k]) => k.startsWith('$'))) return [{ op: 'eq', value: cond }];
  return entries.flatMap(([k, value]) => {
    const op = OPERATORS[k];
    if (!op) return [];
    if ((op === 'in' || op === 'nin' || op === 'all') && !Array.isArray(value)) return [];
    return [{ op, value }];
  });
}
