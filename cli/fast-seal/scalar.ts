// The YAML 1.1 scalars the fast path reads and writes, decided without the yaml library and
// conservatively: a value outside these rules is "not handled" and the normal path takes over.

/** Thrown for anything outside the subset; the caller then runs the normal path. */
export class NotHandled extends Error {}

// First character: no indicator, no '-' ('- ', '-1'), no '%' (directive), no '=' or '<' ('<<').
// Then printable ASCII but '#', or non-ASCII letters (no C1 controls, NEL, U+2028/9, BOM, surrogates).
const PLAIN = /^[A-Za-z0-9_./+][\x20-\x22\x24-\x7e\u00a1-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*$/;
/** Every YAML 1.1 bool and null spelling (and more: any case). */
const KEYWORD = /^(?:y|yes|n|no|true|false|on|off|null)$/i;
/** The characters YAML 1.1 numbers, sexagesimals and timestamps are made of. */
const NUMBER_CHARS = /^[0-9a-fA-FxXoObBtTzZiInN_.:+\- ]*$/;

/** A plain scalar that YAML 1.1 (the yaml library with version 1.1) reads as this same string. */
export function isPlainString(s: string): boolean {
  if (!PLAIN.test(s) || s.includes(': ') || s.endsWith(':') || s.endsWith(' ') || s.startsWith('...')) return false;
  if (KEYWORD.test(s)) return false;
  // Numbers, timestamps and .inf/.nan start with a digit, a sign or a dot; `E5` (no mantissa) is a float too.
  return !/^[-+.0-9eE]/.test(s) || !NUMBER_CHARS.test(s);
}

/** Strings the yaml library certainly quotes (they would read back as another type, or break the line). */
const QUOTED = /^(?:|~|[Nn]ull|NULL|[Yy]|[Yy]es|YES|[Nn]|[Nn]o|NO|[Tt]rue|TRUE|[Ff]alse|FALSE|[Oo]n|ON|[Oo]ff|OFF|[0-9]+|[0-9]+\.[0-9]+)$|^[ ,[\]{}#&*!|>'"%@`]|: | #| $|:$/;
/** What may appear inside such a quoted string: one line, printable, no escapes beyond `\\` and `\"`. */
const QUOTABLE = /^[\x20-\x7e\u00a1-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*$/;

/** The string as the yaml library writes it (`stringify` with version 1.1, lineWidth 0), or NotHandled. */
export function writeString(s: string): string {
  if (isPlainString(s)) return s;
  if (QUOTED.test(s) && QUOTABLE.test(s)) return s.includes('"') && !s.includes("'") ? `'${s}'` : JSON.stringify(s);
  throw new NotHandled('string outside the fast YAML subset');
}
