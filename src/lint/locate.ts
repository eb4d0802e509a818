// From a path in an object to where it is written: the key of the deepest pair that exists.
import { isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import type { Path, Position } from './types.js';

export function locate(root: Node | null | undefined, path: Path, lines: LineCounter): Position {
  let node: unknown = root;
  let offset = (root as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && (isScalar(p.key) ? p.key.value : p.key) === seg);
      if (!pair) break;
      const keyRange = (pair.key as { range?: [number, number, number] } | null)?.range;
      if (keyRange) offset = keyRange[0];
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as { range?: [number, number, number] } | undefined;
      if (!item) break;
      if (item.range) offset = item.range[0];
      node = item;
    } else {
      break;
    }
  }
  const p = lines.linePos(offset);
  return { line: p.line, column: p.col };
}
