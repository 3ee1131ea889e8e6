/**
 * What the dashboard page hands its browser script (browser/dashboard.client.ts) in the
 * `<script type="application/json" id="dashboard-data">` block. Types only, shared by the page
 * that writes the block and the script that reads it; a declaration file, so that the browser
 * build compiles nothing of the server's.
 */
export interface DashboardData {
  charts: ChartSpec[];
}

/** One chart: its canvas's ID, the Chart.js chart type, and the same figures as the table under it. */
export interface ChartSpec {
  id: string;
  type: 'line' | 'bar' | 'doughnut';
  labels: string[];
  datasets: { label: string; data: number[] }[];
  stacked?: boolean;
  horizontal?: boolean;
}
