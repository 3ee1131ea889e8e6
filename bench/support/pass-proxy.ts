import http from 'node:http';

/**
 * The baseline of the exchange benchmark: a bare Node HTTP pass-through proxy. Every request is
 * forwarded as it is (method, path, headers, body streamed) to one upstream over a keep-alive pool
 * and the answer streamed back. No parsing, no checks, no framework.
 *
 * Run as a child process by bench/exchange.ts: env PORT, UPSTREAM_PORT (on 127.0.0.1).
 */
/** Forwards one request as it is to 127.0.0.1:`upstreamPort` and streams the answer back (502 if the upstream fails). */
export function passThrough(req: http.IncomingMessage, res: http.ServerResponse, upstreamPort: number, agent: http.Agent): void {
  const upstream = http.request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(upstream);
}

function main(): void {
  const port = Number(process.env.PORT);
  const upstreamPort = Number(process.env.UPSTREAM_PORT);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 64 });
  const server = http.createServer((req, res) => {
    if (req.url === '/proxy-health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
      return;
    }
    passThrough(req, res, upstreamPort, agent);
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, '127.0.0.1');
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) main();
