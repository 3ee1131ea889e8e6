import { createServer, request, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { REVOCATION_EVENTS_PATH } from '@tsunagu/contracts';

/** What happens to the hub's pushed revocation events on their way to the connector. */
export type PushPath = { kind: 'pass' } | { kind: 'delay'; ms: number } | { kind: 'cut' };

/**
 * A connector's public address as the hub and the other connectors see it: everything is
 * forwarded to the connector unchanged, except the hub's pushed revocation events
 * (`POST /revocations/v1/events`), which can be delayed or cut (the connection is accepted and
 * never answered: what a dropped route or a hung middlebox looks like to the hub).
 */
export async function startPushProxy(port: number, target: string): Promise<{ url: string; path: PushPath; pushes: number; close(): Promise<void> }> {
  const to = new URL(target);
  const sockets = new Set<Socket>();
  const state = { url: `http://127.0.0.1:${port}`, path: { kind: 'pass' } as PushPath, pushes: 0, close };
  const server: Server = createServer(async (req, res) => {
    if (req.method === 'POST' && req.url === REVOCATION_EVENTS_PATH) {
      state.pushes++;
      const path = state.path;
      if (path.kind === 'cut') return; // never answered; the hub's own timeout ends it
      if (path.kind === 'delay') await new Promise((r) => setTimeout(r, path.ms));
    }
    const upstream = request({ hostname: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.headersSent ? res.destroy() : res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  async function close(): Promise<void> {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return state;
}
