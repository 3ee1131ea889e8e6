import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ADMIN_ERROR_MESSAGES_WITH_VALUE, type ServiceCreateForm, type ServiceUpdateForm } from '@tsunagu/contracts';
import { AuditService } from '../../audit/audit.service';
import { HUB_CONFIG, type HubConfig } from '../../platform/config/hub.config';
import { KeysService } from '../../platform/keys/keys.service';
import { inTransaction, type Tx } from '../../platform/database/sql';
import { AdminException } from '../../platform/access/admin.exception';
import type { AdminPrincipal, TenantRef } from '../../platform/access/admin-principal';
import { ConnectorsRepository } from '../../exchange/connectors/connectors.repository';
import { DataUsesService } from '../../catalog/data-uses.service';
import { type AdminServiceListRow, type AdminServiceRow, AdminServicesRepository, type OfferLine, type ServiceValues, type UseLine } from './admin-services.repository';
import { grantsFor, parseBackchannelLogoutUri, parseJwks, parseRedirectUris, type Problem, usesSecret } from './service-settings';

/** A service and what hangs on it (offers, uses), for its page. */
export interface ServiceDetail {
  service: AdminServiceRow;
  offers: OfferLine[];
  uses: UseLine[];
  activeConsents: number;
}

/** The sealed-box context of a client secret (the one ServicesService opens for oidc-provider). */
const secretContext = (clientId: string) => `client:${clientId}`;

const notFound = () => new AdminException('service_not_found');

/**
 * Services (OIDC relying parties) as a tenant admin registers, views, changes and deletes them
 * (登録・参照・変更・削除). Every read and write names the tenant; every change and its audit row
 * commit together. Client secrets are generated here, shown once, and stored sealed.
 */
