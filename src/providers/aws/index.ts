// The AWS Secrets Manager provider (`spec.provider.aws`, service SecretsManager). Importing this
// module is cheap: the AWS SDK is loaded inside connect().
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { STSClient } from '@aws-sdk/client-sts';
import { inputError } from '../../errors.js';
import type { ConnectContext, FindRef, ProviderClient, ProviderFactory, RemoteRef, SecretMap, ValidationResult } from '../types.js';
import { loadSdk, secretsApi, secretsManagerClient, stsClient, type SdkModules } from './client.js';
import { credentialChain, type CredentialProvider } from './credentials.js';
import { mapAwsError } from './errors.js';
import { getAllSecrets } from './find.js';
import { getSecret, getSecretMap, type ReadContext } from './read.js';
import { validateAwsSpec, type AwsProviderSpec } from './spec.js';

export type { AwsProviderSpec } from './spec.js';
export { versionSelector } from './versions.js';
export { JWT_ROLE_ARN_KEY } from './credentials.js';

/** Counters a caller (metrics, tests) can read from a connected client. */
export interface AwsClientStats {
  stsCalls: number;
}

export class AwsProviderClient implements ProviderClient {
  readonly stats: AwsClientStats = { stsCalls: 0 };
  private readonly stsClients: STSClient[] = [];
  private readonly read: ReadContext;
  private readonly sm: SecretsManagerClient;
  private readonly credentials: CredentialProvider | undefined;
  private readonly source: string;
  private readonly storeName: string;

  constructor(spec: AwsProviderSpec, ctx: ConnectContext, sdk: SdkModules) {
    const env = ctx.env ?? process.env;
    const region = spec.region!;
    const chain = credentialChain(spec, ctx, {
      sts: sdk.sts,
      env,
      now: ctx.now ?? Date.now,
      stsClient: (credentials) => {
        const c = stsClient(sdk, { region, env, credentials, timeoutMs: ctx.timeoutMs });
        this.stsClients.push(c);
        return c;
      },
      onStsCall: () => { this.stats.stsCalls++; },
    });
    this.credentials = chain.provider;
    this.source = chain.source;
    this.sm = secretsManagerClient(sdk, { region, env, credentials: chain.provider, timeoutMs: ctx.timeoutMs });
    const store = ctx.store;
    const storeName = `${store.kind} ${store.namespace ? `${store.namespace}/` : ''}${store.name}`;
    this.storeName = storeName;
    this.read = {
      api: secretsApi(sdk, this.sm),
      prefix: spec.prefix ?? '',
      subject: (key) => `${storeName}: aws secret "${key}"`,
    };
  }

  getSecret(ref: RemoteRef): Promise<Uint8Array> {
    return getSecret(this.read, ref);
  }

  getSecretMap(ref: RemoteRef): Promise<SecretMap> {
    return getSecretMap(this.read, ref);
  }

  getAllSecrets(ref: FindRef): Promise<SecretMap> {
    return getAllSecrets(this.read, ref);
  }

  /** Ready when credentials can be obtained (STS is asked when a role or web identity is configured). */
  async validate(): Promise<ValidationResult> {
    try {
      await (this.credentials ?? this.sm.config.credentials)();
      return 'Ready';
    } catch (e) {
      throw mapAwsError(e, `${this.storeName}: credentials from ${this.source}`, 'credential request');
    }
  }

  async close(): Promise<void> {
    this.sm.destroy();
    for (const c of this.stsClients) c.destroy();
  }
}

export const awsProvider = {
  name: 'aws',
  validateStore: (spec: AwsProviderSpec) => validateAwsSpec(spec),
  async connect(spec: AwsProviderSpec, ctx: ConnectContext): Promise<ProviderClient> {
    const problems = validateAwsSpec(spec);
    if (problems.length > 0) {
      throw inputError('InvalidStore', problems.join('; '), { subject: `${ctx.store.kind} ${ctx.store.name}`, hint: 'fix spec.provider.aws' });
    }
    return new AwsProviderClient(spec, ctx, await loadSdk());
  },
} satisfies ProviderFactory<AwsProviderSpec>;
