import { Injectable } from '@nestjs/common';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import {
  CONTROLLER_TYPES, type DataItemView, type DataUseStatisticsView, type DataUseView, dpvPurposeIri, PURPOSE_CATEGORIES, STATISTICS_AGGREGATE_LABELS,
  STATISTICS_DIMENSION_LABELS,
} from '@tsunagu/contracts';
import type { StatisticsUseDefinition } from '@tsunagu/statistics';
import { type DataOfferRow, DataCatalogRepository, type DataUseRow } from './data-catalog.repository';

/** A data use with its offers resolved (what a view or a receipt needs). */
export interface ResolvedDataUse {
  row: DataUseRow;
  offers: Map<string, DataOfferRow>;
  view: DataUseView;
}

/** How long a process keeps a data use it has read (see DataCatalogService.cache). */
export const CATALOG_TTL_MS = 5_000;

export function itemView(o: DataOfferRow): DataItemView {
  return {
    code: o.code,
    name: { ja: o.name_ja, en: o.name_en },
    description: { ja: o.description_ja, en: o.description_en },
    specialCare: o.special_care,
    provider: { clientId: o.provider_client_id, name: { ja: o.provider_name_ja, en: o.provider_name_en } },
  };
}

function unknownItem(code: string): DataItemView {
  return { code, name: { ja: code, en: code }, description: { ja: '', en: '' }, specialCare: false, provider: { clientId: '', name: { ja: '', en: '' } } };
}

/** A statistics definition as residents read it. */
export function statisticsView(d: StatisticsUseDefinition): DataUseStatisticsView {
  return {
    aggregate: { code: d.aggregate, name: { ...STATISTICS_AGGREGATE_LABELS[d.aggregate] } },
    groupBy: d.groupBy.map((code) => ({ code, name: { ...STATISTICS_DIMENSION_LABELS[code] } })),
    period: { ...d.period }, k: d.k, noise: d.epsilon !== undefined,
  };
}

export function dataUseView(u: DataUseRow, offers: Map<string, DataOfferRow>): DataUseView {
  return {
    code: u.code,
    revision: u.revision,
    title: { ja: u.title_ja, en: u.title_en },
    purpose: { code: u.purpose_code, description: { ja: u.purpose_ja, en: u.purpose_en } },
    items: u.items.map((code) => {
      const offer = offers.get(code);
      return offer ? itemView(offer) : unknownItem(code);
    }),
    retentionDays: u.retention_days,
    consentValidDays: u.consent_valid_days,
    controller: { name: { ja: u.controller_name_ja, en: u.controller_name_en }, contact: u.controller_contact },
    purposeCategory: { code: u.purpose_category, name: { ...PURPOSE_CATEGORIES[u.purpose_category] }, iri: dpvPurposeIri(u.purpose_category) },
    controllerType: { code: u.controller_type, name: { ...CONTROLLER_TYPES[u.controller_type].label }, article: CONTROLLER_TYPES[u.controller_type].article, lawfulBasis: { ...CONTROLLER_TYPES[u.controller_type].lawfulBasis } },
    privacyNoticeUrl: u.privacy_notice_url,
    requiresVerifiedIdentity: u.requires_verified_identity === true,
    consumer: { clientId: u.consumer_client_id, name: { ja: u.consumer_name_ja, en: u.consumer_name_en } },
    ...(u.kind === 'statistics' && u.statistics ? { statistics: statisticsView(u.statistics) } : {}),
  };
}

/**
 * The data catalog: data offers with their JSON Schemas, and the data uses residents are asked
 * about. Item data is validated against the offer's schema (ajv) wherever data is exchanged.
 */
@Injectable()
export class DataCatalogService {
  private readonly ajv = addFormats(new Ajv({ allErrors: true, strict: true }));
  private readonly validators = new Map<string, ValidateFunction>();
  /**
   * Data uses change rarely and every decision needs one: each process keeps them for a few
   * seconds. Staleness is safe — a decision re-reads the revision inside its transaction and
   * refuses if the terms changed (see ConsentService.give).
   */
  private readonly cache = new Map<string, { until: number; value: Promise<ResolvedDataUse | undefined> }>();

  constructor(private readonly repo: DataCatalogRepository) {}

  async listActiveUses(): Promise<ResolvedDataUse[]> {
    return this.resolve(await this.repo.listActiveUses());
  }

  findActiveUse(code: string): Promise<ResolvedDataUse | undefined> {
    return this.cached(`code:${code}`, async () => {
      const row = await this.repo.findActiveUseByCode(code);
      return row && (await this.resolve([row]))[0];
    });
  }

  /** Data uses by ID, active or not (history names retired ones too). */
  async findUsesByIds(ids: string[]): Promise<Map<string, ResolvedDataUse>> {
    const unique = [...new Set(ids)];
    const found = await Promise.all(unique.map((id) => this.cached(`id:${id}`, async () => {
      const row = await this.repo.findUseById(id);
      return row && (await this.resolve([row]))[0];
    })));
    return new Map(found.filter((r): r is ResolvedDataUse => !!r).map((r) => [r.row.id, r]));
  }

  /** Forgets cached data uses (after a change of terms). */
  invalidate(): void {
    this.cache.clear();
  }

  /** Checks data for an item against the offer's JSON Schema. Returns the problems, or [] when valid. */
  async validateItemData(itemCode: string, data: unknown): Promise<string[]> {
    let validate = this.validators.get(itemCode);
    if (!validate) {
      const [offer] = await this.repo.findOffers([itemCode]);
      if (!offer) return [`unknown item ${itemCode}`];
      validate = this.ajv.compile(offer.schema);
      this.validators.set(itemCode, validate);
    }
    if (validate(data)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'invalid'}`);
  }

  private cached(key: string, load: () => Promise<ResolvedDataUse | undefined>): Promise<ResolvedDataUse | undefined> {
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.value;
    const value = load();
    this.cache.set(key, { until: now + CATALOG_TTL_MS, value });
    // A failed read is not kept: the next caller tries again.
    value.catch(() => this.cache.delete(key));
    return value;
  }

  private async resolve(rows: DataUseRow[]): Promise<ResolvedDataUse[]> {
    const offers = new Map((await this.repo.findOffers([...new Set(rows.flatMap((r) => r.items))])).map((o) => [o.code, o]));
    return rows.map((row) => ({ row, offers, view: dataUseView(row, offers) }));
  }
}
