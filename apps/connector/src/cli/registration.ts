import { existsSync } from 'node:fs';
import Ajv from 'ajv';
import {
  type ConnectorRegistrationRequest, type ConnectorRegistrationView, connectorRegistrationViewSchema, createClientAssertion,
  HUB_CONNECT_PATH, thumbprintUri,
} from '@tsunagu/contracts';
import { type LoadedConnectorConfig } from '../config/connector-file';
import { CONNECTOR_VERSION, type HttpFetch } from '../connector.tokens';
import {
  type ConnectorKeyFile, type ConnectorKeys, generateConnectorKeyFile, keysFromFile, readKeyFile, readRegistrationRecord,
  type RegistrationRecord, writeKeyFile, writeRegistrationRecord,
} from '../keys/connector-keys';
import { fetchProblem } from '../hub-client/fetch-error';
import { HubClient } from '../hub-client/hub.client';
import { offerPublications } from '../hub-client/offer-publisher';

/** What publishing did to an offer, as the command prints it. */
const OUTCOME_WORDS: Record<string, string> = {
  created: 'published as a new draft', new_version: 'changed: published as a new draft version', draft_updated: 'pending draft updated', unchanged: 'unchanged',
};

/** The least time one request of the registration waits for the hub. */
const REGISTRATION_TIMEOUT_MS = 30_000;

const validateView = new Ajv({ strict: false }).compile<ConnectorRegistrationView>(connectorRegistrationViewSchema);

/** Why registration did not end with an approved connector. */
export type RegistrationProblem =
  | 'hub_unavailable' /** The hub did not answer, or has no connector API yet. */
  | 'registration_refused' /** The hub refused the registration (see `hubCode`). */
  | 'connector_rejected' /** An admin suspended or revoked the connector while we waited. */
  | 'approval_timeout'; /** No decision within the timeout: run the command again later to keep waiting. */

/** A typed failure of the register command. */
export class RegistrationError extends Error {
  constructor(readonly problem: RegistrationProblem, message: string, readonly hubCode?: string) {
    super(message);
    this.name = 'RegistrationError';
  }
}

/** Options of one run. */
export interface RegistrationOptions {
  rotate: boolean;
  dryRun: boolean;
  /** Wait for approval after registering (default true). */
  wait: boolean;
  timeoutSeconds: number;
  intervalSeconds: number;
}

/** What a run needs from the outside world (tests replace all of it). */
export interface RegistrationDeps {
  fetch: HttpFetch;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  out: (line: string) => void;
}

/** The result of a run. */
export interface RegistrationResult {
  connectorId?: string;
  status?: string;
  /** The request that was (or, with --dry-run, would have been) sent. */
  request?: { method: 'POST'; url: string; body: ConnectorRegistrationRequest };
  retiredKeyFile?: string;
  /** What publishing the configuration's offers did (absent when there are none, or the hub did not take them). */
  offers?: { code: string; outcome: string; version: number }[];
}

/**
 * `npm run connector:register -- --config FILE`: makes (or reuses) the connector's keys,
 * registers them with the hub and waits for a tenant admin's approval. Never replaces an existing
 * key file without `--rotate`; rerunning after an interruption resumes waiting with the same key.
 */
export class ConnectorRegistration {
  constructor(private readonly config: LoadedConnectorConfig, private readonly deps: RegistrationDeps) {}

