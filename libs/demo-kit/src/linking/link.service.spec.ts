import { LocalAccountRepository } from '../accounts/local-account.repository';
import { DEFAULT_PIN_POLICY, LocalAccountService } from '../accounts/local-account.service';
import { DemoDatabase } from '../database/demo-database';
import type { DemoProfile } from '../demo-profile';
import type { CreateLinkResult, HubLinksClient, MyLinkResult } from '../hub/hub-links.client';
import type { SignedInResident } from '../hub/oidc-relying-party';
import { LinkService, normaliseLocalId } from './link.service';

const profile: DemoProfile = {
  brand: { ja: 'テスト', en: 'Test' },
  description: { ja: '', en: '' },
  features: [],
  localIdLabel: { ja: '会員番号', en: 'Member number' },
  localIdPattern: /^C-[0-9]{4}-[0-9]{4}$/,
  localIdExample: 'C-2026-0001',
  privacy: { controller: { ja: '', en: '' }, contact: '', holds: { ja: '', en: '' }, receives: [], provides: { ja: '', en: '' } },
  demoAccounts: [],
};

class FakeHubLinks {
  created: { token: string; localId: string }[] = [];
  answer: CreateLinkResult = { outcome: 'linked', created: true, link: { serviceId: 'demo-cashless', localId: 'C-2026-0001', linkedAt: '2026-11-22T10:00:00Z' } };
  mine: MyLinkResult = { outcome: 'not_linked' };
  async createLink(token: string, localId: string): Promise<CreateLinkResult> {
    this.created.push({ token, localId });
    return this.answer;
  }
  async myLink(): Promise<MyLinkResult> {
    return this.mine;
  }
}

const resident: SignedInResident = { sub: 'pairwise-sub-1', idToken: 'id.token.x', accessToken: 'access-1', name: '鳥取 太郎', signedInAt: 0 };

