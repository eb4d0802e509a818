// `cloak unset FILE KEY`: wiring only; the work loads when the command runs.
import type { Command } from 'commander';
import type { CliIo } from '../../io.js';

export function register(program: Command, io: CliIo): void {
  program
    .command('unset')
    .description('remove one item from an existing SealedSecret file, in place (needs no key or certificate)')
    .argument('<file>', 'the SealedSecret file to edit')
    .argument('<key>', 'the item to remove')
    .action(async (file: string, key: string) => {
      const { runUnset } = await import('./run.js');
      await runUnset(io, file, key);
    });
}
