import { demoConfigSuite } from '@tsunagu/demo-kit/testing';
import { loadMisasaConfig, misasaSettings } from './misasa.config';

describe(loadMisasaConfig.name, () => {
  demoConfigSuite({
    prefix: 'DEMO_MISASA', load: loadMisasaConfig, settings: misasaSettings, publicUrl: 'https://misasa.example.jp',
    defaults: { serviceName: 'demo-misasa-health', port: 3102, clientId: 'demo-misasa-health', clientSecret: 'demo-misasa-health-secret' },
  });
});
