// Case conversions: huandu/xstrings (camelcase, snakecase, kebabcase, swapcase) and goutils' untitle.
import { isLetter, isLower, isNumber, isPunct, isSpaceCp, isUpper, toLowerCp, toUpperCp } from './gostrings.js';

export function swapCase(s: string): string {
  let out = '';
  for (const ch of s) out += isUpper(ch) ? toLowerCp(ch) : isLower(ch) ? toUpperCp(ch) : ch;
  return out;
}

export function untitle(s: string): string {
  let next = true;
  let out = '';
  for (const ch of s) {
    if (isSpaceCp(ch.codePointAt(0)!)) {
      next = true;
      out += ch;
    } else if (next) {
      out += toLowerCp(ch);
      next = false;
    } else out += ch;
  }
  return out;
}

// ---- huandu/xstrings case conversions ----
const isConnector = (ch: string) => ch === '-' || ch === '_' || isSpaceCp(ch.codePointAt(0)!);
const isAlphabet = (ch: string) => isLetter(ch);

export function toCamelCase(str: string): string {
  if (str === '') return '';
  const cps = [...str];
  let out = '';
  let i = 0;
  let r0 = '';
  for (; i < cps.length; ) {
    r0 = cps[i++]!;
    if (!isConnector(r0)) {
      r0 = toUpperCp(r0);
      break;
    }
    out += r0;
  }
  if (i >= cps.length) return out + r0;
  let r1: string;
  while (i < cps.length) {
    r1 = r0;
    r0 = cps[i++]!;
    if (isConnector(r0) && isConnector(r1)) {
      out += r1;
      continue;
    }
    if (isConnector(r1)) r0 = toUpperCp(r0);
    else {
      r0 = toLowerCp(r0);
      out += r1;
    }
  }
  return out + r0;
}

type WordType = 'invalid' | 'number' | 'upper' | 'alphabet' | 'connector' | 'punct' | 'other';

function nextWord(cps: string[], at: number): [WordType, number] {
  // returns type and end index of the word starting at `at`
  if (at >= cps.length) return ['invalid', at];
  const r = cps[at]!;
  let i = at + 1;
  const n = cps.length;
  if (isConnector(r)) {
    while (i < n && isConnector(cps[i]!)) i++;
    return ['connector', i];
  }
  if (isPunct(r)) {
    while (i < n && isPunct(cps[i]!)) i++;
    return ['punct', i];
  }
  if (isUpper(r)) {
    if (i >= n) return ['upper', i];
    const c = cps[i]!;
    if (isUpper(c)) {
      while (i < n && isUpper(cps[i]!)) i++;
      if (i < n && isAlphabet(cps[i]!)) i--;
    } else if (isAlphabet(c)) {
      while (i < n && isAlphabet(cps[i]!) && !isUpper(cps[i]!)) i++;
    }
    return ['upper', i];
  }
  if (isAlphabet(r)) {
    while (i < n && isAlphabet(cps[i]!) && !isUpper(cps[i]!)) i++;
    return ['alphabet', i];
  }
  if (isNumber(r)) {
    while (i < n && isNumber(cps[i]!)) i++;
    return ['number', i];
  }
  while (i < n && !isConnector(cps[i]!) && !isAlphabet(cps[i]!) && !isNumber(cps[i]!) && !isPunct(cps[i]!)) i++;
  return ['other', i];
}

export function camelCaseToLowerCase(str: string, connector: string): string {
  if (str === '') return '';
  const cps = [...str];
  let out = '';
  let pos = 0;
  const take = (): [WordType, string[]] => {
    const [t, end] = nextWord(cps, pos);
    const w = cps.slice(pos, end);
    pos = end;
    return [t, w];
  };
  const lower = (wt: WordType, w: string[]) => {
    if (wt !== 'upper' && wt !== 'connector') {
      out += w.join('');
      return;
    }
    for (const r of w) out += isConnector(r) ? connector : isUpper(r) ? toLowerCp(r) : r;
  };
  let [wt, word] = take();
  while (pos < cps.length) {
    if (wt !== 'connector') lower(wt, word);
    const prev = wt;
    const last = word;
    [wt, word] = take();
    switch (prev) {
      case 'number':
        while (wt === 'alphabet' || wt === 'number') {
          lower(wt, word);
          [wt, word] = take();
        }
        if (wt !== 'invalid' && wt !== 'punct' && wt !== 'connector') out += connector;
        break;
      case 'connector':
        lower(prev, last);
        break;
      case 'punct':
        break;
      default: {
        if (wt !== 'number') {
          if (wt !== 'connector' && wt !== 'punct') out += connector;
          break;
        }
        if (pos >= cps.length) break;
        const last2 = word;
        [wt, word] = take();
        if (wt !== 'alphabet') {
          lower('number', last2);
          if (wt !== 'connector' && wt !== 'punct') out += connector;
          break;
        }
        out += connector;
        lower('number', last2);
        while (wt === 'alphabet' || wt === 'number') {
          lower(wt, word);
          [wt, word] = take();
        }
        if (wt !== 'invalid' && wt !== 'connector' && wt !== 'punct') out += connector;
      }
    }
  }
  lower(wt, word);
  return out;
}

