// Pure pieces of the aws provider: version selection, endpoint and retry settings, Go-compatible
// JSON member splitting, Go regexp flags and ESO's dotted-property rule.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configuredEndpoint, retrySettings } from '../../src/providers/aws/client.js';
import { compileGoRegexp, goMatch } from '../../src/providers/shared/go-regexp.js';

const goRegExp = (p: string) => { const re = compileGoRegexp(p, 'find.name.regexp'); return { test: (s: string) => goMatch(re, s) }; };
import { rawMembers } from '../../src/providers/aws/json.js';
import { lookupProperty } from '../../src/providers/aws/read.js';
import { versionSelector } from '../../src/providers/aws/versions.js';

describe('aws provider units', () => {
  it('sends a version as VersionStage unless it starts with uuid/ (ESO)', () => {
    assert.deepEqual(versionSelector(undefined), { VersionStage: 'AWSCURRENT' });
    assert.deepEqual(versionSelector(''), { VersionStage: 'AWSCURRENT' });
    assert.deepEqual(versionSelector('AWSPREVIOUS'), { VersionStage: 'AWSPREVIOUS' });
    assert.deepEqual(versionSelector('uuid/123e4567-e89b-12d3-a456-426614174000'), { VersionId: '123e4567-e89b-12d3-a456-426614174000' });
  });

  it('resolves endpoints the way the SDK does, plus ESO\'s legacy variables', () => {
    assert.equal(configuredEndpoint('SECRETS_MANAGER', {}), undefined);
    assert.equal(configuredEndpoint('SECRETS_MANAGER', { AWS_ENDPOINT_URL: 'http://g', AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://sm' }), 'http://sm');
    assert.equal(configuredEndpoint('STS', { AWS_ENDPOINT_URL: 'http://g', AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://sm' }), 'http://g');
    assert.equal(configuredEndpoint('STS', { AWS_STS_ENDPOINT: 'http://legacy' }), 'http://legacy');
    assert.equal(configuredEndpoint('SECRETS_MANAGER', { AWS_SECRETSMANAGER_ENDPOINT: 'http://legacy' }), 'http://legacy');
    assert.equal(configuredEndpoint('SECRETS_MANAGER', { AWS_ENDPOINT_URL: 'http://g', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }), undefined);
    assert.deepEqual(retrySettings({ AWS_MAX_ATTEMPTS: '5', AWS_RETRY_MODE: 'adaptive' }), { maxAttempts: 5, retryMode: 'adaptive' });
    assert.deepEqual(retrySettings({ AWS_MAX_ATTEMPTS: 'x', AWS_RETRY_MODE: 'bogus' }), {});
  });

  it('splits a JSON object into members keeping raw value text (Go RawMessage)', () => {
    assert.deepEqual(rawMembers(' { "a" : "x\\"y" , "b": { "c" : [1, 2] },"n":null,"f":1.50,"t":true, "a": "last"} '), [
      ['a', '"x\\"y"'], ['b', '{ "c" : [1, 2] }'], ['n', 'null'], ['f', '1.50'], ['t', 'true'], ['a', '"last"'],
    ]);
    assert.deepEqual(rawMembers('{}'), []);
    assert.equal(rawMembers('null'), null);
    assert.throws(() => rawMembers('[1]'));
    assert.throws(() => rawMembers('plain'));
  });

  it('translates Go regexp syntax that JavaScript spells differently', () => {
    assert.ok(goRegExp('(?i)^ABC').test('abc/x'));
    assert.ok(goRegExp('(?P<env>dev|prod)/').test('prod/db'));
    assert.ok(goRegExp('\\Adb\\z').test('db'));
    assert.ok(!goRegExp('\\Adb\\z').test('db\n'));
    assert.ok(goRegExp('b').test('abc'), 'unanchored like MatchString');
  });

  it('tries a dotted property as one literal key first, then as a path', () => {
    const json = '{"a.b":"literal","a":{"b":"path"},"x":{"y":"only-path"}}';
    assert.equal(lookupProperty(json, 'a.b'), 'literal');
    assert.equal(lookupProperty(json, 'x.y'), 'only-path');
    assert.equal(lookupProperty(json, 'missing.key'), undefined);
  });
});
