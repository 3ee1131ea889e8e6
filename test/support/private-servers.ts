import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './processes';

/**
 * PostgreSQL and Redis servers of one test's own, for the tests that stop and restart them: the
 * machine's shared servers serve every other spec running at the same time.
 */

export interface PrivateServer {
  port: number;
  url: string;
  /** Stops the server the way an operator's restart does, and starts it again on the same data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function until(ready: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`${what} did not become ready`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function postgresBin(name: string): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  return join('/usr/lib/postgresql', versions[0], 'bin', name);
}

/**
 * A PostgreSQL cluster in `dir` (initdb, trust auth on 127.0.0.1, a free port). PostgreSQL
 * refuses to run as root: as root, the cluster belongs to the `postgres` user.
 */
export async function startPrivatePostgres(dir: string): Promise<PrivateServer> {
  const data = join(dir, 'pgdata');
  mkdirSync(dir, { recursive: true });
  const asRoot = userInfo().uid === 0;
  const run = (bin: string, args: string[]) => execFileSync(asRoot ? 'runuser' : postgresBin(bin), asRoot ? ['-u', 'postgres', '--', postgresBin(bin), ...args] : args, { stdio: 'pipe' });
  if (asRoot) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale', 'C']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = () => run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'postgres.log'), '-w', 'start']);
  start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const db = new Client({ connectionString: url });
  await db.connect();
  await db.query('CREATE DATABASE tsunagu');
  await db.end();
  return {
    port, url: `postgres://postgres@127.0.0.1:${port}/tsunagu`,
    async restart() {
      // -m fast: what `systemctl restart postgresql` does: every session is ended, then it comes back.
      run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'postgres.log'), '-m', 'fast', '-w', 'restart']);
    },
    async stop() {
      if (existsSync(join(data, 'postmaster.pid'))) run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    },
  };
}

/** A Redis server in `dir` keeping its data in an append-only file (as production does), on a free port. */
export async function startPrivateRedis(dir: string): Promise<PrivateServer & { redisCli(...args: string[]): string }> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  let child: ChildProcess | undefined;
  const redisCli = (...args: string[]) => execFileSync('redis-cli', ['-p', String(port), ...args]).toString().trim();
  const ping = async () => { try { return redisCli('ping') === 'PONG'; } catch { return false; } };
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''], { stdio: 'ignore' });
    await until(ping, 'redis-server');
  };
  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    port, url: `redis://127.0.0.1:${port}`, redisCli,
    async restart() {
      await stop();
      await start();
    },
    stop,
  };
}
