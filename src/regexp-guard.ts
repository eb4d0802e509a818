// Go's regexp (RE2) runs in linear time; JavaScript's backtracks, so a pattern like `^(a+)+$` from a
// user's template or find.name.regexp could stall the process for hours. This switches V8 to its
// linear-time engine whenever a match backtracks too much (patterns without lookarounds, which is
// nearly every RE2 pattern). Import it first in every entry point: it must run before any match.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
