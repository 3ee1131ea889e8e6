import { Test } from '@nestjs/testing';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { systemClock } from '@tsunagu/common';
import { CONNECTOR_CONFIG, CONNECTOR_IDENTITY } from '../connector.tokens';
import { RevocationSet } from '../revocations/revocation-set';
import { shippedConfig } from '../testing/test-connector';
import { HealthController } from './health.controller';

describe(HealthController.name, () => {
  async function app(name: 'cashless' | 'misasa-health', consumerOnly = false): Promise<{ app: INestApplication; set: RevocationSet }> {
    const shipped = shippedConfig(name, { id: `conn-${name}`, hubUrl: 'http://127.0.0.1:9', serviceUrl: 'http://127.0.0.1:9', publicUrl: 'http://connector.test' });
    const config = consumerOnly ? { ...shipped, offers: [] } : shipped;
    const set = new RevocationSet(config, systemClock);
    const moduleRef = await Test.createTestingModule({
      controllers: [HealthController],
      providers: [
        { provide: CONNECTOR_CONFIG, useValue: config },
        { provide: CONNECTOR_IDENTITY, useValue: { id: `conn-${name}`, name } },
        { provide: RevocationSet, useValue: set },
      ],
    }).compile();
    const nest = moduleRef.createNestApplication({ logger: false });
    await nest.init();
    return { app: nest, set };
  }

  it('is live but not ready while a provider has not synced its revocation set, then ready', async () => {
    const { app: nest, set } = await app('misasa-health');
    try {
      expect((await request(nest.getHttpServer()).get('/health')).status).toBe(200);
      const notReady = await request(nest.getHttpServer()).get('/health/ready');
      expect(notReady.status).toBe(503);
      expect(notReady.body).toMatchObject({ status: 'degraded', revocations: { fresh: false, lastSyncAt: null } });
      set.markSynced(new Date(), 6);
      const ready = await request(nest.getHttpServer()).get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'ok', revocations: { fresh: true, stalenessSeconds: 6 } });
    } finally {
      await nest.close();
    }
  });

  it('is ready at once when it provides nothing (a consumer only)', async () => {
    const { app: nest } = await app('cashless', true);
    try {
      expect((await request(nest.getHttpServer()).get('/health/ready')).status).toBe(200);
    } finally {
      await nest.close();
    }
  });
});
