import * as argon2 from 'argon2';
import { TooManyAttemptsException } from '@tsunagu/common';
import type { AuditService } from '../../audit/audit.service';
import { type HubConfig, loadHubConfig } from '../../platform/config/hub.config';
import { ThrottleService } from '../../platform/throttle/throttle.service';
import type { ResidentRow, ResidentsRepository } from './residents.repository';
import { ResidentsService } from './residents.service';

// The real argon2, watched: which sign-ins pay for a hash verification.
jest.mock('argon2', () => {
  const actual = jest.requireActual('argon2');
  return { ...actual, verify: jest.fn(actual.verify) };
});
const verify = argon2.verify as jest.MockedFunction<typeof argon2.verify>;

/** The service on an in-memory repository and the in-memory throttles (the embedded default's). */
async function setUp(overrides: Partial<HubConfig> = {}) {
  const config = { ...loadHubConfig({ NODE_ENV: 'test' }), THROTTLE_ID_ATTEMPTS: 3, THROTTLE_ADDRESS_SIGN_INS_PER_MINUTE: 100, ...overrides };
  const row: ResidentRow = {
    id: '00000000-0000-4000-8000-000000000001', common_id: '1234567890123456', login_id: 'tottori.taro',
    password_hash: await argon2.hash('the-right-password', { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 }),
    display_name: '鳥取 太郎', failed_logins: 0, locked_until: null, identity_verified_at: null, created_at: new Date(),
  };
  const repo = { findByLoginId: async (loginId: string) => (loginId === row.login_id ? row : undefined) } as unknown as ResidentsRepository;
  const events: { type: string; reason?: string }[] = [];
  const audit = { record: async (event: { type: string; reason?: string }) => void events.push(event) } as unknown as AuditService;
  return { service: new ResidentsService(repo, new ThrottleService(config), audit), events };
}

/** What an attempt answered: the error's code, status reason, words and wait — or 'ok'. */
type Answer = 'ok' | { code: string; reason: string; words: { ja: string; en: string }; retryAfter: number | undefined };

async function attempt(service: ResidentsService, loginId: string, password: string, address = '192.0.2.1'): Promise<Answer> {
  try {
    await service.authenticate(loginId, password, { address });
    return 'ok';
  } catch (error) {
    const e = error as TooManyAttemptsException;
    return { code: e.code, reason: e.reason, words: e.bilingual, retryAfter: e.retryAfterSeconds };
  }
}

describe('ResidentsService sign-in throttling', () => {
  beforeEach(() => verify.mockClear());

  it('answers an existing and an unknown ID alike, and runs argon2 exactly once per counted attempt', async () => {
    const { service } = await setUp();
    const existing: Answer[] = [];
    const unknown: Answer[] = [];
    for (let i = 0; i < 5; i++) existing.push(await attempt(service, 'tottori.taro', 'wrong-password-1'));
    expect(verify).toHaveBeenCalledTimes(3);
    verify.mockClear();
    for (let i = 0; i < 5; i++) unknown.push(await attempt(service, 'nobody.here', 'wrong-password-1'));
    expect(verify).toHaveBeenCalledTimes(3);

    expect(unknown).toEqual(existing);
    expect(existing.map((a) => (a === 'ok' ? a : a.code))).toEqual(['invalid_credentials', 'invalid_credentials', 'invalid_credentials', 'too_many_attempts', 'too_many_attempts']);
  });

  it('refuses a throttled attempt without running argon2, even with the right password', async () => {
    const { service, events } = await setUp();
    for (let i = 0; i < 3; i++) await attempt(service, 'tottori.taro', 'wrong-password-1');
    verify.mockClear();
    const answers = await Promise.all(Array.from({ length: 16 }, () => attempt(service, 'tottori.taro', 'the-right-password')));
    expect(verify).not.toHaveBeenCalled();
    expect(answers.every((a) => a !== 'ok' && a.code === 'too_many_attempts' && (a.retryAfter ?? 0) > 0)).toBe(true);
    expect(events.filter((e) => e.type === 'auth.throttled')).toHaveLength(1);
  });

  it('lets the resident in from another address, and a success starts the count again', async () => {
    const { service } = await setUp();
    for (let i = 0; i < 4; i++) await attempt(service, 'tottori.taro', 'wrong-password-1', '192.0.2.66');
    expect(await attempt(service, 'tottori.taro', 'the-right-password', '192.0.2.7')).toBe('ok');
    for (let i = 0; i < 2; i++) await attempt(service, 'tottori.taro', 'wrong-password-1', '192.0.2.7');
    expect(await attempt(service, 'tottori.taro', 'the-right-password', '192.0.2.7')).toBe('ok');
    const after: Answer[] = [];
    for (let i = 0; i < 3; i++) after.push(await attempt(service, 'tottori.taro', 'wrong-password-1', '192.0.2.7'));
    expect(after.map((a) => (a === 'ok' ? a : a.code))).toEqual(['invalid_credentials', 'invalid_credentials', 'invalid_credentials']);
  });

  it('limits one address across login IDs', async () => {
    const { service } = await setUp({ THROTTLE_ADDRESS_SIGN_INS_PER_MINUTE: 4 });
    const codes = [];
    for (let i = 0; i < 5; i++) {
      const a = await attempt(service, `someone.${i}`, 'wrong-password-1');
      codes.push(a === 'ok' ? a : a.code);
    }
    expect(codes).toEqual(['invalid_credentials', 'invalid_credentials', 'invalid_credentials', 'invalid_credentials', 'too_many_attempts']);
    expect(await attempt(service, 'tottori.taro', 'the-right-password', '192.0.2.99')).toBe('ok');
  });
});
