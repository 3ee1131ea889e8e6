import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
// The adapter's own module, given to NestFactory: Nest's default loads the package's index, and with it multer
// (file uploads, ~230 kB of source kept in the heap), which a connector never takes.
import { ExpressAdapter } from '@nestjs/platform-express/adapters/express-adapter';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { clientAddressForLogs, DomainExceptionFilter, inputGuardMiddleware } from '@tsunagu/common';
import { redactConfig } from '@tsunagu/config';
import { accessLogMiddleware, AppLogger, configureLogger, correlationMiddleware, LogKind, NestWinstonLogger } from '@tsunagu/logger';
import { PEER_STATISTICS_PATH, SET_CONTENT_TYPE } from '@tsunagu/contracts';
import { noStoreByDefault } from '@tsunagu/web';
import { type LoadedConnectorConfig, loadConnectorConfigFile, withEnvOverrides } from './config/connector-file';
import { type ConnectorEnv, connectorEnvSchema } from './connector.config';
import { ConnectorModule, type ConnectorRuntime, ConnectorShellModule } from './connector.module';
import type { ConnectorIdentity } from './connector.tokens';
import { HubKeys } from './hub-client/hub-keys';
import { httpMetricsMiddleware, metricsEndpoint, ServiceMetrics } from '@tsunagu/metrics';
import { type ConnectorKeys, readKeyFile, readRegistrationRecord } from './keys/connector-keys';

const filter = new DomainExceptionFilter();

/** Who may scrape /metrics unless CONNECTOR_METRICS_ALLOWED_CIDRS says otherwise. */
const LOOPBACK = '127.0.0.1/32,::1/128';

/** JSON for the API, raw text for pushed SETs; a malformed or oversized body gets a typed error. */
function bodyParsers(): RequestHandler[] {
  // A statistics grant names up to 200,000 residents: a larger body, on its one path only.
  const statisticsGrant = express.text({ type: 'application/jwt', limit: '8mb' });
  const onlyStatistics: RequestHandler = (req, res, next) => (req.path === PEER_STATISTICS_PATH ? statisticsGrant(req, res, next) : next());
  return [express.json({ limit: '64kb' }), express.text({ type: SET_CONTENT_TYPE, limit: '16kb' }), onlyStatistics].map((parser) =>
    (req: Request, res: Response, next: NextFunction) => parser(req, res, (error?: unknown) => {
      if (!error) return next();
      const raw = (error as { status?: number }).status ?? 400;
      const status = raw >= 500 ? 400 : raw;
      res.status(status).json(filter.toResponse({ status }).body);
    }));
}

/** Builds (does not start) the connector's HTTP application. */
export async function createConnectorApp(runtime: ConnectorRuntime): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ConnectorModule.forRoot(runtime), new ExpressAdapter(), { bodyParser: false, logger: new NestWinstonLogger() });
  app.disable('x-powered-by');
  const metrics = app.get(ServiceMetrics);
  app.use(httpMetricsMiddleware(metrics));
  app.use('/metrics', metricsEndpoint(metrics, runtime.metricsAccess ?? { allowed: LOOPBACK }));
  // The edge check runs the body parsers itself, so every path, query and body is checked before routing.
  app.use(correlationMiddleware, clientAddressForLogs(runtime.metricsAccess?.trustedProxies), accessLogMiddleware, noStoreByDefault, inputGuardMiddleware({ parsers: bodyParsers() }));
  app.enableShutdownHooks();
  return app;
}


/**
 * Who this connector is: `connector.id` from the file, else the registration record the
 * register command wrote — which must be for the key in the key file.
 */
export function resolveIdentity(config: LoadedConnectorConfig, keys: ConnectorKeys): ConnectorIdentity {
  if (config.connector.id) return { id: config.connector.id, name: config.connector.name };
  const record = readRegistrationRecord(config.keys.registrationFile);
  if (!record) {
    throw new Error(`${config.keys.registrationFile} does not exist: run \`npm run connector:register -- --config ${config.source}\` first`);
  }
  if (record.jkt !== keys.signing.kid) {
    throw new Error(`${config.keys.registrationFile} was written for another key: run the register command again`);
  }
  return { id: record.connectorId, name: config.connector.name };
}

/**
 * Starts one connector process from its validated environment. Log lines name the connector
 * (`connector-<name>`): from the file when there is one, once it is read; else from CONNECTOR_NAME.
 * `provisions` replaces how provision reports are kept (only the benchmark's baseline does).
 */
export async function startConnector(env: ConnectorEnv, provisions: Pick<ConnectorRuntime, 'provisions' | 'provisionStore'> = {}): Promise<{ app: NestExpressApplication; url: string }> {
  const logger = new AppLogger('Connector');
  configureLogger({ level: env.LOG_LEVEL, ...(env.CONNECTOR_CONFIG ? {} : { service: `connector-${env.CONNECTOR_NAME}` }) });
  logger.debug(LogKind.Event, 'Connector environment', { config: redactConfig(connectorEnvSchema, env) });
  if (!env.CONNECTOR_CONFIG) {
    const hubUrl = env.HUB_URL ?? 'http://localhost:3000';
    const app = await NestFactory.create(ConnectorShellModule.forRoot(env.CONNECTOR_NAME, hubUrl), new ExpressAdapter(), { logger: new NestWinstonLogger() });
    app.enableShutdownHooks();
    const port = env.CONNECTOR_PORT ?? 3201;
    await app.listen(port, env.CONNECTOR_HOST ?? '127.0.0.1');
    logger.warn(LogKind.Event, 'Connector running as a health-only shell: set CONNECTOR_CONFIG to a file of connector-configs/', { name: env.CONNECTOR_NAME, port });
    return { app: app as NestExpressApplication, url: `http://127.0.0.1:${port}` };
  }
  const config = withEnvOverrides(loadConnectorConfigFile(env.CONNECTOR_CONFIG), env);
  const { keys } = await readKeyFile(config.keys.file);
  const identity = resolveIdentity(config, keys);
  configureLogger({ service: `connector-${identity.name}`, ...(env.CONNECTOR_LOG_DIR ? { fileDir: env.CONNECTOR_LOG_DIR } : {}) });
  if (!env.CONNECTOR_SDK_TOKEN && config.dataUses.length) {
    logger.warn(LogKind.Event, 'No CONNECTOR_SDK_TOKEN: the SDK endpoints accept local callers only');
  }
  const app = await createConnectorApp({ config, identity, keys, secrets: { sdkToken: env.CONNECTOR_SDK_TOKEN, serviceToken: env.CONNECTOR_SERVICE_TOKEN },
    metricsAccess: { allowed: env.CONNECTOR_METRICS_ALLOWED_CIDRS ?? LOOPBACK, trustedProxies: env.CONNECTOR_TRUSTED_PROXIES }, ...provisions });
  await app.get(HubKeys).refresh().catch(() => undefined);
  await app.listen(config.listen.port, config.listen.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.listen.port;
  logger.log(LogKind.Event, 'Connector listening', { name: identity.name, connectorId: identity.id, port, offers: config.offers.length, dataUses: config.dataUses.length });
  return { app, url: `http://127.0.0.1:${port}` };
}
