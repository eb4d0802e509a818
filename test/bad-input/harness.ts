// Runs one bad-input case through the real bin/cloak (wrapped in /usr/bin/time -v for peak memory)
// and asserts what every refusal must look like: an exit code from the documented set, exactly one
// stderr line naming the file/object with a fix, no stack trace or raw JavaScript error, bounded
// time and memory, no output file created or changed, and no planted secret value in stderr.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CLOAK_BIN, ROOT } from '../support/cloak-cli.js';
import { tempDir } from '../support/temp-dir.js';

export const CERT = join(ROOT, 'keys-example/tls.crt');
export const KEY = join(ROOT, 'keys-example/tls.key');
const TIME = '/usr/bin/time';

/** A value planted in every input: it must never reach stderr (nor its base64). */
export const MARKER = `PLANTEDmarker${randomBytes(6).toString('hex')}`;
export const MARKER_B64 = Buffer.from(MARKER).toString('base64');

/** Documented exit codes: 0 ok, 1 usage, 2 bad input or template, 3 crypto/keys, 4 cluster/provider/network. */
export const EXIT = { ok: 0, usage: 1, input: 2, crypto: 3, cluster: 4 } as const;

export interface BadCase {
  name: string;
  /** `@name` is replaced by the path of file `name` in the case's own directory. */
  args: string[];
  /** Files written into the case directory before the run. */
  files?: Record<string, string | Buffer>;
  /** stdin content; 'closed' runs with file descriptor 0 closed. Default: empty. */
  stdin?: string | Buffer | 'closed';
  env?: Record<string, string>;
  /** Allowed exit codes (default [2]). 0 in the set makes it an accept case. */
  codes?: number[];
  /** What the one stderr line must name (the file, document or object); `@name` expands as in args. */
  subject?: string | RegExp;
  /** The fix the line must carry; default: a parenthesized hint at the end of the line. */
  fix?: RegExp;
  /** Case-directory files that must be neither created nor changed by a failing run. */
  guard?: string[];
  timeoutMs?: number;
  /** The command prints a partial report on stdout before failing (`cloak cert FILE`). */
  stdoutOnFailure?: boolean;
}

export type Outcome = 'refused' | 'accepted';
const counts = new Map<string, number>();
const limits = { maxRssKb: 0, maxMs: 0 };

const STACK = /^\s+at\s|node:internal|\.[cm]?[jt]s:\d+:\d+|\b(?:Type|Reference|Range|Syntax)Error\b/m;
const RAW = /is not a function|Cannot read propert|Cannot convert|Maximum call stack|Converting circular|is not iterable|Invalid array length|Invalid string length|heap out of memory|\bERR_[A-Z_]{3,}|\bundefined\b|\[object Object\]|\bNaN\b/;
const HINT = /\([^()]*(?:\([^()]*\)[^()]*)*\)\.?$/;

export interface RunResult { code: number; signal: string | null; stdout: Buffer; stderr: string; ms: number; rssKb: number }

export function runCase(c: BadCase, dir: string): Promise<RunResult> {
  const expand = (s: string) => s.replace(/@([\w./-]+)/g, (_m, n: string) => join(dir, n));
  const args = c.args.map(expand);
  const stats = join(dir, '.time');
  const timed = [TIME, '-v', '-o', stats, CLOAK_BIN, ...args];
  const closed = c.stdin === 'closed';
  const [cmd, ...argv] = closed ? ['/bin/sh', '-c', 'exec 0<&- "$@"', 'sh', ...timed] : timed;
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(cmd!, argv, {
      cwd: dir,
      detached: true,
      env: { PATH: process.env['PATH'] ?? '', HOME: dir, KUBECONFIG: '/nonexistent/kubeconfig', ...c.env },
      stdio: [closed ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, c.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = Date.now() - started;
      const text = existsSync(stats) ? readFileSync(stats, 'utf8') : '';
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(text);
      // time(1) reports a signalled child as "Command terminated by signal N" and exits 128+N.
      const sig = /Command terminated by signal (\d+)/.exec(text);
      resolve({ code: code ?? -1, signal: signal ?? (sig ? `signal ${sig[1]}` : null), stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), ms, rssKb: rss ? Number(rss[1]) : -1 });
    });
    if (!closed) {
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(c.stdin ?? '');
    }
  });
}

function snapshot(dir: string, names: string[]): Map<string, string | undefined> {
  return new Map(names.map((n) => [n, existsSync(join(dir, n)) ? readFileSync(join(dir, n)).toString('base64') : undefined]));
}

