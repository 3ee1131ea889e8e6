import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decodeJwt } from 'jose';
import { CLOCK, type Clock, isCleanText } from '@tsunagu/common';
import {
  ERASURE_CERTIFICATE_JWS_TYPE, type ErasureApplied, type ErasureCertificateDocument, type RevocationAckClaims, TENANT_ARCHIVE_JWS_TYPE, type TenantArchiveDocument,
  type ConsentsEnforcementSummary, type TenantDeleteForm, type TenantExportForm,
} from '@tsunagu/contracts';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { AuditService } from '../../audit/audit.service';
import { DataCatalogService } from '../../catalog/data-catalog.service';
import { ConsentService, type PlannedWithdrawals } from '../../consent/consent.service';
import { ReceiptSigner } from '../../consent/receipt.signer';
import { ConnectorsRepository } from '../../exchange/connectors/connectors.repository';
import { RevocationSignals } from '../../exchange/enforcement/revocation-signals';
import { WithdrawalEnforcementService } from '../../exchange/enforcement/withdrawal-enforcement.service';
import { ResidentAccessService } from '../../identity/oidc/resident-access.service';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { HUB_CONFIG, type HubConfig } from '../../platform/config/hub.config';
import { DepartureRepository } from '../departure/departure.repository';
import { buildTenantArchive } from './tenant-archive.builder';
import { buildTenantErasureCertificate } from './tenant-certificate.builder';
import { TenantExitException } from './tenant-exit.exception';
import { type ExitTenantRow, type TenantExitRow, TenantExitRepository, type TenantExportRow } from './tenant-exit.repository';

/** Tries of a deletion whose consents changed while it was written. */
const MAX_ATTEMPTS = 5;

/** Raised inside the transaction to roll it back and plan again. */
class ConsentsChanged extends Error {}

/** What the screens show of a tenant's exit: the exports, and the deletion with each connector's erasure. */
export interface TenantExitStatus {
  tenant: ExitTenantRow;
  /**
   * Only in the answer to the deletion: the consents it ended (its data uses' and those under the
   * agreements it retired), and when — or by when, bounded — no data flows under them any more.
   */
  enforcement?: ConsentsEnforcementSummary;
  exports: TenantExportRow[];
  exit?: {
    exitId: string;
    committedAt: string;
    certificateId: string | null;
    certifiedAt: string | null;
    certifyAfter: string;
    hubErased: Record<string, number>;
    connectors: { connectorId: string; name: string; responsible: string; state: 'erased' | 'pending' | 'sending'; at: string | null }[];
  };
}

/** Trimmed clean text (the platform's input rule) without markup, or '' (the archive and certificate print it). */
function plain(value: unknown): string {
  if (!isCleanText(value)) return '';
  const text = value.trim();
  return /[<>]/.test(text) ? '' : text;
}

/**
 * A tenant leaving the platform (docs/erasure.md "Tenants leaving"), by a system admin only:
 *
 * - the export: a signed archive of what the tenant holds (特記事項第10条第1項) with its handover
 *   record; each export is recorded (who, when, recipient, contract, digest) and audited;
 * - the deletion, in the way a resident leaves: one transaction withdraws every consent to the
 *   tenant's data uses (receipts, revocation outbox), ends its agreements, withdraws its offers and
 *   data uses, queues an erasure request for every connector that received or served data under
 *   them (from the provision ledger), disables its services, admin accounts and connectors, and
 *   marks it deleted. After the commit the processor (TenantExitProcessor, also after a restart)
 *   revokes the residents' sign-in grants to its services and issues the signed certificate when
 *   every connector acknowledged, or when ERASURE_ACK_WAIT_SECONDS have passed, naming those
 *   that did not.
 */
@Injectable()
export class TenantExitService {
  private readonly logger = new AppLogger(TenantExitService.name);

  constructor(
    private readonly db: DataSource,
    private readonly repo: TenantExitRepository,
    private readonly departures: DepartureRepository,
    private readonly connectors: ConnectorsRepository,
    private readonly consents: ConsentService,
    private readonly catalog: DataCatalogService,
    private readonly signals: RevocationSignals,
    private readonly enforcement: WithdrawalEnforcementService,
    private readonly access: ResidentAccessService,
    private readonly signer: ReceiptSigner,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(HUB_CONFIG) private readonly config: Pick<HubConfig, 'ERASURE_ACK_WAIT_SECONDS' | 'AUDIT_RETENTION_DAYS'>,
  ) {}

