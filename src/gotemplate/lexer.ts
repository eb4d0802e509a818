// The text/template lexer (a port of Go's text/template/parse/lex.go), producing all tokens up
// front. An error token ends the stream.

export type TokenType =
  | 'error' | 'bool' | 'char' | 'charConstant' | 'comment' | 'assign' | 'declare' | 'EOF' | 'field'
  | 'identifier' | 'leftDelim' | 'leftParen' | 'number' | 'pipe' | 'rawString' | 'rightDelim'
  | 'rightParen' | 'space' | 'string' | 'text' | 'variable'
  // keywords
  | 'block' | 'break' | 'continue' | 'dot' | 'define' | 'else' | 'end' | 'if' | 'nil' | 'range' | 'template' | 'with';

export interface Token {
  type: TokenType;
  val: string;
  pos: number;
  line: number;
}

const keywords: Record<string, TokenType> = {
  '.': 'dot', block: 'block', break: 'break', continue: 'continue', define: 'define', else: 'else',
  end: 'end', if: 'if', range: 'range', nil: 'nil', template: 'template', with: 'with',
};

const spaceChars = ' \t\r\n';
const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const unicodeAlnum = /^[\p{L}\p{Nd}]$/u;
function isAlphaNumeric(c: string | undefined): boolean {
  if (c === undefined) return false;
  const x = c.charCodeAt(0);
  if (x < 0x80) return (x >= 0x61 && x <= 0x7a) || (x >= 0x41 && x <= 0x5a) || (x >= 0x30 && x <= 0x39) || x === 0x5f;
  return unicodeAlnum.test(c);
}
const leftComment = '/*';
const rightComment = '*/';

function hasLeftTrimMarker(s: string, at: number): boolean {
  return s.length - at >= 2 && s[at] === '-' && isSpace(s[at + 1]);
}
function hasRightTrimMarker(s: string, at: number): boolean {
  return s.length - at >= 2 && isSpace(s[at]) && s[at + 1] === '-';
}
function rightTrimLength(s: string): number {
  let i = s.length;
  while (i > 0 && spaceChars.includes(s[i - 1]!)) i--;
  return s.length - i;
}
function leftTrimLength(s: string, at: number): number {
  let i = at;
  while (i < s.length && spaceChars.includes(s[i]!)) i++;
  return i - at;
}

