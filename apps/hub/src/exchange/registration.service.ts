import { Injectable } from '@nestjs/common';
import { type ConnectorRegistrationRequest, type ConnectorRegistrationView, jwkThumbprint, publicEcJwk, thumbprintUri } from '@tsunagu/contracts';
import { AppLogger, LogKind } from '@tsunagu/logger';
import type { JWK } from 'jose';
import { isUuid } from '@tsunagu/common';
import { AuditService } from '../audit/audit.service';
import { ConnectorAuthService } from './connector-auth.service';
import { connectError } from './connect.exception';
import { type ConnectConnectorRow, ConnectRepository } from './connect.repository';

/**
 * Registration of connectors (docs/connector.md §7.2–3): proof of possession of the signing key,
 * tenant and service resolution, `pending` until a tenant admin approves (admin screens), and key
 * rotation vouched for by the old key.
 */
@Injectable()
export class RegistrationService {
  private readonly logger = new AppLogger(RegistrationService.name);

  constructor(private readonly repo: ConnectRepository, private readonly auth: ConnectorAuthService, private readonly audit: AuditService) {}

  async register(authorization: string | undefined, body: ConnectorRegistrationRequest): Promise<{ view: ConnectorRegistrationView; created: boolean }> {
    const signing = publicEcJwk(body.publicJwk);
    const encryption = publicEcJwk(body.encryptionJwk);
    if (!signing || !encryption) throw connectError('invalid_request', [{ field: 'publicJwk', problem: 'not a public P-256 key' }]);
    const jkt = await jwkThumbprint(signing);
    if (jkt === (await jwkThumbprint(encryption))) throw connectError('invalid_request', [{ field: 'encryptionJwk', problem: 'must differ from publicJwk' }]);
    // Proof of possession: the assertion is signed by the key being registered, iss = its thumbprint URI.
    await this.auth.verify(authorization, async (iss) => (iss === thumbprintUri(jkt) ? signing : undefined));

    if (body.rotation) return { view: await this.rotate(body, signing, encryption, jkt), created: false };

    const service = await this.repo.findServiceInTenant(body.tenant, body.serviceClientId);
    if (!service || !service.active) {
      throw connectError('invalid_request', [{ field: 'serviceClientId', problem: 'no active service with this client_id in the tenant' }]);
    }
    const inserted = await this.repo.insertConnector({
      tenantId: service.tenant_id, serviceId: service.id, name: body.name, publicJwk: signing, encryptionJwk: encryption, baseUrl: body.baseUrl, version: body.version,
    });
    if (inserted === 'name_taken') throw connectError('invalid_request', [{ field: 'name', problem: 'a connector of this name is already registered in the tenant' }]);
    await this.audit.record({
      type: 'connector.registered', actor: { kind: 'connector', id: inserted }, tenantId: service.tenant_id, subject: inserted, outcome: 'success',
      details: { name: body.name, service: body.serviceClientId, jkt, baseUrl: body.baseUrl, version: body.version },
    });
    this.logger.log(LogKind.Operation, 'Connector registered, awaiting approval', { connectorId: inserted, tenant: body.tenant, name: body.name });
    return { view: await this.viewOf(inserted), created: true };
  }

  /** The connector's own view; the assertion must be the connector's (any status but revoked). */
  async view(authorization: string | undefined, id: string): Promise<ConnectorRegistrationView> {
    const caller = await this.auth.authenticate(authorization, { approved: false });
    if (caller.id !== id) throw connectError('client_assertion_invalid');
    return toView(caller, await jwkThumbprint(caller.public_jwk));
  }

  private async rotate(body: ConnectorRegistrationRequest, signing: JWK, encryption: JWK, jkt: string): Promise<ConnectorRegistrationView> {
    const { connectorId, proof } = body.rotation!;
    const existing = isUuid(connectorId) ? await this.repo.findConnector(connectorId) : undefined;
    const claims = await this.auth.verify(`Bearer ${proof}`, async (iss) => (existing && iss === existing.id && existing.status !== 'revoked' ? existing.public_jwk : undefined));
    if (claims.new_jkt !== jkt) throw connectError('client_assertion_invalid');
    if (existing!.tenant_code !== body.tenant || existing!.service_client_id !== body.serviceClientId || existing!.name !== body.name) {
      throw connectError('invalid_request', [{ field: 'rotation.connectorId', problem: 'names another connector' }]);
    }
    if (!(await this.repo.replaceKeys(existing!.id, { publicJwk: signing, encryptionJwk: encryption, baseUrl: body.baseUrl, version: body.version }))) {
      throw connectError('connector_not_approved');
    }
    await this.audit.record({
      type: 'connector.keys_rotated', actor: { kind: 'connector', id: existing!.id }, tenantId: existing!.tenant_id, subject: existing!.id, outcome: 'success',
      details: { jkt, previousJkt: await jwkThumbprint(existing!.public_jwk) },
    });
    this.logger.log(LogKind.Operation, 'Connector keys rotated', { connectorId: existing!.id });
    return this.viewOf(existing!.id);
  }

  private async viewOf(id: string): Promise<ConnectorRegistrationView> {
    const row = (await this.repo.findConnector(id))!;
    return toView(row, await jwkThumbprint(row.public_jwk));
  }
}

function toView(row: ConnectConnectorRow, jkt: string): ConnectorRegistrationView {
  return {
    id: row.id, name: row.name, tenant: row.tenant_code, serviceClientId: row.service_client_id, status: row.status, jkt, baseUrl: row.base_url,
    createdAt: new Date(row.created_at).toISOString(), statusChangedAt: row.status_changed_at ? new Date(row.status_changed_at).toISOString() : null,
  };
}
