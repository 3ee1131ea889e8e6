import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '@tsunagu/common';
import type { IncidentForm, IncidentReportForm, IncidentReportStage, PpcLeakReport } from '@tsunagu/contracts';
import { AuditService } from '../../audit/audit.service';
import { inTransaction } from '../../platform/database/sql';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { ComplianceException } from '../compliance.exception';
import { japanIso, parseJapanDate, parseJapanTime, plainFields } from '../plain-text';
import { type ReportDeadline, reportDeadlines } from './incident-deadlines';
import { type IncidentRow, type IncidentScope, IncidentsRepository } from './incidents.repository';

/** The report stages' names as the PPC and the contracts say them. */
export const STAGE_NAMES: Record<IncidentReportStage, { ja: string; en: string }> = {
  initial: { ja: '一先報告', en: 'First notice' },
  quick: { ja: '速報', en: 'Preliminary report' },
  final: { ja: '確報', en: 'Final report' },
};

const DEFAULT_QUICK_DAYS = 3;
const DEFAULT_FINAL_DAYS = 21;

/** An incident with its deadlines as of now. */
export interface IncidentView {
  row: IncidentRow;
  deadlines: ReportDeadline[];
}

/**
 * Incidents (事故報告): recorded by tenant or system admins; the deadlines of the three reports are
 * computed from the discovery (contract defaults: 速報 3 days, 確報 3 weeks, set per incident); each
 * report is marked sent with who, when and to whom; the record exports in the fields of the PPC
 * leak-report form; the residents concerned are listed from the provision ledger and told in the
 * portal. Every change is audited; a tenant never sees another's incidents.
 */
