import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { BrowserAgent } from '@tsunagu/testing';
import { loadConnectorConfigFile } from '../apps/connector/src/config/connector-file';
import { DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET } from '../apps/hub/src/backoffice/auth/admin-demo-seed';

/**
 * Development only (`npm start` on the embedded default): registers the demo connectors with the
 * hub and approves them the way a tenant admin would — signing in to the hub's admin screens with
 * the seeded demo admin's password and TOTP code, then `POST /admin/connectors/{id}/approve`.
 * Keys are generated once into ./data/connectors by `connector:register` and reused afterwards.
 * Refuses to run when NODE_ENV=production: there a tenant admin approves on the admin screen.
 */

export interface DemoConnector {
  name: string;
  /** Relative to the repository root. */
  config: string;
  port: number;
  /** The demo service it is installed beside (env prefix of its settings). */
  service: 'cashless' | 'misasa-health';
}

export const DEMO_CONNECTORS: DemoConnector[] = [
  { name: 'cashless', config: 'connector-configs/cashless.yaml', port: 3201, service: 'cashless' },
  { name: 'misasa-health', config: 'connector-configs/misasa-health.yaml', port: 3202, service: 'misasa-health' },
];

export interface DevTokens { [connector: string]: { serviceToken: string; sdkToken: string } }

export class DevSetupRefused extends Error {}

export function refuseInProduction(): void {
  if (process.env.NODE_ENV === 'production') {
    throw new DevSetupRefused('Refusing the development connector setup with NODE_ENV=production: register with `npm run connector:register` and have a tenant admin approve on the admin screen.');
  }
}

/**
 * The secrets shared by each demo and its connector (CONNECTOR_SERVICE_TOKEN) and by each demo and
 * the SDK of its connector (CONNECTOR_SDK_TOKEN): generated once into data/connectors/dev-tokens.json
 * (0600), so that `npm run demo` can call the SDK of a running `npm start`.
 */
export function devTokens(root: string): DevTokens {
  const file = join(root, 'data', 'connectors', 'dev-tokens.json');
  let tokens: DevTokens = {};
  if (existsSync(file)) tokens = JSON.parse(readFileSync(file, 'utf8')) as DevTokens;
  let changed = false;
  for (const c of DEMO_CONNECTORS) {
    if (!tokens[c.name]?.serviceToken || !tokens[c.name]?.sdkToken) {
      tokens[c.name] = { serviceToken: randomBytes(24).toString('base64url'), sdkToken: randomBytes(24).toString('base64url') };
      changed = true;
    }
  }
  if (changed) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return tokens;
}

/** Runs `connector:register` (the compiled CLI) and resolves with its exit code; its output is indented. */
export function runRegister(root: string, config: string, args: string[], out: (line: string) => void, env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(root, 'dist', 'apps', 'connector', 'src', 'cli', 'register.js'), '--config', config, ...args], {
      cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const relay = (chunk: Buffer) => {
      // The public JWKs are in the key file and at the hub; the thumbprints identify the keys.
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() && !line.includes('public JWK:')) out(`    ${line}`);
    };
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    child.once('error', reject);
    child.once('exit', (code) => resolvePromise(code ?? 1));
  });
}

function readRecord(root: string, config: string): { connectorId: string; status: string } | undefined {
  const file = loadConnectorConfigFile(join(root, config)).keys.registrationFile;
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as { connectorId: string; status: string };
}

function totp(secret: string, step: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const key: number[] = [];
  for (const char of secret.toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      key.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mac = (require('node:crypto') as typeof import('node:crypto')).createHmac('sha1', Buffer.from(key)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

const csrfOf = (page: string) => page.match(/name="csrf" value="([^"]*)"/)?.[1] ?? '';

/**
 * Signs in as a demo admin (password + TOTP). The hub accepts each 30-second step once per
 * account, so a refused code is retried once with the next step (never more: three failures lock
 * the account).
 */
export async function adminSignIn(hubUrl: string, loginId: string): Promise<{ agent: BrowserAgent; csrf: string }> {
  const agent = new BrowserAgent();
  for (let attempt = 0; attempt < 2; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, (30 - (Math.floor(Date.now() / 1000) % 30)) * 1000 + 500));
    const form = await agent.request(`${hubUrl}/admin/login`);
    const csrf = csrfOf(await form.text());
    const res = await agent.request(`${hubUrl}/admin/login`, {
      form: { loginId, password: DEMO_ADMIN_PASSWORD, code: totp(DEMO_ADMIN_TOTP_SECRET, Math.floor(Date.now() / 30_000)), csrf },
    });
    await res.arrayBuffer();
    if (res.status === 303) {
      const account = await agent.request(`${hubUrl}/admin/account`);
      return { agent, csrf: csrfOf(await account.text()) };
    }
  }
  throw new Error(`could not sign in to the admin screens as ${loginId}`);
}

