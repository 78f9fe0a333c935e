import path from 'node:path';
import type { Env } from '../config/env.js';
import { createLogger } from '../logger.js';
import { Database } from './database.js';
import { createDataSource, openDataSource } from './data-source.js';
import { startEmbeddedPostgres } from './embedded.js';

/** Where the embedded database lives when `DATABASE_URL` is not set. */
export function embeddedDataDir(env: Env): string {
  return path.join(env.LIANXIN_DATA_DIR, 'pg');
}

/**
 * For the command-line tools: the database of `DATABASE_URL`, or the embedded one under the
 * data dir (refused while a running lianxin holds it), schema brought up to date (unless
 * `migrate` is false: for undoing a migration), closed after.
 */
export async function withDatabase<T>(env: Env, work: (db: Database) => Promise<T>, { migrate = true } = {}): Promise<T> {
  const logger = createLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL);
  const embedded = env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: embeddedDataDir(env), logger });
  try {
    const options = { url: env.DATABASE_URL ?? embedded!.url, poolSize: embedded ? 1 : 4 };
    const dataSource = migrate ? await openDataSource(options) : await createDataSource(options).initialize();
    try {
      return await work(new Database(dataSource));
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await embedded?.stop();
  }
}
