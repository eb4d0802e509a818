// `npm run X` starts its script through `sh -c`; `kill <npm pid>` ends npm and the shell but not the
// node process, which is re-parented and would keep listening. Long-running dev servers call this to
// stop when their parent goes away.
export function stopWhenOrphaned(stop: () => void, everyMs = 500): void {
  const parent = process.ppid;
  setInterval(() => { if (process.ppid !== parent) stop(); }, everyMs).unref();
}