@Injectable()
export class IncidentsService {
  constructor(
    private readonly db: DataSource,
    private readonly repo: IncidentsRepository,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(scope: IncidentScope): Promise<IncidentView[]> {
    const now = this.clock.now();
    return (await this.repo.list(scope)).map((row) => this.view(row, now));
  }

  async get(scope: IncidentScope, id: string): Promise<IncidentView> {
    const row = await this.repo.find(scope, id);
    if (!row) throw new ComplianceException('incident_not_found');
    return this.view(row, this.clock.now());
  }

  async create(principal: AdminPrincipal, scope: IncidentScope, form: IncidentForm): Promise<string> {
    const t = plainFields(form, {
      required: ['title', 'summary', 'items', 'reporter'],
      optional: ['cause', 'secondaryHarm', 'residentResponse', 'publication', 'prevention', 'otherNotes'],
    });
    const now = this.clock.now();
    const discoveredAt = parseJapanTime(form.discoveredAt);
    const occurredAt = form.occurredAt ? parseJapanTime(form.occurredAt) : null;
    const problems: { field: string; problem: string }[] = [];
    if (!discoveredAt || discoveredAt.getTime() > now.getTime()) problems.push({ field: 'discoveredAt', problem: 'must be a past date and time' });
    if (occurredAt === undefined || (occurredAt && discoveredAt && occurredAt.getTime() > discoveredAt.getTime())) problems.push({ field: 'occurredAt', problem: 'must be before the discovery' });
    if (problems.length) throw new ComplianceException('incident_time_invalid', problems);
    const quickDays = form.quickDays ? Number(form.quickDays) : DEFAULT_QUICK_DAYS;
    const finalDays = form.finalDays ? Number(form.finalDays) : DEFAULT_FINAL_DAYS;
    const affectedFrom = parseJapanDate(form.affectedFrom);
    const affectedToDay = parseJapanDate(form.affectedTo);
    const bad: { field: string; problem: string }[] = [];
    if (quickDays < 1 || quickDays > 60) bad.push({ field: 'quickDays', problem: 'between 1 and 60' });
    if (finalDays < quickDays || finalDays > 365) bad.push({ field: 'finalDays', problem: 'at least the preliminary report days, at most 365' });
    if (form.affectedFrom && !affectedFrom) bad.push({ field: 'affectedFrom', problem: 'not a date' });
    if (form.affectedTo && !affectedToDay) bad.push({ field: 'affectedTo', problem: 'not a date' });
    if (bad.length) throw new ComplianceException('compliance_field_invalid', bad);
    return inTransaction(this.db, async (tx) => {
      const id = await this.repo.insert(tx, scope, {
        title: t.title, discovered_at: discoveredAt!, occurred_at: occurredAt ?? null, summary: t.summary, items: t.items, affected_count: Number(form.affectedCount),
        cause: t.cause, secondary_harm: t.secondaryHarm, resident_response: t.residentResponse, publication: t.publication, prevention: t.prevention,
        other_notes: t.otherNotes, reporter: t.reporter, quick_days: quickDays, final_days: finalDays, data_use_code: form.dataUse || null,
        affected_from: affectedFrom ?? null, affected_to: affectedToDay ? new Date(affectedToDay.getTime() + 86_400_000) : null,
      }, principal.adminId);
      await this.audit.record({
        type: 'admin.change', actor: { kind: 'admin', id: principal.adminId }, tenantId: scope.tenantId ?? undefined, subject: id, outcome: 'success',
        details: { action: 'incident.create', discoveredAt: discoveredAt!.toISOString(), affectedCount: Number(form.affectedCount), quickDays, finalDays },
      }, tx);
      return id;
    });
  }

  /** Records one report as sent: not before the discovery, not in the future, once per stage. */
  async markSent(principal: AdminPrincipal, scope: IncidentScope, id: string, form: IncidentReportForm): Promise<void> {
    const { sentTo } = plainFields(form, { required: ['sentTo'] });
    const sentAt = parseJapanTime(form.sentAt);
    await inTransaction(this.db, async (tx) => {
      const incident = await this.repo.find(scope, id, tx);
      if (!incident) throw new ComplianceException('incident_not_found');
      // Minutes are what the form carries: a report sent in the minute of the discovery counts.
      const discoveredMinute = Math.floor(new Date(incident.discovered_at).getTime() / 60_000) * 60_000;
      if (!sentAt || sentAt.getTime() < discoveredMinute || sentAt.getTime() > this.clock.now().getTime()) {
        throw new ComplianceException('report_time_invalid', [{ field: 'sentAt', problem: 'after the discovery, not in the future' }]);
      }
      if (!(await this.repo.insertReport(tx, id, { stage: form.stage, sentAt, sentTo }, principal.adminId))) throw new ComplianceException('report_already_sent');
      await this.audit.record({
        type: 'admin.change', actor: { kind: 'admin', id: principal.adminId }, tenantId: incident.tenant_id ?? undefined, subject: id, outcome: 'success',
        details: { action: 'incident.report_sent', stage: form.stage, sentAt: sentAt.toISOString(), sentTo },
      }, tx);
    });
  }

  /** The incident in the fields of the PPC leak-report form (漏えい等報告), times in Japan time. */
  async ppcReport(scope: IncidentScope, id: string): Promise<PpcLeakReport> {
    const { row, deadlines } = await this.get(scope, id);
    return {
      報告者: row.reporter,
      発覚日時: japanIso(new Date(row.discovered_at)),
      発生日時: row.occurred_at ? japanIso(new Date(row.occurred_at)) : null,
      概要: row.summary,
      漏えい等が発生し又は発生したおそれがある個人データの項目: row.items,
      本人の数: row.affected_count,
      原因: row.cause,
      二次被害又はそのおそれの有無及びその内容: row.secondary_harm,
      本人への対応の実施状況: row.resident_response,
      公表の実施状況: row.publication,
      再発防止のための措置: row.prevention,
      その他参考となる事項: row.other_notes,
      報告の状況: deadlines.map((d) => {
        const sent = row.reports.find((r) => r.stage === d.stage);
        return {
          区分: STAGE_NAMES[d.stage].ja, 期限: japanIso(d.dueAt), 送付日時: sent ? japanIso(new Date(sent.sent_at)) : null,
          送付先: sent?.sent_to ?? null, 送付者: sent ? sent.sent_by_login : null,
        };
      }),
    };
  }

  /** The residents concerned, from the provision ledger; reading them is audited (利用 in the 台帳). */
  async affectedResidents(principal: AdminPrincipal, scope: IncidentScope, id: string): Promise<{ incident: IncidentView; residents: { resident_id: string; common_id: string; provisions: number; last_at: Date }[] }> {
    const incident = await this.get(scope, id);
    const residents = await this.repo.affectedResidents(incident.row);
    await this.audit.record({
      type: 'admin.read', actor: { kind: 'admin', id: principal.adminId }, tenantId: incident.row.tenant_id ?? undefined, subject: id, outcome: 'success',
      details: { action: 'incident.affected_residents', residents: residents.length, purpose: 'incident_notification' },
    });
    return { incident, residents };
  }

  /** Tells the residents concerned in the portal (本人への通知), once; returns how many were told. */
  async notifyResidents(principal: AdminPrincipal, scope: IncidentScope, id: string): Promise<number> {
    const incident = await this.get(scope, id);
    const residents = await this.repo.affectedResidents(incident.row, 100_000);
    return inTransaction(this.db, async (tx) => {
      const told = await this.repo.notify(tx, id, residents.map((r) => r.resident_id));
      if (told === undefined) throw new ComplianceException('residents_already_notified');
      await this.audit.record({
        type: 'admin.change', actor: { kind: 'admin', id: principal.adminId }, tenantId: incident.row.tenant_id ?? undefined, subject: id, outcome: 'success',
        details: { action: 'incident.residents_notified', residents: told },
      }, tx);
      return told;
    });
  }

  /** What a resident was told of incidents (the portal's notices). */
  forResident(residentId: string): ReturnType<IncidentsRepository['forResident']> {
    return this.repo.forResident(residentId);
  }

  private view(row: IncidentRow, now: Date): IncidentView {
    const sent: Partial<Record<IncidentReportStage, Date>> = {};
    for (const r of row.reports) sent[r.stage] = new Date(r.sent_at);
    return { row, deadlines: reportDeadlines({ discoveredAt: new Date(row.discovered_at), quickDays: row.quick_days, finalDays: row.final_days, sent, now }) };
  }
}
