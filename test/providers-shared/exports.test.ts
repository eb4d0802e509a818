// The public surfaces other folders import from: pinned so a change is deliberate.
import { test } from 'node:test';
import assert from 'node:assert/strict';

test('src/providers/shared exports', async () => {
  const m = await import('../../src/providers/shared/index.js');
  assert.deepEqual(Object.keys(m).sort(), [
    'ClientCache', 'JsonNumber', 'ReadCache', 'SecretNotFoundCode', 'StoreLimiter', 'byteValue', 'checkNullBytes', 'compileGoRegexp',
    'convertKey', 'convertKeys', 'decodeMap', 'decodeValue', 'explodeDecodedJson', 'explodeRawJson', 'getJsonPath', 'goBase64Decode',
    'goMatch', 'goReplaceAll', 'hasJsonPath', 'isSecretNotFound', 'marshalGo', 'marshalNoEscape', 'objectMembers', 'parseJsonUseNumber',
    'secretNotFound', 'validateKeys',
  ]);
});

test('src/providers registry and src/external exports', async () => {
  const p = await import('../../src/providers/index.js');
  assert.deepEqual([...p.providerNames].sort(), ['aws', 'fake', 'kubernetes', 'vault']);
  for (const name of p.providerNames) assert.equal((await p.loadProvider(name)).name, name);
  await assert.rejects(p.loadProvider('gcpsm', 'SecretStore ns/x'), (err: { line?: string }) => err.line === 'SecretStore ns/x: provider "gcpsm" is not supported (use one of: aws, vault, fake, kubernetes)');
  const e = await import('../../src/external/index.js');
  assert.deepEqual(Object.keys(e).sort(), [
    'ANNOTATION_DATA_HASH', 'LABEL_MANAGED', 'applyTemplate', 'cachingTokens', 'conditionsAllow', 'credentialsDigest', 'dataHash', 'desiredSecret', 'esLabel',
    'findCredentialRefs', 'goRender', 'keyValueBytes', 'memorySources', 'openStore', 'renderText', 'resolveCredentials', 'resolveExternalSecret',
    'resolveStore', 'rewriteMap', 'rewriteRegexp', 'selectorMatches', 'stableJson', 'storeLabel', 'withStores',
  ]);
});
