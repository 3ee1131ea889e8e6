import { verifyRevocationFeed } from '@tsunagu/contracts';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { ConnectConnectorRow, ConnectRepository, FeedRow } from './connect.repository';
import type { HubSigningKeyService } from './hub-signing-key.service';
import { FEED_PAGE_SIZE, feedEtag, feedExtensionsOf, RevocationFeedService } from './revocation-feed.service';
import { bearer } from './connector-auth.service';
import type { RevocationFeedHead } from './revocation-feed-head';

const ISSUER = 'https://hub.example';

function row(seq: number): FeedRow {
  return { kind: 'consent', seq: String(seq), consent_id: '0195f3a0-0000-7000-8000-000000000001', version: 2, state: 'withdrawn', data_use_id: 'u', items: ['a.b'], changed_at: new Date(0), created_at: new Date(0) };
}

function revoked(seq: number): FeedRow {
  return { kind: 'connector', seq: String(seq), connector_id: '0195f3a0-0000-7000-8000-00000000000c', revoked_at: new Date('2026-12-03T01:02:03.456Z'), created_at: new Date(0) };
}

describe(RevocationFeedService.name, () => {
  let publicJwk: JWK;
  let feed: (rows: FeedRow[], settled: string | undefined, since?: string, extensions?: string[]) => Promise<{
    cursor: string; more: boolean; changes: unknown[]; synced: boolean; staleness_seconds?: number; revoked_connectors?: unknown[];
  }>;
  const connector = { id: 'c1', service_id: 's1', feed_extensions: [] as string[] } as ConnectConnectorRow;
  const asked: (string | undefined)[] = [];
  const remembered: string[][] = [];

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    publicJwk = { ...(await exportJWK(publicKey)), kid: 'k1' };
    const key = { ...(await exportJWK(privateKey)), kid: 'k1' };
    feed = async (rows, settled, since, extensions) => {
      let synced = false;
      const repo = {
        // The repository serves revoked connectors only to the connector named as asking for them.
        feedFor: async (_service: string, _from: unknown, _limit: number, revokedFor?: string) => {
          asked.push(revokedFor);
          return rows.filter((r) => r.kind === 'consent' || revokedFor === connector.id);
        },
        settledSeq: async () => settled,
        markRevocationSync: async () => { synced = true; },
        recordFeedExtensions: async (_id: string, _known: string[], named: string[]) => { remembered.push(named); },
      } as unknown as ConnectRepository;
      const signing = { signingKey: async () => ({ key, kid: 'k1' }) } as unknown as HubSigningKeyService;
      const token = await new RevocationFeedService(repo, signing, {} as RevocationFeedHead, { REVOCATION_STALENESS_SECONDS: 6 }).page(connector, ISSUER, since, extensions);
      const claims = await verifyRevocationFeed(token, { hubKeys: async () => publicJwk, issuer: ISSUER, audience: 'c1' });
      return { ...claims, synced };
    };
  });

  it('moves the cursor to the last change once every change of the page has settled', async () => {
    expect(await feed([row(3), row(5)], '9', 's:2')).toMatchObject({ cursor: 's:5', more: false, synced: true, changes: [expect.objectContaining({ version: 2, state: 'withdrawn' }), expect.anything()] });
  });

  it('keeps the cursor behind changes that may still have earlier ones committing, and sends them again', async () => {
    expect(await feed([row(3), row(5)], '4', 's:2')).toMatchObject({ cursor: 's:4', more: false });
    // Never backwards.
    expect(await feed([row(3), row(5)], '1', 's:2')).toMatchObject({ cursor: 's:2' });
  });

  it('pages, and claims "more" whenever changes follow the page — also when the cursor could not reach its end', async () => {
    const rows = Array.from({ length: FEED_PAGE_SIZE + 1 }, (_, i) => row(i + 1));
    const settled = await feed(rows, String(FEED_PAGE_SIZE + 10), 's:0');
    expect(settled).toMatchObject({ cursor: `s:${FEED_PAGE_SIZE}`, more: true });
    expect(settled.changes).toHaveLength(FEED_PAGE_SIZE);
    // The changes after this page committed before the query: a pull ending here would miss them.
    expect(await feed(rows, '10', 's:0')).toMatchObject({ cursor: 's:10', more: true });
    expect(await feed(rows.slice(0, FEED_PAGE_SIZE), '10', 's:0')).toMatchObject({ cursor: 's:10', more: false });
  });

  it('signs the staleness bound the hub imposes into every page', async () => {
    expect(await feed([], '7')).toMatchObject({ staleness_seconds: 6 });
    expect(await feed([row(3)], '9', 's:2')).toMatchObject({ staleness_seconds: 6 });
  });

  it('carries revoked connectors in the cursor\'s order to a connector that asked for them, and only to it', async () => {
    const page = await feed([row(3), revoked(4), row(5)], '9', 's:2', ['connector-revoked']);
    expect(page).toMatchObject({ cursor: 's:5', more: false, changes: [expect.anything(), expect.anything()] });
    expect(page.revoked_connectors).toEqual([{ connector_id: '0195f3a0-0000-7000-8000-00000000000c', revoked_at: '2026-12-03T01:02:03.456Z' }]);
    expect(asked.pop()).toBe('c1');
    expect(remembered.pop()).toEqual(['connector-revoked']);
    // A connector that did not ask (an earlier version) gets a page it can verify: no such claim.
    const plain = await feed([row(3), revoked(4), row(5)], '9', 's:2');
    expect(plain).not.toHaveProperty('revoked_connectors');
    expect(plain.changes).toHaveLength(2);
    expect(asked.pop()).toBeUndefined();
    expect(remembered.pop()).toEqual([]);
  });

  it('starts without a cursor from the settled position, and refuses a malformed one', async () => {
    expect(await feed([], '7')).toMatchObject({ cursor: 's:7', changes: [] });
    expect(await feed([], undefined)).toMatchObject({ cursor: 's:0' });
    await expect(feed([], '7', 'x:1')).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

describe(`${RevocationFeedService.name} unchanged pulls`, () => {
  const connector = { id: 'c1', service_id: 's1', feed_extensions: [] as string[] } as ConnectConnectorRow;
  let queries = 0;
  let signatures = 0;
  let head = '5';
  let service: RevocationFeedService;

  beforeAll(async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const key = { ...(await exportJWK(privateKey)), kid: 'k1' };
    const repo = {
      feedFor: async () => { queries++; return []; },
      settledSeq: async () => head,
      markRevocationSync: async () => undefined,
      recordFeedExtensions: async () => undefined,
    } as unknown as ConnectRepository;
    const signing = { signingKey: async () => { signatures++; return { key, kid: 'k1' }; } } as unknown as HubSigningKeyService;
    const heads = { current: async () => ({ seq: head, asOf: new Date('2026-12-02T10:00:00.123Z') }) } as unknown as RevocationFeedHead;
    service = new RevocationFeedService(repo, signing, heads, { REVOCATION_STALENESS_SECONDS: 6 });
  });

  beforeEach(() => {
    queries = 0;
    signatures = 0;
    head = '5';
  });

  it('tags an empty page, and answers its revalidation with 304 as of the head\'s moment: no feed query, no signature', async () => {
    const first = await service.pull(connector, ISSUER, 's:5', [], undefined);
    expect(first).toMatchObject({ etag: feedEtag('s:5', []) });
    expect(queries).toBe(1);
    const again = await service.pull(connector, ISSUER, 's:5', [], feedEtag('s:5', []));
    expect(again).toEqual({ notModified: true, etag: feedEtag('s:5', []), asOf: new Date('2026-12-02T10:00:00.123Z') });
    expect(queries).toBe(1);
    expect(signatures).toBe(1);
  });

  it('answers with a page when the head moved past the cursor, or the tag names other extensions or another cursor', async () => {
    head = '6';
    expect(await service.pull(connector, ISSUER, 's:5', [], feedEtag('s:5', []))).toHaveProperty('token');
    head = '5';
    expect(await service.pull(connector, ISSUER, 's:5', ['connector-revoked'], feedEtag('s:5', []))).toHaveProperty('token');
    expect(await service.pull(connector, ISSUER, 's:5', [], feedEtag('s:4', []))).toHaveProperty('token');
    expect(queries).toBe(3);
  });
});

describe(feedExtensionsOf.name, () => {
  it('keeps the extensions this hub knows, whatever their case and spacing, and nothing else', () => {
    expect(feedExtensionsOf(' Connector-Revoked , something-else')).toEqual(['connector-revoked']);
    expect(feedExtensionsOf(undefined)).toEqual([]);
    expect(feedExtensionsOf('')).toEqual([]);
  });
});

describe('connector authentication helpers', () => {
  it('reads only a Bearer token', () => {
    expect(bearer('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearer('DPoP abc.def.ghi')).toBeUndefined();
    expect(bearer(undefined)).toBeUndefined();
    expect(bearer('Bearer a b')).toBeUndefined();
  });
});
