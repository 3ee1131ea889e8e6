import type Redis from 'ioredis';
import { GRANTABLE_MODELS, type OidcPayload, type OidcStore } from './oidc-store';

/**
 * oidc-provider artifacts in Redis, so that any hub replica can continue a resident's session.
 * Follows the Redis adapter of oidc-provider's own examples: one key per artifact with its TTL,
 * a set per grant for revocation, and lookup keys for interaction uid and user code.
 */
export class RedisOidcStore implements OidcStore {
  constructor(private readonly redis: Redis, private readonly model: string, private readonly prefix: string) {}

  private key(id: string): string {
    return `${this.prefix}oidc:${this.model}:${id}`;
  }
  private grantKey(grantId: string): string {
    return `${this.prefix}oidc:grant:${grantId}`;
  }
  private uidKey(uid: string): string {
    return `${this.prefix}oidc:sessionUid:${uid}`;
  }
  private userCodeKey(userCode: string): string {
    return `${this.prefix}oidc:userCode:${userCode}`;
  }

  async upsert(id: string, payload: OidcPayload, expiresIn?: number): Promise<void> {
    const key = this.key(id);
    const multi = this.redis.multi();
    if (expiresIn) multi.set(key, JSON.stringify(payload), 'EX', expiresIn);
    else multi.set(key, JSON.stringify(payload));
    if (GRANTABLE_MODELS.has(this.model) && payload.grantId) {
      const grantKey = this.grantKey(payload.grantId);
      multi.rpush(grantKey, key);
      // The grant list lives as long as its longest member.
      if (expiresIn) multi.expire(grantKey, expiresIn, 'GT');
      multi.expire(grantKey, expiresIn ?? 60 * 60 * 24 * 365, 'NX');
    }
    if (payload.userCode) multi.set(this.userCodeKey(payload.userCode), id, 'EX', expiresIn ?? 3600);
    if (payload.uid) multi.set(this.uidKey(payload.uid), id, 'EX', expiresIn ?? 3600);
    await multi.exec();
  }

  async find(id: string): Promise<OidcPayload | undefined> {
    const value = await this.redis.get(this.key(id));
    return value ? JSON.parse(value) : undefined;
  }

  async findByUid(uid: string): Promise<OidcPayload | undefined> {
    const id = await this.redis.get(this.uidKey(uid));
    return id ? this.find(id) : undefined;
  }

  async findByUserCode(userCode: string): Promise<OidcPayload | undefined> {
    const id = await this.redis.get(this.userCodeKey(userCode));
    return id ? this.find(id) : undefined;
  }

  /**
   * Marks a code or refresh token as used. A Lua script keeps read-modify-write atomic, so two
   * replicas racing on the same code cannot both see it unconsumed.
   */
  async consume(id: string): Promise<void> {
    await this.redis.eval(
      `local v = redis.call('GET', KEYS[1])
       if not v then return 0 end
       local o = cjson.decode(v)
       o['consumed'] = tonumber(ARGV[1])
       redis.call('SET', KEYS[1], cjson.encode(o), 'KEEPTTL')
       return 1`,
      1, this.key(id), Math.floor(Date.now() / 1000));
  }

  async destroy(id: string): Promise<void> {
    await this.redis.del(this.key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    const grantKey = this.grantKey(grantId);
    const members = await this.redis.lrange(grantKey, 0, -1);
    const multi = this.redis.multi();
    for (const key of members) multi.del(key);
    multi.del(grantKey);
    await multi.exec();
  }
}
