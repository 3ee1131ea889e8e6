import { readFileSync } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import { CrlRevocationSource, CrlStore, JpkiVerifier, OcspClient, type OcspTarget, type OcspTransport, type RevocationSource } from '@tsunagu/jpki';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { HUB_CONFIG, type HubConfig } from '../../platform/config/hub.config';
import { JpkiRepository } from './jpki.repository';
import { TestCardAuthority } from './test-card.authority';

export const TEST_CARD_AUTHORITY = Symbol('TEST_CARD_AUTHORITY');

/** Largest OCSP response read from the responder. */
const MAX_OCSP_RESPONSE_BYTES = 64 * 1024;

function files(list?: string): Uint8Array[] {
  return (list ?? '').split(',').map((f) => f.trim()).filter(Boolean).map((f) => new Uint8Array(readFileSync(f)));
}

/**
 * The responder an OCSP request goes to: JPKI_OCSP_URL when it overrides; otherwise the first
 * responder the certificate names (authorityInfoAccess id-ad-ocsp, http(s) only — the parser keeps
 * nothing else, and the CA signed it), else JPKI_OCSP_URL; undefined when there is none.
 */
export function ocspResponderUrl(target: OcspTarget, config: Pick<HubConfig, 'JPKI_OCSP_URL' | 'JPKI_OCSP_URL_OVERRIDE'>): string | undefined {
  if (config.JPKI_OCSP_URL_OVERRIDE) return config.JPKI_OCSP_URL;
  return target.urls.find((u) => /^https?:\/\//i.test(u)) ?? config.JPKI_OCSP_URL;
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
  private current?: { version: string; verifier: JpkiVerifier; crl: CrlRevocationSource; revocation: RevocationSource };
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
    return (await this.state()).verifier;
  }

  /**
   * The revocation source the verifier uses for resident certificates (JPKI_REVOCATION): the
   * stored CRLs, or the OCSP client. For re-checking verified residents one by one.
   */
  async revocationSource(): Promise<RevocationSource> {
    return (await this.state()).revocation;
  }

  /**
   * The stored CRLs as a revocation source, with `statusMany` to re-check many (issuer, serial)
   * pairs in one pass (100,000 against a 1,000,000-entry CRL in well under a second).
   */
  async crlRevocation(): Promise<CrlRevocationSource> {
    return (await this.state()).crl;
  }

  private async state(): Promise<NonNullable<JpkiTrustService['current']>> {
    const version = await this.repo.crlVersion();
    if (this.current?.version === version) return this.current;
    this.loading ??= this.build(version).finally(() => (this.loading = undefined));
    await this.loading;
    return this.current as NonNullable<JpkiTrustService['current']>;
  }

  /** OCSP over HTTP (RFC 6960 Appendix A.1, POST) to {@link ocspResponderUrl}, or the test card's in-process responder. */
  private ocspTransport(): OcspTransport {
    if (this.testCards) {
      const cards = this.testCards;
      return (request) => cards.ocsp(request);
    }
    const timeout = this.config.JPKI_OCSP_TIMEOUT_MS;
    return async (request, target) => {
      const url = ocspResponderUrl(target, this.config);
      if (!url) throw new Error('no OCSP responder: the certificate names none and JPKI_OCSP_URL is not set');
      const res = await fetch(url, {
        method: 'POST', body: Buffer.from(request), signal: AbortSignal.timeout(timeout),
        headers: { 'content-type': 'application/ocsp-request', accept: 'application/ocsp-response' },
      });
      if (!res.ok) throw new Error(`OCSP responder answered HTTP ${res.status}`);
      const declared = Number(res.headers.get('content-length') ?? 0);
      if (declared > MAX_OCSP_RESPONSE_BYTES) throw new Error('OCSP response too large');
      const body = new Uint8Array(await res.arrayBuffer());
      if (body.byteLength > MAX_OCSP_RESPONSE_BYTES) throw new Error('OCSP response too large');
      return body;
    };
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
    const crl = new CrlRevocationSource(crlStore);
    const revocation: RevocationSource = this.config.JPKI_REVOCATION === 'ocsp'
      ? new OcspClient({
        issuers: this.crlIssuers, transport: this.ocspTransport(), maxClockSkewMs: this.config.JPKI_OCSP_MAX_SKEW_SECONDS * 1000,
        // A delegated responder without id-pkix-ocsp-nocheck is checked against the stored CRLs (RFC 6960 §4.2.2.2.1).
        responderRevocation: crl,
      })
      : crl;
    const verifier = new JpkiVerifier({
      trustAnchors: this.anchors, intermediates: this.intermediates, crlStore,
      ...(this.config.JPKI_REVOCATION === 'ocsp' && { revocation }),
    });
    this.current = { version, verifier, crl, revocation };
    return verifier;
  }
}
