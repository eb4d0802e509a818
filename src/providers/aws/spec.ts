// The `spec.provider.aws` block of a SecretStore (ESO's field names), and its validation.
export interface SecretKeySelector {
  name: string;
  key?: string;
  namespace?: string;
}

export interface AwsProviderSpec {
  service?: string;
  region?: string;
  role?: string;
  additionalRoles?: string[];
  externalID?: string;
  sessionTags?: Array<{ key: string; value: string }>;
  transitiveTagKeys?: string[];
  prefix?: string;
  auth?: {
    secretRef?: {
      accessKeyIDSecretRef?: SecretKeySelector;
      secretAccessKeySecretRef?: SecretKeySelector;
      sessionTokenSecretRef?: SecretKeySelector;
    };
    jwt?: { serviceAccountRef?: { name: string; namespace?: string; audiences?: string[] } };
  };
  secretsManager?: { forceDeleteWithoutRecovery?: boolean; recoveryWindowInDays?: number };
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export function validateAwsSpec(spec: AwsProviderSpec): string[] {
  const problems: string[] = [];
  const at = (field: string) => `spec.provider.aws.${field}`;
  if (spec === null || typeof spec !== 'object') return [`${at('')} must be an object`.replace('.:', ':')];
  if (spec.service === undefined) problems.push(`${at('service')} is required (SecretsManager)`);
  else if (spec.service !== 'SecretsManager') problems.push(`${at('service')} "${spec.service}" is not supported; only SecretsManager is`);
  if (!spec.region) problems.push(`${at('region')} is required`);
  else if (!REGION.test(spec.region)) problems.push(`${at('region')} "${spec.region}" is not an AWS region name such as eu-central-1`);
  if (spec.role !== undefined && !ROLE_ARN.test(spec.role)) problems.push(`${at('role')} "${spec.role}" is not an IAM role ARN`);
  (spec.additionalRoles ?? []).forEach((r, i) => {
    if (!ROLE_ARN.test(r)) problems.push(`${at(`additionalRoles[${i}]`)} "${r}" is not an IAM role ARN`);
  });
  if (spec.prefix !== undefined && typeof spec.prefix !== 'string') problems.push(`${at('prefix')} must be a string`);
  const ref = spec.auth?.secretRef;
  if (ref) {
    if (!ref.accessKeyIDSecretRef?.name) problems.push(`${at('auth.secretRef.accessKeyIDSecretRef')} is required with auth.secretRef`);
    if (!ref.secretAccessKeySecretRef?.name) problems.push(`${at('auth.secretRef.secretAccessKeySecretRef')} is required with auth.secretRef`);
  }
  if (spec.auth?.jwt && !spec.auth.jwt.serviceAccountRef?.name) {
    problems.push(`${at('auth.jwt.serviceAccountRef.name')} is required with auth.jwt`);
  }
  if (ref && spec.auth?.jwt) problems.push(`${at('auth')} has both secretRef and jwt; choose one`);
  (spec.sessionTags ?? []).forEach((t, i) => {
    if (!t?.key) problems.push(`${at(`sessionTags[${i}].key`)} is required`);
  });
  return problems;
}
