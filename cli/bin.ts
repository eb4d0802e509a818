// Entry of bin/cloak: refuse old Node in one line, then run the CLI.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  process.stderr.write(`error: cloak needs Node >= 22.19 (this is ${process.versions.node}); run it through bin/cloak after npm ci, or install Node 24 LTS\n`);
  process.exit(1);
}
// Cache compiled code between runs (Node >= 22.1): start-up is part of the product.
// getBuiltinModule, unlike import(), builds no ESM facade of node:module.
process.getBuiltinModule('node:module').enableCompileCache?.();
// A failing stdout (`> /dev/full`, a closed pipe) is one line on stderr, not an unhandled 'error' event.
// Hooked when the stream is first used: creating process.stdout costs ~5 ms the fast path saves.
let stdoutHooked = false;
const hookStdout = (): NodeJS.WriteStream => {
  if (!stdoutHooked) {
    stdoutHooked = true;
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') {
        const why = e.code === 'ENOSPC' ? 'ENOSPC (no space left on device)' : (e.code ?? e.message);
        process.stderr.write(`error: cannot write to standard output: ${why} (free space, or write to a file with -w FILE where the command has it)\n`);
      }
      process.exit(2);
    });
  }
  return process.stdout;
};
const argv = process.argv.slice(2);
const stdout = (c: string | Uint8Array) => hookStdout().write(c);
const stderr = (c: string) => process.stderr.write(c);
// `cloak seal` of a plain Secret loads one small module (no commander, no yaml library); anything
// it does not handle runs the normal path below, with the stdin it may have read.
const fast = argv[0] === 'seal'
  ? await import('./fast-seal/index.js').then(async (m) => ({
    m,
    r: await m.fastSeal(argv.slice(1), { env: process.env, cwd: process.cwd(), stdout: (c) => m.writeStdoutSync(c, stdout), stderr, readStdin: m.readStdinSync }),
  }))
  : undefined;
if (fast?.r.handled) {
  process.exitCode = 0;
} else {
  hookStdout();
  const { run } = await import('./main.js');
  const read = fast && !fast.r.handled ? fast.r.stdin : undefined;
  process.exitCode = await run(argv, {
    stdin: fast && read ? fast.m.replayStdin(read) : process.stdin,
    stdout,
    stderr,
    env: process.env,
    cwd: process.cwd(),
    stdinIsTTY: read ? false : process.stdin.isTTY === true,
  });
}
