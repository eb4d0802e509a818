// Userpass: users with passwords (compared in constant time) and token parameters.
import { timingSafeEqual, createHash } from 'node:crypto';
import type { AuthMount } from '../state.js';
import { type Ctx, type Reply, badRequest, noContent, notFound, fail } from '../reply.js';
import { type TokenParams, tokenParams, tokenParamsData, loginReply, methodState, roleCrud } from './common.js';

interface User { name: string; hash: Buffer; params: TokenParams }
interface State { users: Map<string, User> }
const stateOf = (m: AuthMount) => methodState<State>(m, () => ({ users: new Map() }));
const hash = (p: string) => createHash('sha256').update(p).digest();

export const userpass = {
  unauthenticated: (rest: string) => rest.startsWith('login/'),
  handle(ctx: Ctx, mount: AuthMount, rest: string): Reply {
    const st = stateOf(mount);
    let m = /^login\/(.+)$/.exec(rest);
    if (m) {
      const user = st.users.get(m[1]!.toLowerCase());
      const pw = ctx.body.password;
      if (typeof pw !== 'string' || pw === '') return badRequest('missing password');
      if (!user || !timingSafeEqual(user.hash, hash(pw))) return badRequest('invalid username or password');
      return loginReply(ctx, mount, user.params, { username: user.name }, user.name, `login/${user.name}`);
    }
    if (rest === 'users' || rest === 'users/') return roleCrud(ctx, st.users, undefined, () => fail(notFound()), () => ({}), 'userpass');
    m = /^users\/([^/]+)(\/password)?$/.exec(rest);
    if (!m) return notFound();
    const name = m[1]!.toLowerCase();
    if (m[2]) {
      const u = st.users.get(name);
      if (!u) return badRequest('username does not exist');
      if (typeof ctx.body.password !== 'string' || !ctx.body.password) return badRequest('missing password');
      u.hash = hash(ctx.body.password);
      return noContent();
    }
    return roleCrud(ctx, st.users, name, (b, prev) => {
      if (!prev && (typeof b.password !== 'string' || b.password === '')) fail(badRequest('missing password'));
      return { name, hash: typeof b.password === 'string' && b.password ? hash(b.password) : prev!.hash, params: tokenParams(b, prev?.params) };
    }, (u) => tokenParamsData(u.params), 'userpass');
  },
};
