// How findings name an object: `Secret team-a/db` (namespace shown when set; Helm actions as {{…}}).
import { PLACEHOLDER } from '../helm.js';

export function describeObject(o: Record<string, unknown>): string {
  const meta = (typeof o.metadata === 'object' && o.metadata !== null ? o.metadata : {}) as Record<string, unknown>;
  const name = typeof meta.name === 'string' && meta.name ? meta.name : typeof meta.generateName === 'string' ? `${meta.generateName}*` : '(no name)';
  const ns = typeof meta.namespace === 'string' && meta.namespace ? `${meta.namespace}/` : '';
  return `${typeof o.kind === 'string' ? o.kind : 'object'} ${ns}${name}`.replace(new RegExp(`${PLACEHOLDER}+`, 'g'), '{{…}}');
}

export function metadataOf(o: Record<string, unknown>): Record<string, unknown> {
  return (typeof o.metadata === 'object' && o.metadata !== null && !Array.isArray(o.metadata) ? o.metadata : {}) as Record<string, unknown>;
}
