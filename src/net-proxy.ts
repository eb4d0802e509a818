// Which proxy a request goes through, as Go's http.ProxyFromEnvironment and kubectl decide: an explicit
// proxy URL (the kubeconfig's `proxy-url`), else HTTPS_PROXY / HTTP_PROXY (by the server's scheme) unless
// NO_PROXY matches; loopback servers never use the environment's proxy. Node (>= 24.5) tunnels through
// HTTP(S) proxies itself with an Agent's `proxyEnv`.
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { clusterError } from './errors.js';

export interface ProxyChoice {
  url: string;
  /** Where the choice came from, for messages. */
  from: 'proxy-url' | 'HTTPS_PROXY' | 'HTTP_PROXY';
}

export function chooseProxy(server: URL, proxyUrl: string | undefined, env: Record<string, string | undefined>): ProxyChoice | undefined {
  if (proxyUrl) return { url: proxyUrl, from: 'proxy-url' };
  const host = server.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || isLoopback(host)) return undefined;
  const secure = server.protocol === 'https:';
  const url = secure ? env.HTTPS_PROXY ?? env.https_proxy : env.HTTP_PROXY ?? env.http_proxy;
  if (!url) return undefined;
  if (noProxyMatches(host, server.port || (secure ? '443' : '80'), env.NO_PROXY ?? env.no_proxy ?? '')) return undefined;
  return { url, from: secure ? 'HTTPS_PROXY' : 'HTTP_PROXY' };
}

const agents = new Map<string, http.Agent>();

/** The agent that tunnels through the chosen proxy (CONNECT for https servers), one per proxy and scheme so tunnels are reused. */
export function proxyAgent(server: URL, choice: ProxyChoice): http.Agent {
  const key = `${server.protocol}|${choice.url}`;
  let agent = agents.get(key);
  if (!agent) agents.set(key, (agent = newProxyAgent(server, choice)));
  return agent;
}

function newProxyAgent(server: URL, choice: ProxyChoice): http.Agent {
  let scheme: string;
  try {
    scheme = new URL(choice.url).protocol;
  } catch {
    throw clusterError('BadProxy', `${choice.from} "${choice.url}" is not a URL`, { hint: 'use http://HOST:PORT' });
  }
  if (scheme !== 'http:' && scheme !== 'https:') {
    throw clusterError('UnsupportedProxy', `${choice.from} uses ${scheme.replace(/:$/, '')}, which cloak does not support`, {
      hint: 'use an HTTP(S) proxy (http://HOST:PORT)',
    });
  }
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 24 || (major === 24 && minor < 5)) {
    throw clusterError('ProxyNeedsNewerNode', `${choice.from} is set, but this Node (${process.versions.node}) cannot tunnel through proxies`, {
      hint: 'run cloak on Node >= 24.5 (bin/cloak uses the project\'s Node 24 after npm ci)',
    });
  }
  const proxyEnv = { HTTPS_PROXY: choice.url, HTTP_PROXY: choice.url };
  return server.protocol === 'https:' ? new https.Agent({ proxyEnv }) : new http.Agent({ proxyEnv });
}

function isLoopback(host: string): boolean {
  const v = isIP(host);
  if (v === 4) return host.startsWith('127.');
  if (v === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

/** Go's NO_PROXY rules: `*`, exact hosts, domain suffixes (`.example.com` or `example.com`), host:port, IPs. */
function noProxyMatches(host: string, port: string, noProxy: string): boolean {
  for (const raw of noProxy.split(',')) {
    let entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    let entryPort: string | undefined;
    const m = /^(.*):(\d+)$/.exec(entry);
    if (m && !entry.includes('::')) { entry = m[1]!; entryPort = m[2]; }
    if (entryPort && entryPort !== port) continue;
    entry = entry.replace(/^\[|\]$/g, '');
    const h = host.toLowerCase();
    if (isIP(entry) || isIP(h)) { if (entry === h) return true; continue; }
    const bare = entry.replace(/^\*?\./, '');
    if (h === bare || h.endsWith(`.${bare}`)) return true;
  }
  return false;
}
