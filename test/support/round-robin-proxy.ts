import { createServer, request, type Server } from 'node:http';

/**
 * "One address" in front of several hub replicas: each request goes to the next backend in turn,
 * as a load balancer without sticky sessions would send it. `hold` may return a promise for a
 * request (by its path and query) that the proxy waits for before forwarding it: a test's way to
 * make one kind of call slow.
 */
export async function startRoundRobinProxy(
  port: number, backends: string[], hold?: (url: string) => Promise<void> | undefined,
): Promise<{ server: Server; served: number[]; close(): Promise<void> }> {
  const served = backends.map(() => 0);
  let next = 0;
  const server = createServer(async (req, res) => {
    await hold?.(req.url ?? '');
    const index = next++ % backends.length;
    served[index]++;
    const target = new URL(backends[index]);
    const upstream = request({ hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => {
      res.writeHead(502).end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, served, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
