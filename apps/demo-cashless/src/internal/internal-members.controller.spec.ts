import { appPerSuite } from '@tsunagu/demo-kit/testing';
import { createApp } from '../app';
import { loadCashlessConfig } from '../cashless.config';
import { MemberRepository } from '../members/member.repository';
import { InternalMembersController } from './internal-members.controller';

const NOW = new Date('2026-12-05T03:00:00Z'); // 12:00 on 5 December in Japan
const TOKEN = 'cashless-service-token-for-tests';
const config = (extra: Record<string, string> = {}) =>
  loadCashlessConfig({ DEMO_STORE: 'memory', DEMO_CASHLESS_PORT: '0', HUB_URL: 'http://127.0.0.1:9', ...extra });

describe(InternalMembersController.name, () => {
  describe('without a service token (loopback callers only)', () => {
    const suite = appPerSuite(() => createApp(config(), { clock: { now: () => NOW } }));

    it('answers the stored points balance with the time it was read, uncached', async () => {
      const res = await suite.get('/internal/v1/members/C-2026-0001/points').expect(200);
      expect(res.body).toEqual({ memberNumber: 'C-2026-0001', pointsBalance: 1250, asOf: NOW.toISOString() });
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('reads a member added to the store after the start', async () => {
      await suite.app.get(MemberRepository).insertMember({ memberNumber: 'C-2026-0042', name: '米子 四郎', nameKana: 'ヨナゴ シロウ', pointsBalance: 42, joinedOn: '2026-12-01' });
      await suite.get('/internal/v1/members/C-2026-0042/points').expect(200).expect((r) => expect(r.body.pointsBalance).toBe(42));
      await suite.get('/internal/v1/members/C-2026-0042/monthly-spending?from=2026-09-07&to=2026-12-05').expect(200, { memberNumber: 'C-2026-0042', months: [] });
    });

    it('sums the payments of the period per month and merchant category, oldest month first', async () => {
      const taro = await suite.get('/internal/v1/members/C-2026-0001/monthly-spending?from=2026-09-07&to=2026-12-05').expect(200);
      expect(taro.body).toEqual({
        memberNumber: 'C-2026-0001',
        months: [
          { month: '2026-11', category: 'lodging', amountYen: 18000 },
          { month: '2026-11', category: 'retail', amountYen: 3240 },
          { month: '2026-11', category: 'transport', amountYen: 100 },
          { month: '2026-12', category: 'onsen', amountYen: 500 },
          { month: '2026-12', category: 'restaurant', amountYen: 860 },
        ],
      });
      const hanako = await suite.get('/internal/v1/members/C-2026-0002/monthly-spending?from=2026-11-01&to=2026-12-05').expect(200);
      expect(hanako.body.months).toEqual([
        { month: '2026-11', category: 'onsen', amountYen: 600 },
        { month: '2026-11', category: 'restaurant', amountYen: 1100 },
        { month: '2026-12', category: 'onsen', amountYen: 1100 },
        { month: '2026-12', category: 'retail', amountYen: 1280 },
      ]);
    });

    it('counts only payments dated within the period, by the Japan calendar', async () => {
      await suite.app.get(MemberRepository).insertPayment({
        paymentId: 'P-TEST-001', memberNumber: 'C-2026-0003', paidAt: new Date('2026-12-01T15:30:00Z'), // 00:30 on 2 December in Japan
        merchantName: '倉吉 タクシー', merchantCategory: 'transport', amountYen: 1300, pointsEarned: 13,
      });
      await suite.get('/internal/v1/members/C-2026-0003/monthly-spending?from=2026-12-02&to=2026-12-02')
        .expect(200, { memberNumber: 'C-2026-0003', months: [{ month: '2026-12', category: 'transport', amountYen: 1300 }] });
      await suite.get('/internal/v1/members/C-2026-0003/monthly-spending?from=2026-12-01&to=2026-12-01').expect(200, { memberNumber: 'C-2026-0003', months: [] });
    });

    it('answers an unknown member number with 404 record_not_found as JSON, even to a browser', async () => {
      for (const path of ['/internal/v1/members/C-2026-0999/points', '/internal/v1/members/C-2026-0999/monthly-spending?from=2026-11-01&to=2026-11-30']) {
        const res = await suite.get(path).set('accept', 'text/html').expect(404);
        expect(res.headers['content-type']).toMatch(/application\/json/);
        expect(res.body.error).toMatchObject({ code: 'record_not_found', messageEn: 'There is no member C-2026-0999.' });
      }
    });

    it('refuses bad dates, a reversed or too long period, and unknown or repeated parameters with 400 invalid_request', async () => {
      const base = '/internal/v1/members/C-2026-0001/monthly-spending';
      const cases: [string, string][] = [
        ['?from=2026-02-30&to=2026-03-01', 'from'],
        ['?from=2026-11-01&to=2026-11-1', 'to'],
        ['?from=2026-11-01', 'to'],
        ['?from=2026-11-30&to=2026-11-01', 'from'],
        ['?from=2025-11-01&to=2026-11-30', 'to'],
        ['?from=2026-11-01&to=2026-11-30&limit=5', 'limit'],
        ['?from=2026-11-01&from=2026-11-02&to=2026-11-30', 'from'],
      ];
      for (const [query, field] of cases) {
        const res = await suite.get(`${base}${query}`).expect(400);
        expect(res.body.error.code).toBe('invalid_request');
        expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      }
      await suite.get('/internal/v1/members/C-2026-0001/points?from=2026-11-01').expect(400);
    });

    it('refuses a malformed member number with 400 invalid_request', async () => {
      for (const id of ['c-2026-0001', 'C-2026-00011', '..%2Fpoints']) {
        const res = await suite.get(`/internal/v1/members/${id}/points`).expect(400);
        expect(res.body.error).toMatchObject({ code: 'invalid_request', details: [expect.objectContaining({ field: 'memberNumber' })] });
      }
    });

    it('refuses a request a proxy forwarded, as it does not come from this machine', async () => {
      const res = await suite.get('/internal/v1/members/C-2026-0001/points').set('x-forwarded-for', '203.0.113.9').expect(403);
      expect(res.body.error.code).toBe('service_forbidden');
    });

    it('answers unknown internal paths with a JSON 404', async () => {
      const res = await suite.get('/internal/v1/members/C-2026-0001/payments').set('accept', 'text/html').expect(404);
      expect(res.body.error.code).toBe('not_found');
    });
  });

  describe('with a service token', () => {
    const suite = appPerSuite(() => createApp(config({ CONNECTOR_SERVICE_TOKEN: TOKEN }), { clock: { now: () => NOW } }));

    it('answers the connector presenting the token', async () => {
      await suite.get('/internal/v1/members/C-2026-0002/points').set('authorization', `Bearer ${TOKEN}`)
        .expect(200, { memberNumber: 'C-2026-0002', pointsBalance: 3480, asOf: NOW.toISOString() });
    });

    it('refuses a missing or wrong token with 401 service_unauthorized, before looking at the parameters', async () => {
      for (const auth of [undefined, 'Bearer wrong-token-wrong-token', `Basic ${TOKEN}`, TOKEN]) {
        const req = suite.get('/internal/v1/members/not-a-member/points');
        const res = await (auth ? req.set('authorization', auth) : req).expect(401);
        expect(res.body.error.code).toBe('service_unauthorized');
        expect(res.headers['www-authenticate']).toBe('Bearer realm="internal"');
      }
    });
  });
});
