import type { DataSource } from 'typeorm';
import { openTestDataSource } from '@tsunagu/testing';
import { StoredReceiptsVerifier } from './stored-receipts-verifier';
import { consentFixture } from './testing/consent-fixtures';

const ONSEN_SPENDING = 'misasa-health.onsen-spending';

/** The restore drill's check of every stored consent receipt, on the real PostgreSQL. */
describe(StoredReceiptsVerifier.name, () => {
  let ds: DataSource;
  let residents: string[];

  beforeEach(async () => {
    ds = await openTestDataSource([], 'stored_receipts');
    const fx = await consentFixture(ds, { residents: 2 });
    residents = fx.residents;
    for (const resident of residents) await fx.service.give(resident, { dataUse: ONSEN_SPENDING }, 'portal-api');
  });
  afterEach(() => ds.destroy());

  /** What an attacker with database access does: switch off the immutability trigger and edit. */
  const tamper = async (sql: string, params: unknown[]) => {
    await ds.query('ALTER TABLE consent_receipts DISABLE TRIGGER USER');
    await ds.query(sql, params);
    await ds.query('ALTER TABLE consent_receipts ENABLE TRIGGER USER');
  };

  it('verifies every resident\'s chain: signatures and links', async () => {
    const { n } = (await ds.query(`SELECT count(*)::int AS n FROM consent_receipts`))[0];
    expect(await new StoredReceiptsVerifier(ds).verify()).toEqual({ ok: true, residents: 2, receipts: n, broken: [] });
  });

  it('names the resident whose receipt was altered', async () => {
    const [{ jws }] = await ds.query(`SELECT jws FROM consent_receipts WHERE resident_id = $1 AND seq = 1`, [residents[1]]);
    const [h, p, s] = jws.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    const altered = [h, Buffer.from(JSON.stringify({ ...payload, purpose: 'something else' })).toString('base64url'), s].join('.');
    await tamper(`UPDATE consent_receipts SET jws = $2 WHERE resident_id = $1 AND seq = 1`, [residents[1], altered]);
    const result = await new StoredReceiptsVerifier(ds).verify();
    expect(result.ok).toBe(false);
    expect(result.broken.map((b) => b.residentId)).toEqual([residents[1]]);
    expect(result.broken[0].findings[0]).toMatchObject({ index: 0, problem: expect.any(String) });
  });
});
