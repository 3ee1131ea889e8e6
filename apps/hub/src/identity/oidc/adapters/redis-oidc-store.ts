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
 * One artifact written with all its indexes in one round trip (a token request writes an access
 * token per call: one EVALSHA instead of MULTI, SET, RPUSH, EXPIRE, EXPIRE, EXEC). Atomic on the
 * server like the transaction it replaces.
 * KEYS[1] the artifact; KEYS[2] its grant's list, KEYS[3] its account's set, KEYS[4] its user-code
 * key, KEYS[5] its uid key — each '' when the artifact has none. ARGV[1] the payload JSON; ARGV[2]
 * the lifetime in seconds ('' = none); ARGV[3] the artifact id; ARGV[4] the lifetime of an index
 * whose artifact has none.
 */
const UPSERT_SCRIPT = `
local ttl = ARGV[2] ~= '' and ARGV[2] or nil
if ttl then redis.call('SET', KEYS[1], ARGV[1], 'EX', ttl) else redis.call('SET', KEYS[1], ARGV[1]) end
local function index(key, command, member)
  redis.call(command, key, member)
  if ttl then redis.call('EXPIRE', key, ttl, 'GT') end
  redis.call('EXPIRE', key, ttl or ARGV[4], 'NX')
end
if KEYS[2] ~= '' then index(KEYS[2], 'RPUSH', KEYS[1]) end
if KEYS[3] ~= '' then index(KEYS[3], 'SADD', ARGV[3]) end
if KEYS[4] ~= '' then redis.call('SET', KEYS[4], ARGV[3], 'EX', ttl or 3600) end
if KEYS[5] ~= '' then redis.call('SET', KEYS[5], ARGV[3], 'EX', ttl or 3600) end
return 1
`;

/** KEYS[1] a lookup key (uid, user code) holding an artifact id; ARGV[1] the artifact key's prefix. One round trip instead of two. */
const FIND_BY_LOOKUP_SCRIPT = `
local id = redis.call('GET', KEYS[1])
if not id then return false end
return redis.call('GET', ARGV[1] .. id)
`;

/** An index lives as long as its longest member; one whose member has no lifetime, a year. */
const UNBOUNDED_INDEX_SECONDS = 60 * 60 * 24 * 365;

type ScriptedRedis = Redis & {
  tsunaguOidcUpsert(...args: string[]): Promise<number>;
  tsunaguOidcFindByLookup(key: string, prefix: string): Promise<string | null>;
};

/** Defines the scripts once per client (ioredis sends EVALSHA and loads a script the server lacks). */
function scripted(redis: Redis): ScriptedRedis {
  const r = redis as ScriptedRedis;
  if (typeof r.tsunaguOidcUpsert !== 'function') {
    redis.defineCommand('tsunaguOidcUpsert', { numberOfKeys: 5, lua: UPSERT_SCRIPT });
    redis.defineCommand('tsunaguOidcFindByLookup', { numberOfKeys: 1, lua: FIND_BY_LOOKUP_SCRIPT });
  }
  return r;
}

/**
 * oidc-provider artifacts in Redis, so that any hub replica can continue a resident's session.
 * Follows the Redis adapter of oidc-provider's own examples: one key per artifact with its TTL,
 * a set per grant for revocation, and lookup keys for interaction uid and user code.
 */
export class RedisOidcStore implements OidcStore {
  private readonly scripts: ScriptedRedis;

  constructor(private readonly redis: Redis, private readonly model: string, private readonly prefix: string) {
    this.scripts = scripted(redis);
  }

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
    const grantKey = GRANTABLE_MODELS.has(this.model) && payload.grantId ? this.grantKey(payload.grantId) : '';
    const accountKey = ACCOUNT_INDEXED_MODELS.has(this.model) && typeof payload.accountId === 'string' ? this.accountKey(payload.accountId) : '';
    await this.scripts.tsunaguOidcUpsert(
      this.key(id),
      grantKey,
      accountKey,
      payload.userCode ? this.userCodeKey(payload.userCode) : '',
      payload.uid ? this.uidKey(payload.uid) : '',
      JSON.stringify(payload),
      expiresIn ? String(expiresIn) : '',
      id,
      String(UNBOUNDED_INDEX_SECONDS),
    );
  }

  async insertOnce(id: string, payload: OidcPayload, expiresIn: number): Promise<boolean> {
    return (await this.redis.set(this.key(id), JSON.stringify(payload), 'EX', Math.max(1, Math.ceil(expiresIn)), 'NX')) === 'OK';
  }

  async find(id: string): Promise<OidcPayload | undefined> {
    const value = await this.redis.get(this.key(id));
    return value ? JSON.parse(value) : undefined;
  }

  async findByUid(uid: string): Promise<OidcPayload | undefined> {
    return this.findByLookup(this.uidKey(uid));
  }

  async findByUserCode(userCode: string): Promise<OidcPayload | undefined> {
    return this.findByLookup(this.userCodeKey(userCode));
  }

  private async findByLookup(lookupKey: string): Promise<OidcPayload | undefined> {
    const value = await this.scripts.tsunaguOidcFindByLookup(lookupKey, `${this.prefix}oidc:${this.model}:`);
    return value ? JSON.parse(value) : undefined;
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
