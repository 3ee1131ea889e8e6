import Redis from 'ioredis';
import { testRedis } from '@tsunagu/testing';
import { MemoryOidcState, MemoryOidcStore } from './memory-oidc-store';
import type { OidcStore } from './oidc-store';
import { RedisOidcStore } from './redis-oidc-store';

/**
 * One contract, two implementations (Redis on the machine's real server, and in-process memory):
 * whatever oidc-provider relies on must hold for both.
 */
type Factory = (model: string) => OidcStore;

/** An implementation under test: its stores, how time passes for it, and how it closes. */
interface Subject {
  factory: Factory;
  /** Lets `ms` pass: the memory store's clock is moved; the Redis server's time can only be waited for. */
  pass: (ms: number) => Promise<void>;
  close: () => Promise<void>;
}

function contract(name: string, setup: () => Subject) {
  describe(name, () => {
    let factory: Factory;
    let pass: Subject['pass'];
    let close: () => Promise<void>;
    beforeAll(() => ({ factory, pass, close } = setup()));
    afterAll(() => close());

    it('stores and finds a payload', async () => {
      const store = factory('Session');
      await store.upsert('s1', { accountId: 'a', uid: 'u1' }, 60);
      expect(await store.find('s1')).toEqual({ accountId: 'a', uid: 'u1' });
      expect(await store.findByUid('u1')).toEqual({ accountId: 'a', uid: 'u1' });
      expect(await store.find('nope')).toBeUndefined();
    });

    it('keeps models apart', async () => {
      await factory('AccessToken').upsert('same', { kind: 'AccessToken' }, 60);
      await factory('RefreshToken').upsert('same', { kind: 'RefreshToken' }, 60);
      expect(await factory('AccessToken').find('same')).toEqual({ kind: 'AccessToken' });
    });

    it('marks a code consumed in place, keeping the rest of its payload as it was', async () => {
      const store = factory('AuthorizationCode');
      await store.upsert('c1', { grantId: 'g0', amr: [], claims: {}, scope: 'openid' }, 60);
      expect(await store.consume('c1')).toBe('consumed');
      const found = await store.find('c1');
      expect(found).toEqual({ grantId: 'g0', amr: [], claims: {}, scope: 'openid', consumed: expect.any(Number) });
    });

    it('refuses a second consumption and revokes the whole grant, the grant itself included', async () => {
      await factory('Grant').upsert('g3', { accountId: 'a' }, 60);
      await factory('AuthorizationCode').upsert('c3', { grantId: 'g3' }, 60);
      await factory('AccessToken').upsert('at3', { grantId: 'g3' }, 60);
      await factory('RefreshToken').upsert('rt3', { grantId: 'g3' }, 60);
      await factory('AccessToken').upsert('at4', { grantId: 'g4' }, 60);
      const code = factory('AuthorizationCode');
      expect(await code.consume('c3')).toBe('consumed');
      expect(await code.consume('c3')).toBe('replayed');
      for (const [model, id] of [['AuthorizationCode', 'c3'], ['AccessToken', 'at3'], ['RefreshToken', 'rt3'], ['Grant', 'g3']]) {
        expect(await factory(model).find(id)).toBeUndefined();
      }
      expect(await factory('AccessToken').find('at4')).toEqual({ grantId: 'g4' });
      // Tokens the first consumption saves after the replay still belong to a grant that is gone.
      expect(await code.consume('c3')).toBe('missing');
    });

    it('lets exactly one of many simultaneous consumptions win, for every one-time model', async () => {
      for (const model of ['AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest', 'PreAuthorizedCode', 'PushedAuthorizationRequest']) {
        const store = factory(model);
        await store.upsert(`race-${model}`, { grantId: `g-race-${model}` }, 60);
        const outcomes = await Promise.all(Array.from({ length: 10 }, () => factory(model).consume(`race-${model}`)));
        expect(outcomes.filter((o) => o === 'consumed')).toHaveLength(1);
        expect(outcomes.filter((o) => o === 'consumed').length + outcomes.filter((o) => o === 'replayed').length
          + outcomes.filter((o) => o === 'missing').length).toBe(10);
      }
    });

    it('answers missing for an artifact that does not exist', async () => {
      expect(await factory('AuthorizationCode').consume('never-issued')).toBe('missing');
    });

    it('expires payloads after their lifetime', async () => {
      const store = factory('Interaction');
      await store.upsert('i1', { x: 1 }, 1);
      await store.upsert('i2', { x: 2 }, 2);
      await pass(1100);
      expect(await store.find('i1')).toBeUndefined();
      expect(await store.find('i2')).toEqual({ x: 2 });
    });

    it('revokes every artifact of a grant and nothing else', async () => {
      await factory('AccessToken').upsert('at1', { grantId: 'g1' }, 60);
      await factory('RefreshToken').upsert('rt1', { grantId: 'g1' }, 60);
      await factory('AccessToken').upsert('at2', { grantId: 'g2' }, 60);
      await factory('AccessToken').revokeByGrantId('g1');
      expect(await factory('AccessToken').find('at1')).toBeUndefined();
      expect(await factory('RefreshToken').find('rt1')).toBeUndefined();
      expect(await factory('AccessToken').find('at2')).toEqual({ grantId: 'g2' });
    });

    it('destroys one artifact', async () => {
      const store = factory('Grant');
      await store.upsert('g9', { accountId: 'a' });
      await store.destroy('g9');
      expect(await store.find('g9')).toBeUndefined();
    });

    it('records a single-use identifier once: of many simultaneous inserts exactly one wins, until it expires', async () => {
      const store = factory('ReplayDetection');
      const id = `jti-${Math.random()}`;
      const results = await Promise.all(Array.from({ length: 20 }, () => store.insertOnce(id, { iss: 'client' }, 1)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.find(id)).toEqual({ iss: 'client' });
      expect(await store.insertOnce(id, { iss: 'client' }, 1)).toBe(false);
      await pass(1100);
      expect(await store.insertOnce(id, { iss: 'client' }, 1)).toBe(true);
    });

    it('lists the grants and sessions of one account, and forgets destroyed or revoked ones', async () => {
      const account = `acct-${Math.random()}`;
      const grants = factory('Grant');
      await grants.upsert('ga1', { accountId: account, clientId: 'c1' }, 60);
      await grants.upsert('ga2', { accountId: account, clientId: 'c2' }, 60);
      await grants.upsert('ga3', { accountId: 'someone-else', clientId: 'c1' }, 60);
      await factory('Session').upsert('sa1', { accountId: account, authorizations: { c1: { grantId: 'ga1' } } }, 60);
      await factory('AccessToken').upsert('ata', { accountId: account, grantId: 'ga1' }, 60);
      const ids = async (model: string) => (await factory(model).listByAccount(account)).map((e) => e.id).sort();
      expect(await ids('Grant')).toEqual(['ga1', 'ga2']);
      expect(await ids('Session')).toEqual(['sa1']);
      expect((await grants.listByAccount(account)).find((e) => e.id === 'ga1')?.payload).toEqual({ accountId: account, clientId: 'c1' });
      expect(await ids('AccessToken')).toEqual([]);
      await grants.destroy('ga2');
      expect(await ids('Grant')).toEqual(['ga1']);
      // A grant revoked by a replayed code (deleted inside the store's atomic step) is gone too.
      await factory('AuthorizationCode').upsert('ca1', { grantId: 'ga1' }, 60);
      await factory('AuthorizationCode').consume('ca1');
      await factory('AuthorizationCode').consume('ca1');
      expect(await ids('Grant')).toEqual([]);
      await grants.upsert('ga4', { accountId: account, clientId: 'c4' }, 1);
      await pass(1100);
      expect(await ids('Grant')).toEqual([]);
    });

    it('finds by user code', async () => {
      const store = factory('DeviceCode');
      await store.upsert('d1', { userCode: 'ABCD-EFGH' }, 60);
      expect(await store.findByUserCode('ABCD-EFGH')).toEqual({ userCode: 'ABCD-EFGH' });
    });
  });
}

contract(RedisOidcStore.name, () => {
  const { url, prefix } = testRedis();
  const redis = new Redis(url);
  return {
    factory: (model) => new RedisOidcStore(redis, model, prefix),
    pass: (ms) => new Promise((r) => setTimeout(r, ms)),
    close: async () => void (await redis.quit()),
  };
});

contract(MemoryOidcStore.name, () => {
  let now = Date.now();
  const state = new MemoryOidcState(() => now);
  return {
    factory: (model) => new MemoryOidcStore(state, model),
    pass: async (ms) => void (now += ms),
    close: async () => state.close(),
  };
});
