import { Injectable } from '@nestjs/common';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { DataSource } from 'typeorm';
import { assertValid, DomainException } from '@tsunagu/common';
import { type BilingualText, ErrorReason, MAX_OFFER_WINDOW_DAYS, OFFER_CODE_PATTERN, type OfferPublishOutcome, type OfferStatisticsDeclaration, offerStatisticsDeclarationSchema, type OfferStatus, PLAIN_BLOCK_FORMAT, PLAIN_LINE_FORMAT } from '@tsunagu/contracts';
import { AppLogger, LogKind } from '@tsunagu/logger';
import type { AuditEvent } from '../audit/audit-event';
import { AuditService } from '../audit/audit.service';
import { AdminException } from '../platform/access/admin.exception';
import { inTransaction, pgConstraint, type Tx } from '../platform/database/sql';
import { adminIdOf, auditActorOf, type CatalogActor } from './catalog-actor';
import { type OfferContent, type OfferRow, OffersRepository, type OfferVersionRow, type OfferVersionSource, type OfferVersionState, type VersionAuthor } from './offers.repository';

/** One offer as its provider describes it (a connector's configuration, an admin form, the seed). */
export interface OfferDraft {
  code: string;
  nameJa: string;
  nameEn: string;
  descriptionJa: string;
  descriptionEn: string;
  specialCare: boolean;
  schema: Record<string, unknown>;
  maxWindowDays: number | null;
  /** What a statistics data use may do with the item; absent or null: not offered for statistics. */
  statistics?: OfferStatisticsDeclaration | null;
}

/** What publishing did to one offer. */
export type PublishOutcome = OfferPublishOutcome;

/** An offer in its tenant's list. */
export interface OfferSummary {
  code: string;
  tenantId: string;
  service: { id: string; clientId: string; name: BilingualText };
  name: BilingualText;
  status: OfferStatus;
  /** The published (or, before the first activation, the first) version. */
  version: number;
  /** The pending draft's version, if one waits for activation. */
  draftVersion: number | null;
  specialCare: boolean;
  maxWindowDays: number | null;
  connector: { id: string; name: string } | null;
  updatedAt: Date;
}

/** One version of an offer. */
export interface OfferVersionView {
  version: number;
  state: OfferVersionState;
  name: BilingualText;
  description: BilingualText;
  specialCare: boolean;
  schema: Record<string, unknown>;
  maxWindowDays: number | null;
  statistics: OfferStatisticsDeclaration | null;
  source: OfferVersionSource;
  createdBy: { id: string; name: string } | null;
  connector: { id: string; name: string | null } | null;
  createdAt: Date;
  activatedAt: Date | null;
  activatedBy: { id: string; name: string } | null;
}

/** An offer with every version, newest first. */
export interface OfferDetail extends OfferSummary {
  description: BilingualText;
  schema: Record<string, unknown>;
  versions: OfferVersionView[];
}

/** A published offer as a data use may choose it, with its provider. */
export interface CatalogOffer {
  code: string;
  name: BilingualText;
  description: BilingualText;
  specialCare: boolean;
  schema: Record<string, unknown>;
  maxWindowDays: number | null;
  statistics: OfferStatisticsDeclaration | null;
  version: number;
  provider: { serviceId: string; clientId: string; name: BilingualText };
  tenant: { id: string; code: string; name: BilingualText };
}

const text = (format: string, maxLength: number) => ({ type: 'string', minLength: 1, maxLength, format }) as const;
/** The drafts as every caller must send them (the edges check their own forms first; this is the service's own guard). */
const draftsSchema = {
  type: 'array',
  maxItems: 100,
  items: {
    type: 'object',
    properties: {
      code: { type: 'string', minLength: 3, maxLength: 128, pattern: OFFER_CODE_PATTERN },
      nameJa: text(PLAIN_LINE_FORMAT, 100), nameEn: text(PLAIN_LINE_FORMAT, 100),
      descriptionJa: text(PLAIN_BLOCK_FORMAT, 1000), descriptionEn: text(PLAIN_BLOCK_FORMAT, 1000),
      specialCare: { type: 'boolean' },
      schema: { type: 'object' },
      maxWindowDays: { type: 'integer', minimum: 1, maximum: MAX_OFFER_WINDOW_DAYS, nullable: true },
      statistics: { anyOf: [offerStatisticsDeclarationSchema, { type: 'null' }] },
    },
    required: ['code', 'nameJa', 'nameEn', 'descriptionJa', 'descriptionEn', 'specialCare', 'schema', 'maxWindowDays'],
    additionalProperties: false,
  },
} as const;

