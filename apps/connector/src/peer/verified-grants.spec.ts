import type { GrantClaims } from '@tsunagu/contracts';
import type { ConnectorConfig } from '../connector.tokens';
import { RevocationSet } from '../revocations/revocation-set';
import { TestClock } from '../testing/test-connector';
import { VerifiedGrantCache } from './verified-grants';

const T0 = Date.parse('2026-11-22T03:00:00Z');
const iat = T0 / 1000;

function claims(overrides: Partial<GrantClaims> = {}): GrantClaims {
  return {
    iss: 'https://hub.test', aud: 'conn-misasa', sub: 'MH-0001', azp: 'conn-cashless', consumer_service: 'demo-cashless', data_use: 'cashless.health-points',
    purpose: 'health-points', items: ['misasa-health.daily-steps'], consent_id: 'c-1', consent_version: 1, jti: 'g-1', iat, exp: iat + 30, cnf: { jkt: 'jkt' },
    ...overrides,
  };
}

describe(VerifiedGrantCache.name, () => {
  const key = {};
  let current: unknown;
  const cache = () => new VerifiedGrantCache((kid, k) => kid === 'hub-1' && k === current, 3);

  beforeEach(() => {
    current = key;
  });

  it('returns the claims for exactly the same grant string, frozen', () => {
    const c = cache();
    c.put('a.b.c.d.e', claims(), 'hub-1', key, T0);
    const hit = c.get('a.b.c.d.e', T0 + 1000);
    expect(hit).toMatchObject({ jti: 'g-1' });
    expect(Object.isFrozen(hit)).toBe(true);
    expect(Object.isFrozen(hit!.items)).toBe(true);
    expect(c.get('a.b.c.d.f', T0)).toBeUndefined();
  });

  it('forgets a grant at its expiry (with the five seconds of tolerance openGrant allows)', () => {
    const c = cache();
    c.put('g', claims(), 'hub-1', key, T0);
    expect(c.get('g', T0 + 34_999)).toBeDefined();
    expect(c.get('g', T0 + 35_000)).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it('forgets a grant once the key that verified it is no longer the published one', () => {
    const c = cache();
    c.put('g', claims(), 'hub-1', key, T0);
    current = {};
    expect(c.get('g', T0)).toBeUndefined();
    current = key;
    expect(c.get('g', T0)).toBeUndefined();
  });

  it('stays bounded: expired entries are swept, then the oldest live one goes', () => {
    const c = cache();
    c.put('old', claims({ exp: iat + 1 }), 'hub-1', key, T0);
    c.put('a', claims(), 'hub-1', key, T0);
    c.put('b', claims(), 'hub-1', key, T0);
    c.put('c', claims(), 'hub-1', key, T0 + 10_000);
    expect(c.size).toBe(3);
    expect(c.get('old', T0 + 10_000)).toBeUndefined();
    c.put('d', claims(), 'hub-1', key, T0 + 10_000);
    expect(c.size).toBe(3);
    expect(c.get('a', T0 + 10_000)).toBeUndefined();
    expect(c.get('d', T0 + 10_000)).toBeDefined();
  });

  it('drops the grants of a consent version as soon as the revocation set applies a change that revokes it', () => {
    const set = new RevocationSet({ revocations: { pullIntervalSeconds: 1, stalenessSeconds: 6, retainSeconds: 600 } } as ConnectorConfig, new TestClock(new Date(T0)));
    const c = new VerifiedGrantCache((kid, k) => kid === 'hub-1' && k === current, 10);
    set.watch(c);
    c.put('v1', claims({ jti: 'g-1', consent_version: 1 }), 'hub-1', key, T0);
    c.put('v2', claims({ jti: 'g-2', consent_version: 2 }), 'hub-1', key, T0);
    c.put('other', claims({ jti: 'g-3', consent_id: 'c-2' }), 'hub-1', key, T0);
    // Narrowed to version 2 (active): grants of version 1 go, those of version 2 stay.
    set.apply({ consent_id: 'c-1', version: 2, state: 'active', changed_at: new Date(T0).toISOString() });
    expect(c.get('v1', T0)).toBeUndefined();
    expect(c.get('v2', T0)).toMatchObject({ jti: 'g-2' });
    set.apply({ consent_id: 'c-1', version: 2, state: 'withdrawn', changed_at: new Date(T0).toISOString() });
    expect(c.get('v2', T0)).toBeUndefined();
    expect(c.get('other', T0)).toMatchObject({ jti: 'g-3' });
    expect(c.size).toBe(1);
  });

  it('drops the grants issued to a revoked consumer connector as soon as the revocation set applies its revocation', () => {
    const set = new RevocationSet({ revocations: { pullIntervalSeconds: 1, stalenessSeconds: 6, retainSeconds: 600 } } as ConnectorConfig, new TestClock(new Date(T0)));
    const c = new VerifiedGrantCache((kid, k) => kid === 'hub-1' && k === current, 10);
    set.watch(c);
    c.put('a1', claims({ jti: 'g-1' }), 'hub-1', key, T0);
    c.put('a2', claims({ jti: 'g-2', consent_id: 'c-2' }), 'hub-1', key, T0);
    c.put('other', claims({ jti: 'g-3', azp: 'conn-other' }), 'hub-1', key, T0);
    set.applyConnectorRevocation({ connector_id: 'conn-cashless', revoked_at: new Date(T0 + 1_000).toISOString() });
    expect(c.get('a1', T0)).toBeUndefined();
    expect(c.get('a2', T0)).toBeUndefined();
    expect(c.get('other', T0)).toMatchObject({ jti: 'g-3' });
    expect(c.size).toBe(1);
    // The indexes do not keep what the cache dropped.
    expect((c as unknown as { byConsumer: { groups: number } }).byConsumer.groups).toBe(1);
  });
});
