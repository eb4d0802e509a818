// Where the AWS credentials come from (ESO's order): auth.secretRef static keys, auth.jwt web
// identity, else the default chain from the environment; then additionalRoles and role are
// assumed in turn. Every temporary credential is cached until shortly before it expires, on the
// injected clock, so STS is called once per expiry rather than once per read.
import type { STSClient } from '@aws-sdk/client-sts';
import { readFile } from 'node:fs/promises';
import { providerError } from '../../errors.js';
import type { ConnectContext } from '../types.js';
import { credentialError } from './errors.js';
import type { AwsProviderSpec } from './spec.js';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** An SDK credential provider; `memoized` tells the SDK we cache ourselves (on our clock). */
export type CredentialProvider = (() => Promise<AwsCredentials>) & { memoized?: boolean };

export const SESSION_NAME = 'cloak-provider-aws';
/** The engine may pass the ServiceAccount's IRSA annotation beside its token under this key. */
export const JWT_ROLE_ARN_KEY = 'auth.jwt.serviceAccountRef/eks.amazonaws.com/role-arn';
const REFRESH_MARGIN_MS = 5 * 60_000;

export interface CredentialDeps {
  /** Builds an STS client signing with the given credentials (none for web identity). */
  stsClient: (credentials?: CredentialProvider) => STSClient;
  sts: typeof import('@aws-sdk/client-sts');
  env: Record<string, string | undefined>;
  now: () => number;
  /** Counts STS calls, for metrics and tests. */
  onStsCall?: (operation: string) => void;
}

export interface CredentialChain {
  /** undefined: leave it to the SDK's own default chain (shared config, container, IMDS). */
  provider: CredentialProvider | undefined;
  /** Human description for messages, e.g. `auth.secretRef then role arn:…`. */
  source: string;
}

/** Caches the result until `expiration - margin` on `now`; concurrent callers share one refresh. */
export function cachedProvider(fetch: () => Promise<AwsCredentials>, now: () => number): CredentialProvider {
  let current: AwsCredentials | undefined;
  let pending: Promise<AwsCredentials> | undefined;
  const provider: CredentialProvider = async () => {
    if (current && (current.expiration === undefined || now() < current.expiration.getTime() - REFRESH_MARGIN_MS)) return current;
    pending ??= fetch().then(
      (c) => { current = c; pending = undefined; return c; },
      (e: unknown) => { pending = undefined; throw e; },
    );
    return pending;
  };
  provider.memoized = true;
  return provider;
}

function staticProvider(c: AwsCredentials): CredentialProvider {
  const provider: CredentialProvider = async () => c;
  provider.memoized = true;
  return provider;
}

const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString('utf8'));

function missing(key: string): never {
  throw providerError('ProviderCredentialsMissing', `the credential ${key} was not resolved`, {
    subject: `spec.provider.aws.${key}`, hint: 'check that the referenced Secret and key exist',
  });
}

function fromCredentials(out: { Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date } }, what: string): AwsCredentials {
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw providerError('ProviderAuthFailed', `STS ${what} returned no credentials`);
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}), ...(c.Expiration ? { expiration: c.Expiration } : {}) };
}

function webIdentity(deps: CredentialDeps, roleArn: string, token: () => Promise<string>, sessionName = SESSION_NAME): CredentialProvider {
  const client = deps.stsClient();
  return cachedProvider(async () => {
    deps.onStsCall?.('AssumeRoleWithWebIdentity');
    let out;
    try {
      out = await client.send(new deps.sts.AssumeRoleWithWebIdentityCommand({
        RoleArn: roleArn, RoleSessionName: sessionName, WebIdentityToken: await token(),
      }));
    } catch (e) {
      throw credentialError(e, 'AssumeRoleWithWebIdentity', roleArn);
    }
    return fromCredentials(out, 'AssumeRoleWithWebIdentity');
  }, deps.now);
}

