// Building the SDK clients: the AWS SDK is imported here, lazily, only when a store connects.
// Endpoints follow the SDK's standard settings (AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL,
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) read from the context's environment, plus ESO's legacy
// AWS_SECRETSMANAGER_ENDPOINT / AWS_STS_ENDPOINT.
import type {
  BatchGetSecretValueCommandInput, BatchGetSecretValueCommandOutput, DescribeSecretCommandInput, DescribeSecretCommandOutput,
  GetSecretValueCommandInput, GetSecretValueCommandOutput, ListSecretsCommandInput, ListSecretsCommandOutput, SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { STSClient } from '@aws-sdk/client-sts';
import type { CredentialProvider } from './credentials.js';
import { PROVIDER_TIMEOUT_MS } from '../types.js';

/** The four Secrets Manager calls the provider makes (narrow, so read/find are testable alone). */
export interface SecretsApi {
  getSecretValue(input: GetSecretValueCommandInput): Promise<GetSecretValueCommandOutput>;
  describeSecret(input: DescribeSecretCommandInput): Promise<DescribeSecretCommandOutput>;
  listSecrets(input: ListSecretsCommandInput): Promise<ListSecretsCommandOutput>;
  batchGetSecretValue(input: BatchGetSecretValueCommandInput): Promise<BatchGetSecretValueCommandOutput>;
}

export type Env = Record<string, string | undefined>;

export interface SdkModules {
  sm: typeof import('@aws-sdk/client-secrets-manager');
  sts: typeof import('@aws-sdk/client-sts');
}

export async function loadSdk(): Promise<SdkModules> {
  const [sm, sts] = await Promise.all([import('@aws-sdk/client-secrets-manager'), import('@aws-sdk/client-sts')]);
  return { sm, sts };
}

/** The endpoint the SDK would use from its configuration, or undefined for the regional default. */
export function configuredEndpoint(service: 'SECRETS_MANAGER' | 'STS', env: Env): string | undefined {
  if ((env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '').toLowerCase() === 'true') return undefined;
  const legacy = service === 'STS' ? env.AWS_STS_ENDPOINT : env.AWS_SECRETSMANAGER_ENDPOINT;
  return env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL || legacy || undefined;
}

/** Retry settings from the environment (AWS_MAX_ATTEMPTS, AWS_RETRY_MODE); the SDK's defaults otherwise. */
export function retrySettings(env: Env): { maxAttempts?: number; retryMode?: string } {
  const n = Number(env.AWS_MAX_ATTEMPTS);
  const mode = env.AWS_RETRY_MODE;
  return {
    ...(Number.isInteger(n) && n > 0 ? { maxAttempts: n } : {}),
    ...(mode === 'standard' || mode === 'adaptive' || mode === 'legacy' ? { retryMode: mode } : {}),
  };
}

export interface ClientOptions {
  region: string;
  env: Env;
  credentials: CredentialProvider | undefined;
  /** Connect and whole-response deadline of each HTTP attempt (the SDK's NodeHttpHandler settings). */
  timeoutMs?: number;
}

/** The SDK waits forever by default; a store pointing at a black hole must fail the read instead. */
function requestHandler(o: ClientOptions) {
  const t = o.timeoutMs ?? PROVIDER_TIMEOUT_MS;
  return { requestHandler: { connectionTimeout: t, requestTimeout: t, throwOnRequestTimeout: true } };
}

export function secretsManagerClient(sdk: SdkModules, o: ClientOptions): SecretsManagerClient {
  const endpoint = configuredEndpoint('SECRETS_MANAGER', o.env);
  return new sdk.sm.SecretsManagerClient({
    region: o.region,
    ...(endpoint ? { endpoint } : {}),
    ...(o.credentials ? { credentials: o.credentials } : {}),
    ...retrySettings(o.env),
    ...requestHandler(o),
  });
}

export function stsClient(sdk: SdkModules, o: ClientOptions): STSClient {
  const endpoint = configuredEndpoint('STS', o.env);
  return new sdk.sts.STSClient({
    region: o.region,
    ...(endpoint ? { endpoint } : {}),
    ...(o.credentials ? { credentials: o.credentials } : {}),
    ...retrySettings(o.env),
    ...requestHandler(o),
  });
}

export function secretsApi(sdk: SdkModules, client: SecretsManagerClient): SecretsApi {
  const { sm } = sdk;
  return {
    getSecretValue: (input) => client.send(new sm.GetSecretValueCommand(input)),
    describeSecret: (input) => client.send(new sm.DescribeSecretCommand(input)),
    listSecrets: (input) => client.send(new sm.ListSecretsCommand(input)),
    batchGetSecretValue: (input) => client.send(new sm.BatchGetSecretValueCommand(input)),
  };
}
