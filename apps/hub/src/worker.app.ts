import 'reflect-metadata';
import type { Server } from 'node:http';
import { hostname } from 'node:os';
import { NestFactory } from '@nestjs/core';
import express from 'express';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppLogger, configureLogger, LogKind, NestWinstonLogger } from '@tsunagu/logger';
import { metricsEndpoint, ServiceMetrics } from '@tsunagu/metrics';
import { type HubConfig, loadHubConfig, logDirOf } from './platform/config/hub.config';
import { closeHubDatabase, openHubDatabase } from './platform/database/hub-database';
import { SecretBox } from './platform/keys/secret-box';
import { createRedis } from './platform/redis/redis.provider';
import { HubModule } from './hub.module';

export interface RunningWorker {
  context: INestApplicationContext;
  config: HubConfig;
  url: string;
  close(): Promise<void>;
}

/**
 * The hub's worker process (`npm run worker`, HUB_ROLE=worker): the same modules as a replica, no
 * HTTP routes — it runs the bull processors (revocation deliveries, CRL refresh, re-checks,
 * retention, backups) that the web replicas (HUB_ROLE=web) only add jobs to. A small HTTP server
 * on WORKER_PORT answers /health (database and Redis) and /metrics (the monitoring networks).
 */
export async function startWorker(env?: NodeJS.ProcessEnv): Promise<RunningWorker> {
  const config = loadHubConfig(env);
  if (config.HUB_ROLE !== 'worker') throw new Error('the worker runs with HUB_ROLE=worker (and REDIS_URL)');
  if (!config.KEY_ENCRYPTION_KEY) throw new Error('KEY_ENCRYPTION_KEY: the worker needs the replicas\' key (it signs revocation events)');
  configureLogger({ level: config.LOG_LEVEL, service: 'hub-worker', fileDir: logDirOf(config) });
  const logger = new AppLogger('Worker');
  const database = await openHubDatabase(config);
  const redis = createRedis(config.REDIS_URL!);
  const metrics = new ServiceMetrics('hub-worker', `${hostname()}:${config.WORKER_PORT}`);
  const context = await NestFactory.createApplicationContext(
    HubModule.forRoot({ config, dataSource: database.dataSource, secretBox: new SecretBox(config.KEY_ENCRYPTION_KEY), redis, metrics }),
    { logger: new NestWinstonLogger() },
  );
  context.enableShutdownHooks();
  const http = express();
  http.disable('x-powered-by');
  http.use('/metrics', metricsEndpoint(metrics, { allowed: config.METRICS_ALLOWED_CIDRS, trustedProxies: config.ADMIN_TRUSTED_PROXIES }));
  http.get('/health', (_req, res) => {
    const ds = context.get(DataSource);
    Promise.all([ds.query('SELECT 1'), redis.ping()]).then(
      () => res.json({ status: 'ok', role: 'worker' }),
      () => res.status(503).json({ status: 'degraded', role: 'worker' }),
    );
  });
  const server: Server = await new Promise((resolve) => {
    const s = http.listen(config.WORKER_PORT, config.HOST, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.WORKER_PORT;
  const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`;
  logger.log(LogKind.Event, 'Hub worker running', { url });
  return {
    context, config, url,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await context.close();
      await redis.quit().catch(() => undefined);
      await closeHubDatabase(database);
    },
  };
}