  async run(options: RegistrationOptions): Promise<RegistrationResult> {
    const { out } = this.deps;
    const file = this.config.keys.file;
    const exists = existsSync(file);
    const previous = exists ? await readKeyFile(file) : undefined;
    let content: ConnectorKeyFile;
    let fresh = false;
    if (!exists || options.rotate) {
      content = await generateConnectorKeyFile(this.deps.now());
      fresh = true;
    } else {
      content = previous!.content;
      out(`Using the existing keys in ${file} (pass --rotate to replace them).`);
    }
    const keys = await keysFromFile(content);
    this.printKeys(keys);

    const record = readRegistrationRecord(this.config.keys.registrationFile);
    if (record && record.jkt === keys.signing.kid && !options.rotate && !options.dryRun) {
      out(`Already registered as ${record.connectorId} (status ${record.status}); checking with the hub.`);
      const offers = await this.publishOffers(record.connectorId, keys);
      return { ...await this.finish(record.connectorId, record.status, keys, options, record.registeredAt), offers };
    }

    const body: ConnectorRegistrationRequest = {
      name: this.config.connector.name,
      tenant: this.config.tenant,
      serviceClientId: this.config.service.clientId,
      publicJwk: keys.signing.publicJwk,
      encryptionJwk: keys.encryption.publicJwk,
      baseUrl: this.config.publicUrl,
      version: CONNECTOR_VERSION,
    };
    if (options.rotate && previous && record) {
      body.rotation = {
        connectorId: record.connectorId,
        proof: await createClientAssertion({
          privateKey: previous.keys.signing.privateKey, kid: previous.keys.signing.kid, subject: record.connectorId,
          audience: this.config.hub.issuer, newJkt: keys.signing.kid, now: this.deps.now(),
        }),
      };
    }
    const url = `${this.config.hub.url}${HUB_CONNECT_PATH}/connectors`;
    const request = { method: 'POST' as const, url, body };

    if (options.dryRun) {
      out('Dry run: nothing was written and nothing was sent. The request would be:');
      out(`POST ${url}`);
      out('content-type: application/json');
      out(`authorization: Bearer <client assertion signed with the key above, iss=${thumbprintUri(keys.signing.kid)}, aud=${this.config.hub.issuer}>`);
      out(JSON.stringify(body, null, 2));
      if (this.config.offers.length) out(`Then PUT ${this.config.hub.url}${HUB_CONNECT_PATH}/offers with the ${this.config.offers.length} offer(s) of the configuration.`);
      return { request };
    }

    // A first key is written before it is sent, so that a crash cannot leave the hub holding a key nobody has.
    // A rotated key is written only once the hub accepted it, so that a refusal leaves the working key in place.
    if (fresh && !options.rotate) {
      writeKeyFile(file, content);
      out(`Wrote the keys to ${file} (mode 0600).`);
    }
    const view = await this.register(url, body, keys);
    let retiredKeyFile: string | undefined;
    if (options.rotate) {
      retiredKeyFile = writeKeyFile(file, content, { rotate: true, now: this.deps.now() });
      out(`Wrote the new keys to ${file} (mode 0600)${retiredKeyFile ? `; the old ones are kept in ${retiredKeyFile}` : ''}.`);
    }
    const registeredAt = this.deps.now().toISOString();
    this.saveRecord(view.id, view.status, keys, registeredAt);
    out(`Registered as ${view.id} (status ${view.status}).`);
    const offers = await this.publishOffers(view.id, keys);
    const result = await this.finish(view.id, view.status, keys, options, registeredAt);
    return { ...result, request, retiredKeyFile, offers };
  }

  /**
   * Publishes the configuration's offers as drafts for the tenant's admin (a pending connector may),
   * so that the admin sees what the connector offers when approving it. Not fatal: the connector
   * publishes them again at each start.
   */
  private async publishOffers(connectorId: string, keys: ConnectorKeys): Promise<RegistrationResult['offers']> {
    if (!this.config.offers.length) return undefined;
    const hub = new HubClient(this.config, { id: connectorId, name: this.config.connector.name }, keys, this.deps.fetch, { now: this.deps.now });
    try {
      const { offers } = await hub.publishOffers({ offers: offerPublications(this.config) });
      for (const o of offers) this.deps.out(`Offer ${o.code}: ${OUTCOME_WORDS[o.outcome] ?? o.outcome} (version ${o.version}).`);
      if (offers.some((o) => o.outcome !== 'unchanged')) this.deps.out(`A tenant admin of ${this.config.tenant} activates the drafts at the hub (提供データ).`);
      return offers;
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'error';
      const details = ((error as { details?: { field: string; problem: string }[] }).details ?? []).map((d) => `${d.field}: ${d.problem}`).join('; ');
      this.deps.out(`The offers were not published (${code}${details ? `: ${details}` : ''}); the connector publishes them at each start.`);
      return undefined;
    }
  }

  private printKeys(keys: ConnectorKeys): void {
    this.deps.out(`Signing key (ES256) thumbprint: ${keys.signing.kid}`);
    this.deps.out(`  public JWK: ${JSON.stringify(keys.signing.publicJwk)}`);
    this.deps.out(`Encryption key (ECDH-ES+A256KW) thumbprint: ${keys.encryption.kid}`);
    this.deps.out(`  public JWK: ${JSON.stringify(keys.encryption.publicJwk)}`);
  }

  private saveRecord(connectorId: string, status: string, keys: ConnectorKeys, registeredAt: string): void {
    const record: RegistrationRecord = {
      connectorId, hubUrl: this.config.hub.url, jkt: keys.signing.kid, status, registeredAt, checkedAt: this.deps.now().toISOString(),
    };
    writeRegistrationRecord(this.config.keys.registrationFile, record);
  }

  private async finish(connectorId: string, status: string, keys: ConnectorKeys, options: RegistrationOptions, registeredAt: string): Promise<RegistrationResult> {
    if (status === 'approved' || !options.wait) return { connectorId, status };
    const approved = await this.waitForApproval(connectorId, keys, options, registeredAt);
    return { connectorId, status: approved };
  }

