// Stands in for the `yaml` package in the fast-seal bundle (scripts/bundle-cli.mjs aliases it), so
// the shared output code (formatObjects → toYaml) runs without loading the yaml library: `stringify`
// writes the mappings the fast path produces byte for byte as the library does with toYaml's
// options, and throws NotHandled for anything else, as the parsing entry points always do.
import { NotHandled, writeString } from './scalar.js';

const TO_YAML_OPTIONS = { version: '1.1', sortMapEntries: true, lineWidth: 0, indentSeq: false, aliasDuplicateObjects: false };

export function stringify(value: unknown, options: unknown): string {
  if (JSON.stringify(options) !== JSON.stringify(TO_YAML_OPTIONS)) throw new NotHandled('stringify options outside the subset');
  if (!isMapping(value)) throw new NotHandled('not a mapping');
  const body = mapping(value, '');
  return body === '' ? '{}\n' : body;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function mapping(map: Record<string, unknown>, indent: string): string {
  const keys = Object.keys(map).filter((k) => map[k] !== undefined).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let out = '';
  for (const k of keys) {
    // Keys past 1024 characters become explicit `? key` entries; empty keys are left to the library.
    if (k === '' || k.length > 1000) throw new NotHandled('key outside the subset');
    const v = map[k];
    out += `${indent}${writeString(k)}:`;
    if (isMapping(v)) {
      const inner = mapping(v, `${indent}  `);
      out += inner === '' ? ' {}\n' : `\n${inner}`;
    } else if (typeof v === 'string') out += ` ${writeString(v)}\n`;
    else if (typeof v === 'boolean' || v === null) out += ` ${String(v)}\n`;
    else throw new NotHandled('value outside the subset');
  }
  return out;
}

const unsupported = (): never => { throw new NotHandled('YAML parsing is not in the fast path'); };
export const parse = unsupported;
export const parseAllDocuments = unsupported;
export const parseDocument = unsupported;
export const isScalar = unsupported;
export const visit = unsupported;
