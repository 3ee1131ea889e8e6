import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';

/** The app of one `describe` block, with a shortcut for plain GET requests. */
export interface SuiteApp {
  readonly app: NestExpressApplication;
  get(path: string): request.Test;
}

/**
 * Starts a demo app before the tests of the enclosing `describe` and closes it after them.
 * Call inside `describe`; read `app` only inside tests (it exists once `beforeAll` ran).
 */
export function appPerSuite(start: () => Promise<NestExpressApplication>): SuiteApp {
  let app: NestExpressApplication | undefined;
  beforeAll(async () => {
    app = await start();
  });
  afterAll(() => app?.close());
  return {
    get app() {
      if (!app) throw new Error('the app is not started: read it inside a test');
      return app;
    },
    get(path) {
      return request(this.app.getHttpServer()).get(path);
    },
  };
}
