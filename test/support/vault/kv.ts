// KV secrets engine, version 1 (flat) and version 2 (versioned: data/, metadata/, delete/,
// undelete/, destroy/, config), with real Vault's status codes and bodies.
import type { KvEntry, KvStore, KvVersion, Mount } from './state.js';
import { type Ctx, type Reply, envelope, noContent, notFound, badRequest, unsupportedOperation } from './reply.js';
import { copyExact, formatDuration, isPlainObject, parseDuration, rfc3339Nano } from './util.js';

const V1_DEFAULT_LEASE = 2764800;
const INVALID_V2_PATH = "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv get' for this operation.";

export function kvExists(mount: Mount, rest: string): boolean {
  const kv = mount.kv!;
  if (kv.version === 1) return kv.v1.has(rest);
  const m = /^(data|metadata)\/(.*)$/.exec(rest);
  return m ? kv.v2.has(m[2]!) : true;
}

export function handleKv(ctx: Ctx, mount: Mount, rest: string): Reply {
  const kv = mount.kv!;
  return kv.version === 1 ? kv1(ctx, kv, rest) : kv2(ctx, kv, rest);
}

function listKeys(all: Iterable<string>, prefix: string): string[] {
  const p = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  const out = new Set<string>();
  for (const k of all) {
    if (!k.startsWith(p)) continue;
    const tail = k.slice(p.length);
    const i = tail.indexOf('/');
    out.add(i < 0 ? tail : tail.slice(0, i + 1));
  }
  return [...out].filter((k) => k !== '').sort();
}

function kv1(ctx: Ctx, kv: KvStore, rest: string): Reply {
  switch (ctx.method) {
    case 'LIST': {
      const keys = listKeys(kv.v1.keys(), rest);
      return keys.length === 0 ? notFound() : envelope({ data: { keys }, mountType: 'kv' });
    }
    case 'GET': {
      const d = kv.v1.get(rest);
      if (!d) return notFound();
      let lease = V1_DEFAULT_LEASE;
      const ttl = d.ttl ?? d.lease;
      if (ttl !== undefined) { try { lease = parseDuration(ttl); } catch { /* keep default */ } }
      return envelope({ data: d, leaseDuration: lease, mountType: 'kv' });
    }
    case 'POST': {
      if (rest === '' || rest.endsWith('/')) return badRequest('missing path');
      if (Object.keys(ctx.body).length === 0) return badRequest('missing data fields');
      kv.v1.set(rest, copyExact(ctx.bodyExact));
      return noContent();
    }
    case 'DELETE':
      kv.v1.delete(rest);
      return noContent();
    default:
      return unsupportedOperation();
  }
}

function versionMeta(v: KvVersion, _now: number): Record<string, unknown> {
  return { created_time: rfc3339Nano(v.createdMs), deletion_time: v.deletionMs ? rfc3339Nano(v.deletionMs) : '', destroyed: v.destroyed };
}

function isDeleted(v: KvVersion, now: number): boolean {
  return v.deletionMs !== 0 && v.deletionMs <= now;
}

function entryFor(kv: KvStore, path: string, now: number): KvEntry {
  let e = kv.v2.get(path);
  if (!e) {
    e = { versions: new Map(), current: 0, oldest: 0, maxVersions: 0, casRequired: false, deleteVersionAfter: 0, customMetadata: null, createdMs: now, updatedMs: now };
    kv.v2.set(path, e);
  }
  return e;
}

function metadataData(e: KvEntry, now: number): Record<string, unknown> {
  const versions: Record<string, unknown> = {};
  for (const [n, v] of [...e.versions.entries()].sort((a, b) => a[0] - b[0])) versions[String(n)] = versionMeta(v, now);
  return {
    cas_required: e.casRequired,
    created_time: rfc3339Nano(e.createdMs),
    current_version: e.current,
    custom_metadata: e.customMetadata,
    delete_version_after: formatDuration(e.deleteVersionAfter),
    max_versions: e.maxVersions,
    oldest_version: e.oldest,
    updated_time: rfc3339Nano(e.updatedMs),
    versions,
  };
}

