// Creates one fresh PostgreSQL database per test run on the machine's real server, so that runs
// never collide; migrations run in it the first time a test opens it (libs/testing test-database.ts).
const { Client } = require('pg');
const { randomBytes } = require('node:crypto');

module.exports = async function globalSetup() {
  const admin = process.env.TEST_PG_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const name = `tsunagu_test_${runId}`;
  const client = new Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  process.env.TEST_RUN_ID = runId;
  process.env.TEST_DATABASE_URL = url.toString();
  process.env.TEST_REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';
  process.env.TEST_REDIS_PREFIX = `tsunagu-test-${runId}:`;
};
