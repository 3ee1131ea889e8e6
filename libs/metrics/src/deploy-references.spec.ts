import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'testing' ? [] : sources(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Names the code registers ('tsunagu_…' literals; histograms also give _bucket/_sum/_count). */
function definedMetrics(): Set<string> {
  const names = new Set<string>(['up']);
  for (const file of [...sources(join(ROOT, 'apps')), ...sources(join(ROOT, 'libs'))]) {
    for (const m of readFileSync(file, 'utf8').matchAll(/'(tsunagu_[a-z0-9_]+)'/g)) {
      for (const suffix of ['', '_bucket', '_sum', '_count']) names.add(m[1] + suffix);
    }
  }
  // collectDefaultMetrics with the tsunagu_ prefix
  for (const name of ['tsunagu_process_cpu_seconds_total', 'tsunagu_process_resident_memory_bytes', 'tsunagu_nodejs_eventloop_lag_p99_seconds']) names.add(name);
  return names;
}

describe('deploy/ alerts and dashboard', () => {
  it('use only metrics the hub and connectors define (a renamed metric would silence an alert)', () => {
    const defined = definedMetrics();
    const files = ['deploy/prometheus/alerts.yml', 'deploy/grafana/tsunagu-dashboard.json'];
    const unknown = files.flatMap((file) => [...readFileSync(join(ROOT, file), 'utf8').matchAll(/\b(tsunagu_[a-z0-9_]+)\b/g)]
      .map((m) => m[1]).filter((name) => !defined.has(name) && !['tsunagu_hub', 'tsunagu_connector'].includes(name)).map((name) => `${file}: ${name}`));
    expect(unknown).toEqual([]);
  });
});