function assumeRole(deps: CredentialDeps, base: CredentialProvider | undefined, roleArn: string, extra: { externalId?: string; tags?: Array<{ key: string; value: string }>; transitiveTagKeys?: string[] }): CredentialProvider {
  const client = deps.stsClient(base);
  return cachedProvider(async () => {
    deps.onStsCall?.('AssumeRole');
    let out;
    try {
      out = await client.send(new deps.sts.AssumeRoleCommand({
      RoleArn: roleArn,
      RoleSessionName: SESSION_NAME,
      ...(extra.externalId ? { ExternalId: extra.externalId } : {}),
      ...(extra.tags?.length ? { Tags: extra.tags.map((t) => ({ Key: t.key, Value: t.value })) } : {}),
      ...(extra.transitiveTagKeys?.length ? { TransitiveTagKeys: extra.transitiveTagKeys } : {}),
      }));
    } catch (e) {
      throw credentialError(e, 'AssumeRole', roleArn);
    }
    return fromCredentials(out, 'AssumeRole');
  }, deps.now);
}

/** Base credentials, then additionalRoles, then role. */
export function credentialChain(spec: AwsProviderSpec, ctx: ConnectContext, deps: CredentialDeps): CredentialChain {
  let provider: CredentialProvider | undefined;
  let source: string;
  let roleUsed = false;
  const env = deps.env;
  if (spec.auth?.secretRef) {
    const s = ctx.secrets;
    const accessKeyId = text(s['auth.secretRef.accessKeyIDSecretRef']) ?? missing('auth.secretRef.accessKeyIDSecretRef');
    const secretAccessKey = text(s['auth.secretRef.secretAccessKeySecretRef']) ?? missing('auth.secretRef.secretAccessKeySecretRef');
    const sessionToken = text(s['auth.secretRef.sessionTokenSecretRef']);
    provider = staticProvider({ accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) });
    source = 'auth.secretRef';
  } else if (spec.auth?.jwt) {
    const token = text(ctx.secrets['auth.jwt.serviceAccountRef']) ?? missing('auth.jwt.serviceAccountRef');
    const annotated = text(ctx.secrets[JWT_ROLE_ARN_KEY]);
    const roleArn = annotated ?? spec.role;
    if (!roleArn) {
      throw providerError('ProviderCredentialsMissing', 'auth.jwt needs a role to assume', {
        subject: 'spec.provider.aws.auth.jwt', hint: 'annotate the ServiceAccount with eks.amazonaws.com/role-arn or set spec.provider.aws.role',
      });
    }
    roleUsed = annotated === undefined;
    // Read at each STS call, not now: the engine refreshes ServiceAccount tokens in place (src/external/connect.ts).
    provider = webIdentity(deps, roleArn, async () => text(ctx.secrets['auth.jwt.serviceAccountRef']) ?? token);
    source = `auth.jwt (web identity for ${roleArn})`;
  } else if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    provider = staticProvider({
      accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    });
    source = 'AWS_ACCESS_KEY_ID from the environment';
  } else if (env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN) {
    const file = env.AWS_WEB_IDENTITY_TOKEN_FILE;
    // The projected token rotates on disk, so read it at every refresh.
    provider = webIdentity(deps, env.AWS_ROLE_ARN, async () => (await readFile(file, 'utf8')).trim(), env.AWS_ROLE_SESSION_NAME || SESSION_NAME);
    source = `AWS_WEB_IDENTITY_TOKEN_FILE (web identity for ${env.AWS_ROLE_ARN})`;
  } else {
    provider = undefined;
    source = 'the AWS SDK default credential chain';
  }
  for (const arn of spec.additionalRoles ?? []) {
    provider = assumeRole(deps, provider, arn, {});
    source += ` then role ${arn}`;
  }
  if (spec.role && !roleUsed) {
    provider = assumeRole(deps, provider, spec.role, {
      ...(spec.externalID ? { externalId: spec.externalID } : {}),
      ...(spec.sessionTags ? { tags: spec.sessionTags } : {}),
      ...(spec.transitiveTagKeys ? { transitiveTagKeys: spec.transitiveTagKeys } : {}),
    });
    source += ` then role ${spec.role}`;
  }
  return { provider, source };
}
