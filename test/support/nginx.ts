import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, ROOT } from './processes';
import { makeTestTls, type TestTls } from './test-tls';

/** Debian's nginx running the deployment's configuration, with the test's certificate and ports. */
export interface TestNginx {
  tls: TestTls;
  httpPort: number;
  httpsPort: number;
  /** https://localhost:<port>: the certificate names localhost. */
  url: string;
  errorLog: string;
  /** The https URL of each of `sites`, in order. */
  sites: string[];
  stop(): Promise<void>;
}

/**
 * Starts nginx with deploy/nginx/nginx.conf's upstream (its replicas' host:port replaced by
 * `replicas`, in order) and deploy/nginx/server.conf — the files docker-compose.yml mounts —
 * on free ports instead of 8080/8443, with a certificate from a test CA. Nothing else changes.
 * `sites` are other local HTTP servers (a vendor's services) to be served over TLS as well, each on
 * a port of its own, with the same certificate.
 */
export async function startNginx(dir: string, replicas: string[], sites: number[] = []): Promise<TestNginx> {
  const conf = join(dir, 'nginx');
  mkdirSync(join(conf, 'logs'), { recursive: true });
  const tls = makeTestTls(conf);
  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  const server = readFileSync(join(ROOT, 'deploy', 'nginx', 'server.conf'), 'utf8').replace(/\b8443\b/g, String(httpsPort)).replace(/\b8080\b/g, String(httpPort));
  writeFileSync(join(conf, 'server.conf'), server);
  const composeMain = readFileSync(join(ROOT, 'deploy', 'nginx', 'nginx.conf'), 'utf8');
  const upstream = composeMain.match(/upstream tsunagu_hub \{[^}]*\}/)?.[0];
  const servers = upstream?.match(/server \S+/g) ?? [];
  if (!upstream || servers.length !== replicas.length) throw new Error(`deploy/nginx/nginx.conf: expected an upstream of ${replicas.length} servers`);
  let ours = upstream;
  servers.forEach((s, i) => (ours = ours.replace(s, `server ${replicas[i]}`)));
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${join(conf, t)};`).join(' ');
  const errorLog = join(conf, 'logs', 'error.log');
  const sitePorts = await Promise.all(sites.map(() => freePort()));
  const siteBlocks = sites.map((upstreamPort, i) => `server {\n    listen ${sitePorts[i]} ssl;\n    ssl_certificate tls/server.crt;\n    ssl_certificate_key tls/server.key;\n`
    + `    location / {\n      proxy_pass http://127.0.0.1:${upstreamPort};\n      proxy_set_header Host $host:$server_port;\n      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n      proxy_set_header X-Forwarded-Proto https;\n    }\n  }`).join('\n  ');
  writeFileSync(join(conf, 'nginx.conf'), `pid ${join(conf, 'nginx.pid')};\nerror_log ${errorLog};\nevents {}\nhttp {\n  access_log ${join(conf, 'logs', 'access.log')};\n  ${temp}\n  ${ours}\n  include ${join(conf, 'server.conf')};\n  ${siteBlocks}\n}\n`);
  const nginx: ChildProcess = spawn('nginx', ['-p', conf, '-c', join(conf, 'nginx.conf'), '-g', 'daemon off; master_process off;'], { stdio: 'ignore' });
  const url = `https://localhost:${httpsPort}`;
  const listening = async () => {
    const { connect } = await import('node:net');
    return new Promise<boolean>((resolve) => {
      const socket = connect(httpsPort, '127.0.0.1', () => { socket.end(); resolve(true); }).on('error', () => resolve(false));
    });
  };
  const deadline = Date.now() + 10_000;
  while (!(await listening())) {
    if (nginx.exitCode !== null || Date.now() > deadline) throw new Error(`nginx did not start: ${readFileSync(errorLog, 'utf8')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    tls, httpPort, httpsPort, url, errorLog, sites: sitePorts.map((p) => `https://localhost:${p}`),
    async stop() {
      if (nginx.exitCode !== null) return;
      const exited = new Promise((r) => nginx.once('exit', r));
      nginx.kill('SIGTERM');
      await exited;
    },
  };
}
