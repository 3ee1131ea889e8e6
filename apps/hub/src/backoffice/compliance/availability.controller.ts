import { Controller, Get, UseFilters } from '@nestjs/common';
import { html, Lang, type Lang as LangT, type SafeHtml, WebReply } from '@tsunagu/web';
import { type AvailabilityMonth, AvailabilityService } from '../../compliance/availability/availability.service';
import { type AdminPrincipal, Principal } from '../../platform/access/admin-principal';
import { AdminPageFilter } from '../web/admin-errors';
import { adminPage, adminReply, dataTable } from '../web/admin.layout';

const t = {
  title: { ja: '稼働実績', en: 'Availability' },
  lead: {
    ja: 'ハブ自身のヘルスチェック（1分ごと、データベースとRedis）から月ごとの稼働率を記録します。事前に告知した計画停止の時間は除き、緊急の停止と記録のない時間は停止として数えます。',
    en: 'Monthly availability from the hub’s own health probes (every minute: database and Redis). Announced planned stops are left out; urgent stops and minutes without a probe count as down.',
  },
  month: { ja: '月（日本時間）', en: 'Month (Japan time)' },
  observed: { ja: '記録した時間（分）', en: 'Observed (min)' },
  planned: { ja: '告知済み計画停止（分）', en: 'Announced stops (min)' },
  up: { ja: '稼働（分）', en: 'Up (min)' },
  rate: { ja: '稼働率', en: 'Availability' },
  csv: { ja: 'CSVで書き出す', en: 'Export CSV' },
};

function page(lang: LangT, principal: AdminPrincipal, months: AvailabilityMonth[]): SafeHtml {
  return adminPage({
    lang, title: t.title[lang], path: '/system/availability', principal, area: 'system', section: 'availability',
    body: html`<h1>${t.title[lang]}</h1><p>${t.lead[lang]}</p>
<div class="actions"><a class="button secondary" href="/system/availability/export.csv" download>${t.csv[lang]}</a></div>
${dataTable({
  label: t.title[lang], testId: 'availability',
  columns: [{ label: t.month[lang] }, { label: t.observed[lang] }, { label: t.planned[lang] }, { label: t.up[lang] }, { label: t.rate[lang] }],
  rows: months.map((m) => ({ data: { month: m.month }, cells: [m.month, String(m.observedMinutes), String(m.plannedMinutes), String(m.upMinutes), m.availability === null ? '—' : `${(m.availability * 100).toFixed(3)}%`] })),
})}`,
  });
}

/** The availability record for the system admin, with a CSV export. */
@Controller('system/availability')
@UseFilters(AdminPageFilter)
export class AvailabilityController {
  constructor(private readonly availability: AvailabilityService) {}

  @Get()
  async show(@Lang() lang: LangT, @Principal() principal: AdminPrincipal): Promise<WebReply> {
    return adminReply(page(lang, principal, await this.availability.months()));
  }

  @Get('export.csv')
  async csv(): Promise<WebReply> {
    return WebReply.text(await this.availability.csv(), 'text/csv; charset=utf-8').noStore().header('content-disposition', 'attachment; filename="availability.csv"');
  }
}
