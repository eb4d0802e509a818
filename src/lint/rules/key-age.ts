// With --max-key-age: items whose sealing key (known from --cert by our key hint) has a certificate
// NotBefore older than the limit should be re-encrypted with the current key.
import type { Rule } from '../types.js';
import { describeObject } from './object-name.js';
import { groupByKey, itemList, keyHints, sealedItems } from './sealed-items.js';

const DAY_MS = 86_400_000;

export const keyAge: Rule = {
  id: 'key-age',
  severity: 'warning',
  description: 'a SealedSecret item was sealed with a key older than --max-key-age',
  check(doc, ctx) {
    if (doc.value.kind !== 'SealedSecret' || ctx.maxKeyAgeMs === undefined) return [];
    const items = sealedItems(doc);
    const hints = keyHints(doc, items);
    const out = [];
    for (const [fp, names] of groupByKey(hints)) {
      const known = fp ? ctx.keys.get(fp) : undefined;
      if (!known) continue;
      const age = ctx.now.getTime() - known.cert.notBefore.getTime();
      if (age <= ctx.maxKeyAgeMs) continue;
      out.push({
        ...doc.at(hints.hintPath),
        message: `${describeObject(doc.value)}: ${itemList(names)} sealed with key ${fp} from ${known.cert.notBefore.toISOString().slice(0, 10)} (${Math.floor(age / DAY_MS)} days old, over --max-key-age ${ctx.maxKeyAgeText ?? ''}): re-encrypt with \`cloak reencrypt\``,
      });
    }
    return out;
  },
};
