// ESO's fake provider: an in-memory store from the SecretStore spec, for demos and engine tests.
// Lookups are exact on key+version; `property` goes through gjson and a miss is SecretNotFound.
import { providerError } from '../../errors.js';
import { secretNotFound } from '../shared/errors.js';
import { compileGoRegexp, goMatch } from '../shared/go-regexp.js';
import { explodeRawJson } from '../shared/json-map.js';
import { convertKeys } from '../shared/keys.js';
import { getJsonPath } from '../shared/property.js';
import type {
  ConnectContext, FindRef, ProviderClient, ProviderFactory, RemoteRef, SecretMap, ValidationResult,
} from '../types.js';

export interface FakeSpec {
  data?: Array<{ key: string; value: string; version?: string }>;
  /** 0 Ready, 1 Unknown, 2 Error. */
  validationResult?: number;
}

interface Entry { key: string; value: string; version: string }

const utf8 = new TextEncoder();
const results: ValidationResult[] = ['Ready', 'Unknown', 'Error'];

class FakeClient implements ProviderClient {
  readonly #byKey = new Map<string, Entry>();
  readonly #store: string;
  readonly #validation: ValidationResult;

  constructor(spec: FakeSpec, ctx: ConnectContext) {
    for (const d of spec.data ?? []) {
      const version = d.version ?? '';
      // ESO keys its map by key+version concatenated; the version is checked again on read
      this.#byKey.set(d.key + version, { key: d.key, value: d.value, version });
    }
    this.#store = `${ctx.store.kind} ${JSON.stringify(ctx.store.name)}`;
    this.#validation = results[spec.validationResult ?? 0] ?? 'Error';
  }

  #entry(ref: RemoteRef): Entry {
    const version = ref.version ?? '';
    const e = this.#byKey.get(ref.key + version);
    if (!e || e.version !== version) {
      throw secretNotFound(`fake ${this.#store} key ${JSON.stringify(ref.key)}${version ? ` version ${JSON.stringify(version)}` : ''}`);
    }
    return e;
  }

  async getSecret(ref: RemoteRef): Promise<Uint8Array> {
    const e = this.#entry(ref);
    if (!ref.property) return utf8.encode(e.value);
    const v = getJsonPath(e.value, ref.property);
    if (v === undefined) {
      throw secretNotFound(`fake ${this.#store} key ${JSON.stringify(ref.key)} property ${JSON.stringify(ref.property)}`);
    }
    return utf8.encode(v);
  }

  async getSecretMap(ref: RemoteRef): Promise<SecretMap> {
    const value = new TextDecoder().decode(await this.getSecret(ref));
    return explodeRawJson(value, `fake ${this.#store} key ${JSON.stringify(ref.key)}`);
  }

  async getAllSecrets(ref: FindRef): Promise<SecretMap> {
    if (!ref.name) {
      throw providerError('UnsupportedFind', 'the fake provider supports only find.name', {
        subject: `fake ${this.#store}`, hint: 'remove find.tags/find.path',
      });
    }
    const re = compileGoRegexp(ref.name.regexp, 'find.name.regexp');
    const latest = new Map<string, Entry>();
    for (const e of this.#byKey.values()) {
      if (!goMatch(re, e.key)) continue;
      const seen = latest.get(e.key);
      // highest version by plain string comparison, as ESO does
      if (!seen || seen.version < e.version) latest.set(e.key, e);
    }
    const out: SecretMap = Object.create(null);
    for (const [k, e] of latest) out[k] = utf8.encode(e.value);
    return convertKeys(out, ref.conversionStrategy, `fake ${this.#store} find`);
  }

  async validate(): Promise<ValidationResult> {
    return this.#validation;
  }

  async close(): Promise<void> {}
}

export const fakeProvider = {
  name: 'fake',
  validateStore(spec: FakeSpec): string[] {
    const problems: string[] = [];
    if (spec.data !== undefined && !Array.isArray(spec.data)) return ['spec.provider.fake.data must be a list'];
    (spec.data ?? []).forEach((d, i) => {
      if (!d || typeof d.key !== 'string' || d.key === '') problems.push(`spec.provider.fake.data[${i}].key must be set`);
      if (!d || typeof d.value !== 'string' || d.value === '') problems.push(`spec.provider.fake.data[${i}].value must be set`);
    });
    const r = spec.validationResult;
    if (r !== undefined && r !== 0 && r !== 1 && r !== 2) {
      problems.push('spec.provider.fake.validationResult must be 0 (Ready), 1 (Unknown) or 2 (Error)');
    }
    return problems;
  },
  async connect(spec: FakeSpec, ctx: ConnectContext): Promise<ProviderClient> {
    return new FakeClient(spec, ctx);
  },
} satisfies ProviderFactory<FakeSpec>;
