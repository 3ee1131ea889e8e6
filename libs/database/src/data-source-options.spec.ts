import { DataSource } from 'typeorm';
import { createTestDatabase } from '@tsunagu/testing';
import { dataSourceOptions } from './data-source-options';

describe(dataSourceOptions.name, () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    // The embedded settings (one pool connection) against the real server: the pool behaves alike.
    dataSource = new DataSource(dataSourceOptions({ url: await createTestDatabase('pool'), embedded: true, entities: [], migrations: [], poolWaitMs: 300 }));
    await dataSource.initialize();
  });
  afterAll(() => dataSource?.destroy());

  it('turns a wait for the single embedded connection into a clear error instead of a hang, and recovers', async () => {
    const holder = dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    const started = Date.now();
    await expect(dataSource.query('SELECT 1')).rejects.toThrow('timeout exceeded when trying to connect');
    expect(Date.now() - started).toBeLessThan(2_000);
    await holder.commitTransaction();
    await holder.release();
    await expect(dataSource.query('SELECT 1 AS n')).resolves.toEqual([{ n: 1 }]);
  });
});