describe(LinkService.name, () => {
  let db: DemoDatabase;
  let accounts: LocalAccountService;
  let hub: FakeHubLinks;
  let service: LinkService;
  const now = new Date('2026-11-22T10:00:00Z');

  beforeAll(async () => {
    db = await DemoDatabase.open({ store: 'memory', dataDir: '', serviceName: 'test' });
    const repository = new LocalAccountRepository(db);
    await repository.ensureSchema();
    accounts = new LocalAccountService(db, repository, { now: () => now }, DEFAULT_PIN_POLICY);
  });
  afterAll(() => db.close());

  beforeEach(async () => {
    await db.query('DELETE FROM hub_links');
    await db.query('DELETE FROM local_accounts');
    await accounts.register('C-2026-0001', '1111');
    hub = new FakeHubLinks();
    service = new LinkService(accounts, hub as unknown as HubLinksClient, profile, { now: () => now });
  });

  it('links with the right member number and PIN, at the hub and locally', async () => {
    await expect(service.link(resident, { _csrf: 'x', localId: 'C-2026-0001', pin: '1111' }))
      .resolves.toEqual({ ok: true, localId: 'C-2026-0001', created: true });
    expect(hub.created).toEqual([{ token: 'access-1', localId: 'C-2026-0001' }]);
    await expect(accounts.localIdForSubject('pairwise-sub-1')).resolves.toBe('C-2026-0001');
  });

  it('accepts full-width digits, lower case and Japanese dashes', async () => {
    expect(normaliseLocalId(' ｃ－２０２６ー０００１ ')).toBe('C-2026-0001');
    await expect(service.link(resident, { localId: 'ｃ－２０２６－０００１', pin: '１１１１' })).resolves.toMatchObject({ ok: true, localId: 'C-2026-0001' });
  });

  it('reports every missing field at once with 400, asking nothing of the hub', async () => {
    const outcome = await service.link(resident, { _csrf: 'x' });
    expect(outcome).toMatchObject({ ok: false, status: 400 });
    expect(outcome.ok || outcome.problems.map((p) => p.code)).toEqual(['local_id_missing', 'pin_missing']);
    expect(hub.created).toEqual([]);
  });

  it('refuses a malformed member number and a PIN that is not 4 digits', async () => {
    const outcome = await service.link(resident, { localId: 'X-1', pin: '12a4' });
    expect(outcome.ok || outcome.problems.map((p) => p.code)).toEqual(['local_id_invalid', 'pin_invalid']);
    expect(outcome.ok || outcome.problems[0].message.ja).toContain('例: C-2026-0001');
  });

  it('refuses garbage: unknown fields, arrays, non-objects', async () => {
    for (const body of [{ localId: 'C-2026-0001', pin: '1111', admin: 'true' }, { localId: ['C-2026-0001'], pin: '1111' }, 'localId=C-2026-0001', null]) {
      const outcome = await service.link(resident, body);
      expect(outcome).toMatchObject({ ok: false, status: 400 });
    }
    expect(hub.created).toEqual([]);
  });

  it('reports an unknown member number with 404', async () => {
    const outcome = await service.link(resident, { localId: 'C-2026-0999', pin: '1111' });
    expect(outcome).toMatchObject({ ok: false, status: 404, problems: [{ code: 'unknown_account', field: 'localId' }] });
    expect(hub.created).toEqual([]);
  });

  it('reports a wrong PIN with the attempts left, linking nothing', async () => {
    const outcome = await service.link(resident, { localId: 'C-2026-0001', pin: '9999' });
    expect(outcome).toMatchObject({ ok: false, status: 400, localId: 'C-2026-0001', problems: [{ code: 'wrong_pin' }] });
    expect(outcome.ok || outcome.problems[0].message.ja).toContain('あと 4 回');
    expect(hub.created).toEqual([]);
    await expect(accounts.localIdForSubject('pairwise-sub-1')).resolves.toBeUndefined();
  });

  it('locks after five wrong PINs with 429 and a retry time, then refuses the right PIN', async () => {
    for (let i = 0; i < 4; i += 1) await service.link(resident, { localId: 'C-2026-0001', pin: '9999' });
    const fifth = await service.link(resident, { localId: 'C-2026-0001', pin: '9999' });
    expect(fifth).toMatchObject({ ok: false, status: 429, retryAfterSeconds: 900, problems: [{ code: 'pin_locked' }] });
    expect(fifth.ok || fifth.problems[0].message.ja).toContain('19:15 まで');
    await expect(service.link(resident, { localId: 'C-2026-0001', pin: '1111' })).resolves.toMatchObject({ status: 429 });
    expect(hub.created).toEqual([]);
  });

  it('shows the hub refusal as it is and keeps no local link', async () => {
    hub.answer = { outcome: 'refused', status: 409, code: 'link_conflict', message: { ja: '別の方と連携済み', en: 'Linked to someone else' } };
    const outcome = await service.link(resident, { localId: 'C-2026-0001', pin: '1111' });
    expect(outcome).toEqual({
      ok: false, status: 409, localId: 'C-2026-0001', signInAgain: false,
      problems: [{ code: 'link_conflict', message: { ja: '別の方と連携済み', en: 'Linked to someone else' } }],
    });
    await expect(accounts.localIdForSubject('pairwise-sub-1')).resolves.toBeUndefined();
  });

  it('asks to sign in again when the hub says the token is invalid', async () => {
    hub.answer = { outcome: 'refused', status: 401, code: 'invalid_token', message: { ja: '無効', en: 'Invalid' } };
    await expect(service.link(resident, { localId: 'C-2026-0001', pin: '1111' })).resolves.toMatchObject({ status: 401, signInAgain: true });
  });

  it('signs a linked resident straight in and keeps the local copy of the link', async () => {
    hub.mine = { outcome: 'linked', link: { serviceId: 'demo-cashless', localId: 'C-2026-0001', linkedAt: '2026-11-22T10:00:00Z' } };
    await expect(service.resolveAfterSignIn(resident)).resolves.toEqual({ linked: true, localId: 'C-2026-0001' });
    await expect(accounts.localIdForSubject('pairwise-sub-1')).resolves.toBe('C-2026-0001');
  });

  it('sends a resident without a link to the link page', async () => {
    await expect(service.resolveAfterSignIn(resident)).resolves.toEqual({ linked: false });
  });

  it('refuses a hub link to an account this service does not have', async () => {
    hub.mine = { outcome: 'linked', link: { serviceId: 'demo-cashless', localId: 'C-2026-0404', linkedAt: '2026-11-22T10:00:00Z' } };
    await expect(service.resolveAfterSignIn(resident)).rejects.toMatchObject({ code: 'unknown_linked_account' });
  });
});
