/**
 * Remembers single-use identifiers — client assertion, grant and proof `jti`s — until they expire,
 * so that a second use is refused (CONVENTIONS.md §14). The check and the record are one atomic
 * step: of any number of concurrent calls for one id, on one instance or on replicas sharing a
 * store, exactly one is answered `true`. Every implementation runs `replayCacheContract` of
 * @tsunagu/testing.
 */
export interface ReplayCache {
  /**
   * Records `id` until `expiresAt`. True the first time: the caller may go ahead. False while `id`
   * is recorded and unexpired (a replay), or when the cache cannot record it (full: forgetting
   * another id would reopen that one's replay). After `expiresAt` the id may be accepted again.
   */
  checkAndRemember(id: string, expiresAt: Date): Promise<boolean>;
}
