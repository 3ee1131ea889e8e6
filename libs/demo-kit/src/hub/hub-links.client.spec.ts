import { DemoException } from '../demo.exception';
import { DemoRuntime, type DemoSettings } from '../demo-settings';
import { HubLinksClient, type FetchLike } from './hub-links.client';

const settings = { serviceName: 'demo-cashless', hubUrl: 'http://hub.test:3000/', port: 3101 } as DemoSettings;

function answering(status: number, body: unknown, seen: { url?: string; init?: RequestInit }[] = []): FetchLike {
  return async (url, init) => {
    seen.push({ url, init });
    return new Response(body === undefined ? 'not json' : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
}

const link = { serviceId: 'demo-cashless', localId: 'C-2026-0001', linkedAt: '2026-11-22T10:00:00.000Z' };

describe(HubLinksClient.name, () => {
  it('posts the local ID with the bearer token and reports a new link', async () => {
    const seen: { url?: string; init?: RequestInit }[] = [];
    const client = new HubLinksClient(new DemoRuntime(settings), answering(201, link, seen));
    await expect(client.createLink('tok', 'C-2026-0001')).resolves.toEqual({ outcome: 'linked', link, created: true });
    expect(seen[0].url).toBe('http://hub.test:3000/api/v1/links');
    expect(seen[0].init?.method).toBe('POST');
    expect(seen[0].init?.headers).toMatchObject({ authorization: 'Bearer tok', 'content-type': 'application/json' });
    expect(JSON.parse(String(seen[0].init?.body))).toEqual({ localId: 'C-2026-0001' });
  });

  it('treats 200 as the same link already existing', async () => {
    const client = new HubLinksClient(new DemoRuntime(settings), answering(200, link));
    await expect(client.createLink('tok', 'C-2026-0001')).resolves.toEqual({ outcome: 'linked', link, created: false });
  });

  it('returns the hub typed refusal with both languages', async () => {
    const client = new HubLinksClient(new DemoRuntime(settings), answering(409, {
      error: { code: 'link_conflict', message: '別の方と連携済みです。', messageEn: 'Linked to someone else.' },
    }));
    await expect(client.createLink('tok', 'C-2026-0001')).resolves.toEqual({
      outcome: 'refused', status: 409, code: 'link_conflict', message: { ja: '別の方と連携済みです。', en: 'Linked to someone else.' },
    });
  });

  it('reads an existing link, or none', async () => {
    await expect(new HubLinksClient(new DemoRuntime(settings), answering(200, link)).myLink('tok')).resolves.toEqual({ outcome: 'linked', link });
    await expect(new HubLinksClient(new DemoRuntime(settings), answering(404, { error: { code: 'link_not_found' } })).myLink('tok'))
      .resolves.toEqual({ outcome: 'not_linked' });
  });

  it('reports an invalid token as a refusal with a fallback message', async () => {
    const result = await new HubLinksClient(new DemoRuntime(settings), answering(401, { error: { code: 'invalid_token' } })).myLink('tok');
    expect(result).toMatchObject({ outcome: 'refused', status: 401, code: 'invalid_token' });
  });

  it('throws hub_unavailable for a server error, garbage or no network', async () => {
    const failing: FetchLike = async () => {
      throw new TypeError('fetch failed');
    };
    for (const fetchFn of [answering(500, { error: { code: 'internal_error' } }), answering(200, undefined), answering(201, { odd: true }), failing]) {
      await expect(new HubLinksClient(new DemoRuntime(settings), fetchFn).createLink('tok', 'C-2026-0001'))
        .rejects.toMatchObject({ constructor: DemoException, code: 'hub_unavailable' });
    }
  });
});
