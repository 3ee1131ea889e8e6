import { readFileSync } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import { CrlStore, JpkiVerifier } from '@tsunagu/jpki';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { HUB_CONFIG, type HubConfig } from '../../platform/config/hub.config';
import { JpkiRepository } from './jpki.repository';
import { TestCardAuthority } from './test-card.authority';

export const TEST_CARD_AUTHORITY = Symbol('TEST_CARD_AUTHORITY');

function files(list?: string): Uint8Array[] {
  return (list ?? '').split(',').map((f) => f.trim()).filter(Boolean).map((f) => new Uint8Array(readFileSync(f)));
}

/**
 * The JPKI trust configuration of this replica: trust anchors from config (or the development
 * test CA) and the CRLs stored in PostgreSQL. Every replica rebuilds its verifier when the stored
 * CRLs change, so a refresh done by any replica reaches all of them.
 */
@Injectable()
export class JpkiTrustService {
  private readonly logger = new AppLogger(JpkiTrustService.name);
  private anchors: Uint8Array[] = [];
  private intermediates: Uint8Array[] = [];
  private current?: { version: string; verifier: JpkiVerifier; crlStore: CrlStore };
  private loading?: Promise<JpkiVerifier>;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly repo: JpkiRepository,
    @Inject(TEST_CARD_AUTHORITY) private readonly testCards: TestCardAuthority | undefined,
  ) {}

  get configured(): boolean {
    return this.anchors.length > 0;
  }

  /** CAs whose CRLs may be stored (anchors and intermediates). */
  get crlIssuers(): Uint8Array[] {
    return [...this.anchors, ...this.intermediates];
  }

  async init(): Promise<void> {
    if (this.testCards) {
      await this.testCards.init();
      this.anchors = this.testCards.trustAnchors;
      this.intermediates = this.testCards.intermediates;
    } else {
      this.anchors = files(this.config.JPKI_TRUST_ANCHORS);
      this.intermediates = files(this.config.JPKI_INTERMEDIATES);
    }
    this.logger.log(LogKind.Event, 'JPKI trust configured', { anchors: this.anchors.length, intermediates: this.intermediates.length, testCard: !!this.testCards });
  }

  /** The verifier with the newest stored CRLs (one cheap query decides whether to reload). */
  async verifier(): Promise<JpkiVerifier> {
    const version = await this.repo.crlVersion();
    if (this.current?.version === version) return this.current.verifier;
    this.loading ??= this.build(version).finally(() => (this.loading = undefined));
    return this.loading;
  }

  /** The CRLs of the verifier last built by {@link verifier} (the life-long re-check reads them). */
  crlStore(): CrlStore | undefined {
    return this.current?.crlStore;
  }

  private async build(version: string): Promise<JpkiVerifier> {
    const crlStore = new CrlStore({ issuers: this.crlIssuers });
    for (const row of await this.repo.listCrls()) {
      try {
        await crlStore.load(new Uint8Array(row.der));
      } catch (error) {
        // A stored CRL that no longer verifies (e.g. anchors changed) is skipped: the verifier then
        // refuses with jpki_crl_unavailable rather than trusting it.
        this.logger.warn(LogKind.Event, 'Stored CRL refused', { issuer: row.issuer, error: (error as Error).message });
      }
    }
    const verifier = new JpkiVerifier({ trustAnchors: this.anchors, intermediates: this.intermediates, crlStore });
    this.current = { version, verifier, crlStore };
    return verifier;
  }
}
