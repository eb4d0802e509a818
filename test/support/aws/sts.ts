// STS over the query protocol (form-encoded request, XML response): AssumeRole (signed, with
// ExternalId and session tags), AssumeRoleWithWebIdentity (unsigned, a JWT from a registered OIDC
// provider) and GetCallerIdentity. Issued temporary credentials are accepted by the whole server.
import { randomUUID } from 'node:crypto';
import { AwsError } from './errors.js';
import { ACCOUNT_ID, type Identities, type Identity } from './identities.js';
import { verifyWebIdentityToken, type WebIdentityProvider } from './jwt.js';

export interface RoleOptions {
  /** AssumeRole must pass this ExternalId. */
  externalId?: string;
  /** Principals (IAM user or role ARNs) allowed to AssumeRole; any authenticated caller when unset. */
  trustedPrincipals?: string[];
  /** OIDC providers trusted for AssumeRoleWithWebIdentity; none means web identity is refused. */
  webIdentity?: WebIdentityProvider[];
  /** Allowed `sub` values for web identity (e.g. `system:serviceaccount:ns:sa`); any when unset. */
  subjects?: string[];
  maxSessionDuration?: number;
}

export interface StsContext {
  identities: Identities;
  roles: Map<string, RoleOptions>;
  now: () => number;
}

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

const xmlEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function stsErrorXml(e: AwsError, requestId: string): string {
  const type = e.status >= 500 ? 'Receiver' : 'Sender';
  return `<ErrorResponse xmlns="${NS}">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${xmlEscape(e.type)}</Code>\n    <Message>${xmlEscape(e.message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`;
}

function wrap(action: string, inner: string, requestId: string): string {
  return `<${action}Response xmlns="${NS}">\n  <${action}Result>\n${inner}  </${action}Result>\n  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`;
}

const validation = (message: string) => new AwsError('ValidationError', message);

