import { loadConfig } from '@tsunagu/config';
import { type DemoConfig, type DemoSettings, demoConfigSchema, demoSettingsFrom } from '@tsunagu/demo-kit';

/** Every setting of the Misasa health demo (see DemoConfig); its own ones start with `DEMO_MISASA_`. */
export type MisasaConfig = DemoConfig<'DEMO_MISASA'>;

export const DEV_MISASA_CLIENT_SECRET = 'demo-misasa-health-secret';

const MISASA = { prefix: 'DEMO_MISASA', serviceName: 'demo-misasa-health', defaultPort: 3102, devClientSecret: DEV_MISASA_CLIENT_SECRET } as const;

export const misasaConfigSchema = demoConfigSchema(MISASA);

export function loadMisasaConfig(env: NodeJS.ProcessEnv = process.env): MisasaConfig {
  return loadConfig(misasaConfigSchema, env);
}

/** The shared demo settings for this service; refuses development secrets in production. */
export function misasaSettings(config: MisasaConfig): DemoSettings {
  return demoSettingsFrom(MISASA, config);
}
