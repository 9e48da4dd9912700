/**
 * The expression language of CloudBase database security rules, parsed by hand (no eval): literals
 * (strings, template strings, numbers, true/false/null, arrays), the variables `auth`, `doc`, `now`,
 * `request`, member access (`doc.a.b`, `x['k']`), `get('database.<collection>.<id>')`, `!`, `==`, `!=`,
 * `<`, `<=`, `>`, `>=`, `in`, `&&`, `||` and parentheses. CloudBase caps an expression at 1024 characters.
 */

export type Node =
  | { type: 'literal'; value: unknown }
  | { type: 'variable'; name: 'auth' | 'doc' | 'now' | 'request' }
  | { type: 'member'; object: Node; property: Node }
  | { type: 'array'; items: Node[] }
  | { type: 'template'; parts: Array<string | Node> }
  | { type: 'get'; path: Node }
  | { type: 'not'; operand: Node }
  | { type: 'binary'; op: BinaryOp; left: Node; right: Node }
  | { type: 'logical'; op: '&&' | '||'; left: Node; right: Node };

export type BinaryOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in';

const MAX_LENGTH = 1024;
const VARIABLES = new Set(['auth', 'doc', 'now', 'request']);

type Token =
  | { kind: 'op'; text: string; at: number }
  | { kind: 'name'; text: string; at: number }
  | { kind: 'number'; value: number; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'template'; raw: string; at: number }
  | { kind: 'end'; at: number };

const OPERATORS = ['===', '!==', '==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')', '[', ']', '.', ','];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i;
    if (/[A-Za-z_$]/.test(c)) {
      const name = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(source.slice(i))![0];
      tokens.push({ kind: 'name', text: name, at });
      i += name.length;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(source[i + 1] ?? ''))) {
      const text = /^-?[0-9]+(\.[0-9]+)?/.exec(source.slice(i))![0];
      tokens.push({ kind: 'number', value: Number(text), at });
      i += text.length;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      let text = '';
      while (j < source.length && source[j] !== c) {
        if (source[j] === '\\' && j + 1 < source.length) j++;
        text += source[j++];
      }
      if (j >= source.length) throw new SyntaxError(`unterminated string at ${at}`);
      tokens.push(c === '`' ? { kind: 'template', raw: source.slice(i + 1, j), at } : { kind: 'string', value: text, at });
      i = j + 1;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (!op) throw new SyntaxError(`unexpected "${c}" at ${at}`);
    tokens.push({ kind: 'op', text: op === '===' ? '==' : op === '!==' ? '!=' : op, at });
    i += op.length;
  }
  tokens.push({ kind: 'end', at: source.length });
  return tokens;
}

class Parser {
  private pos = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): Node {
    const node = this.or();
    const next = this.peek();
    if (next.kind !== 'end') throw new SyntaxError(`unexpected token at ${next.at}`);
    return node;
  }

  private peek() {
    return this.tokens[this.pos];
  }

  private isOp(text: string) {
    const t = this.peek();
    return (t.kind === 'op' || t.kind === 'name') && t.text === text;
  }

  private expect(text: string) {
    if (!this.isOp(text)) throw new SyntaxError(`expected "${text}" at ${this.peek().at}`);
    this.pos++;
  }

  private or(): Node {
    let left = this.and();
    while (this.isOp('||')) {
      this.pos++;
      left = { type: 'logical', op: '||', left, right: this.and() };
    }
    return left;
  }

  private and(): Node {
    let left = this.equality();
    while (this.isOp('&&')) {
      this.pos++;
      left = { type: 'logical', op: '&&', left, right: this.equality() };
    }
    return left;
  }

  private equality(): Node {
    let left = this.relational();
    while (this.isOp('==') || this.isOp('!=')) {
      const op = (this.tokens[this.pos++] as { text: BinaryOp }).text;
      left = { type: 'binary', op, left, right: this.relational() };
    }
    return left;
  }

  private relational(): Node {
    let left = this.unary();
    while (['<', '<=', '>', '>=', 'in'].some((op) => this.isOp(op))) {
      const op = (this.tokens[this.pos++] as { text: BinaryOp }).text;
      left = { type: 'binary', op, left, right: this.unary() };
    }
    return left;
  }

  private unary(): Node {
    if (this.isOp('!')) {
      this.pos++;
      return { type: 'not', operand: this.unary() };
    }
    return this.postfix();
  }

  private postfix(): Node {
    let node = this.primary();
    for (;;) {
      if (this.isOp('.')) {
        this.pos++;
        const name = this.peek();
        if (name.kind !== 'name') throw new SyntaxError(`expected a field name at ${name.at}`);
        this.pos++;
        node = { type: 'member', object: node, property: { type: 'literal', value: name.text } };
      } else if (this.isOp('[')) {
        this.pos++;
        const property = this.or();
        this.expect(']');
        node = { type: 'member', object: node, property };
      } else {
        return node;
      }
    }
  }

  private primary(): Node {
    const t = this.tokens[this.pos++];
    switch (t.kind) {
      case 'number':
        return { type: 'literal', value: t.value };
      case 'string':
        return { type: 'literal', value: t.value };
      case 'template':
        return parseTemplate(t.raw, t.at);
      case 'op':
        if (t.text === '(') {
          const inner = this.or();
          this.expect(')');
          return inner;
        }
        if (t.text === '[') {
          const items: Node[] = [];
          while (!this.isOp(']')) {
            items.push(this.or());
            if (!this.isOp(']')) this.expect(',');
          }
          this.pos++;
          return { type: 'array', items };
        }
        break;
      case 'name':
        if (t.text === 'true' || t.text === 'false') return { type: 'literal', value: t.text === 'true' };
        if (t.text === 'null' || t.text === 'undefined') return { type: 'literal', value: null };
        if (t.text === 'get') {
          this.expect('(');
          const path = this.or();
          this.expect(')');
          return { type: 'get', path };
        }
        if (VARIABLES.has(t.text)) return { type: 'variable', name: t.text as 'auth' };
        throw new SyntaxError(`unknown name "${t.text}" at ${t.at} (variables: auth, doc, now, request; function: get)`);
      case 'end':
        throw new SyntaxError('unexpected end of the expression');
    }
    throw new SyntaxError(`unexpected token at ${t.at}`);
  }
}

/** `database.course.${doc.courseId}`: text parts and `${expression}` parts. */
function parseTemplate(raw: string, at: number): Node {
  const parts: Array<string | Node> = [];
  let i = 0;
  while (i < raw.length) {
    const start = raw.indexOf('${', i);
    if (start < 0) {
      parts.push(raw.slice(i));
      break;
    }
    if (start > i) parts.push(raw.slice(i, start));
    const end = raw.indexOf('}', start);
    if (end < 0) throw new SyntaxError(`unterminated \${ in the template at ${at}`);
    parts.push(new Parser(tokenize(raw.slice(start + 2, end))).parse());
    i = end + 1;
  }
  return { type: 'template', parts };
}

/** Parses one rule: a JSON boolean, or an expression string. */
export function parseExpression(rule: unknown): Node {
  if (typeof rule === 'boolean') return { type: 'literal', value: rule };
  if (typeof rule !== 'string') throw new SyntaxError('a rule is true, false or an expression string');
  if (rule.length > MAX_LENGTH) throw new SyntaxError(`an expression is limited to ${MAX_LENGTH} characters`);
  return new Parser(tokenize(rule)).parse();
}
