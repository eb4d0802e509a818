// The text/template executor (a port of Go's text/template/exec.go over the value model in value.ts).
import { sprint } from './fmt/print.js';
import { compareGoStrings } from './fmt/print.js';
import { nodeString, type ChainNode, type CommandNode, type FieldNode, type IdentifierNode, type ListNode, type Node, type NumberNode, type PipeNode, type BranchNode, type TemplateNode, type VariableNode } from './nodes.js';
import {
  GoNum, StringMap, goByteLength, goTypeName, isGoObject, isTrue, type CallContext, type GoFunc, type ParamType, type Value,
} from './value.js';
import { GoTime } from './funcs/time-value.js';

export type MissingKey = 'error' | 'default' | 'zero';

export interface Limits {
  maxOutputBytes: number;
  maxDepth: number;
  maxSteps: number;
}

export const defaultLimits: Limits = { maxOutputBytes: 1 << 20, maxDepth: 100, maxSteps: 1_000_000 };

export class ExecError extends Error {
  constructor(message: string, readonly kind: 'exec' | 'limit' = 'exec') {
    super(message);
  }
}

const MISSING = Symbol('missing');
type Final = Value | typeof MISSING;
const BREAK = Symbol('break');
const CONTINUE = Symbol('continue');

export interface ExecInput {
  name: string;
  source: string;
  trees: Map<string, ListNode>;
  funcs: Map<string, GoFunc>;
  missingKey: MissingKey;
  limits: Limits;
  ctx: Omit<CallContext, 'checkSize'>;
}

interface Variable {
  name: string;
  value: Value;
}

export function execute(input: ExecInput, data: Value): string {
  const root = input.trees.get(input.name);
  if (!root) throw new ExecError(`template: ${input.name}: "${input.name}" is an incomplete or empty template`);
  const s = new State(input);
  s.vars = [{ name: '$', value: data }];
  s.walk(data, root);
  return s.out.join('');
}

class State {
  out: string[] = [];
  outBytes = 0;
  vars: Variable[] = [];
  steps = 0;
  depth = 0;
  pipeDepth = 0;
  node: Node | undefined;
  tmplName: string;
  readonly ctx: CallContext;

  constructor(private readonly input: ExecInput) {
    this.tmplName = input.name;
    this.ctx = {
      ...input.ctx,
      checkSize: (n: number, what: string) => {
        if (n > input.limits.maxOutputBytes) this.limit(`${what} of ${n} exceeds the output limit of ${input.limits.maxOutputBytes} bytes`);
      },
    };
  }

  // ---- errors ----
  private location(): string {
    const n = this.node;
    if (!n) return `template: ${this.input.name}: `;
    const text = this.input.source.slice(0, n.pos);
    const line = 1 + (text.match(/\n/g)?.length ?? 0);
    const col = goByteLength(text.slice(text.lastIndexOf('\n') + 1)); // Go counts bytes
    const context = nodeString(n);
    return `template: ${this.input.name}:${line}:${col}: executing "${this.tmplName}" at <${context}>: `;
  }
  errorf(msg: string): never {
    throw new ExecError(this.location() + msg);
  }
  limit(msg: string): never {
    throw new ExecError(this.location() + msg, 'limit');
  }
  private step() {
    if (++this.steps > this.input.limits.maxSteps) this.limit(`execution exceeded ${this.input.limits.maxSteps} steps`);
  }
  private write(s: string) {
    if (s.length === 0) return;
    this.outBytes += s.length < 256 ? goByteLength(s) : Buffer.byteLength(s);
    if (this.outBytes > this.input.limits.maxOutputBytes) this.limit(`output exceeds ${this.input.limits.maxOutputBytes} bytes`);
    this.out.push(s);
  }

  // ---- variables ----
  private mark() {
    return this.vars.length;
  }
  private pop(mark: number) {
    this.vars.length = mark;
  }
  private setVar(name: string, value: Value) {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }
  private setTopVar(n: number, value: Value) {
    this.vars[this.vars.length - n]!.value = value;
  }
  private varValue(name: string): Value {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    this.errorf(`undefined variable: ${name}`);
  }

