import type { ConsentChange, GrantResponse } from '@tsunagu/contracts';
import type { ConnectorConfig } from '../connector.tokens';
import { RevocationSet } from '../revocations/revocation-set';
import { TestClock } from '../testing/test-connector';
import { GrantCache } from './grant-cache';

const config = { revocations: { pullIntervalSeconds: 1, stalenessSeconds: 6, retainSeconds: 600 } } as ConnectorConfig;
const T0 = Date.parse('2026-11-22T03:00:00Z');

function grant(grantId: string, consentId: string, consentVersion: number, overrides: Partial<GrantResponse> = {}): GrantResponse {
  return {
    grant: `grant-${grantId}`, tokenType: 'DPoP', grantId, items: ['misasa-health.daily-steps'], expiresAt: new Date(T0 + 30_000).toISOString(), reusable: true,
    consentId, consentVersion, provider: { connectorId: 'conn-misasa', url: 'http://misasa.test' }, ...overrides,
  };
}

const change = (consent_id: string, version: number, state: ConsentChange['state'] = 'withdrawn'): ConsentChange =>
  ({ consent_id, version, state, changed_at: new Date(T0).toISOString() });

describe(GrantCache.name, () => {
  let clock: TestClock;
  let set: RevocationSet;
  let cache: GrantCache;

  beforeEach(() => {
    clock = new TestClock(new Date(T0));
    set = new RevocationSet(config, clock);
    cache = new GrantCache((id, version) => set.isRevoked(id, version), 3);
    set.watch(cache);
  });

  it('keeps a reusable grant until five seconds before it expires, and never a single-use one', () => {
    cache.put('a', grant('g-a', 'c-1', 1), T0);
    cache.put('b', grant('g-b', 'c-1', 1, { reusable: false }), T0);
    expect(cache.get('a', T0 + 24_999)?.grantId).toBe('g-a');
    expect(cache.get('a', T0 + 25_000)).toBeUndefined();
    expect(cache.get('b', T0)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('drops every cached grant of a withdrawn consent as the change is applied, and no other', () => {
    cache.put('steps', grant('g-1', 'c-1', 2), T0);
    cache.put('visits', grant('g-2', 'c-1', 2), T0);
    cache.put('other', grant('g-3', 'c-2', 1), T0);
    expect(set.apply(change('c-1', 3))).toBe(true);
    expect(cache.size).toBe(1);
    expect(cache.get('other', T0)?.grantId).toBe('g-3');
  });

  it('drops grants of the version a narrowing replaced, and keeps those of the new active version', () => {
    cache.put('old', grant('g-old', 'c-1', 2), T0);
    cache.put('new', grant('g-new', 'c-1', 3), T0);
    set.apply(change('c-1', 3, 'active'));
    expect(cache.get('old', T0)).toBeUndefined();
    expect(cache.get('new', T0)?.grantId).toBe('g-new');
  });

  it('does not reuse a grant whose version the set already refuses, even if it was cached after the change', () => {
    set.apply(change('c-1', 2));
    // The hub decided before the withdrawal committed; its answer arrived after the push.
    cache.put('late', grant('g-late', 'c-1', 2), T0);
    expect(cache.get('late', T0)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('stays bounded, and its consent index with it', () => {
    for (let i = 0; i < 5; i++) cache.put(`k${i}`, grant(`g-${i}`, `c-${i}`, 1), T0);
    expect(cache.size).toBe(3);
    expect(cache.get('k0', T0)).toBeUndefined();
    expect(cache.get('k4', T0)?.grantId).toBe('g-4');
    // A grant replaced under the same key leaves nothing of the old one behind.
    cache.put('k4', grant('g-4b', 'c-9', 1), T0);
    set.apply(change('c-4', 2));
    expect(cache.get('k4', T0)?.grantId).toBe('g-4b');
    for (const id of ['c-2', 'c-3', 'c-9']) set.apply(change(id, 2));
    expect(cache.size).toBe(0);
    expect((cache as unknown as { byConsent: { consents: number } }).byConsent.consents).toBe(0);
  });
});
