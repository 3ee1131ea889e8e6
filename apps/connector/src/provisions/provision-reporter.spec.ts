import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt } from 'jose';
import type { ConnectorConfig, HttpFetch } from '../connector.tokens';
import { ConnectorException } from '../connector.exception';
import { generateConnectorKeyFile, keysFromFile } from '../keys/connector-keys';
import { GatedProvisionStore, settle, track } from '../testing/gated-store';
import { ProvisionOutbox, type ProvisionStore } from './provision-outbox';
import { ProvisionReporter } from './provision-reporter';

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe(ProvisionReporter.name, () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'reporter-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function reporter(answer: () => number, store?: ProvisionStore): Promise<{ reporter: ProvisionReporter; calls: { url: string; auth: string; body: Record<string, unknown> }[] }> {
    const keys = await keysFromFile(await generateConnectorKeyFile());
    const config = {
      connector: { name: 'c' }, keys: { file: path.join(dir, 'c.key.json') },
      hub: { url: 'http://hub.test', issuer: 'http://hub.test', timeoutMs: 1000 },
    } as unknown as ConnectorConfig;
    const calls: { url: string; auth: string; body: Record<string, unknown> }[] = [];
    const http = (async (url: string, init: RequestInit) => {
      calls.push({ url, auth: (init.headers as Record<string, string>).authorization, body: JSON.parse(String(init.body)) });
      return new Response('{}', { status: answer() });
    }) as unknown as HttpFetch;
    const outbox = store ?? await ProvisionOutbox.open(path.join(dir, 'c.provisions.jsonl'));
    const r = new ProvisionReporter(config, { id: 'conn-c', name: 'c' }, keys, http, { now: () => new Date() }, outbox, { retryBaseMs: 5, retryMaxMs: 10 });
    r.onApplicationBootstrap();
    return { reporter: r, calls };
  }

  const facts = {
    grantId: 'g-1', peerConnectorId: 'conn-p', dataUse: 'cashless.health-points', items: ['misasa.steps'], purpose: 'points', outcome: 'provided' as const,
  };

  it('posts metadata with a client assertion, and reports a grant once per outcome', async () => {
    const { reporter: r, calls } = await reporter(() => 200);
    await r.report('consumer', facts);
    await r.report('consumer', facts);
    await r.report('consumer', { ...facts, outcome: 'refused', code: 'consent_revoked' });
    await until(() => r.queue.pending === 0 && calls.length === 2);
    await r.onApplicationShutdown();
    expect(calls.map((c) => c.url)).toEqual(['http://hub.test/connect/v1/provisions', 'http://hub.test/connect/v1/provisions']);
    // The two reports may be sent in either order (the queue sends in parallel).
    const provided = calls.find((c) => c.body.outcome === 'provided')!;
    expect(provided.body).toMatchObject({ ...facts, side: 'consumer' });
    expect(calls.find((c) => c.body.outcome === 'refused')?.body).toMatchObject({ code: 'consent_revoked' });
    expect(Object.keys(provided.body).sort()).toEqual(['dataUse', 'grantId', 'items', 'occurredAt', 'outcome', 'peerConnectorId', 'purpose', 'reportId', 'side']);
    expect(decodeJwt(provided.auth.replace(/^Bearer /, ''))).toMatchObject({ iss: 'conn-c', sub: 'conn-c', aud: 'http://hub.test' });
  });

  it('retries while the hub answers 503 and drops a report it refuses for good (404)', async () => {
    const answers = [503, 503, 404];
    const { reporter: r, calls } = await reporter(() => answers.shift() ?? 200);
    await r.report('provider', facts);
    await until(() => r.queue.pending === 0);
    await r.onApplicationShutdown();
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((c) => c.body.reportId)).size).toBe(1);
  });

  it('resolves only once the report is stored, and holds a second exchange under the grant until that same write is done', async () => {
    const store = new GatedProvisionStore();
    const { reporter: r, calls } = await reporter(() => 200, store);
    const first = track(r.report('provider', facts));
    const second = track(r.report('provider', facts));
    await store.writesWaiting(1);
    await settle();
    // Neither may let data go: the record of their grant is not on disk yet.
    expect([first.settled(), second.settled()]).toEqual([false, false]);
    expect(store.added).toHaveLength(1);
    expect(calls).toHaveLength(0);
    store.release();
    await expect(first.promise).resolves.toBeUndefined();
    await expect(second.promise).resolves.toBeUndefined();
    // Only a stored report is sent; the second exchange did not write another.
    await until(() => calls.length === 1);
    expect(store.added).toHaveLength(1);
    await r.onApplicationShutdown();
  });

  it('refuses with provision_unrecorded when the report cannot be stored, sends nothing, and tries again on the next exchange', async () => {
    const store = new GatedProvisionStore();
    const { reporter: r, calls } = await reporter(() => 200, store);
    const first = r.report('provider', facts);
    const waiting = r.report('provider', facts);
    await store.writesWaiting(1);
    store.fail();
    for (const refused of [first, waiting]) {
      const error = await refused.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectorException);
      expect(error).toMatchObject({ code: 'provision_unrecorded' });
    }
    // The failed write is forgotten: the next exchange under the grant writes its report anew.
    store.hold = false;
    await r.report('provider', facts);
    expect(store.added).toHaveLength(2);
    await until(() => calls.length === 1);
    expect(calls[0].body.reportId).toBe(store.added[1].reportId);
    await r.onApplicationShutdown();
  });
});
