import { ACCOUNT_INDEXED_MODELS, GRANT_MODEL, GRANTABLE_MODELS, type ConsumeOutcome, type OidcPayload, type OidcStore } from './oidc-store';

interface Entry { payload: OidcPayload; expiresAt: number }

/**
 * In-process storage for the embedded default (one hub process, no Redis). Shared by all models
 * of one provider through the `MemoryOidcState` passed in; expired entries are dropped on read
 * and by a periodic sweep, so memory stays bounded by what is live.
 */
export class MemoryOidcState {
  readonly entries = new Map<string, Entry>();
  readonly grants = new Map<string, Set<string>>();
  readonly lookups = new Map<string, string>();
  /** `${model}:${accountId}` → ids of that model's artifacts of the account. */
  readonly accounts = new Map<string, Set<string>>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(readonly now: () => number = Date.now) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  get(key: string): OidcPayload | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  set(key: string, payload: OidcPayload, expiresIn?: number): void {
    this.entries.set(key, { payload, expiresAt: expiresIn ? this.now() + expiresIn * 1000 : Infinity });
  }

  /** Deletes every artifact stored under a grant (not the Grant itself). */
  revokeGrantArtifacts(grantId: string): void {
    for (const key of this.grants.get(grantId) ?? []) this.entries.delete(key);
    this.grants.delete(grantId);
  }

  /** Deletes every artifact of a grant and the Grant itself: what a replayed one-time artifact calls for. */
  revokeGrant(grantId: string): void {
    this.revokeGrantArtifacts(grantId);
    this.entries.delete(`${GRANT_MODEL}:${grantId}`);
  }

  sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    for (const [key, target] of this.lookups) if (!this.entries.has(target)) this.lookups.delete(key);
    for (const [key, ids] of this.accounts) {
      const model = key.slice(0, key.indexOf(':'));
      for (const id of ids) if (!this.entries.has(`${model}:${id}`)) ids.delete(id);
      if (!ids.size) this.accounts.delete(key);
    }
    for (const [grantId, members] of this.grants) {
      for (const key of members) if (!this.entries.has(key)) members.delete(key);
      if (!members.size) this.grants.delete(grantId);
    }
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}

export class MemoryOidcStore implements OidcStore {
  constructor(private readonly state: MemoryOidcState, private readonly model: string) {}

  private key(id: string): string {
    return `${this.model}:${id}`;
  }

  async upsert(id: string, payload: OidcPayload, expiresIn?: number): Promise<void> {
    const key = this.key(id);
    this.state.set(key, structuredClone(payload), expiresIn);
    if (GRANTABLE_MODELS.has(this.model) && payload.grantId) {
      const members = this.state.grants.get(payload.grantId) ?? new Set<string>();
      members.add(key);
      this.state.grants.set(payload.grantId, members);
    }
    if (ACCOUNT_INDEXED_MODELS.has(this.model) && typeof payload.accountId === 'string') {
      const accountKey = this.key(payload.accountId);
      const ids = this.state.accounts.get(accountKey) ?? new Set<string>();
      ids.add(id);
      this.state.accounts.set(accountKey, ids);
    }
    if (payload.uid) this.state.lookups.set(`uid:${payload.uid}`, key);
    if (payload.userCode) this.state.lookups.set(`userCode:${payload.userCode}`, key);
  }

  async insertOnce(id: string, payload: OidcPayload, expiresIn: number): Promise<boolean> {
    // One synchronous step: no other call runs between the look and the write.
    const key = this.key(id);
    if (this.state.get(key)) return false;
    this.state.set(key, structuredClone(payload), Math.max(1, Math.ceil(expiresIn)));
    return true;
  }

  async find(id: string): Promise<OidcPayload | undefined> {
    const payload = this.state.get(this.key(id));
    return payload && structuredClone(payload);
  }

  async findByUid(uid: string): Promise<OidcPayload | undefined> {
    const key = this.state.lookups.get(`uid:${uid}`);
    const payload = key ? this.state.get(key) : undefined;
    return payload && structuredClone(payload);
  }

  async findByUserCode(userCode: string): Promise<OidcPayload | undefined> {
    const key = this.state.lookups.get(`userCode:${userCode}`);
    const payload = key ? this.state.get(key) : undefined;
    return payload && structuredClone(payload);
  }

  /** Check and set with no await between them: atomic within the one process this store serves. */
  async consume(id: string): Promise<ConsumeOutcome> {
    const key = this.key(id);
    const payload = this.state.get(key);
    if (!payload) return 'missing';
    if (payload.consumed) {
      if (payload.grantId) this.state.revokeGrant(payload.grantId);
      this.state.entries.delete(key);
      return 'replayed';
    }
    payload.consumed = Math.floor(this.state.now() / 1000);
    return 'consumed';
  }

  async destroy(id: string): Promise<void> {
    const accountId = this.state.get(this.key(id))?.accountId;
    this.state.entries.delete(this.key(id));
    if (typeof accountId === 'string') this.state.accounts.get(this.key(accountId))?.delete(id);
  }

  async listByAccount(accountId: string): Promise<{ id: string; payload: OidcPayload }[]> {
    const ids = this.state.accounts.get(this.key(accountId));
    const found: { id: string; payload: OidcPayload }[] = [];
    for (const id of ids ?? []) {
      const payload = this.state.get(this.key(id));
      if (payload?.accountId === accountId) found.push({ id, payload: structuredClone(payload) });
      else ids!.delete(id);
    }
    return found;
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    this.state.revokeGrantArtifacts(grantId);
  }
}
