// The Secrets Manager data model: secrets with versions, staging labels, tags and scheduled
// deletion, driven by an injectable clock. Operations throw AwsError exactly where AWS fails.
import { randomBytes, randomUUID } from 'node:crypto';
import { AwsError, markedForDeletion, notFound } from './errors.js';

export interface Tag {
  Key: string;
  Value: string;
}

export interface StoredVersion {
  id: string;
  string?: string;
  binary?: Buffer;
  created: number;
  stages: string[];
}

export interface StoredSecret {
  arn: string;
  name: string;
  description?: string;
  kmsKeyId?: string;
  primaryRegion?: string;
  tags: Tag[];
  created: number;
  lastChanged: number;
  lastAccessed?: number;
  /** When DeleteSecret was called, and when the secret disappears for good. */
  deletedAt?: number;
  deletionDate?: number;
  versions: StoredVersion[];
}

export interface SecretValueInput {
  string?: string;
  binary?: Buffer;
  versionId?: string;
  stages?: string[];
}

const ACCOUNT = '123456789012';
const MAX_UNLABELED_VERSIONS = 100;

export class SecretStore {
  private readonly secrets: StoredSecret[] = [];

  constructor(
    readonly region: string,
    private readonly now: () => number,
  ) {}

  arnPrefix(): string {
    return `arn:aws:secretsmanager:${this.region}:${ACCOUNT}:secret:`;
  }

  /** Secrets in creation order, with those whose recovery window has passed purged. */
  all(): StoredSecret[] {
    const t = this.now();
    for (let i = this.secrets.length - 1; i >= 0; i--) {
      const d = this.secrets[i]!.deletionDate;
      if (d !== undefined && d <= t) this.secrets.splice(i, 1);
    }
    return this.secrets;
  }

  /** By name, full ARN or partial ARN (without the 6-character suffix); deleted secrets included. */
  find(secretId: string): StoredSecret | undefined {
    const list = this.all();
    if (secretId.startsWith('arn:')) {
      return list.find((s) => s.arn === secretId) ?? list.find((s) => `${this.arnPrefix()}${s.name}` === secretId);
    }
    return list.find((s) => s.name === secretId);
  }

  get(secretId: string, o: { allowDeleted?: boolean } = {}): StoredSecret {
    const s = this.find(secretId);
    if (!s) throw notFound();
    if (s.deletionDate !== undefined && !o.allowDeleted) throw markedForDeletion();
    return s;
  }

  create(name: string, o: { description?: string; kmsKeyId?: string; tags?: Tag[]; value?: SecretValueInput }): { secret: StoredSecret; version?: StoredVersion } {
    const existing = this.find(name);
    if (existing) {
      if (existing.deletionDate !== undefined) {
        throw new AwsError('InvalidRequestException', "You can't create this secret because a secret with this name is already scheduled for deletion.");
      }
      const v = o.value?.versionId ? existing.versions.find((x) => x.id === o.value!.versionId) : undefined;
      if (v && sameValue(v, o.value!)) return { secret: existing, version: v };
      throw new AwsError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
    }
    const t = this.now();
    const suffix = randomBytes(6).toString('base64').replace(/[^A-Za-z0-9]/g, 'x').slice(0, 6);
    const secret: StoredSecret = {
      arn: `${this.arnPrefix()}${name}-${suffix}`,
      name,
      tags: [],
      created: t,
      lastChanged: t,
      versions: [],
      ...(o.description !== undefined ? { description: o.description } : {}),
      ...(o.kmsKeyId !== undefined ? { kmsKeyId: o.kmsKeyId } : {}),
    };
    if (o.tags) mergeTags(secret, o.tags);
    this.secrets.push(secret);
    const version = o.value && (o.value.string !== undefined || o.value.binary !== undefined) ? this.put(secret, o.value) : undefined;
    return version ? { secret, version } : { secret };
  }

  /** PutSecretValue: the new version takes its stages (AWSCURRENT by default) from the others; the old current becomes AWSPREVIOUS. */
  put(secret: StoredSecret, value: SecretValueInput): StoredVersion {
    const id = value.versionId ?? randomUUID();
    const existing = secret.versions.find((v) => v.id === id);
    if (existing) {
      if (sameValue(existing, value)) return existing;
      throw new AwsError('ResourceExistsException', "You can't modify an existing version, you can only create a new version.");
    }
    const stages = value.stages ?? ['AWSCURRENT'];
    const t = this.now();
    const version: StoredVersion = { id, created: t, stages: [] };
    if (value.string !== undefined) version.string = value.string;
    if (value.binary !== undefined) version.binary = value.binary;
    const oldCurrent = secret.versions.find((v) => v.stages.includes('AWSCURRENT'));
    for (const label of stages) this.moveStage(secret, label, version);
    secret.versions.push(version);
    if (stages.includes('AWSCURRENT') && oldCurrent && oldCurrent !== version) {
      this.moveStage(secret, 'AWSPREVIOUS', oldCurrent);
    }
    const unlabeled = secret.versions.filter((v) => v.stages.length === 0);
    for (const v of unlabeled.slice(0, Math.max(0, unlabeled.length - MAX_UNLABELED_VERSIONS))) {
      secret.versions.splice(secret.versions.indexOf(v), 1);
    }
    secret.lastChanged = t;
    return version;
  }

