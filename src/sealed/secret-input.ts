// Validates input Secret documents before sealing: every problem in a document is reported at once,
// and only a validated Secret can be sealed. Messages name keys, never values.
import { decodeBase64Strict } from '../crypto/base64.js';
import { inputError } from '../errors.js';
import type { SourceDocument } from '../manifests/documents.js';
import type { ObjectMeta } from './types.js';

export interface ValidSecret {
  where: string;
  metadata: ObjectMeta & { name: string };
  type?: string;
  immutable?: boolean;
  /** Plaintext per key; stringData already applied over data. */
  items: Map<string, Buffer>;
}

export interface InputOptions {
  /** `--name`: overrides the input Secret's name. */
  name?: string;
  allowEmptyData?: boolean;
}

const KEY = /^[-._a-zA-Z0-9]+$/;

export function validateSecret(doc: SourceDocument, o: InputOptions = {}): ValidSecret {
  const { object, where } = doc;
  const problems: string[] = [];
  if (object.kind !== 'Secret') {
    const found = typeof object.kind === 'string' ? `kind ${object.kind}` : 'no kind';
    throw inputError('WrongKind', `expected a Secret but found ${found}`, { subject: where, hint: 'pass a v1 Secret, e.g. from `kubectl create secret generic NAME --from-literal=k=v --dry-run=client -o yaml`' });
  }
  if (object.apiVersion !== undefined && object.apiVersion !== 'v1') problems.push(`apiVersion must be v1, not ${String(object.apiVersion)}`);
  const metadata = { ...((object.metadata ?? {}) as ObjectMeta) };
  if (o.name) metadata.name = o.name;
  if (metadata.name === undefined || metadata.name === '') problems.push('missing metadata.name in input Secret (set it or pass --name)');
  else if (typeof metadata.name !== 'string') problems.push(`metadata.name must be a string, found ${kindOf(metadata.name)} (quote it)`);
  if (metadata.namespace !== undefined && typeof metadata.namespace !== 'string') problems.push(`metadata.namespace must be a string, found ${kindOf(metadata.namespace)} (quote it)`);

  const items = new Map<string, Buffer>();
  const data = object.data as unknown;
  const stringData = object.stringData as unknown;
  if (data !== undefined && data !== null && (typeof data !== 'object' || Array.isArray(data))) problems.push('data must be a mapping of keys to base64 values');
  if (stringData !== undefined && stringData !== null && (typeof stringData !== 'object' || Array.isArray(stringData))) problems.push('stringData must be a mapping of keys to strings');
  for (const [k, v] of Object.entries((typeof data === 'object' && data) || {})) {
    if (!KEY.test(k)) problems.push(`data key "${k}" is not a valid Secret key (letters, digits, '-', '.', '_')`);
    if (typeof v !== 'string') { problems.push(`data.${k} must be a base64 string, found ${kindOf(v)}`); continue; }
    const bytes = decodeBase64Strict(v);
    if (!bytes) problems.push(`data.${k} is not valid base64 (use stringData for plain text)`);
    else items.set(k, bytes);
  }
  for (const [k, v] of Object.entries((typeof stringData === 'object' && stringData) || {})) {
    if (!KEY.test(k)) problems.push(`stringData key "${k}" is not a valid Secret key (letters, digits, '-', '.', '_')`);
    if (typeof v !== 'string') { problems.push(`stringData.${k} must be a string, found ${kindOf(v)} (quote the value)`); continue; }
    items.set(k, Buffer.from(v, 'utf8'));
  }
  if (problems.length === 0 && items.size === 0 && !o.allowEmptyData) {
    problems.push('secret.data is empty in input Secret, assuming this is an error and aborting (pass --allow-empty-data to seal it anyway)');
  }
  if (object.type !== undefined && typeof object.type !== 'string') problems.push('type must be a string');
  if (object.immutable !== undefined && typeof object.immutable !== 'boolean') problems.push('immutable must be true or false');
  if (problems.length > 0) {
    const name = typeof metadata.name === 'string' && metadata.name ? ` Secret ${metadata.name}` : '';
    throw inputError('InvalidSecret', problems.join('; '), { subject: `${where}${name}` });
  }
  return {
    where,
    metadata: metadata as ObjectMeta & { name: string },
    ...(object.type !== undefined ? { type: object.type as string } : {}),
    ...(object.immutable !== undefined ? { immutable: object.immutable as boolean } : {}),
    items,
  };
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a mapping' : `a ${typeof v}`;
}
