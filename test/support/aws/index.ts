// A protocol-faithful AWS Secrets Manager + STS server for tests and `npm run dev-aws`.
// Real clients (the JS SDK, botocore) work against it unmodified: SigV4 is verified, errors and
// timestamps are shaped as AWS sends them, and time comes from an injectable clock.
import { AwsError } from './errors.js';
import { Identities } from './identities.js';
import { listen, type Injection, type RecordedRequest, type ServerState } from './server.js';
import type { RoleOptions } from './sts.js';
import { SecretStore, type Tag } from './store.js';

export type { RecordedRequest } from './server.js';
export type { RoleOptions } from './sts.js';
export type { WebIdentityProvider, JwtClaims } from './jwt.js';
export { signJwt } from './jwt.js';
export { ACCOUNT_ID } from './identities.js';

export interface AwsServerOptions {
  port?: number;
  accessKeyId?: string;
  secretAccessKey?: string;
  region?: string;
  /** Epoch milliseconds; drives SigV4 skew, timestamps, deletion windows and credential expiry. */
  now?: () => number;
  maxSkewMs?: number;
}

export interface SeedSecret {
  name: string;
  /** A string becomes SecretString, bytes become SecretBinary. */
  value?: string | Uint8Array;
  tags?: Record<string, string>;
  description?: string;
  /** Older values first; the last becomes AWSCURRENT, the one before AWSPREVIOUS. */
  history?: Array<string | Uint8Array>;
}

export interface AwsTestServer {
  url: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Create secrets directly (as CreateSecret/PutSecretValue would); returns name → ARN. */
  seed(secrets: SeedSecret[]): Record<string, string>;
  /** Another long-term access key the server accepts. */
  addUser(accessKeyId: string, secretAccessKey: string, name?: string): void;
  /** A role AssumeRole / AssumeRoleWithWebIdentity may assume. */
  createRole(arn: string, options?: RoleOptions): void;
  hooks: {
    /** Every request, in order, with the principal that signed it. */
    requests: RecordedRequest[];
    /** How many requests named this operation (`GetSecretValue`, `AssumeRole`, …). */
    count(operation: string): number;
    /** The next `times` matching requests fail with ThrottlingException (STS: Throttling). */
    throttle(times: number, operation?: string): void;
    /** The next `times` matching requests fail with the given error. */
    fail(times: number, type: string, message: string, status?: number, operation?: string): void;
    /** Drops every pending throttle/fail injection (the fault is over). */
    clearInjections(): void;
  };
  close(): Promise<void>;
}

export const DEFAULT_ACCESS_KEY_ID = 'AKIDCLOAKTEST0000001';
export const DEFAULT_SECRET_ACCESS_KEY = 'cloak/test/secret/access/key/EXAMPLEKEY0';

function tagList(tags: Record<string, string> | undefined): Tag[] | undefined {
  return tags ? Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) : undefined;
}

export async function startAwsServer(o: AwsServerOptions = {}): Promise<AwsTestServer> {
  const region = o.region ?? 'us-east-1';
  const now = o.now ?? Date.now;
  const identities = new Identities();
  const credentials = { accessKeyId: o.accessKeyId ?? DEFAULT_ACCESS_KEY_ID, secretAccessKey: o.secretAccessKey ?? DEFAULT_SECRET_ACCESS_KEY };
  identities.addUser(credentials.accessKeyId, credentials.secretAccessKey);
  const roles = new Map<string, RoleOptions>();
  const injections: Injection[] = [];
  const state: ServerState = {
    store: new SecretStore(region, now),
    identities,
    roles,
    now,
    region,
    maxSkewMs: o.maxSkewMs ?? 5 * 60_000,
    requests: [],
    injections,
  };
  const { server, url } = await listen(state, o.port ?? 0);
  const bytes = (v: string | Uint8Array) => (typeof v === 'string' ? { string: v } : { binary: Buffer.from(v) });

  return {
    url,
    region,
    credentials,
    seed(secrets) {
      const arns: Record<string, string> = {};
      for (const s of secrets) {
        const values = [...(s.history ?? []), ...(s.value === undefined ? [] : [s.value])];
        const tags = tagList(s.tags);
        const { secret } = state.store.create(s.name, {
          ...(s.description !== undefined ? { description: s.description } : {}),
          ...(tags ? { tags } : {}),
        });
        for (const v of values) state.store.put(secret, bytes(v));
        arns[s.name] = secret.arn;
      }
      return arns;
    },
    addUser(accessKeyId, secretAccessKey, name) {
      identities.addUser(accessKeyId, secretAccessKey, name);
    },
    createRole(arn, options = {}) {
      roles.set(arn, options);
    },
    hooks: {
      requests: state.requests,
      count: (operation) => state.requests.filter((r) => r.operation === operation).length,
      throttle(times, operation) {
        injections.push({ remaining: times, error: new AwsError('ThrottlingException', 'Rate exceeded'), ...(operation ? { operation } : {}) });
      },
      fail(times, type, message, status = 400, operation) {
        injections.push({ remaining: times, error: new AwsError(type, message, status), ...(operation ? { operation } : {}) });
      },
      clearInjections() {
        injections.length = 0;
      },
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}
