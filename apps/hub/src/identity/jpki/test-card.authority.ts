import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  createTestOcspResponder, generateTestCa, importTestCertificate, issueTestCard, issueTestCrl, issueTestOcspResponder,
  type CrlReason, type TestCertificate, type TestDistributionPoint, type TestResidentCertificate, TEST_DISTRIBUTION_POINTS,
} from '@tsunagu/jpki';
import { AppLogger, LogKind } from '@tsunagu/logger';

const HOUR = 3_600_000;

/** A revocation the test CA records (persisted beside its keys, so CRLs and OCSP keep saying it). */
export interface TestCardRevocation {
  readonly serialNumber: string;
  readonly reason: CrlReason;
  readonly revokedAt: string;
}

/**
 * DEVELOPMENT ONLY (JPKI_TEST_CARD=true, refused in production): a JPKI test CA kept under
 * DATA_DIR, standing in for J-LIS, in the real shape (libs/jpki test-ca.ts): two self-signed root
 * generations under the JPKI signature CA's DN (the current one issues the cards), partitioned
 * CRLs per municipality with a critical issuingDistributionPoint plus an ARL, and an in-process
 * OCSP responder (delegated responder certificate, re-issued at each boot). One "test card" per
 * resident signs challenges in place of a real My Number card. Nothing here is trusted unless
 * test-card mode is on.
 */
export class TestCardAuthority {
  private readonly logger = new AppLogger(TestCardAuthority.name);
  private previousRoot?: TestCertificate;
  private signingCa?: TestCertificate;
  private responder?: ReturnType<typeof createTestOcspResponder>;
  private readonly cards = new Map<string, Promise<TestResidentCertificate>>();
  private readonly revocations = new Map<string, TestCardRevocation>();
  private dir = '';

