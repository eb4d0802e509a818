// Differential tests: every case is rendered by Go's text/template + Sprig (the oracle, built from
// Debian's packages) and by our interpreter; outputs must be byte-identical and both must fail
// where Go fails. Go missing is a failure, not a skip.
import assert from 'node:assert/strict';
import { constants, createPublicKey, publicEncrypt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { renderTemplate } from '../../src/gotemplate/index.js';
import { buildOracle, type Oracle, type OracleCase } from '../support/gotemplate/oracle.js';
import { encodingCases, fmtCases, listCases, mathCases, miscCases, regexCases, stringCases } from './cases/functions.js';
import { language } from './cases/language.js';
import { moreCases } from './cases/more.js';
import { generatedCases, generatedStructures } from './cases/generated.js';
import { sharedData, type Case } from './cases/types.js';

process.env.TZ = 'UTC';

const fixture = (name: string) => readFileSync(new URL(`../../../test/gotemplate/fixtures/${name}`, import.meta.url), 'utf8');

function esoCases(): Case[] {
  const leafKey = fixture('leaf.key');
  const leafCrt = fixture('leaf.crt');
  const chain = fixture('chain.pem');
  const pub = createPublicKey(leafKey);
  const enc = (hash: string) => publicEncrypt({ key: pub, oaepHash: hash, padding: constants.RSA_PKCS1_OAEP_PADDING }, Buffer.from('s3cr3t-value')).toString('base64');
  const data = {
    chain, unordered: fixture('chain-unordered.pem'), key: leafKey, crt: leafCrt, bundle: `${leafKey}${leafCrt}`,
    junk: 'not pem at all', root: fixture('root.crt'), ec: fixture('ec.crt'),
    ct256: enc('sha256'), ct1: enc('sha1'), ct512: enc('sha512'),
  };
  const eso = { funcs: 'eso' as const };
  return [
    ['{{ filterPEM "CERTIFICATE" .bundle }}', data, eso],
    ['{{ filterPEM "PRIVATE KEY" .bundle }}', data, eso],
    ['{{ filterPEM "certificate" .chain | len }}', data, eso],
    ['{{ filterPEM "EC PRIVATE KEY" .bundle }}', data, eso],
    ['{{ filterPEM "CERTIFICATE" .junk }}', data, eso],
    ['{{ filterPEM "CERTIFICATE" "" }}', data, eso],
    ['{{ filterPEM "CERTIFICATE" "-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\\ntrailing" }}', data, eso],
    ['{{ filterPEM "X" "-----BEGIN X-----\\nProc-Type: 4,ENCRYPTED\\nDEK-Info: AES\\n\\nAAAA\\n-----END X-----\\n" }}', data, eso],
    ['{{ filterPEM "X" "  -----BEGIN X-----\\nAAAA\\n-----END X-----  \\n" }}', data, eso],
    ['{{ filterCertChain "leaf" .chain }}', data, eso],
    ['{{ filterCertChain "intermediate" .chain }}', data, eso],
    ['{{ filterCertChain "root" .chain }}', data, eso],
    ['{{ filterCertChain "leaf" .unordered }}', data, eso],
    ['{{ filterCertChain "root" .unordered }}|{{ filterCertChain "intermediate" .unordered }}', data, eso],
    ['{{ filterCertChain "leaf" .root }}|{{ filterCertChain "root" .root }}|{{ filterCertChain "other" .chain }}', data, eso],
    ['{{ filterCertChain "leaf" .junk }}', data, eso],
    ['{{ filterCertChain "leaf" (print .crt .ec) }}', data, eso],
    ['{{ rsaDecrypt "RSA-OAEP" "SHA256" (b64dec .ct256) .key }}|{{ rsaDecrypt "RSA-OAEP" "SHA1" (b64dec .ct1) .key }}|{{ rsaDecrypt "RSA-OAEP" "SHA512" (b64dec .ct512) .key }}', data, eso],
    ['{{ rsaDecrypt "None" "SHA256" "plain" "" }}', data, eso],
    ['{{ rsaDecrypt "RSA-OAEP" "SHA256" "garbage" .key }}', data, eso],
    ['{{ rsaDecrypt "RSA-OAEP" "SHA256" (b64dec .ct256) "not a key" }}', data, eso],
    ['{{ rsaDecrypt "PKCS1" "SHA256" "x" .key }}', data, eso],
    ['{{ .key | filterPEM "PRIVATE KEY" | b64enc | b64dec | sha256sum }}', data, eso],
  ];
}

const families: Record<string, Case[]> = {
  language, fmt: fmtCases, strings: stringCases, lists: listCases, math: mathCases, encoding: encodingCases,
  regex: regexCases, misc: miscCases, more: moreCases, generated: [...generatedCases(2000), ...generatedCases(2000, 7), ...generatedCases(2000, 99)],
  structures: generatedStructures(1500),
};

let oracle: Oracle;
const results = new Map<string, Array<{ c: Case; go: { out: Buffer; err?: string } }>>();

before(() => {
  oracle = buildOracle();
  families.eso = esoCases();
  const all: Array<[string, Case]> = Object.entries(families).flatMap(([f, cs]) => cs.map((c) => [f, c] as [string, Case]));
  const cases: OracleCase[] = all.map(([, [template, data, o]]) => ({ template, data: data ?? sharedData, ...o }));
  const out = oracle.run(cases);
  all.forEach(([f, c], i) => {
    const list = results.get(f) ?? [];
    list.push({ c, go: out[i]! });
    results.set(f, list);
  });
});

after(() => oracle?.close());

function ours(c: Case): { out?: Buffer; err?: string } {
  const [template, data, o] = c;
  try {
    return {
      out: renderTemplate(template, data ?? sharedData, {
        funcs: o?.funcs ?? 'sprigBitnami', name: 't', missingKey: o?.missingKey ?? 'default', leftDelim: o?.leftDelim, rightDelim: o?.rightDelim,
      }),
    };
  } catch (e) {
    return { err: (e as Error).message };
  }
}

/** "template: t:LINE[:COL]: executing "NAME" at <NODE>" — where an error happened, as Go reports it. */
function location(err: string): string {
  return /^template: [^:]*:\d+(:\d+)?(: executing "[^"]*" at <.*?>)?/.exec(err)?.[0] ?? err;
}

describe('Go text/template differential', () => {
  for (const family of ['language', 'more', 'fmt', 'strings', 'lists', 'math', 'encoding', 'regex', 'misc', 'eso', 'generated', 'structures']) {
    test(family, () => {
      const list = results.get(family) ?? [];
      assert.ok(list.length > 0, `no cases ran for ${family}`);
      const mismatches: string[] = [];
      for (const { c, go } of list) {
        const me = ours(c);
        if (go.err !== undefined) {
          if (me.err === undefined) mismatches.push(`${JSON.stringify(c[0])}\n    Go failed (${go.err}) but we rendered ${JSON.stringify(me.out!.toString())}`);
          else if (location(me.err) !== location(go.err)) mismatches.push(`${JSON.stringify(c[0])}\n    Go failed at ${location(go.err)}, we at ${location(me.err)}`);
        } else if (me.err !== undefined) {
          mismatches.push(`${JSON.stringify(c[0])}\n    Go rendered ${JSON.stringify(go.out.toString())} but we failed: ${me.err}`);
        } else if (!me.out!.equals(go.out)) {
          mismatches.push(`${JSON.stringify(c[0])}\n    Go:  ${JSON.stringify(go.out.toString())}\n    us:  ${JSON.stringify(me.out!.toString())}`);
        }
      }
      assert.deepEqual(mismatches, [], `${mismatches.length} of ${list.length} cases differ from Go:\n  ${mismatches.join('\n  ')}`);
    });
  }

  test('covers at least a few hundred cases', () => {
    const n = [...results.values()].reduce((s, l) => s + l.length, 0);
    assert.ok(n >= 300, `only ${n} differential cases`);
  });
});
