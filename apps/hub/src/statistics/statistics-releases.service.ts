import { Injectable } from '@nestjs/common';
import { checkStatisticsAnswer, type StatisticsTableSpec, type StatisticsViolation } from '@tsunagu/statistics';
import { type StoredRelease, StatisticsStoreRepository } from './statistics-store.repository';

export type ReleaseOutcome =
  | { status: 'stored'; release: StoredRelease }
  | { status: 'refused'; violations: StatisticsViolation[] }
  | { status: 'duplicate' };

/**
 * Takes a provider's answer to a statistics grant: checks it against the grant's table (the grid
 * exactly, nothing that could be an identifier, the disclosure rules) and keeps it only when
 * nothing is wrong. A refused answer is not kept in any form: the caller audits the refusal.
 */
@Injectable()
export class StatisticsReleasesService {
  constructor(private readonly store: StatisticsStoreRepository) {}

  async accept(grant: { dataUseCode: string; period: { from: string; to: string }; spec: StatisticsTableSpec; providerServiceId: string }, answer: unknown): Promise<ReleaseOutcome> {
    const violations = checkStatisticsAnswer(grant.spec, answer);
    if (violations.length) return { status: 'refused', violations };
    const { entries } = answer as { entries: StatisticsEntryLike[] };
    return this.store.save({ ...grant, entries });
  }

  /** A release as CSV (UTF-8 with BOM, so that a spreadsheet opens it in Japanese): one row per entry, `*` for a total, hidden counts empty. */
  async csv(releaseId: string): Promise<string | undefined> {
    const release = await this.store.find(releaseId);
    if (!release) return undefined;
    const entries = await this.store.entries(releaseId);
    const valued = release.aggregate === 'sum' || release.aggregate === 'mean';
    const header = [...release.dimensions.map((d) => d.name), 'contributors', ...(valued ? [release.aggregate] : []), 'suppressed'];
    const lines = entries.map((e) => [...e.key, e.contributors ?? '', ...(valued ? [e.value ?? ''] : []), e.contributors === null ? 'true' : 'false'].map(csvField).join(','));
    return `\uFEFF${[header.join(','), ...lines].join('\r\n')}\r\n`;
  }

  /**
   * A DCAT description of a release (JSON-LD), for an open-data portal or a broker to take it:
   * the data use, the period, the disclosure parameters, and where the CSV is.
   */
  async dcat(releaseId: string, csvUrl: string, publisher: { name: string }): Promise<Record<string, unknown> | undefined> {
    const release = await this.store.find(releaseId);
    if (!release) return undefined;
    return {
      '@context': { dcat: 'http://www.w3.org/ns/dcat#', dct: 'http://purl.org/dc/terms/', foaf: 'http://xmlns.com/foaf/0.1/', xsd: 'http://www.w3.org/2001/XMLSchema#' },
      '@type': 'dcat:Dataset',
      '@id': `urn:uuid:${release.id}`,
      'dct:identifier': release.id,
      'dct:title': `${release.dataUseCode} ${release.period.from}〜${release.period.to}`,
      'dct:description': `${release.aggregate} by ${release.dimensions.map((d) => d.name).join(' × ')}; cells under ${release.k} contributors suppressed with complementary suppression${release.epsilon ? `; discrete Laplace noise, ε = ${release.epsilon}` : ''}`,
      'dct:temporal': { '@type': 'dct:PeriodOfTime', 'dcat:startDate': { '@value': release.period.from, '@type': 'xsd:gYearMonth' }, 'dcat:endDate': { '@value': release.period.to, '@type': 'xsd:gYearMonth' } },
      'dct:issued': { '@value': release.releasedAt.toISOString(), '@type': 'xsd:dateTime' },
      'dct:publisher': { '@type': 'foaf:Agent', 'foaf:name': publisher.name },
      'dcat:distribution': [{ '@type': 'dcat:Distribution', 'dcat:accessURL': { '@id': csvUrl }, 'dcat:mediaType': 'text/csv', 'dct:format': 'CSV' }],
    };
  }
}

type StatisticsEntryLike = { key: string[]; contributors: number | null; value?: number | null };

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
function csvField(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
