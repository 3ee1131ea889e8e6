import type { NestExpressApplication } from '@nestjs/platform-express';
import { redactConfig } from '@tsunagu/config';
import { type DemoKitOptions, type RunningDemo, createDemoApp, listenDemoApp } from '@tsunagu/demo-kit';
import { AppLogger, configureLogger, LogKind } from '@tsunagu/logger';
import { type MisasaConfig, misasaConfigSchema, loadMisasaConfig, misasaSettings } from './misasa.config';
import { MisasaHealthModule } from './misasa.module';

/** Test hooks (a controllable clock, a stand-in network); never set in production. */
export type MisasaOverrides = Omit<DemoKitOptions, 'settings' | 'profile'>;

/** Builds the Misasa health demo (initialised, not listening): supertest can drive `app.getHttpServer()`. */
export function createApp(config: MisasaConfig = loadMisasaConfig(), overrides: MisasaOverrides = {}): Promise<NestExpressApplication> {
  const settings = misasaSettings(config);
  configureLogger({ level: settings.logLevel, service: settings.serviceName });
  new AppLogger('DemoApp').debug(LogKind.Event, `${settings.serviceName} configuration`, { config: redactConfig(misasaConfigSchema, config) });
  return createDemoApp(MisasaHealthModule.register({ ...overrides, settings }));
}

/** Builds and starts the Misasa health demo on DEMO_MISASA_HOST:DEMO_MISASA_PORT (0 = a free port). */
export async function bootstrap(config: MisasaConfig = loadMisasaConfig(), overrides: MisasaOverrides = {}): Promise<RunningDemo> {
  return listenDemoApp(await createApp(config, overrides));
}

export { loadMisasaConfig, type MisasaConfig };
