import { DemoDatabase } from '../database/demo-database';
import { LocalAccountRepository } from './local-account.repository';
import { DEFAULT_PIN_POLICY, LocalAccountService } from './local-account.service';

describe(LocalAccountService.name, () => {
  let db: DemoDatabase;
  let repository: LocalAccountRepository;
  let service: LocalAccountService;
  let now: Date;

  beforeAll(async () => {
    db = await DemoDatabase.open({ store: 'memory', dataDir: '', serviceName: 'test' });
    repository = new LocalAccountRepository(db);
    await repository.ensureSchema();
    service = new LocalAccountService(db, repository, { now: () => now }, DEFAULT_PIN_POLICY);
  });
  afterAll(() => db.close());

  beforeEach(async () => {
    now = new Date('2026-11-22T10:00:00Z');
    await db.query('DELETE FROM hub_links');
    await db.query('DELETE FROM local_accounts');
    await service.register('C-2026-0001', '1111');
  });

  const wrong = (times: number) => Array.from({ length: times }).reduce<Promise<unknown>>(
    (p) => p.then(() => service.verifyPin('C-2026-0001', '9999')), Promise.resolve(),
  );

  it('accepts the right PIN', async () => {
    await expect(service.verifyPin('C-2026-0001', '1111')).resolves.toEqual({ outcome: 'ok' });
  });

  it('reports an unknown account without creating it', async () => {
    await expect(service.verifyPin('C-2026-0404', '1111')).resolves.toEqual({ outcome: 'unknown_account' });
    await expect(service.exists('C-2026-0404')).resolves.toBe(false);
  });

  it('counts wrong PINs down to the lock', async () => {
    await expect(service.verifyPin('C-2026-0001', '0000')).resolves.toEqual({ outcome: 'wrong_pin', attemptsLeft: 4 });
    await expect(service.verifyPin('C-2026-0001', '0000')).resolves.toEqual({ outcome: 'wrong_pin', attemptsLeft: 3 });
  });

  it('locks linking for 15 minutes on the fifth wrong PIN, refusing even the right PIN', async () => {
    await wrong(4);
    const fifth = await service.verifyPin('C-2026-0001', '9999');
    expect(fifth).toEqual({ outcome: 'locked', lockedUntil: new Date('2026-11-22T10:15:00Z'), justLocked: true });
    now = new Date('2026-11-22T10:14:59Z');
    await expect(service.verifyPin('C-2026-0001', '1111')).resolves.toMatchObject({ outcome: 'locked', justLocked: false });
  });

  it('accepts the right PIN again once the lock has run out, with a fresh count', async () => {
    await wrong(5);
    now = new Date('2026-11-22T10:15:00Z');
    await expect(service.verifyPin('C-2026-0001', '9999')).resolves.toEqual({ outcome: 'wrong_pin', attemptsLeft: 4 });
    await expect(service.verifyPin('C-2026-0001', '1111')).resolves.toEqual({ outcome: 'ok' });
  });

  it('clears the count after a right PIN', async () => {
    await wrong(4);
    await expect(service.verifyPin('C-2026-0001', '1111')).resolves.toEqual({ outcome: 'ok' });
    await expect(service.verifyPin('C-2026-0001', '9999')).resolves.toEqual({ outcome: 'wrong_pin', attemptsLeft: 4 });
  });

  it('keeps the lock per account', async () => {
    await service.register('C-2026-0002', '2222');
    await wrong(5);
    await expect(service.verifyPin('C-2026-0002', '2222')).resolves.toEqual({ outcome: 'ok' });
  });

  it('remembers one hub subject per local account, the latest winning', async () => {
    await service.register('C-2026-0002', '2222');
    await service.rememberHubLink('sub-a', 'C-2026-0001');
    await service.rememberHubLink('sub-a', 'C-2026-0001');
    await expect(service.localIdForSubject('sub-a')).resolves.toBe('C-2026-0001');
    await service.rememberHubLink('sub-b', 'C-2026-0001');
    await expect(service.localIdForSubject('sub-a')).resolves.toBeUndefined();
    await expect(service.localIdForSubject('sub-b')).resolves.toBe('C-2026-0001');
    await service.rememberHubLink('sub-b', 'C-2026-0002');
    await expect(service.localIdForSubject('sub-b')).resolves.toBe('C-2026-0002');
  });

  it('leaves an existing account as it is when registered again', async () => {
    await service.register('C-2026-0001', '5555');
    await expect(service.verifyPin('C-2026-0001', '1111')).resolves.toEqual({ outcome: 'ok' });
  });
});
