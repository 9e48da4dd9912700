/**
 * CloudBase storage security rules: `{"read": <rule>, "write": <rule>}`, each `true`, `false` or an
 * expression over `auth` (openid, uid, loginType), `resource` (openid: the file's creator, path: its
 * path in the bucket) and `now` (ms). Operators as CloudBase documents them: `.`, `==`, `!=`, `<`, `<=`,
 * `>`, `>=`, `in` (an array literal), `!`, `&&`, `||`, parentheses; plus `+` on strings and
 * `.startsWith(text)`, which path conditions need (`resource.path.startsWith('homework/' + auth.openid + '/')`).
 *
 * Parsed once into a tree and interpreted: rule text is never executed as code. A rule allows only when
 * it evaluates to exactly `true`; a missing field reads as null.
 */

type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

export interface RuleContext {
  auth: { openid: string; loginType: string } | null;
  resource: { openid: string | null; path: string };
  now: number;
}

export type Rule = (context: RuleContext) => boolean;

type Node =
  | { kind: 'literal'; value: Value }
  | { kind: 'variable'; name: keyof RuleContext }
  | { kind: 'array'; items: Node[] }
  | { kind: 'member'; object: Node; property: string }
  | { kind: 'startsWith'; object: Node; prefix: Node }
  | { kind: 'not'; operand: Node }
  | { kind: 'binary'; op: BinaryOp; left: Node; right: Node };

const COMPARISONS = ['==', '!=', '<=', '>=', '<', '>', 'in'] as const;
type BinaryOp = (typeof COMPARISONS)[number] | '+' | '&&' | '||';

const VARIABLES = new Set<string>(['auth', 'resource', 'now']);
const PUNCTUATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')', '[', ']', ',', '.', '+'];

interface Token {
  type: 'number' | 'string' | 'word' | 'punct' | 'end';
  text: string;
  value?: string | number;
  at: number;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = source.slice(i);
    const number = /^\d+(\.\d+)?/.exec(rest);
    const word = /^[A-Za-z_$][\w$]*/.exec(rest);
    if (number) {
      tokens.push({ type: 'number', text: number[0], value: Number(number[0]), at: i });
      i += number[0].length;
    } else if (word) {
      tokens.push({ type: 'word', text: word[0], at: i });
      i += word[0].length;
    } else if (c === "'" || c === '"') {
      let value = '';
      let j = i + 1;
      for (; j < source.length && source[j] !== c; j++) value += source[j] === '\\' ? source[++j] ?? '' : source[j];
      if (j >= source.length) throw new Error(`unterminated string at ${i}`);
      tokens.push({ type: 'string', text: source.slice(i, j + 1), value, at: i });
      i = j + 1;
    } else {
      const punct = PUNCTUATORS.find((p) => rest.startsWith(p));
      if (!punct) throw new Error(`unexpected ${JSON.stringify(c)} at ${i}`);
      tokens.push({ type: 'punct', text: punct, at: i });
      i += punct.length;
    }
  }
  tokens.push({ type: 'end', text: 'end of rule', at: source.length });
  return tokens;
}

