import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, get as httpGet, type Server } from 'node:http';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { freePort, waitFor } from './support/processes';
import { startNginx, type TestNginx } from './support/nginx';

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: string }

/**
 * Debian's nginx with deploy/nginx/server.conf — the very file docker-compose.yml mounts —
 * terminating TLS (a certificate from a CA this test makes) in front of a stand-in replica:
 * HTTP redirects, HSTS, TLS 1.2+ only, the client address forwarded, /metrics not exposed.
 */
describe('The TLS load balancer configuration (nginx, e2e)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-nginx-'));
  let nginx: TestNginx;
  let upstream: Server;
  let seen: { forwardedFor?: string; proto?: string } = {};
  let ca: Buffer;
  let httpsPort: number;
  let httpPort: number;

  beforeAll(async () => {
    const upstreamPort = await freePort();
    upstream = createServer((req, res) => {
      seen = { forwardedFor: req.headers['x-forwarded-for'] as string, proto: req.headers['x-forwarded-proto'] as string };
      res.writeHead(200, { 'content-type': 'text/plain' }).end(req.url === '/health' ? 'ok' : `hub ${req.url}`);
    }).listen(upstreamPort, '127.0.0.1');
    await waitFor(`http://127.0.0.1:${upstreamPort}/health`, 5000);
    // Both of the compose upstream's replicas are this one stand-in.
    nginx = await startNginx(dir, [`127.0.0.1:${upstreamPort}`, `127.0.0.1:${upstreamPort}`]);
    ({ httpPort, httpsPort } = nginx);
    ca = nginx.tls.ca;
  });

  afterAll(async () => {
    await nginx?.stop();
    await new Promise((r) => upstream?.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  function https(path: string, headers: Record<string, string> = {}): Promise<Answer> {
    return new Promise((resolve, reject) => {
      request({ host: '127.0.0.1', servername: 'localhost', port: httpsPort, path, ca, headers }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d)).on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      }).on('error', reject).end();
    });
  }

  it('proxies over TLS to the replica with HSTS and the client address, and hides /metrics', async () => {
    const answer = await https('/account', { 'x-forwarded-for': '203.0.113.7' });
    expect(answer).toMatchObject({ status: 200, body: 'hub /account' });
    expect(answer.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
    expect(answer.headers.server).toBe('nginx');
    // nginx appends the TCP peer: the hub, trusting only nginx, takes the rightmost untrusted hop.
    expect(seen).toEqual({ forwardedFor: '203.0.113.7, 127.0.0.1', proto: 'https' });
    expect((await https('/metrics')).status).toBe(404);
  });

  it('redirects plain HTTP to HTTPS', async () => {
    const res = await new Promise<{ status: number; location?: string }>((resolve, reject) => {
      httpGet({ host: '127.0.0.1', port: httpPort, path: '/portal?x=1', headers: { host: 'id.example.jp' } }, (r) => {
        r.resume();
        resolve({ status: r.statusCode!, location: r.headers.location });
      }).on('error', reject);
    });
    expect(res).toEqual({ status: 308, location: 'https://id.example.jp/portal?x=1' });
  });

  it('refuses TLS 1.1 and a client that does not trust the certificate', async () => {
    const handshake = (options: object) => new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: httpsPort, servername: 'localhost', ...options }, () => { resolve(`ok ${socket.getProtocol()}`); socket.end(); });
      socket.on('error', (error) => resolve(`error ${(error as NodeJS.ErrnoException).code ?? error.message}`));
    });
    expect(await handshake({ ca, maxVersion: 'TLSv1.2' })).toBe('ok TLSv1.2');
    expect(await handshake({ ca, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' })).toMatch(/^error /);
    expect(await handshake({})).toMatch(/^error (UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)/);
  });
});
