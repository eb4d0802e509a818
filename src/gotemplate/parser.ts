// The text/template parser (a port of Go's text/template/parse/parse.go).
import { lex, type Token, type TokenType } from './lexer.js';
import {
  isEmptyTree, nodeString, type BranchNode, type CommandNode, type ListNode, type Node, type NumberNode,
  type PipeNode, type TemplateNode, type VariableNode,
} from './nodes.js';
import { unquote, unquoteCharConstant } from './unquote.js';

export class TemplateSyntaxError extends Error {}

export interface ParseOptions {
  name: string;
  leftDelim?: string;
  rightDelim?: string;
  hasFunction: (name: string) => boolean;
}

/** Parses a template source into its named trees (the main one under `name`). */
export function parseTrees(text: string, o: ParseOptions): Map<string, ListNode> {
  const tokens = lex(text, o.leftDelim || '{{', o.rightDelim || '}}');
  const trees = new Map<string, ListNode>();
  new Parser(tokens, o.name, trees, o.hasFunction).parseMain();
  return trees;
}

class Parser {
  private i = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private actionLine = 0;

  constructor(
    private readonly tokens: Token[],
    private name: string,
    private readonly trees: Map<string, ListNode>,
    private readonly hasFunction: (name: string) => boolean,
    private readonly parseName = name,
  ) {}

  private lastLine = 1;

