import type { JWK } from 'jose';
import type { DataSource } from 'typeorm';
import { type ChainFinding, verifyReceiptChain } from '@tsunagu/contracts';
import { KeysRepository } from '../platform/keys/keys.repository';

/** What {@link StoredReceiptsVerifier} found. */
export interface StoredReceiptsVerification {
  ok: boolean;
  residents: number;
  receipts: number;
  /** The residents whose chain did not verify, with what was wrong (at most 20 listed). */
  broken: { residentId: string; findings: ChainFinding[] }[];
}

const LISTED = 20;

/**
 * Verifies every consent receipt kept in a database, as `npm run receipt:verify` does with a
 * resident's downloaded chain: each signature against the hub's stored public keys (retired ones
 * too) and each resident's hash chain, complete from sequence 1. Run by `npm run restore` on the
 * restored database, so a drill proves that the receipts came back intact, not only the rows.
 */
export class StoredReceiptsVerifier {
  constructor(private readonly db: DataSource) {}

  async verify(): Promise<StoredReceiptsVerification> {
    const jwks = { keys: (await new KeysRepository(this.db).listSigningKeys()).map((k) => k.public_jwk as JWK) };
    const residents: { resident_id: string }[] = await this.db.query(`SELECT DISTINCT resident_id FROM consent_receipts ORDER BY resident_id`);
    const broken: StoredReceiptsVerification['broken'] = [];
    let receipts = 0;
    let failed = 0;
    // One resident's chain at a time: a chain is short, the table is long.
    for (const { resident_id: residentId } of residents) {
      const rows: { jws: string }[] = await this.db.query(`SELECT jws FROM consent_receipts WHERE resident_id = $1 ORDER BY seq`, [residentId]);
      receipts += rows.length;
      const result = await verifyReceiptChain(rows.map((r) => r.jws), jwks);
      if (!result.valid) {
        failed++;
        if (broken.length < LISTED) broken.push({ residentId, findings: result.findings });
      }
    }
    return { ok: failed === 0, residents: residents.length, receipts, broken };
  }
}
