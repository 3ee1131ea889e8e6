import { Controller, Get, Header } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { html, noStoreByDefault, SECURE_COOKIES, WebReply, WebReplyExpressAdapter } from '@tsunagu/web';
import { LangCookieMiddleware } from './lang-cookie.middleware';

@Controller()
class DefaultsController {
  @Get('personal')
  personal(): WebReply {
    return WebReply.json({ name: '鳥取 太郎' }).cookie({ name: 'flash', value: 'x', maxAgeMs: 60_000 });
  }

  @Get('asset')
  @Header('cache-control', 'public, max-age=60')
  asset(): WebReply {
    return WebReply.page(html`<p>public</p>`);
  }
}

describe('HTTP defaults of the hub (libs/web noStoreByDefault, Secure cookies, the lang cookie)', () => {
  async function app(secure: boolean): Promise<NestExpressApplication> {
    const moduleRef = await Test.createTestingModule({ controllers: [DefaultsController] }).compile();
    const nest = moduleRef.createNestApplication<NestExpressApplication>(new WebReplyExpressAdapter(), { logger: false });
    nest.set(SECURE_COOKIES, secure);
    const lang = new LangCookieMiddleware();
    nest.use(noStoreByDefault, (req: never, res: never, next: () => void) => lang.use(req, res, next));
    await nest.init();
    return nest;
  }

  it('answers no-store unless the route says otherwise', async () => {
    const nest = await app(false);
    try {
      expect((await request(nest.getHttpServer()).get('/personal')).headers['cache-control']).toBe('no-store');
      expect((await request(nest.getHttpServer()).get('/asset')).headers['cache-control']).toBe('public, max-age=60');
      expect((await request(nest.getHttpServer()).get('/nowhere')).headers['cache-control']).toBe('no-store');
    } finally {
      await nest.close();
    }
  });

  it('sets every cookie Secure when the app is served over https, and not otherwise', async () => {
    for (const secure of [true, false]) {
      const nest = await app(secure);
      try {
        const res = await request(nest.getHttpServer()).get('/personal?lang=en');
        const cookies = [res.headers['set-cookie'] ?? []].flat() as string[];
        expect(cookies.map((c) => c.split('=')[0]).sort()).toEqual(['flash', 'lang']);
        for (const cookie of cookies) expect(/;\s*Secure/i.test(cookie)).toBe(secure);
      } finally {
        await nest.close();
      }
    }
  });
});
