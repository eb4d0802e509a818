// `npm run X` starts its script through `sh -c`; `kill <npm pid>` ends npm and the shell but not the
// node process, which is re-parented and would keep listening. Long-running dev servers call this to
// stop when their parent goes away. The parent is read when this module loads, at process start: a
// server that prints "listening" before calling this could be orphaned in between (a test kills npm
// the moment it reads that line), and a parent read then would already be the new one.
const parentAtStart = process.ppid;

export function stopWhenOrphaned(stop: () => void, everyMs = 500): void {
  if (process.ppid !== parentAtStart) {
    stop();
    return;
  }
  setInterval(() => { if (process.ppid !== parentAtStart) stop(); }, everyMs).unref();
}
