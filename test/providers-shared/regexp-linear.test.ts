// RE2 patterns run in linear time here too: with the guard every entry point loads, a catastrophic
// pattern from a store's find.name.regexp or a template answers at once, and the answers stay Go's
// for BMP and astral subjects alike.
import '../../src/regexp-guard.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGoRegexp, goMatch, goReplaceAll } from '../../src/providers/shared/go-regexp.js';
import { renderTemplateText } from '../../src/gotemplate/index.js';

const evil = `${'a'.repeat(40)}b`;

test('find.name.regexp: a catastrophic pattern on a long name answers (false), as RE2 does', () => {
  assert.equal(goMatch(compileGoRegexp('^(a+)+$', 'find.name.regexp'), evil), false);
  assert.equal(goReplaceAll(compileGoRegexp('(a|aa)+$', 'rewrite', true), evil, 'x'), evil);
});

test('answers are unchanged: `.` is one character for BMP and astral subjects', () => {
  const dot = compileGoRegexp('^.$', 'x');
  assert.equal(goMatch(dot, 'é'), true);
  assert.equal(goMatch(dot, '😀'), true, 'astral subjects use the Unicode pattern');
  assert.equal(goMatch(compileGoRegexp('^\\p{Greek}+$', 'x'), 'αβγ'), true);
  assert.equal(goMatch(compileGoRegexp('(?i)^straße$', 'x'), 'STRASSE'), false);
  assert.equal(goReplaceAll(compileGoRegexp('b+', 'x', true), 'abbbc😀bb', '-'), 'a-c😀-');
});

test('template regex functions: catastrophic patterns finish, Unicode answers stay', () => {
  assert.equal(renderTemplateText(`{{ regexMatch "^(a+)+$" "${evil}" }}`, {}, { funcs: 'eso' }), 'false');
  assert.equal(renderTemplateText('{{ regexFindAll "." "a😀b" -1 }}', {}, { funcs: 'eso' }), '[a 😀 b]');
  assert.equal(renderTemplateText('{{ regexReplaceAll "(x+x+)+y" "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" "z" }}', {}, { funcs: 'eso' }), 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');
});
