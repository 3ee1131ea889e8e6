import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BrowserAgent } from '@tsunagu/testing';
import { loadConnectorConfigFile } from '../../apps/connector/src/config/connector-file';
import { type AppProcess, ROOT } from './processes';

const run = promisify(execFile);

export const HEALTH_POINTS = 'cashless.health-points';
export const STEPS = 'misasa-health.daily-steps';
export const VISITS = 'misasa-health.onsen-visits';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies of many shapes, checked by the assertions
export type Json = any;

/** A calendar date in Japan, `offsetDays` from today. */
export function japanDate(offsetDays = 0): string {
  return new Date(Date.now() + 9 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** What the helpers read from a spec's state (getters: the spec assigns its processes in beforeAll). */
export interface ConnectSpecState {
  dir: string;
  agent: BrowserAgent;
  hub(): AppProcess;
  cashless(): AppProcess;
  csrf(): string;
}

/**
 * Helpers of the cross-process connector specs: the resident portal's JSON API, the consumer
 * connector's SDK, connector configuration files derived from the shipped ones, and the
 * `connector:register` CLI.
 */
export function connectHelpers(state: ConnectSpecState) {
  async function portal(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
    const url = `${state.hub().url}${path}`;
    const res = await fetch(url, {
      method,
      headers: { cookie: state.agent.cookieHeader(new URL(url)), ...(body === undefined ? {} : { 'content-type': 'application/json', 'x-csrf-token': state.csrf() }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }

  async function sdk(items = [STEPS, VISITS]): Promise<{ status: number; body: Json }> {
    const res = await fetch(`${state.cashless().url}/sdk/v1/requests`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ localId: 'C-0001', dataUse: HEALTH_POINTS, purpose: 'health-points', items }),
    });
    return { status: res.status, body: await res.json() };
  }

  async function configFile(name: 'cashless' | 'misasa-health', port: number, serviceUrl: string): Promise<string> {
    const { source: _source, hub: _hub, keys: _keys, ...raw } = loadConnectorConfigFile(join(ROOT, 'connector-configs', `${name}.yaml`));
    const file = join(state.dir, `${name}.json`);
    writeFileSync(file, JSON.stringify({
      ...raw,
      hub: { url: state.hub().url },
      service: { ...raw.service, url: serviceUrl, timeoutMs: 2000 },
      listen: { host: '127.0.0.1', port },
      publicUrl: `http://127.0.0.1:${port}`,
      keys: { file: join(state.dir, 'keys', `${name}.key.json`) },
      revocations: { pullIntervalSeconds: 1, stalenessSeconds: 5, retainSeconds: 600 },
    }));
    return file;
  }

  async function register(file: string, extra: string[] = []): Promise<string> {
    const { stdout } = await run(process.execPath, [join(ROOT, 'dist/apps/connector/src/cli/register.js'), '--config', file, '--no-wait', ...extra], { cwd: ROOT });
    return stdout;
  }

  return { portal, sdk, configFile, register };
}