function parse(source: string): Node {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = () => tokens[pos]!;
  const accept = (text: string) => (peek().type !== 'string' && peek().text === text ? tokens[pos++] : undefined);
  const expect = (text: string) => {
    if (!accept(text)) throw new Error(`expected ${text} at ${peek().at}, found ${peek().text}`);
  };

  const binaryLevel = (ops: readonly BinaryOp[], next: () => Node, chain: boolean) => (): Node => {
    let left = next();
    for (let op = ops.find((o) => accept(o)); op; op = chain ? ops.find((o) => accept(o)) : undefined) {
      left = { kind: 'binary', op, left, right: next() };
    }
    return left;
  };

  function primary(): Node {
    const token = tokens[pos++]!;
    if (token.type === 'number' || token.type === 'string') return { kind: 'literal', value: token.value! };
    if (token.type === 'word') {
      if (token.text === 'true' || token.text === 'false') return { kind: 'literal', value: token.text === 'true' };
      if (token.text === 'null') return { kind: 'literal', value: null };
      if (VARIABLES.has(token.text)) return { kind: 'variable', name: token.text as keyof RuleContext };
      throw new Error(`unknown name ${token.text} at ${token.at} (auth, resource and now exist)`);
    }
    if (token.text === '(') {
      const inner = or();
      expect(')');
      return inner;
    }
    if (token.text === '[') {
      const items: Node[] = [];
      if (!accept(']')) {
        do items.push(or());
        while (accept(','));
        expect(']');
      }
      return { kind: 'array', items };
    }
    throw new Error(`unexpected ${token.text} at ${token.at}`);
  }

  function postfix(): Node {
    let node = primary();
    while (accept('.')) {
      const name = tokens[pos++]!;
      if (name.type !== 'word') throw new Error(`expected a field name at ${name.at}`);
      if (accept('(')) {
        if (name.text !== 'startsWith') throw new Error(`unknown method ${name.text} at ${name.at} (startsWith exists)`);
        node = { kind: 'startsWith', object: node, prefix: or() };
        expect(')');
      } else {
        node = { kind: 'member', object: node, property: name.text };
      }
    }
    return node;
  }

  function unary(): Node {
    return accept('!') ? { kind: 'not', operand: unary() } : postfix();
  }

  const additive = binaryLevel(['+'], unary, true);
  const comparison = binaryLevel(COMPARISONS, additive, false);
  const and = binaryLevel(['&&'], comparison, true);
  const or: () => Node = binaryLevel(['||'], and, true);

  const tree = or();
  if (peek().type !== 'end') throw new Error(`unexpected ${peek().text} at ${peek().at}`);
  return tree;
}

const isRecord = (v: Value): v is { [key: string]: Value } => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: Value) => typeof v === 'string' || typeof v === 'number';

function evaluate(node: Node, context: RuleContext): Value {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'variable':
      return context[node.name] as Value;
    case 'array':
      return node.items.map((item) => evaluate(item, context));
    case 'member': {
      const object = evaluate(node.object, context);
      return isRecord(object) && Object.hasOwn(object, node.property) ? (object[node.property] ?? null) : null;
    }
    case 'startsWith': {
      const object = evaluate(node.object, context);
      const prefix = evaluate(node.prefix, context);
      return typeof object === 'string' && typeof prefix === 'string' && object.startsWith(prefix);
    }
    case 'not':
      return !evaluate(node.operand, context);
    case 'binary':
      return binary(node.op, node.left, node.right, context);
  }
}

function binary(op: BinaryOp, leftNode: Node, rightNode: Node, context: RuleContext): Value {
  if (op === '&&') return !!evaluate(leftNode, context) && !!evaluate(rightNode, context);
  if (op === '||') return !!evaluate(leftNode, context) || !!evaluate(rightNode, context);
  const left = evaluate(leftNode, context);
  const right = evaluate(rightNode, context);
  switch (op) {
    case '==':
      return left === right;
    case '!=':
      return left !== right;
    case 'in':
      return Array.isArray(right) && right.includes(left);
    case '+':
      if (typeof left === 'number' && typeof right === 'number') return left + right;
      // Text joins text; anything else (a null openid...) yields null, which matches no path.
      return isText(left) && isText(right) ? `${left}${right}` : null;
    default:
      if (typeof left !== 'number' || typeof right !== 'number') return false;
      return op === '<' ? left < right : op === '<=' ? left <= right : op === '>' ? left > right : left >= right;
  }
}

/** Compiles one rule (`true`, `false` or an expression); throws on a syntax error, naming where. */
export function compileRule(name: string, source: boolean | string): Rule {
  if (typeof source === 'boolean') return () => source;
  let tree: Node;
  try {
    tree = parse(source);
  } catch (e) {
    throw new Error(`storage rule "${name}" (${source}): ${(e as Error).message}`);
  }
  return (context) => evaluate(tree, context) === true;
}
