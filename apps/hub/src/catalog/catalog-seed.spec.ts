import { join } from 'node:path';
import { loadConnectorConfigFile } from '../../../connector/src/config/connector-file';
import { SEED_DATA_OFFERS } from './catalog.seed';

/**
 * The demo's connectors publish their configuration's offers at every start: they must say
 * exactly what the demo seed published, or each start would leave a new draft version for the
 * tenant admin to review.
 */
describe('demo catalog seed', () => {
  it.each(['cashless', 'misasa-health'])('matches what connector-configs/%s.yaml publishes', (name) => {
    const config = loadConnectorConfigFile(join(__dirname, '../../../../connector-configs', `${name}.yaml`));
    for (const offer of config.offers) {
      const seeded = SEED_DATA_OFFERS.find((o) => o.code === offer.code);
      expect(seeded).toBeDefined();
      expect({
        name: offer.name, description: offer.description, specialCare: offer.specialCare, schema: offer.schema, maxWindowDays: offer.window?.maxDays ?? null,
      }).toEqual({
        name: { ja: seeded!.nameJa, en: seeded!.nameEn }, description: { ja: seeded!.descriptionJa, en: seeded!.descriptionEn }, specialCare: seeded!.specialCare,
        schema: seeded!.schema, maxWindowDays: seeded!.maxWindowDays,
      });
    }
  });
});
