// The command table: each entry registers one top-level command on the program.
// Command modules only wire commander; their work is imported lazily inside the action.
import type { Command } from 'commander';
import type { CliIo } from './io.js';

export type Register = (program: Command, io: CliIo) => void;
type Load = () => Promise<{ register: Register }>;

/**
 * `{ name, load }` entries load only when that command runs (or for help); a bare loader always
 * loads. Naming the command keeps start-up to the one command the user asked for.
 */
export type CommandEntry = Load | { name: string; load: Load };

export const commandModules: CommandEntry[] = [
  { name: 'seal', load: () => import('./commands/seal/index.js') },
  { name: 'unseal', load: () => import('./commands/unseal/index.js') },
  { name: 'cert', load: () => import('./commands/cert/index.js') },
  { name: 'keys', load: () => import('./commands/keys/index.js') },
  { name: 'kubeseal', load: () => import('./commands/kubeseal/index.js') },
  { name: 'validate', load: () => import('./commands/validate/index.js') },
  { name: 'reencrypt', load: () => import('./commands/reencrypt/index.js') },
  { name: 'set', load: () => import('./commands/set/index.js') },
  { name: 'unset', load: () => import('./commands/set/unset.js') },
  { name: 'external', load: () => import('./commands/external/index.js') },
  { name: 'refresh', load: () => import('./commands/refresh/index.js') },
  { name: 'template', load: () => import('./commands/template/index.js') },
  { name: 'lint', load: () => import('./commands/lint/index.js') },
];
