import 'reflect-metadata';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import cookieParser from 'cookie-parser';
import type Provider from 'oidc-provider';
import { clientAddressForLogs, inputGuardMiddleware } from '@tsunagu/common';
import { noStoreByDefault, SECURE_COOKIES, WebReplyExpressAdapter } from '@tsunagu/web';
import { redactConfig } from '@tsunagu/config';
import { accessLogMiddleware, AppLogger, configureLogger, correlationMiddleware, LogKind, NestWinstonLogger } from '@tsunagu/logger';
import { type HubConfig, hubConfigSchema, loadHubConfig, logDirOf } from './platform/config/hub.config';
import { closeHubDatabase, openHubDatabase } from './platform/database/hub-database';
import { bodyParsers } from './platform/http/body-parsers';
import { securityHeaders } from './platform/http/security-headers';
import { requestOriginMiddleware } from './platform/http/request-origin.middleware';
import { HubModule } from './hub.module';
import { OIDC_PATH, OIDC_PROVIDER } from './identity/oidc/oidc-provider.factory';
import { isUnder, oidcFront } from './identity/oidc/oidc-front';
import { SecretBox } from './platform/keys/secret-box';
import { createRedis } from './platform/redis/redis.provider';
import { SeedService } from './seed/seed.service';
import { hostname } from 'node:os';
import { httpMetricsMiddleware, metricsEndpoint, ServiceMetrics } from '@tsunagu/metrics';

export interface RunningHub {
  app: NestExpressApplication;
  config: HubConfig;
  url: string;
  close(): Promise<void>;
}

/**
 * The development key encryption key: generated once into DATA_DIR (0600). Production must set
 * KEY_ENCRYPTION_KEY (config refuses to start otherwise).
 */
function developmentKeyEncryptionKey(dataDir: string): string {
  const file = join(dataDir, 'key-encryption.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const key = SecretBox.generateKey();
  writeFileSync(file, key, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}

/**
 * Starts one hub process: database (embedded or configured), Redis if configured, HTTP.
 * @param env the environment to read the config from (default: the process's).
 */
export async function startHub(env?: NodeJS.ProcessEnv): Promise<RunningHub> {
  const logger = new AppLogger('Hub');
  const config = loadHubConfig(env);
  configureLogger({ level: config.LOG_LEVEL, service: 'hub', fileDir: logDirOf(config) });
  logger.debug(LogKind.Event, 'Hub configuration', { config: redactConfig(hubConfigSchema, config) });
  const database = await openHubDatabase(config);
  const redis = config.REDIS_URL ? createRedis(config.REDIS_URL) : undefined;
  const secretBox = new SecretBox(config.KEY_ENCRYPTION_KEY ?? developmentKeyEncryptionKey(config.DATA_DIR));
  // One registry per process: replicas are told apart by instance (host and port).
  const metrics = new ServiceMetrics('hub', `${hostname()}:${config.PORT}`);

  const app = await NestFactory.create<NestExpressApplication>(
    HubModule.forRoot({ config, dataSource: database.dataSource, secretBox, redis, metrics, embedded: database.embedded }),
    new WebReplyExpressAdapter(),
    { bodyParser: false, logger: new NestWinstonLogger() },
  );
  app.set('trust proxy', config.TRUST_PROXY);
  app.disable('x-powered-by');
  app.set(SECURE_COOKIES, config.PUBLIC_URL.startsWith('https'));
  // The OpenID Provider first, with its own lean chain of the same duties (identity/oidc/oidc-front.ts).
  const provider = app.get<Provider>(OIDC_PROVIDER);
  const oidc = oidcFront({
    mountPath: OIDC_PATH, publicUrl: config.PUBLIC_URL, trustProxy: config.TRUST_PROXY, logTrustedProxies: config.ADMIN_TRUSTED_PROXIES,
    metrics, securityHeaders: securityHeaders(config.PUBLIC_URL), provider: provider.callback(),
  });
  app.use((req: Request, res: Response, next: NextFunction) => (isUnder(OIDC_PATH, req.originalUrl) ? oidc(req, res) : next()));
  app.use(correlationMiddleware, clientAddressForLogs(config.ADMIN_TRUSTED_PROXIES), accessLogMiddleware, httpMetricsMiddleware(metrics));
  // Before everything else that answers: the monitoring networks only, no session, no body.
  app.use('/metrics', metricsEndpoint(metrics, { allowed: config.METRICS_ALLOWED_CIDRS, trustedProxies: config.ADMIN_TRUSTED_PROXIES }));
  app.use(securityHeaders(config.PUBLIC_URL));
  app.use(noStoreByDefault); // personal answers are never cached unless a route says otherwise
  app.use(inputGuardMiddleware({ parsers: bodyParsers() })); // edge check of every request's text, before any route
  app.use(cookieParser());
  // Forms and script calls of the hub's own pages come from PUBLIC_URL's origin, or are refused (403).
  app.use(requestOriginMiddleware(config.PUBLIC_URL));
  app.use(...bodyParsers());

  await app.get(SeedService).run();
  await app.listen(config.PORT, config.HOST);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`;
  logger.log(LogKind.Event, 'Hub listening', { url, publicUrl: config.PUBLIC_URL, database: database.embedded ? 'embedded' : 'server', redis: !!redis });

  return {
    app, config, url,
    async close() {
      // bull 4 closes its blocking Redis clients by quitting and reconnecting them, and the
      // "Connection is closed." of a command cut off that way can surface as an unhandled rejection
      // a moment before bull handles it — which would end a closing hub with a crash instead of a
      // clean exit. While closing, that one error is expected; anything else still propagates.
      const closedConnection = (reason: unknown) => {
        if (!(reason instanceof Error && reason.message === 'Connection is closed.')) throw reason;
      };
      process.on('unhandledRejection', closedConnection);
      try {
        await app.close();
        await redis?.quit().catch(() => undefined);
        await closeHubDatabase(database);
        // Rejections of the cut-off commands are reported on a later tick.
        await new Promise((resolve) => setImmediate(resolve));
      } finally {
        process.off('unhandledRejection', closedConnection);
      }
    },
  };
}
