import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** One kind of request, fired again and again: a POST with a fixed body and headers. */
export interface Target {
  port: number;
  /** POST unless set (the token benchmark's targets leave it out). */
  method?: string;
  path: string;
  headers: http.OutgoingHttpHeaders;
  body: Buffer;
}

export interface PhaseResult {
  /** Requests completed (any status). */
  completed: number;
  /** Requests that failed: a status other than 200 or a socket error. */
  errors: number;
  /** The first failure seen, for the report. */
  firstError?: string;
  elapsedMs: number;
  /** Completed requests per second of wall time. */
  throughput: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** A keep-alive agent with a fixed number of sockets: the load generator's connection pool. */
export function keepAliveAgent(sockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
}

/** Sends one request; resolves with the status once the whole response has been read. */
export function send(agent: http.Agent, target: Target): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: target.port, method: target.method ?? 'POST', path: target.path, headers: target.headers, agent }, (res) => {
      res.on('error', reject);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.resume();
    });
    req.on('error', reject);
    req.end(target.body);
  });
}

/** Sends one request and returns status and body (for checks outside the timed phases). */
export function sendForBody(agent: http.Agent, target: Target): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: target.port, method: target.method ?? 'POST', path: target.path, headers: target.headers, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(target.body);
  });
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

class Recorder {
  private latencies: Float64Array;
  private n = 0;
  errors = 0;
  firstError?: string;
  constructor(capacity: number) {
    this.latencies = new Float64Array(capacity);
  }
  record(ms: number, status: number | Error): void {
    if (this.n === this.latencies.length) {
      const bigger = new Float64Array(this.latencies.length * 2);
      bigger.set(this.latencies);
      this.latencies = bigger;
    }
    this.latencies[this.n++] = ms;
    if (status !== 200) {
      this.errors++;
      this.firstError ??= status instanceof Error ? status.message : `HTTP ${status}`;
    }
  }
  result(elapsedMs: number): PhaseResult {
    const sorted = this.latencies.slice(0, this.n).sort();
    return {
      completed: this.n, errors: this.errors, firstError: this.firstError, elapsedMs,
      throughput: this.n / (elapsedMs / 1000),
      p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted.length ? sorted[sorted.length - 1] : NaN,
    };
  }
}

/**
 * Closed loop: `concurrency` workers, each sending its next request as soon as the previous one is
 * answered, for `durationMs`. Measures the saturation throughput.
 */
export async function closedLoop(target: Target, concurrency: number, durationMs: number): Promise<PhaseResult> {
  const agent = keepAliveAgent(concurrency);
  const recorder = new Recorder(65_536);
  const start = performance.now();
  const deadline = start + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      const status = await send(agent, target).catch((e: Error) => e);
      recorder.record(performance.now() - t0, status);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = performance.now() - start;
  agent.destroy();
  return recorder.result(elapsed);
}

/**
 * Open loop: requests are scheduled at a fixed rate whether or not earlier ones have been answered,
 * and each latency is measured from the request's scheduled send time (not from when it actually
 * went out), so a stalled server is charged for the requests it held up (no coordinated omission).
 * Up to `sockets` keep-alive connections; requests beyond that wait in the agent's queue, and that
 * wait counts too.
 */
export async function openLoop(target: Target, ratePerSecond: number, durationMs: number, sockets: number): Promise<PhaseResult> {
  const agent = keepAliveAgent(sockets);
  const total = Math.max(1, Math.floor((ratePerSecond * durationMs) / 1000));
  const interval = 1000 / ratePerSecond;
  const recorder = new Recorder(total);
  const inflight: Promise<void>[] = [];
  const start = performance.now();
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      // Everything whose scheduled time has come goes out now (timers fire ~1 ms apart at best).
      while (next < total && start + next * interval <= now) {
        const scheduled = start + next * interval;
        next++;
        inflight.push(send(agent, target).then(
          (status) => recorder.record(performance.now() - scheduled, status),
          (error: Error) => recorder.record(performance.now() - scheduled, error),
        ));
      }
      if (next >= total) return resolve();
      setTimeout(tick, Math.max(0, Math.min(5, start + next * interval - performance.now())));
    };
    tick();
  });
  await Promise.all(inflight);
  const elapsed = performance.now() - start;
  agent.destroy();
  const result = recorder.result(elapsed);
  // Throughput of an open loop is the offered rate when the server keeps up.
  result.throughput = result.completed / (elapsed / 1000);
  return result;
}
