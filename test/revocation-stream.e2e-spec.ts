import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserAgent } from '@tsunagu/testing';
import type { Client } from 'pg';
import type { FakeService } from '../apps/connector/src/testing/fake-service';
import { connectHelpers, HEALTH_POINTS, type Json, type RegisteredPair, startWithStandIns, STEPS, tearDown, VISITS } from './support/connect-harness';
import { type HubPathProxy, startHubPathProxy } from './support/hub-path-proxy';
import { type AppProcess, freePort } from './support/processes';
import { startPushProxy } from './support/push-proxy';

/** The provider's own pull interval: far longer than anything these tests wait for. */
const PULL_INTERVAL_SECONDS = 30;
const FEED = 'GET /connect/v1/revocations';
const STREAM = 'GET /connect/v1/revocations/stream';

/**
 * docs/connector.md §7.5 across real processes: the Misasa provider holds the hub's revocation
 * stream through a proxy that can cut it, pulls the signed feed only every 30 s, and the hub's
 * pushed events to both connectors are cut. Whatever reaches the provider in time reached it
 * through the stream.
 */
describe('Revocation stream, real processes (e2e)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-stream-'));
  const agent = new BrowserAgent();
  let hub: AppProcess;
  let db: Client;
  let csrf = '';
  let misasaApp: FakeService;
  let cashlessApp: FakeService;
  let cashless: AppProcess;
  let misasa: AppProcess;
  let pair: RegisteredPair;
  let hubPath: HubPathProxy;
  const pushProxies: Awaited<ReturnType<typeof startPushProxy>>[] = [];
  const { portal, sdk, registerPair, approveAndStart } = connectHelpers({ dir, agent, hub: () => hub, cashless: () => cashless, csrf: () => csrf });

  const health = async () => (await fetch(`${misasa.url}/health`).then((r) => r.json())) as Json;

  beforeAll(async () => {
    ({ hub, db, csrf, misasaApp, cashlessApp } = await startWithStandIns('stream', agent));
    pair = await registerPair({ cashless: cashlessApp.url, 'misasa-health': misasaApp.url });
    for (const name of ['cashless', 'misasa-health'] as const) {
      const push = await startPushProxy(await freePort(), `http://127.0.0.1:${pair.ports[name]}`);
      push.path = { kind: 'cut' };
      pushProxies.push(push);
      writeFileSync(pair.files[name], JSON.stringify({ ...JSON.parse(readFileSync(pair.files[name], 'utf8')), publicUrl: push.url }));
      await db.query(`UPDATE connectors SET base_url = $2 WHERE id = $1`, [pair.ids[name], push.url]);
    }
    hubPath = await startHubPathProxy(await freePort(), hub.url);
    const file = JSON.parse(readFileSync(pair.files['misasa-health'], 'utf8'));
    writeFileSync(pair.files['misasa-health'], JSON.stringify({
      ...file, hub: { url: hubPath.url, issuer: hub.url }, revocations: { ...file.revocations, pullIntervalSeconds: PULL_INTERVAL_SECONDS, stalenessSeconds: PULL_INTERVAL_SECONDS + 10 },
    }));
    ({ cashless, 'misasa-health': misasa } = await approveAndStart(db, pair));
    // The provider opens the stream at boot; on a loaded CI machine its first attempts may fail and back off.
    await waitFor(() => (hubPath.calls.get(STREAM) ?? 0) >= 1, 30_000, () => `calls ${JSON.stringify([...hubPath.calls])}\n${misasa.output()}`);
  }, 120_000);

  afterAll(async () => {
    for (const proxy of pushProxies) await proxy.close();
    await hubPath?.close();
    await tearDown({ connectors: [cashless, misasa], hub, db, others: [misasaApp, cashlessApp], dir });
  });

  /** Opts in, lets the consumer cache a reusable grant, and returns the consent. */
  async function consentAndWarm(): Promise<string> {
    const given = await portal('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: [STEPS, VISITS] });
    expect(given.status).toBe(201);
    expect(await sdk()).toMatchObject({ status: 200 });
    return given.body.consent.consentId;
  }

  /** Asks every 50 ms until the provider refuses; the moment of the first refused request. */
  async function firstRefusal(timeoutMs: number): Promise<{ at: number; code: string }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const sentAt = Date.now();
      const res = await sdk();
      if (res.status !== 200) return { at: sentAt, code: res.body?.error?.code };
      if (Date.now() > deadline) throw new Error(`still answered with data after ${timeoutMs} ms:\n${misasa.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('keeps an idle provider fresh past the hub\'s 6 s staleness bound on the stream\'s heads, pulling no feed', async () => {
    const pulls = hubPath.calls.get(FEED) ?? 0;
    const started = new Date();
    const until = Date.now() + 8_000;
    while (Date.now() < until) {
      expect((await health()).revocations.fresh).toBe(true);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect((hubPath.calls.get(FEED) ?? 0) - pulls).toBe(0);
    expect(hubPath.calls.get(STREAM)).toBe(1);
    // The hub records the streams' syncs itself (what the admin screens show as the last sync).
    const { rows } = await db.query(`SELECT last_revocation_sync_at FROM connectors WHERE id = $1`, [pair.ids['misasa-health']]);
    expect(rows[0].last_revocation_sync_at.getTime()).toBeGreaterThan(started.getTime());
  }, 30_000);

  it('brings a withdrawal to the provider within a second, with every push cut', async () => {
    const consentId = await consentAndWarm();
    const answer = await portal('POST', `/api/v1/portal/consents/${consentId}/withdraw`, {});
    expect(answer.status).toBe(200);
    const committedAt = Date.parse(answer.body.enforcement.committedAt);
    const refusal = await firstRefusal(5_000);
    expect(refusal.code).toBeDefined();
    expect(refusal.at - committedAt).toBeLessThan(1_500);
    // The stream carried the signed change; the provider then caught its feed cursor up at the next
    // head (≤ 2 s, spread over a second), well before its own pull 30 s away.
    await waitFor(() => (hubPath.calls.get(FEED) ?? 0) >= 1, 4_000);
    expect((await sdk()).status).not.toBe(200);
  }, 30_000);

  it('after a cut, reconnects and catches up with what was withdrawn while the hub was out of reach', async () => {
    const consentId = await consentAndWarm();
    const streams = hubPath.calls.get(STREAM) ?? 0;
    hubPath.blocked = true;
    hubPath.cut();
    const answer = await portal('POST', `/api/v1/portal/consents/${consentId}/withdraw`, {});
    expect(answer.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_000));
    hubPath.blocked = false;
    const reopened = Date.now();
    const refusal = await firstRefusal(8_000);
    // The stream's backoff after a short cut is a few seconds at most; the pull would take 30.
    expect(refusal.at - reopened).toBeLessThan(5_000);
    expect(hubPath.calls.get(STREAM) ?? 0).toBeGreaterThan(streams);
    expect((await health()).revocations.fresh).toBe(true);
  }, 30_000);
});

async function waitFor(condition: () => boolean, timeoutMs: number, context?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not reached in time${context ? `\n${context()}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
