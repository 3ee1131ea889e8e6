import { html, type SafeHtml } from './html';

/** A column of {@link dataTable}: its heading, which is also each value's label on a phone. */
export interface Column {
  label: string;
  /** Right-aligned figures. */
  num?: boolean;
  mono?: boolean;
  /** On a phone, the value goes under its label instead of beside it (long values: lists, details). */
  full?: boolean;
}

/** One row of {@link dataTable}: its `data-*` attributes (what tests and scripts find it by) and its cells. */
export interface TableRow {
  data?: Record<string, string>;
  cells: (SafeHtml | string | number | null | undefined)[];
}

/**
 * A table of the portal and admin screens. On a PC, a table; on a phone (under 48rem), each row
 * becomes a card of label/value pairs (`cards`, the default), each value labelled by its column's
 * heading, so that no column is squeezed to a character per line. The wrapper scrolls sideways
 * when a table is wider than the screen, so it is a named region that the keyboard can reach
 * (axe `scrollable-region-focusable`).
 */
export function dataTable(o: { label: string; testId?: string; columns: Column[]; rows: TableRow[]; cards?: boolean }): SafeHtml {
  const cards = o.cards ?? true;
  const cls = (c: Column) => [c.num ? 'num' : '', c.mono ? 'mono' : '', c.full ? 'full' : ''].filter(Boolean).join(' ');
  return html`<div class="table-wrap" role="region" tabindex="0" aria-label="${o.label}"><table class="data${cards ? ' cards' : ''}"${o.testId ? html` data-testid="${o.testId}"` : ''}>
<thead><tr>${o.columns.map((c) => html`<th scope="col"${c.num ? html` class="num"` : ''}>${c.label}</th>`)}</tr></thead>
<tbody>${o.rows.map((r) => html`<tr${Object.entries(r.data ?? {}).map(([k, v]) => html` data-${k}="${v}"`)}>${r.cells.map((cell, i) => {
    const c = o.columns[i];
    return html`<td${cls(c) ? html` class="${cls(c)}"` : ''} data-label="${c.label}"><div>${cell ?? '—'}</div></td>`;
  })}</tr>`)}</tbody></table></div>`;
}

/** The styles of {@link dataTable}; part of the shared layout's stylesheet. */
export const dataTableCss = `
.table-wrap{overflow-x:auto;margin:.5rem 0 1rem}
.table-wrap:focus-visible{outline:4px solid var(--color-neutral-black);outline-offset:2px;box-shadow:0 0 0 2px var(--color-primitive-yellow-300)}
table.data th,table.data td{font-size:var(--font-size-14)}
table.data td.num,table.data th.num{text-align:right;font-variant-numeric:tabular-nums}
@media (max-width:47.99rem){
table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:100%}
table.cards thead{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
table.cards tr{border:1px solid var(--color-neutral-solid-gray-200);border-radius:var(--border-radius-12);padding:.5rem 1rem;margin:0 0 .75rem}
table.cards td{display:grid;grid-template-columns:minmax(6rem,35%) minmax(0,1fr);gap:0 .75rem;padding:.375rem 0;border-bottom:1px solid var(--color-neutral-solid-gray-50);text-align:left}
table.cards td:last-child{border-bottom:0}
table.cards td::before{content:attr(data-label);font-weight:700;color:var(--color-neutral-solid-gray-800);font-family:var(--font-family-sans);letter-spacing:normal}
table.cards td.num{text-align:left}
table.cards td.full{grid-template-columns:minmax(0,1fr)}
}
`;
