// The ExternalSecret engine: every dataFrom entry (in order), then every data entry, merged with
// later entries winning, exactly as ESO's GetProviderSecretData. Reads run concurrently (bounded
// per store by the limiter); results are merged in spec order, so the outcome is deterministic.
import { CloakError, inputError, isCloakError } from '../errors.js';
import type {
  ExternalSecretData, ExternalSecretDataFrom, ExternalSecretObject, StoreRef,
} from '../manifests/external-types.js';
import { checkNullBytes, decodeMap, decodeValue } from '../providers/shared/decoding.js';
import { isSecretNotFound } from '../providers/shared/errors.js';
import { convertKeys, validateKeys } from '../providers/shared/keys.js';
import type { SecretMap } from '../providers/types.js';
import { withStores, type EngineContext, type StoreHandle } from './connect.js';
import { goRender, type Render } from './render.js';
import { rewriteMap } from './rewrite.js';
import { resolveStore } from './store.js';

export interface ResolveOptions extends EngineContext {
  render?: Render;
}

export interface ResolveResult {
  data: SecretMap;
  /** Entries skipped because the remote secret does not exist (deletionPolicy Delete or Merge). */
  missing: string[];
}

const secretKeyPattern = /^[-._a-zA-Z0-9]+$/;

export function esLabel(es: ExternalSecretObject): string {
  return `ExternalSecret ${es.metadata.namespace ?? 'default'}/${es.metadata.name}`;
}

function describeRemote(ref: { key?: string; property?: string; version?: string } | undefined): string {
  if (!ref) return '';
  const parts = [`key ${JSON.stringify(ref.key ?? '')}`];
  if (ref.property) parts.push(`property ${JSON.stringify(ref.property)}`);
  if (ref.version) parts.push(`version ${JSON.stringify(ref.version)}`);
  return parts.join(', ');
}

/** Re-throws `e` as one line naming the ExternalSecret entry; family and code are kept. */
function entryError(e: unknown, es: ExternalSecretObject, entry: string): CloakError {
  const subject = `${esLabel(es)} ${entry}`;
  if (isCloakError(e)) {
    const msg = e.subject ? `${e.subject}: ${e.message}` : e.message;
    return new CloakError(e.family, e.code, msg, { subject, hint: e.hint, cause: e });
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new CloakError('provider', 'ProviderFailed', msg, { subject, cause: e });
}

export async function resolveExternalSecret(es: ExternalSecretObject, o: ResolveOptions): Promise<ResolveResult> {
  const spec = es.spec ?? {};
  const namespace = es.metadata.namespace ?? 'default';
  const render = o.render ?? goRender;
  const deletionPolicy = spec.target?.deletionPolicy ?? 'Retain';
  const dataFrom = spec.dataFrom ?? [];
  const data = spec.data ?? [];

  return withStores(o, async (open) => {
    const handleFor = async (ref: StoreRef | undefined): Promise<StoreHandle> => {
      if (!ref) {
        throw inputError('NoStore', 'no store to read from', { hint: 'set spec.secretStoreRef or sourceRef.storeRef' });
      }
      return open(await resolveStore(ref, namespace, o.sources), namespace);
    };
    const storeRefOf = (s: { sourceRef?: ExternalSecretDataFrom['sourceRef'] }) => s.sourceRef?.storeRef ?? spec.secretStoreRef;

    const fromTasks = dataFrom.map((df, i) => settle(async () => {
      const entry = `spec.dataFrom[${i}]`;
      if (df.sourceRef?.generatorRef) {
        throw inputError('UnsupportedGenerator', 'generators are not supported', { hint: 'remove sourceRef.generatorRef' });
      }
      if (!df.extract === !df.find) {
        throw inputError('InvalidDataFrom', 'needs exactly one of extract or find', { hint: `fix ${entry}` });
      }
      const store = await handleFor(storeRefOf(df));
      const raw = df.extract ? await store.getSecretMap(df.extract) : await store.getAllSecrets(df.find!);
      const strategies = (df.extract ?? df.find)!;
      let map = raw;
      if (df.rewrite?.length) map = await rewriteMap(df.rewrite, map, render, entry);
      else map = convertKeys(map, strategies.conversionStrategy, entry);
      map = validateKeys(map, entry);
      map = decodeMap(map, strategies.decodingStrategy, entry);
      for (const [k, v] of Object.entries(map)) checkNullBytes(v, strategies.nullBytePolicy, `${entry} key ${JSON.stringify(k)}`);
      return map;
    }));

    const dataTasks = data.map((d: ExternalSecretData, i) => settle(async () => {
      if (d.sourceRef?.generatorRef) {
        throw inputError('UnsupportedGenerator', 'generators in data[] are not supported', { hint: 'use dataFrom' });
      }
      if (typeof d.secretKey !== 'string' || !secretKeyPattern.test(d.secretKey) || d.secretKey.length > 253) {
        throw inputError('InvalidSecretKey', d.secretKey === undefined || d.secretKey === null ? 'secretKey is missing' : `secretKey ${JSON.stringify(d.secretKey)} is not a valid Secret key`, {
          hint: 'use letters, digits, "-", "." and "_"',
        });
      }
      if (!d.remoteRef || typeof d.remoteRef.key !== 'string') {
        throw inputError('InvalidData', 'remoteRef.key is required', { hint: 'set remoteRef.key' });
      }
      const store = await handleFor(storeRefOf(d));
      const value = decodeValue(await store.getSecret(d.remoteRef), d.remoteRef.decodingStrategy, `spec.data[${i}]`);
      checkNullBytes(value, d.remoteRef.nullBytePolicy, `spec.data[${i}]`);
      return value;
    }));

    const out: SecretMap = Object.create(null);
    const missing: string[] = [];
    const fromResults = await Promise.all(fromTasks);
    const dataResults = await Promise.all(dataTasks);
    fromResults.forEach((r, i) => {
      const df = dataFrom[i]!;
      const entry = `spec.dataFrom[${i}] (${df.extract ? `extract ${describeRemote(df.extract)}` : 'find'})`;
      if (!r.ok) {
        if (isSecretNotFound(r.error) && deletionPolicy !== 'Retain') { missing.push(entry); return; }
        throw entryError(r.error, es, entry);
      }
      Object.assign(out, r.value);
    });
    dataResults.forEach((r, i) => {
      const d = data[i]!;
      const entry = `spec.data[${i}] (secretKey ${d.secretKey === undefined ? 'missing' : JSON.stringify(d.secretKey)}, ${describeRemote(d.remoteRef)})`;
      if (!r.ok) {
        if (isSecretNotFound(r.error) && deletionPolicy !== 'Retain') { missing.push(entry); return; }
        throw entryError(r.error, es, entry);
      }
      out[d.secretKey] = r.value;
    });
    return { data: out, missing };
  });
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function settle<T>(fn: () => Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    return { ok: false, error };
  }
}
