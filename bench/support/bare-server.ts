import { createHash, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { Pool } from 'pg';

/**
 * The baseline of the token benchmark: the least a token endpoint has to do, on a bare Node HTTP
 * server. On POST /token it parses the form body and the Basic credentials, looks up one row by
 * primary key in PostgreSQL (pg.Pool, 10 connections like the hub's TypeORM pool) and signs an
 * ES256 ID token with jose, then answers with JSON the size of the hub's answer. No framework, no
 * Redis, no token storage.
 *
 * Run as a child process by bench/token.ts: env PORT, DATABASE_URL, ISSUER, CLIENT_ID, CLIENT_SECRET.
 */

export const BARE_TABLE = 'bench_bare_accounts';

/** Creates the baseline's small table in the bench database and returns the ids of its rows. */
export async function prepareBareTable(databaseUrl: string, rows = 1000): Promise<string[]> {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    await pool.query(`CREATE TABLE ${BARE_TABLE} (id uuid PRIMARY KEY, display_name text NOT NULL, acr text NOT NULL, auth_time bigint NOT NULL)`);
    const ids = Array.from({ length: rows }, () => randomUUID());
    const now = Math.floor(Date.now() / 1000);
    await pool.query(
      `INSERT INTO ${BARE_TABLE} (id, display_name, acr, auth_time) SELECT u, 'bench resident', 'urn:tsunagu:loa:password', $2 FROM unnest($1::uuid[]) AS u`,
      [ids, now],
    );
    await pool.query(`ANALYZE ${BARE_TABLE}`);
    return ids;
  } finally {
    await pool.end();
  }
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT);
  const issuer = process.env.ISSUER!;
  const clientId = process.env.CLIENT_ID!;
  const expectedAuth = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(process.env.CLIENT_SECRET!)}`).toString('base64')}`;
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = (await exportJWK(publicKey)).x!.slice(0, 16);

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
    res.end(text);
  };

  const token = async (req: http.IncomingMessage, res: http.ServerResponse, raw: string) => {
    if (req.headers.authorization !== expectedAuth) return json(res, 401, { error: 'invalid_client' });
    const form = new URLSearchParams(raw);
    const refreshToken = form.get('refresh_token');
    if (form.get('grant_type') !== 'refresh_token' || !refreshToken) return json(res, 400, { error: 'invalid_request' });
    const { rows } = await pool.query<{ id: string; acr: string; auth_time: string }>(`SELECT id, acr, auth_time FROM ${BARE_TABLE} WHERE id = $1`, [refreshToken]);
    const account = rows[0];
    if (!account) return json(res, 400, { error: 'invalid_grant' });
    const accessToken = randomBytes(32).toString('base64url'); // 43 characters, like the hub's opaque tokens
    const atHash = createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
    const idToken = await new SignJWT({ at_hash: atHash, acr: account.acr, amr: ['pwd'], auth_time: Number(account.auth_time) })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid })
      .setIssuer(issuer)
      .setSubject(account.id)
      .setAudience(clientId)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    json(res, 200, { access_token: accessToken, expires_in: 600, id_token: idToken, refresh_token: refreshToken, scope: 'openid profile', token_type: 'Bearer' });
  };

  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health') return json(res, 200, { status: 'ok' });
    if (req.method !== 'POST' || req.url !== '/token') return json(res, 404, { error: 'not_found' });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      token(req, res, Buffer.concat(chunks).toString('utf8')).catch((error: Error) => {
        process.stderr.write(`bare server error: ${error.stack}\n`);
        if (!res.headersSent) json(res, 500, { error: 'server_error' });
      });
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, '127.0.0.1');
  const stop = () => server.close(() => void pool.end().finally(() => process.exit(0)));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) {
  main().catch((error: Error) => {
    process.stderr.write(`bare server failed: ${error.stack}\n`);
    process.exit(1);
  });
}
