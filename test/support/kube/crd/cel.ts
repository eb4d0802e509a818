// A small subset of CEL for CRD `x-kubernetes-validations` rules: literals, lists, self/member/index
// access, has(), size(), filter/all/exists macros, in, !, &&, ||, comparisons and string methods.
// A rule outside the subset (or using oldSelf) is reported as unsupported so the caller skips it
// rather than rejecting a valid object.

type Node =
  | { t: 'lit'; v: unknown } | { t: 'id'; n: string } | { t: 'mem'; o: Node; n: string } | { t: 'idx'; o: Node; i: Node }
  | { t: 'call'; f: string; args: Node[]; recv?: Node } | { t: 'un'; op: string; a: Node } | { t: 'bin'; op: string; a: Node; b: Node } | { t: 'list'; items: Node[] };

export class Unsupported extends Error {}
class NoSuchKey extends Error {}

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|([A-Za-z_][A-Za-z0-9_]*)|(&&|\|\||==|!=|<=|>=|[<>!()[\],.\-+]))/y;

function tokenize(src: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.length) {
    if (/^\s*$/.test(src.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(src);
    if (!m) throw new Unsupported(`cannot tokenize ${src.slice(TOKEN.lastIndex)}`);
    if (m[1] !== undefined) out.push(`#${m[1]}`);
    else if (m[2] !== undefined) out.push(`$${m[2].replace(/\\(.)/g, '$1')}`);
    else if (m[3] !== undefined) out.push(`$${m[3].replace(/\\(.)/g, '$1')}`);
    else out.push(m[4] ?? m[5]!);
  }
  return out;
}

export function parseCel(src: string): Node {
  const toks = tokenize(src);
  let i = 0;
  const peek = (): string | undefined => toks[i];
  const eat = (t: string): void => { if (toks[i] !== t) throw new Unsupported(`expected ${t}`); i++; };
  const args = (close: string): Node[] => {
    const out: Node[] = [];
    if (peek() === close) { i++; return out; }
    for (;;) { out.push(or()); if (peek() === ',') { i++; continue; } eat(close); return out; }
  };
  const primary = (): Node => {
    const t = toks[i++];
    if (t === undefined) throw new Unsupported('unexpected end');
    if (t === '(') { const e = or(); eat(')'); return e; }
    if (t === '[') return { t: 'list', items: args(']') };
    if (t.startsWith('#')) return { t: 'lit', v: Number(t.slice(1)) };
    if (t.startsWith('$')) return { t: 'lit', v: t.slice(1) };
    if (t === 'true' || t === 'false') return { t: 'lit', v: t === 'true' };
    if (t === 'null') return { t: 'lit', v: null };
    if (/^[A-Za-z_]/.test(t)) {
      if (t === 'oldSelf') throw new Unsupported('transition rules');
      if (peek() === '(') { i++; return { t: 'call', f: t, args: args(')') }; }
      return { t: 'id', n: t };
    }
    throw new Unsupported(`unexpected ${t}`);
  };
  const postfix = (): Node => {
    let n = primary();
    for (;;) {
      if (peek() === '.') {
        i++;
        const name = toks[i++]!;
        if (peek() === '(') { i++; n = { t: 'call', f: name, recv: n, args: args(')') }; } else n = { t: 'mem', o: n, n: name };
      } else if (peek() === '[') { i++; const idx = or(); eat(']'); n = { t: 'idx', o: n, i: idx }; } else return n;
    }
  };
  const unary = (): Node => {
    if (peek() === '!' || peek() === '-') { const op = toks[i++]!; return { t: 'un', op, a: unary() }; }
    return postfix();
  };
  const add = (): Node => {
    let a = unary();
    while (peek() === '+' || peek() === '-') { const op = toks[i++]!; a = { t: 'bin', op, a, b: unary() }; }
    return a;
  };
  const rel = (): Node => {
    let a = add();
    while (['==', '!=', '<', '<=', '>', '>=', 'in'].includes(peek() ?? '')) { const op = toks[i++]!; a = { t: 'bin', op, a, b: add() }; }
    return a;
  };
  const and = (): Node => { let a = rel(); while (peek() === '&&') { i++; a = { t: 'bin', op: '&&', a, b: rel() }; } return a; };
  const or = (): Node => { let a = and(); while (peek() === '||') { i++; a = { t: 'bin', op: '||', a, b: and() }; } return a; };
  const e = or();
  if (i !== toks.length) throw new Unsupported('trailing tokens');
  return e;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const eq = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function evaluate(n: Node, env: Map<string, unknown>): unknown {
  switch (n.t) {
    case 'lit': return n.v;
    case 'id': if (!env.has(n.n)) throw new Unsupported(`unknown identifier ${n.n}`); return env.get(n.n);
    case 'list': return n.items.map((x) => evaluate(x, env));
    case 'mem': {
      const o = evaluate(n.o, env);
      if (!isObj(o) || !Object.hasOwn(o, n.n)) throw new NoSuchKey(n.n);
      return o[n.n];
    }
    case 'idx': {
      const o = evaluate(n.o, env), k = evaluate(n.i, env);
      if (Array.isArray(o) && typeof k === 'number' && k >= 0 && k < o.length) return o[k];
      if (isObj(o) && typeof k === 'string' && Object.hasOwn(o, k)) return o[k];
      throw new NoSuchKey(String(k));
    }
    case 'un': { const a = evaluate(n.a, env); return n.op === '!' ? !truth(a) : -(a as number); }
    case 'bin': {
      if (n.op === '&&') return truth(evaluate(n.a, env)) && truth(evaluate(n.b, env));
      if (n.op === '||') return truth(evaluate(n.a, env)) || truth(evaluate(n.b, env));
      const a = evaluate(n.a, env), b = evaluate(n.b, env);
      switch (n.op) {
        case '==': return eq(a, b);
        case '!=': return !eq(a, b);
        case '<': return (a as number) < (b as number);
        case '<=': return (a as number) <= (b as number);
        case '>': return (a as number) > (b as number);
        case '>=': return (a as number) >= (b as number);
        case '+': return (a as number) + (b as number);
        case '-': return (a as number) - (b as number);
        case 'in': return Array.isArray(b) ? b.some((x) => eq(x, a)) : isObj(b) && typeof a === 'string' && Object.hasOwn(b, a);
      }
      throw new Unsupported(n.op);
    }
    case 'call': return call(n, env);
  }
}

function truth(v: unknown): boolean {
  if (typeof v !== 'boolean') throw new Unsupported('non-boolean operand');
  return v;
}

function call(n: Extract<Node, { t: 'call' }>, env: Map<string, unknown>): unknown {
  if (n.f === 'has' && !n.recv) {
    const m = n.args[0];
    if (m?.t !== 'mem') throw new Unsupported('has() needs a field selection');
    const o = evaluate(m.o, env);
    return isObj(o) && Object.hasOwn(o, m.n);
  }
  if (['filter', 'all', 'exists', 'exists_one', 'map'].includes(n.f) && n.recv) {
    const list = evaluate(n.recv, env);
    const v = n.args[0];
    if (v?.t !== 'id' || !n.args[1]) throw new Unsupported('macro');
    const items = Array.isArray(list) ? list : isObj(list) ? Object.keys(list) : [];
    const test = (x: unknown): unknown => evaluate(n.args[1]!, new Map(env).set(v.n, x));
    if (n.f === 'filter') return items.filter((x) => truth(test(x)));
    if (n.f === 'map') return items.map(test);
    if (n.f === 'all') return items.every((x) => truth(test(x)));
    if (n.f === 'exists') return items.some((x) => truth(test(x)));
    return items.filter((x) => truth(test(x))).length === 1;
  }
  const target = n.recv ? evaluate(n.recv, env) : undefined;
  const a = n.args.map((x) => evaluate(x, env));
  const subject = n.recv ? target : a.shift();
  switch (n.f) {
    case 'size': return typeof subject === 'string' ? [...subject].length : Array.isArray(subject) ? subject.length : isObj(subject) ? Object.keys(subject).length : (() => { throw new Unsupported('size'); })();
    case 'startsWith': return String(subject).startsWith(String(a[0]));
    case 'endsWith': return String(subject).endsWith(String(a[0]));
    case 'contains': return String(subject).includes(String(a[0]));
    case 'matches': return new RegExp(String(a[0]), 'u').test(String(subject));
  }
  throw new Unsupported(`function ${n.f}`);
}

/** true/false for the rule on `self`, or 'unsupported' when outside the subset. A missing field fails the rule. */
export function evalRule(rule: string, self: unknown): boolean | 'unsupported' {
  try {
    return truth(evaluate(parseCel(rule), new Map([['self', self]])));
  } catch (e) {
    if (e instanceof NoSuchKey) return false;
    if (e instanceof Unsupported) return 'unsupported';
    return 'unsupported';
  }
}
