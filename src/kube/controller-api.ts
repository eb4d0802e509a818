// The controller's HTTP API (Bitnami's /v1/cert.pem, /v1/verify, /v1/rotate, and Cloak's read-only /v1/keys),
// called through the service proxy. Each function turns the controller's answer into data or one
// clear error; bodies the controller sends are never echoed beyond a bounded first line.
import { setTimeout as sleep } from 'node:timers/promises';
import { clusterError, cryptoError, inputError } from '../errors.js';
import { oneLine } from './api-errors.js';
import type { KubeResponse } from './request.js';
import { controllerRequest, type ControllerEndpoint, type ProxyRequest } from './service-proxy.js';

export interface ControllerKey {
  name: string;
  fingerprint: string;
  created: string;
  notAfter?: string;
  active: boolean;
  newest: boolean;
  /** How many SealedSecrets in the cluster currently decrypt with this key. */
  sealedSecrets: number;
  /** The legacy key Secret (named exactly the key prefix), which relabelling cannot retire. */
  legacy?: boolean;
  /** The `cloak keys rotate` request id this key was made for. */
  rotateRequest?: string;
}

export type SealedSecretJson = Record<string, unknown> & { metadata?: { name?: string; namespace?: string } };

const subjectOf = (ep: ControllerEndpoint) => `controller ${ep.namespace}/${ep.name}`;

export async function fetchCertPem(ep: ControllerEndpoint): Promise<string> {
  const res = await send(ep, { method: 'GET', path: '/v1/cert.pem', accept: 'application/x-pem-file, */*' });
  if (res.status !== 200) throw unexpected(ep, res, 'fetch the certificate');
  const pem = res.body.toString('utf8');
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw clusterError('BadCertificate', '/v1/cert.pem did not answer with a PEM certificate', {
      subject: subjectOf(ep),
      hint: 'check --controller-name: the Service may belong to another program',
    });
  }
  return pem;
}

/** True if the controller can decrypt every item (200), false if it cannot (409). */
export async function verifySealedSecret(ep: ControllerEndpoint, ss: SealedSecretJson): Promise<boolean> {
  const res = await send(ep, { method: 'POST', path: '/v1/verify', body: JSON.stringify(ss) });
  if (res.status === 200) return true;
  if (res.status === 409) return false;
  throw unexpected(ep, res, `verify SealedSecret ${refOf(ss)}`);
}

/** Re-seals with the controller's newest key; returns the controller's SealedSecret JSON. */
export async function rotateSealedSecret(ep: ControllerEndpoint, ss: SealedSecretJson): Promise<SealedSecretJson> {
  const res = await send(ep, { method: 'POST', path: '/v1/rotate', body: JSON.stringify(ss) });
  if (res.status === 200) {
    try {
      const out = JSON.parse(res.body.toString('utf8')) as SealedSecretJson;
      if (out && typeof out === 'object' && !Array.isArray(out)) return out;
    } catch {
      // fall through to the error below
    }
    throw clusterError('BadControllerAnswer', '/v1/rotate answered 200 without a SealedSecret', { subject: subjectOf(ep) });
  }
  // Bitnami answers 500 when it cannot decrypt, Cloak 409.
  if (res.status === 409 || res.status === 500) {
    throw cryptoError('CannotDecrypt', `the controller cannot decrypt SealedSecret ${refOf(ss)}${bodyLine(res)}`, {
      subject: subjectOf(ep),
      hint: 'it was sealed for another cluster, name, namespace or scope, or with a key the controller no longer has',
    });
  }
  throw unexpected(ep, res, `re-encrypt SealedSecret ${refOf(ss)}`);
}

/** Where a controller error is about, for messages. */
export const controllerSubject = subjectOf;

export async function listControllerKeys(ep: ControllerEndpoint): Promise<ControllerKey[]> {
  const res = await send(ep, { method: 'GET', path: '/v1/keys' });
  if (res.status !== 200) throw unexpected(ep, res, 'list keys');
  const body = parseJson(ep, res) as { keys?: ControllerKey[] };
  if (!Array.isArray(body.keys)) throw clusterError('BadControllerAnswer', '/v1/keys answered without a keys list', { subject: subjectOf(ep) });
  return body.keys;
}

/**
 * Sends one request. The controller rate-limits verify/rotate (Bitnami: 2/s), so bulk commands meet
 * 429s: each is retried after Retry-After plus jitter, up to 30 times, before giving up.
 */
async function send(ep: ControllerEndpoint, req: ProxyRequest): Promise<KubeResponse> {
  for (let attempt = 0; ; attempt++) {
    const res = await controllerRequest(ep, req);
    if (res.status !== 429 || attempt >= 30) return res;
    const after = Number(res.headers['retry-after']);
    const base = Math.min(Number.isFinite(after) && after > 0 ? after * 1000 : 1000, 5000);
    await sleep(base + Math.floor(Math.random() * 250));
  }
}

function unexpected(ep: ControllerEndpoint, res: KubeResponse, what: string) {
  if (res.status === 404) {
    return clusterError('NotSupported', `cannot ${what}: the controller answered 404`, {
      subject: subjectOf(ep),
      hint: 'this needs a Cloak controller; Bitnami\'s sealed-secrets-controller serves only cert, verify and rotate',
    });
  }
  if (res.status === 400) {
    // The controller refused the object itself (its shape), not the cluster: bad input, exit 2.
    return inputError('RefusedByController', `cannot ${what}: the controller refused it${bodyLine(res)}`, { subject: subjectOf(ep), hint: 'fix the SealedSecret, or re-seal it with `cloak seal`' });
  }
  if (res.status === 429) {
    return clusterError('RateLimited', `cannot ${what}: the controller is rate limiting requests`, { subject: subjectOf(ep), hint: 'retry in a few seconds' });
  }
  return clusterError('ControllerError', `cannot ${what}: the controller answered ${res.status}${bodyLine(res)}`, { subject: subjectOf(ep) });
}

function bodyLine(res: KubeResponse): string {
  const json = safeJson(res) as { message?: unknown } | undefined;
  const text = typeof json?.message === 'string' ? json.message : json ? '' : res.body.toString('utf8');
  const line = oneLine(text, 200);
  return line ? ` (${line})` : '';
}

function safeJson(res: KubeResponse): unknown {
  try {
    return JSON.parse(res.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function parseJson(ep: ControllerEndpoint, res: KubeResponse): unknown {
  const v = safeJson(res);
  if (v === undefined || v === null || typeof v !== 'object') {
    throw clusterError('BadControllerAnswer', `the controller answered ${res.status} without JSON`, { subject: subjectOf(ep) });
  }
  return v;
}

export function refOf(ss: SealedSecretJson): string {
  const m = ss.metadata ?? {};
  return m.namespace ? `${m.namespace}/${m.name ?? '?'}` : String(m.name ?? '?');
}
