// limit/continue paging: every page of one list comes from the snapshot the first page was cut from,
// and the list resourceVersion stays that of the snapshot. Old or unknown tokens answer 410 Expired.
import { randomBytes } from 'node:crypto';
import { badRequest, expired } from '../status.js';

interface Snapshot { items: unknown[]; rv: string }
const MAX_SNAPSHOTS = 200;
const EXPIRED = 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.';

export class Pager {
  private readonly snapshots = new Map<string, Snapshot>();

  /** Cuts one page; returns the page items plus the continue token and remaining count (if more). */
  page(items: unknown[], rv: string, limit: number): { items: unknown[]; continue?: string; remainingItemCount?: number } {
    if (!(limit > 0) || items.length <= limit) return { items };
    const id = randomBytes(9).toString('base64url');
    const rest = items.slice(limit);
    this.snapshots.set(id, { items: rest, rv });
    while (this.snapshots.size > MAX_SNAPSHOTS) this.snapshots.delete(this.snapshots.keys().next().value!);
    return { items: items.slice(0, limit), continue: Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, id })).toString('base64url'), remainingItemCount: rest.length };
  }

  /** The snapshot a continue token points to; 410 once it is gone or compacted away. */
  resume(token: string, oldestRv: number): Snapshot {
    let t: { rv?: string; id?: string };
    try { t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { rv?: string; id?: string }; } catch { throw badRequest('continue key is not valid: illegal base64 data'); }
    if (!t.id || !t.rv) throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
    const s = this.snapshots.get(t.id);
    if (!s || Number(t.rv) < oldestRv) throw expired(EXPIRED);
    this.snapshots.delete(t.id);
    return s;
  }
}
