import { demoAppSuite } from '@tsunagu/demo-kit/testing';
import { createApp } from './app';
import { loadCashlessConfig } from './cashless.config';
import { CashlessModule } from './cashless.module';

describe(CashlessModule.name, () => {
  demoAppSuite({
    start: (hubUrl) => createApp(loadCashlessConfig({ DEMO_STORE: 'memory', DEMO_CASHLESS_PORT: '0', HUB_URL: hubUrl, DEMO_CASHLESS_PUBLIC_URL: 'http://localhost:3101' })),
    brand: 'とっとりキャッシュレス（デモ）',
    sessionCookie: 'demo-cashless.sid',
    clientId: 'demo-cashless',
    publicUrl: 'http://localhost:3101',
    privacyContact: 'privacy@cashless.example.jp',
    localId: 'C-2026-0001',
  });
});
