import { Controller, Get, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { html } from './html';
import { Lang } from './lang';
import { WantsJson, WebReply, WebReplyExpressAdapter } from './web-reply';

@Controller()
class ExampleController {
  @Get('page')
  page(@Lang() lang: Lang): WebReply {
    return WebReply.page(html`<p>${lang}</p>`).noStore();
  }

  @Post('form')
  form(): WebReply {
    return WebReply.page(html`<p>again</p>`, 400);
  }

  @Post('done')
  done(): WebReply {
    return WebReply.seeOther('/page?done=1').cookie({ name: 'flash', value: 'saved', maxAgeMs: 60_000 });
  }

  @Post('out')
  out(): WebReply {
    return WebReply.seeOther('/').cookie({ name: 'sid', value: '', maxAgeMs: 0, secure: true });
  }

  @Get('jwt')
  jwt(): WebReply {
    return WebReply.text('a.b.c', 'application/jwt').noStore();
  }

  @Get('either')
  either(@WantsJson() json: boolean): WebReply {
    return json ? WebReply.json({ ok: true }, 202) : WebReply.page(html`<p>ok</p>`);
  }

  @Post('plain')
  plain(): { ok: boolean } {
    return { ok: true };
  }
}

describe(WebReplyExpressAdapter.name, () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ExampleController] }).compile();
    app = moduleRef.createNestApplication(new WebReplyExpressAdapter());
    await app.init();
  });
  afterAll(() => app?.close());

  it('answers a page with its own status, type and headers, in the page language', async () => {
    const res = await request(app.getHttpServer()).get('/page?lang=en');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toBe('<p>en</p>');
  });

  it('keeps a page\'s status on a POST instead of Nest\'s 201', async () => {
    const res = await request(app.getHttpServer()).post('/form');
    expect(res.status).toBe(400);
    expect(res.text).toBe('<p>again</p>');
  });

  it('answers a form post with 303 See Other and sets its cookie', async () => {
    const res = await request(app.getHttpServer()).post('/done');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/page?done=1');
    expect(res.headers['set-cookie'][0]).toMatch(/^flash=saved; Max-Age=60; Path=\/; Expires=.*; HttpOnly; SameSite=Lax$/);
  });

  it('clears a cookie with the attributes it was set with', async () => {
    const res = await request(app.getHttpServer()).post('/out');
    expect(res.headers['set-cookie'][0]).toMatch(/^sid=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax$/);
  });

  it('answers a body of another media type as it is', async () => {
    const res = await request(app.getHttpServer()).get('/jwt');
    expect([res.status, res.headers['content-type'], res.headers['cache-control'], res.text]).toEqual([200, 'application/jwt; charset=utf-8', 'no-store', 'a.b.c']);
  });

  it('answers JSON when the caller asks for it, and leaves other results to Nest', async () => {
    const json = await request(app.getHttpServer()).get('/either').set('accept', 'application/json');
    expect(json.status).toBe(202);
    expect(json.body).toEqual({ ok: true });
    expect((await request(app.getHttpServer()).get('/either').set('accept', 'text/html')).text).toBe('<p>ok</p>');
    const plain = await request(app.getHttpServer()).post('/plain');
    expect(plain.status).toBe(201);
    expect(plain.body).toEqual({ ok: true });
  });
});
