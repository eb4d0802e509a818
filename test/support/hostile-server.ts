// HTTP servers that misbehave on purpose, for timeout, size-cap and bad-URL tests: `silent` accepts and never
// answers; `endless` answers 200 and sends a body (after an optional prefix) that never ends.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface HostileServers {
  /** Starts one on 127.0.0.1 and returns its base URL. */
  start(mode: 'silent' | 'endless', prefix?: string): Promise<string>;
  /** Starts one with any handler (HTML pages, errors, resets), closed with the others. */
  serve(handler: http.RequestListener): Promise<string>;
  /** Drops every connection and closes every server started. */
  close(): void;
}

export function hostileServers(): HostileServers {
  const sockets = new Set<Socket>();
  const servers: http.Server[] = [];
  return {
    start(mode, prefix = '') {
      return this.serve((_req, res) => {
        if (mode === 'silent') return;
        res.writeHead(200, { 'Content-Type': 'application/json' });
        if (prefix) res.write(prefix);
        const chunk = Buffer.alloc(64 * 1024, 0x41);
        const pump = () => { while (res.write(chunk)); };
        res.on('drain', pump);
        pump();
      });
    },
    async serve(handler) {
      const s = http.createServer(handler);
      s.on('connection', (c) => { sockets.add(c); c.on('close', () => sockets.delete(c)); c.on('error', () => undefined); });
      servers.push(s);
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
      return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    },
    close() {
      for (const c of sockets) c.destroy();
      for (const s of servers) s.close();
    },
  };
}
