// Worker thread of offline `cloak reencrypt`: reads one file, re-seals every SealedSecret in it with
// the keys it was given once (KeyObjects are cloned by postMessage), and writes it back atomically.
// The whole file's work (YAML, RSA, write) happens here, so the main thread only hands out paths.
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import type { KeyObject } from 'node:crypto';
import { isCloakError } from '../../../src/errors.js';
import type { SealedSecretJson } from '../../../src/kube/index.js';
import { writeFileAtomic } from '../../../src/manifests/atomic-write.js';
import { resealOffline, TEMPLATED, type NewCertificate } from '../../../src/sealed/reseal-offline.js';
import type { DecryptKey, SealedSecretObject } from '../../../src/sealed/index.js';
import { reencryptText } from './reencrypt-text.js';

export type OfflineRequest =
  | { type: 'init'; keys: Array<{ fingerprint: string; privateKey: KeyObject }>; cert: { fingerprint: string; publicKey: KeyObject } }
  | { type: 'file'; id: number; path: string; display: string; dryRun: boolean };

export interface ErrorInfo { family: string; code: string; message: string; subject?: string; hint?: string }

export type OfflineReply =
  | { id: number; ok: true; sealedSecrets: number; items: number; skipped: number; changed: boolean; template?: boolean }
  | { id: number; ok: false; error: ErrorInfo };

let keys: DecryptKey[] = [];
let cert: NewCertificate | undefined;

parentPort?.on('message', (m: OfflineRequest) => {
  if (m.type === 'init') {
    keys = m.keys;
    cert = m.cert;
    return;
  }
  void handle(m).then((r) => parentPort?.postMessage(r));
});

async function handle(m: Extract<OfflineRequest, { type: 'file' }>): Promise<OfflineReply> {
  let text: string;
  try {
    text = await readFile(m.path, 'utf8');
  } catch (e) {
    return { id: m.id, ok: false, error: { family: 'input', code: 'FileUnreadable', message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, subject: m.display } };
  }
  if (!text.includes('SealedSecret')) return { id: m.id, ok: true, sealedSecrets: 0, items: 0, skipped: 1, changed: false };
  const templated = text.includes('{{');
  try {
    const r = await reencryptText(text, m.display, async (ss, where) => resealOffline(ss as unknown as SealedSecretObject, where, keys, cert!) as unknown as SealedSecretJson);
    const changed = r.text !== text;
    if (changed && !m.dryRun) await writeFileAtomic(m.path, r.text);
    return { id: m.id, ok: true, sealedSecrets: r.sealedSecrets, items: r.items, skipped: r.skipped, changed };
  } catch (e) {
    if (templated && isCloakError(e) && (e.code === TEMPLATED || e.code === 'MalformedYAML' || e.code === 'MalformedJSON')) {
      return { id: m.id, ok: true, sealedSecrets: 0, items: 0, skipped: 0, changed: false, template: true };
    }
    if (isCloakError(e)) {
      return { id: m.id, ok: false, error: { family: e.family, code: e.code, message: e.message, ...(e.subject ? { subject: e.subject } : {}), ...(e.hint ? { hint: e.hint } : {}) } };
    }
    const code = (e as NodeJS.ErrnoException).code;
    const msg = code ? `cannot write the file: ${code}` : e instanceof Error ? e.message.split('\n')[0]! : String(e);
    return { id: m.id, ok: false, error: { family: 'input', code: 'Failed', message: msg, subject: m.display, hint: 'check the file and its folder are writable and the disk has space' } };
  }
}
