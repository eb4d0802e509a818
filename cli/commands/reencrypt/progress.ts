// The progress bar of offline `cloak reencrypt` on a terminal: files, items, rate and ETA on one
// line redrawn at most ten times a second, cleared at the end. Off a terminal it prints nothing.
export interface Progress {
  update(filesDone: number, items: number): void;
  /** Clears the bar (before printing an error line or the summary). */
  clear(): void;
}

const WIDTH = 24;

export function progressBar(totalFiles: number, write: (s: string) => void, tty: boolean, now: () => number = () => performance.now()): Progress {
  const start = now();
  let last = 0;
  let shown = false;
  let state = { files: 0, items: 0 };
  const draw = () => {
    const secs = Math.max((now() - start) / 1000, 1e-3);
    const { files, items } = state;
    const filled = totalFiles === 0 ? WIDTH : Math.round((files / totalFiles) * WIDTH);
    const eta = files === 0 ? '--:--' : clock(((totalFiles - files) * secs) / files);
    write(`\r\x1b[K[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${files}/${totalFiles} files, ${items} items, ${Math.round(items / secs)} items/s, ETA ${eta}`);
    shown = true;
  };
  return {
    update(files, items) {
      state = { files, items };
      if (!tty) return;
      const t = now();
      if (t - last < 100 && files < totalFiles) return;
      last = t;
      draw();
    },
    clear() {
      if (shown) write('\r\x1b[K');
      shown = false;
      last = 0;
    },
  };
}

function clock(secs: number): string {
  const s = Math.round(secs);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
