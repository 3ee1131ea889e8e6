import { CSV_COLUMNS, csvField, csvLine, exportChunks, exportFileName, ndjsonLine, startExport } from './audit-export.writer';
import type { AuditRow } from './audit-search.repository';

const row = (over: Partial<AuditRow> = {}): AuditRow => ({
  seq: '42', occurred_at: new Date('2026-04-01T00:30:00.000Z'), type: 'admin.change', actor_kind: 'admin', actor_id: 'a-1', tenant_id: 't-1',
  subject: 'service:misasa', outcome: 'success', reason: null, details: { changed: { nameJa: { from: '三朝', to: '三朝温泉' } } },
  correlation_id: 'c-1', prev_hash: '0'.repeat(64), hash: 'f'.repeat(64), ...over,
});

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

/** An RFC 4180 record (every field quoted) read back into its fields. */
function parseRecord(line: string): string[] {
  expect(line).toMatch(/^"(?:[^"]|"")*"(?:,"(?:[^"]|"")*")*$/);
  return [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1].replace(/""/g, '"'));
}

async function* pagesOf(...pages: AuditRow[][]): AsyncGenerator<AuditRow[]> {
  yield* pages;
}

describe(csvField.name, () => {
  it('quotes every field and doubles the quotes inside', () => {
    expect(csvField('plain')).toBe('"plain"');
    expect(csvField('say "hi", then go')).toBe('"say ""hi"", then go"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('writes nothing for null and undefined, ISO instants for dates, JSON for objects', () => {
    expect(csvField(null)).toBe('""');
    expect(csvField(undefined)).toBe('""');
    expect(csvField(new Date('2026-04-01T00:30:00Z'))).toBe('"2026-04-01T00:30:00.000Z"');
    expect(csvField({ a: 'x"y' })).toBe('"{""a"":""x\\""y""}"');
  });

  it('defuses what a spreadsheet would run as a formula (OWASP CSV injection)', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvField(`${start}SUM(A1)`)).toBe(`"'${start}SUM(A1)"`);
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('a=b')).toBe('"a=b"');
  });
});

describe(csvLine.name, () => {
  it('is one CRLF-terminated record with the columns in header order', () => {
    const line = csvLine(row({ reason: '-1' }));
    expect(line.endsWith('\r\n')).toBe(true);
    const fields = parseRecord(line.slice(0, -2));
    expect(fields).toHaveLength(CSV_COLUMNS.length);
    expect(fields[CSV_COLUMNS.indexOf('seq')]).toBe('42');
    expect(fields[CSV_COLUMNS.indexOf('occurred_at')]).toBe('2026-04-01T00:30:00.000Z');
    expect(fields[CSV_COLUMNS.indexOf('reason')]).toBe("'-1");
    expect(JSON.parse(fields[CSV_COLUMNS.indexOf('details')])).toEqual({ changed: { nameJa: { from: '三朝', to: '三朝温泉' } } });
  });
});

describe(ndjsonLine.name, () => {
  it('is one JSON object and a newline, with the API\'s field names and a numeric seq', () => {
    const line = ndjsonLine(row({ details: { note: 'line\nbreak' } }));
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({
      seq: 42, occurredAt: '2026-04-01T00:30:00.000Z', type: 'admin.change', actor: { kind: 'admin', id: 'a-1' }, tenantId: 't-1',
      subject: 'service:misasa', outcome: 'success', reason: null, details: { note: 'line\nbreak' }, correlationId: 'c-1', prevHash: '0'.repeat(64), hash: 'f'.repeat(64),
    });
  });
});

describe(exportChunks.name, () => {
  it('opens a CSV with a byte-order mark and the header line, then one chunk a page', async () => {
    const chunks = await collect(exportChunks('csv', pagesOf([row({ seq: '1' }), row({ seq: '2' })], [row({ seq: '3' })])));
    expect(chunks[0]).toBe(`\uFEFF${CSV_COLUMNS.join(',')}\r\n`);
    expect(chunks.slice(1).map((c) => c.split('\r\n').length - 1)).toEqual([2, 1]);
  });

  it('writes NDJSON with no header, and a CSV of no rows as its header only', async () => {
    expect((await collect(exportChunks('ndjson', pagesOf([row({ seq: '1' })])))).map((c) => JSON.parse(c).seq)).toEqual([1]);
    expect(await collect(exportChunks('ndjson', pagesOf()))).toEqual([]);
    expect(await collect(exportChunks('csv', pagesOf()))).toEqual([`\uFEFF${CSV_COLUMNS.join(',')}\r\n`]);
  });
});

describe(startExport.name, () => {
  it('reads the first page before it answers, so that a bad filter is an error, not a broken download', async () => {
    async function* failing(): AsyncGenerator<AuditRow[]> {
      await Promise.reject(new Error('bad filter'));
      yield [];
    }
    await expect(startExport('csv', failing())).rejects.toThrow('bad filter');
  });

  it('then yields every page, the first included, in order', async () => {
    const chunks = await collect(await startExport('ndjson', pagesOf([row({ seq: '1' })], [row({ seq: '2' }), row({ seq: '3' })])));
    expect(chunks.join('').trim().split('\n').map((l) => JSON.parse(l).seq)).toEqual([1, 2, 3]);
  });
});

describe(exportFileName.name, () => {
  it('is stamped with the Japan time of the export', () => {
    expect(exportFileName('csv', new Date('2026-03-31T15:05:00Z'))).toBe('tsunagu-audit-202604010005.csv');
    expect(exportFileName('ndjson', new Date('2026-03-31T15:05:00Z'))).toBe('tsunagu-audit-202604010005.ndjson');
  });
});
