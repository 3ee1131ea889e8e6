import type { JWK } from 'jose';
import { AppLogger, configureLogger, LogKind } from '@tsunagu/logger';
import { AuditVerifier, type AuditVerification } from '../apps/hub/src/audit/audit-verifier';
import { AuditRepository } from '../apps/hub/src/audit/audit.repository';
import { loadHubConfig } from '../apps/hub/src/platform/config/hub.config';
import { closeHubDatabase, openHubDatabase } from '../apps/hub/src/platform/database/hub-database';
import { KeysRepository } from '../apps/hub/src/platform/keys/keys.repository';

/**
 * `npm run audit:verify [-- --json]`: walks the audit chain and its signed checkpoints
 * (docs/audit.md) and reports the first broken link. Exit code 0: intact; 1: broken; 2: could not
 * run. Checkpoint signatures are checked against the hub's public keys in the database; no
 * private key is needed. On the embedded database, stop the hub first (one process at a time).
 */
async function main(): Promise<number> {
  const json = process.argv.includes('--json');
  const config = loadHubConfig();
  configureLogger({ level: config.LOG_LEVEL });
  const db = await openHubDatabase(config);
  try {
    const verifier = new AuditVerifier(new AuditRepository(db.dataSource),
      async () => (await new KeysRepository(db.dataSource).listSigningKeys()).map((k) => k.public_jwk as JWK));
    const result = await verifier.verify();
    new AppLogger('AuditVerify').log(LogKind.Operation, result.ok ? 'Audit chain verified' : 'Audit chain broken', {
      rows: result.rows, lastSeq: result.lastSeq, checkpointsVerified: result.checkpointsVerified, brokenAt: result.break?.seq,
    });
    process.stdout.write(json ? `${JSON.stringify(result)}\n` : report(result));
    return result.ok ? 0 : 1;
  } finally {
    await closeHubDatabase(db);
  }
}

function report(r: AuditVerification): string {
  const lines: string[] = [];
  const pruned = r.cutSeq ? ` Rows up to seq ${r.cutSeq} were pruned by the retention job under a signed cut checkpoint.` : '';
  if (r.ok) {
    lines.push(r.rows
      ? `Audit chain intact: ${r.rows} rows (seq ${r.firstSeq}–${r.lastSeq}), ${r.checkpointsVerified} signed checkpoint(s) verified.${pruned}`
      : `Audit chain intact: no rows kept, ${r.checkpointsVerified} signed checkpoint(s) verified.${pruned}`);
    if (r.headHash) lines.push(`Head: seq ${r.lastSeq}, hash ${r.headHash}`);
  } else {
    lines.push(`Audit chain BROKEN at seq ${r.break!.seq}: ${r.break!.reason}.`);
    lines.push(r.rows ? `The ${r.rows} row(s) before it (seq ${r.firstSeq}–${r.lastSeq}) verified.${pruned}` : `No row before it could be verified.${pruned}`);
  }
  return `${lines.join('\n')}\n`;
}

main().then((code) => process.exit(code)).catch((error) => {
  process.stderr.write(`audit:verify could not run: ${error instanceof Error ? error.message : error}\n`);
  process.exit(2);
});
