// Defaulting and validation of the built-in kinds (the parts the apiserver's strategies enforce).
import type { KObject, ResourceDef } from '../types.js';
import { isMap } from '../types.js';
import type { FieldError } from '../status.js';
import { badRequest, fieldErr } from '../status.js';
import { matchLabelSelectorObject } from '../selectors.js';
import { validateConfigKey } from './names.js';
import { normalizeTimes } from './times.js';

const MiB = 1024 * 1024;
const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decoding errors a typed decoder reports as 400 (before validation). */
export function decodeCheck(def: ResourceDef, o: KObject): void {
  const cannot = (why: string) => badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: ${why}`);
  normalizeTimes(def, o);
  if (def.kind === 'Secret' && def.group === '') {
    for (const [k, v] of Object.entries((o['data'] ?? {}) as Record<string, unknown>)) {
      if (typeof v !== 'string') throw cannot(`json: cannot unmarshal ${typeof v} into Go struct field Secret.data of type []uint8`);
      if (!B64.test(v)) throw cannot(`illegal base64 data at input byte ${firstBad(v)}`);
      void k;
    }
    if (o['stringData'] !== undefined && !isMap(o['stringData'])) throw cannot('json: cannot unmarshal into Go struct field Secret.stringData of type map[string]string');
  }
  if (def.kind === 'ConfigMap') {
    for (const v of Object.values((o['data'] ?? {}) as Record<string, unknown>)) if (typeof v !== 'string') throw cannot(`json: cannot unmarshal ${typeof v} into Go struct field ConfigMap.data of type string`);
    for (const v of Object.values((o['binaryData'] ?? {}) as Record<string, unknown>)) if (typeof v !== 'string' || !B64.test(v)) throw cannot('illegal base64 data at input byte 0');
  }
}
function firstBad(v: string): number {
  for (let i = 0; i < v.length; i++) if (!/[A-Za-z0-9+/=]/.test(v[i]!)) return i;
  return Math.max(0, v.length - (v.length % 4));
}

let ipCounter = 10;
/** Fills server-side defaults (Secret type, Service clusterIP and ports, Deployment knobs, Namespace phase). */
export function applyBuiltinDefaults(def: ResourceDef, o: KObject, create: boolean): void {
  if (def.group === '' && def.kind === 'Secret') {
    const sd = o['stringData'];
    if (isMap(sd)) {
      const data = { ...((o['data'] as Record<string, string> | undefined) ?? {}) };
      for (const [k, v] of Object.entries(sd)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
      o['data'] = data;
    }
    delete o['stringData'];
    if (!o['type']) o['type'] = 'Opaque';
  }
  if (def.kind === 'Namespace') {
    o.metadata.labels = { ...(o.metadata.labels ?? {}), 'kubernetes.io/metadata.name': o.metadata.name! };
    if (create) { o['spec'] = { finalizers: ['kubernetes'] }; o['status'] = { phase: 'Active' }; }
  }
  if (def.kind === 'Service' && def.group === '') {
    const spec = (o['spec'] ??= {}) as Record<string, unknown>;
    spec['type'] ??= 'ClusterIP';
    spec['sessionAffinity'] ??= 'None';
    if (spec['type'] !== 'ExternalName') {
      if (create && !spec['clusterIP']) { spec['clusterIP'] = `10.96.${Math.floor(ipCounter / 250)}.${(ipCounter++ % 250) + 1}`; }
      spec['clusterIPs'] ??= [spec['clusterIP']];
      spec['ipFamilies'] ??= ['IPv4'];
      spec['ipFamilyPolicy'] ??= 'SingleStack';
      spec['internalTrafficPolicy'] ??= 'Cluster';
    }
    for (const p of (spec['ports'] as Array<Record<string, unknown>> | undefined) ?? []) { p['protocol'] ??= 'TCP'; p['targetPort'] ??= p['port']; }
    if (create) o['status'] = { loadBalancer: {} };
  }
  if (def.kind === 'Deployment') {
    const spec = (o['spec'] ??= {}) as Record<string, unknown>;
    spec['replicas'] ??= 1;
    spec['revisionHistoryLimit'] ??= 10;
    spec['progressDeadlineSeconds'] ??= 600;
    spec['strategy'] ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } };
  }
  if (def.kind === 'ServiceAccount' || def.kind === 'Role' || def.kind === 'ClusterRole') { /* no defaults */ }
}

export function validateBuiltin(def: ResourceDef, o: KObject, old: KObject | undefined): FieldError[] {
  const errs: FieldError[] = [];
  if (def.group === '' && def.kind === 'Secret') {
    const data = (o['data'] ?? {}) as Record<string, string>;
    let size = 0;
    for (const [k, v] of Object.entries(data)) { errs.push(...validateConfigKey(k, `data[${k}]`)); size += Buffer.from(v, 'base64').length; }
    if (size > MiB) errs.push({ type: 'FieldValueTooLong', field: 'data', detail: `may not be more than ${MiB} bytes` });
    const type = o['type'] as string;
    if (type === 'kubernetes.io/tls') for (const k of ['tls.crt', 'tls.key']) if (data[k] === undefined) errs.push(fieldErr.required(`data[${k}]`));
    if (type === 'kubernetes.io/dockerconfigjson') {
      const v = data['.dockerconfigjson'];
      if (v === undefined) errs.push(fieldErr.required('data[.dockerconfigjson]'));
      else { try { JSON.parse(Buffer.from(v, 'base64').toString('utf8')); } catch (e) { errs.push(fieldErr.invalid('data[.dockerconfigjson]', '<secret contents redacted>', (e as Error).message)); } }
    }
    if (type === 'kubernetes.io/dockercfg' && data['.dockercfg'] === undefined) errs.push(fieldErr.required('data[.dockercfg]'));
    if (type === 'kubernetes.io/basic-auth' && data['username'] === undefined && data['password'] === undefined) errs.push(fieldErr.required('data[username]'));
    if (type === 'kubernetes.io/ssh-auth' && data['ssh-privatekey'] === undefined) errs.push(fieldErr.required('data[ssh-privatekey]'));
    if (type === 'kubernetes.io/service-account-token' && !o.metadata.annotations?.['kubernetes.io/service-account.name']) errs.push(fieldErr.required('metadata.annotations[kubernetes.io/service-account.name]'));
    if (old) {
      if (old['type'] !== o['type']) errs.push(fieldErr.invalid('type', o['type'], 'field is immutable'));
      if (old['immutable'] === true) {
        if (JSON.stringify(old['data'] ?? {}) !== JSON.stringify(o['data'] ?? {})) errs.push(fieldErr.forbidden('data', 'field is immutable when `immutable` is set'));
        if (o['immutable'] !== true) errs.push(fieldErr.forbidden('immutable', 'field is immutable when `immutable` is set'));
      }
    }
  }
  if (def.kind === 'ConfigMap') {
    const data = (o['data'] ?? {}) as Record<string, string>;
    const bin = (o['binaryData'] ?? {}) as Record<string, string>;
    let size = 0;
    for (const [k, v] of Object.entries(data)) { errs.push(...validateConfigKey(k, `data[${k}]`)); size += k.length + v.length; }
    for (const [k, v] of Object.entries(bin)) {
      errs.push(...validateConfigKey(k, `binaryData[${k}]`));
      if (data[k] !== undefined) errs.push(fieldErr.invalid(`binaryData[${k}]`, k, 'duplicate of key present in data'));
      size += k.length + Buffer.from(v, 'base64').length;
    }
    if (size > MiB) errs.push({ type: 'FieldValueTooLong', field: '', detail: `may not be more than ${MiB} bytes` });
    if (old?.['immutable'] === true) {
      if (JSON.stringify(old['data'] ?? {}) !== JSON.stringify(o['data'] ?? {})) errs.push(fieldErr.forbidden('data', 'field is immutable when `immutable` is set'));
      if (JSON.stringify(old['binaryData'] ?? {}) !== JSON.stringify(o['binaryData'] ?? {})) errs.push(fieldErr.forbidden('binaryData', 'field is immutable when `immutable` is set'));
      if (o['immutable'] !== true) errs.push(fieldErr.forbidden('immutable', 'field is immutable when `immutable` is set'));
    }
  }
  if (def.group === 'events.k8s.io') {
    if (!o['eventTime']) errs.push(fieldErr.required('eventTime'));
    if (!o['reportingController']) errs.push(fieldErr.required('reportingController'));
    if (!o['reportingInstance']) errs.push(fieldErr.required('reportingInstance'));
    if (o['type'] !== 'Normal' && o['type'] !== 'Warning') errs.push(fieldErr.notSupported('type', o['type'] ?? '', ['Normal', 'Warning']));
    if (!o['action']) errs.push(fieldErr.required('action'));
    if (!o['reason']) errs.push(fieldErr.required('reason'));
  }
  if (def.kind === 'Event' && def.group === '') {
    if (!isMap(o['involvedObject'])) errs.push(fieldErr.required('involvedObject'));
    if (o['type'] !== undefined && o['type'] !== 'Normal' && o['type'] !== 'Warning') errs.push(fieldErr.notSupported('type', o['type'], ['Normal', 'Warning']));
  }
  if (def.kind === 'Lease') {
    const spec = (o['spec'] ?? {}) as Record<string, unknown>;
    const d = spec['leaseDurationSeconds'];
    if (d !== undefined && (typeof d !== 'number' || d <= 0)) errs.push(fieldErr.invalid('spec.leaseDurationSeconds', d, 'must be greater than 0'));
    const t = spec['leaseTransitions'];
    if (t !== undefined && (typeof t !== 'number' || t < 0)) errs.push(fieldErr.invalid('spec.leaseTransitions', t, 'must be greater than or equal to 0'));
  }
  if (def.kind === 'Deployment') {
    const spec = (o['spec'] ?? {}) as Record<string, unknown>;
    const sel = spec['selector'] as Record<string, unknown> | undefined;
    const labels = ((spec['template'] as Record<string, unknown> | undefined)?.['metadata'] as { labels?: Record<string, string> } | undefined)?.labels;
    if (!sel) errs.push(fieldErr.required('spec.selector'));
    else if (!matchLabelSelectorObject(sel, labels)) errs.push(fieldErr.invalid('spec.template.metadata.labels', labels ?? {}, '`selector` does not match template `labels`'));
    if (old && JSON.stringify(old['spec'] && (old['spec'] as Record<string, unknown>)['selector']) !== JSON.stringify(sel)) errs.push(fieldErr.invalid('spec.selector', sel, 'field is immutable'));
  }
  if (def.kind === 'Role' || def.kind === 'ClusterRole') {
    ((o['rules'] ?? []) as Array<Record<string, unknown>>).forEach((r, i) => {
      if (!Array.isArray(r['verbs']) || !r['verbs'].length) errs.push(fieldErr.required(`rules[${i}].verbs`, 'verbs must contain at least one value'));
      if (!r['nonResourceURLs'] && !Array.isArray(r['apiGroups'])) errs.push(fieldErr.required(`rules[${i}].apiGroups`, 'resource rules must supply at least one api group'));
    });
  }
  if (def.kind === 'RoleBinding' || def.kind === 'ClusterRoleBinding') {
    const ref = o['roleRef'] as Record<string, unknown> | undefined;
    if (!ref?.['name']) errs.push(fieldErr.required('roleRef.name'));
    if (ref && !['Role', 'ClusterRole'].includes(String(ref['kind']))) errs.push(fieldErr.notSupported('roleRef.kind', ref['kind'], def.kind === 'RoleBinding' ? ['Role', 'ClusterRole'] : ['ClusterRole']));
    if (old && JSON.stringify(old['roleRef']) !== JSON.stringify(ref)) errs.push(fieldErr.invalid('roleRef', ref, 'cannot change roleRef'));
  }
  if (def.kind === 'Service' && def.group === '') {
    const spec = (o['spec'] ?? {}) as Record<string, unknown>;
    if (spec['type'] !== 'ExternalName' && spec['clusterIP'] !== 'None' && !((spec['ports'] as unknown[] | undefined)?.length)) errs.push(fieldErr.required('spec.ports'));
  }
  return errs;
}

export const nameStyle = (def: ResourceDef): 'subdomain' | 'label' | 'path' =>
  def.kind === 'Namespace' || (def.kind === 'Service' && def.group === '') ? 'label' : def.group === 'rbac.authorization.k8s.io' ? 'path' : 'subdomain';
