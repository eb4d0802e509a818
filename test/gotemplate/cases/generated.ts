// Differential cases generated from a fixed seed: random pipelines over pure functions and mixed
// argument types, to catch type-conversion and error-path differences hand-written cases miss.
import type { Case } from './types.js';

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const atoms = [
  '.user', '.num', '.float', '.empty', '.csv', '.missing', '.unicode', '.b64', '.json', '.version',
  '"abc"', '"a,b,c"', '""', '"  x  "', '"Hello World"', '"42"', '"3.5"', '"-7"', '"true"', '"é"',
  '0', '1', '3', '-2', '7', '1.5', '-0.25', '2.0', '1e3', 'true', 'false', 'nil',
  '(list 1 2 3)', '(list "b" "a")', '(list)', '(dict "k" "v")', '(dict)', '(until 4)', '(splitList "," "x,y")',
  '(int64 5)', '(float64 2)', '(add 1 2)', '(fromJson .json)', '(fromJson "[1,\\"a\\"]")', '(split "," "p,q")',
];

const funcs: Array<[string, number]> = [
  ['upper', 1], ['lower', 1], ['trim', 1], ['title', 1], ['quote', 1], ['squote', 1], ['len', 1], ['toString', 1], ['toJson', 1],
  ['b64enc', 1], ['b64dec', 1], ['first', 1], ['last', 1], ['rest', 1], ['initial', 1], ['reverse', 1], ['uniq', 1], ['compact', 1],
  ['sortAlpha', 1], ['keys | sortAlpha', 1], ['values | len', 1], ['int', 1], ['int64', 1], ['float64', 1], ['atoi', 1], ['empty', 1], ['not', 1],
  ['typeOf', 1], ['kindOf', 1], ['toStrings', 1], ['nospace', 1], ['snakecase', 1], ['camelcase', 1], ['kebabcase', 1],
  ['sha256sum', 1], ['floor', 1], ['ceil', 1], ['add1', 1], ['until', 1], ['seq', 1], ['print', 1], ['html', 1], ['js', 1],
  ['urlquery', 1], ['fromJson', 1], ['deepCopy', 1], ['plural "a" "b"', 1], ['default "d"', 1], ['join ","', 1],
  ['printf "%v"', 1], ['printf "%s|%d"', 2], ['printf "%q %x"', 2], ['printf "%5.1f"', 1], ['indent 2', 1], ['trunc 2', 1],
  ['repeat 2', 1], ['replace "a" "b"', 1], ['contains "a"', 1], ['hasPrefix "a"', 1], ['trimPrefix "a"', 1], ['splitList ","', 1],
  ['add', 2], ['sub', 2], ['mul', 2], ['div', 2], ['mod', 2], ['max', 2], ['min', 2], ['addf', 2], ['mulf', 2], ['round', 2],
  ['eq', 2], ['ne', 2], ['lt', 2], ['le', 2], ['gt', 2], ['ge', 2], ['and', 2], ['or', 2], ['index', 2], ['has', 2],
  ['append', 2], ['prepend', 2], ['concat', 2], ['without', 2], ['ternary "y" "n"', 1], ['coalesce', 2], ['cat', 2],
  ['list', 2], ['dict "a"', 1], ['hasKey', 2], ['get', 2], ['pluck "k"', 1], ['substr 1 3', 1], ['regexFind "[a-z]+"', 1],
  ['regexReplaceAll "[aeiou]" ', 2], ['regexSplit ","', 2], ['deepEqual', 2], ['semverCompare "^1"', 1], ['b32enc', 1],
  ['abbrev 5', 1], ['wrap 3', 1], ['swapcase', 1], ['chunk 2', 1], ['slice', 2], ['dig "a" "x"', 1], ['toRawJson', 1],
];

export function generatedCases(count: number, seed = 20240229): Case[] {
  const rnd = prng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const out: Case[] = [];
  for (let i = 0; i < count; i++) {
    const [f1, n1] = pick(funcs);
    const args1 = Array.from({ length: n1 }, () => pick(atoms));
    let expr = `${f1} ${args1.join(' ')}`;
    if (rnd() < 0.5) {
      const [f2, n2] = pick(funcs);
      const args2 = Array.from({ length: n2 - 1 }, () => pick(atoms));
      expr += ` | ${f2}${args2.length ? ` ${args2.join(' ')}` : ''}`;
    }
    out.push([`{{ ${expr} }}`]);
  }
  return out;
}

const texts = ['', 'x', ' ', '\n', ' a \n ', '\t-\t'];
const rangeable = ['(list 1 2 3)', '(list "b" "a")', '(list)', '(dict "k" "v" "a" 1)', '(dict)', '(until 4)', '(splitList "," "x,y")',
  '(fromJson .json)', '(fromJson "[1,\\"a\\"]")', '(split "," "p,q")', '.', '.missing', '(list nil (dict "a" 1))'];

/** Random nesting of if/with/range/define, variables, trim markers and comments. */
export function generatedStructures(count: number, seed = 4242): Case[] {
  const rnd = prng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const open = () => (rnd() < 0.3 ? '{{- ' : '{{ ');
  const close = () => (rnd() < 0.3 ? ' -}}' : ' }}');
  const gen = (depth: number, vars: string[]): string => {
    let out = pick(texts);
    const n = 1 + Math.floor(rnd() * 3);
    for (let i = 0; i < n; i++) {
      const r = rnd();
      const v = vars.length > 0 && rnd() < 0.4 ? pick(vars) : '.';
      if (depth > 0 && r < 0.2) {
        out += `${open()}if ${pick(atoms)}${close()}${gen(depth - 1, vars)}${rnd() < 0.5 ? `${open()}else${close()}${gen(depth - 1, vars)}` : ''}${open()}end${close()}`;
      } else if (depth > 0 && r < 0.35) {
        out += `${open()}with ${pick(atoms)}${close()}${gen(depth - 1, vars)}${open()}end${close()}`;
      } else if (depth > 0 && r < 0.5) {
        const name = `$v${depth}`;
        out += `${open()}range $i${depth}, ${name} := ${pick(rangeable)}${close()}${gen(depth - 1, [...vars, name, `$i${depth}`])}${rnd() < 0.3 ? `${open()}${pick(['break', 'continue'])}${close()}` : ''}${open()}else${close()}E${open()}end${close()}`;
      } else if (r < 0.6) {
        const name = `$d${depth}${i}`;
        out += `${open()}${name} := ${pick(atoms)}${close()}${open()}${name}${close()}`;
        vars = [...vars, name];
      } else if (r < 0.7) {
        out += rnd() < 0.5 ? '{{/* c */}}' : '{{- /* c */ -}}';
      } else if (r < 0.8) {
        out += `${open()}${v}${close()}`;
      } else {
        out += `${open()}printf "%v|%T" ${v} ${pick(atoms)}${close()}`;
      }
      out += pick(texts);
    }
    return out;
  };
  return Array.from({ length: count }, () => [gen(3, [])] as Case);
}
