// Kubernetes' protobuf request bodies, decoded into the JSON form for the kinds kubectl sends that way:
// `kubectl create namespace|secret|configmap|serviceaccount|role|rolebinding|clusterrole|
// clusterrolebinding|token`, `kubectl auth can-i` (SelfSubjectAccessReview) and `kubectl auth whoami`
// (SelfSubjectReview). The envelope is the magic
// `k8s\0` then a runtime.Unknown {typeMeta=1 {apiVersion=1, kind=2}, raw=2}; `raw` is the object in the
// field numbers of k8s.io/api's generated.proto. Kinds not listed get the real server's 415 answer
// from the caller. Replies stay JSON, which kubectl accepts (it asks for protobuf or JSON).
import { badRequest } from './status.js';

const MAGIC = Buffer.from('k8s\0', 'latin1');

type Field =
  | { name: string; type: 'string' | 'bytes' | 'bool' | 'int' | 'time' }
  | { name: string; type: 'message'; schema: Schema }
  | { name: string; type: 'map'; value: 'string' | 'bytes' }
  | { name: string; type: 'repeated'; of: 'string' }
  | { name: string; type: 'repeated'; of: 'message'; schema: Schema };
type Schema = Record<number, Field>;

const time: Field['type'] = 'time';
const ownerReference: Schema = {
  1: { name: 'kind', type: 'string' }, 3: { name: 'name', type: 'string' }, 4: { name: 'uid', type: 'string' },
  5: { name: 'apiVersion', type: 'string' }, 6: { name: 'controller', type: 'bool' }, 7: { name: 'blockOwnerDeletion', type: 'bool' },
};
const objectMeta: Schema = {
  1: { name: 'name', type: 'string' }, 2: { name: 'generateName', type: 'string' }, 3: { name: 'namespace', type: 'string' },
  5: { name: 'uid', type: 'string' }, 6: { name: 'resourceVersion', type: 'string' }, 7: { name: 'generation', type: 'int' },
  8: { name: 'creationTimestamp', type: time }, 9: { name: 'deletionTimestamp', type: time }, 10: { name: 'deletionGracePeriodSeconds', type: 'int' },
  11: { name: 'labels', type: 'map', value: 'string' }, 12: { name: 'annotations', type: 'map', value: 'string' },
  13: { name: 'ownerReferences', type: 'repeated', of: 'message', schema: ownerReference },
  14: { name: 'finalizers', type: 'repeated', of: 'string' },
};
const meta = { 1: { name: 'metadata', type: 'message', schema: objectMeta } } as const satisfies Schema;
const objectReference: Schema = { 1: { name: 'kind', type: 'string' }, 2: { name: 'namespace', type: 'string' }, 3: { name: 'name', type: 'string' } };
const policyRule: Schema = {
  1: { name: 'verbs', type: 'repeated', of: 'string' }, 2: { name: 'apiGroups', type: 'repeated', of: 'string' },
  3: { name: 'resources', type: 'repeated', of: 'string' }, 4: { name: 'resourceNames', type: 'repeated', of: 'string' },
  5: { name: 'nonResourceURLs', type: 'repeated', of: 'string' },
};
const binding: Schema = {
  ...meta,
  2: { name: 'subjects', type: 'repeated', of: 'message', schema: { 1: { name: 'kind', type: 'string' }, 2: { name: 'apiGroup', type: 'string' }, 3: { name: 'name', type: 'string' }, 4: { name: 'namespace', type: 'string' } } },
  3: { name: 'roleRef', type: 'message', schema: { 1: { name: 'apiGroup', type: 'string' }, 2: { name: 'kind', type: 'string' }, 3: { name: 'name', type: 'string' } } },
};
const labelSelector: Schema = { 1: { name: 'matchLabels', type: 'map', value: 'string' } };

