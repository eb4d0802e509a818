// An in-process implementation of the controller HTTP API contract (CONTRACTS.md) over the real
// sealing library, for CLI tests that must not depend on the controller process: cert, verify,
// rotate, keys list (key changes go through key Secrets and need the real controller). Keys are RSA-2048 to keep tests fast.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { encodeBase64, generateSealingKey, hybridEncrypt, type SealingKey } from '../../../src/crypto/index.js';
import {
  ANNOTATION_SEALING_KEY, encryptionLabel, scopeFromAnnotations, unsealItems, type SealedSecretObject,
} from '../../../src/sealed/index.js';

export interface StubKey { key: SealingKey; name: string; created: Date }

export interface StubController {
  handler: RequestListener;
  keys: StubKey[];
  /** Every request the controller received: method and path. */
  requests: Array<{ method: string; path: string }>;
  newest(): StubKey;
  addKey(): Promise<StubKey>;
}

/**
 * @param sealedSecrets what "in the cluster" means for key usage counts
 * @param throttle answer this many verify/rotate requests with 429 + Retry-After: 1 first (the rate limit)
 */
export async function startStubController(o: { sealedSecrets?: () => SealedSecretObject[]; throttle?: number } = {}): Promise<StubController> {
  let throttle = o.throttle ?? 0;
  const keys: StubKey[] = [];
  const requests: StubController['requests'] = [];
  let serial = 0;
  const addKey = async () => {
    const key = await generateSealingKey({ bits: 2048 });
    const k = { key, name: `sealed-secrets-key${String(++serial).padStart(5, 'x')}`, created: new Date(Date.UTC(2026, 0, 1, 0, serial)) };
    keys.push(k);
    return k;
  };
  await addKey();
  const newest = () => keys[keys.length - 1]!;
  const decryptKeys = () => keys.map((k) => ({ privateKey: k.key.privateKey, fingerprint: k.key.fingerprint }));
  const usage = async (fp: string) => {
    let n = 0;
    for (const ss of o.sealedSecrets?.() ?? []) {
      const r = await unsealItems(ss, decryptKeys()).catch(() => undefined);
      if (r && Object.values(r.keyByItem).includes(fp)) n++;
    }
    return n;
  };

  const handler: RequestListener = (req, res) => {
    void route(req, res).catch((e: unknown) => send(res, 500, 'text/plain', String(e)));
  };
  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push({ method: req.method ?? '', path });
    const body = await readBody(req);
    if (path === '/healthz' || path === '/readyz') return send(res, 200, 'text/plain', 'ok\n');
    if ((path === '/v1/verify' || path === '/v1/rotate') && throttle > 0) {
      throttle--;
      res.setHeader('Retry-After', '1');
      return send(res, 429, 'text/plain', 'limit exceeded\n');
    }
    if (path === '/v1/cert.pem') return send(res, 200, 'application/x-pem-file', newest().key.certPem);
    if (path === '/v1/verify' && req.method === 'POST') {
      const ok = await unsealItems(JSON.parse(body) as SealedSecretObject, decryptKeys()).then(() => true, () => false);
      return send(res, ok ? 200 : 409, 'text/plain', '');
    }
    if (path === '/v1/rotate' && req.method === 'POST') {
      const ss = JSON.parse(body) as SealedSecretObject;
      let data: Record<string, Buffer>;
      try {
        data = (await unsealItems(ss, decryptKeys())).data;
      } catch {
        return send(res, 409, 'text/plain', 'no key could decrypt secret');
      }
      const meta = ss.metadata;
      const label = encryptionLabel(meta.namespace ?? '', meta.name ?? '', scopeFromAnnotations(meta.annotations));
      const n = newest().key;
      const encryptedData: Record<string, string> = {};
      for (const [k, v] of Object.entries(data)) encryptedData[k] = encodeBase64(hybridEncrypt(n.publicKey, v, label));
      const annotations = { ...(meta.annotations ?? {}), [ANNOTATION_SEALING_KEY]: n.fingerprint };
      return send(res, 200, 'application/json', JSON.stringify({ ...ss, metadata: { ...meta, annotations }, spec: { ...ss.spec, encryptedData } }));
    }
    if (path === '/v1/keys' && req.method === 'GET') {
      const list = [];
      for (const k of keys) {
        list.push({
          name: k.name, fingerprint: k.key.fingerprint, created: k.created.toISOString(), notAfter: k.key.notAfter.toISOString(),
          active: true, newest: k === newest(), sealedSecrets: await usage(k.key.fingerprint),
        });
      }
      return send(res, 200, 'application/json', JSON.stringify({ keys: list }));
    }
    return send(res, 404, 'text/plain', '404 page not found\n');
  }
  return { handler, keys, requests, newest, addKey };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type });
  res.end(body);
}
