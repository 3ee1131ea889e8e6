import type { NestExpressApplication } from '@nestjs/platform-express';
import { redactConfig } from '@tsunagu/config';
import { type DemoKitOptions, type RunningDemo, createDemoApp, listenDemoApp } from '@tsunagu/demo-kit';
import { AppLogger, configureLogger, LogKind } from '@tsunagu/logger';
import { type CashlessConfig, cashlessConfigSchema, cashlessSettings, loadCashlessConfig } from './cashless.config';
import { CashlessModule } from './cashless.module';

/** Test hooks (a controllable clock, a stand-in network); never set in production. */
export type CashlessOverrides = Omit<DemoKitOptions, 'settings' | 'profile'>;

/** Builds the cashless demo (initialised, not listening): supertest can drive `app.getHttpServer()`. */
export function createApp(config: CashlessConfig = loadCashlessConfig(), overrides: CashlessOverrides = {}): Promise<NestExpressApplication> {
  const settings = cashlessSettings(config);
  configureLogger({ level: settings.logLevel, service: settings.serviceName });
  new AppLogger('DemoApp').debug(LogKind.Event, `${settings.serviceName} configuration`, { config: redactConfig(cashlessConfigSchema, config) });
  return createDemoApp(CashlessModule.register({ ...overrides, settings }));
}

/** Builds and starts the cashless demo on DEMO_CASHLESS_HOST:DEMO_CASHLESS_PORT (0 = a free port). */
export async function bootstrap(config: CashlessConfig = loadCashlessConfig(), overrides: CashlessOverrides = {}): Promise<RunningDemo> {
  return listenDemoApp(await createApp(config, overrides));
}

export { loadCashlessConfig, type CashlessConfig };
