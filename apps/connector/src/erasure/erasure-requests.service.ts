import { Injectable } from '@nestjs/common';
import type { ErasedCount, ErasureApplied, ErasureRequest } from '@tsunagu/contracts';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { RevocationSet } from '../revocations/revocation-set';
import { ServiceErasureClient } from './service-erasure.client';

/** How the connector's own part is erased (the certificate prints it). */
const CACHE_METHOD = { ja: 'コネクタのメモリ上の許可証（グラント）キャッシュを破棄', en: 'Grant caches dropped from the connector\'s memory' };

/**
 * Applies a verified erasure request (docs/erasure.md): drops every cached grant under the
 * resident's consents (provider and consumer alike), and — for a consumer, whose service holds a
 * copy — hands the request to the service through the erasure callback. Returns what the signed
 * acknowledgement reports. Throws (and so does not acknowledge) when the service did not confirm.
 */
@Injectable()
export class ErasureRequestsService {
  private readonly logger = new AppLogger(ErasureRequestsService.name);

  constructor(private readonly set: RevocationSet, private readonly service: ServiceErasureClient) {}

  async apply(request: ErasureRequest): Promise<ErasureApplied> {
    const cached = this.set.dropConsents(request.consent_ids);
    const erased: ErasedCount[] = [{ item: 'grant-cache', count: cached }];
    let method = CACHE_METHOD;
    // A tenant's request names data uses and agreements instead of one resident (docs/erasure.md "Tenants leaving").
    const tenant = request.tenant;
    const callsService = request.roles.includes('consumer') && (request.subject !== null || !!tenant);
    if (callsService) {
      const answer = await this.service.erase(tenant
        ? {
          kind: 'tenant', erasureId: request.erasure_id, tenant: tenant.code, dataUses: tenant.data_uses, agreements: tenant.agreements, items: request.items,
          reason: 'tenant_left', requestedAt: request.requested_at,
        }
        : { erasureId: request.erasure_id, localId: request.subject!, items: request.items, reason: request.reason === 'deceased' ? 'deceased' : 'departure', requestedAt: request.requested_at });
      erased.unshift(...answer.erased);
      method = { ja: `${answer.method.ja}／${CACHE_METHOD.ja}`, en: `${answer.method.en} / ${CACHE_METHOD.en}` };
    }
    this.logger.log(LogKind.Event, 'Erasure request applied', { erasureId: request.erasure_id, roles: request.roles, cachedGrants: cached, serviceCalled: callsService, tenant: tenant?.code });
    return { erasure_id: request.erasure_id, erased, method };
  }
}
