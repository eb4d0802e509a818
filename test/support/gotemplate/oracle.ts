// Builds the Go oracle (test/support/gotemplate/oracle/main.go) once with Debian's Go toolchain and
// Sprig, and renders batches of cases in one process. Missing Go is an error, never a skip.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface OracleCase {
  template: string;
  data?: unknown;
  funcs?: 'eso' | 'sprigBitnami';
  missingKey?: 'error' | 'default' | 'zero';
  leftDelim?: string;
  rightDelim?: string;
  verify?: 'bcrypt';
}

export interface OracleResult {
  out: Buffer;
  err?: string;
}

export interface Oracle {
  run(cases: OracleCase[]): OracleResult[];
  close(): void;
}

const source = fileURLToPath(new URL('../../../../test/support/gotemplate/oracle/', import.meta.url));

export function buildOracle(): Oracle {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    throw new Error('Go toolchain not found: the differential tests need Debian\'s golang-go and golang-github-masterminds-sprig-dev (apt-get install golang-go golang-github-masterminds-sprig-dev)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'cloak-gotemplate-oracle-'));
  const bin = join(dir, 'oracle');
  try {
    execFileSync('go', ['build', '-o', bin, '.'], {
      cwd: source,
      env: {
        ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOFLAGS: '',
        // Go needs a build cache; without a home directory keep it in the temp dir we remove
        ...(!process.env.GOCACHE && !process.env.HOME && !process.env.XDG_CACHE_HOME ? { GOCACHE: join(dir, 'gocache') } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`building the Go template oracle failed (is golang-github-masterminds-sprig-dev installed?): ${stderr.trim()}`);
  }
  return {
    run(cases) {
      const input = JSON.stringify(cases.map((c) => ({
        template: c.template, data: c.data ?? {}, funcs: c.funcs ?? 'sprigBitnami', missingKey: c.missingKey ?? '',
        leftDelim: c.leftDelim ?? '', rightDelim: c.rightDelim ?? '', verify: c.verify ?? '',
      })));
      const out = execFileSync(bin, { input, env: { ...process.env, TZ: 'UTC' }, maxBuffer: 256 << 20 });
      const parsed = JSON.parse(out.toString('utf8')) as Array<{ out: string; err?: string }>;
      return parsed.map((r) => ({ out: Buffer.from(r.out, 'base64'), ...(r.err ? { err: r.err } : {}) }));
    },
    close() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
