import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import {
  type ConnectorRevocation, type ConsentChange, FEED_CONNECTOR_REVOCATIONS, type GrantClaims, type GrantRequest, type GrantResponse, issueGrant, jwkThumbprint,
  REVOCATION_FEED_AS_OF_HEADER, REVOCATION_FEED_EXTENSIONS_HEADER, signConnectorRevokedEvent, signRevocationEvent, signRevocationChanges, signRevocationFeed, signRevocationHead,
  verifyClientAssertion, type ConnectorRegistrationRequest, type OfferPublishRequest,
} from '@tsunagu/contracts';

/** An ES256 key pair with its kid. */
export interface HubSigningKey {
  privateKey: CryptoKey;
  publicJwk: JWK;
  kid: string;
}

export async function hubSigningKey(kid = `hub-${randomUUID().slice(0, 8)}`): Promise<HubSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateKey, publicJwk: await exportJWK(publicKey), kid };
}

/** A connector the fake hub knows (for client assertions and grant encryption). */
export interface KnownConnector {
  id: string;
  signingJwk: JWK;
  encryptionJwk: JWK;
  url: string;
}

/**
 * A stand-in for the hub's connector API on a real local port (node http), signing with keys it
 * generates: JWKS, revocation feed, grants, registration. Tests steer it through its fields.
 */
export class FakeHub {
  private server?: Server;
  url = '';
  signing!: HubSigningKey;
  /** Published in the JWKS besides `signing` (e.g. an old key during rotation). */
  extraKeys: HubSigningKey[] = [];
  connectors = new Map<string, KnownConnector>();
  changes: ConsentChange[] = [];
  /** Revoked connectors, on every feed page of a connector that asks for them (REVOCATION_FEED_EXTENSIONS_HEADER). */
  revokedConnectors: ConnectorRevocation[] = [];
  /** The extensions header of every feed pull, in order. */
  feedExtensions: (string | undefined)[] = [];
  feedDown = false;
  /** Milliseconds the feed takes to answer (a slow or loaded hub). */
  feedDelayMs = 0;
  /** The hub's clock for checking client assertions (tests that move time move it too). */
  now: () => Date = () => new Date();
  /** Signs feed pages with this key instead (a forger's). */
  feedSigning?: HubSigningKey;
  /** The `since` of every feed pull, in order. */
  feedCursors: (string | null)[] = [];
  jwksFetches = 0;
  feedPulls = 0;
  /** Pages of at most this many changes. */
  pageSize = 100;
  /** The staleness bound signed into feed pages (`staleness_seconds`); none, as an older hub, when unset. */
  stalenessSeconds?: number;
  /** Feed pages say `more` without moving the cursor (a real hub settling a burst of changes). */
  feedSettling = false;
  /** Cursors as the real hub writes them (`s:<n>`), which stream heads can be compared with; plain `<n>` otherwise. */
  seqCursors = false;
  /** Tags empty pages and answers their revalidation (`If-None-Match`) with 304 while nothing follows. */
  etags = false;
  /** Pulls answered 304. */
  notModified = 0;
  /** Serves the revocation stream (`GET /connect/v1/revocations/stream`); 404 (an older hub) otherwise. */
  streamEnabled = false;
  /** The streams held open now. */
  readonly streams = new Set<ServerResponse>();
  streamOpens = 0;
  grantRequests: { consumer: string; body: GrantRequest }[] = [];
  /** Decides a grant request: a grant (issued with real crypto), or an error answer. */
  onGrant: (consumer: KnownConnector, body: GrantRequest) => Promise<{ status: number; body: unknown }> = async () => ({ status: 503, body: {} });
  /** Registration side. */
  registrations: ConnectorRegistrationRequest[] = [];
  registrationAuth: string[] = [];
  statusPolls = 0;
  /** Status answered to the Nth poll (last entry repeats). */
  statusSequence: string[] = ['approved'];
  registrationAnswer?: { status: number; body: unknown };
  /** Offer publications (`PUT /connect/v1/offers`), in order. */
  publications: { connector: string; body: OfferPublishRequest }[] = [];
  /** Answers the Nth publication with this instead (last entry repeats); default: created, then unchanged. */
  publicationAnswers: { status: number; body: unknown }[] = [];

