import { demoConfigSuite } from '@tsunagu/demo-kit/testing';
import { cashlessSettings, loadCashlessConfig } from './cashless.config';

describe(loadCashlessConfig.name, () => {
  demoConfigSuite({
    prefix: 'DEMO_CASHLESS', load: loadCashlessConfig, settings: cashlessSettings, publicUrl: 'https://cashless.example.jp',
    defaults: { serviceName: 'demo-cashless', port: 3101, clientId: 'demo-cashless', clientSecret: 'demo-cashless-secret' },
  });
});
