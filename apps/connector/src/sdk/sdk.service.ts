import { Inject, Injectable, Optional } from '@nestjs/common';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { CLOCK, type Clock } from '@tsunagu/common';
import {
  createProof, type ExchangeResponse, exchangeResponseSchema, type GrantResponse, PEER_EXCHANGE_PATH, type SdkDataRequest, type SdkDataResponse,
} from '@tsunagu/contracts';
import { OfferCatalog, schemaProblems } from '../adapters/offer-catalog';
import { connectorError, ConnectorException } from '../connector.exception';
import { CONNECTOR_CONFIG, CONNECTOR_KEYS, type ConnectorConfig, HTTP_FETCH, type HttpFetch } from '../connector.tokens';
import { fetchProblem } from '../hub-client/fetch-error';
import { HubClient, remoteError } from '../hub-client/hub.client';
import type { ConnectorKeys } from '../keys/connector-keys';
import { ProvisionReporter } from '../provisions/provision-reporter';
import { RevocationSet } from '../revocations/revocation-set';
import { GrantCache } from './grant-cache';

const ajv = new Ajv({ strict: false });
addFormats(ajv);
const validateExchange = ajv.compile<ExchangeResponse>(exchangeResponseSchema);

/** Codes after which a cached grant is dropped and, once, a fresh grant is asked for. */
const RETRY_WITH_NEW_GRANT = new Set(['grant_expired', 'grant_replayed']);

/**
 * The consumer side (ARCHITECTURE.md §5 steps 1–4): the service names the resident by its own
 * local ID; this connector checks the request against its configured data uses, asks the hub for a
 * grant, presents it to the provider with a DPoP proof, checks every returned item against its
 * own schema, and stores the provision report durably — all before the service sees anything.
 */
@Injectable()
export class SdkService {
  private readonly logger = new AppLogger(SdkService.name);
  /** Reusable grants; dropped as soon as the revocation set hears of a change that revokes them. */
  private readonly grants: GrantCache;

  constructor(
    @Inject(CONNECTOR_CONFIG) private readonly config: ConnectorConfig,
    @Inject(CONNECTOR_KEYS) private readonly keys: ConnectorKeys,
    @Inject(HTTP_FETCH) private readonly http: HttpFetch,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly hub: HubClient,
    private readonly catalog: OfferCatalog,
    revocations: RevocationSet,
    @Optional() private readonly provisions?: ProvisionReporter,
  ) {
    this.grants = new GrantCache((consentId, version) => revocations.isRevoked(consentId, version));
    revocations.watch(this.grants);
  }

  async request(req: SdkDataRequest): Promise<SdkDataResponse> {
    const use = this.catalog.dataUse(req.dataUse);
    const unknown = req.items.filter((item) => !use?.items.has(item));
    if (!use || use.config.purpose !== req.purpose || unknown.length) {
      throw connectorError('data_use_not_configured', [
        ...(!use ? [{ field: 'dataUse', problem: 'not configured' }] : []),
        ...(use && use.config.purpose !== req.purpose ? [{ field: 'purpose', problem: 'not the purpose of this data use' }] : []),
        ...unknown.map((item) => ({ field: 'items', problem: `${item} is not an item of this data use` })),
      ]);
    }
    const consentedOnly = req.consentedOnly === true;
    const key = GrantCache.key(req.localId, req.dataUse, req.items, req.purpose, consentedOnly);
    let grant = this.grants.get(key, this.clock.now().getTime());
    const cached = !!grant;
    grant ??= await this.newGrant(key, req, use.items);
    let exchange: ExchangeResponse;
    try {
      exchange = await this.exchange(grant, req);
    } catch (error) {
      this.grants.drop(key);
      if (!(cached && error instanceof ConnectorException && RETRY_WITH_NEW_GRANT.has(error.code))) {
        this.reportRefusal(grant, req, error);
        throw error;
      }
      const fresh = await this.newGrant(key, req, use.items);
      grant = fresh;
      exchange = await this.exchange(fresh, req).catch((refusal: unknown) => {
        this.reportRefusal(fresh, req, refusal);
        throw refusal;
      });
    }
    const granted = grant.items;
    const items = this.checkItems(exchange, granted, use.items);
    // No provision without a record (docs/connector.md §8): the report is on disk before the
    // service gets the data; if it cannot be stored, the service gets `provision_unrecorded`.
    await this.reportExchange(grant, req, 'provided');
    this.logger.log(LogKind.Communication, 'Exchange received', {
      grantId: grant.grantId, dataUse: req.dataUse, items: granted, provider: grant.provider.connectorId, reusedGrant: cached,
    });
    return {
      grantId: grant.grantId, dataUse: req.dataUse, items,
      ...(consentedOnly ? { notConsented: req.items.filter((item) => !granted.includes(item)) } : {}),
      provider: { connectorId: grant.provider.connectorId }, providedAt: exchange.providedAt,
    };
  }