const notFound = () => new AdminException('offer_not_found');
/** How often a publication is retried after losing a race on a unique constraint. */
const RACE_RETRIES = 3;

function contentOf(d: OfferDraft): OfferContent {
  return {
    name_ja: d.nameJa.trim(), name_en: d.nameEn.trim(), description_ja: d.descriptionJa.trim(), description_en: d.descriptionEn.trim(),
    special_care: d.specialCare, schema: d.schema, max_window_days: d.maxWindowDays, statistics: d.statistics ?? null,
  };
}

/** Deterministic JSON (object keys sorted): jsonb does not keep key order, so content is compared this way. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function sameContent(a: OfferContent, b: OfferContent): boolean {
  return a.name_ja === b.name_ja && a.name_en === b.name_en && a.description_ja === b.description_ja && a.description_en === b.description_en
    && a.special_care === b.special_care && (a.max_window_days ?? null) === (b.max_window_days ?? null) && canonical(a.schema) === canonical(b.schema)
    && canonical(a.statistics ?? null) === canonical(b.statistics ?? null);
}

function sourceOf(actor: CatalogActor): OfferVersionSource {
  switch (actor.kind) {
    case 'admin': return 'admin';
    case 'connector': return 'connector';
    case 'system': return actor.name === 'migration' ? 'migration' : 'seed';
  }
}

function summaryOf(o: OfferRow): OfferSummary {
  return {
    code: o.code, tenantId: o.tenant_id,
    service: { id: o.service_id, clientId: o.service_client_id, name: { ja: o.service_name_ja, en: o.service_name_en } },
    name: { ja: o.name_ja, en: o.name_en }, status: o.status, version: o.version, draftVersion: o.draft_version ?? null,
    specialCare: o.special_care, maxWindowDays: o.max_window_days,
    connector: o.connector_id ? { id: o.connector_id, name: o.connector_name ?? '' } : null, updatedAt: o.updated_at,
  };
}

function versionView(v: OfferVersionRow): OfferVersionView {
  return {
    version: v.version, state: v.state, name: { ja: v.name_ja, en: v.name_en }, description: { ja: v.description_ja, en: v.description_en },
    specialCare: v.special_care, schema: v.schema, maxWindowDays: v.max_window_days, statistics: v.statistics ?? null, source: v.source,
    createdBy: v.created_by ? { id: v.created_by, name: v.created_by_name ?? '' } : null,
    connector: v.connector_id ? { id: v.connector_id, name: v.connector_name } : null,
    createdAt: v.created_at, activatedAt: v.activated_at,
    activatedBy: v.activated_by ? { id: v.activated_by, name: v.activated_by_name ?? '' } : null,
  };
}

/**
 * Data offers, owned by the provider's tenant (ARCHITECTURE.md §4): published as drafts (by the
 * provider's connector, an admin, or the seed), activated by the tenant's admin, withdrawn from
 * the catalog. A change of texts or schema is a new version; old versions stay readable. Every
 * change and its audit row commit in one transaction.
 */
@Injectable()
export class OffersService {
  private readonly logger = new AppLogger(OffersService.name);

  constructor(private readonly db: DataSource, private readonly repo: OffersRepository, private readonly audit: AuditService) {}

