// With --cert FILE…: every item should be sealed with one of those keys, per our key-hint
// annotations (cloak.dev/sealing-key, or cloak.dev/sealing-keys per item). Without a hint the key
// is unknown: the file cannot show which certificate sealed it.
import { ANNOTATION_SEALING_KEY } from '../../sealed/types.js';
import type { Rule } from '../types.js';
import { describeObject } from './object-name.js';
import { groupByKey, itemList, keyHints, sealedItems } from './sealed-items.js';

export const unknownKey: Rule = {
  id: 'unknown-key',
  severity: 'error',
  description: 'a SealedSecret item was sealed with a key that is not among --cert (or with an unknown key)',
  check(doc, ctx) {
    if (doc.value.kind !== 'SealedSecret' || ctx.keys.size === 0) return [];
    const items = sealedItems(doc);
    const hints = keyHints(doc, items);
    const what = describeObject(doc.value);
    const out = [];
    for (const [fp, names] of groupByKey(hints)) {
      if (fp === undefined) {
        out.push({ ...doc.at(hints.hintPath), message: `${what}: ${itemList(names)} sealed with an unknown key (no ${ANNOTATION_SEALING_KEY} annotation): re-seal with \`cloak seal --cert\` or \`cloak reencrypt\` to record it` });
      } else if (!ctx.keys.has(fp)) {
        out.push({ ...doc.at(hints.hintPath), message: `${what}: ${itemList(names)} sealed with key ${fp}, which is not among --cert: re-encrypt with \`cloak reencrypt\`` });
      }
    }
    return out;
  },
};
