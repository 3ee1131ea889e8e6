import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { startConnector } from '../connector.app';
import { CONFIG_DIR } from '../testing/test-connector';
import { offerPublications } from '../hub-client/offer-publisher';
import { ConnectorConfigError, loadConnectorConfigFile, withEnvOverrides } from './connector-file';

const dir = mkdtempSync(join(tmpdir(), 'connector-config-'));
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the fixtures are parsed YAML, mutated freely to break one field at a time
const shipped = (name: string) => parse(readFileSync(join(CONFIG_DIR, `${name}.yaml`), 'utf8')) as Record<string, any>;

function write(content: unknown, name = `c-${Math.random().toString(36).slice(2)}.yaml`): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : stringify(content));
  return file;
}

function problems(file: string): string[] {
  try {
    loadConnectorConfigFile(file);
  } catch (error) {
    if (error instanceof ConnectorConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConnectorConfigError');
}

describe(loadConnectorConfigFile.name, () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the shipped cashless and Misasa files with defaults filled in', () => {
    const cashless = loadConnectorConfigFile(join(CONFIG_DIR, 'cashless.yaml'));
    expect(cashless).toMatchObject({
      connector: { name: 'cashless' }, tenant: 'tottori-pref', service: { clientId: 'demo-cashless', maxResponseBytes: 1048576 },
      hub: { url: 'http://localhost:3000', issuer: 'http://localhost:3000', jwksUrl: 'http://localhost:3000/connect/v1/jwks' },
      revocations: { pullIntervalSeconds: 1, stalenessSeconds: 6 },
    });
    expect(cashless.offers.map((o) => o.code)).toEqual(['cashless.points-balance', 'cashless.monthly-spending']);
    expect(cashless.keys.registrationFile).toMatch(/data\/connectors\/cashless\.key\.registration\.json$/);
    const misasa = loadConnectorConfigFile(join(CONFIG_DIR, 'misasa-health.yaml'));
    expect(misasa.offers.map((o) => o.code)).toEqual(['misasa-health.daily-steps', 'misasa-health.onsen-visits']);
    expect(misasa.dataUses[0]).toMatchObject({ code: 'misasa-health.onsen-spending', purpose: 'onsen-spending-display' });
  });

  it('names the path of a bad value, a missing field and an unknown field, all at once', () => {
    const config = shipped('misasa-health');
    config.offers[0].fetch.url = 'https://elsewhere.example/steps';
    delete config.service.clientId;
    config.hub.tokenn = 'typo';
    const found = problems(write(config));
    expect(found).toEqual(expect.arrayContaining([
      expect.stringMatching(/^\/offers\/0\/fetch\/url: must match pattern/),
      '/service/clientId: is required',
      '/hub/tokenn: unknown field',
    ]));
  });

  it('refuses an item schema that does not compile, naming the offer', () => {
    const config = shipped('misasa-health');
    config.offers[1].schema = { type: 'array', maxItem: 3 };
    expect(problems(write(config))).toEqual([expect.stringMatching(/^\/offers\/1\/schema: not a valid JSON Schema \(strict mode: unknown keyword: "maxItem"\)/)]);
  });

  it('refuses unknown URL template variables and a dated URL without a window', () => {
    const config = shipped('cashless');
    config.offers[0].fetch.url = '/internal/v1/members/{memberNo}/points?at={to}';
    expect(problems(write(config))).toEqual([
      '/offers/0/fetch/url: unknown variable {memberNo} (allowed: {localId}, {from}, {to}, {today})',
      '/offers/0/window: is required when the URL uses {from} or {to}',
    ]);
  });

  it('refuses a mapping that is not a JSON Pointer, and duplicate offers', () => {
    const config = shipped('misasa-health');
    config.offers[0].fetch.fields.date = 'day';
    config.offers[1].code = config.offers[0].code;
    const found = problems(write(config));
    expect(found).toContainEqual(expect.stringMatching(/^\/offers\/0\/fetch\/fields\/date: must match pattern/));
    expect(found).toHaveLength(1);
    config.offers[0].fetch.fields.date = '/day';
    expect(problems(write(config))).toEqual(['/offers/1/code: misasa-health.daily-steps is offered twice']);
  });

  it('refuses a staleness bound not longer than the pull interval', () => {
    const config = shipped('cashless');
    config.revocations = { pullIntervalSeconds: 5, stalenessSeconds: 5 };
    expect(problems(write(config))).toEqual([expect.stringMatching(/^\/revocations\/stalenessSeconds: must be longer than pullIntervalSeconds/)]);
  });

  it('reads offers\' names, descriptions and special care; an old plain-string description stands for both languages', () => {
    const misasa = loadConnectorConfigFile(join(CONFIG_DIR, 'misasa-health.yaml'));
    expect(misasa.offers[0]).toMatchObject({
      name: { ja: '1日ごとの歩数', en: 'Daily step counts' },
      description: { ja: '健康アプリに記録された日ごとの歩数（直近90日まで）。', en: 'Steps per day recorded by the health app (up to the last 90 days).' },
      specialCare: false,
    });
    const old = shipped('cashless');
    for (const offer of old.offers) {
      delete offer.name;
      delete offer.specialCare;
      offer.description = 'Points, as the vendor wrote it before offers were published.';
    }
    const loaded = loadConnectorConfigFile(write(old));
    expect(offerPublications(loaded)[0]).toEqual({
      code: 'cashless.points-balance', name: { ja: 'cashless.points-balance', en: 'cashless.points-balance' },
      description: { ja: 'Points, as the vendor wrote it before offers were published.', en: 'Points, as the vendor wrote it before offers were published.' },
      specialCare: false, schema: old.offers[0].schema, maxWindowDays: null,
    });
    expect(offerPublications(loaded)[1].maxWindowDays).toBe(366);
  });

  it('refuses markup, blank or multi-line names, a half-bilingual text and a non-boolean specialCare', () => {
    const bad = shipped('misasa-health');
    bad.offers[0].name = { ja: '<b>歩数</b>', en: 'Steps' };
    bad.offers[1].name = { ja: '温泉\n利用', en: '  ' };
    bad.offers[1].description = { ja: '温泉' };
    bad.offers[1].specialCare = 'yes';
    const found = problems(write(bad));
    expect(found).toEqual(expect.arrayContaining([
      expect.stringMatching(/^\/offers\/0\/name\/ja: must match pattern/),
      expect.stringMatching(/^\/offers\/1\/name\/ja: must match pattern/),
      expect.stringMatching(/^\/offers\/1\/name\/en: must match pattern/),
      expect.stringMatching(/^\/offers\/1\/description\/en: is required/),
      expect.stringMatching(/^\/offers\/1\/specialCare: must be boolean/),
    ]));
    const multiLine = shipped('misasa-health');
    multiLine.offers[0].description = { ja: '一行目\n二行目', en: 'Line one\nline two' };
    expect(loadConnectorConfigFile(write(multiLine)).offers[0].description).toEqual({ ja: '一行目\n二行目', en: 'Line one\nline two' });
  });

  it('reports YAML syntax errors and unreadable files', () => {
    expect(problems(write('version: 1\nconnector: [unclosed\n'))[0]).toMatch(/^YAML: /);
    expect(problems(join(dir, 'missing.yaml'))).toEqual(['cannot read the file (ENOENT)']);
  });

  it('stops the boot with a message naming the field', async () => {
    const config = shipped('cashless');
    config.listen.port = 'eighty';
    const file = write(config);
    await expect(startConnector({ CONNECTOR_CONFIG: file, CONNECTOR_NAME: 'cashless', LOG_LEVEL: 'info' })).rejects.toThrow(/\/listen\/port: must be integer/);
  });
});

