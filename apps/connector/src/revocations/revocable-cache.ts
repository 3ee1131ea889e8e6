/**
 * A cache of things issued under one consent version (grants), which the revocation set tells of
 * every change it applies (RevocationSet.watch) — pushed or pulled, before the push is
 * acknowledged — so that no cached grant outlives the change that revokes it.
 */
export interface RevocableCache {
  /** Drops every entry under `consentId` whose version `isRevoked` now refuses. */
  dropRevoked(consentId: string, isRevoked: (version: number) => boolean): void;
}

/**
 * The keys of a cache by consent, with the consent version each entry was issued under: what a
 * {@link RevocableCache} needs to find the entries one change revokes without scanning them all
 * (a feed page can carry hundreds of changes; a cache holds thousands of grants).
 */
export class KeysByConsent {
  private readonly byConsent = new Map<string, Map<string, number>>();

  add(consentId: string, version: number, key: string): void {
    let keys = this.byConsent.get(consentId);
    if (!keys) this.byConsent.set(consentId, (keys = new Map()));
    keys.set(key, version);
  }

  delete(consentId: string, key: string): void {
    const keys = this.byConsent.get(consentId);
    if (!keys?.delete(key)) return;
    if (!keys.size) this.byConsent.delete(consentId);
  }

  /** The keys under `consentId` whose version `isRevoked` refuses. */
  revoked(consentId: string, isRevoked: (version: number) => boolean): string[] {
    return [...(this.byConsent.get(consentId) ?? [])].filter(([, version]) => isRevoked(version)).map(([key]) => key);
  }

  /** How many consents have entries (for tests: the index must not outgrow its cache). */
  get consents(): number {
    return this.byConsent.size;
  }
}