  /** The tenant with its exports and (once deleted) its exit: the screens' page and the JSON status. */
  async status(principal: AdminPrincipal, tenantId: string): Promise<TenantExitStatus> {
    this.systemOnly(principal);
    const tenant = await this.tenantOf(tenantId);
    const exports = await this.repo.listExports(tenant.id);
    const exit = await this.repo.findExitByTenant(tenant.id);
    return { tenant, exports, ...(exit ? { exit: await this.exitView(exit) } : {}) };
  }

  /** Exports the tenant's archive, signed, and records the handover. Refused once the tenant is deleted (its data is gone). */
  async export(principal: AdminPrincipal, tenantId: string, form: TenantExportForm): Promise<TenantArchiveDocument> {
    this.systemOnly(principal);
    const recipient = plain(form.recipient);
    const contractName = plain(form.contractName);
    if (!recipient || !contractName) throw new TenantExitException('tenant_export_invalid');
    const tenant = await this.tenantOf(tenantId);
    if (tenant.deleted_at) throw new TenantExitException('tenant_already_deleted');
    const rows = await this.repo.archiveRows(tenant.id);
    // The subject a service already knows (pairwise per sector), never the resident's ID or common ID.
    const consents = await Promise.all(rows.consents.map(async ({ resident_id, sector, ...c }) => ({ ...c, subject: await this.signer.principal(resident_id, sector) })));
    const archiveId = randomUUID();
    const issuedAt = this.clock.now();
    const archive = buildTenantArchive({ archiveId, issuer: this.signer.issuer, issuedAt, tenant, rows: { ...rows, consents }, recipient, contractName, exportedBy: principal.loginId });
    const jws = await this.signer.signStatement(TENANT_ARCHIVE_JWS_TYPE, archive);
    const digest = createHash('sha256').update(jws).digest('hex');
    await this.db.transaction(async (tx) => {
      await this.repo.insertExport({ tenantId: tenant.id, adminId: principal.adminId, exportId: archiveId, exportedAt: issuedAt, recipient, contractName, items: archive.handover.items, digest }, tx);
      await this.audit.record({
        type: 'tenant.exported', actor: { kind: 'admin', id: principal.adminId }, tenantId: tenant.id, subject: tenant.id, outcome: 'success',
        details: { exportId: archiveId, recipient, contractName, digest, items: Object.fromEntries(archive.handover.items.map((i) => [i.item, i.count])) },
      }, tx);
    });
    this.logger.log(LogKind.Operation, 'Tenant archive exported', { tenantId: tenant.id, exportId: archiveId });
    return { jws, digest, archive };
  }

  /**
   * Deletes the tenant (irreversible): the admin typed its name, and an export exists or a reason
   * why none is wanted was given. `tenant_already_deleted` the second time.
   */
  async delete(principal: AdminPrincipal, tenantId: string, form: TenantDeleteForm): Promise<TenantExitStatus> {
    this.systemOnly(principal);
    const tenant = await this.tenantOf(tenantId);
    if (tenant.deleted_at) throw new TenantExitException('tenant_already_deleted');
    const typed = typeof form.confirmName === 'string' ? form.confirmName.trim() : '';
    if (!typed || (typed !== tenant.name_ja && typed !== tenant.name_en)) throw new TenantExitException('tenant_delete_not_confirmed');
    const noExportReason = plain(form.noExportReason ?? '') || null;
    for (let attempt = 1; ; attempt++) {
      // Read and signed before the transaction opens (one connection per transaction).
      const mark = await this.enforcement.mark();
      const { residentIds, dataUseIds } = await this.repo.residentsWithOpenConsents(tenant.id);
      const only = { dataUseIds: new Set(dataUseIds), reason: 'tenant_left' as const };
      const planned: PlannedWithdrawals[] = [];
      for (const residentId of residentIds) planned.push(await this.consents.planWithdrawals(residentId, 'system', only));
      await this.signer.ready();
      try {
        const committed = await this.db.transaction(async (tx) => {
          const locked = await this.repo.lockTenant(tx, tenant.id);
          if (!locked) throw new TenantExitException('tenant_exit_not_found');
          if (locked.deleted_at) throw new TenantExitException('tenant_already_deleted');
          const exported = await this.repo.latestExport(tx, tenant.id);
          if (!exported && !noExportReason) throw new TenantExitException('tenant_export_required');
          for (const p of planned) if (await this.consents.writeWithdrawals(tx, p) === 'conflict') throw new ConsentsChanged();
          const withdrawn = planned.reduce((n, p) => n + p.decisions.length, 0);
          const certifyAfter = new Date(this.clock.now().getTime() + this.config.ERASURE_ACK_WAIT_SECONDS * 1000);
          const result = await this.repo.commit(tx, {
            tenantId: tenant.id, adminId: principal.adminId, exportId: exported?.id ?? null, noExportReason: exported ? null : noExportReason, certifyAfter, consentsWithdrawn: withdrawn,
          }, async (ids) => (await this.connectors.revoke(tx, tenant.id, ids, principal.adminId)).length);
          await this.audit.record({
            type: 'tenant.deleted', actor: { kind: 'admin', id: principal.adminId }, tenantId: tenant.id, subject: tenant.id, outcome: 'success',
            details: { exitId: result.exitId, code: tenant.code, consentsWithdrawn: withdrawn, erasureRequests: result.erasureRequests, exportId: exported?.id ?? null, noExportReason: exported ? null : noExportReason },
          }, tx);
          return result;
        });
        for (const p of planned) this.consents.withdrawalsCommitted(p);
        this.catalog.invalidate();
        this.signals.outboxWritten();
        this.logger.log(LogKind.Operation, 'Tenant deleted', { tenantId: tenant.id, exitId: committed.exitId, erasureRequests: committed.erasureRequests });
        // Other tenants' consents under the agreements it provided end as any retired agreement's do.
        await this.consents.reconcileCatalog().catch((error) => this.logger.error('Catalog reconciliation after a tenant deletion failed; the scheduler retries', error));
        // As for any withdrawal, the answer waits (bounded) until the connectors serving grants under them acknowledged.
        const enforcement = await this.enforced([...new Set([...dataUseIds, ...committed.agreementDataUseIds])], mark, this.clock.now());
        await this.followUp(committed.exitId).catch((error) => this.logger.error('Tenant exit follow-up failed; the processor retries', error, { exitId: committed.exitId }));
        return { ...await this.status(principal, tenant.id), enforcement };
      } catch (error) {
        if (!(error instanceof ConsentsChanged) && !isConflict(error)) throw error;
        if (attempt === MAX_ATTEMPTS) throw new TenantExitException('tenant_exit_conflict');
      }
    }
  }

