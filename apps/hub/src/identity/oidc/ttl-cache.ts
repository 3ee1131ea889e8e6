/**
 * A few seconds of memory in front of a table that oidc-provider reads on every request (clients,
 * accounts). Changes reach every replica within the TTL.
 */
export class TtlCache<T> {
  private readonly entries = new Map<string, { value: T | undefined; at: number }>();

  constructor(private readonly load: (id: string) => Promise<T | undefined>, private readonly ttlMs: number, private readonly now: () => number = Date.now) {}

  async get(id: string): Promise<T | undefined> {
    const hit = this.entries.get(id);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = await this.load(id);
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(id, { value, at: this.now() });
    return value;
  }
}
