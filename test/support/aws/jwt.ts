// Verification of the web identity tokens AssumeRoleWithWebIdentity accepts (RS256/ES256 JWTs
// from a registered OIDC provider), plus a signer for tests that play the identity provider.
import { createSign, createVerify, type KeyObject } from 'node:crypto';
import { AwsError } from './errors.js';

export interface WebIdentityProvider {
  issuer: string;
  /** Accepted `aud` values (AWS default for IRSA: sts.amazonaws.com). */
  audiences: string[];
  publicKey: KeyObject;
}

export interface JwtClaims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  iat?: number;
  nbf?: number;
  [k: string]: unknown;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export function signJwt(claims: JwtClaims, privateKey: KeyObject, kid = 'test'): string {
  const alg = privateKey.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256';
  const head = b64url(JSON.stringify({ alg, typ: 'JWT', kid }));
  const body = b64url(JSON.stringify(claims));
  const sig = createSign('sha256').update(`${head}.${body}`).sign(alg === 'ES256' ? { key: privateKey, dsaEncoding: 'ieee-p1363' } : privateKey);
  return `${head}.${body}.${b64url(sig)}`;
}

const invalid = (message: string) => new AwsError('InvalidIdentityToken', message);

/** The token's claims once its signature, issuer, audience and lifetime check out. */
export function verifyWebIdentityToken(token: string, providers: WebIdentityProvider[], now: number): JwtClaims {
  const parts = token.split('.');
  if (parts.length !== 3) throw invalid('The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)');
  let claims: JwtClaims;
  let alg: string;
  try {
    alg = (JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as { alg?: string }).alg ?? '';
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as JwtClaims;
  } catch {
    throw invalid('The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)');
  }
  const provider = providers.find((p) => p.issuer === claims.iss);
  if (!provider) throw invalid('No OpenIDConnect provider found in your account for ' + String(claims.iss));
  const ok = (alg === 'RS256' || alg === 'ES256') &&
    createVerify('sha256').update(`${parts[0]}.${parts[1]}`).verify(
      alg === 'ES256' ? { key: provider.publicKey, dsaEncoding: 'ieee-p1363' } : provider.publicKey,
      Buffer.from(parts[2]!, 'base64url'));
  if (!ok) throw invalid("Couldn't verify the signature of the ID Token with the identity provider's keys.");
  const aud = Array.isArray(claims.aud) ? claims.aud : claims.aud === undefined ? [] : [claims.aud];
  if (!aud.some((a) => provider.audiences.includes(a))) throw invalid('Incorrect token audience');
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) {
    const expires = typeof claims.exp === 'number' ? new Date(claims.exp * 1000).toUTCString() : 'unset';
    throw new AwsError('ExpiredTokenException', `Token expired: current date/time ${new Date(now).toUTCString()} must be before the expiration date/time ${expires}`);
  }
  return claims;
}
