import { readFile } from 'node:fs/promises';
import { Inject, Injectable } from '@nestjs/common';
import { CrlStore } from '@tsunagu/jpki';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { HUB_CONFIG, type HubConfig } from '../../platform/config/hub.config';
import { JpkiRepository } from './jpki.repository';
import { JpkiTrustService, TEST_CARD_AUTHORITY } from './jpki-trust.service';
import type { TestCardAuthority } from './test-card.authority';

const MAX_CRL_BYTES = 256 * 1024 * 1024;

/**
 * Downloads the configured CRLs (scheduled job), checks each against its issuing CA before it is
 * stored, and keeps the newest per issuer, signer key (root generation) and partition
 * (issuingDistributionPoint) in PostgreSQL for every replica.
 */
@Injectable()
export class JpkiCrlService {
  private readonly logger = new AppLogger(JpkiCrlService.name);

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly repo: JpkiRepository,
    private readonly trust: JpkiTrustService,
    @Inject(TEST_CARD_AUTHORITY) private readonly testCards: TestCardAuthority | undefined,
  ) {}

  async refresh(): Promise<{ stored: number; failed: number }> {
    if (!this.trust.configured) return { stored: 0, failed: 0 };
    const sources: { source: string; fetch: () => Promise<Uint8Array> }[] = this.testCards
      ? (await this.testCards.currentCrls()).map((der, i) => ({ source: `test-ca:${i}`, fetch: async () => der }))
      : (this.config.JPKI_CRL_SOURCES ?? '').split(',').map((s) => s.trim()).filter(Boolean).map((source) => ({ source, fetch: () => this.download(source) }));
    let stored = 0;
    let failed = 0;
    for (const { source, fetch } of sources) {
      try {
        const der = await fetch();
        const info = await new CrlStore({ issuers: this.trust.crlIssuers, maxCrlBytes: MAX_CRL_BYTES }).load(der);
        const changed = await this.repo.upsertCrl({
          issuer: info.issuer, scope: `${info.signerSpkiSha256}/${info.scope}`, der: Buffer.from(der),
          this_update: info.thisUpdate, next_update: info.nextUpdate, revoked_count: info.revokedCount, source,
        });
        if (changed) stored++;
      } catch (error) {
        failed++;
        this.logger.warn(LogKind.Communication, 'CRL refresh failed', { source, error: (error as Error).message });
      }
    }
    this.logger.log(LogKind.Event, 'CRL refresh done', { stored, failed });
    return { stored, failed };
  }

  private async download(source: string): Promise<Uint8Array> {
    if (!/^https?:\/\//.test(source)) return new Uint8Array(await readFile(source));
    const res = await fetch(source, { signal: AbortSignal.timeout(30_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = new Uint8Array(await res.arrayBuffer());
    if (body.byteLength > MAX_CRL_BYTES) throw new Error('CRL too large');
    return body;
  }
}