function versionList(body: Record<string, unknown>): number[] | undefined {
  const v = body.versions;
  const list = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : typeof v === 'number' ? [v] : [];
  const nums = list.map((x) => Number(x)).filter((n) => Number.isInteger(n) && n > 0);
  return nums.length > 0 ? nums : undefined;
}

function validateCustomMetadata(cm: unknown): string | undefined {
  if (!isPlainObject(cm)) return 'custom_metadata must be a map of strings';
  const entries = Object.entries(cm);
  if (entries.length > 64) return `payload must contain at most 64 keys, provided: ${entries.length}`;
  for (const [k, v] of entries) {
    if (typeof v !== 'string') return 'custom_metadata must be a map of strings';
    if (k.length > 128) return `length of key "${k}" is ${k.length} but exceeds the limit of 128`;
    if (v.length > 512) return `length of value for key "${k}" is ${v.length} but exceeds the limit of 512`;
  }
  return undefined;
}

function kv2(ctx: Ctx, kv: KvStore, rest: string): Reply {
  const now = ctx.state.now();
  const m = /^(data|metadata|delete|undelete|destroy|subkeys)\/(.*)$/.exec(rest);
  if (rest === 'config') return kvConfig(ctx, kv);
  if (!m) return envelope({ status: 404, warnings: [INVALID_V2_PATH], mountType: 'kv' });
  const [, kind, path] = m as unknown as [string, string, string];
  const maxVersions = (e: KvEntry) => e.maxVersions || kv.config.maxVersions || 10;

  if (kind === 'data') {
    switch (ctx.method) {
      case 'GET': {
        const e = kv.v2.get(path);
        if (!e || e.current === 0) return notFound();
        const want = Number(ctx.query.get('version') ?? 0) || e.current;
        const v = e.versions.get(want);
        if (!v) return notFound();
        if (v.destroyed || isDeleted(v, now)) return envelope({ status: 404, data: { data: null, metadata: { ...versionMeta(v, now), custom_metadata: e.customMetadata, version: want } }, mountType: 'kv' });
        return envelope({ data: { data: v.data, metadata: { ...versionMeta(v, now), custom_metadata: e.customMetadata, version: want } }, mountType: 'kv' });
      }
      case 'POST':
      case 'PATCH': {
        const data = ctx.body.data;
        if (!isPlainObject(data)) return badRequest('no data provided');
        const options = isPlainObject(ctx.body.options) ? ctx.body.options : {};
        const existing = kv.v2.get(path);
        if (ctx.method === 'PATCH') {
          const cur = existing?.versions.get(existing.current);
          if (!existing || !cur || cur.destroyed || isDeleted(cur, now)) return notFound();
        }
        const casRequired = kv.config.casRequired || (existing?.casRequired ?? false);
        if (options.cas === undefined && casRequired) return badRequest('check-and-set parameter required for this call');
        if (options.cas !== undefined && Number(options.cas) !== (existing?.current ?? 0)) return badRequest('check-and-set parameter did not match the current version');
        const e = entryFor(kv, path, now);
        // Stored as written (numbers keep their text, as Vault's json.Number does); PATCH merges plain values.
        let payload: Record<string, unknown> = isPlainObject(ctx.bodyExact.data) ? ctx.bodyExact.data : data;
        if (ctx.method === 'PATCH') payload = mergePatch(e.versions.get(e.current)!.data ?? {}, data);
        const n = e.current + 1;
        const dva = e.deleteVersionAfter || kv.config.deleteVersionAfter;
        e.versions.set(n, { createdMs: now, deletionMs: dva > 0 ? now + dva * 1000 : 0, destroyed: false, data: copyExact(payload) });
        e.current = n;
        e.updatedMs = now;
        if (e.oldest === 0) e.oldest = 1;
        while (e.versions.size > maxVersions(e)) {
          const oldest = Math.min(...e.versions.keys());
          e.versions.delete(oldest);
          e.oldest = Math.min(...e.versions.keys());
        }
        return envelope({ data: { ...versionMeta(e.versions.get(n)!, now), custom_metadata: e.customMetadata, version: n }, mountType: 'kv' });
      }
      case 'DELETE': {
        const e = kv.v2.get(path);
        const v = e?.versions.get(e.current);
        if (v && !isDeleted(v, now) && !v.destroyed) v.deletionMs = now;
        return noContent();
      }
      default:
        return unsupportedOperation();
    }
  }

  if (kind === 'metadata') {
    switch (ctx.method) {
      case 'LIST': {
        const keys = listKeys(kv.v2.keys(), path);
        return keys.length === 0 ? notFound() : envelope({ data: { keys }, mountType: 'kv' });
      }
      case 'GET': {
        const e = kv.v2.get(path);
        return e ? envelope({ data: metadataData(e, now), mountType: 'kv' }) : notFound();
      }
      case 'POST':
      case 'PATCH': {
        const b = ctx.body;
        if (b.custom_metadata !== undefined) {
          const err = validateCustomMetadata(b.custom_metadata);
          if (err) return badRequest(err);
        }
        let dva: number | undefined;
        try { dva = b.delete_version_after === undefined ? undefined : parseDuration(b.delete_version_after, 'delete_version_after'); } catch (e) { return badRequest((e as Error).message); }
        if (ctx.method === 'PATCH' && !kv.v2.has(path)) return notFound();
        const e = entryFor(kv, path, now);
        if (b.max_versions !== undefined) e.maxVersions = Number(b.max_versions);
        if (b.cas_required !== undefined) e.casRequired = b.cas_required === true || b.cas_required === 'true';
        if (dva !== undefined) e.deleteVersionAfter = dva;
        if (b.custom_metadata !== undefined) {
          const cm = b.custom_metadata as Record<string, string>;
          e.customMetadata = ctx.method === 'PATCH' ? Object.fromEntries(Object.entries({ ...(e.customMetadata ?? {}), ...cm }).filter(([, v]) => v !== null)) : { ...cm };
        }
        e.updatedMs = now;
        return noContent();
      }
      case 'DELETE':
        kv.v2.delete(path);
        return noContent();
      default:
        return unsupportedOperation();
    }
  }

  if (kind === 'subkeys') return unsupportedOperation();
  if (ctx.method !== 'POST') return unsupportedOperation();
  const versions = versionList(ctx.body);
  if (!versions) return badRequest('no version number provided');
  const e = kv.v2.get(path);
  if (!e) return noContent();
  for (const n of versions) {
    const v = e.versions.get(n);
    if (!v) continue;
    if (kind === 'delete') { if (!v.destroyed && !isDeleted(v, now)) v.deletionMs = now; }
    else if (kind === 'undelete') { if (!v.destroyed) v.deletionMs = 0; }
    else { v.destroyed = true; v.data = null; }
  }
  return noContent();
}

function kvConfig(ctx: Ctx, kv: KvStore): Reply {
  if (ctx.method === 'GET') {
    return envelope({ data: { cas_required: kv.config.casRequired, delete_version_after: formatDuration(kv.config.deleteVersionAfter), max_versions: kv.config.maxVersions }, mountType: 'kv' });
  }
  if (ctx.method !== 'POST') return unsupportedOperation();
  const b = ctx.body;
  if (b.max_versions !== undefined) kv.config.maxVersions = Number(b.max_versions);
  if (b.cas_required !== undefined) kv.config.casRequired = b.cas_required === true;
  if (b.delete_version_after !== undefined) {
    try { kv.config.deleteVersionAfter = parseDuration(b.delete_version_after); } catch (e) { return badRequest((e as Error).message); }
  }
  return noContent();
}

function mergePatch(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (isPlainObject(v) && isPlainObject(out[k])) out[k] = mergePatch(out[k] as Record<string, unknown>, v);
    else out[k] = v;
  }
  return out;
}

