// Bearer-token authentication: static tokens (the admin in system:masters) and the ServiceAccount
// JWTs this server issues through TokenRequest (RS256, audiences, expiry, bound to the SA's uid).
import { createHash, generateKeyPairSync, randomUUID, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Clock, UserInfo } from '../types.js';

export const ISSUER = 'https://kubernetes.default.svc.cluster.local';
export const API_AUDIENCES = [ISSUER];

const b64u = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

export interface SaClaims {
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  iss: string;
  jti: string;
  sub: string;
  'kubernetes.io': { namespace: string; serviceaccount: { name: string; uid: string }; [k: string]: unknown };
}

export class TokenIssuer {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly kid: string;
  constructor(private readonly now: Clock) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.kid = b64u(createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest());
  }

  issue(o: { namespace: string; name: string; uid: string; audiences: string[]; expirationSeconds: number; bound?: Record<string, unknown> }): { token: string; exp: Date } {
    const iat = Math.floor(this.now().getTime() / 1000);
    const claims: SaClaims = {
      aud: o.audiences, exp: iat + o.expirationSeconds, iat, nbf: iat, iss: ISSUER, jti: randomUUID(),
      sub: `system:serviceaccount:${o.namespace}:${o.name}`,
      'kubernetes.io': { namespace: o.namespace, serviceaccount: { name: o.name, uid: o.uid }, ...(o.bound ?? {}) },
    };
    const head = b64u(JSON.stringify({ alg: 'RS256', kid: this.kid }));
    const body = b64u(JSON.stringify(claims));
    const sig = sign('sha256', Buffer.from(`${head}.${body}`), this.privateKey);
    return { token: `${head}.${body}.${b64u(sig)}`, exp: new Date(claims.exp * 1000) };
  }

  /** Verifies signature, issuer, time window and audiences. Returns claims or an error text. */
  verify(token: string, audiences: string[]): { claims: SaClaims } | { error: string } {
    const parts = token.split('.');
    if (parts.length !== 3) return { error: 'invalid bearer token' };
    let claims: SaClaims;
    try {
      const head = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as { alg?: string };
      if (head.alg !== 'RS256') return { error: 'invalid bearer token' };
      if (!verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), this.publicKey, Buffer.from(parts[2]!, 'base64url'))) return { error: 'invalid bearer token, square/go-jose: error in cryptographic primitive' };
      claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as SaClaims;
    } catch {
      return { error: 'invalid bearer token' };
    }
    if (claims.iss !== ISSUER) return { error: 'invalid bearer token' };
    const now = Math.floor(this.now().getTime() / 1000);
    if (claims.exp < now) return { error: 'invalid bearer token, service account token has expired' };
    if (claims.nbf > now + 60) return { error: 'invalid bearer token, square/go-jose/jwt: validation failed, token not valid yet (nbf)' };
    if (!claims.aud.some((a) => audiences.includes(a))) return { error: `invalid bearer token, token audiences ${JSON.stringify(claims.aud)} is invalid for the target audiences ${JSON.stringify(audiences)}` };
    return { claims };
  }

  /** JWKS for /openid/v1/jwks. */
  jwks(): object {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return { keys: [{ use: 'sig', kty: 'RSA', kid: this.kid, alg: 'RS256', n: jwk.n, e: jwk.e }] };
  }
}

export function saUser(claims: SaClaims): UserInfo {
  const ns = claims['kubernetes.io'].namespace;
  return {
    username: claims.sub,
    uid: claims['kubernetes.io'].serviceaccount.uid,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
    extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${claims.jti}`] },
  };
}

export const ANONYMOUS: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