  /** Stores the exchange's metadata (never the items' values) for the hub's provision ledger: the grant's items. Resolves once durable. */
  private async reportExchange(grant: GrantResponse, req: SdkDataRequest, outcome: 'provided' | 'refused', code?: string): Promise<void> {
    await this.provisions?.report('consumer', {
      grantId: grant.grantId, peerConnectorId: grant.provider.connectorId, dataUse: req.dataUse, items: grant.items, purpose: req.purpose, outcome,
      ...(code ? { code } : {}),
    });
  }

  /**
   * The provider's consent refusal is the resident's business (the ledger shows it); outages are
   * not. No data came, so the refusal is answered without waiting for its report to be stored (a
   * failure to store it is logged by the reporter).
   */
  private reportRefusal(grant: GrantResponse, req: SdkDataRequest, error: unknown): void {
    if (error instanceof ConnectorException && error.code === 'consent_revoked') this.reportExchange(grant, req, 'refused', error.code).catch(() => undefined);
  }

  /**
   * A grant from the hub. It must grant the requested items — or, with `consentedOnly`, some of
   * them — and only items this connector has a schema for; anything else is an answer outside the
   * API (`hub_unavailable`), never data accepted unchecked.
   */
  private async newGrant(key: string, req: SdkDataRequest, schemas: Map<string, ValidateFunction>): Promise<GrantResponse> {
    const grant = await this.hub.requestGrant({
      localId: req.localId, dataUse: req.dataUse, items: req.items, purpose: req.purpose, ...(req.consentedOnly ? { consentedOnly: true } : {}),
    });
    const outside = grant.items.filter((item) => !req.items.includes(item) || !schemas.has(item));
    if (outside.length || (!req.consentedOnly && grant.items.length !== req.items.length)) {
      this.logger.warn(LogKind.Communication, 'Hub granted other items than requested', { dataUse: req.dataUse, requested: req.items, granted: grant.items });
      throw connectorError('hub_unavailable', [{ field: 'grant', problem: 'other items than requested' }]);
    }
    this.grants.put(key, grant, this.clock.now().getTime());
    return grant;
  }

  private async exchange(grant: GrantResponse, req: SdkDataRequest): Promise<ExchangeResponse> {
    const url = `${grant.provider.url.replace(/\/+$/, '')}${PEER_EXCHANGE_PATH}`;
    const proof = await createProof({
      privateKey: this.keys.signing.privateKey, publicJwk: this.keys.signing.publicJwk, htm: 'POST', htu: url, grant: grant.grant, now: this.clock.now(),
    });
    let res: Response;
    try {
      res = await this.http(url, {
        method: 'POST',
        headers: { authorization: `DPoP ${grant.grant}`, dpop: proof, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(req.period ? { period: req.period } : {}),
        signal: AbortSignal.timeout(this.config.peer.timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      this.logger.warn(LogKind.Communication, 'Provider connector unreachable', { provider: grant.provider.connectorId, problem: fetchProblem(error) });
      throw connectorError('provider_unavailable');
    }
    if (res.status !== 200) {
      const error = await remoteError(res, 'provider_unavailable');
      this.logger.warn(LogKind.Communication, 'Provider refused the exchange', { provider: grant.provider.connectorId, grantId: grant.grantId, code: error.code });
      throw error;
    }
    const body = await res.json().catch(() => undefined);
    if (!validateExchange(body) || body.grantId !== grant.grantId) {
      throw connectorError('provider_unavailable', [{ field: 'exchange', problem: 'malformed answer' }]);
    }
    return body;
  }

  /** Exactly the granted items, each valid against this connector's schema — or nothing. */
  private checkItems(exchange: ExchangeResponse, granted: string[], schemas: Map<string, ValidateFunction>): Record<string, unknown> {
    const received = Object.keys(exchange.items);
    const extra = received.filter((code) => !granted.includes(code));
    const missing = granted.filter((code) => !Object.prototype.hasOwnProperty.call(exchange.items, code));
    if (extra.length || missing.length) {
      this.logger.warn(LogKind.Communication, 'Provider returned other items than granted', { extra, missing });
      throw connectorError('schema_violation', [...extra.map((c) => ({ field: c, problem: 'not requested' })), ...missing.map((c) => ({ field: c, problem: 'missing' }))]);
    }
    const items: Record<string, unknown> = {};
    for (const code of granted) {
      const validate = schemas.get(code)!;
      if (!validate(exchange.items[code])) {
        this.logger.warn(LogKind.Communication, 'Received data violates the accepted schema', { item: code });
        throw connectorError('schema_violation', schemaProblems(code, validate.errors));
      }
      items[code] = exchange.items[code];
    }
    return items;
  }
}
