// Public entry points: parse once, execute many times; errors are CloakErrors without data values.
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { templateError, type CloakError } from '../errors.js';
import { ExecError, defaultLimits, execute, type Limits, type MissingKey } from './exec.js';
import { funcSet, type FuncSetName } from './funcs/index.js';
import type { ListNode } from './nodes.js';
import { TemplateSyntaxError, parseTrees } from './parser.js';
import { StringMap, bytesToGoString, goStringToBytes, type GoFunc, type Value } from './value.js';
import { fromJsValue } from './funcs/json.js';

export type { FuncSetName, Limits, MissingKey };

export interface ParseOptions {
  /** Which functions exist: ESO's engine v2 set or Bitnami's Sprig set. */
  funcs: FuncSetName;
  /** Template name used in error messages (ESO and Bitnami use the Secret key). */
  name?: string;
  leftDelim?: string;
  rightDelim?: string;
}

export interface ExecuteOptions {
  /** Go's missingkey option: ESO uses 'error', Bitnami 'default' (prints "<no value>"). */
  missingKey?: MissingKey;
  limits?: Partial<Limits>;
  /** Clock for now/ago/date (tests). */
  now?: () => Date;
  /** Randomness for rand*, uuidv4, bcrypt salts (tests). */
  randomBytes?: (n: number) => Uint8Array;
}

export interface Template {
  readonly name: string;
  readonly funcs: FuncSetName;
  readonly source: string;
  /** @internal */ readonly trees: Map<string, ListNode>;
  /** @internal */ readonly funcMap: Map<string, GoFunc>;
}

export type TemplateData = Record<string, Uint8Array | string | unknown>;

export function parseTemplate(source: string, o: ParseOptions): Template {
  const name = o.name ?? 'template';
  const funcMap = funcSet(o.funcs);
  try {
    const trees = parseTrees(source, { name, leftDelim: o.leftDelim, rightDelim: o.rightDelim, hasFunction: (f) => funcMap.has(f) });
    if (!trees.has(name)) trees.set(name, { type: 'list', nodes: [], pos: 0, line: 1 });
    return { name, funcs: o.funcs, source, trees, funcMap };
  } catch (e) {
    throw wrap(e, name, 'TemplateParse');
  }
}

/** Executes a parsed template; the result is the exact output bytes (binary values stay intact). */
export function executeTemplate(t: Template, data: TemplateData | Value, o: ExecuteOptions = {}): Buffer {
  const limits = { ...defaultLimits, ...o.limits };
  const dot = toTemplateData(data);
  try {
    const out = execute(
      {
        name: t.name, source: t.source, trees: t.trees, funcs: t.funcMap, missingKey: o.missingKey ?? 'default', limits,
        ctx: { now: o.now ?? (() => new Date()), randomBytes: o.randomBytes ?? ((n) => nodeRandomBytes(n)), maxOutputBytes: limits.maxOutputBytes },
      },
      dot,
    );
    return goStringToBytes(out);
  } catch (e) {
    throw redact(wrap(e, t.name, 'TemplateExecute'), dot);
  }
}

/** Parse and execute in one step. */
export function renderTemplate(source: string, data: TemplateData | Value, o: ParseOptions & ExecuteOptions): Buffer {
  return executeTemplate(parseTemplate(source, o), data, o);
}

/** Same as renderTemplate, decoded as UTF-8 text (invalid bytes become U+FFFD). */
export function renderTemplateText(source: string, data: TemplateData | Value, o: ParseOptions & ExecuteOptions): string {
  return renderTemplate(source, data, o).toString('utf8');
}

/**
 * The template's dot: an object whose values are all strings/bytes becomes Go's map[string]string
 * (what ESO and Bitnami pass); anything else is converted like JSON (objects → map[string]interface{}).
 */
export function toTemplateData(data: TemplateData | Value): Value {
  if (data instanceof Map || data === null || data === undefined || typeof data !== 'object' || Array.isArray(data)) {
    return Array.isArray(data) ? fromJsValue(data) : data;
  }
  const entries = Object.entries(data as Record<string, unknown>);
  if (entries.every(([, v]) => typeof v === 'string' || v instanceof Uint8Array)) {
    const m = new StringMap();
    for (const [k, v] of entries) m.set(k, typeof v === 'string' ? v : bytesToGoString(v as Uint8Array));
    return m;
  }
  return fromJsValue(Object.fromEntries(entries.map(([k, v]) => [k, v instanceof Uint8Array ? bytesToGoString(v) : v])));
}

/**
 * Safety net on top of messages that are built without values: a data value that still reaches an
 * error (e.g. through `fail`, whose text the template author controls) is replaced.
 */
function redact(e: CloakError, dot: Value): CloakError {
  const values: string[] = [];
  const walk = (v: Value, depth: number) => {
    if (values.length > 10_000 || depth > 20) return;
    if (typeof v === 'string') {
      if (v.length >= 4) values.push(v);
    } else if (v instanceof Map) for (const x of v.values()) walk(x, depth + 1);
    else if (Array.isArray(v)) for (const x of v) walk(x, depth + 1);
  };
  walk(dot, 0);
  let msg = e.message;
  for (const v of values.sort((a, b) => b.length - a.length)) if (msg.includes(v)) msg = msg.replaceAll(v, '<redacted>');
  if (msg === e.message) return e;
  return templateError(e.code, msg, { hint: e.hint });
}

function wrap(e: unknown, name: string, code: string): CloakError {
  if (e instanceof TemplateSyntaxError) {
    return templateError(code, e.message, { hint: 'fix the template syntax' });
  }
  if (e instanceof ExecError) {
    return templateError(e.kind === 'limit' ? 'TemplateLimit' : code, e.message);
  }
  if (e instanceof RangeError) {
    return templateError('TemplateLimit', `template: ${name}: nested too deeply`);
  }
  // an interpreter bug must still surface as a template error without data in it
  return templateError(code, `template: ${name}: internal error (${e instanceof Error ? e.name : 'unknown'})`, { cause: e });
}
