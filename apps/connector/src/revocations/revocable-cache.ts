/**
 * A cache of things issued under one consent version (grants), which the revocation set tells of
 * every change it applies (RevocationSet.watch) — pushed or pulled, before the push is
 * acknowledged — so that no cached grant outlives the change that revokes it.
 */
export interface RevocableCache {
  /** Drops every entry under `consentId` whose version `isRevoked` now refuses. */
  dropRevoked(consentId: string, isRevoked: (version: number) => boolean): void;
  /**
   * Drops every entry issued to the connector `azp` (a revoked consumer) that `isRevoked` now
   * refuses by its issue time (`iat`, in seconds). Only a cache of grants issued to other
   * connectors (the provider's verified grants) has such entries; a consumer's own cache has none.
   */
  dropIssuedTo?(azp: string, isRevoked: (iat: number) => boolean): void;
  /** Entries held now (an erasure request reports how many it dropped). */
  readonly size: number;
}

/**
 * The keys of a cache grouped by one attribute of their entries (a consent, a consumer), each with
 * the number the revocation is judged by (a consent version, an issue time): what a
 * {@link RevocableCache} needs to find the entries one change revokes without scanning them all
 * (a feed page can carry hundreds of changes; a cache holds thousands of grants).
 */
export class KeysByGroup {
  private readonly byGroup = new Map<string, Map<string, number>>();

  add(group: string, value: number, key: string): void {
    let keys = this.byGroup.get(group);
    if (!keys) this.byGroup.set(group, (keys = new Map()));
    keys.set(key, value);
  }

  delete(group: string, key: string): void {
    const keys = this.byGroup.get(group);
    if (!keys?.delete(key)) return;
    if (!keys.size) this.byGroup.delete(group);
  }

  /** The keys in `group` whose value `isRevoked` refuses. */
  revoked(group: string, isRevoked: (value: number) => boolean): string[] {
    return [...(this.byGroup.get(group) ?? [])].filter(([, value]) => isRevoked(value)).map(([key]) => key);
  }

  /** How many groups have entries (for tests: the index must not outgrow its cache). */
  get groups(): number {
    return this.byGroup.size;
  }
}

/** The keys of a cache by consent, with the consent version each entry was issued under. */
export class KeysByConsent extends KeysByGroup {
  /** How many consents have entries. */
  get consents(): number {
    return this.groups;
  }
}
