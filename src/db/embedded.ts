import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { Logger } from '../logger.js';

/** A running embedded Postgres. */
export interface EmbeddedPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  /** Stops the socket server, then closes PGlite so the data dir is left consistent. Idempotent. */
  stop(): Promise<void>;
}

/**
 * PGlite served on a local socket so the normal `pg` driver and TypeORM can use it.
 *
 * The data lives in `dataDir` (created if missing) and survives restarts. The server listens on
 * 127.0.0.1 with an OS-assigned port, given back in `url`.
 *
 * PGlite is a single backend and the socket server accepts ONE connection at a time: every
 * client must use a pool of size 1 (`pg.Pool({ max: 1 })`, TypeORM `extra: { max: 1 }`).
 * A second concurrent connection is refused with "Too many connections". If a client disconnects
 * mid-transaction, the server rolls that transaction back. End pools and clients before `stop()`:
 * stop() drops open connections, and an idle `pg.Pool` without an 'error' listener then crashes the
 * process. Never open the same `dataDir` from two processes (or two calls) at once.
 */
export async function startEmbeddedPostgres(options: { dataDir: string; logger: Logger }): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  const log = options.logger.child({ component: 'embedded-postgres' });
  const started = Date.now();
  await mkdir(dataDir, { recursive: true });
  const lockFile = await lock(dataDir);

  const db = await PGlite.create({ dataDir });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
  try {
    await server.start();
  } catch (err) {
    await db.close();
    await rm(lockFile, { force: true });
    throw err;
  }
  // After start(), the server has replaced port 0 with the bound port: getServerConn() is "host:port".
  const port = Number(server.getServerConn().split(':').pop());
  if (!Number.isInteger(port) || port <= 0) {
    await server.stop();
    await db.close();
    throw new Error(`embedded Postgres: could not read the bound port from "${server.getServerConn()}"`);
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  log.info({ dataDir, port, ms: Date.now() - started }, 'embedded Postgres (PGlite) listening');

  let stopping: Promise<void> | undefined;
  return {
    url,
    stop() {
      stopping ??= (async () => {
        await server.stop();
        if (!db.closed) await db.close();
        await rm(lockFile, { force: true });
        log.info({ dataDir }, 'embedded Postgres stopped');
      })();
      return stopping;
    },
  };
}

/**
 * Two processes must never open one PGlite data dir. The lock file names the holder's pid; a
 * lock whose process is gone is taken over.
 */
async function lock(dataDir: string): Promise<string> {
  const file = join(dataDir, 'lianxin.lock');
  const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
  if (holder && holder !== process.pid && isAlive(holder)) {
    throw new Error(
      `The embedded database in ${dataDir} is in use by another lianxin process (pid ${holder}): stop it first, or set DATABASE_URL to a Postgres server`,
    );
  }
  await writeFile(file, String(process.pid));
  return file;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
