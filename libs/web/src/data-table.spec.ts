import { dataTable, dataTableCss } from './data-table';
import { html } from './html';

describe(dataTable.name, () => {
  const table = dataTable({
    label: '提供記録', testId: 'provisions',
    columns: [{ label: '日時' }, { label: '項目', full: true }, { label: '件数', num: true }],
    rows: [{ data: { provision: 'p1' }, cells: ['2026/12/01', html`<b>歩数</b>`, 3] }, { cells: ['2026/12/02', null, 0] }],
  }).value;

  it('labels every value with its column, for the cards a phone shows', () => {
    expect(table).toContain('<td data-label="日時"><div>2026/12/01</div></td>');
    expect(table).toContain('<td class="full" data-label="項目"><div><b>歩数</b></div></td>');
    expect(table).toContain('<td class="num" data-label="件数"><div>3</div></td>');
    expect(table).toContain('<tr data-provision="p1">');
  });

  it('shows an empty value as a dash, and makes the scrolling wrapper a named, focusable region', () => {
    expect(table).toContain('<td class="full" data-label="項目"><div>—</div></td>');
    expect(table).toContain('<div class="table-wrap" role="region" tabindex="0" aria-label="提供記録">');
    expect(dataTableCss).toMatch(/@media \(max-width:47\.99rem\)\{\ntable\.cards/);
  });
});
