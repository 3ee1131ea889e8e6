import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { CONNECTOR_NODE_FLAGS } from '../apps/connector/src/runtime-flags';
import { HUB_NODE_FLAGS } from '../apps/hub/src/runtime-flags';
import { DEMO_RESIDENTS } from '../apps/hub/src/seed/demo-seed';
import { DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET, DEMO_ADMINS } from '../apps/hub/src/backoffice/auth/admin-demo-seed';
import { DEMO_CONNECTORS, devTokens, endAdminSessions, ensureApproved } from './connector-dev';
import { runningLine } from './start-banner';

/**
 * `npm start`: the whole platform — the hub (on the embedded defaults, PGlite and in-process
 * queues, unless DATABASE_URL / REDIS_URL say otherwise), a connector for each demo service, and
 * the two demo services.
 * Each runs as its own process, as it would in production; Ctrl+C stops them all.
 *
 * Development only (not with NODE_ENV=production): after the hub is up, each demo connector is
 * registered (keys generated into ./data/connectors on the first run, reused afterwards) and
 * approved through the hub's admin API by the tenant's demo admin (scripts/connector-dev.ts), then
 * started with its configuration file and the tokens it shares with its demo service. With
 * NODE_ENV=production the connectors stay health-only shells: register and approve them for real.
 */
// dist/scripts/start-all.js → the repository root (./data and dist/ live there).
const root = join(__dirname, '..', '..');
const out = (line: string) => process.stdout.write(`${line}\n`);

interface AppSpec { name: string; entry: string; port: number; env: Record<string, string>; nodeFlags?: string[] }

const hubUrl = process.env.PUBLIC_URL ?? 'http://localhost:3000';
const cashlessUrl = process.env.DEMO_CASHLESS_PUBLIC_URL ?? 'http://localhost:3101';
const misasaUrl = process.env.DEMO_MISASA_PUBLIC_URL ?? 'http://localhost:3102';
const production = process.env.NODE_ENV === 'production';
const tokens = production ? undefined : devTokens(root);
const connectorEnv = (name: string): Record<string, string> => {
  const spec = DEMO_CONNECTORS.find((c) => c.name === name)!;
  return tokens
    ? { CONNECTOR_CONFIG: spec.config, CONNECTOR_SERVICE_TOKEN: tokens[name].serviceToken, CONNECTOR_SDK_TOKEN: tokens[name].sdkToken }
    : { CONNECTOR_NAME: name };
};
// Each demo shares CONNECTOR_SERVICE_TOKEN with its connector and calls its SDK with CONNECTOR_SDK_TOKEN.
const demoEnv = (name: string, port: number): Record<string, string> => (tokens
  ? { CONNECTOR_SERVICE_TOKEN: tokens[name].serviceToken, CONNECTOR_SDK_TOKEN: tokens[name].sdkToken, CONNECTOR_SDK_URL: `http://127.0.0.1:${port}` }
  : {});
const apps: AppSpec[] = [
  // The development test card stands in for a My Number card reader (clearly marked in the portal).
  { name: 'hub', entry: 'apps/hub/src/main.js', port: 3000, nodeFlags: HUB_NODE_FLAGS, env: { PORT: '3000', PUBLIC_URL: hubUrl, DEMO_CASHLESS_URL: cashlessUrl, DEMO_MISASA_URL: misasaUrl, JPKI_TEST_CARD: process.env.JPKI_TEST_CARD ?? 'true' } },
  { name: 'connector-cashless', entry: 'apps/connector/src/main.js', port: 3201, nodeFlags: CONNECTOR_NODE_FLAGS, env: { ...connectorEnv('cashless'), CONNECTOR_PORT: '3201', HUB_URL: hubUrl } },
  { name: 'connector-misasa-health', entry: 'apps/connector/src/main.js', port: 3202, nodeFlags: CONNECTOR_NODE_FLAGS, env: { ...connectorEnv('misasa-health'), CONNECTOR_PORT: '3202', HUB_URL: hubUrl } },
  { name: 'demo-cashless', entry: 'apps/demo-cashless/src/main.js', port: 3101, env: { ...demoEnv('cashless', 3201), DEMO_CASHLESS_PORT: '3101', DEMO_CASHLESS_PUBLIC_URL: cashlessUrl, HUB_URL: hubUrl } },
  { name: 'demo-misasa-health', entry: 'apps/demo-misasa-health/src/main.js', port: 3102, env: { ...demoEnv('misasa-health', 3202), DEMO_MISASA_PORT: '3102', DEMO_MISASA_PUBLIC_URL: misasaUrl, HUB_URL: hubUrl } },
];

