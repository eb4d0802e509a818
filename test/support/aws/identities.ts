// Who may sign requests: long-term access keys and the temporary credentials STS issues, each with
// the principal ARN it acts as. Temporary credentials need their session token and expire.
import { randomBytes } from 'node:crypto';
import { AwsError } from './errors.js';

export const ACCOUNT_ID = '123456789012';

export interface Identity {
  accessKeyId: string;
  secretAccessKey: string;
  /** The principal: an IAM user, or `arn:aws:sts::…:assumed-role/ROLE/SESSION`. */
  arn: string;
  sessionToken?: string;
  expiration?: number;
  /** Session tags attached by AssumeRole. */
  tags?: Record<string, string>;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function randomId(prefix: string, length: number): string {
  const bytes = randomBytes(length);
  let out = prefix;
  for (const b of bytes) out += ALNUM[b % ALNUM.length];
  return out.slice(0, length);
}

export class Identities {
  private readonly byKey = new Map<string, Identity>();

  addUser(accessKeyId: string, secretAccessKey: string, name = 'cloak-test'): Identity {
    const id: Identity = { accessKeyId, secretAccessKey, arn: `arn:aws:iam::${ACCOUNT_ID}:user/${name}` };
    this.byKey.set(accessKeyId, id);
    return id;
  }

  issueTemporary(arn: string, expiration: number, tags?: Record<string, string>): Identity {
    const id: Identity = {
      accessKeyId: randomId('ASIA', 20),
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(96).toString('base64'),
      arn,
      expiration,
      ...(tags && Object.keys(tags).length > 0 ? { tags } : {}),
    };
    this.byKey.set(id.accessKeyId, id);
    return id;
  }

  lookup(accessKeyId: string): Identity | undefined {
    return this.byKey.get(accessKeyId);
  }

  /** After the signature checked out: temporary credentials need their token and must not be expired. */
  checkSession(id: Identity, sessionToken: string | undefined, now: number): void {
    if (id.sessionToken === undefined) return;
    if (sessionToken !== id.sessionToken) {
      throw new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
    }
    if (id.expiration !== undefined && now >= id.expiration) {
      throw new AwsError('ExpiredTokenException', 'The security token included in the request is expired');
    }
  }
}
