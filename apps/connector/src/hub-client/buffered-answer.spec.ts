import { BufferedAnswer } from './buffered-answer';

describe(BufferedAnswer.name, () => {
  const answer = (status: number, raw: string[], body?: string) => new BufferedAnswer(status, 'Status', raw, body === undefined ? undefined : Buffer.from(body, 'utf8'));

  it('reads headers as the fetch Headers do: any case, repeated fields joined', () => {
    const res = answer(200, ['Content-Type', 'application/json', 'X-Many', 'a', 'x-many', ' b '], '{}');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('X-MANY')).toBe('a, b');
    expect(res.headers.get('etag')).toBeNull();
    expect(res.headers.has('Content-type')).toBe(true);
  });

  it('says ok for 2xx only', () => {
    expect([200, 204, 299, 300, 304, 404, 503].map((s) => answer(s, []).ok)).toEqual([true, true, true, false, false, false, false]);
  });

  it('decodes UTF-8 without a byte order mark, as Response.text() does, and parses JSON', async () => {
    expect(await answer(200, [], '\ufeff三朝温泉').text()).toBe('三朝温泉');
    await expect(answer(200, [], '{"a":[1]}').json()).resolves.toEqual({ a: [1] });
    await expect(answer(200, [], '<html>').json()).rejects.toThrow(SyntaxError);
    expect(await new BufferedAnswer(200, '', [], Buffer.from([0xff, 0x41])).text()).toBe('\ufffdA');
  });

  it('gives its body once, as a Response does, and an empty body as empty', async () => {
    const res = answer(200, [], 'once');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(new Uint8Array(Buffer.from('once')));
    expect(res.bodyUsed).toBe(true);
    await expect(res.text()).rejects.toThrow(TypeError);
    expect(await answer(204, []).text()).toBe('');
    expect(answer(204, []).body).toBeNull();
  });
});