  /** Publishes offers of a provider service as drafts (a connector's configuration, an admin form, the seed). */
  async publish(actor: CatalogActor, service: { id: string; tenantId: string }, drafts: OfferDraft[], opts: { connectorId?: string } = {}): Promise<{ code: string; outcome: PublishOutcome; version: number }[]> {
    assertValid(draftsSchema, drafts);
    this.compileAll(drafts);
    const codes = drafts.map((d) => d.code);
    const twice = codes.filter((c, i) => codes.indexOf(c) !== i);
    if (twice.length) {
      throw new DomainException('invalid_request', ErrorReason.BadRequest, { ja: '同じデータ項目コードが2回以上あります。', en: 'An item code is listed more than once.' },
        [...new Set(twice)].map((c) => ({ field: 'offers', problem: `${c} is listed twice` })));
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await inTransaction(this.db, (tx) => this.publishIn(tx, actor, service, drafts, opts.connectorId ?? null));
      } catch (error) {
        // The row lock of lockByCode and ON CONFLICT DO NOTHING serialise publishers; a unique
        // violation can still surface if a draft was inserted between our read and our write by
        // a path that does not lock (none today): the whole publication is retried.
        const constraint = pgConstraint(error);
        if (attempt < RACE_RETRIES && (constraint === 'data_offers_code_key' || constraint === 'data_offer_versions_one_draft' || constraint === 'data_offer_versions_key')) continue;
        throw error;
      }
    }
  }

  /** Activates a version (the pending draft); the previous active version becomes superseded. */
  async activate(actor: CatalogActor, tenantId: string, code: string, version: number): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      const offer = await this.repo.lockInTenant(tx, tenantId, code);
      if (!offer) throw notFound();
      const v = Number.isSafeInteger(version) && version >= 1 ? await this.repo.findVersion(tx, offer.id, version) : undefined;
      if (!v) throw new AdminException('offer_version_not_found');
      if (offer.status === 'withdrawn' || v.state !== 'draft') {
        throw new AdminException('offer_transition_invalid', [{ field: 'version', problem: `offer ${offer.status}, version ${v.state}: only the draft of an offer not withdrawn can be activated` }]);
      }
      await this.repo.activate(tx, offer.id, v, adminIdOf(actor));
      await this.record(tx, actor, tenantId, offer.id, { action: 'offer.activate', code, version, previousVersion: offer.status === 'active' ? offer.version : null });
    });
    this.logger.log(LogKind.Operation, 'Offer version activated', { code, version });
  }

  /** Withdraws an offer from the catalog; returns the ids of data uses (any tenant, not retired) that contain it. */
  async withdraw(actor: CatalogActor, tenantId: string, code: string, reason: string): Promise<{ dataUseIds: string[] }> {
    const trimmed = reason.trim();
    if (!trimmed) throw new AdminException('reason_required');
    const dataUseIds = await inTransaction(this.db, async (tx) => {
      const offer = await this.repo.lockInTenant(tx, tenantId, code);
      if (!offer) throw notFound();
      if (offer.status === 'withdrawn') throw new AdminException('offer_transition_invalid', [{ field: 'status', problem: 'already withdrawn' }]);
      const discarded = await this.repo.withdraw(tx, offer.id);
      const uses = await this.repo.usesContaining(tx, code);
      await this.record(tx, actor, tenantId, offer.id, { action: 'offer.withdraw', code, version: offer.version, discardedDraft: discarded, dataUses: uses.length, reason: trimmed.slice(0, 500) });
      return uses;
    });
    this.logger.log(LogKind.Operation, 'Offer withdrawn', { code, dataUses: dataUseIds.length });
    return { dataUseIds };
  }

  async listForTenant(tenantId: string): Promise<OfferSummary[]> {
    return (await this.repo.listForTenant(tenantId)).map(summaryOf);
  }

  /** One offer of the tenant with every version, newest first (undefined for another tenant's). */
  async find(tenantId: string, code: string): Promise<OfferDetail | undefined> {
    const o = await this.repo.findInTenant(tenantId, code);
    if (!o) return undefined;
    const versions = await this.repo.versions(o.id);
    return { ...summaryOf(o), description: { ja: o.description_ja, en: o.description_en }, schema: o.schema, versions: versions.map(versionView) };
  }

  /** Every active offer of an active service, across tenants (what a data use may choose from), with provider service and tenant names. */
  async catalog(): Promise<CatalogOffer[]> {
    return (await this.repo.catalog()).map((o) => ({
      code: o.code, name: { ja: o.name_ja, en: o.name_en }, description: { ja: o.description_ja, en: o.description_en },
      specialCare: o.special_care, schema: o.schema, maxWindowDays: o.max_window_days, statistics: o.statistics ?? null, version: o.version,
      provider: { serviceId: o.service_id, clientId: o.service_client_id, name: { ja: o.service_name_ja, en: o.service_name_en } },
      tenant: { id: o.tenant_id, code: o.tenant_code, name: { ja: o.tenant_name_ja, en: o.tenant_name_en } },
    }));
  }

  /** Compiles every schema before anything is written: one that does not compile refuses the whole publication. */
  private compileAll(drafts: OfferDraft[]): void {
    const details: { field: string; problem: string }[] = [];
    drafts.forEach((d, i) => {
      // A fresh ajv per schema (the settings of DataCatalogService.ajv): a `$id` repeated across schemas must not clash.
      const ajv = addFormats(new Ajv({ allErrors: true, strict: true }));
      try {
        ajv.compile(d.schema);
      } catch (error) {
        details.push({ field: `offers/${i}/schema`, problem: (error as Error).message.split('\n')[0].slice(0, 300) });
      }
    });
    if (details.length) throw new AdminException('invalid_offer_schema', details);
  }

  private async publishIn(tx: Tx, actor: CatalogActor, service: { id: string; tenantId: string }, drafts: OfferDraft[], connectorId: string | null) {
    const by: VersionAuthor = { source: sourceOf(actor), adminId: adminIdOf(actor), connectorId };
    const results = new Map<string, { code: string; outcome: PublishOutcome; version: number }>();
    const events: Record<string, unknown>[] = [];
    // Codes in one order across publishers: two publications locking offers never wait on each other in a cycle.
    for (const draft of [...drafts].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))) {
      const content = contentOf(draft);
      let offer = await this.repo.lockByCode(tx, draft.code);
      if (!offer) {
        const id = await this.repo.insertDraftOffer(tx, service, draft.code, content, connectorId);
        if (id) {
          await this.repo.insertDraftVersion(tx, id, 1, content, by);
          results.set(draft.code, { code: draft.code, outcome: 'created', version: 1 });
          events.push({ subject: id, action: 'offer.create', code: draft.code, version: 1 });
          continue;
        }
        // Another publisher created it meanwhile (we waited for its commit): carry on with its row.
        offer = await this.repo.lockByCode(tx, draft.code);
        if (!offer) throw new Error(`offer ${draft.code} vanished during publication`);
      }
      if (offer.service_id !== service.id || offer.tenant_id !== service.tenantId) {
        throw new AdminException('offer_code_taken', [{ field: `offers/${drafts.indexOf(draft)}/code`, problem: `${draft.code} belongs to another service` }]);
      }
      if (connectorId && offer.connector_id !== connectorId) {
        await this.repo.setConnector(tx, offer.id, connectorId);
        events.push({ subject: offer.id, action: 'offer.connector_set', code: draft.code, version: offer.version, connectorId });
      }
      if (offer.status === 'withdrawn') {
        // Withdrawn is final: the provider's admin decided; a connector publishing at each start changes nothing.
        results.set(draft.code, { code: draft.code, outcome: 'unchanged', version: offer.version });
        continue;
      }
      const current = await this.repo.currentVersions(tx, offer.id);
      if (current.draft) {
        if (sameContent(current.draft, content)) {
          results.set(draft.code, { code: draft.code, outcome: 'unchanged', version: current.draft.version });
          continue;
        }
        await this.repo.updateDraftVersion(tx, current.draft.id, content, by);
        await this.repo.mirrorDraft(tx, offer.id, content);
        results.set(draft.code, { code: draft.code, outcome: 'draft_updated', version: current.draft.version });
        events.push({ subject: offer.id, action: 'offer.draft_update', code: draft.code, version: current.draft.version });
        continue;
      }
      if (current.active && sameContent(current.active, content)) {
        results.set(draft.code, { code: draft.code, outcome: 'unchanged', version: current.active.version });
        continue;
      }
      const version = current.maxVersion + 1;
      await this.repo.insertDraftVersion(tx, offer.id, version, content, by);
      results.set(draft.code, { code: draft.code, outcome: 'new_version', version });
      events.push({ subject: offer.id, action: 'offer.new_version', code: draft.code, version });
    }
    // Audit rows last: their append lock is held until the transaction ends (AuditService.record).
    for (const { subject, ...details } of events) await this.record(tx, actor, service.tenantId, subject as string, details);
    return drafts.map((d) => results.get(d.code)!);
  }

  private record(tx: Tx, actor: CatalogActor, tenantId: string, subject: string, details: Record<string, unknown>) {
    const event: AuditEvent = {
      type: actor.kind === 'admin' ? 'admin.change' : 'catalog.offer_published', actor: auditActorOf(actor), tenantId, subject, outcome: 'success', details,
    };
    return this.audit.record(event, tx);
  }
}
