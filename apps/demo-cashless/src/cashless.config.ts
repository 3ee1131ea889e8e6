import { loadConfig } from '@tsunagu/config';
import { type DemoConfig, type DemoSettings, demoConfigSchema, demoSettingsFrom } from '@tsunagu/demo-kit';

/** Every setting of the cashless demo (see DemoConfig); its own ones start with `DEMO_CASHLESS_`. */
export type CashlessConfig = DemoConfig<'DEMO_CASHLESS'>;

export const DEV_CASHLESS_CLIENT_SECRET = 'demo-cashless-secret';

const CASHLESS = { prefix: 'DEMO_CASHLESS', serviceName: 'demo-cashless', defaultPort: 3101, devClientSecret: DEV_CASHLESS_CLIENT_SECRET } as const;

export const cashlessConfigSchema = demoConfigSchema(CASHLESS);

export function loadCashlessConfig(env: NodeJS.ProcessEnv = process.env): CashlessConfig {
  return loadConfig(cashlessConfigSchema, env);
}

/** The shared demo settings for this service; refuses development secrets in production. */
export function cashlessSettings(config: CashlessConfig): DemoSettings {
  return demoSettingsFrom(CASHLESS, config);
}