  /** The enforcement of every consent the deletion ended, summed over the data uses concerned. */
  private async enforced(dataUseIds: string[], mark: string, committedAt: Date): Promise<ConsentsEnforcementSummary> {
    const summaries = await Promise.all(dataUseIds.map((id) => this.enforcement.enforceDataUse(id, mark, committedAt)));
    const latest = (dates: (string | null)[]) => new Date(Math.max(committedAt.getTime(), ...dates.map((d) => (d ? Date.parse(d) : 0)))).toISOString();
    const complete = summaries.every((s) => s.complete);
    return {
      consents: summaries.reduce((n, s) => n + s.consents, 0), complete, providers: summaries.reduce((n, s) => n + s.providers, 0),
      enforcedAt: complete ? latest(summaries.map((s) => s.enforcedAt)) : null, enforcedBy: latest(summaries.map((s) => s.enforcedBy)),
    };
  }

  /**
   * The work after the commit, for one open exit (the processor calls it, again after a restart;
   * every step is safe to repeat): revoke residents' sign-in grants to the tenant's services, then
   * issue the certificate when every connector acknowledged or the wait is over.
   */
  async followUp(exitId: string): Promise<void> {
    let exit = await this.repo.findExit(exitId);
    if (!exit) return;
    if (!exit.access_revoked_at) {
      let grants = 0;
      for (const residentId of exit.access_residents ?? []) {
        for (const clientId of exit.oidc_clients) grants += (await this.access.revoke(residentId, clientId)).grants;
      }
      await this.repo.markAccessRevoked(exit.id, grants);
      exit = (await this.repo.findExit(exitId))!;
    }
    if (exit.certified_at) return;
    const targets = await this.repo.targets(exit.id);
    if (!targets.every((t) => t.acked_at) && this.clock.now() < new Date(exit.certify_after)) return;
    await this.issue(exit, targets);
  }

