// Small HTTP helpers: body reading, JSON replies with the apiserver's headers, body decoding.
import type { IncomingMessage, ServerResponse } from 'node:http';
import YAML from 'yaml';
import { decodeProtobufObject } from './protobuf.js';
import { ApiError, badRequest, tooLarge, unsupportedMediaType } from './status.js';

const MAX_BODY = 3 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) { reject(tooLarge()); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string | string[]> = {}, contentType = 'application/json'): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': contentType, 'cache-control': 'no-cache, private', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, e: ApiError, warnings: string[] = []): void {
  sendJson(res, e.code, e.body, { ...e.headers, ...warningHeader(warnings) });
}

export function warningHeader(warnings: string[]): Record<string, string[]> {
  return warnings.length ? { warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`) } : {};
}

const ACCEPTED = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

/** Decodes a create/update body: JSON, YAML, or protobuf for the kinds kubectl sends that way (./protobuf.ts). */
export function decodeObject(body: Buffer, contentType: string | undefined): unknown {
  const ct = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  if (!body.length) throw badRequest('the request body is empty');
  if (ct === 'application/json' || ct === '' || ct === '*/*') return parseJson(body);
  if (ct === 'application/yaml' || ct === 'application/x-yaml' || ct === 'text/yaml') return parseYaml(body);
  if (ct === 'application/vnd.kubernetes.protobuf') {
    const obj = decodeProtobufObject(body);
    if (obj) return obj;
  }
  throw unsupportedMediaType(ACCEPTED);
}

export function decodePatch(body: Buffer, contentType: string): unknown {
  if (!body.length) throw badRequest('the request body is empty');
  return contentType.startsWith('application/apply-patch+yaml') ? parseYaml(body) : parseJson(body);
}

function parseJson(body: Buffer): unknown {
  try { return JSON.parse(body.toString('utf8')); } catch (e) { throw badRequest(`json: ${(e as Error).message}`); }
}

function parseYaml(body: Buffer): unknown {
  try { return YAML.parse(body.toString('utf8')); } catch (e) { throw badRequest(`error converting YAML to JSON: ${(e as Error).message}`); }
}

export const asApiError = (e: unknown): ApiError => (e instanceof ApiError ? e : new ApiError(500, 'InternalError', `Internal error occurred: ${(e as Error)?.message ?? String(e)}`));
