import { fork } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { keepAliveFetch } from '../apps/connector/src/hub-client/keep-alive-fetch';
import { undiciFetch } from './support/undici-fetch';

/**
 * `npm run bench:http-client`: the connector's outbound HTTP client (`keepAliveFetch`, node:http
 * keep-alive agent, fetch-shaped), the same contract on undici's pooled `request`
 * (bench/support/undici-fetch.ts), undici's bare `Pool.request` and the global fetch, on the shape of
 * the exchange path: a POST of a ~300-byte JSON body answered with ~1 KiB of JSON, keep-alive,
 * over loopback. The server runs in its own process so that the client's CPU is measured alone.
 *
 * Prints, per client and round: requests/s, p50/p99 latency, client CPU per request; then the
 * median of the rounds and each client's ratio to keepAliveFetch. Rounds interleave the clients
 * so that a change of the machine's speed hits all of them alike.
 */
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const REQUEST_BODY = JSON.stringify({ grant: 'g'.repeat(200), items: ['misasa-health.daily-steps', 'misasa-health.onsen-visits'] });
const RESPONSE_BODY = JSON.stringify({ items: { days: Array.from({ length: 14 }, (_, i) => ({ date: `2026-11-${String(i + 1).padStart(2, '0')}`, steps: 6000 + i })) } });

type Call = () => Promise<number>;

interface Result { client: string; rps: number; p50: number; p99: number; cpuUsPerRequest: number }

function serve(): void {
  const server = http.createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(RESPONSE_BODY) });
      res.end(RESPONSE_BODY);
    });
  });
  server.listen(0, '127.0.0.1', () => process.send!((server.address() as AddressInfo).port));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function run(client: string, call: Call): Promise<Result> {
  const latencies: number[] = [];
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next++ < REQUESTS) {
      const t = performance.now();
      const status = await call();
      if (status !== 200) throw new Error(`${client}: status ${status}`);
      latencies.push(performance.now() - t);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  latencies.sort((a, b) => a - b);
  return { client, rps: REQUESTS / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), cpuUsPerRequest: (used.user + used.system) / REQUESTS };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const server = fork(__filename, ['serve'], { stdio: 'inherit' });
  const port = await new Promise<number>((resolve) => server.once('message', (m) => resolve(m as number)));
  const url = `http://127.0.0.1:${port}/peer/v1/exchange`;
  const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: REQUEST_BODY, redirect: 'error' as const };
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: CONCURRENCY, pipelining: 1 });
  const clients: Record<string, Call> = {
    'keepAliveFetch (node:http)': async () => {
      const res = await keepAliveFetch(url, init);
      await res.text();
      return res.status;
    },
    'undici request as fetch': async () => {
      const res = await undiciFetch(url, init);
      await res.text();
      return res.status;
    },
    'undici Pool.request': async () => {
      const res = await pool.request({ path: '/peer/v1/exchange', method: 'POST', headers: init.headers, body: REQUEST_BODY });
      await res.body.text();
      return res.statusCode;
    },
    'global fetch (baseline)': async () => {
      const res = await fetch(url, init);
      await res.text();
      return res.status;
    },
  };
  const results: Result[] = [];
  process.stdout.write(`node ${process.version}, ${REQUESTS} requests × ${ROUNDS} rounds, concurrency ${CONCURRENCY}\n`);
  for (const [client, call] of Object.entries(clients)) await run(client, call).then(() => undefined, () => undefined); // warm-up
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [client, call] of Object.entries(clients)) {
      const r = await run(client, call);
      results.push(r);
      process.stdout.write(`round ${round}  ${client.padEnd(28)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  client CPU ${r.cpuUsPerRequest.toFixed(1)} µs/req\n`);
    }
  }
  const summary = Object.keys(clients).map((client) => {
    const of = results.filter((r) => r.client === client);
    return { client, rps: median(of.map((r) => r.rps)), p50: median(of.map((r) => r.p50)), p99: median(of.map((r) => r.p99)), cpu: median(of.map((r) => r.cpuUsPerRequest)) };
  });
  const base = summary[0];
  process.stdout.write('\nmedian of rounds                      req/s     p50      p99   CPU µs/req   throughput vs keepAliveFetch   CPU vs keepAliveFetch\n');
  for (const s of summary) {
    process.stdout.write(`${s.client.padEnd(34)} ${s.rps.toFixed(0).padStart(7)} ${s.p50.toFixed(2).padStart(7)} ${s.p99.toFixed(2).padStart(8)} ${s.cpu.toFixed(1).padStart(10)}   ${(s.rps / base.rps).toFixed(2).padStart(10)}×   ${(s.cpu / base.cpu).toFixed(2).padStart(22)}×\n`);
  }
  await pool.close();
  server.kill();
}

if (process.argv[2] === 'serve') serve();
else main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
