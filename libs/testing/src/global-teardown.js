// Drops every database this run created (the run database and the per-test ones made by
// createTestDatabase) and the run's Redis keys.
const { Client } = require('pg');

module.exports = async function globalTeardown() {
  const admin = process.env.TEST_PG_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const runId = process.env.TEST_RUN_ID;
  if (!runId) return;
  const client = new Client({ connectionString: admin });
  await client.connect();
  const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`tsunagu_test_${runId}%`]);
  for (const { datname } of rows) {
    await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  }
  await client.end();
  try {
    const Redis = require('ioredis');
    const redis = new Redis(process.env.TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${process.env.TEST_REDIS_PREFIX}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    await redis.quit();
  } catch {
    // Redis keys of a test run expire on their own; a failed cleanup must not fail the run.
  }
};
