// getJsonPath against Go's own gjson (Debian golang-github-tidwall-gjson-dev), one Go process for
// every case: a fixed table of ESO-style paths plus seeded random documents and paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, copyFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gjsonGet, resultString } from '../../src/providers/shared/gjson.js';

const source = fileURLToPath(new URL('../../../test/support/gjson/main.go', import.meta.url));
const gocode = '/usr/share/gocode/src/github.com/tidwall/gjson';

const doc = JSON.stringify({
  name: { first: 'Tom', last: 'Anderson' }, age: 37, children: ['Sara', 'Alex', 'Jack'],
  'fav.movie': 'Deer Hunter',
  friends: [
    { first: 'Dale', last: 'Murphy', age: 44, nets: ['ig', 'fb', 'tw'] },
    { first: 'Roger', last: 'Craig', age: 68, nets: ['fb', 'tw'] },
    { first: 'Jane', last: 'Murphy', age: 47, nets: ['ig', 'tw'] },
  ],
  html: '<a href="x">&amp;</a>', esc: 'line\nbreak "quoted" \\ back \u00e9 \ud83d\ude00',
  num: { int: 12, neg: -3, float: 1.5, exp: 1e21, small: 1.5e-7, zero: 0 },
  t: true, f: false, n: null, empty: {}, emptyArr: [], 'a*b': 'star', 'we?rd': 'q',
});
const raw = '{ "spaced" : { "x" : 1.50 , "y" : [ 1 , 2 ] }, "dup": 1, "dup": 2, "big": 12345678901234567890, "e": 1E+2, "s": "\\u0041\\n" }';

const paths = [
  'name.first', 'name', 'age', 'children', 'children.#', 'children.1', 'children.5', 'friends.#.first',
  'friends.1.first', 'friends.#.nets', 'friends.#.nets.#', 'friends.#(last=="Murphy").first',
  'friends.#(last=="Murphy")#.first', 'friends.#(age>45)#.last', 'friends.#(first%"D*").last',
  'friends.#(first!%"D*")#.first', 'friends.#(nets.#(=="fb"))#.first', 'fav\\.movie', 'fav.movie', 'name.fir*',
  'name.l?st', 'chi*.0', 'html', 'esc', 'num.int', 'num.neg', 'num.float', 'num.exp', 'num.small', 'num.zero',
  't', 'f', 'n', 'empty', 'emptyArr', 'emptyArr.#', 'a\\*b', 'we\\?rd', 'name|first', 'friends|#', 'friends.0|last',
  'missing', 'name.missing', 'children.x', '', 'friends.#.missing', 'friends.#(age>100).first', 'friends.#(age>100)#',
  'num.#', 'children.01', 'children.-1', 'friends.#(first=="Dale").nets.1', 'friends.#(~true)#',
];
const rawPaths = ['spaced', 'spaced.x', 'spaced.y', 'spaced.y.1', 'dup', 'big', 'e', 's'];

/** Seeded PRNG (mulberry32) so failures reproduce. */
function rng(seed: number) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomCases(n: number): Array<{ json: string; path: string }> {
  const r = rng(42);
  const keys = ['a', 'b', 'c', 'a.b', 'x y', 'k1', '0', '1'];
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const value = (depth: number): unknown => {
    const k = r();
    if (depth > 2 || k < 0.3) return pick(['s', 'v<&>', 1, -2.25, 1e-9, 3e25, true, false, null, '', 'ü']);
    if (k < 0.65) {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < 1 + Math.floor(r() * 3); i++) o[pick(keys)] = value(depth + 1);
      return o;
    }
    return Array.from({ length: Math.floor(r() * 4) }, () => value(depth + 1));
  };
  const esc = (k: string) => k.replace(/[.*?\\]/g, (c) => `\\${c}`);
  // walk the generated value so most paths exist; sometimes take a wildcard, `#` or a wrong turn
  const pathFor = (v: unknown): string[] => {
    const parts: string[] = [];
    let cur = v;
    for (let d = 0; d < 4; d++) {
      const k = r();
      if (Array.isArray(cur)) {
        if (k < 0.15) { parts.push('#'); break; }
        if (k < 0.3 && cur.length > 0) { parts.push('#'); const first = cur.find((x) => x && typeof x === 'object' && !Array.isArray(x)) as Record<string, unknown> | undefined; parts.push(first ? esc(pick(Object.keys(first).concat(['zz']))) : 'a'); break; }
        const i = Math.floor(r() * (cur.length + 1));
        parts.push(String(i));
        cur = cur[i];
      } else if (cur && typeof cur === 'object') {
        const ks = Object.keys(cur);
        if (k < 0.1) { parts.push('*'); cur = Object.values(cur)[0]; continue; }
        if (k < 0.15) { parts.push(pick(['k?', 'a*', 'zz'])); break; }
        const key = ks.length ? pick(ks) : 'a';
        parts.push(esc(key));
        cur = (cur as Record<string, unknown>)[key];
      } else break;
      if (r() < 0.25) break;
    }
    return parts.length ? parts : ['a'];
  };
  const out: Array<{ json: string; path: string }> = [];
  for (let i = 0; i < n; i++) {
    const v = value(0);
    const top = typeof v === 'object' && v !== null ? v : { a: v };
    const json = JSON.stringify(top, null, r() < 0.3 ? 1 : undefined);
    out.push({ json, path: pathFor(top).join('.') });
  }
  return out;
}

async function runOracle(dir: string, cases: Array<{ json: string; path: string }>): Promise<Array<{ exists: boolean; str: string }>> {
  const bin = join(dir, 'gj');
  await copyFile(source, join(dir, 'main.go'));
  await promisify(execFile)('go', ['build', '-o', bin, 'main.go'], {
    cwd: dir, env: { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOFLAGS: '' },
  });
  return new Promise((resolve, reject) => {
    const p = spawn(bin, [], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.setEncoding('utf8').on('data', (c: string) => { out += c; });
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`gjson oracle exited with ${code}`));
      resolve(out.trim().split('\n').map((l) => JSON.parse(l) as { exists: boolean; str: string }));
    });
    p.stdin.end(cases.map((c) => JSON.stringify(c)).join('\n') + '\n');
  });
}

const haveGo = existsSync(gocode) && existsSync('/usr/bin/go');

test('getJsonPath agrees with Go gjson on ESO-style paths and random documents', { skip: !haveGo && 'Go gjson not installed' }, async () => {
  const cases = [
    ...paths.map((path) => ({ json: doc, path })),
    ...rawPaths.map((path) => ({ json: raw, path })),
    ...randomCases(1500),
  ];
  const dir = await mkdtemp(join(tmpdir(), 'cloak-gjson-'));
  try {
    const answers = await runOracle(dir, cases);
    assert.equal(answers.length, cases.length);
    const mismatches: string[] = [];
    cases.forEach((c, i) => {
      const r = gjsonGet(c.json, c.path);
      const got = { exists: r.exists, str: r.exists ? resultString(r) : '' };
      const want = { exists: answers[i]!.exists, str: answers[i]!.exists ? answers[i]!.str : '' };
      if (got.exists !== want.exists || got.str !== want.str) {
        mismatches.push(`path ${JSON.stringify(c.path)} on ${c.json.slice(0, 80)}: got ${JSON.stringify(got)} want ${JSON.stringify(want)}`);
      }
    });
    const found = answers.filter((a) => a.exists).length;
    assert.ok(found > cases.length / 2, `only ${found} of ${cases.length} cases hit a value`);
    assert.deepEqual(mismatches.slice(0, 10), [], `${mismatches.length} of ${cases.length} differ`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
