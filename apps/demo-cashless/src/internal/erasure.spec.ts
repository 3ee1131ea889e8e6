import request from 'supertest';
import { ErasureController, ReceivedCopiesRepository } from '@tsunagu/demo-kit';
import { appPerSuite } from '@tsunagu/demo-kit/testing';
import { createApp } from '../app';
import { loadCashlessConfig } from '../cashless.config';

const config = () => loadCashlessConfig({ DEMO_STORE: 'memory', DEMO_CASHLESS_PORT: '0', HUB_URL: 'http://127.0.0.1:9' });

/** The cashless base's erasure callback (docs/manuals/vendor.md): its copy of what it received about a member is deleted, once per erasure. */
describe(ErasureController.name, () => {
  const suite = appPerSuite(() => createApp(config()));
  const body = { erasureId: 'dep-1', localId: 'C-2026-0001', items: ['misasa-health.daily-steps', 'misasa-health.onsen-visits'], reason: 'departure', requestedAt: new Date().toISOString() };

  it('deletes the member\'s received copies and answers the counts per item; a repeated request answers the same and deletes nothing else', async () => {
    const copies = suite.app.get(ReceivedCopiesRepository);
    await copies.keep('C-2026-0001', { 'misasa-health.daily-steps': [{ date: '2026-12-01', steps: 5000 }], 'misasa-health.onsen-visits': [] }, new Date());
    await copies.keep('C-2026-0002', { 'misasa-health.daily-steps': [{ date: '2026-12-01', steps: 100 }] }, new Date());
    const res = await request(suite.app.getHttpServer()).post('/internal/v1/erasure').send(body).expect(200);
    expect(res.body).toEqual({
      erased: [{ item: 'misasa-health.daily-steps', count: 1 }, { item: 'misasa-health.onsen-visits', count: 1 }],
      method: { ja: expect.stringContaining('削除'), en: expect.stringContaining('Deleted') },
    });
    expect(await copies.count('C-2026-0001')).toBe(0);
    expect(await copies.count('C-2026-0002')).toBe(1);
    await copies.keep('C-2026-0001', { 'misasa-health.daily-steps': [] }, new Date());
    await request(suite.app.getHttpServer()).post('/internal/v1/erasure').send(body).expect(200, res.body);
    expect(await copies.count('C-2026-0001')).toBe(1);
  });

  it('refuses a malformed request as invalid_request, with the field named', async () => {
    const res = await request(suite.app.getHttpServer()).post('/internal/v1/erasure').send({ ...body, extra: 1 }).expect(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', details: [{ field: 'extra' }] });
  });
});
