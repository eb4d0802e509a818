// What the SealedSecret controller caches of each Secret in the cluster: never the values. A Secret a
// SealedSecret may write (owned by a SealedSecret, annotated managed/patch, or carrying our
// unsealed-with annotation) keeps its metadata, type, immutable and a digest per data key, enough to
// prove "nothing to write" and to route events; any other Secret keeps only its name and version (it
// can only mean "exists and is not managed by SealedSecret"). Writes re-read the one Secret live.
import { createHash } from 'node:crypto';
import type { Json } from '../kube/index.js';
import { withoutManagedFields } from '../runtime/index.js';
import { ANNOTATION_MANAGED, ANNOTATION_PATCH, ANNOTATION_UNSEALED_WITH } from './apply.js';

/** Marks a cached view; a Secret from the API never has this field. */
const DIGESTS = 'cloakDataDigests';

type Meta = { namespace?: string; name?: string; resourceVersion?: string; annotations?: Record<string, string>; ownerReferences?: Array<{ kind?: string }> };

/** The informer transform: the view of one Secret described above. */
export function secretView(o: Json): Json {
  const m = (o.metadata ?? {}) as Meta;
  if (!mayBeOurs(m)) {
    return { metadata: { namespace: m.namespace, name: m.name, resourceVersion: m.resourceVersion }, [DIGESTS]: {} };
  }
  const { data, stringData: _s, ...rest } = withoutManagedFields(o);
  return { ...rest, [DIGESTS]: digestData(data as Record<string, string> | undefined) };
}

export function isSecretView(s: Readonly<Json> | undefined): boolean {
  return s !== undefined && DIGESTS in s;
}

/**
 * The Secret with each data value replaced by its digest, for planApply: equal digests mean equal
 * values, so a plan of 'none' or 'unmanaged' over digests is the plan over the values.
 */
export function digested(s: Readonly<Json>): Json {
  const digests = isSecretView(s) ? s[DIGESTS] : digestData(s.data as Record<string, string> | undefined);
  const { [DIGESTS]: _d, ...rest } = s as Json;
  return { ...rest, data: digests };
}

function digestData(data: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data ?? {})) out[k] = createHash('sha256').update(String(v)).digest('base64').slice(0, 22);
  return out;
}

function mayBeOurs(m: Meta): boolean {
  const a = m.annotations ?? {};
  return (m.ownerReferences ?? []).some((r) => r.kind === 'SealedSecret')
    || ANNOTATION_MANAGED in a || ANNOTATION_PATCH in a || ANNOTATION_UNSEALED_WITH in a;
}
