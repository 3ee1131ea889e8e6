import { DomainException } from '@tsunagu/common';
import { ErrorReason, type OfferPublication } from '@tsunagu/contracts';
import { AdminException } from '../platform/access/admin.exception';
import type { OffersService } from '../catalog/offers.service';
import { ConnectController } from './connect.controller';
import type { ConnectConnectorRow } from './connect.repository';
import type { ConnectorAuthService } from './connector-auth.service';
import { OfferPublicationService } from './offer-publication.service';

const connector = (status: ConnectConnectorRow['status']) => ({ id: 'c-1', tenant_id: 't-1', service_id: 's-1', status }) as ConnectConnectorRow;

function offer(over: Partial<OfferPublication> = {}): OfferPublication {
  return {
    code: 'misasa-health.daily-steps', name: { ja: '1日ごとの歩数', en: 'Daily step counts' },
    description: { ja: '健康アプリに記録された日ごとの歩数。', en: 'Steps per day recorded by the app.' }, specialCare: false,
    schema: { type: 'array', maxItems: 90 }, maxWindowDays: 90, ...over,
  };
}

/** `PUT /connect/v1/offers`: authentication first (pending connectors too), the body's schema, and the catalog's answer. */
describe(OfferPublicationService.name, () => {
  const calls: unknown[][] = [];
  let refusal: Error | undefined;
  const offers = {
    publish: async (...args: unknown[]) => {
      calls.push(args);
      if (refusal) throw refusal;
      return [{ code: 'misasa-health.daily-steps', outcome: 'created', version: 1 }];
    },
  } as unknown as OffersService;
  let status: ConnectConnectorRow['status'] = 'pending';
  const authOptions: unknown[] = [];
  const auth = {
    authenticate: async (authorization: string | undefined, options: unknown) => {
      authOptions.push(options);
      if (authorization !== 'Bearer ok') throw new DomainException('client_assertion_invalid', ErrorReason.Unauthorized, { ja: 'x', en: 'x' });
      return connector(status);
    },
  } as unknown as ConnectorAuthService;
  const publication = new OfferPublicationService(offers);
  const controller = new ConnectController(auth, {} as never, {} as never, {} as never, {} as never, {} as never, publication, {} as never);
  const put = (body: unknown, authorization = 'Bearer ok') => controller.publishOffers(authorization, body);

  beforeEach(() => {
    calls.length = 0;
    authOptions.length = 0;
    refusal = undefined;
    status = 'pending';
  });

  it('lets a pending connector publish for its own service, as that connector, and answers the outcomes', async () => {
    await expect(put({ offers: [offer()] })).resolves.toEqual({ offers: [{ code: 'misasa-health.daily-steps', outcome: 'created', version: 1 }] });
    expect(authOptions).toEqual([{ approved: false }]);
    expect(calls[0]).toEqual([
      { kind: 'connector', connectorId: 'c-1' }, { id: 's-1', tenantId: 't-1' },
      [{ code: 'misasa-health.daily-steps', nameJa: '1日ごとの歩数', nameEn: 'Daily step counts', descriptionJa: '健康アプリに記録された日ごとの歩数。',
        descriptionEn: 'Steps per day recorded by the app.', specialCare: false, schema: { type: 'array', maxItems: 90 }, maxWindowDays: 90 }],
      { connectorId: 'c-1' },
    ]);
  });

  it('authenticates before it reads the body', async () => {
    await expect(put('not even an object', 'Bearer forged')).rejects.toMatchObject({ code: 'client_assertion_invalid' });
    expect(calls).toEqual([]);
  });

  it('refuses a suspended or revoked connector', async () => {
    for (const s of ['suspended', 'revoked'] as const) {
      status = s;
      await expect(put({ offers: [offer()] })).rejects.toMatchObject({ code: 'connector_not_approved' });
    }
    expect(calls).toEqual([]);
  });

  it.each([
    ['no offers field', {}],
    ['an unknown field', { offers: [{ ...offer(), extra: 1 }] }],
    ['a top-level unknown field', { offers: [], tenant: 'other' }],
    ['a bad code', { offers: [offer({ code: 'Not A Code' })] }],
    ['HTML in a name', { offers: [offer({ name: { ja: '<script>歩数</script>', en: 'Steps' } })] }],
    ['markup in a description', { offers: [offer({ description: { ja: '歩数 > 1万', en: 'Steps' } })] }],
    ['a blank name', { offers: [offer({ name: { ja: '   ', en: 'Steps' } })] }],
    ['a control character', { offers: [offer({ name: { ja: '歩\u0000数', en: 'Steps' } })] }],
    ['a name too long', { offers: [offer({ name: { ja: 'あ'.repeat(101), en: 'Steps' } })] }],
    ['a description too long', { offers: [offer({ description: { ja: 'あ'.repeat(1001), en: 'x' } })] }],
    ['a missing English name', { offers: [offer({ name: { ja: '歩数' } as never })] }],
    ['specialCare not a boolean', { offers: [offer({ specialCare: 'yes' as never })] }],
    ['an empty schema', { offers: [offer({ schema: {} })] }],
    ['a schema that is an array', { offers: [offer({ schema: [] as never })] }],
    ['a window of 0 days', { offers: [offer({ maxWindowDays: 0 })] }],
    ['a window over 3660 days', { offers: [offer({ maxWindowDays: 3661 })] }],
    ['a missing window (null is how to say none)', { offers: [{ ...offer(), maxWindowDays: undefined }] }],
    ['more than 100 offers', { offers: Array.from({ length: 101 }, (_, i) => offer({ code: `p.item-${i}` })) }],
  ])('refuses %s as invalid_request before the catalog is asked', async (_label, body) => {
    await expect(put(body)).rejects.toMatchObject({ code: 'invalid_request' });
    expect(calls).toEqual([]);
  });

  it('accepts no offers (a consumer-only connector) and a null window', async () => {
    await expect(put({ offers: [] })).resolves.toBeDefined();
    await expect(put({ offers: [offer({ maxWindowDays: null })] })).resolves.toBeDefined();
  });

  it('answers the catalog\'s refusals with the connector API\'s codes and keeps the details', async () => {
    refusal = new AdminException('invalid_offer_schema', [{ field: 'offers/0/schema', problem: 'unknown keyword maxLenght' }]);
    await expect(put({ offers: [offer()] })).rejects.toMatchObject({ code: 'invalid_offer_schema', reason: ErrorReason.BadRequest, details: [{ field: 'offers/0/schema', problem: 'unknown keyword maxLenght' }] });
    refusal = new AdminException('offer_code_taken', [{ field: 'offers/0/code', problem: 'belongs to another service' }]);
    const taken = await put({ offers: [offer()] }).catch((e: DomainException) => e);
    expect(taken).toMatchObject({ code: 'offer_code_taken', reason: ErrorReason.Conflict });
    expect(taken.constructor.name).toBe('ConnectException');
  });
});
