// Secrets Manager operations over awsJson 1.1: request members in, response members out, with
// timestamps as epoch seconds, blobs as base64, and absent members omitted (never null).
import { AwsError, invalidParameter, validation } from './errors.js';
import { checkFilters, matchesFilters, type Filter } from './filters.js';
import type { SecretStore, SecretValueInput, StoredSecret, StoredVersion, Tag } from './store.js';

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;

const seconds = (ms: number) => ms / 1000;

function str(input: Input, member: string, required: true): string;
function str(input: Input, member: string, required?: false): string | undefined;
function str(input: Input, member: string, required = false): string | undefined {
  const v = input[member];
  if (v === undefined || v === null) {
    if (required) throw validation(member.charAt(0).toLowerCase() + member.slice(1));
    return undefined;
  }
  if (typeof v !== 'string') throw new AwsError('SerializationException', `Start of structure or map found where not expected (${member}).`);
  return v;
}

function tagsOf(input: Input): Tag[] | undefined {
  const t = input.Tags;
  if (t === undefined) return undefined;
  if (!Array.isArray(t) || t.some((x) => typeof x?.Key !== 'string' || typeof x?.Value !== 'string')) {
    throw invalidParameter('Tags must be a list of {Key, Value} strings.');
  }
  return t.map((x: Tag) => ({ Key: x.Key, Value: x.Value }));
}

function valueOf(input: Input): SecretValueInput {
  const string = str(input, 'SecretString');
  const b64 = input.SecretBinary;
  if (string !== undefined && b64 !== undefined) {
    throw invalidParameter('You can\'t specify both a binary secret value and a string secret value in the same secret.');
  }
  const value: SecretValueInput = {};
  if (string !== undefined) value.string = string;
  if (b64 !== undefined) {
    if (typeof b64 !== 'string') throw new AwsError('SerializationException', 'SecretBinary must be a base64 string.');
    value.binary = Buffer.from(b64, 'base64');
  }
  const token = str(input, 'ClientRequestToken');
  if (token !== undefined) {
    if (token.length < 32 || token.length > 64) throw validation('clientRequestToken', 'Member must have length between 32 and 64');
    value.versionId = token;
  }
  if (input.VersionStages !== undefined) value.stages = input.VersionStages as string[];
  return value;
}

function versionsToStages(s: StoredSecret): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const v of s.versions) if (v.stages.length > 0) out[v.id] = [...v.stages];
  return out;
}

function valueOut(s: StoredSecret, v: StoredVersion): Output {
  const out: Output = { ARN: s.arn, Name: s.name, VersionId: v.id };
  if (v.binary !== undefined) out.SecretBinary = v.binary.toString('base64');
  if (v.string !== undefined) out.SecretString = v.string;
  out.VersionStages = [...v.stages];
  out.CreatedDate = seconds(v.created);
  return out;
}

function describeOut(s: StoredSecret, versionsKey: 'VersionIdsToStages' | 'SecretVersionsToStages'): Output {
  const out: Output = { ARN: s.arn, Name: s.name };
  if (s.description !== undefined) out.Description = s.description;
  if (s.kmsKeyId !== undefined) out.KmsKeyId = s.kmsKeyId;
  out.LastChangedDate = seconds(s.lastChanged);
  if (s.lastAccessed !== undefined) out.LastAccessedDate = seconds(s.lastAccessed);
  if (s.deletedAt !== undefined) out.DeletedDate = seconds(s.deletedAt);
  out.Tags = s.tags.map((t) => ({ ...t }));
  out[versionsKey] = versionsToStages(s);
  out.CreatedDate = seconds(s.created);
  return out;
}

const TOKEN_PREFIX = 'cloak-aws-page:';

function page<T>(items: T[], input: Input, max: number, def: number): { items: T[]; NextToken?: string } {
  const m = input.MaxResults;
  if (m !== undefined && (typeof m !== 'number' || !Number.isInteger(m) || m < 1 || m > max)) {
    throw validation('maxResults', `Member must have value between 1 and ${max}`);
  }
  let start = 0;
  const token = input.NextToken;
  if (token !== undefined) {
    const text = typeof token === 'string' ? Buffer.from(token, 'base64').toString('utf8') : '';
    start = text.startsWith(TOKEN_PREFIX) ? Number(text.slice(TOKEN_PREFIX.length)) : Number.NaN;
    if (!Number.isInteger(start) || start < 0) throw new AwsError('InvalidNextTokenException', 'The NextToken value is invalid.');
  }
  const size = (m as number | undefined) ?? def;
  const slice = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(`${TOKEN_PREFIX}${start + size}`).toString('base64') : undefined;
  return next === undefined ? { items: slice } : { items: slice, NextToken: next };
}

function listed(store: SecretStore, filters: Filter[], includeDeleted: boolean): StoredSecret[] {
  return store.all().filter((s) => (includeDeleted || s.deletionDate === undefined) && matchesFilters(s, filters));
}

export type Operation = (store: SecretStore, input: Input) => Output;

