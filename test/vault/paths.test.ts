// ESO's TestGetSecretPath (providers/v1/vault/client_get_test.go) and buildMetadataPath, as tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPath, buildMetadataPath } from '../../src/providers/vault/paths.js';

const v2 = (path?: string) => ({ path, version: 'v2' as const });
const v1 = (path?: string) => ({ path, version: 'v1' as const });

test('buildPath: ESO TestGetSecretPath table', () => {
  const cases: Array<[string, ReturnType<typeof v2> | ReturnType<typeof v1>, string, string]> = [
    ['PathWithoutFormatV2', v2('secret/path'), 'test', 'secret/path/data/test'],
    ['PathWithoutFormatV2_NoData', v2('secret/path'), 'secret/path/test', 'secret/path/data/test'],
    ['PathWithoutFormatV2_NoPath', v2(undefined), 'secret/test/big/path', 'secret/data/test/big/path'],
    ['PathWithoutFormatV2_NoPathWithData', v2(undefined), 'secret/test/data/not/the/first/and/data/twice', 'secret/test/data/not/the/first/and/data/twice'],
    ['PathWithDataV2', v2('secret/path'), 'secret/path/data/test', 'secret/path/data/test'],
    ['PathWithoutFormatV1', v1('secret/path'), 'test', 'secret/path/test'],
    ['PathWithoutFormatV1_NoPath', v1(undefined), 'secret/test', 'secret/test'],
    ['WithoutPathButMountV1', v1('secret'), 'secret/test', 'secret/test'],
    ['WithoutPathButMountV2', v2('secret'), 'secret/test', 'secret/data/test'],
    ['known bug: secret path starting with the mount name', v2('secret'), 'secret/secret/x', 'secret/data/secret/x'],
    ['leading slash is not normalised', v2('secret'), '/dev/config', 'secret/data//dev/config'],
    ['nested mount', v2('kv/team'), 'app', 'kv/team/data/app'],
  ];
  for (const [name, store, key, want] of cases) assert.equal(buildPath(store, key), want, name);
});

test('buildMetadataPath: v1, v2 with and without store path', () => {
  assert.equal(buildMetadataPath(v1('secret'), 'a/b'), 'secret/a/b');
  assert.equal(buildMetadataPath(v2('secret/path'), 'test'), 'secret/path/metadata/test');
  assert.equal(buildMetadataPath(v2('secret/path'), 'secret/path/data/test'), 'secret/path/metadata/test');
  assert.equal(buildMetadataPath(v2('secret'), 'dev/'), 'secret/metadata/dev/');
  assert.equal(buildMetadataPath(v2('secret'), ''), 'secret/metadata/');
  assert.equal(buildMetadataPath(v2(undefined), 'secret/data/dev/'), 'secret/metadata/dev/');
  // ESO checks for "data" anywhere but replaces only "/data/"
  assert.equal(buildMetadataPath(v2(undefined), 'secret/database'), 'secret/database');
  assert.throws(() => buildMetadataPath(v2(undefined), 'secret/dev'), /provided Path isn't a valid kv v2 path/);
});
