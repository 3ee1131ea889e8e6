import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserAgent } from '@tsunagu/testing';
import type { Client } from 'pg';
import type { FakeService } from '../apps/connector/src/testing/fake-service';
import { connectHelpers, HEALTH_POINTS, type Json, type RegisteredPair, startWithStandIns, STEPS, tearDown, VISITS } from './support/connect-harness';
import { type AppProcess, freePort, startApp } from './support/processes';
import { launchBrowser, screenshot } from './support/browser';
import { type PushPath, startPushProxy } from './support/push-proxy';

/** Consumers asking in a loop while the resident opts out (the measurement). */
const CONSUMER_LOOPS = 8;

interface Exchange {
  sentAt: number;
  status: number;
  code?: string;
}

/**
 * ARCHITECTURE.md §6's promise across real processes: no exchange sent after the resident saw
 * "withdrawn" returns data. The hub, both connectors and the stand-in apps run as processes; the
 * hub reaches each connector through a proxy that can delay or cut its pushed revocation events
 * (the exchanges themselves pass untouched). Eight consumer loops keep asking, with a reusable
 * grant cached, while the resident opts out through the portal's API.
 */
describe('Withdrawal enforced before the answer, real processes (e2e)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-enforce-'));
  const agent = new BrowserAgent();
  let hub: AppProcess;
  let hubEnv: Record<string, string>;
  let hubPort = 0;
  let db: Client;
  let csrf = '';
  let misasaApp: FakeService;
  let cashlessApp: FakeService;
  let cashless: AppProcess;
  let misasa: AppProcess;
  let pair: RegisteredPair;
  const proxies: Awaited<ReturnType<typeof startPushProxy>>[] = [];
  const { portal, sdk, registerPair, approveAndStart } = connectHelpers({ dir, agent, hub: () => hub, cashless: () => cashless, csrf: () => csrf });

  beforeAll(async () => {
    ({ hub, env: hubEnv, port: hubPort, db, csrf, misasaApp, cashlessApp } = await startWithStandIns('enforce', agent));
    pair = await registerPair({ cashless: cashlessApp.url, 'misasa-health': misasaApp.url });
    // Each connector's public address is its proxy: the hub pushes through it, and the consumer
    // presents grants through it (the DPoP proof names that address).
    for (const name of ['cashless', 'misasa-health'] as const) {
      const proxy = await startPushProxy(await freePort(), `http://127.0.0.1:${pair.ports[name]}`);
      proxies.push(proxy);
      writeFileSync(pair.files[name], JSON.stringify({ ...JSON.parse(readFileSync(pair.files[name], 'utf8')), publicUrl: proxy.url }));
      await db.query(`UPDATE connectors SET base_url = $2 WHERE id = $1`, [pair.ids[name], proxy.url]);
    }
    ({ cashless, 'misasa-health': misasa } = await approveAndStart(db, pair));
  }, 120_000);

  afterAll(async () => {
    for (const proxy of proxies) await proxy.close();
    await tearDown({ connectors: [cashless, misasa], hub, db, others: [misasaApp, cashlessApp], dir });
  });

  const setPush = (path: PushPath) => proxies.forEach((p) => (p.path = path));

  /** Opts in (again), caches a reusable grant at the consumer, then opts out while the loops ask. */
  async function optOutUnderLoad(afterAnswer: (answer: Json) => Promise<void> | void, keepAskingMs: (answer: Json) => number) {
    const given = await portal('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: [STEPS, VISITS] });
    expect(given.status).toBe(201);
    const warm = await sdk();
    expect(warm).toMatchObject({ status: 200 });
    const exchanges: Exchange[] = [];
    let stopAt = Number.POSITIVE_INFINITY;
    const loops = Array.from({ length: CONSUMER_LOOPS }, async () => {
      while (Date.now() < stopAt) {
        const sentAt = Date.now();
        const res = await sdk().catch(() => ({ status: 0, body: {} as Json }));
        exchanges.push({ sentAt, status: res.status, code: res.body?.error?.code });
      }
    });
    // Let the loops run with data flowing first.
    while (exchanges.filter((e) => e.status === 200).length < CONSUMER_LOOPS) await new Promise((r) => setTimeout(r, 5));
    const answer = await portal('POST', `/api/v1/portal/consents/${given.body.consent.consentId}/withdraw`, {});
    const answeredAt = Date.now();
    expect(answer.status).toBe(200);
    await afterAnswer(answer.body);
    stopAt = answeredAt + keepAskingMs(answer.body);
    await Promise.all(loops);
    return { answer: answer.body, answeredAt, exchanges };
  }

  const dataAfter = (exchanges: Exchange[], moment: number) => exchanges.filter((e) => e.sentAt > moment && e.status === 200);

  it('with the push delayed, answers once every connector acknowledged; nothing sent after the answer returns data', async () => {
    setPush({ kind: 'delay', ms: 150 });
    for (let round = 0; round < 4; round++) {
      const { answer, answeredAt, exchanges } = await optOutUnderLoad(() => undefined, () => 600);
      expect(answer.enforcement).toMatchObject({ complete: true });
      expect(answer.enforcement.connectors.map((c: Json) => c.state)).toEqual(['enforced', 'enforced']);
      // The answer waited for the delayed acknowledgements, and no later.
      expect(Date.parse(answer.enforcement.enforcedAt) - Date.parse(answer.enforcement.committedAt)).toBeGreaterThanOrEqual(100);
      expect(Date.parse(answer.enforcement.enforcedAt)).toBeLessThanOrEqual(answeredAt);
      expect(dataAfter(exchanges, answeredAt)).toEqual([]);
      expect(exchanges.some((e) => e.sentAt > answeredAt)).toBe(true);
    }
  }, 60_000);

  it('with the push cut, says by when it is enforced everywhere, shows each connector pending, and no data flows after that moment', async () => {
    setPush({ kind: 'cut' });
    const { answer, answeredAt, exchanges } = await optOutUnderLoad(() => undefined, (a) => Date.parse(a.enforcement.enforcedBy) - Date.now() + 500);
    const e = answer.enforcement;
    expect(e.complete).toBe(false);
    expect(e.enforcedAt).toBeNull();
    // The bound: the commit plus the hub's staleness bound for providers (6 s by default), answered within the 1 s wait.
    const bound = Date.parse(e.enforcedBy) - Date.parse(e.committedAt);
    expect(bound).toBeGreaterThan(0);
    expect(bound).toBeLessThanOrEqual(6_000);
    expect(answeredAt - Date.parse(e.committedAt)).toBeGreaterThanOrEqual(900);
    expect(e.connectors.map((c: Json) => [c.role, c.state]).sort()).toEqual([['consumer', 'pending'], ['provider', 'pending']]);
    expect(dataAfter(exchanges, Date.parse(e.enforcedBy))).toEqual([]);
    // Without the push, the provider learns the change from its next pull of the signed feed.
    const lastData = Math.max(...exchanges.filter((x) => x.status === 200).map((x) => x.sentAt));
    expect(lastData - Date.parse(e.committedAt)).toBeLessThan(3_000);
    // The consent page shows the same truth to the resident.
    const page = await portal('GET', `/api/v1/portal/consents/${e.consentId}`);
    expect(page.body.enforcement.enforcedBy).toBe(e.enforcedBy);
    // …and so does the page itself, on a phone: each connected service and its state.
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: { width: 375, height: 800 }, locale: 'ja-JP' });
      const url = new URL(`${hub.url}/portal/consents/${e.consentId}`);
      await context.addCookies(agent.cookieHeader(url).split('; ').filter(Boolean).map((c) => {
        const [name, ...value] = c.split('=');
        return { name, value: value.join('='), url: hub.url };
      }));
      const tab = await context.newPage();
      await tab.goto(url.href);
      expect(await tab.getAttribute('[data-testid=enforcement]', 'data-complete')).toBe('false');
      const states = await tab.locator('[data-testid=enforcement-connectors] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-state')));
      expect(states.length).toBe(2);
      expect(await tab.textContent('[data-testid=enforcement]')).toMatch(/までに、すべての連携先で停止します|以降はデータを提供できません/);
      await screenshot(tab, 'portal-enforcement-pending-375');
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('with the push cut and the hub killed right after the answer, no data flows after the "enforced by" moment', async () => {
    setPush({ kind: 'cut' });
    const { answer, exchanges } = await optOutUnderLoad(() => {
      hub.child.kill('SIGKILL');
    }, (a) => Date.parse(a.enforcement.enforcedBy) - Date.now() + 1_000);
    expect(answer.enforcement.complete).toBe(false);
    const after = exchanges.filter((x) => x.sentAt > Date.parse(answer.enforcement.enforcedBy));
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((x) => x.status === 200)).toEqual([]);
    // The provider failed closed: it refused as stale, or the consumer could not reach the hub.
    expect(new Set(after.map((x) => x.code))).not.toContain(undefined);
    // What the resident was shown was recorded before the answer, and survived the kill.
    const { rows } = await db.query(`SELECT enforce_by FROM consent_change_outbox WHERE consent_id = $1 AND version = $2`,
      [answer.enforcement.consentId, answer.enforcement.version]);
    expect(rows[0].enforce_by.toISOString()).toBe(answer.enforcement.enforcedBy);
    setPush({ kind: 'pass' });
    hub = await startApp('apps/hub/src/main.js', hubEnv, hubPort);
  }, 90_000);
});
