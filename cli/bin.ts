// Entry of bin/cloak: refuse old Node in one line, then run the CLI.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  process.stderr.write(`error: cloak needs Node >= 22.19 (this is ${process.versions.node}); run it through bin/cloak after npm ci, or install Node 24 LTS\n`);
  process.exit(1);
}
// Cache compiled code between runs (Node >= 22.1): start-up is part of the product.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
// A failing stdout (`> /dev/full`, a closed pipe) is one line on stderr, not an unhandled 'error' event.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') {
    const why = e.code === 'ENOSPC' ? 'ENOSPC (no space left on device)' : (e.code ?? e.message);
    process.stderr.write(`error: cannot write to standard output: ${why} (free space, or write to a file with -w FILE where the command has it)\n`);
  }
  process.exit(2);
});
const { run } = await import('./main.js');
const code = await run(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: (c) => process.stdout.write(c),
  stderr: (c) => process.stderr.write(c),
  env: process.env,
  cwd: process.cwd(),
  stdinIsTTY: process.stdin.isTTY === true,
});
process.exitCode = code;
