// `dataFrom.find` for Secrets Manager. By name without a path: ListSecrets (paginated) and a
// regexp match on the name; with a path: BatchGetSecretValue filtered by the name prefix. By
// tags: ListSecrets with tag-key/tag-value filters, then an exact check of every key=value PAIR
// (AWS filters keys and values independently, and ESO does not re-check, so {env: dev, app: web}
// would also match env=web, app=dev there). Values are fetched 20 at a time with
// BatchGetSecretValue. With `prefix`, only secrets under it are considered, the path and the
// regexp apply to the name after the prefix, and result keys are those names.
import type { Filter, SecretValueEntry } from '@aws-sdk/client-secrets-manager';
import { inputError, providerError } from '../../errors.js';
import { compileGoRegexp, goMatch } from '../shared/go-regexp.js';
import type { FindRef, SecretMap } from '../types.js';
import { mapAwsError } from './errors.js';
import type { ReadContext } from './read.js';

const BATCH = 20;
/** Characters AWS accepts in a ListSecrets filter value. */
const FILTER_VALUE = /^[a-zA-Z0-9 :_@/+=.-]*$/;

function matcher(ref: FindRef): ((name: string) => boolean) | undefined {
  if (!ref.name) return undefined;
  let re: RegExp;
  try {
    re = compileGoRegexp(ref.name.regexp, 'find.name.regexp');
  } catch (e) {
    throw inputError('InvalidFind', `find.name.regexp "${ref.name.regexp}" is not a valid regular expression: ${(e as Error).message}`);
  }
  return (name) => goMatch(re, name);
}

function setValue(out: SecretMap, key: string, v: SecretValueEntry): void {
  if (v.SecretBinary !== undefined) out[key] = v.SecretBinary;
  else if (v.SecretString !== undefined) out[key] = new Uint8Array(Buffer.from(v.SecretString, 'utf8'));
}

function under(ctx: ReadContext, name: string): string | undefined {
  return name.startsWith(ctx.prefix) ? name.slice(ctx.prefix.length) : undefined;
}

/** BatchGetSecretValue by id, 20 at a time; secrets gone in between (or without a current value) are skipped. */
async function fetchByIds(ctx: ReadContext, ids: Array<{ id: string; name: string }>, out: SecretMap): Promise<void> {
  for (let i = 0; i < ids.length; i += BATCH) {
    const chunk = ids.slice(i, i + BATCH);
    let res;
    try {
      res = await ctx.api.batchGetSecretValue({ SecretIdList: chunk.map((c) => c.id) });
    } catch (e) {
      throw mapAwsError(e, ctx.subject(chunk[0]!.name), 'BatchGetSecretValue');
    }
    for (const err of res.Errors ?? []) {
      if (err.ErrorCode === 'ResourceNotFoundException') continue;
      const name = chunk.find((c) => c.id === err.SecretId)?.name ?? err.SecretId ?? '';
      throw mapAwsError({ name: err.ErrorCode, message: err.Message }, ctx.subject(name), 'BatchGetSecretValue');
    }
    for (const v of res.SecretValues ?? []) {
      const key = v.Name === undefined ? undefined : under(ctx, v.Name);
      if (key !== undefined) setValue(out, key, v);
    }
  }
}

async function listMatching(ctx: ReadContext, filters: Filter[], keep: (name: string, tags: Record<string, string>) => boolean): Promise<Array<{ id: string; name: string }>> {
  const found: Array<{ id: string; name: string }> = [];
  let NextToken: string | undefined;
  do {
    let page;
    try {
      page = await ctx.api.listSecrets({ MaxResults: 100, ...(filters.length ? { Filters: filters } : {}), ...(NextToken ? { NextToken } : {}) });
    } catch (e) {
      throw mapAwsError(e, ctx.subject(ctx.prefix || '*'), 'ListSecrets');
    }
    for (const s of page.SecretList ?? []) {
      if (s.Name === undefined) continue;
      const rel = under(ctx, s.Name);
      if (rel === undefined) continue;
      const tags: Record<string, string> = {};
      for (const t of s.Tags ?? []) if (t.Key !== undefined) tags[t.Key] = t.Value ?? '';
      if (keep(rel, tags)) found.push({ id: s.ARN ?? s.Name, name: s.Name });
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return found;
}

async function batchByFilters(ctx: ReadContext, filters: Filter[], match: (name: string) => boolean, out: SecretMap): Promise<void> {
  let NextToken: string | undefined;
  do {
    let page;
    try {
      page = await ctx.api.batchGetSecretValue({ Filters: filters, MaxResults: BATCH, ...(NextToken ? { NextToken } : {}) });
    } catch (e) {
      throw mapAwsError(e, ctx.subject(ctx.prefix || '*'), 'BatchGetSecretValue');
    }
    for (const v of page.SecretValues ?? []) {
      const key = v.Name === undefined ? undefined : under(ctx, v.Name);
      if (key !== undefined && match(key)) setValue(out, key, v);
    }
    NextToken = page.NextToken;
  } while (NextToken);
}

export async function getAllSecrets(ctx: ReadContext, ref: FindRef): Promise<SecretMap> {
  const tags = Object.entries(ref.tags ?? {});
  const match = matcher(ref);
  if (!match && tags.length === 0) {
    throw inputError('InvalidFind', 'unexpected find operator', { hint: 'set find.name.regexp or find.tags' });
  }
  const namePrefix = ctx.prefix + (ref.path ?? '');
  const nameFilter: Filter[] = namePrefix && FILTER_VALUE.test(namePrefix) ? [{ Key: 'name', Values: [namePrefix] }] : [];
  const inPath = (rel: string) => ref.path === undefined || rel.startsWith(ref.path);
  const out: SecretMap = {};
  if (tags.length === 0 && ref.path !== undefined && nameFilter.length > 0) {
    await batchByFilters(ctx, nameFilter, (name) => inPath(name) && match!(name), out);
    return out;
  }
  // Narrow the listing server-side where AWS's filter syntax allows; the exact pair check below decides.
  const filterable = (v: string) => FILTER_VALUE.test(v) && !v.startsWith('!') && v.length <= 512;
  const tagFilters: Filter[] = tags.flatMap(([k, v]): Filter[] => [
    ...(filterable(k) ? [{ Key: 'tag-key' as const, Values: [k] }] : []),
    ...(filterable(v) && v !== '' ? [{ Key: 'tag-value' as const, Values: [v] }] : []),
  ]);
  if (tagFilters.length + nameFilter.length > 10) {
    throw providerError('InvalidFind', 'find.tags may name at most 4 tags with a path (5 without): AWS accepts 10 filters', { subject: ctx.subject(namePrefix || '*') });
  }
  const ids = await listMatching(ctx, [...tagFilters, ...nameFilter], (name, have) =>
    inPath(name) && tags.every(([k, v]) => have[k] === v) && (match === undefined || match(name)));
  await fetchByIds(ctx, ids, out);
  return out;
}
