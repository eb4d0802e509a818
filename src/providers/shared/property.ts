// Property lookup and value conversion shared by every provider (ESO's gjson use and GetByteValue).
import { gjsonGet, resultString } from './gjson.js';
import { formatFloat, goMarshal, JsonNumber } from './go-json.js';

export { JsonNumber };

const utf8 = new TextEncoder();

/**
 * gjson `Get(json, path).String()`: strings unescaped, objects/arrays as their raw JSON text,
 * numbers as written, true/false, null → ''. `undefined` when the path does not exist.
 * Trying a literal top-level key first (ESO's Vault/kubernetes behaviour) is the caller's job.
 */
export function getJsonPath(json: string, path: string): string | undefined {
  const r = gjsonGet(json, path);
  return r.exists ? resultString(r) : undefined;
}

/** gjson `Get(json, path).Exists()`. */
export function hasJsonPath(json: string, path: string): boolean {
  return gjsonGet(json, path).exists;
}

/**
 * ESO's GetByteValue on a decoded JSON value: string raw; object/array as `json.Marshal` (sorted keys,
 * HTML-escaped `<>&`; a JSON array is `[]any` in Go, so string arrays are JSON too, never joined);
 * float64 as FormatFloat(v,'f',-1,64); json.Number as its text; bool as text; null/undefined → empty.
 */
export function byteValue(v: unknown): Uint8Array {
  if (v === null || v === undefined) return new Uint8Array();
  if (typeof v === 'string') return utf8.encode(v);
  if (v instanceof Uint8Array) return v;
  if (v instanceof JsonNumber) return utf8.encode(v.text);
  if (typeof v === 'number') return utf8.encode(formatFloat(v));
  if (typeof v === 'bigint') return utf8.encode(v.toString());
  if (typeof v === 'boolean') return utf8.encode(v ? 'true' : 'false');
  return utf8.encode(marshalGo(v));
}

/** encoding/json with SetEscapeHTML(false), keys sorted; JsonNumber values written verbatim. */
export function marshalNoEscape(v: unknown): string {
  return goMarshal(v, false);
}

/** encoding/json Marshal (HTML-escaping `<>&`), keys sorted. */
export function marshalGo(v: unknown): string {
  return goMarshal(v, true);
}

/** Parses JSON keeping number text exactly (json.Decoder UseNumber). */
export function parseJsonUseNumber(text: string): unknown {
  return JSON.parse(text, (_k, value, ctx?: { source?: string }) =>
    typeof value === 'number' && ctx?.source !== undefined ? new JsonNumber(ctx.source) : value);
}
