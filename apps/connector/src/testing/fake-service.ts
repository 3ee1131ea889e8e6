import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One answer of the fake service. */
export interface FakeAnswer {
  status?: number;
  body?: unknown;
  /** Raw text instead of JSON. */
  raw?: string;
}

/**
 * A tiny service backend on a real local port: routes by path (without query) to answers that
 * tests change at will; every request is recorded.
 */
export class FakeService {
  private server?: Server;
  url = '';
  port = 0;
  routes = new Map<string, FakeAnswer | ((url: URL, body?: string) => FakeAnswer)>();
  requests: { method: string; url: URL; authorization?: string; body?: string; at: number }[] = [];

  async start(port = 0): Promise<this> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://service.test');
        const body = chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined;
        this.requests.push({ method: req.method ?? '', url, authorization: req.headers.authorization, body, at: Date.now() });
        const route = this.routes.get(url.pathname);
        const answer = typeof route === 'function' ? route(url, body) : route ?? { status: 404, body: { error: 'not found' } };
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' }).end(answer.raw ?? JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${this.port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server!.close(resolve));
    this.server = undefined;
  }
}
