import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A resident who signs in at the fake hub. */
export interface FakeResident {
  id: string;
  name: string;
  acr?: string;
  amr?: string[];
}

interface Client { clientId: string; clientSecret: string }
interface CodeGrant { clientId: string; redirectUri: string; codeChallenge: string; nonce: string; resident: FakeResident }
interface AccessGrant { clientId: string; sub: string; name: string }

/**
 * A small, real OpenID Provider and ID-linking API that follows the hub's contract closely enough
 * to drive a demo's whole sign-in → link → member page → logout flow in a unit test. It checks what
 * the hub checks: client_secret_basic, PKCE S256, redirect_uri, and answers links as the contract says.
 * The cross-app end-to-end tests use the real hub.
 */
export class FakeHub {
  /** Whoever "signs in" at the next authorization request. */
  resident: FakeResident = { id: 'resident-1', name: '鳥取 太郎', acr: 'urn:tsunagu:loa:2', amr: ['pwd'] };
  /** When set, the next authorization requests end with this OAuth error instead of a code. */
  refuseWith?: string;
  readonly authorizationRequests: URLSearchParams[] = [];
  readonly endSessionRequests: URLSearchParams[] = [];
  /** `${clientId} ${sub}` → link */
  readonly links = new Map<string, { localId: string; linkedAt: string }>();

  private readonly codes = new Map<string, CodeGrant>();
  private readonly tokens = new Map<string, AccessGrant>();
  private readonly key: { privateKey: KeyObject; jwk: Record<string, unknown> };
  private server?: Server;
  url = '';