function sessionName(params: URLSearchParams): string {
  const name = params.get('RoleSessionName');
  if (name === null) throw validation("1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null");
  if (!/^[\w+=,.@-]{2,64}$/.test(name)) {
    throw validation(`1 validation error detected: Value '${name}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
  }
  return name;
}

function role(ctx: StsContext, params: URLSearchParams, action: string, caller: string): { arn: string; options: RoleOptions } {
  const arn = params.get('RoleArn');
  if (arn === null) throw validation("1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
  const options = ctx.roles.get(arn);
  if (!options) throw new AwsError('AccessDenied', `User: ${caller} is not authorized to perform: sts:${action} on resource: ${arn}`, 403);
  return { arn, options };
}

function duration(params: URLSearchParams, options: RoleOptions): number {
  const raw = params.get('DurationSeconds');
  const max = options.maxSessionDuration ?? 3600;
  const d = raw === null ? 3600 : Number(raw);
  if (!Number.isInteger(d) || d < 900 || d > 43200) {
    throw validation(`1 validation error detected: Value '${raw}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`);
  }
  if (d > max) {
    throw validation(`The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`);
  }
  return Math.min(d, max);
}

function members(params: URLSearchParams, prefix: string): Map<number, Record<string, string>> {
  const out = new Map<number, Record<string, string>>();
  for (const [k, v] of params) {
    const m = new RegExp(`^${prefix}\\.member\\.(\\d+)(?:\\.(\\w+))?$`).exec(k);
    if (!m) continue;
    const i = Number(m[1]);
    const entry = out.get(i) ?? {};
    entry[m[2] ?? ''] = v;
    out.set(i, entry);
  }
  return out;
}

function credentialsXml(id: Identity, roleArn: string, session: string): string {
  const roleName = roleArn.slice(roleArn.indexOf('/') + 1);
  return `    <AssumedRoleUser>\n      <AssumedRoleId>AROA${ACCOUNT_ID}EXAMPLE:${xmlEscape(session)}</AssumedRoleId>\n      <Arn>arn:aws:sts::${ACCOUNT_ID}:assumed-role/${xmlEscape(roleName)}/${xmlEscape(session)}</Arn>\n    </AssumedRoleUser>\n` +
    `    <Credentials>\n      <AccessKeyId>${id.accessKeyId}</AccessKeyId>\n      <SecretAccessKey>${xmlEscape(id.secretAccessKey)}</SecretAccessKey>\n      <SessionToken>${xmlEscape(id.sessionToken ?? '')}</SessionToken>\n      <Expiration>${isoSeconds(id.expiration ?? 0)}</Expiration>\n    </Credentials>\n`;
}

function assumedArn(roleArn: string, session: string): string {
  return `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${roleArn.slice(roleArn.indexOf('/') + 1)}/${session}`;
}

/** The role ARN an assumed-role principal acts as (to chain roles), else the principal itself. */
function principalOf(caller: Identity): string {
  const m = /^arn:aws:sts::(\d+):assumed-role\/([^/]+)\//.exec(caller.arn);
  return m ? `arn:aws:iam::${m[1]}:role/${m[2]}` : caller.arn;
}

/** Handles one STS action; `caller` is undefined for the unsigned AssumeRoleWithWebIdentity. */
export function handleSts(ctx: StsContext, params: URLSearchParams, caller: Identity | undefined, requestId: string): string {
  const action = params.get('Action') ?? '';
  const now = ctx.now();
  switch (action) {
    case 'AssumeRole': {
      if (!caller) throw new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
      const { arn, options } = role(ctx, params, action, caller.arn);
      const session = sessionName(params);
      if (options.trustedPrincipals && !options.trustedPrincipals.includes(principalOf(caller))) {
        throw new AwsError('AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${arn}`, 403);
      }
      if (options.externalId !== undefined && params.get('ExternalId') !== options.externalId) {
        throw new AwsError('AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${arn}`, 403);
      }
      const d = duration(params, options);
      const tags: Record<string, string> = { ...caller.tags };
      for (const t of members(params, 'Tags').values()) if (t.Key !== undefined) tags[t.Key] = t.Value ?? '';
      const id = ctx.identities.issueTemporary(assumedArn(arn, session), now + d * 1000, tags);
      return wrap(action, credentialsXml(id, arn, session) + '    <PackedPolicySize>6</PackedPolicySize>\n', requestId);
    }
    case 'AssumeRoleWithWebIdentity': {
      const token = params.get('WebIdentityToken');
      if (!token) throw validation("1 validation error detected: Value null at 'webIdentityToken' failed to satisfy constraint: Member must not be null");
      const { arn, options } = role(ctx, params, action, 'web identity');
      const session = sessionName(params);
      if (!options.webIdentity?.length) throw new AwsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403);
      const claims = verifyWebIdentityToken(token, options.webIdentity, now);
      if (options.subjects && !options.subjects.includes(String(claims.sub))) {
        throw new AwsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403);
      }
      const d = duration(params, options);
      const id = ctx.identities.issueTemporary(assumedArn(arn, session), now + d * 1000);
      const aud = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
      return wrap(action,
        `    <SubjectFromWebIdentityToken>${xmlEscape(String(claims.sub ?? ''))}</SubjectFromWebIdentityToken>\n    <Audience>${xmlEscape(String(aud ?? ''))}</Audience>\n` +
          credentialsXml(id, arn, session) +
          `    <Provider>${xmlEscape(String(claims.iss ?? ''))}</Provider>\n`,
        requestId);
    }
    case 'GetCallerIdentity': {
      if (!caller) throw new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
      return wrap(action, `    <Arn>${xmlEscape(caller.arn)}</Arn>\n    <UserId>${caller.accessKeyId}</UserId>\n    <Account>${ACCOUNT_ID}</Account>\n`, requestId);
    }
    default:
      throw new AwsError('InvalidAction', `Could not find operation ${action} for version ${params.get('Version') ?? 'NO_VERSION_SPECIFIED'}`);
  }
}

export const newRequestId = () => randomUUID();
