import { execFile } from 'node:child_process';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { Client } from 'pg';
import { BrowserAgent, createTestDatabase, formAction, hiddenFields } from '@tsunagu/testing';
import { codeFlow, discover } from './support/oidc-flow';
import { type AppProcess, freePort, ROOT, startApp } from './support/processes';

/** Runs an operator CLI of dist/ and collects its exit code and output. */
function cli(script: string, env: Record<string, string>, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'dist', 'scripts', script), ...args], { cwd: ROOT, env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }));
  });
}

/**
 * The audit chain as the hub writes it: sign-ins, failed sign-ins, a lockout and an ID link are
 * recorded and mirrored to the log; `npm run audit:verify` passes, then finds a tampered row.
 */
describe('Audit chain (e2e)', () => {
  let hub: AppProcess;
  let databaseUrl: string;
  let db: Client;
  const callback = 'http://127.0.0.1:39101/auth/callback';
  const wrongPassword = 'not-the-password-42';

  async function failSignIn(config: oidc.Configuration, loginId: string): Promise<number> {
    const agent = new BrowserAgent();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: callback, scope: 'openid', state: oidc.randomState(),
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256',
    });
    const step = await agent.follow(url.href, {}, callback);
    const page = await step.res.text();
    const login = formAction(page, '/login', step.url)!;
    const res = await agent.request(login, { form: { ...hiddenFields(page, '/login'), loginId, password: wrongPassword } });
    await res.arrayBuffer();
    return res.status;
  }

  beforeAll(async () => {
    const port = await freePort();
    databaseUrl = await createTestDatabase('audit');
    hub = await startApp('apps/hub/src/main.js', {
      PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: databaseUrl, KEY_ENCRYPTION_KEY: 'c'.repeat(43),
      DEMO_CASHLESS_URL: 'http://127.0.0.1:39101', LOG_LEVEL: 'info', THROTTLE_ID_ATTEMPTS: '3', AUDIT_CHECKPOINT_EVERY_ROWS: '3',
    }, port);
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await hub?.stop();
  });

  /** The rows the boot wrote before any test acted: the demo catalog, seeded through the audited services. */
  let seeded = 0;

  it('records sign-ins, failed sign-ins, a throttle block and an ID link, and mirrors them to the log', async () => {
    const boot = await db.query(`SELECT type, actor_kind, actor_id FROM audit_events ORDER BY seq`);
    seeded = boot.rows.length;
    expect(boot.rows.every((r) => r.actor_kind === 'system' && r.actor_id === 'demo-seed' && ['catalog.offer_published', 'admin.change'].includes(r.type))).toBe(true);
    const cashless = await discover(`${hub.url}/oidc`, 'demo-cashless', 'demo-cashless-secret');
    expect(await failSignIn(cashless, 'nobody.at.all')).toBe(401);
    expect(await failSignIn(cashless, 'kurayoshi.jiro')).toBe(401);
    expect(await failSignIn(cashless, 'kurayoshi.jiro')).toBe(401);
    expect(await failSignIn(cashless, 'kurayoshi.jiro')).toBe(401);
    expect(await failSignIn(cashless, 'kurayoshi.jiro')).toBe(429); // the fourth attempt starts a block: recorded once
    expect(await failSignIn(cashless, 'kurayoshi.jiro')).toBe(429);
    const { tokens } = await codeFlow(new BrowserAgent(), cashless, callback, { loginId: 'tottori.taro', password: 'tsunagu-demo-2026' });
    const linked = await fetch(`${hub.url}/api/v1/links`, {
      method: 'POST', headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' }, body: JSON.stringify({ localId: 'C-AUDIT-1' }),
    });
    expect(linked.status).toBe(201);

    const { rows } = await db.query(`SELECT seq, type, actor_kind, actor_id, subject, tenant_id, outcome, reason, correlation_id FROM audit_events WHERE seq > $1 ORDER BY seq`, [seeded]);
    const jiro = (await db.query(`SELECT id FROM residents WHERE login_id = 'kurayoshi.jiro'`)).rows[0].id;
    const taro = (await db.query(`SELECT id FROM residents WHERE login_id = 'tottori.taro'`)).rows[0].id;
    expect(rows.map((r) => [r.type, r.outcome, r.reason])).toEqual([
      ['auth.sign_in_failed', 'failure', 'unknown_login_id'],
      ['auth.sign_in_failed', 'failure', 'invalid_credentials'],
      ['auth.sign_in_failed', 'failure', 'invalid_credentials'],
      ['auth.sign_in_failed', 'failure', 'invalid_credentials'],
      ['auth.throttled', 'failure', 'too_many_attempts'],
      ['auth.sign_in', 'success', null],
      ['link.created', 'success', null],
    ]);
    expect(rows[0]).toMatchObject({ actor_kind: 'resident', actor_id: null, subject: null });
    expect(rows[1]).toMatchObject({ actor_id: jiro, subject: jiro });
    expect(rows[5]).toMatchObject({ actor_kind: 'resident', actor_id: taro });
    expect(rows[6]).toMatchObject({ actor_kind: 'service', actor_id: 'demo-cashless', subject: taro, tenant_id: expect.any(String) });
    expect(rows.every((r) => /^[0-9a-f-]{36}$/i.test(r.correlation_id))).toBe(true);

    const lines = hub.output().split('\n').filter((l) => l.includes('"auditType"')).map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.auditType, l.kind])).toEqual(expect.arrayContaining([
      ['auth.sign_in_failed', 'authentication'], ['auth.sign_in', 'authentication'], ['link.created', 'operation'],
    ]));
    // Every row written by a request carries its correlation ID (the boot's seed rows have none).
    expect(lines.filter((l) => l.auditType.startsWith('auth.') || l.auditType === 'link.created').every((l) => typeof l.correlationId === 'string')).toBe(true);
    expect(hub.output()).not.toContain(wrongPassword);
    expect(hub.output()).not.toContain('C-AUDIT-1');
  });

  it('verifies the chain with npm run audit:verify, and reports the first tampered row', async () => {
    // Checkpoints are written in the background every 3 rows: wait for one over the rows above.
    for (let i = 0; i < 50 && !(await db.query(`SELECT 1 FROM audit_checkpoints`)).rowCount; i++) await new Promise((r) => setTimeout(r, 100));
    const ok = await cli('audit-verify.js', { DATABASE_URL: databaseUrl });
    const total = seeded + 7;
    expect(ok).toMatchObject({ code: 0, stdout: expect.stringContaining(`Audit chain intact: ${total} rows (seq 1–${total})`) });
    const json = JSON.parse((await cli('audit-verify.js', { DATABASE_URL: databaseUrl }, ['--json'])).stdout.trim().split('\n').pop()!);
    expect(json).toMatchObject({ ok: true, rows: total });
    expect(json.checkpointsVerified).toBeGreaterThanOrEqual(1);

    await db.query('ALTER TABLE audit_events DISABLE TRIGGER USER');
    await db.query(`UPDATE audit_events SET outcome = 'success' WHERE seq = $1`, [seeded + 2]);
    await db.query('ALTER TABLE audit_events ENABLE TRIGGER USER');
    const broken = await cli('audit-verify.js', { DATABASE_URL: databaseUrl });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`Audit chain BROKEN at seq ${seeded + 2}: its content does not match its hash`);
  });
});
