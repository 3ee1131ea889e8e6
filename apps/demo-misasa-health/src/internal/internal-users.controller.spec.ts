import request from 'supertest';
import { appPerSuite } from '@tsunagu/demo-kit/testing';
import { ActivityRepository } from '../activity/activity.repository';
import { createApp } from '../app';
import { loadMisasaConfig } from '../misasa.config';
import { simulatedSteps } from '../seed/misasa.seed';
import { InternalUsersController } from './internal-users.controller';

const NOW = new Date('2026-11-22T03:00:00Z'); // 12:00 on 22 November in Japan
const TOKEN = 'misasa-service-token-for-tests';
const config = (extra: Record<string, string> = {}) =>
  loadMisasaConfig({ DEMO_STORE: 'memory', DEMO_MISASA_PORT: '0', HUB_URL: 'http://127.0.0.1:9', ...extra });

describe(InternalUsersController.name, () => {
  describe('without a service token (loopback callers only)', () => {
    const suite = appPerSuite(() => createApp(config(), { clock: { now: () => NOW } }));

    it('answers the recorded days of the period only, oldest first, uncached', async () => {
      const res = await suite.get('/internal/v1/users/MH-0001/daily-steps?from=2026-11-18&to=2026-11-22').expect(200);
      expect(res.body).toEqual({
        userId: 'MH-0001',
        days: ['2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21'].map((day) => ({ day, steps: simulatedSteps('MH-0001', 6800, day) })),
      });
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('answers steps recorded after the start', async () => {
      await suite.app.get(ActivityRepository).insertStepsIfAbsent('MH-0003', { day: '2026-11-22', steps: 1234 });
      const res = await suite.get('/internal/v1/users/MH-0003/daily-steps?from=2026-11-22&to=2026-11-22').expect(200);
      expect(res.body).toEqual({ userId: 'MH-0003', days: [{ day: '2026-11-22', steps: 1234 }] });
    });

    it('answers the onsen visits of the period with Japan date, time and facility slug, oldest first', async () => {
      await suite.get('/internal/v1/users/MH-0001/onsen-visits?from=2026-11-21&to=2026-11-22').expect(200, {
        userId: 'MH-0001',
        visits: [{ date: '2026-11-21', time: '18:30', facilityId: 'misasa-kabuyu', facility: '三朝温泉 株湯', bathMinutes: 25 }],
      });
      const hanako = await suite.get('/internal/v1/users/MH-0002/onsen-visits?from=2026-11-15&to=2026-11-22').expect(200);
      expect(hanako.body.visits).toEqual([
        { date: '2026-11-15', time: '06:55', facilityId: 'misasa-tamawari-no-yu', facility: '三朝温泉 たまわりの湯', bathMinutes: 35 },
        { date: '2026-11-17', time: '19:10', facilityId: 'misasa-kawara-buro', facility: '三朝温泉 河原風呂', bathMinutes: 15 },
        { date: '2026-11-20', time: '16:40', facilityId: 'misasa-kabuyu', facility: '三朝温泉 株湯', bathMinutes: 20 },
        { date: '2026-11-21', time: '07:00', facilityId: 'misasa-tamawari-no-yu', facility: '三朝温泉 たまわりの湯', bathMinutes: 30 },
      ]);
    });

    it('dates a visit by the Japan calendar', async () => {
      await suite.app.get(ActivityRepository).insertVisit({
        visitId: 'V-TEST-001', userId: 'MH-0003', facility: '三朝温泉 株湯', facilityId: 'misasa-kabuyu',
        visitedAt: new Date('2026-11-18T15:10:00Z'), bathMinutes: 10, // 00:10 on 19 November in Japan
      });
      const res = await suite.get('/internal/v1/users/MH-0003/onsen-visits?from=2026-11-19&to=2026-11-19').expect(200);
      expect(res.body.visits).toEqual([{ date: '2026-11-19', time: '00:10', facilityId: 'misasa-kabuyu', facility: '三朝温泉 株湯', bathMinutes: 10 }]);
      await suite.get('/internal/v1/users/MH-0003/onsen-visits?from=2026-11-18&to=2026-11-18').expect(200, { userId: 'MH-0003', visits: [] });
    });

    it('answers an unknown user ID with 404 record_not_found as JSON', async () => {
      for (const item of ['daily-steps', 'onsen-visits']) {
        const res = await suite.get(`/internal/v1/users/MH-0999/${item}?from=2026-11-01&to=2026-11-22`).set('accept', 'text/html').expect(404);
        expect(res.headers['content-type']).toMatch(/application\/json/);
        expect(res.body.error).toMatchObject({ code: 'record_not_found', messageEn: 'There is no user MH-0999.' });
      }
    });

    it('refuses bad dates, a reversed period and a malformed user ID with 400 invalid_request', async () => {
      for (const path of [
        '/internal/v1/users/MH-0001/daily-steps?from=2026-13-01&to=2026-11-22',
        '/internal/v1/users/MH-0001/daily-steps?to=2026-11-22',
        '/internal/v1/users/MH-0001/onsen-visits?from=2026-11-22&to=2026-11-21',
        '/internal/v1/users/MH-0001/onsen-visits?from=20261101&to=2026-11-22',
        '/internal/v1/users/mh-0001/onsen-visits?from=2026-11-01&to=2026-11-22',
      ]) {
        const res = await suite.get(path).expect(400);
        expect(res.body.error.code).toBe('invalid_request');
      }
    });

    it('refuses a request a proxy forwarded, as it does not come from this machine', async () => {
      await suite.get('/internal/v1/users/MH-0001/daily-steps?from=2026-11-18&to=2026-11-22').set('forwarded', 'for=203.0.113.9').expect(403)
        .expect((r) => expect(r.body.error.code).toBe('service_forbidden'));
    });
  });

  describe('with a service token', () => {
    const suite = appPerSuite(() => createApp(config({ CONNECTOR_SERVICE_TOKEN: TOKEN }), { clock: { now: () => NOW } }));

    it('answers the connector presenting the token and refuses anyone else with 401', async () => {
      const path = '/internal/v1/users/MH-0002/daily-steps?from=2026-11-21&to=2026-11-21';
      await request(suite.app.getHttpServer()).get(path).set('authorization', `Bearer ${TOKEN}`)
        .expect(200, { userId: 'MH-0002', days: [{ day: '2026-11-21', steps: simulatedSteps('MH-0002', 9300, '2026-11-21') }] });
      const res = await request(suite.app.getHttpServer()).get(path).set('authorization', 'Bearer someone-elses-token').expect(401);
      expect(res.body.error.code).toBe('service_unauthorized');
      await request(suite.app.getHttpServer()).get(path).expect(401);
    });
  });
});
