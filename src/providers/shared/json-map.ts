// Exploding one JSON object into secret keys, the two ways ESO providers do it.
import { inputError } from '../../errors.js';
import { isValueStart, parseString, readValue, unescape } from './gjson.js';
import { byteValue } from './property.js';

const utf8 = new TextEncoder();

/** Top-level members of a JSON object with their raw text, in document order (duplicates kept). */
export function objectMembers(json: string): Array<{ key: string; raw: string; string?: string }> {
  const out: Array<{ key: string; raw: string; string?: string }> = [];
  let i = json.indexOf('{');
  if (i < 0) return out;
  i++;
  while (i < json.length) {
    while (i < json.length && json[i] !== '"' && json[i] !== '}') i++;
    if (i >= json.length || json[i] === '}') break;
    const [afterKey, rawKey, esc, ok] = parseString(json, i + 1);
    if (!ok) break;
    const inner = rawKey.slice(1, -1);
    const key = esc ? unescape(inner) : inner;
    let j = afterKey;
    while (j < json.length && !isValueStart(json[j]!)) j++;
    const [next, v] = readValue(json, j);
    if (!v) break;
    out.push(v.type === 'String' ? { key, raw: v.raw, string: v.str } : { key, raw: v.raw });
    i = next;
  }
  return out;
}

function parseOrThrow(text: string, subject: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // never include the parser's message: it may quote secret data
    throw inputError('InvalidJSON', 'unable to unmarshal secret: invalid JSON format', {
      subject, hint: 'dataFrom.extract needs a JSON object value',
    });
  }
}

/**
 * `json.Unmarshal` into `map[string]json.RawMessage`, then strings unquoted and everything else kept as
 * its raw JSON text (ESO's fake and AWS GetSecretMap). `null` → empty value; last duplicate wins.
 */
export function explodeRawJson(text: string, subject: string): Record<string, Uint8Array> {
  const parsed = parseOrThrow(text, subject);
  if (parsed === null) return Object.create(null);
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw inputError('InvalidJSON', 'unable to unmarshal secret: value is not a JSON object', { subject });
  }
  const out: Record<string, Uint8Array> = Object.create(null);
  for (const m of objectMembers(text)) {
    out[m.key] = m.string !== undefined ? utf8.encode(m.string) : m.raw === 'null' ? new Uint8Array() : utf8.encode(m.raw);
  }
  return out;
}

/** `json.Unmarshal` into `map[string]any` (float64 numbers), each value through GetByteValue (ESO's Vault). */
export function explodeDecodedJson(text: string, subject: string): Record<string, Uint8Array> {
  const parsed = parseOrThrow(text, subject);
  if (parsed === null) return Object.create(null);
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw inputError('InvalidJSON', 'unable to unmarshal secret: value is not a JSON object', { subject });
  }
  const out: Record<string, Uint8Array> = Object.create(null);
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) out[k] = byteValue(v);
  return out;
}
