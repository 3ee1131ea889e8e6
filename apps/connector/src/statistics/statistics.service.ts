import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, type ReplayCache } from '@tsunagu/common';
import { GRANT_CLOCK_TOLERANCE_SECONDS, openStatisticsGrant, type StatisticsGrantClaims, TokenVerificationError } from '@tsunagu/contracts';
import { AppLogger, LogKind } from '@tsunagu/logger';
import {
  computeAnswer, type Contribution, monthlyContributions, type MonthlyRow, type StatisticsAnswer, type StatisticsUseDefinition, tableSpecOf,
  TOTTORI_MUNICIPALITY_CODES,
} from '@tsunagu/statistics';
import { HttpAdapter } from '../adapters/http.adapter';
import { OfferCatalog } from '../adapters/offer-catalog';
import { connectorError } from '../connector.exception';
import { CONNECTOR_CONFIG, CONNECTOR_IDENTITY, CONNECTOR_KEYS, type ConnectorConfig, type ConnectorIdentity } from '../connector.tokens';
import { HubKeys } from '../hub-client/hub-keys';
import type { ConnectorKeys } from '../keys/connector-keys';
import { REPLAY_CACHE } from '../peer/replay-cache';

/**
 * The provider's side of a statistics grant (issue #20, docs/adr/2026-12-04-statistics-disclosure.md):
 * opens the grant (the hub's signature, this connector as audience, at most 60 s, once), checks it
 * against what this connector's offer declares, reads the granted residents' monthly rows from the
 * service, and computes the table — k on distinct residents, complementary suppression, noise when
 * the grant spends ε. Only the table leaves; rows for anyone the grant does not name are not counted.
 */
@Injectable()
export class StatisticsComputationService {
  private readonly logger = new AppLogger(StatisticsComputationService.name);

  constructor(
    @Inject(CONNECTOR_CONFIG) private readonly config: ConnectorConfig,
    @Inject(CONNECTOR_IDENTITY) private readonly identity: ConnectorIdentity,
    @Inject(CONNECTOR_KEYS) private readonly keys: ConnectorKeys,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REPLAY_CACHE) private readonly replay: ReplayCache,
    private readonly hubKeys: HubKeys,
    private readonly catalog: OfferCatalog,
    private readonly adapter: HttpAdapter,
  ) {}

  async compute(grant: string): Promise<StatisticsAnswer> {
    const claims = await this.open(grant);
    const offer = this.catalog.offer(claims.item)?.config;
    const declared = offer?.statistics;
    if (!offer || !declared) throw connectorError('offer_not_provided', [{ field: 'item', problem: `${claims.item} is not offered for statistics by this connector` }]);
    const beyond = claims.group_by.filter((d) => !declared.dimensions.includes(d));
    if (beyond.length) throw connectorError('invalid_request', [{ field: 'group_by', problem: `not offered for statistics: ${beyond.join(', ')}` }]);
    if (claims.aggregate !== 'count' && !declared.numeric) throw connectorError('invalid_request', [{ field: 'aggregate', problem: `${claims.item} is not a number` }]);

    const definition: StatisticsUseDefinition = {
      item: claims.item, aggregate: claims.aggregate, groupBy: claims.group_by, period: claims.period, k: claims.k,
      ...(claims.bins ? { bins: claims.bins } : {}), ...(claims.epsilon !== undefined ? { epsilon: claims.epsilon } : {}),
    };
    const spec = tableSpecOf(definition, TOTTORI_MUNICIPALITY_CODES);
    const subjects = new Set(claims.subjects);
    const residents: Contribution[][] = [];
    const ignored = { notInGrant: 0, outsidePeriod: 0 };
    let answer: StatisticsAnswer;
    try {
      // A resident's rows come in the batch that names it: each batch is turned into contributions and dropped.
      for await (const batch of this.adapter.statisticsRows(offer, claims.subjects, claims.period)) {
        const part = monthlyContributions(definition, spec, batch as unknown as MonthlyRow[], subjects);
        residents.push(...part.residents);
        ignored.notInGrant += part.ignored.notInGrant;
        ignored.outsidePeriod += part.ignored.outsidePeriod;
      }
      answer = computeAnswer(spec, residents, { valueBound: declared.maximum });
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      this.logger.warn(LogKind.Communication, 'Statistics source rows do not fit the grant', { item: claims.item, problem: error.message });
      throw connectorError('schema_violation', [{ field: claims.item, problem: error.message }]);
    }
    if (ignored.notInGrant) this.logger.warn(LogKind.Communication, 'Statistics source answered for residents the grant does not name: not counted', { item: claims.item, rows: ignored.notInGrant });
    this.logger.log(LogKind.Operation, 'Statistics table computed', {
      dataUse: claims.data_use, grant: claims.jti, residents: residents.length, entries: answer.entries.length,
      suppressed: answer.entries.filter((e) => e.contributors === null).length, outsidePeriod: ignored.outsidePeriod,
    });
    return answer;
  }

  private async open(grant: string): Promise<StatisticsGrantClaims> {
    const now = this.clock.now();
    try {
      const claims = await openStatisticsGrant(grant, {
        hubKeys: (header) => this.hubKeys.resolve(header), decryptionKey: this.keys.encryption.privateKey,
        issuer: this.config.hub.issuer, audience: this.identity.id, now,
      });
      // One computation per grant: a copy presented again (by anyone who saw it in transit) computes nothing.
      if (!(await this.replay.checkAndRemember(`statistics:${claims.jti}`, new Date((claims.exp + GRANT_CLOCK_TOLERANCE_SECONDS) * 1000)))) {
        throw new TokenVerificationError('grant_replayed', 'statistics grant presented again');
      }
      return claims;
    } catch (error) {
      if (!(error instanceof TokenVerificationError)) throw error;
      this.logger.warn(LogKind.Authentication, 'Statistics grant refused', { code: error.code, problem: error.problem });
      throw connectorError(error.code);
    }
  }
}
