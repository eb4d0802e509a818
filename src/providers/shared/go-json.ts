// Go's number and JSON text forms, where ESO's output depends on them: strconv.FormatFloat(f,'f',-1,64),
// strconv.ParseFloat, and encoding/json Marshal (sorted map keys, optional HTML escaping).

/** A literal JSON number kept as written (Go's json.Number; ESO decodes Vault responses with UseNumber). */
export class JsonNumber {
  constructor(readonly text: string) {}
  toJSON(): number { return Number(this.text); }
}

/** strconv.FormatFloat(f, 'f', -1, 64): shortest round-trip digits, never an exponent. */
export function formatFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const neg = f < 0;
  const [mant, expText] = Math.abs(f).toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '');
  const exp = Number(expText);
  let out: string;
  if (exp >= digits.length - 1) out = digits + '0'.repeat(exp - digits.length + 1);
  else if (exp >= 0) out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  else out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  return neg ? `-${out}` : out;
}

/** strconv.ParseFloat(s, 64) ignoring the error (0 on syntax errors, ±Inf on overflow). */
export function parseGoFloat(s: string): number {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (special) {
    if (special[2]!.toLowerCase() === 'nan') return NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(s);
  if (hex && (hex[2] || hex[3])) {
    const int = hex[2] ?? '';
    const frac = hex[3] ?? '';
    const mant = parseInt(int + frac || '0', 16);
    const v = mant * 2 ** (Number(hex[4]) - 4 * frac.length);
    return hex[1] === '-' ? -v : v;
  }
  return 0;
}

/** A JSON string literal the way encoding/json writes it. */
export function goQuote(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c < 0x20) {
      if (ch === '\n') out += '\\n';
      else if (ch === '\r') out += '\\r';
      else if (ch === '\t') out += '\\t';
      else if (ch === '\b') out += '\\b';
      else if (ch === '\f') out += '\\f';
      else out += `\\u00${c.toString(16).padStart(2, '0')}`;
    } else if (escapeHTML && (ch === '<' || ch === '>' || ch === '&')) {
      out += `\\u00${c.toString(16)}`;
    } else if (c === 0x2028 || c === 0x2029) {
      out += `\\u${c.toString(16)}`;
    } else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) < 0xe000) {
      out += ch + s[i + 1]!;
      i++;
    } else if (c >= 0xd800 && c < 0xe000) {
      out += '\ufffd';
    } else out += ch;
  }
  return out + '"';
}

/** Go float64 JSON form: 'f' format inside [1e-6, 1e21), else 'e' format with a trimmed exponent. */
function goJsonFloat(f: number): string {
  if (!Number.isFinite(f)) throw new Error('json: unsupported value');
  const abs = Math.abs(f);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    const [m, e] = f.toExponential().split('e') as [string, string];
    const sign = e[0] === '-' ? '-' : '+';
    // strconv's 'e' form pads the exponent to two digits; encoding/json then trims e-07 to e-7.
    const digits = sign === '-' ? e.slice(1) : e.replace(/^[+-]/, '').padStart(2, '0');
    return `${m}e${sign}${digits}`;
  }
  return formatFloat(f);
}

/** encoding/json Marshal of a decoded JSON value: object keys sorted, no trailing newline. */
export function goMarshal(v: unknown, escapeHTML: boolean): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goQuote(v, escapeHTML);
  if (typeof v === 'number') return goJsonFloat(v);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof JsonNumber) return v.text;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Uint8Array) return `"${Buffer.from(v).toString('base64')}"`;
  if (Array.isArray(v)) return `[${v.map((x) => goMarshal(x, escapeHTML)).join(',')}]`;
  if (typeof v === 'object') {
    const keys = Object.keys(v).sort(compareUtf8);
    const rec = v as Record<string, unknown>;
    return `{${keys.map((k) => `${goQuote(k, escapeHTML)}:${goMarshal(rec[k], escapeHTML)}`).join(',')}}`;
  }
  throw new Error(`json: unsupported type ${typeof v}`);
}

/** Go sorts map keys by their UTF-8 bytes. */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