type AdminSession = { agent: BrowserAgent; csrf: string };
const sessions = new Map<string, Promise<AdminSession>>();

/** One admin session per tenant for the whole setup (each sign-in spends a TOTP step). */
function sessionFor(hubUrl: string, tenant: string): Promise<AdminSession> {
  let session = sessions.get(tenant);
  if (!session) {
    session = adminSignIn(hubUrl, `admin-${tenant}`);
    sessions.set(tenant, session);
  }
  return session;
}

async function adminJson(hubUrl: string, session: AdminSession, path: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await session.agent.request(`${hubUrl}${path}`, {
    method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': session.csrf }, body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

/** Signs the setup's admin sessions out. */
export async function endAdminSessions(hubUrl: string): Promise<void> {
  for (const session of sessions.values()) {
    const { agent, csrf } = await session.catch(() => ({ agent: undefined, csrf: '' }));
    if (agent) await agent.request(`${hubUrl}/admin/logout`, { form: { csrf } }).then((r) => r.arrayBuffer(), () => undefined);
  }
  sessions.clear();
}

/** Approves a pending connector through the hub's admin API, as the tenant's demo admin. */
export async function approveAsAdmin(hubUrl: string, tenant: string, connectorId: string): Promise<'approved' | 'already'> {
  const { status, text } = await adminJson(hubUrl, await sessionFor(hubUrl, tenant), `/admin/connectors/${encodeURIComponent(connectorId)}/approve`, {});
  if (status >= 200 && status < 400) return 'approved';
  if (text.includes('connector_transition_invalid')) return 'already';
  throw new Error(`approval of ${connectorId} refused (${status}): ${text.slice(0, 300)}`);
}

/**
 * Registers (first run: new keys) and approves one demo connector; on later runs reuses the keys
 * and the registration and only confirms the status with the hub. Says what happened in one line
 * (`out`); the register command's own output is shown only when something went wrong.
 */
export async function ensureApproved(root: string, connector: DemoConnector, hubUrl: string, out: (line: string) => void): Promise<boolean> {
  refuseInProduction();
  const env = { HUB_URL: hubUrl };
  const config = loadConnectorConfigFile(join(root, connector.config));
  const tenant = config.tenant;
  const log: string[] = [];
  const keep = (line: string) => log.push(line);
  const registeredNow = !readRecord(root, connector.config);
  if (registeredNow) {
    if (await runRegister(root, connector.config, ['--no-wait'], keep, env) !== 0) {
      log.forEach((line) => out(line));
      throw new Error(`connector:register failed for ${connector.config}`);
    }
  }
  const record = readRecord(root, connector.config);
  if (!record) throw new Error(`no registration record for ${connector.config}`);
  const done: string[] = [];
  let approvedNow = false;
  const approve = async () => {
    const result = await approveAsAdmin(hubUrl, tenant, record.connectorId);
    if (result === 'approved') done.push(`approved by admin-${tenant} through the hub's admin API`);
    approvedNow = true;
  };
  if (record.status !== 'approved') await approve();
  // Confirms the status with the hub (and records it): exits at once when approved, 2 while pending.
  let code = await runRegister(root, connector.config, ['--timeout', approvedNow ? '20' : '5', '--interval', '1'], keep, env);
  if (code === 2 && !approvedNow) {
    await approve();
    code = await runRegister(root, connector.config, ['--timeout', '20', '--interval', '1'], keep, env);
  }
  const keys = relative(root, config.keys.file);
  if (code !== 0) {
    log.forEach((line) => out(line));
    out(`  WARNING: ${connector.name} is not approved at the hub (connector:register exit ${code}); it starts but every exchange is refused.`);
    out(`  If it was suspended or revoked, resume it at ${hubUrl}/admin/connectors; if the hub database was reset, delete ${keys.replace(/\.json$/, '')}*.json and start again.`);
    return false;
  }
  out(`  ${connector.name}: ${registeredNow ? `registered as ${record.connectorId} with new keys in ${keys}` : `connector ${record.connectorId}, keys from ${keys}`}; `
    + `${done.length ? done.join('; ') : 'approved'}.`);
  return true;
}