  private next(): Token {
    const t = this.tokens[this.i] ?? this.tokens[this.tokens.length - 1]!;
    if (this.i < this.tokens.length) this.i++;
    this.lastLine = t.line;
    return t;
  }
  private backup(n = 1) {
    this.i -= n;
  }
  private peek(): Token {
    return this.tokens[this.i] ?? this.tokens[this.tokens.length - 1]!;
  }
  private nextNonSpace(): Token {
    let t = this.next();
    while (t.type === 'space') t = this.next();
    return t;
  }
  private peekNonSpace(): Token {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  private errorf(msg: string): never {
    throw new TemplateSyntaxError(`template: ${this.parseName}:${this.lastLine}: ${msg}`);
  }
  private expect(type: TokenType, context: string): Token {
    const t = this.nextNonSpace();
    if (t.type !== type) this.unexpected(t, context);
    return t;
  }
  private unexpected(t: Token, context: string): never {
    if (t.type === 'error') {
      const extra = this.actionLine !== 0 && this.actionLine !== t.line ? ` in action started at ${this.parseName}:${this.actionLine}` : '';
      this.errorf(`${t.val}${extra}`);
    }
    this.errorf(`unexpected ${describe(t)} in ${context}`);
  }

  parseMain(): void {
    const root = this.list(1, 1);
    while (this.peek().type !== 'EOF') {
      if (this.peek().type === 'leftDelim') {
        const delim = this.next();
        if (this.nextNonSpace().type === 'define') {
          const sub = new Parser(this.tokens, 'definition', this.trees, this.hasFunction, this.parseName);
          sub.i = this.i;
          sub.parseDefinition();
          this.i = sub.i;
          continue;
        }
        this.i = this.tokens.indexOf(delim);
      }
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') this.errorf(`unexpected ${nodeString(n)}`);
      root.nodes.push(n);
    }
    this.add(root);
  }

  private add(root: ListNode) {
    const existing = this.trees.get(this.name);
    if (!existing || isEmptyTree(existing)) {
      this.trees.set(this.name, root);
      return;
    }
    if (!isEmptyTree(root)) this.errorf(`template: multiple definition of template "${this.name}"`);
  }

  private parseDefinition() {
    const t = this.nextNonSpace();
    if (t.type !== 'string' && t.type !== 'rawString') this.unexpected(t, 'define clause');
    this.name = this.unquoteToken(t);
    this.expect('rightDelim', 'define clause');
    const [root, end] = this.itemList();
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in define clause`);
    this.add(root);
  }

  private unquoteToken(t: Token): string {
    try {
      return unquote(t.val);
    } catch (e) {
      this.errorf((e as Error).message);
    }
  }

  private list(pos: number, line: number): ListNode {
    return { type: 'list', nodes: [], pos, line };
  }

  private itemList(): [ListNode, Node] {
    const list = this.list(this.peek().pos, this.peek().line);
    while (this.peekNonSpace().type !== 'EOF') {
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') return [list, n];
      list.nodes.push(n);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): Node {
    const t = this.nextNonSpace();
    switch (t.type) {
      case 'text':
        return { type: 'text', text: t.val, pos: t.pos, line: t.line };
      case 'leftDelim':
        this.actionLine = t.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      case 'comment':
        return { type: 'comment', text: t.val, pos: t.pos, line: t.line };
    }
    this.unexpected(t, 'input');
  }

  private action(): Node {
    const t = this.nextNonSpace();
    switch (t.type) {
      case 'block': return this.blockControl();
      case 'break': return this.breakOrContinue(t, 'break');
      case 'continue': return this.breakOrContinue(t, 'continue');
      case 'else': return this.elseControl(t);
      case 'end':
        this.expect('rightDelim', 'end');
        return { type: 'end', pos: t.pos, line: t.line };
      case 'if': return this.parseControl(true, 'if', t);
      case 'range': return this.parseControl(false, 'range', t);
      case 'template': return this.templateControl(t);
      case 'with': return this.parseControl(false, 'with', t);
    }
    this.backup();
    const tok = this.peek();
    return { type: 'action', pipe: this.pipeline('command', 'rightDelim'), pos: tok.pos, line: tok.line };
  }

  private breakOrContinue(t: Token, kind: 'break' | 'continue'): Node {
    const next = this.nextNonSpace();
    if (next.type !== 'rightDelim') this.unexpected(next, `{{${kind}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${kind}}} outside {{range}}`);
    return { type: kind, pos: t.pos, line: t.line };
  }

  private elseControl(t: Token): Node {
    const peek = this.peekNonSpace();
    if (peek.type === 'if') return { type: 'else', pos: peek.pos, line: peek.line };
    this.expect('rightDelim', 'else');
    return { type: 'else', pos: t.pos, line: t.line };
  }

  private parseControl(allowElseIf: boolean, context: 'if' | 'range' | 'with', t: Token): BranchNode {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, 'rightDelim');
      if (context === 'range') this.rangeDepth++;
      let [list, next] = this.itemList();
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | undefined;
      if (next.type === 'else') {
        if (allowElseIf && this.peek().type === 'if') {
          this.next();
          elseList = this.list(next.pos, next.line);
          const ifTok = this.tokens[this.i - 1]!;
          elseList.nodes.push(this.parseControl(true, 'if', ifTok));
        } else {
          [elseList, next] = this.itemList();
          if (next.type !== 'end') this.errorf(`expected end; found ${nodeString(next)}`);
        }
      }
      return { type: context, pipe, list, elseList, pos: t.pos, line: t.line };
    } finally {
      this.vars.length = mark;
    }
  }

  private parseTemplateName(t: Token, context: string): string {
    if (t.type === 'string' || t.type === 'rawString') return this.unquoteToken(t);
    this.unexpected(t, context);
  }

  private templateControl(t: Token): TemplateNode {
    const context = 'template clause';
    const nameTok = this.nextNonSpace();
    const name = this.parseTemplateName(nameTok, context);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().type !== 'rightDelim') {
      this.backup();
      pipe = this.pipeline(context, 'rightDelim');
    }
    void t;
    return { type: 'template', name, pipe, pos: nameTok.pos, line: nameTok.line };
  }

  private blockControl(): TemplateNode {
    const context = 'block clause';
    const t = this.nextNonSpace();
    const name = this.parseTemplateName(t, context);
    const pipe = this.pipeline(context, 'rightDelim');
    const sub = new Parser(this.tokens, name, this.trees, this.hasFunction, this.parseName);
    sub.i = this.i;
    const [root, end] = sub.itemList();
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    sub.add(root);
    this.i = sub.i;
    return { type: 'template', name, pipe, pos: t.pos, line: t.line };
  }

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): PipeNode {
    const first = this.peekNonSpace();
    const pipe: PipeNode = { type: 'pipe', isAssign: false, decl: [], cmds: [], pos: first.pos, line: first.line };
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== 'variable') break;
      this.nextNonSpace();
      const tokenAfterVariable = this.peek();
      const next = this.peekNonSpace();
      if (next.type === 'assign' || next.type === 'declare') {
        pipe.isAssign = next.type === 'assign';
        this.nextNonSpace();
        pipe.decl.push(this.variable(v));
        this.vars.push(v.val);
      } else if (next.type === 'char' && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push(this.variable(v));
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const p = this.peekNonSpace().type;
          if (p === 'variable' || p === 'rightDelim' || p === 'rightParen') continue decls;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      } else if (tokenAfterVariable.type === 'space') {
        this.i = this.tokens.indexOf(v);
      } else {
        this.i = this.tokens.indexOf(v);
      }
      break;
    }
    for (;;) {
      const t = this.nextNonSpace();
      switch (t.type) {
        case end:
          this.checkPipeline(pipe, context);
          return pipe;
        case 'bool': case 'charConstant': case 'dot': case 'field': case 'identifier': case 'number':
        case 'nil': case 'rawString': case 'string': case 'variable': case 'leftParen':
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string) {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const t = c.args[0]!.type;
      if (t === 'bool' || t === 'dot' || t === 'nil' || t === 'number' || t === 'string') {
        this.errorf(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  private variable(t: Token): VariableNode {
    return { type: 'variable', ident: t.val.split('.'), pos: t.pos, line: t.line };
  }

  private command(): CommandNode {
    const first = this.peekNonSpace();
    const cmd: CommandNode = { type: 'command', args: [], pos: first.pos, line: first.line };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const t = this.next();
      if (t.type === 'space') continue;
      if (t.type === 'rightDelim' || t.type === 'rightParen') this.backup();
      else if (t.type !== 'pipe') this.unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): Node | undefined {
    const node = this.term();
    if (!node) return undefined;
    if (this.peek().type === 'field') {
      const at = { pos: this.peek().pos, line: this.peek().line };
      const fields: string[] = [];
      while (this.peek().type === 'field') fields.push(this.next().val.slice(1));
      switch (node.type) {
        case 'field': return { ...node, ...at, ident: [...node.ident, ...fields] };
        case 'variable': return { ...node, ...at, ident: [...node.ident, ...fields] };
        case 'bool': case 'string': case 'number': case 'nil': case 'dot':
          this.errorf(`unexpected . after term "${nodeString(node)}"`);
      }
      return { type: 'chain', node, field: fields, pos: node.pos, line: node.line };
    }
    return node;
  }

  private term(): Node | undefined {
    const t = this.nextNonSpace();
    const at = { pos: t.pos, line: t.line };
    switch (t.type) {
      case 'identifier':
        if (!this.hasFunction(t.val)) this.errorf(`function "${t.val}" not defined`);
        return { type: 'identifier', ident: t.val, ...at };
      case 'dot': return { type: 'dot', ...at };
      case 'nil': return { type: 'nil', ...at };
      case 'variable': {
        const v = this.variable(t);
        if (!this.vars.includes(v.ident[0]!)) this.errorf(`undefined variable "${v.ident[0]}"`);
        return v;
      }
      case 'field': return { type: 'field', ident: t.val.slice(1).split('.'), ...at };
      case 'bool': return { type: 'bool', value: t.val === 'true', ...at };
      case 'charConstant': case 'number': return this.number(t);
      case 'leftParen': return this.pipeline('parenthesized pipeline', 'rightParen');
      case 'string': case 'rawString':
        return { type: 'string', quoted: t.val, text: this.unquoteToken(t), ...at };
    }
    this.backup();
    return undefined;
  }

  private number(t: Token): NumberNode {
    const n: NumberNode = {
      type: 'number', text: t.val, isInt: false, isUint: false, isFloat: false, isComplex: false,
      int: 0n, uint: 0n, float: 0, pos: t.pos, line: t.line,
    };
    if (t.type === 'charConstant') {
      let cp: number;
      try {
        cp = unquoteCharConstant(t.val);
      } catch (e) {
        this.errorf((e as Error).message);
      }
      n.int = n.uint = BigInt(cp);
      n.float = cp;
      n.isInt = n.isUint = n.isFloat = true;
      return n;
    }
    const text = t.val;
    if (text.endsWith('i')) this.errorf(`complex numbers are not supported: ${text}`);
    const i = parseGoInt(text);
    if (i !== undefined) {
      if (i >= 0n && i <= 0xffffffffffffffffn) {
        n.isUint = true;
        n.uint = i;
      }
      if (i >= -(2n ** 63n) && i < 2n ** 63n) {
        n.isInt = true;
        n.int = i;
      }
    }
    if (n.isInt) {
      n.isFloat = true;
      n.float = Number(n.int);
    } else if (n.isUint) {
      n.isFloat = true;
      n.float = Number(n.uint);
    } else {
      const f = parseGoFloat(text);
      if (f !== undefined) {
        if (!/[.eEpP]/.test(text)) this.errorf(`integer overflow: "${text}"`);
        n.isFloat = true;
        n.float = f;
        if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) {
          n.isInt = true;
          n.int = BigInt(f);
        }
        if (Number.isInteger(f) && f >= 0 && f < 2 ** 64) {
          n.isUint = true;
          n.uint = BigInt(f);
        }
      }
    }
    if (!n.isInt && !n.isUint && !n.isFloat) this.errorf(`illegal number syntax: "${text}"`);
    return n;
  }
}

function describe(t: Token): string {
  switch (t.type) {
    case 'EOF': return 'EOF';
    case 'error': return t.val;
    case 'leftDelim': case 'rightDelim': return `"${t.val}"`;
    case 'space': return 'space';
  }
  const kw = ['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'nil', 'range', 'template', 'with'];
  if (kw.includes(t.type)) return `<${t.val}>`;
  return t.val.length > 10 ? `${JSON.stringify(t.val.slice(0, 10))}...` : JSON.stringify(t.val);
}

/** strconv.ParseInt(text, 0, 64)-style parsing without the range check; undefined when not an integer. */
export function parseGoInt(text: string): bigint | undefined {
  let s = text;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  let base = 10;
  let prefixed = false;
  if (/^0[xX]/.test(s)) { base = 16; s = s.slice(2); prefixed = true; }
  else if (/^0[bB]/.test(s)) { base = 2; s = s.slice(2); prefixed = true; }
  else if (/^0[oO]/.test(s)) { base = 8; s = s.slice(2); prefixed = true; }
  else if (s.length > 1 && s[0] === '0') { base = 8; s = s.slice(1); prefixed = true; }
  if (s.includes('_')) {
    // underscores only with a base prefix, between digits
    if (!prefixed && !/^[0-9]+(_[0-9]+)*$/.test(s)) return undefined;
    if (prefixed && !/^_?[0-9a-fA-F]+(_[0-9a-fA-F]+)*$/.test(s)) return undefined;
    s = s.replaceAll('_', '');
  }
  if (s === '') return undefined;
  const digits = '0123456789abcdef'.slice(0, base);
  let v = 0n;
  for (const c of s.toLowerCase()) {
    const d = digits.indexOf(c);
    if (d < 0) return undefined;
    v = v * BigInt(base) + BigInt(d);
  }
  return neg ? -v : v;
}

/** strconv.ParseFloat(text, 64) for decimal and hex floats; undefined on syntax errors. */
export function parseGoFloat(text: string): number | undefined {
  let s = text;
  if (/_/.test(s)) {
    if (!/^[+-]?0[xXbBoO]/.test(s) && !/^[+-]?\d+(_\d+)*(\.\d+(_\d+)*)?([eE][+-]?\d+)?$/.test(s)) return undefined;
    s = s.replaceAll('_', '');
  }
  if (/^[+-]?0[xX]/.test(s)) {
    const m = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(s);
    if (!m || (m[2] === '' && !m[3])) return undefined;
    const mant = parseInt((m[2] || '0') + (m[3] ?? ''), 16);
    const v = mant * 2 ** (Number(m[4]) - 4 * (m[3]?.length ?? 0));
    return m[1] === '-' ? -v : v;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}
