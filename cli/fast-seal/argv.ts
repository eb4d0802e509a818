// The `cloak seal` options the fast path supports, read as commander reads them (`--opt VALUE`,
// `--opt=VALUE`, `-x VALUE`); anything else (other options, repeats, arguments, `--`) is undefined.
import type { SealFlags } from '../commands/seal/index.js';

type ValueFlag = 'file' | 'cert' | 'scope' | 'name' | 'namespace' | 'output' | 'write';

const LONG: Record<string, ValueFlag | 'allowEmptyData'> = {
  '--file': 'file', '--cert': 'cert', '--scope': 'scope', '--name': 'name', '--namespace': 'namespace',
  '--output': 'output', '--write': 'write', '--allow-empty-data': 'allowEmptyData',
};
const SHORT: Record<string, ValueFlag> = { '-f': 'file', '-n': 'namespace', '-o': 'output', '-w': 'write' };
const SCOPES = ['strict', 'namespace-wide', 'cluster-wide'];

export function readSealArgs(args: string[]): SealFlags | undefined {
  const f: SealFlags = {};
  const seen = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const flag = LONG[name] ?? SHORT[name];
    if (!flag) return undefined;
    if (flag === 'allowEmptyData') {
      if (eq > 0 || seen.has(flag)) return undefined;
      f.allowEmptyData = true;
    } else {
      const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
      // A value that looks like an option is commander's to judge ('-' alone is stdin).
      if (value === undefined || (value.startsWith('-') && value !== '-')) return undefined;
      if (flag === 'cert') f.cert = [...(f.cert as string[] | undefined ?? []), value];
      else if (seen.has(flag)) return undefined;
      else f[flag] = value;
    }
    seen.add(flag);
  }
  if (f.scope !== undefined && !SCOPES.includes(f.scope)) return undefined;
  return f;
}
