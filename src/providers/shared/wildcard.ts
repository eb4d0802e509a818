// tidwall/match semantics: `*` any run of characters, `?` exactly one character, `\x` a literal x.
// Iterative with single backtrack point, so it is linear in practice (no ReDoS).

export function wildcardMatch(str: string, pattern: string): boolean {
  if (pattern === '*') return true;
  const s = Array.from(str);
  const p = Array.from(pattern);
  let si = 0;
  let pi = 0;
  let starP = -1;
  let starS = 0;
  while (si < s.length) {
    if (pi < p.length) {
      const pc = p[pi]!;
      if (pc === '*') { starP = pi++; starS = si; continue; }
      if (pc === '?') { pi++; si++; continue; }
      if (pc === '\\') {
        if (pi + 1 < p.length && p[pi + 1] === s[si]) { pi += 2; si++; continue; }
      } else if (pc === s[si]) { pi++; si++; continue; }
    }
    if (starP < 0) return false;
    pi = starP + 1;
    si = ++starS;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}
