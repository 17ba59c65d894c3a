/**
 * Subscription rule filters: correlation filters (exact match on system and user properties) and a useful
 * subset of Service Bus SQL filters. SQL uses three-valued logic like the real service: a comparison with a
 * missing property is "unknown", and a message matches only when the whole expression is TRUE.
 *
 * Supported SQL: AND / OR / NOT, parentheses, = <> != < <= > >=, + - * / %, unary minus, IS [NOT] NULL,
 * [NOT] IN (...), [NOT] LIKE 'pat' [ESCAPE 'c'], EXISTS(prop), string / number / TRUE / FALSE / NULL literals,
 * identifiers `name`, `[any name]`, `user.name`, `sys.Label` (and the other system properties below).
 * Not supported: functions other than EXISTS, rule actions.
 */

export interface FilterInput {
  sys: Record<string, unknown>;
  user: Record<string, unknown>;
}
export type Filter = (m: FilterInput) => boolean;

/** The system properties a filter can address, keyed by their lower-cased SQL/correlation names. */
export const SYSTEM_PROPERTIES = [
  'messageid',
  'correlationid',
  'to',
  'replyto',
  'label',
  'subject',
  'sessionid',
  'replytosessionid',
  'contenttype',
] as const;

export interface CorrelationDef {
  CorrelationId?: string | undefined;
  MessageId?: string | undefined;
  To?: string | undefined;
  ReplyTo?: string | undefined;
  Label?: string | undefined;
  Subject?: string | undefined;
  SessionId?: string | undefined;
  ReplyToSessionId?: string | undefined;
  ContentType?: string | undefined;
  Properties?: Record<string, string | number | boolean> | undefined;
}

export function correlationFilter(def: CorrelationDef): Filter {
  const sys: [string, string][] = [];
  const add = (key: string, v: string | undefined): void => {
    if (v !== undefined && v !== '') sys.push([key, v]);
  };
  add('correlationid', def.CorrelationId);
  add('messageid', def.MessageId);
  add('to', def.To);
  add('replyto', def.ReplyTo);
  add('label', def.Label ?? def.Subject);
  add('sessionid', def.SessionId);
  add('replytosessionid', def.ReplyToSessionId);
  add('contenttype', def.ContentType);
  const user = Object.entries(def.Properties ?? {});
  return (m) => {
    for (const [k, v] of sys) if (m.sys[k] !== v) return false;
    for (const [k, v] of user) if (!looseEquals(m.user[k], v)) return false;
    return true;
  };
}

function looseEquals(a: unknown, b: unknown): boolean {
  if (a instanceof Date) a = a.getTime();
  return a === b;
}

export class SqlFilterError extends Error {}

type Value = string | number | boolean | null;
type Node = (m: FilterInput) => Value;

interface Token {
  kind: 'num' | 'str' | 'id' | 'op' | 'eof';
  text: string;
  pos: number;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new SqlFilterError(`unterminated string starting at ${start}`);
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += src[i];
        i++;
      }
      out.push({ kind: 'str', text: s, pos: start });
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i))!;
      i += m[0].length;
      out.push({ kind: 'num', text: m[0], pos: start });
    } else if (c === '[') {
      const end = src.indexOf(']', i);
      if (end < 0) throw new SqlFilterError(`unterminated [identifier] at ${start}`);
      out.push({ kind: 'id', text: src.slice(i + 1, end), pos: start });
      i = end + 1;
    } else if (/[A-Za-z_@$]/.test(c)) {
      const m = /^[A-Za-z_@$][A-Za-z0-9_@$]*(\.(\[[^\]]*\]|[A-Za-z_@$][A-Za-z0-9_@$]*))?/.exec(src.slice(i))!;
      i += m[0].length;
      out.push({ kind: 'id', text: m[0], pos: start });
    } else {
      const two = src.slice(i, i + 2);
      if (['<>', '!=', '<=', '>='].includes(two)) {
        out.push({ kind: 'op', text: two, pos: start });
        i += 2;
      } else if ('=<>()+-*/%,'.includes(c)) {
        out.push({ kind: 'op', text: c, pos: start });
        i++;
      } else {
        throw new SqlFilterError(`unexpected character '${c}' at ${start}`);
      }
    }
  }
  out.push({ kind: 'eof', text: '', pos: src.length });
  return out;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'is', 'null', 'in', 'like', 'escape', 'true', 'false', 'exists']);