  constructor(
    private readonly dataDir: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async init(): Promise<void> {
    this.dir = resolve(join(this.dataDir, 'jpki-test-ca'));
    const files = {
      previous: join(this.dir, 'root-generation-1.der'), previousKey: join(this.dir, 'root-generation-1.key'),
      current: join(this.dir, 'root-generation-2.der'), currentKey: join(this.dir, 'root-generation-2.key'),
    };
    // Directories written before the real shape (root-ca.der + signing-ca.der) get the new files beside them.
    if (!existsSync(files.currentKey)) {
      const ca = await generateTestCa({ now: this.now() });
      await mkdir(this.dir, { recursive: true });
      await writeFile(files.previous, ca.previousRoot.der);
      await writeFile(files.current, ca.signingCa.der);
      for (const [path, key] of [[files.previousKey, ca.previousRoot.privateKeyPkcs8], [files.currentKey, ca.signingCa.privateKeyPkcs8]] as const) {
        await writeFile(path, key, { mode: 0o600 });
        await chmod(path, 0o600);
      }
      this.logger.log(LogKind.Operation, 'JPKI test CA generated (development only)', { dir: this.dir });
    }
    this.previousRoot = await importTestCertificate(await readFile(files.previous), await readFile(files.previousKey));
    this.signingCa = await importTestCertificate(await readFile(files.current), await readFile(files.currentKey));
    for (const r of await this.readRevocations()) this.revocations.set(r.serialNumber, r);
    const ocspResponder = await issueTestOcspResponder(this.signingCa, this.now());
    this.responder = createTestOcspResponder({
      cas: [this.signingCa, this.previousRoot],
      responder: ocspResponder,
      now: this.now,
      // Cards are issued per process; a serial of an earlier run is still this CA's, so "good".
      isIssued: () => true,
      revocation: (serial) => {
        const r = this.revocations.get(serial);
        return r && { reason: r.reason, revokedAt: new Date(r.revokedAt) };
      },
    });
  }

  /** Both root generations (the previous one stays trusted during the key change). */
  get trustAnchors(): Uint8Array[] {
    const { previousRoot, signingCa } = this.ready();
    return [previousRoot.der, signingCa.der];
  }

  /** None: the JPKI signature CA has no intermediate. */
  get intermediates(): Uint8Array[] {
    return [];
  }

  /**
   * Fresh CRLs, as the scheduled refresh would download them: per root generation, one partition
   * per test municipality (critical issuingDistributionPoint) and an ARL; the current
   * generation's partitions list what was revoked.
   */
  async currentCrls(now = this.now()): Promise<Uint8Array[]> {
    const { previousRoot, signingCa } = this.ready();
    const window = { thisUpdate: new Date(now.getTime() - HOUR), nextUpdate: new Date(now.getTime() + 24 * HOUR) };
    const revoked = [...this.revocations.values()].map((r) => ({ serialNumber: r.serialNumber, reason: r.reason, revokedAt: new Date(r.revokedAt) }));
    const out: Uint8Array[] = [];
    for (const ca of [signingCa, previousRoot]) {
      out.push((await issueTestCrl(ca, { ...window, onlyCaCerts: true })).der);
      for (const dp of Object.keys(TEST_DISTRIBUTION_POINTS) as TestDistributionPoint[]) {
        out.push((await issueTestCrl(ca, { ...window, distributionPoint: dp, revoked: ca === signingCa ? revoked : [] })).der);
      }
    }
    return out;
  }

  /** The in-process OCSP responder (JPKI_REVOCATION=ocsp with the test card): request DER in, response DER out. */
  async ocsp(request: Uint8Array): Promise<Uint8Array> {
    if (!this.responder) throw new Error('TestCardAuthority.init() has not run');
    return this.responder(request);
  }

  /**
   * Revokes a test card as J-LIS would (affiliationChanged when the name or address changes,
   * keyCompromise, cessationOfOperation, …): the next CRL refresh lists it and OCSP answers
   * revoked at once. Persisted under DATA_DIR.
   */
  async revoke(serialNumber: string, reason: CrlReason, revokedAt: Date = this.now()): Promise<void> {
    const serial = serialNumber.toLowerCase().replace(/[^0-9a-f]/g, '').replace(/^(00)+(?=..)/, '');
    this.revocations.set(serial, { serialNumber: serial, reason, revokedAt: revokedAt.toISOString() });
    const path = join(this.dir, 'revocations.json');
    await writeFile(`${path}.tmp`, `${JSON.stringify([...this.revocations.values()], null, 2)}\n`);
    await rename(`${path}.tmp`, path);
    this.logger.log(LogKind.Operation, 'JPKI test card revoked (development only)', { reason });
  }

  /** The resident's test card (one per resident and process), issued on first use. */
  cardFor(residentId: string, displayName: string): Promise<TestResidentCertificate> {
    const existing = this.cards.get(residentId);
    if (existing) return existing;
    const card = issueTestCard(this.ready().signingCa, {
      name: displayName, gender: '9', dateOfBirth: '319900101', address: '鳥取県（テスト用カード）',
    }, this.now());
    this.cards.set(residentId, card);
    card.catch(() => this.cards.delete(residentId));
    return card;
  }

  /** Signs as the card would: RSASSA-PKCS1-v1_5 / SHA-256 over the challenge's UTF-8 bytes. */
  async sign(card: TestResidentCertificate, challenge: string): Promise<Uint8Array> {
    return new Uint8Array(await globalThis.crypto.subtle.sign('RSASSA-PKCS1-v1_5', card.privateKey, new TextEncoder().encode(challenge)));
  }

  private async readRevocations(): Promise<TestCardRevocation[]> {
    const path = join(this.dir, 'revocations.json');
    if (!existsSync(path)) return [];
    const parsed = JSON.parse(await readFile(path, 'utf8')) as unknown;
    return Array.isArray(parsed) ? (parsed as TestCardRevocation[]) : [];
  }

  private ready(): { previousRoot: TestCertificate; signingCa: TestCertificate } {
    if (!this.previousRoot || !this.signingCa) throw new Error('TestCardAuthority.init() has not run');
    return { previousRoot: this.previousRoot, signingCa: this.signingCa };
  }
}
