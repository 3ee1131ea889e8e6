import { SecretBox } from '../../platform/keys/secret-box';
import type { ResidentCertificateRef, ResidentCertificateStatus } from './certificate-status.checker';
import type { IdentityLapseHandler } from './identity-lapse';
import type { JpkiRepository, VerificationRow } from './jpki.repository';
import type { JpkiTrustService } from './jpki-trust.service';
import { sealCertificateRef, VerificationRecheckService } from './verification-recheck.service';

describe(VerificationRecheckService.name, () => {
  const box = new SecretBox(SecretBox.generateKey());
  const keys = { seal: (v: string, c: string) => box.seal(v, c), open: (v: string, c: string) => box.open(v, c) };
  const future = new Date(Date.now() + 86_400_000);
  const row = (id: string, serial: string | undefined, notAfter = future): VerificationRow => ({
    id, resident_id: `resident-${id}`, card_key: `key-${id}`, certificate_not_after: notAfter,
    certificate_ref_sealed: serial ? sealCertificateRef(keys, `key-${id}`, { issuer: 'C=JP, O=JPKI', serialNumber: serial }) : null,
  });

  function setup(rows: VerificationRow[], answer: (ref: ResidentCertificateRef) => ResidentCertificateStatus) {
    const lapsedIds: [string, string, string | null][] = [];
    const checked: string[] = [];
    const repo = {
      listVerified: jest.fn(async (after: string) => rows.filter((r) => r.id > after)),
      markChecked: jest.fn(async (ids: string[]) => void checked.push(...ids)),
      transaction: async <T>(work: (tx: never) => Promise<T>) => work(undefined as never),
      lapseVerification: jest.fn(async (_tx: unknown, id: string, reason: string, revocation: string | null) => {
        lapsedIds.push([id, reason, revocation]);
        return { residentId: `resident-${id}`, stillVerified: false };
      }),
      listLapsedWithActiveRequiringConsents: async () => [],
      listVerifiedWithLapsePausedConsents: async () => [],
    } as unknown as JpkiRepository;
    const handler: IdentityLapseHandler = { lapsed: jest.fn(async () => 1), verified: jest.fn(async () => 0) };
    const audit = { record: jest.fn(async () => undefined) };
    const checker = { check: jest.fn(async (refs: readonly ResidentCertificateRef[]) => refs.map(answer)) };
    const service = new VerificationRecheckService(repo, { configured: true } as JpkiTrustService, keys as never, audit as never, handler, checker);
    return { service, lapsedIds, checked, handler, checker, audit };
  }

  it('lapses a revoked or expired certificate, pauses the resident\'s consents and audits it; keeps good and unknown ones', async () => {
    const { service, lapsedIds, checked, handler, checker, audit } = setup(
      [row('1', 'aa'), row('2', 'bb'), row('3', 'cc'), row('4', undefined, new Date(Date.now() - 1000))],
      (ref) => (ref.serialNumber === 'aa' ? { status: 'revoked', reason: 'affiliationChanged' } : ref.serialNumber === 'bb' ? { status: 'unknown', detail: 'stale' } : { status: 'good' }),
    );
    expect(await service.recheckAll()).toEqual({ checked: 4, lapsed: 2, unknown: 1 });
    // The checker sees the opened issuer and serial; a row without a sealed reference is checked by its expiry only.
    expect(checker.check.mock.calls[0][0].map((r: ResidentCertificateRef) => r.serialNumber)).toEqual(['aa', 'bb', 'cc']);
    expect(lapsedIds).toEqual([['1', 'revoked', 'affiliationChanged'], ['4', 'expired', null]]);
    expect(checked).toEqual(['3']);
    expect(handler.lapsed).toHaveBeenCalledWith('resident-1', 'revoked');
    expect(handler.lapsed).toHaveBeenCalledWith('resident-4', 'expired');
    expect(audit.record).toHaveBeenCalledWith(expect.objectContaining({ type: 'jpki.verification_lapsed', subject: 'resident-1', reason: 'revoked' }), undefined);
  });

  it('refuses a sealed reference moved to another row', async () => {
    const moved = { ...row('1', 'aa'), card_key: 'key-other' };
    const { service } = setup([moved], () => ({ status: 'good' }));
    await expect(service.recheckAll()).rejects.toThrow();
  });
});
