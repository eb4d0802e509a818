// `.cloaklintignore` / `--ignore` matching follows gitignore: anchoring, `**`, classes, negation,
// directory-only patterns, and no re-including a file below an ignored directory.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { IgnoreList } from '../../src/lint/ignore.js';

const cases: Array<[string[], string, boolean, boolean]> = [
  [['*.yaml'], 'a/b/c.yaml', false, true],
  [['/c.yaml'], 'a/c.yaml', false, false],
  [['/c.yaml'], 'c.yaml', false, true],
  [['a/**/d.yaml'], 'a/d.yaml', false, true],
  [['a/**/d.yaml'], 'a/x/y/d.yaml', false, true],
  [['**/templates'], 'x/templates/s.yaml', false, true],
  [['build/'], 'build', false, false],
  [['build/'], 'build', true, true],
  [['build/'], 'build/x.yaml', false, true],
  [['a/**'], 'a/b/c.yaml', false, true],
  [['*.yaml', '!keep.yaml'], 'x/keep.yaml', false, false],
  [['x/', '!x/keep.yaml'], 'x/keep.yaml', false, true],
  [['s?.yaml'], 'sa.yaml', false, true],
  [['s[0-9].yaml'], 's1.yaml', false, true],
  [['s[!0-9].yaml'], 's1.yaml', false, false],
  [['\\#x.yaml'], '#x.yaml', false, true],
  [['# a comment', '', '   '], 'x.yaml', false, false],
  [['a/b'], 'z/a/b', false, false],
  [['a.yaml\r'], 'a.yaml', false, true],
];

for (const [patterns, path, isDir, ignored] of cases) {
  it(`${JSON.stringify(patterns)} ${ignored ? 'ignores' : 'keeps'} ${path}${isDir ? '/' : ''}`, () => {
    assert.equal(new IgnoreList().add(patterns).ignores(path, isDir), ignored);
  });
}