const children: ChildProcess[] = [];
let stopping = false;

function start(app: AppSpec): ChildProcess {
  const child = spawn(process.execPath, [...(app.nodeFlags ?? []), join(root, 'dist', app.entry)], {
    cwd: root,
    // Each app names itself in its log lines (hub, connector-<name>, demo-<name>).
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...app.env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.once('exit', (code) => {
    if (stopping) return;
    out(`${app.name} exited with code ${code}; stopping the platform.`);
    stop(1);
  });
  children.push(child);
  return child;
}

async function ready(url: string, timeoutMs = 60_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fetch(url).then((r) => r.ok, () => false)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/** Each app gets this long to stop after SIGTERM; then it is killed, so Ctrl+C never leaves one running. */
const STOP_GRACE_MS = 6_000;

function stop(code = 0): void {
  if (stopping) return;
  stopping = true;
  const running = children.filter((c) => c.exitCode === null && c.signalCode === null);
  for (const child of running) child.kill('SIGTERM');
  const exited = running.map((child) => new Promise((resolve) => child.once('exit', resolve)));
  const kill = setTimeout(() => {
    for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }, STOP_GRACE_MS);
  void Promise.all(exited).then(() => {
    clearTimeout(kill);
    process.exit(code);
  });
}

async function main(): Promise<void> {
  process.once('SIGINT', () => stop(0));
  process.once('SIGTERM', () => stop(0));
  // The hub first: it creates the embedded database and seeds it before the others ask for it.
  start(apps[0]);
  // The first start creates and migrates the embedded database: give a slow machine time.
  if (!(await ready(`http://127.0.0.1:3000/health`, 180_000))) throw new Error('The hub did not start within 3 minutes');
  const connectors = apps.filter((a) => a.name.startsWith('connector-'));
  const others = apps.filter((a) => a !== apps[0] && !connectors.includes(a));
  // The demo services first: a connector reads its service, and the demos call their connector only on demand.
  for (const app of others) start(app);
  if (!production) {
    out('Demo connectors (development only: registered once, approved by the demo tenant admins; keys and tokens in ./data/connectors):');
    for (const c of DEMO_CONNECTORS) await ensureApproved(root, c, hubUrl, out);
    await endAdminSessions(hubUrl);
  }
  for (const app of connectors) start(app);
  for (const app of apps.slice(1)) {
    if (!(await ready(`http://127.0.0.1:${app.port}/health`))) throw new Error(`${app.name} did not start`);
  }
  out('');
  out(runningLine(process.env));
  out(`  Hub (OpenID Provider, portal)   ${hubUrl}          portal: ${hubUrl}/account`);
  out(`  Cashless base demo              ${cashlessUrl}`);
  out(`  Misasa onsen health app demo    ${misasaUrl}`);
  if (production) out(`  Connector shells (health only)  http://localhost:3201  http://localhost:3202`);
  else {
    out(`  Connector of the cashless base  http://localhost:3201   (SDK: /sdk/v1/requests, health: /health)`);
    out(`  Connector of the health app     http://localhost:3202   (SDK: /sdk/v1/requests, health: /health)`);
    out('  Scripted walk-through in another terminal: npm run demo');
  }
  out('');
  out('Demo residents (sign in with "Tottori ID でログイン" at either demo; the other then needs no password):');
  for (const r of DEMO_RESIDENTS) out(`  ${r.loginId.padEnd(16)} password: ${r.password}   (${r.displayName})`);
  out('Local accounts to link: cashless C-2026-0001..0003 / health app MH-0001..0003, PINs 1111, 2222, 3333.');
  out(`Identity proofing: ${hubUrl}/account/verify offers a test card (development only).`);
  out(`Admin screens: ${hubUrl}/admin/login — ${DEMO_ADMINS.map((a) => a.loginId).join(', ')}; password ${DEMO_ADMIN_PASSWORD}; TOTP secret ${DEMO_ADMIN_TOTP_SECRET} (code: npm run admin:totp). Development only.`);
  out('Press Ctrl+C to stop.');
}

main().catch((error) => {
  out(String(error instanceof Error ? error.message : error));
  stop(1);
});
