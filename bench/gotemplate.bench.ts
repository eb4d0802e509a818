// Go template throughput: parse+render and render-only of the most common real template (ESO's
// dockerconfigjson), as ratios against a hand-written string-concatenation baseline measured in the
// same run, plus Go's own text/template (the test oracle, one process for all renders) when Go is installed.
import { printTable } from './table.js';
import { median } from './measure.js';
import { executeTemplate, parseTemplate, renderTemplate } from '../src/gotemplate/index.js';
import { buildOracle } from '../test/support/gotemplate/oracle.js';

const source = '{"auths":{"{{ .registry }}":{"username":"{{ .username }}","password":"{{ .password }}","auth":"{{ printf "%s:%s" .username .password | b64enc }}"}}}';
const data = { registry: 'registry.example.com', username: 'robot$ci', password: 'c2VjcmV0LXRva2VuLXZhbHVlLTEyMzQ1Njc4OTA' };

function baseline(d: typeof data): Buffer {
  const auth = Buffer.from(`${d.username}:${d.password}`).toString('base64');
  return Buffer.from(`{"auths":{"${d.registry}":{"username":"${d.username}","password":"${d.password}","auth":"${auth}"}}}`);
}

/** Median ops/s over 5 rounds of ~0.4 s each. */
function opsPerSec(fn: () => unknown): number {
  for (let i = 0; i < 200; i++) fn();
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    let n = 0;
    const start = performance.now();
    let now = start;
    while (now - start < 400) {
      for (let i = 0; i < 50; i++) fn();
      n += 50;
      now = performance.now();
    }
    rounds.push((n * 1000) / (now - start));
  }
  return median(rounds);
}

function goOpsPerSec(): number | undefined {
  let oracle;
  try {
    oracle = buildOracle();
  } catch {
    return undefined;
  }
  try {
    const n = 20_000;
    const cases = Array.from({ length: n }, () => ({ template: source, data, funcs: 'eso' as const }));
    oracle.run(cases.slice(0, 100));
    const t = performance.now();
    oracle.run(cases);
    return (n * 1000) / (performance.now() - t);
  } finally {
    oracle.close();
  }
}

export async function run(): Promise<void> {
  const expected = baseline(data);
  if (!renderTemplate(source, data, { funcs: 'eso' }).equals(expected)) throw new Error('template output differs from the baseline');
  const parsed = parseTemplate(source, { funcs: 'eso', name: '.dockerconfigjson' });
  const base = opsPerSec(() => baseline(data));
  const full = opsPerSec(() => renderTemplate(source, data, { funcs: 'eso', missingKey: 'error' }));
  const exec = opsPerSec(() => executeTemplate(parsed, data, { missingKey: 'error' }));
  const parse = opsPerSec(() => parseTemplate(source, { funcs: 'eso' }));
  const go = goOpsPerSec();
  const rows: Array<Array<string | number>> = [
    ['string concatenation (baseline)', Math.round(base), 1],
    ['parse + render', Math.round(full), full / base],
    ['render a parsed template', Math.round(exec), exec / base],
    ['parse only', Math.round(parse), parse / base],
  ];
  if (go !== undefined) rows.push(['Go text/template + Sprig (oracle: New+Funcs+Parse+Execute per case, JSON I/O)', Math.round(go), go / base]);
  else rows.push(['Go text/template (not measured: Go toolchain missing)', '-', '-']);
  printTable(['dockerconfigjson template', 'renders/s', 'ratio to baseline'], rows);
}
