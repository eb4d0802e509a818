// The HTTP side of the AWS test server: one listener answering Secrets Manager (awsJson 1.1,
// dispatched on X-Amz-Target) and STS (query protocol) requests, each SigV4-verified against
// the server's clock, with a request recorder and throttling injection for tests.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsError } from './errors.js';
import type { Identities, Identity } from './identities.js';
import { operations } from './secrets-manager.js';
import { handleSts, newRequestId, stsErrorXml, type StsContext } from './sts.js';
import { header, verifySigV4 } from './sigv4.js';
import type { SecretStore } from './store.js';

export interface RecordedRequest {
  service: 'secretsmanager' | 'sts';
  /** `GetSecretValue`, `AssumeRole`, … */
  operation: string;
  /** The principal ARN that signed it (undefined when unsigned or rejected before). */
  principal?: string;
  accessKeyId?: string;
  /** Session tags of temporary credentials (from AssumeRole). */
  sessionTags?: Record<string, string>;
  status: number;
  errorType?: string;
}

export interface Injection {
  remaining: number;
  operation?: string;
  error: AwsError;
}

export interface ServerState extends StsContext {
  store: SecretStore;
  identities: Identities;
  region: string;
  maxSkewMs: number;
  requests: RecordedRequest[];
  injections: Injection[];
}

const MAX_BODY = 1 << 20;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new AwsError('SerializationException', 'Request body too large.', 413));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function authenticate(state: ServerState, req: IncomingMessage, body: Buffer, service: string): Identity {
  const result = verifySigV4(
    { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body },
    { lookupSecret: (k) => state.identities.lookup(k)?.secretAccessKey, services: [service], now: state.now, maxSkewMs: state.maxSkewMs },
  );
  if (!result.ok) throw new AwsError(result.type, result.message, result.status);
  const allowed = service === 'sts' ? [state.region, 'us-east-1'] : [state.region];
  if (!allowed.includes(result.region)) {
    throw new AwsError('InvalidSignatureException', `Credential should be scoped to a valid region. `);
  }
  const id = state.identities.lookup(result.accessKeyId)!;
  state.identities.checkSession(id, header(req, 'x-amz-security-token'), state.now());
  return id;
}

function injected(state: ServerState, operation: string): AwsError | undefined {
  const i = state.injections.find((x) => x.remaining > 0 && (x.operation === undefined || x.operation === operation));
  if (!i) return undefined;
  i.remaining--;
  return i.error;
}

function send(state: ServerState, res: ServerResponse, status: number, contentType: string, body: string, requestId: string): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
    date: new Date(state.now()).toUTCString(),
  });
  res.end(body);
}

async function handleSecretsManager(state: ServerState, req: IncomingMessage, res: ServerResponse, body: Buffer, target: string): Promise<void> {
  const requestId = newRequestId();
  const operation = target.startsWith('secretsmanager.') ? target.slice('secretsmanager.'.length) : target;
  const rec: RecordedRequest = { service: 'secretsmanager', operation, status: 200 };
  state.requests.push(rec);
  try {
    const caller = authenticate(state, req, body, 'secretsmanager');
    rec.principal = caller.arn;
    rec.accessKeyId = caller.accessKeyId;
    if (caller.tags) rec.sessionTags = caller.tags;
    const op = target.startsWith('secretsmanager.') ? operations[operation] : undefined;
    if (!op) throw new AwsError('UnknownOperationException', '');
    const failure = injected(state, operation);
    if (failure) throw failure;
    let input: Record<string, unknown>;
    try {
      input = body.length === 0 ? {} : (JSON.parse(body.toString('utf8')) as Record<string, unknown>);
    } catch {
      throw new AwsError('SerializationException', 'Unexpected character in request body.');
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new AwsError('SerializationException', 'Expected a JSON object.');
    send(state, res, 200, 'application/x-amz-json-1.1', JSON.stringify(op(state.store, input)), requestId);
  } catch (e) {
    const err = e instanceof AwsError ? e : new AwsError('InternalServiceError', 'An error occurred on the server side.', 500);
    rec.status = err.status;
    rec.errorType = err.type;
    // Errors raised by the front end (signing) use `message`; service errors use `Message`, as AWS does.
    const front = /Signature|Unrecognized|MissingAuthentication|ExpiredToken|UnknownOperation|Serialization/.test(err.type);
    const payload = front ? { __type: err.type, message: err.message } : { __type: err.type, Message: err.message };
    send(state, res, err.status, 'application/x-amz-json-1.1', JSON.stringify(payload), requestId);
  }
}

async function handleStsRequest(state: ServerState, req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
  const requestId = newRequestId();
  const url = new URL(req.url ?? '/', 'http://localhost');
  const params = new URLSearchParams(body.toString('utf8'));
  for (const [k, v] of url.searchParams) if (!params.has(k)) params.set(k, v);
  const action = params.get('Action') ?? '';
  const rec: RecordedRequest = { service: 'sts', operation: action, status: 200 };
  state.requests.push(rec);
  try {
    let caller: Identity | undefined;
    if (action !== 'AssumeRoleWithWebIdentity') {
      try {
        caller = authenticate(state, req, body, 'sts');
      } catch (e) {
        // STS names the signing failures differently from the JSON services.
        if (e instanceof AwsError && e.type === 'InvalidSignatureException') throw new AwsError('SignatureDoesNotMatch', e.message, 403);
        if (e instanceof AwsError && e.type === 'UnrecognizedClientException') throw new AwsError('InvalidClientTokenId', e.message, 403);
        if (e instanceof AwsError && e.type === 'ExpiredTokenException') throw new AwsError('ExpiredToken', e.message, 400);
        throw e;
      }
      rec.principal = caller.arn;
      rec.accessKeyId = caller.accessKeyId;
    }
    const failure = injected(state, action);
    if (failure) throw failure.type === 'ThrottlingException' ? new AwsError('Throttling', failure.message, 400) : failure;
    send(state, res, 200, 'text/xml', handleSts(state, params, caller, requestId), requestId);
  } catch (e) {
    const err = e instanceof AwsError ? e : new AwsError('InternalFailure', 'An internal error occurred.', 500);
    rec.status = err.status;
    rec.errorType = err.type;
    send(state, res, err.status, 'text/xml', stsErrorXml(err, requestId), requestId);
  }
}

export async function listen(state: ServerState, port: number): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const body = await readBody(req);
        const target = header(req, 'x-amz-target');
        if (target !== undefined) await handleSecretsManager(state, req, res, body, target);
        else await handleStsRequest(state, req, res, body);
      } catch (e) {
        const err = e instanceof AwsError ? e : new AwsError('InternalFailure', 'An internal error occurred.', 500);
        if (!res.headersSent) send(state, res, err.status, 'application/x-amz-json-1.1', JSON.stringify({ __type: err.type, message: err.message }), newRequestId());
      }
    })();
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${actual}` };
}
