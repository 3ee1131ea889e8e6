import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchProblem } from './fetch-error';
import { keepAliveFetch } from './keep-alive-fetch';

describe('keepAliveFetch', () => {
  const seen: { method?: string; url?: string; body: string; headers: http.IncomingHttpHeaders; remotePort?: number }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, body, headers: req.headers, remotePort: req.socket.remotePort });
      if (req.url === '/json') return void res.writeHead(200, { 'content-type': 'application/json', 'x-many': ['a', 'b'] }).end('{"ok":true}');
      if (req.url === '/missing') return void res.writeHead(404).end('nope');
      if (req.url === '/empty') return void res.writeHead(204).end();
      if (req.url === '/moved') return void res.writeHead(302, { location: '/json' }).end();
      if (req.url === '/slow') return void setTimeout(() => res.writeHead(200).end('late'), 500);
      if (req.url === '/torn') {
        res.writeHead(200, { 'content-length': '100' });
        res.write('partial');
        setTimeout(() => res.destroy(), 10);
        return;
      }
      res.writeHead(500).end();
    });
  });
  let base = '';

  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => {
    seen.length = 0;
  });

  it('sends method, headers and body, and answers a real Response; sockets are reused', async () => {
    const res = await keepAliveFetch(`${base}/json`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer x' }, body: '{"a":1}', redirect: 'error' });
    expect(res).toBeInstanceOf(Response);
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-many')).toBe('a, b');
    await expect(res.json()).resolves.toEqual({ ok: true });
    expect(seen[0]).toMatchObject({ method: 'POST', body: '{"a":1}', headers: { authorization: 'Bearer x', 'content-length': '7' } });
    await (await keepAliveFetch(`${base}/json`, { redirect: 'error' })).text();
    expect(seen[1].remotePort).toBe(seen[0].remotePort);
  });

  it('answers error statuses and empty bodies as the global fetch does', async () => {
    const missing = await keepAliveFetch(`${base}/missing`, { redirect: 'error' });
    expect([missing.status, missing.ok, await missing.text()]).toEqual([404, false, 'nope']);
    const empty = await keepAliveFetch(`${base}/empty`, { redirect: 'error' });
    expect([empty.status, empty.body]).toEqual([204, null]);
  });

  it('refuses a redirect', async () => {
    await expect(keepAliveFetch(`${base}/moved`, { redirect: 'error' })).rejects.toThrow(TypeError);
  });

  it('rejects with the signal reason on timeout, and with the socket error when the peer is gone or cuts the answer', async () => {
    const timedOut = await keepAliveFetch(`${base}/slow`, { redirect: 'error', signal: AbortSignal.timeout(50) }).catch((e: unknown) => e);
    expect(fetchProblem(timedOut)).toBe('timeout');
    const torn = await keepAliveFetch(`${base}/torn`, { redirect: 'error' }).catch((e: unknown) => e);
    expect(torn).toBeInstanceOf(TypeError);
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const refused = await keepAliveFetch(`http://127.0.0.1:${port}/`, { redirect: 'error' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TypeError);
    expect(fetchProblem(refused)).toBe('ECONNREFUSED');
  });

  it('hands what it does not do itself (redirects followed) to the global fetch', async () => {
    const res = await keepAliveFetch(`${base}/moved`);
    expect(res.redirected).toBe(true);
    await expect(res.json()).resolves.toEqual({ ok: true });
  });
});
