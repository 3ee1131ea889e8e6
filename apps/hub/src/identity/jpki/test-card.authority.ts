import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  generateTestCa, importTestCertificate, issueTestCard, issueTestCrl, type TestCertificate, type TestResidentCertificate,
} from '@tsunagu/jpki';
import { AppLogger, LogKind } from '@tsunagu/logger';

const HOUR = 3_600_000;

/**
 * DEVELOPMENT ONLY (JPKI_TEST_CARD=true, refused in production): a JPKI-profile test CA kept under
 * DATA_DIR, standing in for J-LIS, and one "test card" per resident whose key signs challenges
 * in place of a real My Number card. Nothing here is trusted unless test-card mode is on.
 */
export class TestCardAuthority {
  private readonly logger = new AppLogger(TestCardAuthority.name);
  private root?: TestCertificate;
  private signingCa?: TestCertificate;
  private readonly cards = new Map<string, Promise<TestResidentCertificate>>();

  constructor(private readonly dataDir: string) {}

  async init(): Promise<void> {
    const dir = resolve(join(this.dataDir, 'jpki-test-ca'));
    const files = { root: join(dir, 'root-ca.der'), rootKey: join(dir, 'root-ca.key'), ca: join(dir, 'signing-ca.der'), caKey: join(dir, 'signing-ca.key') };
    if (!existsSync(files.caKey)) {
      const ca = await generateTestCa();
      await mkdir(dir, { recursive: true });
      await writeFile(files.root, ca.root.der);
      await writeFile(files.ca, ca.signingCa.der);
      for (const [path, key] of [[files.rootKey, ca.root.privateKeyPkcs8], [files.caKey, ca.signingCa.privateKeyPkcs8]] as const) {
        await writeFile(path, key, { mode: 0o600 });
        await chmod(path, 0o600);
      }
      this.logger.log(LogKind.Operation, 'JPKI test CA generated (development only)', { dir });
    }
    this.root = await importTestCertificate(await readFile(files.root), await readFile(files.rootKey));
    this.signingCa = await importTestCertificate(await readFile(files.ca), await readFile(files.caKey));
  }

  get trustAnchors(): Uint8Array[] {
    return [this.ready().root.der];
  }

  get intermediates(): Uint8Array[] {
    return [this.ready().signingCa.der];
  }

  /** Fresh CRLs (root ARL and signing-CA CRL), as the scheduled refresh would download them. */
  async currentCrls(now = new Date()): Promise<Uint8Array[]> {
    const { root, signingCa } = this.ready();
    const window = { thisUpdate: new Date(now.getTime() - HOUR), nextUpdate: new Date(now.getTime() + 24 * HOUR) };
    return [(await issueTestCrl(root, window)).der, (await issueTestCrl(signingCa, window)).der];
  }

  /** The resident's test card (one per resident and process), issued on first use. */
  cardFor(residentId: string, displayName: string): Promise<TestResidentCertificate> {
    const existing = this.cards.get(residentId);
    if (existing) return existing;
    const card = issueTestCard(this.ready().signingCa, {
      name: displayName, gender: '9', dateOfBirth: '319900101', address: '鳥取県（テスト用カード）',
    });
    this.cards.set(residentId, card);
    return card;
  }

  /** Signs as the card would: RSASSA-PKCS1-v1_5 / SHA-256 over the challenge's UTF-8 bytes. */
  async sign(card: TestResidentCertificate, challenge: string): Promise<Uint8Array> {
    return new Uint8Array(await globalThis.crypto.subtle.sign('RSASSA-PKCS1-v1_5', card.privateKey, new TextEncoder().encode(challenge)));
  }

  private ready(): { root: TestCertificate; signingCa: TestCertificate } {
    if (!this.root || !this.signingCa) throw new Error('TestCardAuthority.init() has not run');
    return { root: this.root, signingCa: this.signingCa };
  }
}