export const operations: Record<string, Operation> = {
  GetSecretValue(store, input) {
    const s = store.get(str(input, 'SecretId', true));
    const v = store.version(s, str(input, 'VersionId'), str(input, 'VersionStage'));
    store.touch(s);
    return valueOut(s, v);
  },

  BatchGetSecretValue(store, input) {
    const ids = input.SecretIdList;
    if ((ids === undefined) === (input.Filters === undefined)) {
      throw invalidParameter('Either SecretIdList or Filters must be specified, but not both.');
    }
    if (ids !== undefined) {
      if (!Array.isArray(ids) || ids.length < 1 || ids.length > 20) throw validation('secretIdList', 'Member must have length between 1 and 20');
      if (input.MaxResults !== undefined) throw invalidParameter('MaxResults can only be used with Filters.');
      const SecretValues: Output[] = [];
      const Errors: Output[] = [];
      for (const id of ids as string[]) {
        try {
          const s = store.get(id);
          const v = store.version(s);
          store.touch(s);
          SecretValues.push(valueOut(s, v));
        } catch (e) {
          if (!(e instanceof AwsError)) throw e;
          Errors.push({ SecretId: id, ErrorCode: e.type, Message: e.message });
        }
      }
      return { SecretValues, Errors };
    }
    const filters = checkFilters(input.Filters);
    const matched = listed(store, filters, false).filter((s) => s.versions.some((v) => v.stages.includes('AWSCURRENT')));
    const { items, NextToken } = page(matched, input, 20, 20);
    const SecretValues = items.map((s) => {
      store.touch(s);
      return valueOut(s, store.version(s));
    });
    return NextToken === undefined ? { SecretValues, Errors: [] } : { SecretValues, NextToken, Errors: [] };
  },

  ListSecrets(store, input) {
    const filters = checkFilters(input.Filters);
    let all = listed(store, filters, input.IncludePlannedDeletion === true);
    const order = input.SortOrder;
    if (order !== undefined && order !== 'asc' && order !== 'desc') throw validation('sortOrder', 'Member must satisfy enum value set: [asc, desc]');
    if (order === 'desc') all = [...all].reverse();
    const { items, NextToken } = page(all, input, 100, 100);
    const SecretList = items.map((s) => describeOut(s, 'SecretVersionsToStages'));
    return NextToken === undefined ? { SecretList } : { SecretList, NextToken };
  },

  DescribeSecret(store, input) {
    return describeOut(store.get(str(input, 'SecretId', true), { allowDeleted: true }), 'VersionIdsToStages');
  },

  CreateSecret(store, input) {
    const name = str(input, 'Name', true);
    if (name.length < 1 || name.length > 512) throw validation('name', 'Member must have length between 1 and 512');
    const description = str(input, 'Description');
    const kmsKeyId = str(input, 'KmsKeyId');
    const tags = tagsOf(input);
    const { secret, version } = store.create(name, {
      value: valueOf(input),
      ...(description !== undefined ? { description } : {}),
      ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
      ...(tags ? { tags } : {}),
    });
    return version ? { ARN: secret.arn, Name: secret.name, VersionId: version.id } : { ARN: secret.arn, Name: secret.name };
  },

  PutSecretValue(store, input) {
    const s = store.get(str(input, 'SecretId', true));
    const value = valueOf(input);
    if (value.string === undefined && value.binary === undefined) {
      throw invalidParameter('You must provide either SecretString or SecretBinary.');
    }
    const v = store.put(s, value);
    return { ARN: s.arn, Name: s.name, VersionId: v.id, VersionStages: [...v.stages] };
  },

  UpdateSecret(store, input) {
    const s = store.get(str(input, 'SecretId', true));
    const description = str(input, 'Description');
    const kmsKeyId = str(input, 'KmsKeyId');
    store.update(s, { ...(description !== undefined ? { description } : {}), ...(kmsKeyId !== undefined ? { kmsKeyId } : {}) });
    const value = valueOf(input);
    if (value.string === undefined && value.binary === undefined) return { ARN: s.arn, Name: s.name };
    delete value.stages;
    const v = store.put(s, value);
    return { ARN: s.arn, Name: s.name, VersionId: v.id };
  },

  UpdateSecretVersionStage(store, input) {
    const s = store.get(str(input, 'SecretId', true));
    store.updateStage(s, str(input, 'VersionStage', true), str(input, 'RemoveFromVersionId'), str(input, 'MoveToVersionId'));
    return { ARN: s.arn, Name: s.name };
  },

  ListSecretVersionIds(store, input) {
    const s = store.get(str(input, 'SecretId', true));
    const all = s.versions.filter((v) => input.IncludeDeprecated === true || v.stages.length > 0);
    const { items, NextToken } = page(all, input, 100, 100);
    const Versions = items.map((v) => ({ VersionId: v.id, VersionStages: [...v.stages], CreatedDate: seconds(v.created) }));
    return NextToken === undefined ? { Versions, ARN: s.arn, Name: s.name } : { Versions, NextToken, ARN: s.arn, Name: s.name };
  },

  TagResource(store, input) {
    const tags = tagsOf(input);
    if (!tags) throw validation('tags');
    store.tag(store.get(str(input, 'SecretId', true)), tags);
    return {};
  },

  UntagResource(store, input) {
    const keys = input.TagKeys;
    if (!Array.isArray(keys)) throw validation('tagKeys');
    store.untag(store.get(str(input, 'SecretId', true)), keys as string[]);
    return {};
  },

  DeleteSecret(store, input) {
    const s = store.get(str(input, 'SecretId', true), { allowDeleted: true });
    const days = input.RecoveryWindowInDays as number | undefined;
    const when = store.delete(s, { force: input.ForceDeleteWithoutRecovery === true, ...(days !== undefined ? { recoveryWindowInDays: days } : {}) });
    return { ARN: s.arn, Name: s.name, DeletionDate: seconds(when) };
  },

  RestoreSecret(store, input) {
    const s = store.get(str(input, 'SecretId', true), { allowDeleted: true });
    store.restore(s);
    return { ARN: s.arn, Name: s.name };
  },
};
