import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, testRedis, waitFor } from '@tsunagu/testing';
import { CONNECTOR_NODE_FLAGS } from '../../apps/connector/src/runtime-flags';

export const ROOT = join(__dirname, '..', '..');

import { freePort } from '@tsunagu/common';

export { freePort };
export { waitFor } from '@tsunagu/testing';

export interface AppProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * Starts one of the built apps (dist/, made by `npm run build`, which `npm test` runs first) as a
 * real process on a real port and waits for its health endpoint.
 */
export async function startApp(entry: string, env: Record<string, string>, port: number, healthPath = '/health'): Promise<AppProcess> {
  let output = '';
  // Connectors run with their production heap flags, so that the e2e tests see what deployments do.
  const nodeFlags = entry === 'apps/connector/src/main.js' ? CONNECTOR_NODE_FLAGS : [];
  const child = spawn(process.execPath, [...nodeFlags, join(ROOT, 'dist', entry)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`${entry} exited with ${code}:\n${output}`))));
  try {
    await Promise.race([waitFor(`${url}${healthPath}`, 90_000), exited]);
  } catch (error) {
    // A process that never became ready would outlive the spec (and hold its port): end it.
    if (child.exitCode === null) child.kill('SIGKILL');
    throw error;
  }
  return {
    url, child, output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([done, new Promise((r) => setTimeout(r, 5000).unref())]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/**
 * Starts the built hub on a free port with a fresh test database (named after `database`) and its
 * own Redis key prefix, so that specs running side by side never share state; `env` adds to or
 * overrides those settings.
 */
export async function startHub(database: string, env: Record<string, string> = {}): Promise<AppProcess> {
  const port = await freePort();
  const redis = testRedis();
  return startApp('apps/hub/src/main.js', {
    PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: await createTestDatabase(database),
    REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix, KEY_ENCRYPTION_KEY: 'd'.repeat(43), ...env,
  }, port);
}

/** A hub (PostgreSQL + Redis) and both demo services wired to it, each a real process on its own port. */
export interface HubWithDemos {
  hubUrl: string;
  cashlessUrl: string;
  misasaUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts the built hub with a fresh test database (named after `database`) and the two demo
 * services (in-memory stores) pointing at it; `env` adds to the hub's settings. `stop` ends all
 * three and removes their data directory.
 */
export async function startHubWithDemos(database: string, env: Record<string, string> = {}): Promise<HubWithDemos> {
  const dataDir = mkdtempSync(join(tmpdir(), `tsunagu-${database}-`));
  const [hubPort, cashlessPort, misasaPort] = [await freePort(), await freePort(), await freePort()];
  const hubUrl = `http://127.0.0.1:${hubPort}`;
  const cashlessUrl = `http://127.0.0.1:${cashlessPort}`;
  const misasaUrl = `http://127.0.0.1:${misasaPort}`;
  const redis = testRedis();
  const apps: AppProcess[] = [];
  const stop = async () => {
    await Promise.all(apps.map((a) => a.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    apps.push(await startApp('apps/hub/src/main.js', {
      PORT: String(hubPort), PUBLIC_URL: hubUrl, DATABASE_URL: await createTestDatabase(database), REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix,
      KEY_ENCRYPTION_KEY: 'f'.repeat(43), DATA_DIR: dataDir, DEMO_CASHLESS_URL: cashlessUrl, DEMO_MISASA_URL: misasaUrl, ...env,
    }, hubPort));
    const demoEnv = { HUB_URL: hubUrl, DEMO_STORE: 'memory', DATA_DIR: dataDir };
    apps.push(...await Promise.all([
      startApp('apps/demo-cashless/src/main.js', { ...demoEnv, DEMO_CASHLESS_PORT: String(cashlessPort), DEMO_CASHLESS_PUBLIC_URL: cashlessUrl }, cashlessPort),
      startApp('apps/demo-misasa-health/src/main.js', { ...demoEnv, DEMO_MISASA_PORT: String(misasaPort), DEMO_MISASA_PUBLIC_URL: misasaUrl }, misasaPort),
    ]));
  } catch (error) {
    await stop();
    throw error;
  }
  return { hubUrl, cashlessUrl, misasaUrl, stop };
}
