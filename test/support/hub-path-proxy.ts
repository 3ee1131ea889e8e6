import { createServer, request, type Server } from 'node:http';
import type { Socket } from 'node:net';

/** What a connector's way to the hub can do to its calls (a route dropped, a middlebox restarted). */
export interface HubPathProxy {
  url: string;
  /** Calls seen, by method and path (query left out), e.g. `GET /connect/v1/revocations`. */
  calls: Map<string, number>;
  /** While true every new connection is dropped unanswered (the hub unreachable). */
  blocked: boolean;
  /** Drops every connection open now, held streams included. */
  cut(): void;
  close(): Promise<void>;
}

/**
 * The way from a connector to the hub: every call forwarded unchanged and streamed both ways
 * (the revocation stream passes event by event), counted by path, and cut or blocked on demand.
 */
export async function startHubPathProxy(port: number, target: string): Promise<HubPathProxy> {
  const to = new URL(target);
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    if (state.blocked) {
      req.socket.destroy();
      return;
    }
    const key = `${req.method} ${(req.url ?? '').split('?')[0]}`;
    state.calls.set(key, (state.calls.get(key) ?? 0) + 1);
    const upstream = request({ hostname: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      res.flushHeaders();
      up.pipe(res);
    });
    upstream.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const state: HubPathProxy = {
    url: `http://127.0.0.1:${port}`,
    calls: new Map(),
    blocked: false,
    cut: () => {
      for (const socket of sockets) socket.destroy();
    },
    close: async () => {
      state.cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return state;
}