/** Compiles a SQL filter expression; throws SqlFilterError with the position of the problem. */
export function compileSql(expression: string): Filter {
  const toks = tokenize(expression);
  let p = 0;
  const peek = (): Token => toks[p]!;
  const isKw = (t: Token, kw: string): boolean => t.kind === 'id' && t.text.toLowerCase() === kw;
  const isOp = (t: Token, op: string): boolean => t.kind === 'op' && t.text === op;
  const fail = (what: string): never => {
    const t = peek();
    throw new SqlFilterError(
      `${what} at position ${t.pos}${t.kind === 'eof' ? ' (end of expression)' : ` near '${t.text}'`}`,
    );
  };
  const expectOp = (op: string): void => {
    if (!isOp(peek(), op)) fail(`expected '${op}'`);
    p++;
  };

  const orExpr = (): Node => {
    let left = andExpr();
    while (isKw(peek(), 'or')) {
      p++;
      const l = left;
      const r = andExpr();
      left = (m) => {
        const a = l(m);
        if (a === true) return true;
        const b = r(m);
        if (b === true) return true;
        return a === false && b === false ? false : null;
      };
    }
    return left;
  };
  const andExpr = (): Node => {
    let left = notExpr();
    while (isKw(peek(), 'and')) {
      p++;
      const l = left;
      const r = notExpr();
      left = (m) => {
        const a = l(m);
        if (a === false) return false;
        const b = r(m);
        if (b === false) return false;
        return a === true && b === true ? true : null;
      };
    }
    return left;
  };
  const notExpr = (): Node => {
    if (isKw(peek(), 'not')) {
      p++;
      const inner = notExpr();
      return (m) => {
        const v = inner(m);
        return v === null ? null : !truthy(v);
      };
    }
    return predicate();
  };
  const predicate = (): Node => {
    const left = additive();
    const t = peek();
    if (t.kind === 'op' && ['=', '<>', '!=', '<', '<=', '>', '>='].includes(t.text)) {
      p++;
      const right = additive();
      return compare(t.text, left, right);
    }
    if (isKw(t, 'is')) {
      p++;
      let negate = false;
      if (isKw(peek(), 'not')) {
        negate = true;
        p++;
      }
      if (!isKw(peek(), 'null')) fail('expected NULL');
      p++;
      return (m) => (left(m) === null) !== negate;
    }
    let negate = false;
    if (isKw(t, 'not')) {
      const next = toks[p + 1];
      if (next && (isKw(next, 'in') || isKw(next, 'like'))) {
        negate = true;
        p++;
      }
    }
    if (isKw(peek(), 'in')) {
      p++;
      expectOp('(');
      const items: Node[] = [additive()];
      while (isOp(peek(), ',')) {
        p++;
        items.push(additive());
      }
      expectOp(')');
      return (m) => {
        const v = left(m);
        if (v === null) return null;
        const hit = items.some((it) => sqlEquals(v, it(m)) === true);
        return hit !== negate;
      };
    }
    if (isKw(peek(), 'like')) {
      p++;
      const pat = peek();
      if (pat.kind !== 'str') fail('expected a string pattern after LIKE');
      p++;
      let escape: string | undefined;
      if (isKw(peek(), 'escape')) {
        p++;
        const e = peek();
        if (e.kind !== 'str' || e.text.length !== 1) fail('expected a one-character string after ESCAPE');
        escape = e.text;
        p++;
      }
      const re = likeToRegExp(pat.text, escape);
      return (m) => {
        const v = left(m);
        if (v === null) return null;
        if (typeof v !== 'string') return null;
        return re.test(v) !== negate;
      };
    }
    if (negate) fail('expected IN or LIKE after NOT');
    return left;
  };
  const additive = (): Node => {
    let left = multiplicative();
    while (isOp(peek(), '+') || isOp(peek(), '-')) {
      const op = peek().text;
      p++;
      left = arith(op, left, multiplicative());
    }
    return left;
  };
  const multiplicative = (): Node => {
    let left = unary();
    while (isOp(peek(), '*') || isOp(peek(), '/') || isOp(peek(), '%')) {
      const op = peek().text;
      p++;
      left = arith(op, left, unary());
    }
    return left;
  };
  const unary = (): Node => {
    if (isOp(peek(), '-')) {
      p++;
      const inner = unary();
      return (m) => {
        const v = inner(m);
        return typeof v === 'number' ? -v : null;
      };
    }
    if (isOp(peek(), '+')) {
      p++;
      return unary();
    }
    return primary();
  };
  const primary = (): Node => {
    const t = peek();
    if (t.kind === 'num') {
      p++;
      const v = Number(t.text);
      return () => v;
    }
    if (t.kind === 'str') {
      p++;
      const v = t.text;
      return () => v;
    }
    if (isOp(t, '(')) {
      p++;
      const inner = orExpr();
      expectOp(')');
      return inner;
    }
    if (t.kind === 'id') {
      const lower = t.text.toLowerCase();
      if (lower === 'true' || lower === 'false') {
        p++;
        const v = lower === 'true';
        return () => v;
      }
      if (lower === 'null') {
        p++;
        return () => null;
      }
      if (lower === 'exists') {
        p++;
        expectOp('(');
        const id = peek();
        if (id.kind !== 'id') fail('expected a property name in EXISTS()');
        p++;
        expectOp(')');
        const get = property(id.text);
        return (m) => get(m) !== undefined;
      }
      if (KEYWORDS.has(lower)) fail('unexpected keyword');
      p++;
      const get = property(t.text);
      return (m) => normalise(get(m));
    }
    return fail('expected a value');
  };

  const root = orExpr();
  if (peek().kind !== 'eof') fail('unexpected token');
  return (m) => root(m) === true;
}

