/**
 * Admin sign-in burst: 16 sign-ins at once with an unknown login ID (the finding of the security
 * review: 15 s and 400 MB before throttling), against a real hub on the local PostgreSQL and Redis.
 * Prints the wall time of the burst, how each request was answered and the hub's peak RSS (VmHWM).
 *
 *   npm run build && node dist/bench/admin-sign-in.js
 *
 * Knobs (environment): BENCH_BURST (16), BENCH_DISTINCT_IDS=1 (a different unknown ID per request:
 * then only the per-address limit applies), BENCH_HUB_MAIN (the hub's main.js, default this build's:
 * point it at another build to compare). See docs/benchmarks.md.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BrowserAgent } from '@tsunagu/testing';
import { createBenchDatabase, deleteRedisKeys, dropBenchDatabase, randomKeyEncryptionKey, REDIS_URL } from './support/environment';
import { freePort, MemorySampler, ROOT, waitFor } from './support/processes';

const BURST = Number(process.env.BENCH_BURST ?? 16);
const DISTINCT = process.env.BENCH_DISTINCT_IDS === '1';
const HUB_MAIN = process.env.BENCH_HUB_MAIN ?? join(ROOT, 'dist', 'apps', 'hub', 'src', 'main.js');
const out = (line = '') => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const run = randomBytes(3).toString('hex');
  const dbName = `tsunagu_bench_${run}`;
  const prefix = `tsunagu-bench-${run}:`;
  const port = await freePort();
  const child = spawn(process.execPath, [HUB_MAIN], {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'error', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: await createBenchDatabase(dbName), REDIS_URL, REDIS_PREFIX: prefix, KEY_ENCRYPTION_KEY: randomKeyEncryptionKey(),
    },
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${url}/health`, 90_000);
    // Each request has its own browser: the login form's CSRF nonce cookie and token.
    const forms = await Promise.all(Array.from({ length: BURST }, async (_, i) => {
      const agent = new BrowserAgent();
      const page = await (await agent.request(`${url}/admin/login`)).text();
      const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
      return { agent, form: { csrf, loginId: DISTINCT ? `nobody-${run}-${i}` : `nobody-${run}`, password: 'not-the-password-2026', code: '123456' } };
    }));
    const memory = new MemorySampler(child.pid!, 20).start();
    const before = { rss: memory.peakRss, hwm: memory.hwm };
    const started = performance.now();
    const answers = await Promise.all(forms.map(async ({ agent, form }) => {
      const t = performance.now();
      const res = await agent.request(`${url}/admin/login`, { form });
      await res.text();
      return { status: res.status, ms: performance.now() - t };
    }));
    const wall = performance.now() - started;
    memory.stop();
    const byStatus = new Map<number, number[]>();
    for (const a of answers) byStatus.set(a.status, [...(byStatus.get(a.status) ?? []), a.ms]);
    out(`hub: ${HUB_MAIN}`);
    out(`${BURST} parallel admin sign-ins, ${DISTINCT ? 'distinct unknown IDs' : 'one unknown ID'}: wall ${(wall / 1000).toFixed(2)} s`);
    for (const [status, ms] of [...byStatus].sort()) {
      ms.sort((a, b) => a - b);
      out(`  ${status}: ${ms.length} answers, fastest ${ms[0].toFixed(0)} ms, slowest ${ms[ms.length - 1].toFixed(0)} ms`);
    }
    const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
    out(`hub RSS: ${mb(before.rss)} before the burst, peak ${mb(memory.peakRss)} during it (sampled every 20 ms); VmHWM ${mb(before.hwm)} → ${mb(memory.hwm)}`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await dropBenchDatabase(dbName);
    await deleteRedisKeys(prefix);
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