  private async issue(exit: TenantExitRow, targets: Awaited<ReturnType<TenantExitRepository['targets']>>): Promise<void> {
    const tenant = (await this.repo.findTenant(exit.tenant_id))!;
    const applied = new Map<string, ErasureApplied>();
    for (const t of targets) {
      // Verified against the connector's key when it was stored (RevocationDispatcher).
      if (t.ack_jws) applied.set(t.seq, (decodeJwt(t.ack_jws) as unknown as RevocationAckClaims).applied as ErasureApplied);
    }
    const codes = [...new Set(targets.flatMap((t) => [...t.items, ...(applied.get(t.seq)?.erased.map((e) => e.item) ?? [])]))];
    const exportDigest = exit.export_id ? (await this.repo.listExports(tenant.id)).find((e) => e.id === exit.export_id)?.digest : undefined;
    const certificateId = randomUUID();
    const issuedAt = this.clock.now();
    const certificate = buildTenantErasureCertificate({
      certificateId, issuer: this.signer.issuer, issuedAt, tenant, exit, exportDigest, targets, applied,
      retained: await this.repo.retainedCounts(tenant.id), itemNames: await this.departures.itemNames(codes), auditRetentionDays: this.config.AUDIT_RETENTION_DAYS,
    });
    const jws = await this.signer.signStatement(ERASURE_CERTIFICATE_JWS_TYPE, certificate);
    if (!await this.repo.storeCertificate(exit.id, certificateId, jws, issuedAt)) return;
    await this.audit.record({
      type: 'erasure.certificate_issued', actor: { kind: 'system', id: 'tenant-exit-processor' }, tenantId: tenant.id, subject: tenant.id, outcome: 'success',
      details: { exitId: exit.id, certificateId, complete: certificate.complete, pending: certificate.media.filter((m) => m.state === 'pending').map((m) => m.connectorId ?? 'hub') },
    });
    this.logger[certificate.complete ? 'log' : 'warn'](LogKind.Operation, certificate.complete ? 'Tenant erasure certificate issued' : 'Tenant erasure certificate issued with connectors pending', {
      exitId: exit.id, certificateId,
    });
  }

  /** The certificate of a deleted tenant by the certificate's ID (system admin). */
  async certificate(principal: AdminPrincipal, certificateId: string): Promise<ErasureCertificateDocument> {
    this.systemOnly(principal);
    const exit = await this.repo.findByCertificate(typeof certificateId === 'string' ? certificateId.trim() : '');
    if (!exit?.certificate_jws) throw new TenantExitException('tenant_certificate_not_found');
    return { jws: exit.certificate_jws, certificate: decodeJwt(exit.certificate_jws) as unknown as ErasureCertificateDocument['certificate'] };
  }

  /** The certificate of a deleted tenant by the tenant's ID (pending until issued). */
  async certificateOfTenant(principal: AdminPrincipal, tenantId: string): Promise<ErasureCertificateDocument> {
    this.systemOnly(principal);
    const tenant = await this.tenantOf(tenantId);
    const exit = await this.repo.findExitByTenant(tenant.id);
    if (!exit) throw new TenantExitException('tenant_certificate_not_found');
    if (!exit.certificate_jws) throw new TenantExitException('tenant_certificate_pending');
    return { jws: exit.certificate_jws, certificate: decodeJwt(exit.certificate_jws) as unknown as ErasureCertificateDocument['certificate'] };
  }

  private async exitView(exit: TenantExitRow): Promise<NonNullable<TenantExitStatus['exit']>> {
    const targets = await this.repo.targets(exit.id);
    return {
      exitId: exit.id, committedAt: new Date(exit.committed_at).toISOString(), certificateId: exit.certificate_id,
      certifiedAt: exit.certified_at && new Date(exit.certified_at).toISOString(), certifyAfter: new Date(exit.certify_after).toISOString(), hubErased: exit.hub_erased,
      connectors: targets.map((t) => ({
        connectorId: t.connector_id, name: `${t.service_name_ja}（${t.connector_name}）`, responsible: t.tenant_name_ja,
        state: t.acked_at ? 'erased' : t.dispatched_at ? 'pending' : 'sending', at: t.acked_at && new Date(t.acked_at).toISOString(),
      })),
    };
  }

  private async tenantOf(tenantId: string): Promise<ExitTenantRow> {
    const tenant = await this.repo.findTenant(typeof tenantId === 'string' ? tenantId.trim() : '');
    if (!tenant) throw new TenantExitException('tenant_exit_not_found');
    return tenant;
  }

  /** The access middleware already keeps tenant admins out of /system; the rule is also the service's. */
  private systemOnly(principal: AdminPrincipal): void {
    if (principal.kind !== 'system') throw new TenantExitException('tenant_exit_forbidden');
  }
}

/** A unique violation of a racing second deletion (tenant_exits_tenant_key) or a consent decision in between. */
function isConflict(error: unknown): boolean {
  const constraint = (error as { constraint?: string }).constraint ?? '';
  return ['consents_one_current', 'consents_one_active', 'consents_version_key', 'consent_receipts_seq_key', 'consent_receipts_version_key', 'tenant_exits_tenant_key'].includes(constraint);
}
