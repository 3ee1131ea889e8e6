import { DataSource } from 'typeorm';
import { createTestDatabase } from '@tsunagu/testing';
import { dataSourceOptions } from './data-source-options';
import { detachFromTransaction, guardTransactions, SecondConnectionError } from './transaction-guard';

describe(guardTransactions.name, () => {
  let dataSource: DataSource;
  const reported: SecondConnectionError[] = [];

  async function open(mode: 'throw' | 'report'): Promise<DataSource> {
    const ds = guardTransactions(new DataSource(dataSourceOptions({ url: await createTestDatabase('guard'), embedded: false, entities: [], migrations: [] })), mode, (e) => reported.push(e));
    await ds.initialize();
    await ds.query('CREATE TABLE IF NOT EXISTS guard_rows (n int)');
    return ds;
  }

  beforeAll(async () => {
    dataSource = await open('throw');
  });
  afterAll(() => dataSource?.destroy());

  it('lets statements on the transaction run and commit', async () => {
    const result = await dataSource.transaction(async (tx) => {
      await tx.query('INSERT INTO guard_rows (n) VALUES (1)');
      return (await tx.query('SELECT count(*)::int AS n FROM guard_rows'))[0].n as number;
    });
    expect(result).toBeGreaterThanOrEqual(1);
  });

  it('refuses a pool query made while the transaction is open, and rolls the transaction back', async () => {
    const before = (await dataSource.query('SELECT count(*)::int AS n FROM guard_rows'))[0].n;
    await expect(dataSource.transaction(async (tx) => {
      await tx.query('INSERT INTO guard_rows (n) VALUES (2)');
      await dataSource.query('SELECT 1');
    })).rejects.toBeInstanceOf(SecondConnectionError);
    expect((await dataSource.query('SELECT count(*)::int AS n FROM guard_rows'))[0].n).toBe(before);
  });

  it('refuses a nested transaction on a new connection, and one taken deep in awaited calls', async () => {
    await expect(dataSource.transaction(() => dataSource.transaction(async () => undefined))).rejects.toBeInstanceOf(SecondConnectionError);
    const deep = async () => {
      await new Promise((r) => setTimeout(r, 5));
      return dataSource.query('SELECT 1');
    };
    await expect(dataSource.transaction(async () => { await Promise.resolve(); await deep(); })).rejects.toBeInstanceOf(SecondConnectionError);
  });

  it('accepts the isolation-level form and keeps its level', async () => {
    const level = await dataSource.transaction('SERIALIZABLE', async (tx) => (await tx.query('SHOW transaction_isolation'))[0].transaction_isolation);
    expect(level).toBe('serializable');
    await expect(dataSource.transaction('SERIALIZABLE', () => dataSource.query('SELECT 1'))).rejects.toBeInstanceOf(SecondConnectionError);
  });

  it('does not refuse work started inside a transaction that runs after it ended', async () => {
    let later: Promise<unknown> | undefined;
    await dataSource.transaction(async () => {
      later = new Promise((r) => setTimeout(r, 20)).then(() => dataSource.query('SELECT 1'));
    });
    await expect(later).resolves.toEqual([{ '?column?': 1 }]);
  });

  it('lets background work the transaction only starts take its own connection (detachFromTransaction)', async () => {
    let background: Promise<unknown> | undefined;
    await dataSource.transaction(async (tx) => {
      await tx.query('SELECT 1');
      background = detachFromTransaction(() => dataSource.query('SELECT 3 AS n'));
    });
    await expect(background).resolves.toEqual([{ n: 3 }]);
  });

  it('does not refuse another data source used inside a transaction', async () => {
    const other = await open('throw');
    try {
      await expect(dataSource.transaction(() => other.query('SELECT 4 AS n'))).resolves.toEqual([{ n: 4 }]);
    } finally {
      await other.destroy();
    }
  });

  it('does not affect queries of other requests running beside a transaction', async () => {
    let release: (() => void) | undefined;
    const held = dataSource.transaction(async (tx) => {
      await tx.query('SELECT 1');
      await new Promise<void>((r) => (release = r));
    });
    // The transaction is open and holds its connection once it waits for the release.
    while (!release) await new Promise((r) => setTimeout(r, 5));
    await expect(dataSource.query('SELECT 2 AS n')).resolves.toEqual([{ n: 2 }]);
    release();
    await held;
  });

  it('in report mode lets the query through and reports it', async () => {
    const reporting = await open('report');
    try {
      await reporting.transaction(() => reporting.query('SELECT 1'));
      expect(reported).toHaveLength(1);
      expect(reported[0]).toBeInstanceOf(SecondConnectionError);
    } finally {
      await reporting.destroy();
    }
  });
});
