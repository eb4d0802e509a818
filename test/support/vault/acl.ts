// ACL policies: the HCL/JSON `path "…" { capabilities = [...] }` subset, with Vault's `*` suffix
// and `+` segment globs and its "most specific pattern wins" priority. `deny` beats everything.

export interface PolicyRule { pattern: string; caps: Set<string> }
export interface Policy { name: string; raw: string; rules: PolicyRule[] }

const CAPS = new Set(['create', 'read', 'update', 'patch', 'delete', 'list', 'sudo', 'deny', 'root', 'subscribe', 'recover']);

export function parsePolicy(name: string, raw: string): Policy {
  const rules: PolicyRule[] = [];
  const text = raw.trim();
  if (text.startsWith('{')) {
    const doc = JSON.parse(text) as { path?: Record<string, { capabilities?: string[] }> };
    for (const [pattern, v] of Object.entries(doc.path ?? {})) rules.push(rule(pattern, v.capabilities ?? []));
  } else {
    const noComments = text.split('\n').map((l) => l.replace(/(^|\s)(#|\/\/).*$/, '')).join('\n');
    const re = /path\s+"([^"]*)"\s*\{([^}]*)\}/g;
    let m: RegExpExecArray | null;
    let matched = 0;
    while ((m = re.exec(noComments)) !== null) {
      matched++;
      const caps = /capabilities\s*=\s*\[([^\]]*)\]/.exec(m[2]!);
      const list = caps ? [...caps[1]!.matchAll(/"([^"]*)"/g)].map((c) => c[1]!) : [];
      rules.push(rule(m[1]!, list));
    }
    if (matched === 0 && text !== '') throw new Error('failed to parse policy: no path stanzas found');
  }
  return { name, raw, rules };
}

function rule(pattern: string, caps: string[]): PolicyRule {
  for (const c of caps) if (!CAPS.has(c)) throw new Error(`invalid capability "${c}"`);
  return { pattern: pattern.replace(/^\//, ''), caps: new Set(caps) };
}

function matches(pattern: string, path: string): boolean {
  const glob = pattern.endsWith('*');
  const pat = glob ? pattern.slice(0, -1) : pattern;
  if (!pat.includes('+')) return glob ? path.startsWith(pat) : path === pat;
  const ps = pat.split('/');
  const xs = path.split('/');
  if (!glob && ps.length !== xs.length) return false;
  if (xs.length < ps.length) return false;
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i]!;
    const x = xs[i]!;
    const last = i === ps.length - 1;
    if (p === '+') { if (x === '' && !(last && glob)) return false; continue; }
    if (last && glob) { if (!x.startsWith(p)) return false; return true; }
    if (p !== x) return false;
  }
  return glob || ps.length === xs.length;
}

/** Vault's priority: later first wildcard, no trailing `*`, fewer `+`, longer, then lexicographically greater wins. */
function moreSpecific(a: string, b: string): boolean {
  const wild = (s: string) => { const i = s.search(/[+*]/); return i < 0 ? s.length : i; };
  if (wild(a) !== wild(b)) return wild(a) > wild(b);
  if (a.endsWith('*') !== b.endsWith('*')) return !a.endsWith('*');
  const plus = (s: string) => s.split('+').length;
  if (plus(a) !== plus(b)) return plus(a) < plus(b);
  if (a.length !== b.length) return a.length > b.length;
  return a > b;
}

/** Capabilities the named policies grant on a path (already relative to the token's namespace). */
export function capabilities(policies: Policy[], path: string): Set<string> {
  const byPattern = new Map<string, Set<string>>();
  for (const p of policies) {
    for (const r of p.rules) {
      if (!matches(r.pattern, path)) continue;
      const set = byPattern.get(r.pattern) ?? new Set<string>();
      for (const c of r.caps) set.add(c);
      byPattern.set(r.pattern, set);
    }
  }
  let best: string | undefined;
  for (const pat of byPattern.keys()) if (best === undefined || moreSpecific(pat, best)) best = pat;
  if (best === undefined) return new Set();
  const caps = byPattern.get(best)!;
  return caps.has('deny') ? new Set(['deny']) : caps;
}

/** True when some rule could grant anything at or below `prefix` (for the UI mounts preflight). */
export function anyAccessUnder(policies: Policy[], prefix: string): boolean {
  for (const p of policies) {
    for (const r of p.rules) {
      if (r.caps.has('deny') || r.caps.size === 0) continue;
      const pat = r.pattern.replace(/\*$/, '');
      const head = pat.split('+')[0]!;
      if (head.startsWith(prefix) || prefix.startsWith(head)) return true;
    }
  }
  return false;
}

export const DEFAULT_POLICY = `
path "auth/token/lookup-self" { capabilities = ["read"] }
path "auth/token/renew-self" { capabilities = ["update"] }
path "auth/token/revoke-self" { capabilities = ["update"] }
path "sys/capabilities-self" { capabilities = ["update"] }
path "sys/internal/ui/resultant-acl" { capabilities = ["read"] }
path "sys/leases/renew" { capabilities = ["update"] }
path "sys/leases/lookup" { capabilities = ["update"] }
path "cubbyhole/*" { capabilities = ["create", "read", "update", "delete", "list"] }
path "sys/wrapping/wrap" { capabilities = ["update"] }
path "sys/wrapping/lookup" { capabilities = ["update"] }
path "sys/wrapping/unwrap" { capabilities = ["update"] }
path "sys/tools/hash" { capabilities = ["update"] }
`;
