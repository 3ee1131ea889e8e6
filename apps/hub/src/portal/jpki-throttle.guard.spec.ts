import type { ExecutionContext } from '@nestjs/common';
import { TooManyAttemptsException } from '@tsunagu/common';
import { ConnectThrottleGuard } from '../exchange/connect-throttle.guard';
import { loadHubConfig } from '../platform/config/hub.config';
import { ThrottleService } from '../platform/throttle/throttle.service';
import { JpkiThrottleGuard } from './jpki-throttle.guard';

const contextFor = (req: object) => ({ switchToHttp: () => ({ getRequest: () => req }) }) as unknown as ExecutionContext;

/** The throttles in front of identity proofing and the connector API, on the in-memory limiters. */
describe('throttle guards', () => {
  const config = { ...loadHubConfig({ NODE_ENV: 'test' }), THROTTLE_JPKI_PER_MINUTE: 2, THROTTLE_CONNECT_PER_ADDRESS_PER_MINUTE: 3 };

  it('limits JPKI calls per resident, and per address across residents', async () => {
    const guard = new JpkiThrottleGuard(new ThrottleService(config));
    const call = (accountId: string, ip: string) => guard.canActivate(contextFor({ resident: { accountId, uid: 'u' }, ip }));
    await expect(call('resident-a', '192.0.2.1')).resolves.toBe(true);
    await expect(call('resident-a', '192.0.2.2')).resolves.toBe(true);
    const refused = await call('resident-a', '192.0.2.3').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TooManyAttemptsException);
    expect(refused).toMatchObject({ code: 'too_many_attempts', retryAfterSeconds: 60 });
    // Per address: three times the per-resident limit, whoever signs in from it.
    for (const resident of ['b', 'c', 'd', 'e']) await expect(call(resident, '192.0.2.9')).resolves.toBe(true);
    await expect(call('f', '192.0.2.9')).resolves.toBe(true);
    await expect(call('g', '192.0.2.9')).resolves.toBe(true);
    await expect(call('h', '192.0.2.9')).rejects.toBeInstanceOf(TooManyAttemptsException);
  });

  it('limits connector API calls per address', async () => {
    const guard = new ConnectThrottleGuard(new ThrottleService(config));
    for (let i = 0; i < 3; i++) await expect(guard.canActivate(contextFor({ ip: '198.51.100.7' }))).resolves.toBe(true);
    await expect(guard.canActivate(contextFor({ ip: '198.51.100.7' }))).rejects.toBeInstanceOf(TooManyAttemptsException);
    await expect(guard.canActivate(contextFor({ ip: '198.51.100.8' }))).resolves.toBe(true);
  });
});
