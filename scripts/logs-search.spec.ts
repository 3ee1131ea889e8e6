import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { filesFor, matches, search } from './logs-search';

describe('logs:search', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-logs-'));
  const line = (o: object) => JSON.stringify(o);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds by correlation id, actor, kind and period across plain and gzip\'d day files, oldest first', async () => {
    writeFileSync(join(dir, 'hub-2026-11-30.log.gz'), gzipSync([
      line({ timestamp: '2026-11-30T10:00:00.000Z', kind: 'access', correlationId: 'c-1', actorId: 'r-1' }),
      line({ timestamp: '2026-11-30T11:00:00.000Z', kind: 'event', correlationId: 'c-2', actorId: 'r-2' }),
    ].join('\n')));
    writeFileSync(join(dir, 'hub-2026-12-01.log'), [
      line({ timestamp: '2026-12-01T01:00:00.000Z', kind: 'access', correlationId: 'c-3', actorId: 'r-1' }),
      'not json',
    ].join('\n'));
    writeFileSync(join(dir, 'notes.txt'), line({ correlationId: 'c-1' }));
    const run = async (q: Parameters<typeof matches>[1]) => {
      const out: string[] = [];
      await search(filesFor(dir, q), q, (l) => out.push(JSON.parse(l).correlationId));
      return out;
    };
    expect(await run({ actorId: 'r-1' })).toEqual(['c-1', 'c-3']);
    expect(await run({ correlationId: 'c-2' })).toEqual(['c-2']);
    expect(await run({ kind: 'access', from: new Date('2026-12-01T00:00:00Z') })).toEqual(['c-3']);
    expect(await run({ to: new Date('2026-11-30T10:30:00Z') })).toEqual(['c-1']);
    expect(filesFor(dir, { from: new Date('2026-12-01T00:00:00Z') }).map((f) => f.split('/').pop())).toEqual(['hub-2026-12-01.log']);
  });
});
