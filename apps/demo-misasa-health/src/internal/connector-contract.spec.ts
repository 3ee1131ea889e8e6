import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { HttpAdapter } from '../../../connector/src/adapters/http.adapter';
import { OfferCatalog } from '../../../connector/src/adapters/offer-catalog';
import { loadConnectorConfigFile } from '../../../connector/src/config/connector-file';
import { createApp } from '../app';
import { loadMisasaConfig } from '../misasa.config';
import { simulatedSteps } from '../seed/misasa.seed';

const NOW = new Date('2026-11-22T03:00:00Z');
const TOKEN = 'misasa-service-token-for-tests';
const yaml = join(__dirname, '../../../../connector-configs/misasa-health.yaml');

/** The connector's own adapter, configured by connector-configs/misasa-health.yaml, against this demo. */
describe('connector-configs/misasa-health.yaml against the Misasa health demo', () => {
  let app: NestExpressApplication;
  let serviceUrl: string;

  beforeAll(async () => {
    app = await createApp(loadMisasaConfig({ DEMO_STORE: 'memory', DEMO_MISASA_PORT: '0', HUB_URL: 'http://127.0.0.1:9', CONNECTOR_SERVICE_TOKEN: TOKEN }), { clock: { now: () => NOW } });
    await app.listen(0, '127.0.0.1');
    serviceUrl = await app.getUrl();
  });
  afterAll(() => app?.close());

  function adapterFor(): { adapter: HttpAdapter; catalog: OfferCatalog; config: ReturnType<typeof loadConnectorConfigFile> } {
    const file = loadConnectorConfigFile(yaml);
    const config = { ...file, service: { ...file.service, url: serviceUrl } };
    return { adapter: new HttpAdapter(config, { serviceToken: TOKEN }, (input, init) => fetch(input, init)), catalog: new OfferCatalog(config), config };
  }

  it('points the adapters at the demo default port', () => {
    expect(loadConnectorConfigFile(yaml).service.url).toBe('http://localhost:3102');
  });

  it('turns the demo answers into items valid against every offer schema, leaving time and bath minutes in the app', async () => {
    const { adapter, catalog, config } = adapterFor();
    const items = await adapter.fetchItems(config.offers, 'MH-0001', { from: '2026-11-12', to: '2026-11-22' }, NOW);
    expect(items).toEqual({
      'misasa-health.daily-steps': Array.from({ length: 10 }, (_, i) => `2026-11-${12 + i}`).map((date) => ({ date, steps: simulatedSteps('MH-0001', 6800, date) })),
      'misasa-health.onsen-visits': [
        { date: '2026-11-13', facilityId: 'misasa-yukarisou-daiyokujo', facilityName: '三朝温泉 旅館 ゆかり荘 大浴場' },
        { date: '2026-11-21', facilityId: 'misasa-kabuyu', facilityName: '三朝温泉 株湯' },
      ],
    });
    for (const [code, value] of Object.entries(items)) expect(catalog.offer(code)!.validate(value)).toBe(true);
  });

  it('uses the offers default windows when no period is asked for', async () => {
    const { adapter, config } = adapterFor();
    const items = await adapter.fetchItems(config.offers, 'MH-0002', undefined, NOW);
    expect((items['misasa-health.daily-steps'] as unknown[]).length).toBe(13); // 14-day window ending today; today is not recorded yet
    expect((items['misasa-health.onsen-visits'] as unknown[]).length).toBe(5);
  });

  it('surfaces an unknown user as provider_record_not_found', async () => {
    const { adapter, config } = adapterFor();
    await expect(adapter.fetchItems(config.offers, 'MH-0999', undefined, NOW)).rejects.toMatchObject({ code: 'provider_record_not_found' });
  });
});
