// Retiring a key: relabel its Secret(s) from `active` to `retired`, so no controller loads it again and
// the Secret stays for backups. Refused while SealedSecrets still unseal with it, unless forced, and
// always for the newest key (rotate first).
import { KEY_LABEL } from '../../src/sealed/index.js';
import type { KubeClient } from '../kube/index.js';
import type { KeyRegistry } from './registry.js';

export type RetireOutcome = { ok: true; names: string[] } | { ok: false; status: 404 | 409; message: string; sealedSecrets: number };

export async function retireKey(o: {
  client: KubeClient; namespace: string; registry: KeyRegistry; prefix: string;
  fingerprint: string; force: boolean; inUse: number;
}): Promise<RetireOutcome> {
  const names = o.registry.namesOf(o.fingerprint);
  if (names.length === 0) return { ok: false, status: 404, message: `no active key with fingerprint ${o.fingerprint}`, sealedSecrets: 0 };
  if (o.registry.newest()?.fingerprint === o.fingerprint) {
    return { ok: false, status: 409, message: 'this is the newest key, which seals new secrets; rotate first (cloak keys rotate), re-encrypt, then retire it', sealedSecrets: o.inUse };
  }
  if (o.inUse > 0 && !o.force) {
    return { ok: false, status: 409, message: `${o.inUse} SealedSecret(s) still unseal with this key; re-encrypt them (cloak reencrypt) or pass --force`, sealedSecrets: o.inUse };
  }
  if (names.includes(o.prefix)) {
    return { ok: false, status: 409, message: `the legacy key Secret "${o.prefix}" is not label-selected; delete it by hand after taking a backup`, sealedSecrets: o.inUse };
  }
  for (const name of names) {
    await o.client.request('PATCH', `/api/v1/namespaces/${o.namespace}/secrets/${name}`, {
      body: { metadata: { labels: { [KEY_LABEL]: 'retired' } } },
      contentType: 'application/merge-patch+json',
    });
    o.registry.remove(name);
  }
  return { ok: true, names };
}
