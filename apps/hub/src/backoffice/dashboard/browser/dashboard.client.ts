/**
 * The dashboard's only script, served as /admin/assets/dashboard.js (the CSP forbids inline
 * script). It reads the figures from the page's `<script type="application/json">` block, draws
 * them with Chart.js (/admin/assets/chart.umd.js, loaded before it), shows the chart areas and
 * folds the tables (which stay one click away, and are all there is without JavaScript).
 *
 * Built for the browser by ./tsconfig.json (lib DOM, no Node types). A classic script with no
 * import or export, so it runs as compiled; its names stay inside the function.
 */
(() => {
  type DashboardData = import('../dashboard-data').DashboardData;
  type ChartConstructor = typeof import('chart.js').Chart;

  const block = document.getElementById('dashboard-data');
  const Chart = (window as Window & { Chart?: ChartConstructor }).Chart;
  if (!block || !Chart) return;
  let data: DashboardData;
  try {
    data = JSON.parse(block.textContent || '{}') as DashboardData;
  } catch {
    return;
  }
  const palette = ['#0017c1', '#ce0000', '#197a4b', '#927200', '#8b008b', '#666666', '#00118f'];
  for (const c of data.charts ?? []) {
    const canvas = document.getElementById(c.id);
    if (!(canvas instanceof HTMLCanvasElement)) continue;
    const box = canvas.parentElement;
    if (box?.hasAttribute('hidden')) box.removeAttribute('hidden');
    const doughnut = c.type === 'doughnut';
    new Chart(canvas, {
      type: c.type,
      data: {
        labels: c.labels,
        datasets: c.datasets.map((d, i) => {
          const color = doughnut ? c.labels.map((_, j) => palette[j % palette.length]) : palette[i % palette.length];
          return { label: d.label, data: d.data, backgroundColor: color, borderColor: doughnut ? '#ffffff' : color, fill: false, tension: 0.2, pointRadius: 2 };
        }),
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false, indexAxis: c.horizontal ? 'y' : 'x',
        plugins: { legend: { display: doughnut || c.datasets.length > 1, position: 'bottom' } },
        scales: doughnut ? {} : {
          x: { stacked: !!c.stacked, ticks: { precision: 0 } },
          y: { stacked: !!c.stacked, beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    });
    document.querySelector(`details[data-table-for="${c.id}"]`)?.removeAttribute('open');
  }
})();
