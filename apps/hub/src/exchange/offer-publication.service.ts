import { Injectable } from '@nestjs/common';
import { DomainException } from '@tsunagu/common';
import { isConnectorErrorCode, type OfferPublishRequest, type OfferPublishResponse } from '@tsunagu/contracts';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { OffersService } from '../catalog/offers.service';
import type { ConnectConnectorRow } from './connect.repository';
import { connectError } from './connect.exception';

/**
 * `PUT /connect/v1/offers`: a provider connector publishes the offers of its configuration for its
 * own service, as drafts its tenant's admin activates (docs/connector.md §7). A pending connector
 * may publish (so the admin sees what it offers before approving it); a suspended or revoked one
 * may not.
 */
@Injectable()
export class OfferPublicationService {
  private readonly logger = new AppLogger(OfferPublicationService.name);

  constructor(private readonly offers: OffersService) {}

  async publish(connector: ConnectConnectorRow, body: OfferPublishRequest): Promise<OfferPublishResponse> {
    if (connector.status !== 'pending' && connector.status !== 'approved') throw connectError('connector_not_approved');
    try {
      const results = await this.offers.publish(
        { kind: 'connector', connectorId: connector.id },
        { id: connector.service_id, tenantId: connector.tenant_id },
        body.offers.map((o) => ({
          code: o.code, nameJa: o.name.ja, nameEn: o.name.en, descriptionJa: o.description.ja, descriptionEn: o.description.en,
          specialCare: o.specialCare, schema: o.schema, maxWindowDays: o.maxWindowDays, ...(o.statistics ? { statistics: o.statistics } : {}),
        })),
        { connectorId: connector.id },
      );
      const changed = results.filter((r) => r.outcome !== 'unchanged').length;
      this.logger.log(LogKind.Operation, 'Connector published its offers', { connectorId: connector.id, offers: results.length, changed });
      return { offers: results };
    } catch (error) {
      // The catalog's refusals keep their codes on the connector API (same code, the connector's table of words).
      if (error instanceof DomainException && isConnectorErrorCode(error.code)) throw connectError(error.code, error.details);
      throw error;
    }
  }
}
