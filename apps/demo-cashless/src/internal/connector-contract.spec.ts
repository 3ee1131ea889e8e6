import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { HttpAdapter } from '../../../connector/src/adapters/http.adapter';
import { OfferCatalog } from '../../../connector/src/adapters/offer-catalog';
import { loadConnectorConfigFile } from '../../../connector/src/config/connector-file';
import { createApp } from '../app';
import { loadCashlessConfig } from '../cashless.config';

const NOW = new Date('2026-12-05T03:00:00Z');
const TOKEN = 'cashless-service-token-for-tests';
const yaml = join(__dirname, '../../../../connector-configs/cashless.yaml');

/** The connector's own adapter, configured by connector-configs/cashless.yaml, against this demo. */
describe('connector-configs/cashless.yaml against the cashless demo', () => {
  let app: NestExpressApplication;
  let serviceUrl: string;

  beforeAll(async () => {
    app = await createApp(loadCashlessConfig({ DEMO_STORE: 'memory', DEMO_CASHLESS_PORT: '0', HUB_URL: 'http://127.0.0.1:9', CONNECTOR_SERVICE_TOKEN: TOKEN }), { clock: { now: () => NOW } });
    await app.listen(0, '127.0.0.1');
    serviceUrl = await app.getUrl();
  });
  afterAll(() => app?.close());

  function adapterFor(token: string): { adapter: HttpAdapter; catalog: OfferCatalog; config: ReturnType<typeof loadConnectorConfigFile> } {
    const file = loadConnectorConfigFile(yaml);
    const config = { ...file, service: { ...file.service, url: serviceUrl } };
    return { adapter: new HttpAdapter(config, { serviceToken: token }, (input, init) => fetch(input, init)), catalog: new OfferCatalog(config), config };
  }

  it('points the adapters at the demo default port', () => {
    expect(loadConnectorConfigFile(yaml).service.url).toBe('http://localhost:3101');
  });

  it('turns the demo answers into items valid against every offer schema', async () => {
    const { adapter, catalog, config } = adapterFor(TOKEN);
    const items = await adapter.fetchItems(config.offers, 'C-2026-0002', { from: '2026-11-01', to: '2026-12-05' }, NOW);
    expect(items).toEqual({
      'cashless.points-balance': { points: 3480, asOf: NOW.toISOString() },
      'cashless.monthly-spending': [
        { month: '2026-11', category: 'onsen', amountYen: 600 },
        { month: '2026-11', category: 'restaurant', amountYen: 1100 },
        { month: '2026-12', category: 'onsen', amountYen: 1100 },
        { month: '2026-12', category: 'retail', amountYen: 1280 },
      ],
    });
    for (const [code, value] of Object.entries(items)) expect(catalog.offer(code)!.validate(value)).toBe(true);
  });

  it('surfaces an unknown member as provider_record_not_found and a wrong token as provider_unavailable', async () => {
    const { adapter, config } = adapterFor(TOKEN);
    await expect(adapter.fetchItems(config.offers, 'C-2026-0999', undefined, NOW)).rejects.toMatchObject({ code: 'provider_record_not_found' });
    const wrong = adapterFor('another-token-another-token');
    await expect(wrong.adapter.fetchItems(wrong.config.offers, 'C-2026-0001', undefined, NOW)).rejects.toMatchObject({ code: 'provider_unavailable' });
  });
});
