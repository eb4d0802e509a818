// Serves /metrics (Prometheus text format) on --listen-metrics-addr.
import http from 'node:http';
import type { MetricsRegistry } from './registry.js';

export function createMetricsServer(registry: MetricsRegistry): http.Server {
  return http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path !== '/metrics') { res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }); res.end('not found\n'); return; }
    const body = registry.render();
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
}
