import http from 'node:http';
import type { Socket } from 'node:net';
import { REVOCATION_EVENTS_PATH } from '@tsunagu/contracts';
import { passThrough } from './pass-proxy';

/**
 * The bench's equivalent of test/support/push-proxy.ts: connectors' public addresses as the hub
 * and the other connectors see them. Everything is forwarded to the connector unchanged (the
 * peer exchanges too: the consumer's DPoP proof names the provider's public URL, so the proxy
 * must be the URL the connector registered), except the hub's pushed revocation events
 * (`POST /revocations/v1/events`), which can be delayed or cut (the connection is accepted and
 * never answered: what a dropped route or a hung middlebox looks like to the hub; the hub's own
 * timeout ends it).
 *
 * Run as a child process by bench/exchange.ts, so that its forwarding does not share the event
 * loop that takes the bench's timings: env PUSH_PROXIES = `listenPort:upstreamPort,…` (all on
 * 127.0.0.1), CONTROL_PORT. The control port answers `GET /health`, `PUT /path` (a PushPath as
 * JSON, for every proxy of the process) and `GET /stats`.
 */

/** What happens to the hub's pushed revocation events on their way to the connector. */
export type PushPath = { kind: 'pass' } | { kind: 'delay'; ms: number } | { kind: 'cut' };

export interface PushProxyStats {
  path: PushPath;
  /** Pushes seen, by listening port. */
  pushes: Record<string, number>;
  /** Pushes held open and never answered (cut). */
  cut: number;
}

/** The bench's handle on the child process's control port. */
export function pushProxyControl(controlUrl: string): { setPath(path: PushPath): Promise<void>; stats(): Promise<PushProxyStats> } {
  return {
    async setPath(path) {
      const res = await fetch(`${controlUrl}/path`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(path) });
      if (res.status !== 204) throw new Error(`push proxy: PUT /path answered ${res.status}`);
    },
    async stats() {
      return (await (await fetch(`${controlUrl}/stats`)).json()) as PushProxyStats;
    },
  };
}

function main(): void {
  const pairs = (process.env.PUSH_PROXIES ?? '').split(',').filter(Boolean).map((p) => p.split(':').map(Number) as [number, number]);
  const controlPort = Number(process.env.CONTROL_PORT);
  const state: PushProxyStats = { path: { kind: 'pass' }, pushes: {}, cut: 0 };
  const servers: http.Server[] = [];
  const sockets = new Set<Socket>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 64 });

  for (const [port, upstreamPort] of pairs) {
    state.pushes[port] = 0;
    const server = http.createServer((req, res) => {
      if (req.method === 'POST' && req.url === REVOCATION_EVENTS_PATH) {
        state.pushes[port]++;
        const path = state.path;
        if (path.kind === 'cut') {
          state.cut++;
          req.resume();
          return;
        }
        if (path.kind === 'delay') {
          setTimeout(() => passThrough(req, res, upstreamPort, agent), path.ms);
          return;
        }
      }
      passThrough(req, res, upstreamPort, agent);
    });
    server.keepAliveTimeout = 65_000;
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    server.listen(port, '127.0.0.1');
    servers.push(server);
  }

  const control = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else if (req.method === 'GET' && req.url === '/stats') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(state));
    } else if (req.method === 'PUT' && req.url === '/path') {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (d: string) => (body += d));
      req.on('end', () => {
        const path = JSON.parse(body) as PushPath;
        if (!['pass', 'delay', 'cut'].includes(path.kind) || (path.kind === 'delay' && !(path.ms >= 0))) {
          res.writeHead(400).end();
          return;
        }
        state.path = path;
        res.writeHead(204).end();
      });
    } else {
      res.writeHead(404).end();
    }
  });
  control.listen(controlPort, '127.0.0.1');

  const stop = () => {
    for (const socket of sockets) socket.destroy();
    control.close();
    for (const server of servers) server.close();
    agent.destroy();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) main();