function property(name: string): (m: FilterInput) => unknown {
  const strip = (s: string): string => (s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s);
  const dot = name.indexOf('.');
  const scope = dot > 0 ? name.slice(0, dot).toLowerCase() : '';
  if (scope === 'sys') {
    const key = strip(name.slice(dot + 1)).toLowerCase();
    const k = key === 'subject' ? 'label' : key;
    if (!(SYSTEM_PROPERTIES as readonly string[]).includes(k))
      throw new SqlFilterError(`unknown system property '${name}'`);
    return (m) => m.sys[k];
  }
  const key = scope === 'user' ? strip(name.slice(dot + 1)) : name;
  return (m) => m.user[key];
}

function normalise(v: unknown): Value {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'bigint') return Number(v);
  return String(v);
}

function truthy(v: Value): boolean {
  return v === true;
}

function sqlEquals(a: Value, b: Value): boolean | null {
  if (a === null || b === null) return null;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (typeof a !== typeof b) return false;
  return a === b;
}

function compare(op: string, l: Node, r: Node): Node {
  return (m) => {
    const a = l(m);
    const b = r(m);
    if (a === null || b === null) return null;
    if (op === '=') return sqlEquals(a, b);
    if (op === '<>' || op === '!=') {
      const e = sqlEquals(a, b);
      return e === null ? null : !e;
    }
    if (typeof a !== typeof b || typeof a === 'boolean') return null;
    switch (op) {
      case '<':
        return a < b;
      case '<=':
        return a <= b;
      case '>':
        return a > b;
      default:
        return a >= b;
    }
  };
}

function arith(op: string, l: Node, r: Node): Node {
  return (m) => {
    const a = l(m);
    const b = r(m);
    if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
    if (typeof a !== 'number' || typeof b !== 'number') return null;
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        return b === 0 ? null : a / b;
      default:
        return b === 0 ? null : a % b;
    }
  };
}

function likeToRegExp(pattern: string, escape: string | undefined): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (escape !== undefined && c === escape && i + 1 < pattern.length) {
      re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(re + '$');
}