  private async register(url: string, body: ConnectorRegistrationRequest, keys: ConnectorKeys): Promise<ConnectorRegistrationView> {
    const assertion = await createClientAssertion({
      privateKey: keys.signing.privateKey, kid: keys.signing.kid, subject: thumbprintUri(keys.signing.kid), audience: this.config.hub.issuer, now: this.deps.now(),
    });
    const res = await this.send(url, { method: 'POST', headers: { authorization: `Bearer ${assertion}`, 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
    if (res.status !== 201 && res.status !== 200) throw await this.refusal(res);
    return this.view(res);
  }

  private async waitForApproval(connectorId: string, keys: ConnectorKeys, options: RegistrationOptions, registeredAt: string): Promise<string> {
    const deadline = this.deps.now().getTime() + options.timeoutSeconds * 1000;
    const url = `${this.config.hub.url}${HUB_CONNECT_PATH}/connectors/${encodeURIComponent(connectorId)}`;
    this.deps.out(`Waiting for a tenant admin of ${this.config.tenant} to approve connector ${connectorId} (up to ${options.timeoutSeconds} s)…`);
    let lastProblem = '';
    for (;;) {
      try {
        const assertion = await createClientAssertion({
          privateKey: keys.signing.privateKey, kid: keys.signing.kid, subject: connectorId, audience: this.config.hub.issuer, now: this.deps.now(),
        });
        const res = await this.send(url, { method: 'GET', headers: { authorization: `Bearer ${assertion}`, accept: 'application/json' } });
        if (res.status !== 200) throw await this.refusal(res);
        const view = await this.view(res);
        this.saveRecord(connectorId, view.status, keys, registeredAt);
        if (view.status === 'approved') {
          this.deps.out(`Approved: connector ${connectorId} may now exchange data.`);
          return view.status;
        }
        if (view.status === 'suspended' || view.status === 'revoked') {
          throw new RegistrationError('connector_rejected', `The connector is ${view.status} at the hub; ask the tenant admin.`);
        }
      } catch (error) {
        if (!(error instanceof RegistrationError) || error.problem !== 'hub_unavailable') throw error;
        if (error.message !== lastProblem) this.deps.out(`  (${error.message}; still trying)`);
        lastProblem = error.message;
      }
      if (this.deps.now().getTime() + options.intervalSeconds * 1000 > deadline) {
        throw new RegistrationError('approval_timeout', `Not approved within ${options.timeoutSeconds} s. Run the command again to keep waiting (the key and registration are kept).`);
      }
      await this.deps.sleep(options.intervalSeconds * 1000);
    }
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    try {
      // A one-off command can wait longer than the exchange path does: a busy hub (a first start
      // migrating its database, a slow machine) must not fail the registration.
      const timeoutMs = Math.max(this.config.hub.timeoutMs, REGISTRATION_TIMEOUT_MS);
      return await this.deps.fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    } catch (error) {
      throw new RegistrationError('hub_unavailable', `The hub at ${this.config.hub.url} cannot be reached (${fetchProblem(error)})`);
    }
  }

  /**
   * A non-success answer: transport-level trouble (5xx, a 404 without a code, HTML) is
   * `hub_unavailable` and retried while waiting; a typed refusal by the hub is final.
   */
  private async refusal(res: Response): Promise<RegistrationError> {
    let code: unknown;
    let message: unknown;
    let details: unknown;
    try {
      const body = (await res.json()) as { error?: { code?: unknown; messageEn?: unknown; details?: unknown } };
      code = body.error?.code;
      message = body.error?.messageEn;
      details = body.error?.details;
    } catch {
      code = undefined;
    }
    if (res.status === 404 && (code === undefined || code === 'not_found')) {
      return new RegistrationError('hub_unavailable', `The hub at ${this.config.hub.url} has no connector API (HTTP 404)`);
    }
    if (res.status >= 500 || typeof code !== 'string' || code === 'hub_unavailable') {
      return new RegistrationError('hub_unavailable', `The hub answered HTTP ${res.status}`);
    }
    // The hub's details name the field and what is wrong with it (an unknown service client_id, a name taken…).
    const problems = Array.isArray(details)
      ? details.filter((d): d is { field: string; problem: string } => typeof d?.field === 'string' && typeof d?.problem === 'string').map((d) => `${d.field}: ${d.problem}`)
      : [];
    return new RegistrationError('registration_refused',
      `The hub refused: ${code}${typeof message === 'string' ? ` (${message})` : ''}${problems.length ? ` — ${problems.join('; ')}` : ''}`, code);
  }

  private async view(res: Response): Promise<ConnectorRegistrationView> {
    const body = await res.json().catch(() => undefined);
    if (!validateView(body)) throw new RegistrationError('hub_unavailable', 'The hub answered something that is not a connector');
    return body;
  }
}
