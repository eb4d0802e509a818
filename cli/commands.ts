// The command table: each entry registers one top-level command on the program.
// Command modules only wire commander; their work is imported lazily inside the action.
import type { Command } from 'commander';
import type { CliIo } from './io.js';

export type Register = (program: Command, io: CliIo) => void;

export const commandModules: Array<() => Promise<{ register: Register }>> = [
  () => import('./commands/seal/index.js'),
  () => import('./commands/unseal/index.js'),
  () => import('./commands/cert/index.js'),
  () => import('./commands/keys/index.js'),
  () => import('./commands/kubeseal/index.js'),
  () => import('./commands/validate/index.js'),
  () => import('./commands/reencrypt/index.js'),
];
