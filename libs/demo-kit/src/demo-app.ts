import type { AddressInfo } from 'node:net';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import session from 'express-session';
import { originOf, SECURE_COOKIES, WebReplyExpressAdapter } from '@tsunagu/web';
import { AppLogger, LogKind, NestWinstonLogger, accessLogMiddleware, correlationMiddleware } from '@tsunagu/logger';
import { CLOCK, type Clock } from '@tsunagu/common';
import { DEMO_PROFILE, type DemoProfile } from './demo-profile';
import { DemoRuntime } from './demo-settings';
import { CsrfGuard } from './web/csrf.guard';
import { DemoPageExceptionFilter } from './web/demo-page-exception.filter';
import { DemoSessionStore } from './web/demo-session.store';
import { sessionCookieName } from './web/demo.controllers';
import { rememberLanguage, securityHeaders } from './web/security-headers';
import { SessionRepository } from './web/session.repository';

const SESSION_MAX_AGE_MS = 8 * 60 * 60_000;

/**
 * Builds a demo service's Nest application (not listening yet): logging, security headers, cookies,
 * sessions on the demo's database, same-origin and CSRF checks on every state-changing request,
 * bilingual error pages.
 */
export async function createDemoApp(rootModule: DynamicModule): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(rootModule, new WebReplyExpressAdapter(), { logger: new NestWinstonLogger() });
  const runtime = app.get(DemoRuntime);
  const { settings } = runtime;
  if (settings.trustProxy) app.set('trust proxy', 1);
  app.set(SECURE_COOKIES, runtime.secureCookies);
  app.use(correlationMiddleware);
  app.use(accessLogMiddleware);
  app.use(securityHeaders(runtime));
  app.use(cookieParser());
  app.use(rememberLanguage);
  app.use(session({
    name: sessionCookieName(runtime),
    secret: settings.sessionSecret,
    store: new DemoSessionStore(app.get(SessionRepository), app.get<Clock>(CLOCK)),
    resave: false,
    saveUninitialized: false,
    proxy: settings.trustProxy,
    cookie: { httpOnly: true, sameSite: 'lax', secure: runtime.secureCookies, path: '/', maxAge: SESSION_MAX_AGE_MS },
  }));
  app.useGlobalFilters(new DemoPageExceptionFilter(app.get<DemoProfile>(DEMO_PROFILE)));
  app.useGlobalGuards(new CsrfGuard(() => originOf(runtime.publicUrl)));
  await app.init();
  return app;
}

/** A demo service listening on its port. */
export interface RunningDemo {
  app: NestExpressApplication;
  /** Where it listens, e.g. http://127.0.0.1:3101 (its public URL may differ behind a proxy). */
  url: string;
  port: number;
  publicUrl: string;
  close(): Promise<void>;
}

/** Starts a built demo app on its configured host and port (0 = any free port). */
export async function listenDemoApp(app: NestExpressApplication): Promise<RunningDemo> {
  const runtime = app.get(DemoRuntime);
  const { host, port, serviceName } = runtime.settings;
  await app.listen(port, host);
  const address = app.getHttpServer().address() as AddressInfo;
  runtime.listeningOn(address.port);
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  new AppLogger('DemoApp').log(LogKind.Event, `${serviceName} listening`, { url, publicUrl: runtime.publicUrl, issuer: runtime.issuer });
  return { app, url, port: address.port, publicUrl: runtime.publicUrl, close: () => app.close() };
}
