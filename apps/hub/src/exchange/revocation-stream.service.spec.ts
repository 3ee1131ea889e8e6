import { cursorCovers, verifyRevocationChanges, verifyRevocationHead } from '@tsunagu/contracts';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { waitUntil } from '@tsunagu/testing';
import { ConsentChanges } from '../consent/consent-changes';
import type { ConnectConnectorRow, ConnectRepository, OutboxRow } from './connect.repository';
import type { RevocationSignals } from './enforcement/revocation-signals';
import type { HubSigningKeyService } from './hub-signing-key.service';
import { RevocationFeedHead } from './revocation-feed-head';
import { RevocationStreamService, type StreamSink, STREAMS_PER_CONNECTOR } from './revocation-stream.service';

const ISSUER = 'https://hub.example';

class Sink implements StreamSink {
  text = '';
  closed = false;
  reads = true;
  write(chunk: string): boolean {
    this.text += chunk;
    return this.reads;
  }
  close(): void {
    this.closed = true;
  }
  events(type: string): string[] {
    return [...this.text.matchAll(new RegExp(`event: ${type}\\ndata: ([^\\n]*)\\n\\n`, 'g'))].map((m) => m[1]);
  }
}

describe(RevocationStreamService.name, () => {
  let publicJwk: JWK;
  let key: JWK;
  let head = '7';
  let signatures = 0;
  let synced: string[][] = [];
  const unapproved = new Set<string>();
  type Concerned = { changes: (OutboxRow & { service_id: string })[]; all: boolean; more: boolean };
  let concerned: Concerned = { changes: [], all: false, more: false };
  const row = (seq: string, serviceId: string, consentId = `consent-${seq}`) => ({
    service_id: serviceId, seq, consent_id: consentId, version: 2, state: 'withdrawn' as const, data_use_id: 'du', items: ['x'], changed_at: new Date(), created_at: new Date(),
  });
  let changes: ConsentChanges;
  let service: RevocationStreamService;
  const connector = (id: string, serviceId = 'svc-a') => ({ id, service_id: serviceId }) as ConnectConnectorRow;

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    publicJwk = { ...(await exportJWK(publicKey)), kid: 'k1' };
    key = { ...(await exportJWK(privateKey)), kid: 'k1' };
  });

  beforeEach(() => {
    head = '7';
    signatures = 0;
    synced = [];
    unapproved.clear();
    concerned = { changes: [], all: false, more: false };
    const repo = {
      feedHead: async () => head,
      changesConcerned: async () => concerned,
      markStreamsSynced: async (ids: string[]) => { synced.push(ids); return ids.filter((id) => !unapproved.has(id)); },
    } as unknown as ConnectRepository;
    const signing = { signingKey: async () => { signatures++; return { key, kid: 'k1' }; } } as unknown as HubSigningKeyService;
    changes = new ConsentChanges();
    const signals = { onOutbox: () => () => undefined } as unknown as RevocationSignals;
    const heads = new RevocationFeedHead(repo, changes, signals);
    heads.onApplicationBootstrap();
    service = new RevocationStreamService(repo, signing, heads, { REVOCATION_STALENESS_SECONDS: 6, PUBLIC_URL: ISSUER });
    service.onApplicationBootstrap();
  });

  afterEach(() => service.beforeApplicationShutdown());

  it('sends a new stream the retry delay and a signed head at once, which a connector verifies and compares with its cursor', async () => {
    const sink = new Sink();
    await service.open(connector('c1'), sink);
    expect(sink.text).toMatch(/^retry: \d+\n/);
    const [token] = sink.events('head');
    const claims = await verifyRevocationHead(token, { hubKeys: async () => publicJwk, issuer: ISSUER });
    expect(claims).toMatchObject({ head: 's:7', staleness_seconds: 6 });
    expect(cursorCovers('s:7', claims.head) && !cursorCovers('s:6', claims.head)).toBe(true);
  });

  it('signs one head per beat however many streams it holds, and records them all synced in one statement', async () => {
    const sinks = Array.from({ length: 50 }, () => new Sink());
    for (const [i, sink] of sinks.entries()) await service.open(connector(`c${i}`), sink);
    const before = signatures;
    await service.tick();
    expect(signatures - before).toBe(1);
    expect(sinks.every((s) => s.events('head').length === 2)).toBe(true);
    expect(synced).toHaveLength(1);
    expect(synced[0]).toHaveLength(50);
  });

  it('sends the changes a commit brings, signed once per service, to that service\'s streams only', async () => {
    const a1 = new Sink();
    const a2 = new Sink();
    const b = new Sink();
    await service.open(connector('ca1', 'svc-a'), a1);
    await service.open(connector('ca2', 'svc-a'), a2);
    await service.open(connector('cb', 'svc-b'), b);
    head = '9';
    concerned = { changes: [row('8', 'svc-a', 'k-8'), row('9', 'svc-a', 'k-9')], all: false, more: false };
    const before = signatures;
    changes.committed();
    await waitUntil(() => a1.events('changes').length === 1 && a2.events('changes').length === 1);
    const [token] = a1.events('changes');
    expect(a2.events('changes')).toEqual([token]);
    expect(b.events('changes')).toEqual([]);
    expect(signatures - before).toBe(1);
    const claims = await verifyRevocationChanges(token, { hubKeys: async () => publicJwk, issuer: ISSUER });
    expect(claims).toMatchObject({ service: 'svc-a', head: 's:9', changes: [{ consent_id: 'k-8', version: 2, state: 'withdrawn' }, { consent_id: 'k-9' }] });
    // A connector revocation (its providers are known from grant records only) or a burst: every stream pulls.
    head = '10';
    concerned = { changes: [], all: true, more: false };
    changes.committed();
    await waitUntil(() => b.events('change').length === 1);
    expect(b.events('change')).toEqual(['s:10']);
    head = '11';
    concerned = { changes: [row('11', 'svc-a')], all: false, more: true };
    changes.committed();
    await waitUntil(() => a1.events('change').length === 2);
    expect(a1.events('change')).toEqual(['s:10', 's:11']);
  });

  it('ends, at the next record of syncs, the stream of a connector suspended or revoked since it authenticated', async () => {
    const kept = new Sink();
    const suspended = new Sink();
    await service.open(connector('c-kept'), kept);
    await service.open(connector('c-suspended'), suspended);
    unapproved.add('c-suspended');
    await service.tick();
    expect(suspended.closed).toBe(true);
    expect(kept.closed).toBe(false);
    expect(service.size).toBe(1);
  });

  it('routes at the next beat a change whose notification was lost', async () => {
    const a = new Sink();
    await service.open(connector('ca', 'svc-a'), a);
    head = '12';
    concerned = { changes: [row('12', 'svc-a')], all: false, more: false };
    await service.tick();
    await waitUntil(() => a.events('changes').length === 1);
    expect(a.events('changes')).toHaveLength(1);
  });

  it('drops a stream its connector does not read, keeps at most a few per connector, and ends them all on shutdown', async () => {
    const stuck = new Sink();
    await service.open(connector('c1'), stuck);
    stuck.reads = false;
    await service.tick();
    expect(stuck.closed).toBe(true);
    const mine = Array.from({ length: STREAMS_PER_CONNECTOR + 1 }, () => new Sink());
    for (const sink of mine) await service.open(connector('c2'), sink);
    expect(mine.map((s) => s.closed)).toEqual([true, ...Array.from({ length: STREAMS_PER_CONNECTOR }, () => false)]);
    service.beforeApplicationShutdown();
    expect(mine.every((s) => s.closed)).toBe(true);
    expect(service.size).toBe(0);
  });
});
