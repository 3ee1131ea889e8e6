import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createGunzip } from 'node:zlib';
import { loadHubConfig, logDirOf } from '../apps/hub/src/platform/config/hub.config';

export interface LogQuery {
  correlationId?: string;
  actorId?: string;
  kind?: string;
  from?: Date;
  to?: Date;
}

/** Whether one JSON log line matches the query (a line that is not JSON never does). */
export function matches(line: string, q: LogQuery): boolean {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line);
  } catch {
    return false;
  }
  if (q.correlationId && entry.correlationId !== q.correlationId) return false;
  if (q.actorId && entry.actorId !== q.actorId && (entry as { details?: { actorId?: unknown } }).details?.actorId !== q.actorId) return false;
  if (q.kind && entry.kind !== q.kind) return false;
  const at = typeof entry.timestamp === 'string' ? Date.parse(entry.timestamp) : NaN;
  if ((q.from || q.to) && Number.isNaN(at)) return false;
  if (q.from && at < q.from.getTime()) return false;
  if (q.to && at >= q.to.getTime()) return false;
  return true;
}

/** The day files (`<service>-YYYY-MM-DD.log[.gz]`) that can hold lines of the period, oldest first. */
export function filesFor(dir: string, q: LogQuery): string[] {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return readdirSync(dir).filter((name) => {
    const m = /-(\d{4}-\d{2}-\d{2})\.log(\.gz)?$/.exec(name);
    if (!m) return false;
    return (!q.from || m[1] >= day(q.from)) && (!q.to || m[1] <= day(q.to));
  }).sort((a, b) => a.replace(/^.*-(\d{4}-\d{2}-\d{2})/, '$1').localeCompare(b.replace(/^.*-(\d{4}-\d{2}-\d{2})/, '$1'))).map((name) => join(dir, name));
}

/** Streams every matching line of the files to `out`; resolves with the count. */
export async function search(files: string[], q: LogQuery, out: (line: string) => void): Promise<number> {
  let found = 0;
  for (const file of files) {
    const raw = createReadStream(file);
    const input = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      if (matches(line, q)) {
        out(line);
        found++;
      }
    }
  }
  return found;
}

function date(text: string | undefined, name: string): Date | undefined {
  if (text === undefined) return undefined;
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00+09:00` : text);
  if (Number.isNaN(d.getTime())) throw new Error(`--${name}: not a date or time (2026-12-01, or 2026-12-01T09:00:00+09:00)`);
  return d;
}

/**
 * `npm run logs:search -- [--correlation ID] [--actor ID] [--kind KIND] [--from DATE] [--to DATE] [--dir DIR]`:
 * the lines of the year-long log files (LOG_DIR, docs/operations.md) matching every option given,
 * gzip'd days included. A bare date is a day in Japan time; `--to` is exclusive.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: {
    correlation: { type: 'string' }, actor: { type: 'string' }, kind: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, dir: { type: 'string' },
  } });
  const q: LogQuery = { correlationId: values.correlation, actorId: values.actor, kind: values.kind, from: date(values.from, 'from'), to: date(values.to, 'to') };
  if (!q.correlationId && !q.actorId && !q.kind && !q.from && !q.to) {
    process.stderr.write('Usage: npm run logs:search -- [--correlation ID] [--actor ID] [--kind KIND] [--from DATE] [--to DATE] [--dir DIR]  (at least one filter)\n');
    return 2;
  }
  const dir = resolve(values.dir ?? logDirOf(loadHubConfig()) ?? 'data/logs');
  if (!existsSync(dir)) {
    process.stderr.write(`No log folder ${dir}: set LOG_DIR or pass --dir\n`);
    return 2;
  }
  const found = await search(filesFor(dir, q), q, (line) => process.stdout.write(`${line}\n`));
  process.stderr.write(`${found} line(s)\n`);
  return 0;
}

if (require.main === module) {
  main().then((code) => process.exit(code)).catch((error) => {
    process.stderr.write(`logs:search failed: ${error instanceof Error ? error.message : error}\n`);
    process.exit(1);
  });
}
