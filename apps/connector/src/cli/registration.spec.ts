import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader } from 'jose';
import { jwkThumbprint, thumbprintUri, verifyClientAssertion } from '@tsunagu/contracts';
import { readKeyFile, readRegistrationRecord } from '../keys/connector-keys';
import { FakeHub } from '../testing/fake-hub';
import { freePort, shippedConfig } from '../testing/test-connector';
import { ConnectorRegistration, type RegistrationOptions } from './registration';

const WAIT: RegistrationOptions = { rotate: false, dryRun: false, wait: true, timeoutSeconds: 30, intervalSeconds: 5 };

describe(ConnectorRegistration.name, () => {
  const hub = new FakeHub();
  const root = mkdtempSync(join(tmpdir(), 'connector-register-'));
  let lines: string[];
  let now: number;
  const deps = () => ({
    fetch: ((input, init) => fetch(input, init)) as typeof fetch,
    now: () => new Date(now),
    sleep: async (ms: number) => {
      now += ms;
    },
    out: (line: string) => lines.push(line),
  });
  const configIn = (dir: string, hubUrl = hub.url) => shippedConfig('misasa-health', {
    id: 'unused', hubUrl, serviceUrl: 'http://127.0.0.1:3102', publicUrl: 'https://misasa-connector.example.jp', keyFile: join(dir, 'misasa-health.key.json'),
  });

  beforeAll(async () => {
    await hub.start();
    hub.now = () => new Date(now);
  });
  afterAll(async () => {
    await hub.stop();
    rmSync(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    lines = [];
    now = Date.parse('2026-11-22T03:00:00Z');
    hub.registrations = [];
    hub.registrationAuth = [];
    hub.registrationAnswer = undefined;
    hub.statusPolls = 0;
    hub.statusSequence = ['pending', 'pending', 'approved'];
    hub.publications = [];
    hub.publicationAnswers = [];
  });

  it('prints the keys and the request on a dry run, and writes and sends nothing', async () => {
    const dir = mkdtempSync(join(root, 'dry-'));
    const config = configIn(dir);
    const result = await new ConnectorRegistration(config, deps()).run({ ...WAIT, dryRun: true });
    expect(result.request).toMatchObject({
      method: 'POST', url: `${hub.url}/connect/v1/connectors`,
      body: { name: 'misasa-health', tenant: 'misasa', serviceClientId: 'demo-misasa-health', baseUrl: 'https://misasa-connector.example.jp', version: '0.1.0' },
    });
    expect(result.request!.body.publicJwk).not.toHaveProperty('d');
    expect(lines.join('\n')).toContain(`POST ${hub.url}/connect/v1/connectors`);
    expect(lines.join('\n')).toContain(await jwkThumbprint(result.request!.body.publicJwk));
    expect(readdirSync(dir)).toEqual([]);
    expect(hub.registrations).toHaveLength(0);
  });

  it('generates a 0600 key file, registers its public keys with proof of possession, and waits for approval', async () => {
    const dir = mkdtempSync(join(root, 'ok-'));
    const config = configIn(dir);
    const result = await new ConnectorRegistration(config, deps()).run(WAIT);
    expect(result).toMatchObject({ connectorId: 'conn-1', status: 'approved' });
    expect(statSync(config.keys.file).mode & 0o777).toBe(0o600);
    const { keys } = await readKeyFile(config.keys.file);
    expect(hub.registrations[0]).toMatchObject({ publicJwk: keys.signing.publicJwk, encryptionJwk: keys.encryption.publicJwk });
    const assertion = hub.registrationAuth[0].replace(/^Bearer /, '');
    await expect(verifyClientAssertion(assertion, { keyFor: async () => keys.signing.publicJwk, audience: hub.url, now: new Date(now) }))
      .resolves.toMatchObject({ iss: thumbprintUri(keys.signing.kid) });
    expect(hub.statusPolls).toBe(3);
    expect(readRegistrationRecord(config.keys.registrationFile)).toMatchObject({ connectorId: 'conn-1', jkt: keys.signing.kid, status: 'approved' });
    expect(lines.join('\n')).toContain('Approved');
  });

  it('keeps an existing key and resumes waiting instead of registering again', async () => {
    const dir = mkdtempSync(join(root, 'resume-'));
    const config = configIn(dir);
    await new ConnectorRegistration(config, deps()).run({ ...WAIT, wait: false });
    const before = readFileSync(config.keys.file, 'utf8');
    hub.statusSequence = ['approved'];
    const result = await new ConnectorRegistration(config, deps()).run(WAIT);
    expect(result.status).toBe('approved');
    expect(readFileSync(config.keys.file, 'utf8')).toBe(before);
    expect(hub.registrations).toHaveLength(1);
    expect(lines.join('\n')).toContain('pass --rotate to replace them');
  });

  it('rotates the keys with a proof signed by the old key, keeping the old file aside', async () => {
    const dir = mkdtempSync(join(root, 'rotate-'));
    const config = configIn(dir);
    await new ConnectorRegistration(config, deps()).run({ ...WAIT, wait: false });
    const old = (await readKeyFile(config.keys.file)).keys;
    const result = await new ConnectorRegistration(config, deps()).run({ ...WAIT, rotate: true, wait: false });
    const fresh = (await readKeyFile(config.keys.file)).keys;
    expect(fresh.signing.kid).not.toBe(old.signing.kid);
    expect(existsSync(result.retiredKeyFile!)).toBe(true);
    const rotation = hub.registrations[1].rotation!;
    expect(rotation.connectorId).toBe('conn-1');
    const claims = await verifyClientAssertion(rotation.proof, { keyFor: async () => old.signing.publicJwk, audience: hub.url, now: new Date(now) });
    expect(claims).toMatchObject({ iss: 'conn-1', new_jkt: fresh.signing.kid });
    expect(decodeProtectedHeader(rotation.proof).kid).toBe(old.signing.kid);
  });

  it('stops with approval_timeout when no admin decides in time, keeping key and registration', async () => {
    const dir = mkdtempSync(join(root, 'timeout-'));
    const config = configIn(dir);
    hub.statusSequence = ['pending'];
    await expect(new ConnectorRegistration(config, deps()).run({ ...WAIT, timeoutSeconds: 20 })).rejects.toMatchObject({ problem: 'approval_timeout' });
    expect(hub.statusPolls).toBe(5); // at 0, 5, 10, 15 and 20 s
    expect(readRegistrationRecord(config.keys.registrationFile)?.status).toBe('pending');
  });

  it('stops when the connector is revoked while waiting', async () => {
    const dir = mkdtempSync(join(root, 'revoked-'));
    hub.statusSequence = ['pending', 'revoked'];
    await expect(new ConnectorRegistration(configIn(dir), deps()).run(WAIT)).rejects.toMatchObject({ problem: 'connector_rejected' });
  });

  it('reports a typed refusal of the hub, and hub_unavailable when there is no hub or no endpoint', async () => {
    hub.registrationAnswer = { status: 409, body: { error: { code: 'duplicate_name', message: 'x', messageEn: 'Another connector has this name.' } } };
    await expect(new ConnectorRegistration(configIn(mkdtempSync(join(root, 'refused-'))), deps()).run(WAIT))
      .rejects.toMatchObject({ problem: 'registration_refused', hubCode: 'duplicate_name' });
    // The hub's details say which field is wrong, so that a vendor need not guess.
    hub.registrationAnswer = { status: 400, body: { error: { code: 'invalid_request', message: 'x', messageEn: 'The request is not valid.',
      details: [{ field: 'serviceClientId', problem: 'no active service with this client_id in the tenant' }] } } };
    await expect(new ConnectorRegistration(configIn(mkdtempSync(join(root, 'unknown-service-'))), deps()).run(WAIT)).rejects.toMatchObject({
      problem: 'registration_refused', message: 'The hub refused: invalid_request (The request is not valid.) — serviceClientId: no active service with this client_id in the tenant',
    });
    hub.registrationAnswer = { status: 404, body: { error: { code: 'not_found', message: 'x', messageEn: 'Not found.' } } };
    await expect(new ConnectorRegistration(configIn(mkdtempSync(join(root, 'noapi-'))), deps()).run(WAIT))
      .rejects.toMatchObject({ problem: 'hub_unavailable', message: expect.stringContaining('no connector API') });
    const down = configIn(mkdtempSync(join(root, 'down-')), `http://127.0.0.1:${await freePort()}`);
    await expect(new ConnectorRegistration(down, deps()).run(WAIT)).rejects.toMatchObject({ problem: 'hub_unavailable' });
  });

  it('publishes the configuration\'s offers as the new (pending) connector, and again, unchanged, when run again', async () => {
    const dir = mkdtempSync(join(root, 'offers-'));
    const config = configIn(dir);
    const first = await new ConnectorRegistration(config, deps()).run({ ...WAIT, wait: false });
    expect(first.status).toBe('pending');
    expect(hub.publications).toHaveLength(1);
    expect(hub.publications[0].connector).toBe('conn-1');
    expect(hub.publications[0].body.offers).toEqual([
      expect.objectContaining({ code: 'misasa-health.daily-steps', name: { ja: '1日ごとの歩数', en: 'Daily step counts' }, specialCare: false, maxWindowDays: 90 }),
      expect.objectContaining({ code: 'misasa-health.onsen-visits', name: { ja: '温泉施設の利用履歴', en: 'Onsen visits' }, maxWindowDays: 366 }),
    ]);
    expect(first.offers).toEqual([
      { code: 'misasa-health.daily-steps', outcome: 'created', version: 1 }, { code: 'misasa-health.onsen-visits', outcome: 'created', version: 1 },
    ]);
    expect(lines.join('\n')).toContain('Offer misasa-health.daily-steps: published as a new draft (version 1).');
    const again = await new ConnectorRegistration(config, deps()).run({ ...WAIT, wait: false });
    expect(again.offers?.map((o) => o.outcome)).toEqual(['unchanged', 'unchanged']);
    expect(hub.publications).toHaveLength(2);
  });

  it('registers even when the hub refuses the offers, and says why', async () => {
    hub.publicationAnswers = [{ status: 400, body: { error: { code: 'invalid_offer_schema', details: [{ field: 'offers/0/schema', problem: 'unknown keyword' }] } } }];
    const result = await new ConnectorRegistration(configIn(mkdtempSync(join(root, 'offers-refused-'))), deps()).run({ ...WAIT, wait: false });
    expect(result).toMatchObject({ connectorId: 'conn-1', status: 'pending' });
    expect(result.offers).toBeUndefined();
    expect(lines.join('\n')).toContain('The offers were not published (invalid_offer_schema: offers/0/schema: unknown keyword)');
  });
});
