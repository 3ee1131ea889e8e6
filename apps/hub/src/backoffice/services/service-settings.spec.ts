import { grantsFor, parseBackchannelLogoutUri, parseJwks, parseRedirectUris, usesSecret } from './service-settings';

describe(parseBackchannelLogoutUri.name, () => {
  const dev = { production: false };
  it('accepts none, one https URL, and http on loopback outside production only', () => {
    expect(parseBackchannelLogoutUri('  ', 'b', dev)).toEqual({ uri: null, problems: [] });
    expect(parseBackchannelLogoutUri(' https://svc.example.jp/auth/backchannel-logout ', 'b', { production: true }).uri).toBe('https://svc.example.jp/auth/backchannel-logout');
    expect(parseBackchannelLogoutUri('http://127.0.0.1:3101/auth/backchannel-logout', 'b', dev).uri).toBe('http://127.0.0.1:3101/auth/backchannel-logout');
    expect(parseBackchannelLogoutUri('http://127.0.0.1:3101/bc', 'b', { production: true }).problems[0].problem).toMatch(/production/);
  });
  it('refuses http elsewhere, fragments, relative URLs and several URIs', () => {
    for (const bad of ['http://svc.example.jp/bc', 'https://svc.example.jp/bc#x', '/auth/bc', 'https://a.example.jp/1\nhttps://a.example.jp/2']) {
      expect(parseBackchannelLogoutUri(bad, 'backchannelLogoutUri', dev)).toMatchObject({ uri: null, problems: [{ field: 'backchannelLogoutUri' }] });
    }
  });
});

describe(parseRedirectUris.name, () => {
  const dev = { production: false, required: true };
  const prod = { production: true, required: true };

  it('accepts absolute https URLs, one per line, dropping blanks and duplicates', () => {
    expect(parseRedirectUris('https://a.example.jp/cb\r\n\nhttps://a.example.jp/cb\nhttps://b.example.jp/x?y=1', 'r', prod))
      .toEqual({ uris: ['https://a.example.jp/cb', 'https://b.example.jp/x?y=1'], problems: [] });
  });

  it('allows http only for loopback hosts, and only outside production', () => {
    expect(parseRedirectUris('http://localhost:8080/cb\nhttp://127.0.0.1/cb\nhttp://[::1]/cb', 'r', dev).problems).toEqual([]);
    expect(parseRedirectUris('http://localhost:8080/cb', 'r', prod).problems[0].problem).toContain('not allowed in production');
    expect(parseRedirectUris('http://example.jp/cb', 'r', dev).problems[0].problem).toContain('must use https');
  });

  it('refuses fragments, credentials, other schemes, relative and overlong URIs, and too many', () => {
    const problems = (text: string) => parseRedirectUris(text, 'redirectUris', dev).problems.map((p) => p.problem);
    expect(problems('https://a.example.jp/cb#top')[0]).toContain('fragment');
    expect(problems('https://user:pw@a.example.jp/cb')[0]).toContain('credentials');
    expect(problems('javascript:alert(1)')[0]).toContain('must use https');
    expect(problems('/relative/cb')[0]).toContain('not an absolute URL');
    expect(problems(`https://a.example.jp/${'x'.repeat(2000)}`)[0]).toContain('longer than');
    expect(problems(Array.from({ length: 11 }, (_, i) => `https://a.example.jp/${i}`).join('\n'))).toContain('at most 10 URIs');
    expect(parseRedirectUris('', 'r', dev).problems[0].problem).toBe('at least one URI is required');
    expect(parseRedirectUris('', 'r', { production: false, required: false })).toEqual({ uris: [], problems: [] });
  });
});

describe(parseJwks.name, () => {
  const key = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };

  it('accepts a set of public signing keys', () => {
    expect(parseJwks(JSON.stringify({ keys: [key] }))).toEqual({ jwks: { keys: [key] }, problems: [] });
  });

  it('refuses private key material, unknown key types, other uses and malformed input', () => {
    expect(parseJwks(JSON.stringify({ keys: [{ ...key, d: 'x' }] })).problems[0].problem).toContain('private key material');
    expect(parseJwks(JSON.stringify({ keys: [{ kty: 'oct', k: 'x' }] })).problems.length).toBe(2);
    expect(parseJwks(JSON.stringify({ keys: [{ ...key, use: 'enc' }] })).problems[0].problem).toContain('use must be "sig"');
    expect(parseJwks('{').problems[0].problem).toBe('not valid JSON');
    expect(parseJwks('[]').problems[0].problem).toContain('"keys" array');
    expect(parseJwks(JSON.stringify({ keys: [] })).problems[0].problem).toContain('1 to 10');
    expect(parseJwks(undefined).problems[0].problem).toContain('required');
  });
});

describe(grantsFor.name, () => {
  it('gives public clients no refresh tokens, and confidential ones offline access', () => {
    expect(grantsFor('none')).toEqual({ grant_types: ['authorization_code'], scopes: ['openid', 'profile'] });
    expect(grantsFor('private_key_jwt').grant_types).toContain('refresh_token');
    expect([usesSecret('client_secret_basic'), usesSecret('client_secret_post'), usesSecret('private_key_jwt'), usesSecret('none')]).toEqual([true, true, false, false]);
  });
});
