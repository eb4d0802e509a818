// A minimal OpenAPI v3 surface: the index plus one document per group-version whose PATCH operations
// carry x-kubernetes-group-version-kind and a fieldValidation parameter, which is what kubectl's
// server-side field validation check looks for. No schemas: kubectl then uses its compiled-in types
// (strategic merge for built-ins) and JSON merge patch for custom resources, as against a real server.
import type { JsonMap } from './types.js';
import type { Registry } from './registry.js';

const HASH = '0123456789ABCDEF';

// /openapi/v2, which kubectl still fetches to validate a `kind: List` client-side (its v3 field-validation
// check never covers v1/List). Definitions are empty, so kubectl skips schema checks for the items and the
// server's own fieldValidation=Strict applies to each item, as kubectl sends them one by one.
// kubectl asks with `...spec.v2@v1.0+protobuf`; kube-openapi answers with this Content-Type (Go's mime parser refuses the '@').
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
const V2_INFO = { title: 'Kubernetes', version: 'v1.32.0' };
export const openapiV2Json = (): JsonMap => ({ swagger: '2.0', info: V2_INFO, paths: {}, definitions: {} });
/** The same document as gnostic's openapi_v2.Document protobuf: swagger=1, info=2 {title=1, version=2}. */
export function openapiV2Protobuf(): Buffer {
  const field = (num: number, v: Buffer): Buffer => Buffer.concat([Buffer.from([(num << 3) | 2, v.length]), v]);
  const str = (num: number, s: string): Buffer => field(num, Buffer.from(s, 'utf8'));
  return Buffer.concat([str(1, '2.0'), field(2, Buffer.concat([str(1, V2_INFO.title), str(2, V2_INFO.version)]))]);
}
const gvPath = (group: string, version: string): string => (group ? `apis/${group}/${version}` : `api/${version}`);

export function openapiIndex(reg: Registry): JsonMap {
  const paths: JsonMap = {};
  for (const [group, versions] of reg.groups()) for (const v of versions) {
    const p = gvPath(group, v);
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${HASH}` };
  }
  return { paths };
}

export function openapiDocument(reg: Registry, group: string, version: string): JsonMap | undefined {
  const defs = reg.inVersion(group, version);
  if (!defs.length) return undefined;
  const paths: JsonMap = {};
  const schemas: JsonMap = {};
  for (const d of defs) {
    if (d.virtual) continue;
    const base = `/${gvPath(group, version)}${d.namespaced ? '/namespaces/{namespace}' : ''}/${d.resource}/{name}`;
    const gvk = { group, version, kind: d.kind };
    paths[base] = {
      patch: {
        'x-kubernetes-group-version-kind': gvk,
        'x-kubernetes-action': 'patch',
        parameters: [
          { name: 'dryRun', in: 'query', schema: { type: 'string' } },
          { name: 'fieldManager', in: 'query', schema: { type: 'string' } },
          { name: 'fieldValidation', in: 'query', schema: { type: 'string' } },
          { name: 'force', in: 'query', schema: { type: 'boolean' } },
        ],
        responses: {},
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas } };
}
