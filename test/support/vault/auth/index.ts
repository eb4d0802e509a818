// Auth methods the test server can mount under `auth/<path>/`.
import type { AuthMount } from '../state.js';
import type { Ctx, Reply } from '../reply.js';
import { approle } from './approle.js';
import { kubernetes } from './kubernetes.js';
import { jwt } from './jwt.js';
import { userpass } from './userpass.js';
import { cert } from './cert.js';

export interface AuthMethod {
  /** Paths under the mount that need no token (logins). */
  unauthenticated(rest: string): boolean;
  handle(ctx: Ctx, mount: AuthMount, rest: string): Promise<Reply> | Reply;
}

export const AUTH_METHODS: Record<string, AuthMethod> = { approle, kubernetes, jwt, oidc: jwt, userpass, cert };
