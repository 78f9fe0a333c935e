import path from 'node:path';
import type { Env } from '../config/env.js';
import { createLogger } from '../logger.js';
import { Database } from './database.js';
import { openDataSource } from './data-source.js';
import { startEmbeddedPostgres } from './embedded.js';

/**
 * For the command-line tools: the database of `DATABASE_URL`, or the embedded one under the
 * data dir (refused while a running lianxin holds it), schema brought up to date, closed after.
 */
export async function withDatabase<T>(env: Env, work: (db: Database) => Promise<T>): Promise<T> {
  const logger = createLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL);
  const embedded = env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: path.join(env.LIANXIN_DATA_DIR, 'pg'), logger });
  try {
    const dataSource = await openDataSource({ url: env.DATABASE_URL ?? embedded!.url, poolSize: embedded ? 1 : 4 });
    try {
      return await work(new Database(dataSource));
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await embedded?.stop();
  }
}
