// The items of a SealedSecret and which key our hint annotations say sealed each one.
import { ANNOTATION_SEALING_KEY, ANNOTATION_SEALING_KEYS } from '../../sealed/types.js';
import type { LintDocument, Path } from '../types.js';
import { metadataOf } from './object-name.js';

export interface SealedItem { key: string; value: unknown; path: Path }

export function sealedItems(doc: LintDocument): SealedItem[] {
  const spec = doc.value.spec as Record<string, unknown> | undefined;
  const data = spec && typeof spec === 'object' ? spec.encryptedData : undefined;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return [];
  return Object.entries(data).map(([key, value]) => ({ key, value, path: ['spec', 'encryptedData', key] }));
}

export interface KeyHints {
  /** Fingerprint per item; undefined when no hint names its key (items whose hint a Helm action writes are left out). */
  byItem: Map<string, string | undefined>;
  /** Where the hint is written (for positions). */
  hintPath: Path;
}

export function keyHints(doc: LintDocument, items: SealedItem[]): KeyHints {
  const ann = metadataOf(doc.value).annotations as Record<string, unknown> | undefined;
  const all = typeof ann?.[ANNOTATION_SEALING_KEY] === 'string' ? (ann[ANNOTATION_SEALING_KEY] as string) : undefined;
  let perItem: Record<string, unknown> = {};
  if (typeof ann?.[ANNOTATION_SEALING_KEYS] === 'string') {
    try { perItem = JSON.parse(ann[ANNOTATION_SEALING_KEYS] as string) as Record<string, unknown>; } catch { perItem = {}; }
  }
  const byItem = new Map<string, string | undefined>();
  const templated = new Set<string>();
  for (const it of items) {
    const fp = perItem[it.key];
    byItem.set(it.key, typeof fp === 'string' ? fp : all);
    if (doc.templated(byItem.get(it.key))) templated.add(it.key);
  }
  const hintPath: Path = ann?.[ANNOTATION_SEALING_KEYS] !== undefined ? ['metadata', 'annotations', ANNOTATION_SEALING_KEYS]
    : all !== undefined ? ['metadata', 'annotations', ANNOTATION_SEALING_KEY] : ['metadata'];
  for (const k of templated) byItem.delete(k);
  return { byItem, hintPath };
}

/** Items grouped by hinted fingerprint (undefined = no hint), item names sorted. */
export function groupByKey(hints: KeyHints): Map<string | undefined, string[]> {
  const out = new Map<string | undefined, string[]>();
  for (const [item, fp] of hints.byItem) out.set(fp, [...(out.get(fp) ?? []), item]);
  for (const v of out.values()) v.sort();
  return out;
}

export function itemList(items: string[]): string {
  return `${items.length === 1 ? 'item' : 'items'} ${items.join(', ')}`;
}
