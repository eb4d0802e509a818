// Go RE2 patterns and ReplaceAllString templates (find.name.regexp, rewrite.regexp) against Go's own
// regexp package, one Go process for every case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { compileGoRegexp, goMatch, goReplaceAll } from '../../src/providers/shared/go-regexp.js';

const source = fileURLToPath(new URL('../../../test/support/goregexp/main.go', import.meta.url));

const patterns = [
  'secrets', '^path/to/my/secrets/(.*)$', 'path/to/my/secrets/(.*)', '(?i)^TLS-', '^dev/(?P<app>[^/]+)/(.*)', '/', '_', 'x*', '^', '$',
  '(a)(b)?', '[[:alpha:]]+', '\\d+', '\\bkey\\b', 'a|b', '(?s)a.b', 'a.b', '\\pL+', '\\p{Greek}', '^(.*?)-(.*)$', '[^a-z]', 'é', '(', '[a-', 'a{2,}',
  '\\Q.*\\E', 'x{', '{y}', '\\-\\_', '[\\s-]+', 'a.b', '(?s)a.b', '[^]a]', '[]a]+', '[[:^alpha:]]', '[[:punct:][:space:]]+', '\\PL+', '\\p{^L}', '(?i)É', '(?m)^b$',
];
const inputs = ['a\rb', 'x{y}', '.*-_', ']a]', 'a b\tc', 'path/to/my/secrets/db-password', 'dev/app/config', 'tls-Cert', 'TLS-x', 'a\nb', 'key-key', 'aab', '', 'αβγ-1', 'ab', 'x_y_z', '123abc'];
const templates = ['$1', '${1}', '$1x', '${1}x', '$app-$2', '${app}_${2}', '$$', '-', '', '$0', '$10', '$name', '${', '$'];

test('Go regexp: compile, MatchString and ReplaceAllString agree with Go', { skip: !existsSync('/usr/bin/go') && 'Go not installed' }, async () => {
  const cases: Array<{ pattern: string; input: string; template: string }> = [];
  for (const pattern of patterns) for (const input of inputs) cases.push({ pattern, input, template: templates[(pattern.length + input.length) % templates.length]! });
  for (const template of templates) cases.push({ pattern: '^dev/(?P<app>[^/]+)/(.*)', input: 'dev/app/config', template });
  const dir = await mkdtemp(join(tmpdir(), 'cloak-goregexp-'));
  try {
    await copyFile(source, join(dir, 'main.go'));
    await promisify(execFile)('go', ['build', '-o', join(dir, 're'), 'main.go'], { cwd: dir, env: { ...process.env, GO111MODULE: 'off', GOFLAGS: '' } });
    const answers = await new Promise<Array<{ ok: boolean; match: boolean; replaced: string }>>((resolve, reject) => {
      const p = spawn(join(dir, 're'), [], { stdio: ['pipe', 'pipe', 'inherit'] });
      let out = '';
      p.stdout.setEncoding('utf8').on('data', (c: string) => { out += c; });
      p.on('error', reject);
      p.on('close', () => resolve(out.trim().split('\n').map((l) => JSON.parse(l))));
      p.stdin.end(cases.map((c) => JSON.stringify(c)).join('\n') + '\n');
    });
    const diffs: string[] = [];
    cases.forEach((c, i) => {
      const want = answers[i]!;
      let got: { ok: boolean; match: boolean; replaced: string };
      try {
        const re = compileGoRegexp(c.pattern, 't', true);
        got = { ok: true, match: goMatch(re, c.input), replaced: goReplaceAll(re, c.input, c.template) };
      } catch {
        got = { ok: false, match: false, replaced: '' };
      }
      if (JSON.stringify(got) !== JSON.stringify(want)) diffs.push(`${JSON.stringify(c)}: got ${JSON.stringify(got)} want ${JSON.stringify(want)}`);
    });
    assert.deepEqual(diffs, []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
