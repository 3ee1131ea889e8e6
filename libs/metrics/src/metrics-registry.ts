import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds: the latency buckets of every HTTP histogram (fast API answers up to slow page renders). */
export const HTTP_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * One process's metrics. Every service (hub, worker, connector) has its own registry, labelled with
 * its service name and instance so that Prometheus tells replicas apart; the process defaults
 * (CPU, memory, event-loop lag, handles) are included.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly httpRequests: Histogram<'method' | 'route' | 'status'>;

  constructor(service: string, instance: string) {
    this.registry.setDefaultLabels({ service, instance });
    collectDefaultMetrics({ register: this.registry, prefix: 'tsunagu_' });
    this.httpRequests = this.histogram('tsunagu_http_request_duration_seconds', 'HTTP requests by route (the matched pattern, never the raw path) and status', ['method', 'route', 'status'], HTTP_SECONDS_BUCKETS);
  }

  counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  histogram<L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  /**
   * A gauge read when Prometheus scrapes (a queue's depth, a file's age): `read` sets it through
   * `set`. A failing read leaves the gauge without samples rather than failing the scrape, so one
   * broken source does not hide every other figure (the alert on the missing series says so).
   */
  gauge<L extends string>(name: string, help: string, labelNames: readonly L[], read: (set: (value: number, labels?: Partial<Record<L, string>>) => void) => Promise<void> | void): Gauge<L> {
    return new Gauge({
      name, help, labelNames, registers: [this.registry],
      async collect() {
        this.reset();
        try {
          await read((value, labels) => (labels ? this.set(labels as never, value) : this.set(value)));
        } catch {
          this.reset();
        }
      },
    });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/**
 * The value of the first sample of `name` whose labels include all of `labels` (any order), or
 * undefined: for tests and scripts reading a scrape.
 */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = new Map([...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found.get(k) === v)) return Number(match[3]);
  }
  return undefined;
}