  private constructor(private readonly clients: Client[]) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.key = { privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid: 'fake-hub-1', alg: 'RS256', use: 'sig' } };
  }

  static async start(clients: Client[]): Promise<FakeHub> {
    const hub = new FakeHub(clients);
    hub.server = createServer((req, res) => {
      hub.handle(req, res).catch((error: unknown) => hub.json(res, 500, { error: 'server_error', detail: String(error) }));
    });
    await new Promise<void>((resolve) => hub.server?.listen(0, '127.0.0.1', resolve));
    hub.url = `http://127.0.0.1:${(hub.server.address() as AddressInfo).port}`;
    return hub;
  }

  get issuer(): string {
    return `${this.url}/oidc`;
  }

  /** The pairwise subject a service sees for a resident. */
  pairwiseSub(clientId: string, residentId: string): string {
    return createHash('sha256').update(`${clientId}:${residentId}`).digest('base64url');
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
    res.end(JSON.stringify(body));
  }

  private linkError(res: ServerResponse, status: number, code: string, ja: string, en: string): void {
    this.json(res, status, { error: { code, message: ja, messageEn: en } });
  }

  private async body(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  private bearer(req: IncomingMessage): AccessGrant | undefined {
    const header = req.headers.authorization ?? '';
    return header.startsWith('Bearer ') ? this.tokens.get(header.slice(7)) : undefined;
  }

  private idToken(clientId: string, sub: string, nonce: string, resident: FakeResident): string {
    const now = Math.floor(Date.now() / 1000);
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const input = `${enc({ alg: 'RS256', kid: 'fake-hub-1', typ: 'JWT' })}.${enc({
      iss: this.issuer, aud: clientId, sub, nonce, iat: now, exp: now + 300, auth_time: now,
      acr: resident.acr, amr: resident.amr, name: resident.name,
    })}`;
    return `${input}.${sign('sha256', Buffer.from(input), this.key.privateKey).toString('base64url')}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /oidc/.well-known/openid-configuration':
        return this.json(res, 200, {
          issuer: this.issuer,
          authorization_endpoint: `${this.issuer}/auth`,
          token_endpoint: `${this.issuer}/token`,
          userinfo_endpoint: `${this.issuer}/me`,
          jwks_uri: `${this.issuer}/jwks`,
          end_session_endpoint: `${this.issuer}/session/end`,
          response_types_supported: ['code'],
          subject_types_supported: ['pairwise'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['client_secret_basic'],
          authorization_response_iss_parameter_supported: true,
        });
      case 'GET /oidc/jwks':
        return this.json(res, 200, { keys: [this.key.jwk] });
      case 'GET /oidc/auth': {
        const p = url.searchParams;
        this.authorizationRequests.push(p);
        const client = this.clients.find((c) => c.clientId === p.get('client_id'));
        const redirectUri = p.get('redirect_uri');
        if (!client || !redirectUri) return this.json(res, 400, { error: 'invalid_request' });
        const back = new URL(redirectUri);
        back.searchParams.set('iss', this.issuer);
        if (p.get('state')) back.searchParams.set('state', p.get('state') as string);
        if (this.refuseWith) {
          back.searchParams.set('error', this.refuseWith);
        } else if (p.get('code_challenge_method') !== 'S256' || !p.get('code_challenge') || !p.get('nonce') || !p.get('state')) {
          back.searchParams.set('error', 'invalid_request');
        } else {
          const code = randomBytes(16).toString('base64url');
          this.codes.set(code, { clientId: client.clientId, redirectUri, codeChallenge: p.get('code_challenge') as string, nonce: p.get('nonce') as string, resident: this.resident });
          back.searchParams.set('code', code);
        }
        res.writeHead(302, { location: back.href });
        return void res.end();
      }
      case 'POST /oidc/token': {
        const [id, secret] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':').map(decodeURIComponent);
        const client = this.clients.find((c) => c.clientId === id && c.clientSecret === secret);
        if (!client) return this.json(res, 401, { error: 'invalid_client' });
        const form = new URLSearchParams(await this.body(req));
        const grant = this.codes.get(form.get('code') ?? '');
        this.codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        if (!grant || grant.clientId !== client.clientId || grant.redirectUri !== form.get('redirect_uri')
          || createHash('sha256').update(verifier).digest('base64url') !== grant.codeChallenge) {
          return this.json(res, 400, { error: 'invalid_grant' });
        }
        const sub = this.pairwiseSub(client.clientId, grant.resident.id);
        const accessToken = randomBytes(24).toString('base64url');
        this.tokens.set(accessToken, { clientId: client.clientId, sub, name: grant.resident.name });
        return this.json(res, 200, {
          access_token: accessToken, token_type: 'Bearer', expires_in: 600, scope: 'openid profile',
          id_token: this.idToken(client.clientId, sub, grant.nonce, grant.resident),
        });
      }
      case 'GET /oidc/me': {
        const grant = this.bearer(req);
        if (!grant) return this.json(res, 401, { error: 'invalid_token' });
        return this.json(res, 200, { sub: grant.sub, name: grant.name });
      }
      case 'GET /oidc/session/end': {
        this.endSessionRequests.push(url.searchParams);
        res.writeHead(302, { location: url.searchParams.get('post_logout_redirect_uri') ?? '/' });
        return void res.end();
      }
      case 'GET /api/v1/links/me': {
        const grant = this.bearer(req);
        if (!grant) return this.linkError(res, 401, 'invalid_token', 'アクセストークンが無効です。', 'The access token is not valid.');
        const link = this.links.get(`${grant.clientId} ${grant.sub}`);
        if (!link) return this.linkError(res, 404, 'link_not_found', '連携がありません。', 'No link exists.');
        return this.json(res, 200, { serviceId: grant.clientId, ...link });
      }
      case 'POST /api/v1/links': {
        const grant = this.bearer(req);
        if (!grant) return this.linkError(res, 401, 'invalid_token', 'アクセストークンが無効です。', 'The access token is not valid.');
        const { localId } = JSON.parse(await this.body(req)) as { localId: string };
        const mine = this.links.get(`${grant.clientId} ${grant.sub}`);
        if (mine && mine.localId === localId) return this.json(res, 200, { serviceId: grant.clientId, ...mine });
        if (mine) return this.linkError(res, 409, 'resident_already_linked', 'この Tottori ID は別の番号と連携済みです。', 'This Tottori ID is already linked to another account.');
        const taken = [...this.links.entries()].some(([key, link]) => key.startsWith(`${grant.clientId} `) && link.localId === localId);
        if (taken) return this.linkError(res, 409, 'link_conflict', 'この番号は別の Tottori ID と連携済みです。', 'This account is already linked to another Tottori ID.');
        const link = { localId, linkedAt: new Date().toISOString() };
        this.links.set(`${grant.clientId} ${grant.sub}`, link);
        return this.json(res, 201, { serviceId: grant.clientId, ...link });
      }
      default:
        return this.json(res, 404, { error: 'not_found' });
    }
  }
}
