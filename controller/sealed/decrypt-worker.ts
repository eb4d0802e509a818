// Worker thread: RSA-OAEP + AES-GCM decryption off the main event loop. Keys arrive once per worker
// (KeyObjects are cloned by postMessage); requests name the key by fingerprint.
import { parentPort } from 'node:worker_threads';
import type { KeyObject } from 'node:crypto';
import { hybridDecrypt } from '../../src/crypto/index.js';
import { isCloakError } from '../../src/errors.js';

export type WorkerRequest =
  | { type: 'key'; fingerprint: string; privateKey: KeyObject }
  | { type: 'forget'; fingerprint: string }
  | { type: 'decrypt'; id: number; fingerprint: string; blob: Uint8Array; label: Uint8Array };

export type WorkerReply =
  | { id: number; ok: true; data: Uint8Array }
  | { id: number; ok: false; code: string; message: string };

const keys = new Map<string, KeyObject>();

parentPort?.on('message', (m: WorkerRequest) => {
  if (m.type === 'key') { keys.set(m.fingerprint, m.privateKey); return; }
  if (m.type === 'forget') { keys.delete(m.fingerprint); return; }
  const key = keys.get(m.fingerprint);
  let reply: WorkerReply;
  if (!key) {
    reply = { id: m.id, ok: false, code: 'UnknownKey', message: 'key not loaded in worker' };
  } else {
    try {
      const out = hybridDecrypt(key, m.blob, m.label);
      reply = { id: m.id, ok: true, data: out };
    } catch (e) {
      reply = { id: m.id, ok: false, code: isCloakError(e) ? e.code : 'DecryptFailed', message: 'no key could decrypt secret' };
    }
  }
  parentPort?.postMessage(reply);
});
