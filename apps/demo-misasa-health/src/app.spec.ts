import { demoAppSuite } from '@tsunagu/demo-kit/testing';
import { createApp } from './app';
import { loadMisasaConfig } from './misasa.config';
import { MisasaHealthModule } from './misasa.module';

describe(MisasaHealthModule.name, () => {
  demoAppSuite({
    start: (hubUrl) => createApp(loadMisasaConfig({ DEMO_STORE: 'memory', DEMO_MISASA_PORT: '0', HUB_URL: hubUrl, DEMO_MISASA_PUBLIC_URL: 'http://localhost:3102' })),
    brand: '三朝温泉ヘルスケア（デモ）',
    sessionCookie: 'demo-misasa-health.sid',
    clientId: 'demo-misasa-health',
    publicUrl: 'http://localhost:3102',
    privacyContact: 'kenko@town.misasa.example.jp',
    localId: 'MH-0001',
  });
});