  async start(): Promise<this> {
    this.signing = await hubSigningKey();
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error) => {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'internal_error', message: String(error) } }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.cutStreams();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server!.close(resolve));
    this.server = undefined;
  }

  /** The feed's position after `n` changes, in this hub's cursor form. */
  cursorAt(n: number): string {
    return this.seqCursors ? `s:${n}` : String(n);
  }

  /** A signed head of the feed (`s:<n>`, by default the number of changes) as of `asOf` (now). */
  async head(options: { n?: number; asOf?: Date; signing?: HubSigningKey; now?: Date } = {}): Promise<string> {
    const signing = options.signing ?? this.signing;
    return signRevocationHead({
      signingKey: signing.privateKey, kid: signing.kid, issuer: this.url, head: `s:${options.n ?? this.changes.length}`,
      asOf: options.asOf ?? new Date(), stalenessSeconds: this.stalenessSeconds, now: options.now,
    });
  }

  /** A signed `changes` event's data: the changes from index `from` on, for `service`. */
  async changesToken(from: number, options: { service?: string; signing?: HubSigningKey } = {}): Promise<string> {
    const signing = options.signing ?? this.signing;
    return signRevocationChanges({
      signingKey: signing.privateKey, kid: signing.kid, issuer: this.url, service: options.service ?? 'svc-misasa',
      head: `s:${this.changes.length}`, changes: this.changes.slice(from),
    });
  }

  /** Writes one server-sent event to every open stream. */
  sendStream(event: string, data: string): void {
    for (const res of this.streams) res.write(`event: ${event}\ndata: ${data}\n\n`);
  }

  /** Cuts every open stream (the socket, as a dropped route would). */
  cutStreams(): void {
    for (const res of this.streams) res.destroy();
    this.streams.clear();
  }

  /** Issues a real grant from the default claims, as the hub would. */
  async grant(consumer: KnownConnector, provider: KnownConnector, claims: Partial<GrantClaims> & Pick<GrantClaims, 'sub' | 'items'>, options: { lifetimeSeconds?: number; now?: Date; signing?: HubSigningKey } = {}): Promise<GrantResponse> {
    const signing = options.signing ?? this.signing;
    const all = {
      iss: this.url, aud: provider.id, azp: consumer.id, consumer_service: 'demo-cashless', data_use: 'cashless.health-points', purpose: 'health-points',
      consent_id: 'consent-1', consent_version: 1, cnf: { jkt: await jwkThumbprint(consumer.signingJwk) }, ...claims,
    };
    const issued = await issueGrant({
      claims: all,
      signingKey: signing.privateKey, kid: signing.kid, providerEncryptionKey: provider.encryptionJwk, lifetimeSeconds: options.lifetimeSeconds ?? 30, now: options.now,
    });
    return {
      grant: issued.grant, tokenType: 'DPoP', grantId: issued.jti, items: claims.items, expiresAt: new Date(issued.exp * 1000).toISOString(), reusable: !!claims.reusable,
      consentId: all.consent_id, consentVersion: all.consent_version, provider: { connectorId: provider.id, url: provider.url },
    };
  }

  /** A signed SET for one connector, as the dispatcher would push it. */
  event(connectorId: string, change: ConsentChange, signing: HubSigningKey = this.signing): Promise<{ token: string; jti: string }> {
    return signRevocationEvent({ signingKey: signing.privateKey, kid: signing.kid, issuer: this.url, connectorId, change });
  }

  /** A signed connector-revoked SET for one (provider) connector. */
  connectorRevokedEvent(connectorId: string, revocation: ConnectorRevocation, signing: HubSigningKey = this.signing): Promise<{ token: string; jti: string }> {
    return signConnectorRevokedEvent({ signingKey: signing.privateKey, kid: signing.kid, issuer: this.url, connectorId, revocation });
  }

  private async authenticate(req: IncomingMessage): Promise<KnownConnector | undefined> {
    const assertion = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!assertion) return undefined;
    try {
      const claims = await verifyClientAssertion(assertion, { keyFor: async (iss) => this.connectors.get(iss)?.signingJwk, audience: this.url, now: this.now() });
      return this.connectors.get(claims.iss);
    } catch {
      return undefined;
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
    const url = new URL(req.url ?? '/', this.url);
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const refuse = (status: number, code: string) => json(status, { error: { code, message: code, messageEn: code } });
    const body = async () => {
      let text = '';
      for await (const chunk of req) text += chunk;
      return text ? JSON.parse(text) : undefined;
    };
    if (req.method === 'GET' && url.pathname === '/connect/v1/jwks') {
      this.jwksFetches++;
      const keys = [this.signing, ...this.extraKeys].map((k) => ({ ...k.publicJwk, kid: k.kid, alg: 'ES256', use: 'sig' }));
      return json(200, { keys });
    }
    if (req.method === 'GET' && url.pathname === '/connect/v1/revocations/stream' && this.streamEnabled) {
      const connector = await this.authenticate(req);
      if (!connector) return refuse(401, 'client_assertion_invalid');
      this.streamOpens++;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
      res.write(': fake hub\n\n');
      this.streams.add(res);
      res.on('close', () => this.streams.delete(res));
      // The current head at once, as the hub sends it.
      res.write(`event: head\ndata: ${await this.head()}\n\n`);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/connect/v1/revocations') {
      this.feedPulls++;
      if (this.feedDelayMs) await new Promise((r) => setTimeout(r, this.feedDelayMs));
      if (this.feedDown) return refuse(503, 'hub_unavailable');
      const connector = await this.authenticate(req);
      if (!connector) return refuse(401, 'client_assertion_invalid');
      this.feedCursors.push(url.searchParams.get('since'));
      const extensions = req.headers[REVOCATION_FEED_EXTENSIONS_HEADER] as string | undefined;
      this.feedExtensions.push(extensions);
      const since = Number((url.searchParams.get('since') ?? '0').replace(/^s:/, ''));
      const signing = this.feedSigning ?? this.signing;
      const changes = this.changes.slice(since, since + this.pageSize);
      const cursor = this.cursorAt(this.feedSettling ? since : since + changes.length);
      const etag = `W/"${cursor}"`;
      if (this.etags && url.searchParams.has('since') && req.headers['if-none-match'] === etag && since >= this.changes.length) {
        this.notModified++;
        return res.writeHead(304, { etag, [REVOCATION_FEED_AS_OF_HEADER]: this.now().toISOString() }).end();
      }
      const token = await signRevocationFeed({
        signingKey: signing.privateKey, kid: signing.kid, issuer: this.url, connectorId: connector.id, cursor,
        more: this.feedSettling || since + changes.length < this.changes.length, changes, stalenessSeconds: this.stalenessSeconds,
        ...(extensions?.split(',').map((e) => e.trim()).includes(FEED_CONNECTOR_REVOCATIONS) ? { revokedConnectors: this.revokedConnectors } : {}),
      });
      const empty = !changes.length && !this.feedSettling && since >= this.changes.length;
      return res.writeHead(200, { 'content-type': 'application/jwt', ...(this.etags && empty ? { etag } : {}) }).end(token);
    }
    if (req.method === 'POST' && url.pathname === '/connect/v1/grants') {
      const connector = await this.authenticate(req);
      if (!connector) return refuse(401, 'client_assertion_invalid');
      const request = await body() as GrantRequest;
      this.grantRequests.push({ consumer: connector.id, body: request });
      const answer = await this.onGrant(connector, request);
      return json(answer.status, answer.body);
    }
    if (req.method === 'POST' && url.pathname === '/connect/v1/connectors') {
      const registration = await body() as ConnectorRegistrationRequest;
      this.registrations.push(registration);
      this.registrationAuth.push(req.headers.authorization ?? '');
      if (this.registrationAnswer) return json(this.registrationAnswer.status, this.registrationAnswer.body);
      const id = `conn-${this.registrations.length}`;
      this.connectors.set(id, { id, signingJwk: registration.publicJwk, encryptionJwk: registration.encryptionJwk, url: registration.baseUrl });
      return json(201, { id, name: registration.name, tenant: registration.tenant, serviceClientId: registration.serviceClientId, status: 'pending', jkt: await jwkThumbprint(registration.publicJwk), baseUrl: registration.baseUrl, createdAt: new Date().toISOString() });
    }
    if (req.method === 'PUT' && url.pathname === '/connect/v1/offers') {
      const connector = await this.authenticate(req);
      if (!connector) return refuse(401, 'client_assertion_invalid');
      const request = await body() as OfferPublishRequest;
      const seen = new Set(this.publications.filter((p) => p.connector === connector.id).flatMap((p) => p.body.offers.map((o) => o.code)));
      this.publications.push({ connector: connector.id, body: request });
      const scripted = this.publicationAnswers[Math.min(this.publications.length - 1, this.publicationAnswers.length - 1)];
      if (scripted) return json(scripted.status, scripted.body);
      return json(200, { offers: request.offers.map((o) => ({ code: o.code, outcome: seen.has(o.code) ? 'unchanged' : 'created', version: 1 })) });
    }
    const status = /^\/connect\/v1\/connectors\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && status) {
      const connector = await this.authenticate(req);
      if (!connector || connector.id !== decodeURIComponent(status[1])) return refuse(401, 'client_assertion_invalid');
      const current = this.statusSequence[Math.min(this.statusPolls, this.statusSequence.length - 1)];
      this.statusPolls++;
      return json(200, { id: connector.id, status: current });
    }
    return refuse(404, 'not_found');
  }
}
