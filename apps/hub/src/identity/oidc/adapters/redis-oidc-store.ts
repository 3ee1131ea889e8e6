import type Redis from 'ioredis';
import { ACCOUNT_INDEXED_MODELS, GRANT_MODEL, GRANTABLE_MODELS, type ConsumeOutcome, type OidcPayload, type OidcStore } from './oidc-store';

/**
 * KEYS[1] the artifact; ARGV[1] now (epoch seconds); ARGV[2] the key prefix of oidc artifacts
 * (the grant's keys are named after the grantId stored in the artifact, as `revokeByGrantId` does).
 */
const CONSUME_SCRIPT = `
local v = redis.call('GET', KEYS[1])
if not v then return 'missing' end
local o = cjson.decode(v)
if o['consumed'] ~= nil and o['consumed'] ~= cjson.null and o['consumed'] ~= false then
  local grantId = o['grantId']
  if type(grantId) == 'string' and grantId ~= '' then
    local list = ARGV[2] .. 'grant:' .. grantId
    for _, key in ipairs(redis.call('LRANGE', list, 0, -1)) do redis.call('DEL', key) end
    redis.call('DEL', list, ARGV[2] .. '${GRANT_MODEL}:' .. grantId)
  end
  redis.call('DEL', KEYS[1])
  return 'replayed'
end
local marked
if v == '{}' then marked = '{"consumed":' .. ARGV[1] .. '}'
else marked = string.sub(v, 1, -2) .. ',"consumed":' .. ARGV[1] .. '}' end
redis.call('SET', KEYS[1], marked, 'KEEPTTL')
return 'consumed'
`;

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
  private accountKey(accountId: string): string {
    return `${this.prefix}oidc:account:${this.model}:${accountId}`;
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
    if (ACCOUNT_INDEXED_MODELS.has(this.model) && typeof payload.accountId === 'string') {
      // A set of ids per account, living as long as its longest member; ids of artifacts that
      // are gone (expired, revoked by a replay) are dropped when the set is read.
      const accountKey = this.accountKey(payload.accountId);
      multi.sadd(accountKey, id);
      if (expiresIn) multi.expire(accountKey, expiresIn, 'GT');
      multi.expire(accountKey, expiresIn ?? 60 * 60 * 24 * 365, 'NX');
    }
    if (payload.userCode) multi.set(this.userCodeKey(payload.userCode), id, 'EX', expiresIn ?? 3600);
    if (payload.uid) multi.set(this.uidKey(payload.uid), id, 'EX', expiresIn ?? 3600);
    await multi.exec();
  }

  async insertOnce(id: string, payload: OidcPayload, expiresIn: number): Promise<boolean> {
    return (await this.redis.set(this.key(id), JSON.stringify(payload), 'EX', Math.max(1, Math.ceil(expiresIn)), 'NX')) === 'OK';
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
   * One Lua script, so atomic on the server: marks the artifact consumed only if it was not, and
   * on a replay deletes every artifact of its grant, the grant's list and the Grant itself before
   * any other command runs. The stored JSON is extended, not re-encoded (cjson would turn an empty
   * array into an object).
   */
  async consume(id: string): Promise<ConsumeOutcome> {
    const outcome = await this.redis.eval(CONSUME_SCRIPT, 1, this.key(id), Math.floor(Date.now() / 1000), `${this.prefix}oidc:`);
    return outcome as ConsumeOutcome;
  }

  async destroy(id: string): Promise<void> {
    if (ACCOUNT_INDEXED_MODELS.has(this.model)) {
      const found = await this.find(id);
      if (typeof found?.accountId === 'string') await this.redis.srem(this.accountKey(found.accountId), id);
    }
    await this.redis.del(this.key(id));
  }

  async listByAccount(accountId: string): Promise<{ id: string; payload: OidcPayload }[]> {
    const accountKey = this.accountKey(accountId);
    const ids = await this.redis.smembers(accountKey);
    if (!ids.length) return [];
    const values = await this.redis.mget(ids.map((id) => this.key(id)));
    const found: { id: string; payload: OidcPayload }[] = [];
    const gone: string[] = [];
    ids.forEach((id, i) => {
      const payload = values[i] ? JSON.parse(values[i]!) as OidcPayload : undefined;
      if (payload?.accountId === accountId) found.push({ id, payload });
      else gone.push(id);
    });
    if (gone.length) await this.redis.srem(accountKey, ...gone);
    return found;
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
