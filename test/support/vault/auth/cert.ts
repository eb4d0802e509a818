// TLS certificate auth: trusted certificates (a CA or the leaf itself); login needs the client
// certificate presented in the TLS handshake (the server must run with TLS).
import { X509Certificate } from 'node:crypto';
import type { AuthMount } from '../state.js';
import { type Ctx, type Reply, badRequest, notFound, fail } from '../reply.js';
import { type TokenParams, tokenParams, tokenParamsData, loginReply, methodState, roleCrud } from './common.js';
import { asStringList } from '../util.js';

interface Trusted { name: string; pem: string; cert: X509Certificate; allowedCommonNames: string[]; params: TokenParams }
interface State { certs: Map<string, Trusted> }
const stateOf = (m: AuthMount) => methodState<State>(m, () => ({ certs: new Map() }));

const commonName = (c: X509Certificate) => /(?:^|\n)CN=([^\n]*)/.exec(c.subject)?.[1] ?? '';

export const cert = {
  unauthenticated: (rest: string) => rest === 'login',
  handle(ctx: Ctx, mount: AuthMount, rest: string): Reply {
    const st = stateOf(mount);
    if (rest === 'login') return login(ctx, mount, st);
    if (rest === 'certs' || rest === 'certs/') return roleCrud(ctx, st.certs, undefined, () => fail(notFound()), () => ({}), 'cert');
    const m = /^certs\/([^/]+)$/.exec(rest);
    if (!m) return notFound();
    const name = m[1]!.toLowerCase();
    return roleCrud(ctx, st.certs, name, (b, prev) => {
      const pem = String(b.certificate ?? prev?.pem ?? '');
      let parsed: X509Certificate;
      try { parsed = new X509Certificate(pem); } catch { fail(badRequest('failed to parse certificate')); }
      return { name, pem, cert: parsed, allowedCommonNames: b.allowed_common_names !== undefined ? asStringList(b.allowed_common_names) : prev?.allowedCommonNames ?? [], params: tokenParams(b, prev?.params) };
    }, (t) => ({ certificate: t.pem, allowed_common_names: t.allowedCommonNames, display_name: t.name, ...tokenParamsData(t.params) }), 'cert');
  },
};

function login(ctx: Ctx, mount: AuthMount, st: State): Reply {
  const der = ctx.peerCertificates?.[0];
  if (!der) return badRequest('client certificate must be supplied');
  const leaf = new X509Certificate(der);
  const now = ctx.state.now();
  if (now < Date.parse(leaf.validFrom) || now > Date.parse(leaf.validTo)) return badRequest('invalid certificate or no client certificate supplied');
  const wanted = typeof ctx.body.name === 'string' && ctx.body.name ? ctx.body.name.toLowerCase() : undefined;
  const candidates = [...st.certs.values()].filter((t) => !wanted || t.name === wanted);
  const cn = commonName(leaf);
  const match = candidates.find((t) => {
    const trusted = t.cert.fingerprint256 === leaf.fingerprint256 || (leaf.checkIssued(t.cert) && leaf.verify(t.cert.publicKey));
    const cnOk = t.allowedCommonNames.length === 0 || t.allowedCommonNames.some((a) => a === cn || (a.startsWith('*') && cn.endsWith(a.slice(1))));
    return trusted && cnOk;
  });
  if (!match) return badRequest('invalid certificate or no client certificate supplied');
  return loginReply(ctx, mount, match.params, { cert_name: match.name, common_name: cn, serial_number: BigInt(`0x${leaf.serialNumber}`).toString(), subject_key_id: '', authority_key_id: '' }, match.name);
}
