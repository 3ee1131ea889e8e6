import type { ConnectorOfferConfig } from '@tsunagu/contracts';
import { fillTemplate, periodFor, tokyoToday } from './http.adapter';

const offer = (window?: { defaultDays: number; maxDays: number }): ConnectorOfferConfig => ({
  code: 'misasa-health.daily-steps', schema: { type: 'array' }, window, fetch: { method: 'GET', url: '/x', select: '' },
});

describe('HttpAdapter helpers', () => {
  it('takes today in Japan time', () => {
    expect(tokyoToday(new Date('2026-11-21T15:30:00Z'))).toBe('2026-11-22');
    expect(tokyoToday(new Date('2026-11-21T14:30:00Z'))).toBe('2026-11-21');
  });

  it('defaults to the window ending today', () => {
    expect(periodFor(offer({ defaultDays: 14, maxDays: 90 }), undefined, '2026-11-22')).toEqual({ from: '2026-11-09', to: '2026-11-22' });
    expect(periodFor(offer(), { from: '2026-01-01', to: '2026-01-02' }, '2026-11-22')).toBeUndefined();
  });

  it('refuses periods longer than the window, in the future, reversed or not on the calendar', () => {
    const o = offer({ defaultDays: 14, maxDays: 90 });
    expect(periodFor(o, { from: '2026-08-25', to: '2026-11-22' }, '2026-11-22')).toEqual({ from: '2026-08-25', to: '2026-11-22' });
    for (const period of [
      { from: '2026-08-24', to: '2026-11-22' }, { from: '2026-11-20', to: '2026-11-23' }, { from: '2026-11-20', to: '2026-11-19' }, { from: '2026-02-30', to: '2026-03-01' },
    ]) {
      expect(() => periodFor(o, period, '2026-11-22')).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    }
  });

  it('URL-encodes every value so that none can change the host or the path', () => {
    expect(fillTemplate('/internal/v1/users/{localId}/steps?from={from}', { localId: '../../admin?x=1#', from: '2026-11-01' }))
      .toBe('/internal/v1/users/..%2F..%2Fadmin%3Fx%3D1%23/steps?from=2026-11-01');
    expect(new URL(`http://service.test${fillTemplate('/u/{localId}', { localId: '@evil.example' })}`).host).toBe('service.test');
  });
});
