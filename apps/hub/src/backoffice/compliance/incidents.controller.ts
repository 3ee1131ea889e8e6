import { Body, Controller, Get, Param, Post, Query, UseFilters } from '@nestjs/common';
import { DomainException, statusFor } from '@tsunagu/common';
import { incidentFormSchema, incidentReportFormSchema } from '@tsunagu/contracts';
import { Lang, WantsJson, WebReply } from '@tsunagu/web';
import { IncidentsService } from '../../compliance/incidents/incidents.service';
import { type AdminPrincipal, Principal } from '../../platform/access/admin-principal';
import { AdminPageFilter } from '../web/admin-errors';
import { submitted, validForm } from '../web/admin-forms';
import { adminReply, doneNotice } from '../web/admin.layout';
import { ConfirmedAction, type ConfirmedActionForm } from '../web/confirm';
import { Area, type ComplianceArea } from './compliance-scope';
import { incidentText } from './incidents.messages';
import { incidentPage, incidentsPage, notifyConfirmPage, ppcPage, residentsPage } from './incidents.views';

const done = { created: incidentText.created, reported: incidentText.reported, notified: incidentText.notified };

/**
 * Incidents (事故報告): `/admin/incidents` for the tenant in scope, `/system/incidents` for the
 * platform (platform-wide incidents, and every tenant's to oversee). The path IDs of `/admin` are
 * checked against the tenant by AdminScopeGuard; the service scopes every query as well.
 */
@Controller(['admin/incidents', 'system/incidents'])
@UseFilters(AdminPageFilter)
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Get()
  async list(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Area() where: ComplianceArea, @WantsJson() json: boolean, @Query('done') flag?: string): Promise<WebReply> {
    const incidents = await this.incidents.list(where);
    if (json) return WebReply.json({ incidents: incidents.map((i) => ({ id: i.row.id, title: i.row.title, deadlines: i.deadlines })) }).noStore();
    return adminReply(incidentsPage({ lang, principal, where, incidents, notice: doneNotice(lang, flag, done) }));
  }

  @Post()
  async create(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Area() where: ComplianceArea, @WantsJson() json: boolean, @Body() body: unknown): Promise<WebReply> {
    try {
      const id = await this.incidents.create(principal, where, validForm(incidentFormSchema, body));
      if (json) return WebReply.json({ id }, 201);
      return WebReply.seeOther(`${where.base}/incidents/${id}?done=created`);
    } catch (error) {
      if (!(error instanceof DomainException) || json) throw error;
      return adminReply(incidentsPage({ lang, principal, where, incidents: await this.incidents.list(where), error, values: submitted(body) }), statusFor(error.reason));
    }
  }

  @Get(':incidentId')
  async show(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Area() where: ComplianceArea, @Param('incidentId') id: string, @Query('done') flag?: string): Promise<WebReply> {
    return adminReply(incidentPage({ lang, principal, where, incident: await this.incidents.get(where, id), notice: doneNotice(lang, flag, done) }));
  }

  @Post(':incidentId/reports')
  async markSent(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Area() where: ComplianceArea, @WantsJson() json: boolean, @Param('incidentId') id: string, @Body() body: unknown): Promise<WebReply> {
    try {
      await this.incidents.markSent(principal, where, id, validForm(incidentReportFormSchema, body));
      if (json) return WebReply.json({ ok: true });
      return WebReply.seeOther(`${where.base}/incidents/${id}?done=reported`);
    } catch (error) {
      if (!(error instanceof DomainException) || json || error.code === 'incident_not_found') throw error;
      return adminReply(incidentPage({ lang, principal, where, incident: await this.incidents.get(where, id), error, values: submitted(body) }), statusFor(error.reason));
    }
  }

  /** The PPC leak-report form's fields as JSON (a download). */
  @Get(':incidentId/ppc.json')
  async ppcJson(@Area() where: ComplianceArea, @Param('incidentId') id: string): Promise<WebReply> {
    return WebReply.json(await this.incidents.ppcReport(where, id)).noStore().header('content-disposition', `attachment; filename="incident-${id}-ppc.json"`);
  }

  /** The same fields as a printable page. */
  @Get(':incidentId/ppc')
  async ppcPage(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Area() where: ComplianceArea, @Param('incidentId') id: string): Promise<WebReply> {
    return adminReply(ppcPage({ lang, principal, where, id, report: await this.incidents.ppcReport(where, id) }));
  }

  /** The residents concerned, from the provision ledger (the read is audited). */
  @Get(':incidentId/residents')
  async residents(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Area() where: ComplianceArea, @Param('incidentId') id: string): Promise<WebReply> {
    return adminReply(residentsPage({ lang, principal, where, ...(await this.incidents.affectedResidents(principal, where, id)) }));
  }

  @Get(':incidentId/notify')
  async notifyForm(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Area() where: ComplianceArea, @Param('incidentId') id: string): Promise<WebReply> {
    const { incident, residents } = await this.incidents.affectedResidents(principal, where, id);
    return adminReply(notifyConfirmPage({ lang, principal, where, incident, residents: residents.length }));
  }

  /** Tells the residents in the portal, once (after the confirmation page). */
  @Post(':incidentId/notify')
  async notify(@Principal() principal: AdminPrincipal, @Area() where: ComplianceArea, @Param('incidentId') id: string, @Body(new ConfirmedAction('notify')) _form: ConfirmedActionForm): Promise<WebReply> {
    await this.incidents.notifyResidents(principal, where, id);
    return WebReply.seeOther(`${where.base}/incidents/${id}?done=notified`);
  }
}
