// V8's linear-time fallback (src/regexp-guard.ts) does not run patterns compiled with the `u` flag,
// and Go patterns need `u` only for characters outside the Basic Multilingual Plane. So each pattern
// also gets a variant without `u` when that cannot change its meaning (no \p classes, no \u{…}, no
// astral or surrogate literals, no case folding, where `u` follows Unicode's rules), and a subject
// made of BMP characters only is matched with that variant: same answer, linear time.
const variants = new WeakMap<RegExp, RegExp>();
const SURROGATE = /[\uD800-\uDFFF]/;

/** Registers the BMP variant of `re`, if it has a safe one, and returns `re`. */
export function withBmpVariant(re: RegExp): RegExp {
  if (!re.unicode || re.ignoreCase || /\\[pPu]|[\uD800-\uDFFF]/.test(re.source)) return re;
  try {
    variants.set(re, new RegExp(re.source, re.flags.replace('u', '')));
  } catch {
    // not valid without `u`: keep the Unicode pattern only
  }
  return re;
}

/** The pattern to run on `subject`: the BMP variant when the subject allows it. */
export function forSubject(re: RegExp, subject: string): RegExp {
  const bmp = variants.get(re);
  if (!bmp || SURROGATE.test(subject)) return re;
  bmp.lastIndex = re.lastIndex;
  return bmp;
}
