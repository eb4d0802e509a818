// Go's regexp (RE2) runs in linear time; JavaScript's backtracks, so a pattern like `^(a+)+$` from a
// user's template or find.name.regexp could stall the process for hours. This switches V8 to its
// linear-time engine whenever a match backtracks too much (patterns without lookarounds, which is
// nearly every RE2 pattern). Import it before running user patterns: the controller's entry point, and
// only the CLI commands that evaluate templates or find patterns, because the flag costs the CLI about
// 15 ms of start-up (V8 compiles differently with it). bin/cloak-controller and the image pass it to node.
import { setFlagsFromString } from 'node:v8';

export const LINEAR_REGEXP_FLAG = '--enable-experimental-regexp-engine-on-excessive-backtracks';

if (!process.execArgv.includes(LINEAR_REGEXP_FLAG)) setFlagsFromString(LINEAR_REGEXP_FLAG);
