/**
 * Outages a test can cause without touching the machine's own services: a private redis-server
 * that can be killed and restarted on its data directory, and one test database closed to
 * every connection for a while.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { findOnPath, pingRedis } from '../../../src/queue/redis-server.js';
import { adminUrl } from '../../support/database.js';
import { freePort } from '../../support/net.js';

export interface PrivateRedis {
  url: string;
  /** Kills the server (SIGKILL: a crash, nothing flushed beyond what the append-only file has). */
  kill(): Promise<void>;
  /** Starts it again on the same port and data directory (it replays the append-only file). */
  restart(): Promise<void>;
  remove(): Promise<void>;
}

/**
 * A redis-server like the one lianxin starts for itself (src/queue/redis-server.ts): append-only
 * file on (fsync every second), noeviction, no RDB snapshots. `appendOnly: false`: no persistence
 * at all, so a restart comes back empty.
 */
export async function startPrivateRedis(options: { appendOnly?: boolean } = {}): Promise<PrivateRedis> {
  const executable = findOnPath('redis-server', process.env.PATH ?? '');
  if (!executable) throw new Error('redis-server is not on PATH: the Redis restart test needs it (Debian: apt-get install redis-server)');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lianxin-fault-redis-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    // prettier-ignore
    child = spawn(executable, [
      '--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--logfile', path.join(dir, 'redis.log'),
      '--appendonly', options.appendOnly === false ? 'no' : 'yes', '--maxmemory-policy', 'noeviction', '--save', '', '--daemonize', 'no',
    ], { stdio: 'ignore' });
    exited = new Promise((resolve) => {
      child!.once('exit', () => resolve());
      child!.once('error', () => resolve());
    });
    const deadline = Date.now() + 10_000;
    while (await pingRedis(url, 300)) {
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on ${url}`);
      await sleep(50);
    }
  };
  const kill = async () => {
    child?.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url,
    kill,
    restart: start,
    async remove() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function admin<T = unknown>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * Postgres "goes away" for one database: new connections are refused and every open one is
 * terminated, until `restore()`. The rest of the server (other tests) is untouched.
 */
export async function closeDatabase(databaseUrl: string): Promise<{ restore(): Promise<void> }> {
  const name = new URL(databaseUrl).pathname.slice(1);
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unexpected database name ${name}`);
  await admin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
  await cutConnections(databaseUrl);
  return { restore: async () => void (await admin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`)) };
}

/**
 * Postgres restarts, as far as one database sees it: every open connection is ended (what a
 * restart or a failover does to its clients), and new ones are taken at once. Returns how many.
 */
export async function cutConnections(databaseUrl: string): Promise<number> {
  const rows = await admin<{ cut: boolean }>(
    `SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [new URL(databaseUrl).pathname.slice(1)],
  );
  return rows.filter((r) => r.cut).length;
}
