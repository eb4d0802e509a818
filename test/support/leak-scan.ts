// Secret-leak scanning for end-to-end tests: plant unique marker values, collect everything the run
// produced that is not a Secret (controller logs, Events, status messages, metrics, CLI stderr, the
// test API server's record of status and event writes), and fail if any marker appears in any form
// (as is, base64, base64url, hex, JSON-escaped or URL-encoded).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { KubeClient } from '../../controller/kube/index.js';
import type { RecordedRequest } from './kube/index.js';

export interface Finding { source: string; marker: string; form: string }

export class LeakScanner {
  private readonly markers: string[] = [];
  private readonly texts: Array<{ source: string; text: string }> = [];

  /** A fresh marker value to plant as a secret (letters and digits only, so it survives any encoding). */
  plant(label = 'v'): string {
    const m = `leak${label.replace(/[^a-z0-9]/gi, '')}${randomBytes(8).toString('hex')}`;
    this.markers.push(m);
    return m;
  }

  get planted(): readonly string[] { return this.markers; }

  /** Adds produced text under a name that says where it came from. */
  add(source: string, text: string | Buffer | undefined): void {
    if (text === undefined) return;
    this.texts.push({ source, text: Buffer.isBuffer(text) ? text.toString('latin1') : text });
  }

  get collected(): number { return this.texts.length; }

  /** Events, and the status of every object of the given kinds, in these namespaces. */
  async addCluster(client: KubeClient, namespaces: string[], resources: string[]): Promise<void> {
    for (const ns of namespaces) {
      const events = await client.request<unknown>('GET', `/api/v1/namespaces/${ns}/events`);
      this.add(`events ${ns}`, JSON.stringify(events));
      for (const r of resources) {
        const list = await client.request<{ items?: Array<{ metadata?: { name?: string }; status?: unknown }> }>('GET', r.replace('{ns}', ns));
        const items = list.items ?? [];
        for (const it of items) this.add(`status ${r.replace('{ns}', ns)}/${it.metadata?.name}`, JSON.stringify(it.status ?? {}));
      }
    }
  }

  /** Every status and Event write the API server saw (not only the final state). */
  addRecordedWrites(requests: readonly RecordedRequest[]): void {
    for (const q of requests) {
      if (q.method === 'GET') continue;
      // A refused Secret write carries its values legitimately; refused writes of anything else may not.
      if (/\/events(\/|$)|\/status$/.test(q.path) || ((q.status ?? 0) >= 400 && !/\/secrets(\/|$)/.test(q.path))) this.add(`api ${q.method} ${q.path} (${q.status ?? '?'})`, q.body);
    }
  }

  findings(): Finding[] {
    const out: Finding[] = [];
    for (const marker of this.markers) {
      const all: Array<[string, string]> = [
        ['plain', marker],
        ['base64', Buffer.from(marker).toString('base64').replace(/=+$/, '')],
        ['base64url', Buffer.from(marker).toString('base64url')],
        ['hex', Buffer.from(marker).toString('hex')],
      ];
      const forms = all.filter(([, needle], i) => all.findIndex(([, n]) => n === needle) === i);
      for (const { source, text } of this.texts) {
        const hay = `${text}\n${safeDecode(text)}`;
        for (const [form, needle] of forms) if (hay.includes(needle)) out.push({ source, marker, form });
      }
    }
    return out;
  }

  /** Fails naming each source and form in which a marker appeared. */
  assertClean(): void {
    assert.ok(this.markers.length > 0, 'no markers were planted');
    assert.ok(this.texts.length > 0, 'nothing was collected to scan');
    const f = this.findings();
    assert.deepEqual(f, [], `planted secret values leaked:\n${f.map((x) => `  ${x.form} in ${x.source}`).join('\n')}`);
  }
}

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { return ''; }
}