export function lex(input: string, leftDelim = '{{', rightDelim = '}}', emitComment = false): Token[] {
  const tokens: Token[] = [];
  let start = 0;
  let pos = 0;
  let line = 1;
  let startLine = 1;
  let parenDepth = 0;

  const emit = (type: TokenType) => {
    tokens.push({ type, val: input.slice(start, pos), pos: start, line: startLine });
    start = pos;
    startLine = line;
  };
  const ignore = () => {
    line += count(input.slice(start, pos));
    start = pos;
    startLine = line;
  };
  const fail = (msg: string): false => {
    tokens.push({ type: 'error', val: msg, pos: start, line: startLine });
    return false;
  };
  const next = (): string | undefined => {
    if (pos >= input.length) {
      pos = input.length + 1; // sentinel so backup works
      return undefined;
    }
    const code = input.charCodeAt(pos);
    const c = code < 0xd800 || code > 0xdbff ? input[pos]! : String.fromCodePoint(input.codePointAt(pos)!);
    pos += c.length;
    if (c === '\n') line++;
    return c;
  };
  const backup = (c: string | undefined) => {
    if (c === undefined) {
      pos = input.length;
      return;
    }
    pos -= c.length;
    if (c === '\n') line--;
  };
  const peek = () => {
    const c = next();
    backup(c);
    return c;
  };
  const atRightDelim = (): [boolean, boolean] => {
    if (hasRightTrimMarker(input, pos) && input.startsWith(rightDelim, pos + 2)) return [true, true];
    if (input.startsWith(rightDelim, pos)) return [true, false];
    return [false, false];
  };
  const atTerminator = () => {
    const r = peek();
    if (r === undefined || isSpace(r)) return true;
    if ('.,|:)('.includes(r)) return true;
    return input.startsWith(rightDelim, pos);
  };

  // Each state returns the next state, or null to stop.
  type State = () => State | null;

  const lexText: State = () => {
    const x = input.indexOf(leftDelim, pos);
    if (x >= 0) {
      pos = x;
      let trimLength = 0;
      const delimEnd = pos + leftDelim.length;
      if (hasLeftTrimMarker(input, delimEnd)) trimLength = rightTrimLength(input.slice(start, pos));
      pos -= trimLength;
      if (pos > start) {
        line += count(input.slice(start, pos));
        emit('text');
      }
      pos += trimLength;
      ignore();
      return lexLeftDelim;
    }
    pos = input.length;
    if (pos > start) {
      line += count(input.slice(start, pos));
      emit('text');
    }
    emit('EOF');
    return null;
  };

  const lexLeftDelim: State = () => {
    pos += leftDelim.length;
    const trimSpace = hasLeftTrimMarker(input, pos);
    const afterMarker = trimSpace ? 2 : 0;
    if (input.startsWith(leftComment, pos + afterMarker)) {
      pos += afterMarker;
      ignore();
      return lexComment;
    }
    emit('leftDelim');
    pos += afterMarker;
    ignore();
    parenDepth = 0;
    return lexInsideAction;
  };

  const lexComment: State = () => {
    pos += leftComment.length;
    const x = input.indexOf(rightComment, pos);
    if (x < 0) return fail('unclosed comment') || null;
    pos = x + rightComment.length;
    const [delim, trimSpace] = atRightDelim();
    if (!delim) return fail('comment ends before closing delimiter') || null;
    if (emitComment) emit('comment');
    if (trimSpace) pos += 2;
    pos += rightDelim.length;
    if (trimSpace) pos += leftTrimLength(input, pos);
    ignore();
    return lexText;
  };

  const lexRightDelim: State = () => {
    const trimSpace = hasRightTrimMarker(input, pos);
    if (trimSpace) {
      pos += 2;
      ignore();
    }
    pos += rightDelim.length;
    emit('rightDelim');
    if (trimSpace) {
      pos += leftTrimLength(input, pos);
      ignore();
    }
    return lexText;
  };

  const lexInsideAction: State = () => {
    const [delim] = atRightDelim();
    if (delim) {
      if (parenDepth === 0) return lexRightDelim;
      return fail('unclosed left paren') || null;
    }
    const r = next();
    if (r === undefined) return fail('unclosed action') || null;
    if (isSpace(r)) {
      backup(r);
      return lexSpace;
    }
    switch (r) {
      case '=':
        emit('assign');
        return lexInsideAction;
      case ':':
        if (next() !== '=') return fail('expected :=') || null;
        emit('declare');
        return lexInsideAction;
      case '|':
        emit('pipe');
        return lexInsideAction;
      case '"':
        return lexQuote;
      case '`':
        return lexRawQuote;
      case '$':
        return lexVariable;
      case "'":
        return lexChar;
      case '.': {
        if (pos < input.length) {
          const c = input[pos]!;
          if (c < '0' || c > '9') return lexField;
        }
        backup(r);
        return lexNumber;
      }
      case '(':
        emit('leftParen');
        parenDepth++;
        return lexInsideAction;
      case ')':
        emit('rightParen');
        parenDepth--;
        if (parenDepth < 0) return fail(`unexpected right paren ${runeDesc(r)}`) || null;
        return lexInsideAction;
    }
    if (r === '+' || r === '-' || (r >= '0' && r <= '9')) {
      backup(r);
      return lexNumber;
    }
    if (isAlphaNumeric(r)) {
      backup(r);
      return lexIdentifier;
    }
    if (r.codePointAt(0)! <= 0x7f && /[\x21-\x7e]/.test(r)) {
      emit('char');
      return lexInsideAction;
    }
    return fail(`unrecognized character in action: ${runeDesc(r)}`) || null;
  };

  const lexSpace: State = () => {
    let numSpaces = 0;
    while (isSpace(peek())) {
      next();
      numSpaces++;
    }
    if (hasRightTrimMarker(input, pos - 1) && input.startsWith(rightDelim, pos - 1 + 2)) {
      backup(input[pos - 1]);
      if (numSpaces === 1) return lexRightDelim;
    }
    emit('space');
    return lexInsideAction;
  };

  const lexIdentifier: State = () => {
    for (;;) {
      const r = next();
      if (isAlphaNumeric(r)) continue;
      backup(r);
      const word = input.slice(start, pos);
      if (!atTerminator()) return fail(`bad character ${runeDesc(peek())}`) || null;
      const kw = Object.hasOwn(keywords, word) ? keywords[word] : undefined;
      if (kw && kw !== 'dot') emit(kw);
      else if (word[0] === '.') emit('field');
      else if (word === 'true' || word === 'false') emit('bool');
      else emit('identifier');
      return lexInsideAction;
    }
  };

  const lexFieldOrVariable = (type: 'field' | 'variable'): State | null => {
    if (atTerminator()) {
      emit(type === 'variable' ? 'variable' : 'dot');
      return lexInsideAction;
    }
    let r: string | undefined;
    for (;;) {
      r = next();
      if (!isAlphaNumeric(r)) {
        backup(r);
        break;
      }
    }
    if (!atTerminator()) return fail(`bad character ${runeDesc(r)}`) || null;
    emit(type);
    return lexInsideAction;
  };
  const lexField: State = () => lexFieldOrVariable('field');
  const lexVariable: State = () => lexFieldOrVariable('variable');

  const lexChar: State = () => {
    for (;;) {
      let r = next();
      if (r === '\\') {
        r = next();
        if (r !== undefined && r !== '\n') continue;
      }
      if (r === undefined || r === '\n') return fail('unterminated character constant') || null;
      if (r === "'") break;
    }
    emit('charConstant');
    return lexInsideAction;
  };

  const lexNumber: State = () => {
    if (!scanNumber()) return fail(`bad number syntax: "${input.slice(start, pos)}"`) || null;
    const sign = peek();
    if (sign === '+' || sign === '-') {
      // complex: 1+2i
      if (!scanNumber() || input[pos - 1] !== 'i') return fail(`bad number syntax: "${input.slice(start, pos)}"`) || null;
    }
    emit('number');
    return lexInsideAction;
  };

  const accept = (valid: string): boolean => {
    const r = next();
    if (r !== undefined && valid.includes(r)) return true;
    backup(r);
    return false;
  };
  const acceptRun = (valid: string) => {
    for (;;) {
      const r = next();
      if (r === undefined || !valid.includes(r)) {
        backup(r);
        return;
      }
    }
  };
  const scanNumber = (): boolean => {
    accept('+-');
    let digits = '0123456789_';
    if (accept('0')) {
      if (accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (accept('oO')) digits = '01234567_';
      else if (accept('bB')) digits = '01_';
    }
    acceptRun(digits);
    if (accept('.')) acceptRun(digits);
    if (digits.length === 11 && accept('eE')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    if (digits.length === 23 && accept('pP')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    accept('i');
    if (isAlphaNumeric(peek())) {
      next();
      return false;
    }
    return true;
  };

  const lexQuote: State = () => {
    for (;;) {
      let r = next();
      if (r === '\\') {
        r = next();
        if (r !== undefined && r !== '\n') continue;
      }
      if (r === undefined || r === '\n') return fail('unterminated quoted string') || null;
      if (r === '"') break;
    }
    emit('string');
    return lexInsideAction;
  };

  const lexRawQuote: State = () => {
    const x = input.indexOf('`', pos);
    if (x < 0) return fail('unterminated raw quoted string') || null;
    line += count(input.slice(pos, x));
    pos = x + 1;
    emit('rawString');
    return lexInsideAction;
  };

  let state: State | null = lexText;
  while (state) state = state();
  return tokens;
}

function count(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

export function runeDesc(r: string | undefined): string {
  if (r === undefined) return 'EOF';
  const cp = r.codePointAt(0)!;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${r}'`;
}
