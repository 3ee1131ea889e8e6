import express from 'express';
import request from 'supertest';
import { requestOriginMiddleware } from './request-origin.middleware';

/** The middleware in front of a handler that counts how often it ran. */
function appBehind(publicUrl: string) {
  const app = express();
  const ran: string[] = [];
  app.use(requestOriginMiddleware(publicUrl));
  app.use(express.urlencoded({ extended: false }));
  app.all('/{*path}', (req, res) => {
    ran.push(`${req.method} ${req.path}`);
    res.status(200).send('handled');
  });
  return { app, ran };
}

describe('requestOriginMiddleware', () => {
  const PUBLIC = 'https://id.tottori.example';

  it('lets a same-origin form through to its handler', async () => {
    const { app, ran } = appBehind(PUBLIC);
    await request(app).post('/interaction/u1/login').set('origin', PUBLIC).set('sec-fetch-site', 'same-origin').type('form').send('loginId=a').expect(200);
    await request(app).post('/portal/consents/x/withdraw').set('origin', 'null').set('sec-fetch-site', 'same-origin').expect(200);
    expect(ran).toEqual(['POST /interaction/u1/login', 'POST /portal/consents/x/withdraw']);
  });

  it('refuses a cross-site form with a 403 page in the resident\'s language, before the handler runs', async () => {
    const { app, ran } = appBehind(PUBLIC);
    const ja = await request(app).post('/interaction/u1/login').set('origin', 'https://evil.example').set('sec-fetch-site', 'cross-site').type('form').send('loginId=a');
    expect(ja.status).toBe(403);
    expect(ja.type).toBe('text/html');
    expect(ja.text).toContain('他のサイトから送信された操作は受け付けられません');
    const en = await request(app).post('/admin/services/new?lang=en').set('sec-fetch-site', 'cross-site');
    expect(en.status).toBe(403);
    expect(en.text).toContain('A request sent from another site cannot be accepted');
    expect(ran).toEqual([]);
  });

  it('answers a script the typed JSON error', async () => {
    const { app, ran } = appBehind(PUBLIC);
    const res = await request(app).delete('/api/v1/portal/links/x').set('accept', 'application/json').set('origin', 'https://evil.example');
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'cross_site_request', message: expect.stringContaining('他のサイト'), messageEn: expect.stringContaining('another site') });
    expect(ran).toEqual([]);
  });

  it('refuses a same-site sibling origin', async () => {
    const { app, ran } = appBehind(PUBLIC);
    await request(app).post('/portal/consents/x/withdraw').set('origin', 'https://shop.tottori.example').set('sec-fetch-site', 'same-site').expect(403);
    expect(ran).toEqual([]);
  });

  it('leaves requests with neither header, and safe methods, to the routes', async () => {
    const { app, ran } = appBehind(PUBLIC);
    await request(app).post('/interaction/u1/login').type('form').send('loginId=a').expect(200);
    await request(app).get('/portal').set('origin', 'https://evil.example').set('sec-fetch-site', 'cross-site').expect(200);
    expect(ran).toEqual(['POST /interaction/u1/login', 'GET /portal']);
  });

  it('compares with the public origin behind a proxy, not the Host the request reached', async () => {
    const { app, ran } = appBehind('https://id.tottori.example/');
    await request(app).post('/portal/x').set('host', '10.0.0.5:3000').set('origin', 'https://id.tottori.example').expect(200);
    await request(app).post('/portal/x').set('host', '10.0.0.5:3000').set('origin', 'http://10.0.0.5:3000').expect(403);
    expect(ran).toEqual(['POST /portal/x']);
  });

  it('lets the machine and OpenID endpoints be called from anywhere', async () => {
    const { app, ran } = appBehind(PUBLIC);
    for (const path of ['/oidc/token', '/OIDC/auth', '/connect/v1/grants', '/api/v1/links']) {
      await request(app).post(path).set('origin', 'https://service.example').set('sec-fetch-site', 'cross-site').expect(200);
    }
    // Only those prefixes: a path that merely starts with the same letters is judged.
    await request(app).post('/oidcx').set('origin', 'https://service.example').expect(403);
    await request(app).post('/api/v1/linksx').set('origin', 'https://service.example').expect(403);
    expect(ran).toHaveLength(4);
  });
});