@Injectable()
export class AdminServicesService {
  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly db: DataSource,
    private readonly repo: AdminServicesRepository,
    private readonly connectors: ConnectorsRepository,
    private readonly dataUses: DataUsesService,
    private readonly keys: KeysService,
    private readonly audit: AuditService,
  ) {}

  list(tenant: TenantRef): Promise<AdminServiceListRow[]> {
    return this.repo.list(tenant.id);
  }

  async detail(tenant: TenantRef, id: string): Promise<ServiceDetail> {
    const service = await this.repo.find(tenant.id, id);
    if (!service) throw notFound();
    const [offers, uses, activeConsents] = await Promise.all([
      this.repo.offersOf(tenant.id, service.id), this.repo.usesOf(tenant.id, service.id), this.repo.countActiveConsents(this.db, service.id),
    ]);
    return { service, offers, uses, activeConsents };
  }

  /** The service, with what deleting it would end (for its confirmation page). */
  async deletion(tenant: TenantRef, id: string): Promise<ServiceDetail & { connectors: number; permissions: number }> {
    const detail = await this.detail(tenant, id);
    return { ...detail, ...await this.repo.dependants(tenant.id, detail.service.id) };
  }

  /** Registers a service; returns it and, for secret-based authentication, the secret to show once. */
  async create(principal: AdminPrincipal, tenant: TenantRef, form: ServiceCreateForm): Promise<{ service: AdminServiceRow; secret?: string }> {
    const values = this.values(form);
    const secret = usesSecret(values.token_endpoint_auth_method) ? newSecret() : undefined;
    return inTransaction(this.db, async (tx) => {
      const row = await this.repo.insert(tx, tenant.id, form.clientId, values, secret ? this.keys.seal(secret, secretContext(form.clientId)) : null);
      if (row === 'duplicate_client_id') {
        throw new AdminException('duplicate_client_id');
      }
      if (row === 'duplicate_name') throw duplicateName();
      await this.record(tx, principal, tenant, row.id, 'service.create', {
        clientId: row.client_id, nameJa: row.name_ja, authMethod: row.token_endpoint_auth_method, redirectUris: row.redirect_uris,
      });
      return { service: row, secret };
    });
  }

  /**
   * Changes a service. Switching to secret-based authentication issues a secret (returned, shown
   * once); switching away erases it.
   */
  async update(principal: AdminPrincipal, tenant: TenantRef, id: string, form: ServiceUpdateForm): Promise<{ secret?: string }> {
    const values = this.values(form);
    return inTransaction(this.db, async (tx) => {
      const before = await this.lockEditable(tx, tenant, id);
      let secret: string | undefined;
      let secretChange: { enc: string | null } | undefined;
      if (usesSecret(values.token_endpoint_auth_method) && !before.has_secret) {
        secret = newSecret();
        secretChange = { enc: this.keys.seal(secret, secretContext(before.client_id)) };
      } else if (!usesSecret(values.token_endpoint_auth_method) && before.has_secret) {
        secretChange = { enc: null };
      }
      if ((await this.repo.update(tx, tenant.id, id, values, secretChange)) === 'duplicate_name') throw duplicateName();
      await this.record(tx, principal, tenant, id, 'service.update', {
        clientId: before.client_id,
        ...diff('nameJa', before.name_ja, values.name_ja), ...diff('nameEn', before.name_en, values.name_en),
        ...diff('authMethod', before.token_endpoint_auth_method, values.token_endpoint_auth_method),
        ...diff('redirectUris', before.redirect_uris, values.redirect_uris), ...diff('postLogoutRedirectUris', before.post_logout_redirect_uris, values.post_logout_redirect_uris),
        ...diff('backchannelLogoutUri', before.backchannel_logout_uri ?? null, values.backchannel_logout_uri),
        ...(JSON.stringify(before.jwks) !== JSON.stringify(values.jwks) ? { publicKeysChanged: true } : {}),
        ...(secretChange ? { secretIssued: secretChange.enc !== null, secretErased: secretChange.enc === null } : {}),
      });
      return { secret };
    });
  }

  /** A new client secret, shown once; the old one stops working at once (every replica reads the row). */
  async rotateSecret(principal: AdminPrincipal, tenant: TenantRef, id: string): Promise<{ service: AdminServiceRow; secret: string }> {
    return inTransaction(this.db, async (tx) => {
      const service = await this.lockEditable(tx, tenant, id);
      if (!usesSecret(service.token_endpoint_auth_method)) {
        throw new AdminException('secret_not_used');
      }
      const secret = newSecret();
      await this.repo.setSecret(tx, tenant.id, id, this.keys.seal(secret, secretContext(service.client_id)));
      await this.record(tx, principal, tenant, id, 'service.rotate_secret', { clientId: service.client_id });
      return { service, secret };
    });
  }

  /**
   * Deletes a service: refused with the count while it has active consents (residents must
   * withdraw first, or the data use be ended by the consent module); otherwise, in one
   * transaction, the service is logically deleted, its connectors revoked and its data uses (as
   * a consumer) retired with their agreements. Decision recorded in docs/adr/2026-11-22-admin-security.md.
   */
  async delete(principal: AdminPrincipal, tenant: TenantRef, id: string): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      const service = await this.lockEditable(tx, tenant, id);
      const consents = await this.repo.countActiveConsents(tx, service.id);
      if (consents > 0) {
        throw new AdminException('service_has_active_consents', ADMIN_ERROR_MESSAGES_WITH_VALUE.service_has_active_consents(consents), [{ field: 'activeConsents', problem: String(consents) }]);
      }
      const revoked = await this.connectors.revokeForService(tx, tenant.id, service.id, principal.adminId);
      const permissions = await this.dataUses.retireAllOfService(tx, { kind: 'admin', adminId: principal.adminId }, tenant.id, service.id);
      await this.repo.softDelete(tx, tenant.id, service.id);
      await this.record(tx, principal, tenant, service.id, 'service.delete', { clientId: service.client_id, connectorsRevoked: revoked, dataUsesRetired: permissions });
    });
  }

  private async lockEditable(tx: Tx, tenant: TenantRef, id: string): Promise<AdminServiceRow> {
    const service = await this.repo.lock(tx, tenant.id, id);
    if (!service) throw notFound();
    if (service.first_party) {
      throw new AdminException('service_managed_by_platform');
    }
    return service;
  }

  private values(form: ServiceUpdateForm): ServiceValues {
    const production = this.config.NODE_ENV === 'production';
    const redirect = parseRedirectUris(form.redirectUris, 'redirectUris', { production, required: true });
    const logout = parseRedirectUris(form.postLogoutRedirectUris, 'postLogoutRedirectUris', { production, required: false });
    const backchannel = parseBackchannelLogoutUri(form.backchannelLogoutUri, 'backchannelLogoutUri', { production });
    const problems: Problem[] = [...redirect.problems, ...logout.problems, ...backchannel.problems];
    if (problems.length) {
      throw new AdminException('invalid_redirect_uri', problems);
    }
    let jwks: ServiceValues['jwks'] = null;
    if (form.authMethod === 'private_key_jwt') {
      const parsed = parseJwks(form.jwks);
      if (parsed.problems.length) {
        throw new AdminException('invalid_jwks', parsed.problems);
      }
      jwks = parsed.jwks!;
    }
    return {
      name_ja: form.nameJa.trim(), name_en: form.nameEn.trim(), redirect_uris: redirect.uris, post_logout_redirect_uris: logout.uris,
      backchannel_logout_uri: backchannel.uri,
      token_endpoint_auth_method: form.authMethod, jwks, ...grantsFor(form.authMethod),
    };
  }

  private record(tx: Tx, principal: AdminPrincipal, tenant: TenantRef, serviceId: string, action: string, details: Record<string, unknown>) {
    return this.audit.record({ type: 'admin.change', actor: { kind: 'admin', id: principal.adminId }, tenantId: tenant.id, subject: serviceId, outcome: 'success', details: { action, ...details } }, tx);
  }
}

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

function duplicateName() {
  return new AdminException('duplicate_name');
}

function diff(key: string, before: unknown, after: unknown): Record<string, unknown> {
  return JSON.stringify(before) === JSON.stringify(after) ? {} : { [key]: { from: before, to: after } };
}
