import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DataUseTermsRecord } from './data-uses.repository';

/** The terms of one revision, as `data_use_revisions.terms` keeps them (written by DataUsesService). */
export type DataUseRevisionTerms = DataUseTermsRecord;

/**
 * Reads the revisions of data uses' terms, for the resident's "what changed" (read-only: only the
 * catalog writes them). Resident-facing and so unscoped, like the catalog's other resident reads:
 * every resident may be asked by any tenant's service.
 */
@Injectable()
export class DataUseRevisionsRepository {
  constructor(private readonly db: DataSource) {}

  /** The terms of these revisions of the data use with this code, by revision (a revision not on record is absent). */
  async findTerms(dataUseCode: string, revisions: number[]): Promise<Map<number, DataUseRevisionTerms>> {
    if (!revisions.length) return new Map();
    const rows: { revision: number; terms: DataUseRevisionTerms }[] = await this.db.query(
      `SELECT r.revision, r.terms FROM data_use_revisions r JOIN data_uses u ON u.id = r.data_use_id
       WHERE u.code = $1 AND r.revision = ANY($2::int[])`, [dataUseCode, revisions]);
    return new Map(rows.map((r) => [r.revision, r.terms]));
  }

  /** The names of items by code, offers active or not (an item removed from a data use is still named). */
  async itemNames(codes: string[]): Promise<Map<string, { ja: string; en: string }>> {
    if (!codes.length) return new Map();
    const rows: { code: string; name_ja: string; name_en: string }[] = await this.db.query(
      `SELECT code, name_ja, name_en FROM data_offers WHERE code = ANY($1::text[])`, [codes]);
    return new Map(rows.map((r) => [r.code, { ja: r.name_ja, en: r.name_en }]));
  }
}