const KINDS: Record<string, Schema> = {
  'v1/Namespace': { ...meta, 2: { name: 'spec', type: 'message', schema: { 1: { name: 'finalizers', type: 'repeated', of: 'string' } } } },
  'v1/Secret': { ...meta, 2: { name: 'data', type: 'map', value: 'bytes' }, 3: { name: 'type', type: 'string' }, 4: { name: 'stringData', type: 'map', value: 'string' }, 5: { name: 'immutable', type: 'bool' } },
  'v1/ConfigMap': { ...meta, 2: { name: 'data', type: 'map', value: 'string' }, 3: { name: 'binaryData', type: 'map', value: 'bytes' }, 4: { name: 'immutable', type: 'bool' } },
  'v1/ServiceAccount': {
    ...meta, 2: { name: 'secrets', type: 'repeated', of: 'message', schema: objectReference },
    3: { name: 'imagePullSecrets', type: 'repeated', of: 'message', schema: { 1: { name: 'name', type: 'string' } } },
    4: { name: 'automountServiceAccountToken', type: 'bool' },
  },
  'rbac.authorization.k8s.io/v1/Role': { ...meta, 2: { name: 'rules', type: 'repeated', of: 'message', schema: policyRule } },
  'rbac.authorization.k8s.io/v1/ClusterRole': {
    ...meta, 2: { name: 'rules', type: 'repeated', of: 'message', schema: policyRule },
    3: { name: 'aggregationRule', type: 'message', schema: { 1: { name: 'clusterRoleSelectors', type: 'repeated', of: 'message', schema: labelSelector } } },
  },
  'rbac.authorization.k8s.io/v1/RoleBinding': binding,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': binding,
  // `kubectl create token`: TokenRequestSpec {audiences=1, boundObjectRef=3, expirationSeconds=4}.
  'authentication.k8s.io/v1/TokenRequest': {
    ...meta,
    2: {
      name: 'spec', type: 'message', schema: {
        1: { name: 'audiences', type: 'repeated', of: 'string' },
        3: { name: 'boundObjectRef', type: 'message', schema: { 1: { name: 'kind', type: 'string' }, 2: { name: 'apiVersion', type: 'string' }, 3: { name: 'name', type: 'string' }, 4: { name: 'uid', type: 'string' } } },
        4: { name: 'expirationSeconds', type: 'int' },
      },
    },
  },
  // `kubectl auth whoami`: metadata only (status=2 is the server's answer).
  'authentication.k8s.io/v1/SelfSubjectReview': { ...meta },
  'authorization.k8s.io/v1/SelfSubjectAccessReview': {
    ...meta,
    2: {
      name: 'spec', type: 'message', schema: {
        1: {
          name: 'resourceAttributes', type: 'message', schema: {
            1: { name: 'namespace', type: 'string' }, 2: { name: 'verb', type: 'string' }, 3: { name: 'group', type: 'string' },
            4: { name: 'version', type: 'string' }, 5: { name: 'resource', type: 'string' }, 6: { name: 'subresource', type: 'string' },
            7: { name: 'name', type: 'string' },
          },
        },
        2: { name: 'nonResourceAttributes', type: 'message', schema: { 1: { name: 'path', type: 'string' }, 2: { name: 'verb', type: 'string' } } },
      },
    },
  },
};

export function isProtobufBody(body: Buffer): boolean {
  return body.length >= 4 && body.subarray(0, 4).equals(MAGIC);
}

/** The object as JSON, or undefined when its kind is not one this server decodes. */
export function decodeProtobufObject(body: Buffer): Record<string, unknown> | undefined {
  if (!isProtobufBody(body)) throw badRequest('the protobuf body does not start with the k8s\\0 magic');
  const unknown = decode(body.subarray(4), {
    1: { name: 'typeMeta', type: 'message', schema: { 1: { name: 'apiVersion', type: 'string' }, 2: { name: 'kind', type: 'string' } } },
    2: { name: 'raw', type: 'bytes' },
  }, true);
  const tm = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const schema = KINDS[`${tm.apiVersion ?? ''}/${tm.kind ?? ''}`];
  if (!schema) return undefined;
  const raw = unknown.raw as Buffer | undefined;
  return { apiVersion: tm.apiVersion, kind: tm.kind, ...(raw ? decode(raw, schema) : {}) };
}

function decode(buf: Buffer, schema: Schema, rawBytes = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let pos = 0;
  const varint = (): bigint => {
    let v = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (pos >= buf.length) throw badRequest('truncated protobuf varint');
      const b = buf[pos++]!;
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
      if (shift > 63n) throw badRequest('protobuf varint too long');
    }
  };
  while (pos < buf.length) {
    const tag = Number(varint());
    const num = tag >>> 3;
    const wire = tag & 7;
    let value: bigint | Buffer;
    if (wire === 0) value = varint();
    else if (wire === 2) {
      const len = Number(varint());
      if (pos + len > buf.length) throw badRequest('truncated protobuf field');
      value = buf.subarray(pos, pos + len);
      pos += len;
    } else if (wire === 1) { pos += 8; continue; } else if (wire === 5) { pos += 4; continue; } else throw badRequest(`unsupported protobuf wire type ${wire}`);
    const f = schema[num];
    if (!f) continue; // a field this server does not model: ignored, as an older apiserver would drop it
    const bytes = () => { if (!Buffer.isBuffer(value)) throw badRequest(`protobuf field ${f.name} has the wrong wire type`); return value; };
    switch (f.type) {
      case 'string': out[f.name] = bytes().toString('utf8'); break;
      case 'bytes': out[f.name] = rawBytes ? Buffer.from(bytes()) : bytes().toString('base64'); break;
      case 'bool': out[f.name] = value !== 0n; break;
      case 'int': out[f.name] = Number(BigInt.asIntN(64, value as bigint)); break;
      case 'time': {
        // Go writes a zero metav1.Time as an empty message; the apiserver reads it back as unset.
        if (!bytes().length) break;
        const t = decode(bytes(), { 1: { name: 's', type: 'int' }, 2: { name: 'n', type: 'int' } });
        out[f.name] = new Date(Number(t.s ?? 0) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
        break;
      }
      case 'message': out[f.name] = decode(bytes(), f.schema); break;
      case 'map': {
        const e = decode(bytes(), { 1: { name: 'k', type: 'string' }, 2: { name: 'v', type: f.value } });
        const m = (out[f.name] ??= {}) as Record<string, unknown>;
        m[String(e.k ?? '')] = e.v ?? '';
        break;
      }
      case 'repeated': {
        const list = (out[f.name] ??= []) as unknown[];
        list.push(f.of === 'string' ? bytes().toString('utf8') : decode(bytes(), f.schema));
        break;
      }
    }
  }
  return out;
}
