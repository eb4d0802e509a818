// `cloak keys rotate` and `cloak keys retire`, done through the Kubernetes API with the caller's own
// credentials, so RBAC on Secrets in the controller namespace decides who may change keys. (The
// controller's HTTP API is reachable by anyone allowed to use the service proxy, and the proxy hides
// who is calling, so it only ever reads keys.) The controller's /v1/keys says which keys exist and how
// many SealedSecrets still need each; it is also how we see the controller act on the change.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ANNOTATION_ROTATE_REQUEST, KEY_LABEL } from '../sealed/index.js';
import { clusterError, cryptoError } from '../errors.js';
import { apiError } from './api-errors.js';
import { controllerSubject, listControllerKeys, type ControllerKey } from './controller-api.js';
import { kubeRequest } from './request.js';
import type { ControllerEndpoint } from './service-proxy.js';

export interface WaitOptions {
  /** How long to wait for the controller to act (default 120 s: a 4096-bit key takes seconds to make). */
  timeoutMs?: number;
  pollMs?: number;
}

/** Asks the leader for a new key by annotating the newest key Secret; resolves with the new key once the controller serves it. */
export async function rotateControllerKey(ep: ControllerEndpoint, o: WaitOptions = {}): Promise<ControllerKey> {
  const keys = await listControllerKeys(ep);
  const anchor = keys.find((k) => k.newest && !k.legacy) ?? keys.find((k) => !k.legacy);
  if (!anchor) {
    throw cryptoError('NoKeySecret', 'the controller has no label-selected key Secret to attach the rotation request to', {
      subject: controllerSubject(ep),
      hint: 'wait for the controller to make its first key, or send it SIGUSR1',
    });
  }
  const id = randomUUID();
  await patchKeySecret(ep, anchor.name, { metadata: { annotations: { [ANNOTATION_ROTATE_REQUEST]: id } } }, 'ask for a new key');
  return waitFor(ep, o, 'make the new key', (list) => list.find((k) => k.rotateRequest === id));
}

/**
 * Relabels the key's Secret(s) from `active` to `retired` (kept for backups), after the same checks
 * the controller's owners would make: never the newest key, never while SealedSecrets still need it
 * unless forced. Resolves once the controller no longer lists the key.
 */
export async function retireControllerKey(ep: ControllerEndpoint, o: WaitOptions & { fingerprint: string; force: boolean }): Promise<{ names: string[]; sealedSecrets: number }> {
  const keys = (await listControllerKeys(ep)).filter((k) => k.fingerprint === o.fingerprint);
  const subject = controllerSubject(ep);
  if (keys.length === 0) {
    throw cryptoError('UnknownKey', `the controller has no key with fingerprint ${o.fingerprint}`, { subject, hint: 'list the keys with `cloak keys list`' });
  }
  const refuse = (why: string, hint?: string) =>
    cryptoError('KeyNotRetirable', `cannot retire key ${o.fingerprint}: ${why}`, { subject, ...(hint ? { hint } : {}) });
  if (keys.some((k) => k.newest)) throw refuse('this is the newest key, which seals new secrets; rotate first (cloak keys rotate), re-encrypt, then retire it');
  const inUse = Math.max(...keys.map((k) => k.sealedSecrets));
  if (inUse > 0 && !o.force) throw refuse(`${inUse} SealedSecret(s) still unseal with this key; re-encrypt them (cloak reencrypt) or pass --force`);
  const legacy = keys.find((k) => k.legacy);
  if (legacy) throw refuse(`the legacy key Secret "${legacy.name}" is not label-selected; delete it by hand after taking a backup (cloak keys backup)`);
  for (const k of keys) await patchKeySecret(ep, k.name, { metadata: { labels: { [KEY_LABEL]: 'retired' } } }, 'retire the key');
  await waitFor(ep, o, 'stop using the key', (list) => (list.some((k) => k.fingerprint === o.fingerprint) ? undefined : true));
  return { names: keys.map((k) => k.name), sealedSecrets: inUse };
}

async function patchKeySecret(ep: ControllerEndpoint, name: string, patch: unknown, what: string): Promise<void> {
  const path = `/api/v1/namespaces/${encodeURIComponent(ep.namespace)}/secrets/${encodeURIComponent(name)}`;
  const res = await kubeRequest(ep.target, { method: 'PATCH', path, body: JSON.stringify(patch), contentType: 'application/merge-patch+json' });
  if (res.status === 200) return;
  const e = apiError(res, { subject: `key Secret ${ep.namespace}/${name}`, verb: 'patch', resource: 'secrets', namespace: ep.namespace });
  if (res.status === 403) {
    throw clusterError(e.code, `cannot ${what}: ${e.message}`, {
      ...(e.subject ? { subject: e.subject } : {}),
      hint: `changing keys needs patch on secrets in namespace ${ep.namespace}; \`kubectl auth can-i patch secrets -n ${ep.namespace}\` must say yes`,
    });
  }
  throw e;
}

async function waitFor<T>(ep: ControllerEndpoint, o: WaitOptions, what: string, done: (keys: ControllerKey[]) => T | undefined): Promise<T> {
  const timeoutMs = o.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = done(await listControllerKeys(ep));
    if (v !== undefined) return v;
    if (Date.now() >= deadline) {
      throw clusterError('ControllerTimeout', `the request is recorded, but the controller did not ${what} within ${Math.round(timeoutMs / 1000)} s`, {
        subject: controllerSubject(ep),
        hint: 'check that the controller is running and one replica leads (its logs say why); it acts on the request when it can',
      });
    }
    await sleep(o.pollMs ?? 250);
  }
}
