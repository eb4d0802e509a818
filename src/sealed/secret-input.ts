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
const KEY_RULE = "letters, digits, '-', '.', '_'; not '.' or '..', at most 253";
/** Kubernetes' IsConfigMapKey. */
const validKey = (k: string) => KEY.test(k) && k.length <= 253 && k !== '.' && k !== '..' && !k.startsWith('..');
/** DNS-1123 subdomain (a Secret name) and label (a namespace), as the API server checks them. */
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Kubernetes' MaxSecretSize: the sum of all values. */
export const MAX_SECRET_BYTES = 1024 * 1024;
const shown = (v: string) => JSON.stringify(v.length > 63 ? `${v.slice(0, 60)}...` : v);

export function validateSecret(doc: SourceDocument, o: InputOptions = {}): ValidSecret {
  const { object, where } = doc;
  const problems: string[] = [];
  if (object.kind !== 'Secret') {
    const found = typeof object.kind === 'string' ? `kind ${object.kind}` : 'no kind';
    throw inputError('WrongKind', `expected a Secret but found ${found}`, { subject: where, hint: 'pass a v1 Secret, e.g. from `kubectl create secret generic NAME --from-literal=k=v --dry-run=client -o yaml`' });
  }
  if (object.apiVersion !== undefined && object.apiVersion !== 'v1') problems.push(`apiVersion must be v1, not ${String(object.apiVersion)} (set apiVersion: v1)`);
  const metadata = { ...((object.metadata ?? {}) as ObjectMeta) };
  if (o.name) metadata.name = o.name;
  if (metadata.name === undefined || metadata.name === '') problems.push('missing metadata.name in input Secret (set it or pass --name)');
  else if (typeof metadata.name !== 'string') problems.push(`metadata.name must be a string, found ${kindOf(metadata.name)} (quote it)`);
  else if (metadata.name.length > 253 || !SUBDOMAIN.test(metadata.name)) problems.push(`metadata.name ${shown(metadata.name)} is not a valid Secret name (lowercase letters, digits, '-' and '.', at most 253 characters)`);
  if (metadata.namespace !== undefined && typeof metadata.namespace !== 'string') problems.push(`metadata.namespace must be a string, found ${kindOf(metadata.namespace)} (quote it)`);
  else if (typeof metadata.namespace === 'string' && metadata.namespace !== '' && (metadata.namespace.length > 63 || !LABEL.test(metadata.namespace))) {
    problems.push(`metadata.namespace ${shown(metadata.namespace)} is not a valid namespace (lowercase letters, digits and '-', at most 63 characters)`);
  }
  for (const field of ['labels', 'annotations'] as const) {
    const m = metadata[field] as unknown;
    if (m === undefined || m === null) continue;
    if (typeof m !== 'object' || Array.isArray(m)) { problems.push(`metadata.${field} must be a mapping of strings, found ${kindOf(m)} (write ${field}: {KEY: "VALUE"})`); continue; }
    for (const [k, v] of Object.entries(m)) {
      if (typeof v !== 'string') problems.push(`metadata.${field}.${k} must be a string, found ${kindOf(v)} (quote the value)`);
    }
  }

  const items = new Map<string, Buffer>();
  const data = object.data as unknown;
  const stringData = object.stringData as unknown;
  if (data !== undefined && data !== null && (typeof data !== 'object' || Array.isArray(data))) problems.push('data must be a mapping of keys to base64 values (write data: {KEY: BASE64})');
  if (stringData !== undefined && stringData !== null && (typeof stringData !== 'object' || Array.isArray(stringData))) problems.push('stringData must be a mapping of keys to strings (write stringData: {KEY: VALUE})');
  for (const [k, v] of Object.entries((typeof data === 'object' && data) || {})) {
    if (!validKey(k)) problems.push(`data key ${shown(k)} is not a valid Secret key (${KEY_RULE})`);
    if (typeof v !== 'string') { problems.push(`data.${k} must be a base64 string, found ${kindOf(v)} (quote it, or put plain text in stringData)`); continue; }
    const bytes = decodeBase64Strict(v);
    if (!bytes) problems.push(`data.${k} is not valid base64 (use stringData for plain text)`);
    else items.set(k, bytes);
  }
  for (const [k, v] of Object.entries((typeof stringData === 'object' && stringData) || {})) {
    if (!validKey(k)) problems.push(`stringData key ${shown(k)} is not a valid Secret key (${KEY_RULE})`);
    if (typeof v !== 'string') { problems.push(`stringData.${k} must be a string, found ${kindOf(v)} (quote the value)`); continue; }
    items.set(k, Buffer.from(v, 'utf8'));
  }
  if (problems.length === 0 && items.size === 0 && !o.allowEmptyData) {
    problems.push('secret.data is empty in input Secret, assuming this is an error and aborting (pass --allow-empty-data to seal it anyway)');
  }
  let total = 0;
  for (const v of items.values()) total += v.length;
  if (total > MAX_SECRET_BYTES) problems.push(`the values add up to ${total} bytes, above the Kubernetes limit of ${MAX_SECRET_BYTES} bytes per Secret (keep large files out of Secrets, or split them over several Secrets)`);
  if (object.type !== undefined && typeof object.type !== 'string') problems.push('type must be a string (e.g. type: Opaque)');
  if (object.immutable !== undefined && typeof object.immutable !== 'boolean') problems.push('immutable must be true or false (write immutable: true)');
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
