// AWS SDK errors turned into Cloak errors: "not found" and "marked for deletion" become
// SecretNotFound; throttling, credentials and access problems get a message that says what to
// fix. Messages name the secret, never a value (AWS error texts never carry values either).
import { isCloakError, providerError, type CloakError } from '../../errors.js';
import { secretNotFound } from '../shared/index.js';

interface SdkError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

const THROTTLING = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'LimitExceededException', 'ProvisionedThroughputExceededException']);
const BAD_CREDENTIALS = new Set(['InvalidSignatureException', 'SignatureDoesNotMatch', 'UnrecognizedClientException', 'InvalidClientTokenId', 'IncompleteSignatureException', 'MissingAuthenticationTokenException']);
const EXPIRED = new Set(['ExpiredTokenException', 'ExpiredToken', 'RequestExpired']);

function sdkError(e: unknown): SdkError {
  return typeof e === 'object' && e !== null ? (e as SdkError) : { message: String(e) };
}

/** A copy of an SDK error without the raw response it may hold (which could contain a value). */
function sanitized(e: unknown): Error {
  const err = sdkError(e);
  const copy = new Error(err.message ?? String(err.name));
  copy.name = err.name ?? 'Error';
  return copy;
}

/** A failed STS call while getting credentials: says which role and why. */
export function credentialError(e: unknown, operation: string, roleArn: string): CloakError {
  if (isCloakError(e)) return e;
  const err = sdkError(e);
  const code = err.name ?? 'Error';
  const hint = operation === 'AssumeRoleWithWebIdentity'
    ? 'check the role\'s trust policy for the OIDC provider, the token audience (sts.amazonaws.com) and the ServiceAccount'
    : 'check the role ARN, its trust policy for the calling principal, and externalID';
  return providerError('ProviderAuthFailed', `cannot get credentials: STS ${operation} for ${roleArn} failed (${code}): ${err.message ?? ''}`.trim(), {
    subject: roleArn, cause: sanitized(e), hint,
  });
}

/** The AWS error code (SDK error name), if the error came from AWS. */
export function awsErrorCode(e: unknown): string | undefined {
  return sdkError(e).name;
}

export function isMarkedForDeletion(e: unknown): boolean {
  const { name, message } = sdkError(e);
  return (name === 'InvalidRequestException' || name === 'InvalidParameterException') && /marked for deletion/.test(message ?? '');
}

/** `subject` names the store and remote key, e.g. `aws store "prod" key "app/db"`. */
export function mapAwsError(e: unknown, subject: string, what = 'read'): CloakError {
  if (isCloakError(e)) return e;
  const err = sdkError(e);
  const code = err.name ?? 'Error';
  const attempts = err.$metadata?.attempts;
  if (code === 'ResourceNotFoundException' || isMarkedForDeletion(e)) {
    return secretNotFound(subject, isMarkedForDeletion(e) ? 'the secret is scheduled for deletion; restore it with RestoreSecret' : undefined);
  }
  if (code === 'TimeoutError') {
    return providerError('ProviderTimeout', `AWS did not answer ${what} in time${attempts ? ` (${attempts} attempt${attempts === 1 ? '' : 's'})` : ''}`, {
      subject, cause: sanitized(e), hint: 'check the region/endpoint and network access; raise the timeout (--timeout, CLOAK_TIMEOUT, controller --provider-timeout) if it is only slow',
    });
  }
  if (THROTTLING.has(code)) {
    return providerError('ProviderThrottled', `AWS throttled the ${what} (${code})${attempts ? ` after ${attempts} attempts` : ''}`, {
      subject, cause: sanitized(e), hint: 'lower the refresh rate or raise AWS_MAX_ATTEMPTS; the read is retried on the next sync',
    });
  }
  if (BAD_CREDENTIALS.has(code)) {
    return providerError('ProviderAuthFailed', `AWS rejected the credentials (${code})`, {
      subject, cause: sanitized(e), hint: 'check the access key id and secret access key (auth.secretRef, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) and the region',
    });
  }
  if (EXPIRED.has(code)) {
    return providerError('ProviderAuthFailed', `AWS credentials have expired (${code})`, {
      subject, cause: sanitized(e), hint: 'supply fresh credentials or a session token that is still valid',
    });
  }
  if (code === 'AccessDeniedException' || code === 'AccessDenied') {
    return providerError('ProviderAccessDenied', `AWS denied the ${what} (${code}): ${err.message ?? ''}`.trim(), {
      subject, cause: sanitized(e), hint: 'grant the IAM principal secretsmanager:GetSecretValue (and ListSecrets/BatchGetSecretValue for find) on the secret',
    });
  }
  if (code === 'DecryptionFailure') {
    return providerError('ProviderDecryptFailed', 'AWS could not decrypt the secret with its KMS key (DecryptionFailure)', {
      subject, cause: sanitized(e), hint: 'grant kms:Decrypt on the secret\'s KMS key to the IAM principal',
    });
  }
  const status = err.$metadata?.httpStatusCode;
  const network = status === undefined && /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EAI_AGAIN|socket hang up|fetch failed/.test(`${code} ${err.message ?? ''}`);
  if (network) {
    return providerError('ProviderUnavailable', `cannot reach AWS Secrets Manager (${err.message ?? code})`, {
      subject, cause: sanitized(e), hint: 'check the region and the endpoint (AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL) and the network path',
    });
  }
  return providerError('ProviderError', `AWS ${what} failed (${code}${status ? `, HTTP ${status}` : ''}): ${err.message ?? ''}`.trim(), { subject, cause: sanitized(e) });
}
