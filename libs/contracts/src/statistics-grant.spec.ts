import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { issueGrant, issueStatisticsGrant, jwkThumbprint, openGrant, type OpenGrantOptions, openStatisticsGrant, TokenVerificationError } from './grant-tokens';
import { MAX_STATISTICS_SUBJECTS, type StatisticsGrantClaims } from './statistics-grant';

async function keyPair(alg: 'ES256' | 'ECDH-ES+A256KW') {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, crv: 'P-256' });
  return { privateKey, publicKey, publicJwk: await exportJWK(publicKey) as JWK };
}

const refusal = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => (e instanceof TokenVerificationError ? { code: e.code, problem: e.problem } : e));

const ISSUER = 'https://hub.example.jp';
const now = new Date('2026-12-04T03:00:00Z');

/** The statistics grant: sealed like an exchange grant, and never accepted as one (nor the other way round). */
describe('statistics grant', () => {
  let hub: Awaited<ReturnType<typeof keyPair>>;
  let provider: Awaited<ReturnType<typeof keyPair>>;
  let options: OpenGrantOptions;
  const claims: Omit<StatisticsGrantClaims, 'jti' | 'iat' | 'exp'> = {
    iss: ISSUER, aud: 'connector-misasa', data_use: 'tottori-pref.ebpm-steps', item: 'misasa-health.daily-steps', aggregate: 'mean',
    group_by: ['municipality', 'month'], period: { from: '2026-11', to: '2026-11' }, k: 10, subjects: ['MH-0001', 'MH-0002'],
  };
  const issue = (over: Partial<typeof claims> = {}) =>
    issueStatisticsGrant({ claims: { ...claims, ...over }, signingKey: hub.privateKey, kid: 'hub-1', providerEncryptionKey: provider.publicKey, lifetimeSeconds: 30, now });

  beforeAll(async () => {
    [hub, provider] = await Promise.all([keyPair('ES256'), keyPair('ECDH-ES+A256KW')]);
    options = { hubKeys: async ({ kid }) => (kid === 'hub-1' ? hub.publicKey : undefined), decryptionKey: provider.privateKey, issuer: ISSUER, audience: 'connector-misasa', now };
  });

  it('opens at the provider it is sealed to, with every claim', async () => {
    const { grant, jti } = await issue({ epsilon: 1 });
    expect(await openStatisticsGrant(grant, options)).toEqual({ ...claims, epsilon: 1, jti, iat: now.getTime() / 1000, exp: now.getTime() / 1000 + 30 });
  });

  it('is not an exchange grant, and an exchange grant is not a statistics grant', async () => {
    const { grant } = await issue();
    expect(await refusal(openGrant(grant, options))).toEqual({ code: 'grant_invalid', problem: 'wrong typ' });
    const exchange = await issueGrant({
      claims: {
        iss: ISSUER, aud: 'connector-misasa', sub: 'MH-0001', azp: 'connector-cashless', consumer_service: 'demo-cashless', data_use: 'cashless.health-points',
        purpose: 'health-points', items: ['misasa-health.daily-steps'], consent_id: 'c-1', consent_version: 1, cnf: { jkt: await jwkThumbprint(hub.publicJwk) },
      },
      signingKey: hub.privateKey, kid: 'hub-1', providerEncryptionKey: provider.publicKey, lifetimeSeconds: 30, now,
    });
    expect(await refusal(openStatisticsGrant(exchange.grant, options))).toEqual({ code: 'grant_invalid', problem: 'wrong typ' });
  });

  it('is refused at another connector, after it expires, and when altered', async () => {
    const { grant } = await issue();
    expect(await refusal(openStatisticsGrant(grant, { ...options, audience: 'connector-other' }))).toMatchObject({ code: 'grant_wrong_audience' });
    expect(await refusal(openStatisticsGrant(grant, { ...options, now: new Date(now.getTime() + 40_000) }))).toMatchObject({ code: 'grant_expired' });
    const parts = grant.split('.');
    parts[3] = `${parts[3].slice(0, -2)}${parts[3].endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await refusal(openStatisticsGrant(parts.join('.'), options))).toMatchObject({ code: 'grant_invalid' });
  });

  it('cannot be issued for k under 10, a dimension that is no dimension, or more residents than the bound', async () => {
    await expect(issue({ k: 5 })).rejects.toThrow(TypeError);
    await expect(issue({ group_by: ['resident_id' as never] })).rejects.toThrow(TypeError);
    await expect(issue({ subjects: ['MH-1', 'MH-1'] })).rejects.toThrow(TypeError);
    expect(MAX_STATISTICS_SUBJECTS).toBe(200_000);
  });
});
