// Rendering the install manifests the way users do: `kubectl kustomize` (kubectl 1.32's built-in
// kustomize) for the base, and a Go text/template + Sprig renderer for the Helm chart (helm itself is
// not installed here; test/support/deploy/helm-render/main.go mirrors `helm template`).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const KUSTOMIZE_BASE = join(ROOT, 'deploy/kustomize/base');
export const HELM_CHART = join(ROOT, 'deploy/helm/cloak');

export type Manifest = Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } };

/**
 * kubectl 1.32 beside the gcloud dispatcher on PATH (the dispatcher itself asks the server for
 * /version); elsewhere the kubectl on PATH.
 */
import { kubectlPath } from '../kube/kubectl.js';

export function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null && typeof m === 'object');
}

export function renderKustomize(dir = KUSTOMIZE_BASE): Manifest[] {
  const cache = mkdtempSync(join(tmpdir(), 'cloak-kubecache-'));
  try {
    return parseManifests(execFileSync(kubectlPath(), ['kustomize', dir], { encoding: 'utf8', env: { ...process.env, KUBECACHEDIR: cache, HOME: cache } }));
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

/** Builds the Go renderer once per process (Debian's Go 1.19 with Sprig and yaml.v2 from /usr/share/gocode). */
let renderer: string | undefined;
export function renderHelm(o: { release?: string; namespace?: string; values?: unknown } = {}): Manifest[] {
  const work = mkdtempSync(join(tmpdir(), 'cloak-helm-'));
  try {
    if (!renderer) {
      const bin = mkdtempSync(join(tmpdir(), 'cloak-helm-bin-'));
      process.on('exit', () => rmSync(bin, { recursive: true, force: true }));
      const out = join(bin, 'helm-render');
      // Go's own build cache (~/.cache/go-build) when there is a home; else a cache removed with the binary.
      const cache = process.env.GOCACHE || process.env.XDG_CACHE_HOME || process.env.HOME ? {} : { GOCACHE: join(bin, 'cache') };
      execFileSync('go', ['build', '-o', out, '.'], {
        cwd: join(ROOT, 'test/support/deploy/helm-render'),
        env: { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOFLAGS: '', ...cache },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      renderer = out;
    }
    const args = [HELM_CHART, o.release ?? 'cloak', o.namespace ?? 'kube-system'];
    if (o.values !== undefined) {
      const v = join(work, 'values.json');
      writeFileSync(v, JSON.stringify(o.values));
      args.push(v);
    }
    return parseManifests(execFileSync(renderer, args, { encoding: 'utf8' }));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function find(ms: Manifest[], kind: string, name?: string): Manifest {
  const m = ms.find((x) => x.kind === kind && (name === undefined || x.metadata.name === name));
  if (!m) throw new Error(`no ${kind}${name ? ` ${name}` : ''} in the rendered manifests`);
  return m;
}
