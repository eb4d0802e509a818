import { clusterError } from '../../../src/errors.js';
import type { CliIo } from '../../io.js';
import type { KubesealFlags } from './index.js';

// --validate and --re-encrypt need the controller; wired to the online commands when they land.
export async function runOnlineKubeseal(_io: CliIo, f: KubesealFlags, _cluster: object): Promise<void> {
  const use = f.validate ? 'cloak validate -f FILE' : 'cloak reencrypt -f FILE';
  throw clusterError('NeedsController', `${f.validate ? '--validate' : '--re-encrypt'} needs the controller`, { hint: `use \`${use}\`` });
}
