// Loaded into the sandbox's cloak-controller with NODE_OPTIONS=--import: if the sandbox dies without
// stopping it (SIGKILL, a crash), the controller is re-parented and shuts itself down with SIGTERM (its
// own graceful path) instead of running on. The controller's code is unchanged.
import { stopWhenOrphaned } from './parent-watch.js';

stopWhenOrphaned(() => process.kill(process.pid, 'SIGTERM'));