export async function checkCase(c: BadCase, root: string, index: number): Promise<void> {
  const dir = join(root, `case-${index}`);
  mkdirSync(dir, { recursive: true });
  for (const [n, content] of Object.entries(c.files ?? {})) writeFileSync(join(dir, n), content);
  const guard = c.guard ?? [];
  const before = snapshot(dir, guard);
  const r = await runCase(c, dir);
  const codes = c.codes ?? [EXIT.input];
  if (process.env['BAD_INPUT_TRACE']) console.log(`# trace ${c.name} => exit ${r.code} ${r.stderr.trim().slice(0, 160)}`);
  const where = `${c.name}: exit ${r.code}, stderr ${JSON.stringify(r.stderr.slice(0, 600))}`;
  assert.equal(r.signal, null, `${c.name}: killed (${r.signal}) after ${r.ms} ms: a hang or a crash`);
  assert.ok(r.rssKb > 0, `${c.name}: no memory figure from ${TIME}`);
  assert.ok(r.rssKb < 1024 * 1024, `${c.name}: peak RSS ${r.rssKb} KiB is over 1 GiB`);
  limits.maxRssKb = Math.max(limits.maxRssKb, r.rssKb);
  limits.maxMs = Math.max(limits.maxMs, r.ms);
  assert.ok(codes.includes(r.code), `${where}; expected one of ${codes.join(',')}`);
  assert.doesNotMatch(r.stderr, STACK, `${where}: stack trace`);
  assert.ok(!r.stderr.includes(MARKER) && !r.stderr.includes(MARKER_B64), `${c.name}: the planted secret value is in stderr`);
  if (r.code === 0) {
    count('accepted');
    assert.ok(r.stdout.length > 0 || guard.length === 0, `${c.name}: exit 0 with no output`);
    return;
  }
  count('refused');
  count(`exit ${r.code}`);
  const lines = r.stderr.replace(/\n$/, '').split('\n');
  assert.equal(lines.length, 1, `${where}: not exactly one line`);
  const line = lines[0]!;
  assert.match(line, /^error: \S/, where);
  assert.doesNotMatch(line, RAW, `${where}: raw internal error text`);
  if (!c.stdoutOnFailure) assert.equal(r.stdout.length, 0, `${where}: a failing run printed to stdout`);
  const subject = c.subject === undefined ? undefined : typeof c.subject === 'string' ? c.subject.replace(/@([\w./-]+)/g, (_m, n: string) => join(dir, n)) : c.subject;
  if (typeof subject === 'string') assert.ok(line.includes(subject), `${where}: does not name ${subject}`);
  else if (subject) assert.match(line, subject, `${where}: does not name the object`);
  assert.match(line, c.fix ?? HINT, `${where}: no fix`);
  const now = snapshot(dir, guard);
  for (const n of guard) assert.equal(now.get(n), before.get(n), `${c.name}: ${n} was ${before.get(n) === undefined ? 'created' : 'changed'} by a failing run`);
}

function count(k: string): void { counts.set(k, (counts.get(k) ?? 0) + 1); }

/** Registers one test per case, two running at a time, and prints the outcome counts at the end. */
export function corpus(title: string, cases: BadCase[] | (() => Promise<BadCase[]> | BadCase[]), o: { concurrency?: number } = {}): void {
  const root = tempDir('cloak-bad-input-');
  if (typeof cases === 'function') {
    describe(title, { concurrency: o.concurrency ?? 2 }, async () => {
      const list = await cases();
      list.forEach((c, i) => it(c.name, { timeout: (c.timeoutMs ?? 20_000) + 30_000 }, () => checkCase(c, root, i)));
    });
  } else {
    assertUniqueNames(cases);
    describe(title, { concurrency: o.concurrency ?? 2 }, () => {
      cases.forEach((c, i) => it(c.name, { timeout: (c.timeoutMs ?? 20_000) + 30_000 }, () => checkCase(c, root, i)));
    });
  }
  after(() => {
    const summary = [...counts].sort().map(([k, v]) => `${k}=${v}`).join(' ');
    console.log(`# bad-input ${title}: ${summary} peakRss=${Math.round(limits.maxRssKb / 1024)}MiB slowest=${limits.maxMs}ms`);
  });
}

function assertUniqueNames(cases: BadCase[]): void {
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.name)) throw new Error(`duplicate case name ${c.name}`);
    seen.add(c.name);
  }
}

/** A v1 Secret manifest around `body` (YAML lines after metadata). */
export const secretYaml = (body: string, name = 'app') => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: ns1\n${body}`;
