/**
 * The dashboard's only script, served as /admin/assets/dashboard.js (the CSP forbids inline
 * script). It reads the figures from the page's `<script type="application/json">` block, draws
 * them with Chart.js, shows the chart areas and folds the tables (which stay one click away, and
 * are all there is without JavaScript).
 */
export const DASHBOARD_SCRIPT = `(function () {
  'use strict';
  var block = document.getElementById('dashboard-data');
  if (!block || typeof window.Chart === 'undefined') return;
  var config;
  try { config = JSON.parse(block.textContent || '{}'); } catch (e) { return; }
  var palette = ['#0017c1', '#ce0000', '#197a4b', '#927200', '#8b008b', '#666666', '#00118f'];
  (config.charts || []).forEach(function (c) {
    var canvas = document.getElementById(c.id);
    if (!canvas) return;
    var box = canvas.parentNode;
    if (box && box.hasAttribute('hidden')) box.removeAttribute('hidden');
    var doughnut = c.type === 'doughnut';
    new window.Chart(canvas, {
      type: c.type,
      data: {
        labels: c.labels,
        datasets: c.datasets.map(function (d, i) {
          var color = doughnut ? c.labels.map(function (_, j) { return palette[j % palette.length]; }) : palette[i % palette.length];
          return { label: d.label, data: d.data, backgroundColor: color, borderColor: doughnut ? '#ffffff' : color, fill: false, tension: 0.2, pointRadius: 2 };
        })
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false, indexAxis: c.horizontal ? 'y' : 'x',
        plugins: { legend: { display: doughnut || c.datasets.length > 1, position: 'bottom' } },
        scales: doughnut ? {} : {
          x: { stacked: !!c.stacked, ticks: { precision: 0 } },
          y: { stacked: !!c.stacked, beginAtZero: true, ticks: { precision: 0 } }
        }
      }
    });
    var details = document.querySelector('details[data-table-for="' + c.id + '"]');
    if (details) details.removeAttribute('open');
  });
})();
`;
