// SDK clients pointed at the test server, for tests.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { after } from 'node:test';
import type { AwsTestServer } from './index.js';

export function smClient(server: AwsTestServer, o: { credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }; maxAttempts?: number; systemClockOffset?: number } = {}): SecretsManagerClient {
  const client = new SecretsManagerClient({
    region: server.region,
    endpoint: server.url,
    credentials: o.credentials ?? server.credentials,
    maxAttempts: o.maxAttempts ?? 1,
    ...(o.systemClockOffset !== undefined ? { systemClockOffset: o.systemClockOffset } : {}),
  });
  after(() => client.destroy());
  return client;
}

/** A clock tests can move: starts at `start` and advances only when told. */
export function testClock(start = Date.UTC(2026, 10, 22, 8, 0, 0)): { now: () => number; advance: (ms: number) => void; set: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => { t += ms; }, set: (ms) => { t = ms; } };
}