  /** UpdateSecretVersionStage: move (or remove) one label; moving AWSCURRENT makes the old holder AWSPREVIOUS. */
  updateStage(secret: StoredSecret, label: string, removeFrom?: string, moveTo?: string): void {
    const holder = secret.versions.find((v) => v.stages.includes(label));
    if (holder && moveTo !== undefined && holder.id !== moveTo && removeFrom !== holder.id) {
      throw new AwsError('InvalidParameterException',
        `The staging label ${label} is currently attached to version ${holder.id}, so you must explicitly reference that version in RemoveFromVersionId.`);
    }
    if (removeFrom !== undefined && holder?.id !== removeFrom) {
      throw new AwsError('InvalidParameterException', `The staging label ${label} is not attached to version ${removeFrom}.`);
    }
    const target = moveTo === undefined ? undefined : secret.versions.find((v) => v.id === moveTo);
    if (moveTo !== undefined && !target) throw notFound(`secret value for VersionId: ${moveTo}`);
    if (target) {
      this.moveStage(secret, label, target);
      if (label === 'AWSCURRENT' && holder && holder !== target) this.moveStage(secret, 'AWSPREVIOUS', holder);
    } else if (holder) {
      holder.stages = holder.stages.filter((x) => x !== label);
    }
    secret.lastChanged = this.now();
  }

  update(secret: StoredSecret, o: { description?: string; kmsKeyId?: string }): void {
    if (o.description !== undefined) secret.description = o.description;
    if (o.kmsKeyId !== undefined) secret.kmsKeyId = o.kmsKeyId;
    secret.lastChanged = this.now();
  }

  private moveStage(secret: StoredSecret, label: string, to: StoredVersion): void {
    for (const v of secret.versions) v.stages = v.stages.filter((s) => s !== label);
    if (!to.stages.includes(label)) to.stages.push(label);
  }

  /** The version GetSecretValue returns: by id and/or stage (default AWSCURRENT). */
  version(secret: StoredSecret, versionId?: string, stage?: string): StoredVersion {
    if (versionId !== undefined) {
      const v = secret.versions.find((x) => x.id === versionId);
      if (!v) throw notFound(`secret value for VersionId: ${versionId}`);
      if (stage !== undefined && !v.stages.includes(stage)) {
        throw new AwsError('InvalidParameterException', `The specified VersionId ${versionId} doesn't have the staging label ${stage}.`);
      }
      return v;
    }
    const label = stage ?? 'AWSCURRENT';
    const v = secret.versions.find((x) => x.stages.includes(label));
    if (!v) throw notFound(`secret value for staging label: ${label}`);
    return v;
  }

  touch(secret: StoredSecret): void {
    const d = new Date(this.now());
    secret.lastAccessed = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  }

  tag(secret: StoredSecret, tags: Tag[]): void {
    mergeTags(secret, tags);
    secret.lastChanged = this.now();
  }

  untag(secret: StoredSecret, keys: string[]): void {
    secret.tags = secret.tags.filter((t) => !keys.includes(t.Key));
    secret.lastChanged = this.now();
  }

  /** DeleteSecret: a recovery window (7–30 days, default 30), or at once when forced. */
  delete(secret: StoredSecret, o: { recoveryWindowInDays?: number; force?: boolean }): number {
    if (o.force && o.recoveryWindowInDays !== undefined) {
      throw new AwsError('InvalidParameterException', "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
    }
    const days = o.recoveryWindowInDays ?? 30;
    if (!o.force && (days < 7 || days > 30)) {
      throw new AwsError('InvalidParameterException', 'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
    }
    if (secret.deletionDate !== undefined && !o.force) throw markedForDeletion();
    const t = this.now();
    secret.deletedAt = t;
    secret.deletionDate = o.force ? t : t + days * 86_400_000;
    if (o.force) this.secrets.splice(this.secrets.indexOf(secret), 1);
    return secret.deletionDate;
  }

  restore(secret: StoredSecret): void {
    delete secret.deletedAt;
    delete secret.deletionDate;
    secret.lastChanged = this.now();
  }
}

function sameValue(v: StoredVersion, value: SecretValueInput): boolean {
  const sameBinary = v.binary === undefined ? value.binary === undefined : value.binary !== undefined && v.binary.equals(value.binary);
  return v.string === value.string && sameBinary;
}

function mergeTags(secret: StoredSecret, tags: Tag[]): void {
  for (const t of tags) {
    const i = secret.tags.findIndex((x) => x.Key === t.Key);
    if (i >= 0) secret.tags[i] = { Key: t.Key, Value: t.Value };
    else secret.tags.push({ Key: t.Key, Value: t.Value });
  }
  if (secret.tags.length > 50) throw new AwsError('LimitExceededException', 'Number of tags exceeds the limit of 50.');
}