describe(withEnvOverrides.name, () => {
  const shipped = loadConnectorConfigFile(join(CONFIG_DIR, 'cashless.yaml'));

  it('lets a container move the hub, the service, its own address and the keys\' volume without another file', () => {
    const moved = withEnvOverrides(shipped, {
      HUB_URL: 'https://id.pref.tottori.example.jp/', CONNECTOR_HOST: '0.0.0.0', CONNECTOR_PORT: 3201,
      CONNECTOR_SERVICE_URL: 'http://demo-cashless:3101/', CONNECTOR_PUBLIC_URL: 'http://connector-cashless:3201', CONNECTOR_KEYS_FILE: '/var/lib/tsunagu/connector/cashless.key.json',
    });
    expect(moved.hub).toMatchObject({ url: 'https://id.pref.tottori.example.jp', issuer: 'https://id.pref.tottori.example.jp', jwksUrl: 'https://id.pref.tottori.example.jp/connect/v1/jwks' });
    expect(moved.listen).toEqual({ host: '0.0.0.0', port: 3201 });
    expect(moved.service).toEqual({ ...shipped.service, url: 'http://demo-cashless:3101' });
    expect(moved.publicUrl).toBe('http://connector-cashless:3201');
    expect(moved.keys).toEqual({ file: '/var/lib/tsunagu/connector/cashless.key.json', registrationFile: '/var/lib/tsunagu/connector/cashless.key.registration.json' });
    // What is not overridden stays as the file says.
    expect(moved.offers).toBe(shipped.offers);
    expect(withEnvOverrides(shipped, {})).toEqual(shipped);
  });
});
