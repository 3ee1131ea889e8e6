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

    it('marks a code consumed exactly once in place', async () => {
      const store = factory('AuthorizationCode');
      await store.upsert('c1', { grantId: 'g0' }, 60);
      await store.consume('c1');
      const found = await store.find('c1');
      expect(typeof found?.consumed).toBe('number');
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