  // ---- walking ----
  walk(dot: Value, node: Node): void {
    this.node = node;
    this.step();
    switch (node.type) {
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case 'break': throw BREAK;
      case 'continue': throw CONTINUE;
      case 'comment': return;
      case 'if': case 'with': return this.walkIfOrWith(dot, node);
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'range': return this.walkRange(dot, node);
      case 'template': return this.walkTemplate(dot, node);
      case 'text':
        this.write(node.text);
        return;
    }
    this.errorf(`unknown node: ${nodeString(node)}`);
  }

  private walkIfOrWith(dot: Value, node: BranchNode) {
    const mark = this.mark();
    try {
      const val = this.evalPipeline(dot, node.pipe);
      if (isTrue(val)) this.walk(node.type === 'with' ? val : dot, node.list);
      else if (node.elseList) this.walk(dot, node.elseList);
    } finally {
      this.pop(mark);
    }
  }

  private walkRange(dot: Value, r: BranchNode) {
    this.node = r;
    const outer = this.mark();
    try {
      const val = this.evalPipeline(dot, r.pipe);
      const mark = this.mark();
      const one = (index: Value, elem: Value) => {
        if (r.pipe.decl.length > 0) this.setTopVar(1, elem);
        if (r.pipe.decl.length > 1) this.setTopVar(2, index);
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (e !== CONTINUE) throw e;
        } finally {
          this.pop(mark);
        }
      };
      try {
        if (Array.isArray(val)) {
          if (val.length > 0) {
            for (let i = 0; i < val.length; i++) one(BigInt(i), val[i]);
            return;
          }
        } else if (val instanceof Map) {
          if (val.size > 0) {
            for (const k of [...val.keys()].sort(compareGoStrings)) one(k, val.get(k));
            return;
          }
        } else if (val instanceof Uint8Array) {
          if (val.length > 0) {
            for (let i = 0; i < val.length; i++) one(BigInt(i), new GoNum('uint8', BigInt(val[i]!)));
            return;
          }
        } else if (val !== undefined && val !== null) {
          this.errorf(`range can't iterate over ${sprint([val])}`);
        }
      } catch (e) {
        if (e === BREAK) return;
        throw e;
      }
      if (r.elseList) this.walk(dot, r.elseList);
    } finally {
      this.pop(outer);
    }
  }

  private walkTemplate(dot: Value, t: TemplateNode) {
    this.node = t;
    const tree = this.input.trees.get(t.name);
    if (!tree) this.errorf(`template "${t.name}" not defined`);
    if (this.depth >= this.input.limits.maxDepth) this.limit(`exceeded maximum template depth (${this.input.limits.maxDepth})`);
    const newDot = this.evalPipeline(dot, t.pipe);
    const saved = { vars: this.vars, name: this.tmplName };
    this.depth++;
    this.vars = [{ name: '$', value: newDot }];
    this.tmplName = t.name;
    try {
      this.walk(newDot, tree);
    } finally {
      this.depth--;
      this.vars = saved.vars;
      this.tmplName = saved.name;
    }
  }

  private printValue(n: Node, v: Value) {
    this.node = n;
    if (v === undefined || v === null) {
      this.write('<no value>');
      return;
    }
    if (typeof v === 'string') {
      this.write(v);
      return;
    }
    this.write(sprint([v]));
  }

  // ---- evaluation ----
  evalPipeline(dot: Value, pipe: PipeNode | undefined): Value {
    if (!pipe) return undefined;
    this.node = pipe;
    let value: Final = MISSING;
    if (++this.pipeDepth > this.input.limits.maxDepth) this.limit(`expressions nested deeper than ${this.input.limits.maxDepth}`);
    try {
      for (const cmd of pipe.cmds) {
        value = this.evalCommand(dot, cmd, value);
        // a nil interface becomes "no value" (Go's `reflect.ValueOf(value.Interface())`)
        if (value === null) value = undefined;
      }
    } finally {
      this.pipeDepth--;
    }
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0]!, value);
      else this.vars.push({ name: v.ident[0]!, value });
    }
    return value;
  }

  private notAFunction(args: Node[], final: Final) {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args[0]!)}`);
  }

  private evalCommand(dot: Value, cmd: CommandNode, final: Final): Value {
    const first = cmd.args[0]!;
    switch (first.type) {
      case 'field': return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain': return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier': return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable': return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.node = first;
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool': return first.value;
      case 'dot': return dot;
      case 'nil': this.errorf('nil is not a command');
      case 'number': return this.idealConstant(first);
      case 'string': return first.text;
    }
    this.errorf(`can't evaluate command ${nodeString(first)}`);
  }

  private idealConstant(c: NumberNode): Value {
    this.node = c;
    const isHexInt = c.text.length > 2 && c.text[0] === '0' && (c.text[1] === 'x' || c.text[1] === 'X') && !/[pP]/.test(c.text);
    const isRune = c.text[0] === "'";
    if (c.isFloat && !isHexInt && !isRune && /[.eEpP]/.test(c.text)) return c.float;
    if (c.isInt) return c.int;
    if (c.isUint) this.errorf(`${c.text} overflows int`);
    return undefined;
  }

  private evalFieldNode(dot: Value, field: FieldNode, args: Node[], final: Final): Value {
    this.node = field;
    return this.evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  private evalChainNode(dot: Value, chain: ChainNode, args: Node[], final: Final): Value {
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, 'any', chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  private evalVariableNode(dot: Value, v: VariableNode, args: Node[], final: Final): Value {
    this.node = v;
    const value = this.varValue(v.ident[0]!);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  }

  private evalFieldChain(dot: Value, receiver: Value, node: Node, ident: string[], args: Node[], final: Final): Value {
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) receiver = this.evalField(dot, ident[i]!, node, [], MISSING, receiver);
    return this.evalField(dot, ident[n - 1]!, node, args, final, receiver);
  }

  private evalField(dot: Value, name: string, node: Node, args: Node[], final: Final, receiver: Value): Value {
    if (receiver === undefined) {
      if (this.input.missingKey === 'error') this.errorf(`nil data; no entry for key "${name}"`);
      return undefined;
    }
    if (receiver === null) this.errorf(`nil pointer evaluating interface {}.${name}`);
    if (isGoObject(receiver)) {
      const m = receiver.method(name);
      if (m) return this.evalCall(dot, m, false, node, name, args, final);
    }
    const hasArgs = args.length > 1 || final !== MISSING;
    if (receiver instanceof Map) {
      if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
      if (receiver.has(name)) return receiver.get(name);
      switch (this.input.missingKey) {
        case 'zero': return receiver instanceof StringMap ? '' : null;
        case 'error': this.errorf(`map has no entry for key "${name}"`);
      }
      return undefined;
    }
    this.errorf(`can't evaluate field ${name} in type ${goTypeName(receiver)}`);
  }

  private evalFunction(dot: Value, node: IdentifierNode, cmd: Node, args: Node[], final: Final): Value {
    this.node = node;
    const fn = this.input.funcs.get(node.ident);
    if (!fn) this.errorf(`"${node.ident}" is not a defined function`);
    return this.evalCall(dot, fn, true, cmd, node.ident, args, final);
  }

  private evalCall(dot: Value, fn: GoFunc, isFunc: boolean, node: Node, name: string, args: Node[], final: Final): Value {
    this.step();
    const rest = args.slice(1);
    const numIn = rest.length + (final !== MISSING ? 1 : 0);
    const nParams = fn.params.length;
    if (fn.variadic !== undefined) {
      if (numIn < nParams) this.errorf(`wrong number of args for ${name}: want at least ${nParams} got ${rest.length}`);
    } else if (numIn !== nParams) {
      this.errorf(`wrong number of args for ${name}: want ${nParams} got ${numIn}`);
    }
    if (isFunc && (name === 'and' || name === 'or')) {
      let v: Value = undefined;
      for (const a of rest) {
        v = this.evalArg(dot, 'value', a);
        if (isTrue(v) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = final;
      return v;
    }
    const argv: Value[] = [];
    let i = 0;
    for (; i < nParams && i < rest.length; i++) argv.push(this.evalArg(dot, fn.params[i]!, rest[i]!));
    if (fn.variadic !== undefined) for (; i < rest.length; i++) argv.push(this.evalArg(dot, fn.variadic, rest[i]!));
    if (final !== MISSING) {
      const t = numIn - 1 < nParams ? fn.params[numIn - 1]! : fn.variadic!;
      argv.push(this.validateType(final, t));
    }
    let result: Value;
    try {
      result = fn.fn(argv, this.ctx);
    } catch (e) {
      if (e instanceof ExecError || e === BREAK || e === CONTINUE) throw e;
      this.node = node;
      const msg = e instanceof Error ? e.message : String(e);
      this.errorf(`error calling ${name}: ${msg}`);
    }
    // intermediate values may exceed the output (e.g. before hashing) but not without bound
    if (typeof result === 'string' && result.length > this.input.limits.maxOutputBytes * 16) {
      this.limit(`${name} produced a value larger than ${this.input.limits.maxOutputBytes * 16} bytes`);
    }
    return result;
  }

  private evalArg(dot: Value, typ: ParamType, n: Node): Value {
    this.node = n;
    switch (n.type) {
      case 'dot': return this.validateType(dot, typ);
      case 'nil':
        if (canBeNil(typ)) return zeroOf(typ);
        this.errorf(`cannot assign nil to ${typeName(typ)}`);
      case 'field': return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
      case 'variable': return this.validateType(this.evalVariableNode(dot, n, [], MISSING), typ);
      case 'pipe': return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier': return this.validateType(this.evalFunction(dot, n, n, [], MISSING), typ);
      case 'chain': return this.validateType(this.evalChainNode(dot, n, [], MISSING), typ);
    }
    switch (typ) {
      case 'bool':
        if (n.type === 'bool') return n.value;
        this.errorf(`expected bool; found ${nodeString(n)}`);
      case 'float64':
        if (n.type === 'number' && n.isFloat) return n.float;
        this.errorf(`expected float; found ${nodeString(n)}`);
      case 'int': case 'int64':
        if (n.type === 'number' && n.isInt) return typ === 'int' ? n.int : new GoNum('int64', n.int);
        this.errorf(`expected integer; found ${nodeString(n)}`);
      case 'uint32':
        if (n.type === 'number' && n.isUint && n.uint < 2n ** 32n) return new GoNum('uint32', n.uint);
        this.errorf(n.type === 'number' && n.isUint ? `${n.text} overflows uint32` : `expected unsigned integer; found ${nodeString(n)}`);
      case 'string':
        if (n.type === 'string') return n.text;
        this.errorf(`expected string; found ${nodeString(n)}`);
      case 'any': case 'value':
        if (n.type === 'bool') return n.value;
        if (n.type === 'number') return this.idealConstant(n);
        if (n.type === 'string') return n.text;
    }
    this.errorf(`can't handle ${nodeString(n)} for arg of type ${typeName(typ)}`);
  }

  private validateType(value: Value, typ: ParamType): Value {
    if (value === undefined) {
      if (typ === 'value') return undefined;
      if (canBeNil(typ)) return zeroOf(typ);
      this.errorf(`invalid value; expected ${typeName(typ)}`);
    }
    if (typ === 'any' || typ === 'value') return value;
    if (assignable(value, typ)) return value;
    this.errorf(`wrong type for value; expected ${typeName(typ)}; got ${value === null ? 'interface {}' : goTypeName(value)}`);
  }
}

function canBeNil(t: ParamType): boolean {
  return t === 'any' || t === 'value' || t === 'map' || t === 'list';
}

function zeroOf(t: ParamType): Value {
  switch (t) {
    case 'map': return new Map();
    case 'list': return [];
    case 'value': return undefined;
  }
  return null;
}

function assignable(v: Value, t: ParamType): boolean {
  switch (t) {
    case 'string': return typeof v === 'string';
    case 'int': return typeof v === 'bigint';
    case 'int64': return v instanceof GoNum && v.kind === 'int64';
    case 'uint32': return v instanceof GoNum && v.kind === 'uint32';
    case 'float64': return typeof v === 'number';
    case 'bool': return typeof v === 'boolean';
    case 'map': return v instanceof Map && !(v instanceof StringMap);
    case 'list': return Array.isArray(v) && goTypeName(v) === '[]interface {}';
    case 'time': return v instanceof GoTime;
    case 'certificate': return isGoObject(v) && v.goType === 'sprig.certificate';
  }
  return true;
}

export function typeName(t: ParamType): string {
  switch (t) {
    case 'any': return 'interface {}';
    case 'value': return 'reflect.Value';
    case 'map': return 'map[string]interface {}';
    case 'list': return '[]interface {}';
    case 'time': return 'time.Time';
    case 'certificate': return 'sprig.certificate';
  }
  return t;
}
