// gitignore-style patterns for `.cloaklintignore` and `--ignore`: `#` comments, `!` negation,
// a trailing `/` for directories only, a `/` inside anchors the pattern to the scanned root,
// `*`, `?`, `[…]` and `**`. The last matching pattern wins; an ignored directory hides all below it.
interface Pattern { re: RegExp; negate: boolean; dirOnly: boolean }

export class IgnoreList {
  private readonly patterns: Pattern[] = [];

  add(lines: Iterable<string>): this {
    for (const raw of lines) {
      let line = raw.replace(/\r$/, '');
      if (!line.trim() || line.startsWith('#')) continue;
      line = line.replace(/(?<!\\)\s+$/, '');
      let negate = false;
      if (line.startsWith('!')) { negate = true; line = line.slice(1); }
      if (line.startsWith('\\')) line = line.slice(1);
      let dirOnly = false;
      if (line.endsWith('/')) { dirOnly = true; line = line.slice(0, -1); }
      const anchored = line.includes('/');
      if (line.startsWith('/')) line = line.slice(1);
      if (!line) continue;
      this.patterns.push({ re: new RegExp(`^${anchored ? '' : '(?:.*/)?'}${globToRegex(line)}$`), negate, dirOnly });
    }
    return this;
  }

  /** `rel` is relative to the scanned root, with `/` separators. */
  ignores(rel: string, isDir: boolean): boolean {
    const parts = rel.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) if (this.match(parts.slice(0, i).join('/'), true)) return true;
    return this.match(parts.join('/'), isDir);
  }

  private match(path: string, isDir: boolean): boolean {
    let ignored = false;
    for (const p of this.patterns) if ((!p.dirOnly || isDir) && p.re.test(path)) ignored = !p.negate;
    return ignored;
  }
}

function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/';
        const atEnd = i + 2 === glob.length || glob[i + 2] === '/';
        if (atStart && atEnd) {
          if (i + 2 === glob.length) out += '.*';
          else { out += '(?:.*/)?'; i++; }
          i++;
          continue;
        }
      }
      out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) { out += '\\['; continue; }
      let body = glob.slice(i + 1, end);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      out += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '\\' && i + 1 < glob.length) {
      out += escape(glob[++i] as string);
    } else out += escape(c);
  }
  return out;
}

function escape(c: string): string {
  return /[.+^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
