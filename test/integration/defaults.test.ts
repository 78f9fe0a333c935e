import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/db/embedded.js';
import { createLogger } from '../../src/logger.js';
import { pingRedis, resolveRedis } from '../../src/queue/redis-server.js';
import { freePort } from '../support/net.js';

const logger = createLogger('silent');

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'lianxin-defaults-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('embedded Postgres (PGlite on a socket)', () => {
  async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  it('keeps data across stop and start on the same dir, and rolls back', async () => {
    const dataDir = join(tmp, 'pg');

    const first = await startEmbeddedPostgres({ dataDir, logger });
    expect(first.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    await withClient(first.url, async (c) => {
      await c.query('CREATE TABLE note (id int PRIMARY KEY, body text NOT NULL)');
      await c.query("INSERT INTO note VALUES (1, '你好')");
    });
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir, logger });
    try {
      await withClient(second.url, async (c) => {
        expect((await c.query('SELECT id, body FROM note ORDER BY id')).rows).toEqual([{ id: 1, body: '你好' }]);

        await c.query('BEGIN');
        await c.query("INSERT INTO note VALUES (2, 'gone')");
        expect((await c.query('SELECT count(*)::int AS n FROM note')).rows[0].n).toBe(2);
        await c.query('ROLLBACK');
        expect((await c.query('SELECT count(*)::int AS n FROM note')).rows[0].n).toBe(1);
      });
    } finally {
      await second.stop();
    }
  }, 90_000);
});

describe('resolveRedis', () => {
  it('starts a private Redis when nothing answers, and stops it', async () => {
    const dataDir = join(tmp, 'redis');
    const endpoint = await resolveRedis({
      url: undefined,
      defaultUrl: `redis://127.0.0.1:${await freePort()}`,
      privatePort: await freePort(),
      dataDir,
      logger,
    });
    let stopped = false;
    try {
      const client = new Redis(endpoint.url, { maxRetriesPerRequest: 1 });
      try {
        await client.set('lianxin:test', '连心');
        expect(await client.get('lianxin:test')).toBe('连心');
        expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      } finally {
        client.disconnect();
      }

      // A second resolve reuses the running private server and does not own it.
      const port = Number(new URL(endpoint.url).port);
      const again = await resolveRedis({ defaultUrl: `redis://127.0.0.1:${await freePort()}`, privatePort: port, dataDir, logger });
      expect(again.url).toBe(endpoint.url);
      await again.stop();
      expect(await pingRedis(endpoint.url)).toBeUndefined();

      await endpoint.stop();
      stopped = true;
      expect(await pingRedis(endpoint.url)).toMatch(/\S/);

      // Redis 7 keeps its append-only files in appendonlydir/; the SET was flushed on shutdown.
      const aofDir = join(dataDir, 'appendonlydir');
      const files = await readdir(aofDir);
      const incr = files.find((f) => f.endsWith('.incr.aof'));
      expect(incr).toBeDefined();
      expect(await readFile(join(aofDir, incr!), 'utf8')).toContain('lianxin:test');
    } finally {
      if (!stopped) await endpoint.stop();
    }
  }, 30_000);

  it('says what to install when nothing answers and redis-server is not on PATH', async () => {
    const defaultUrl = `redis://127.0.0.1:${await freePort()}`;
    const attempt = resolveRedis({
      defaultUrl,
      privatePort: await freePort(),
      dataDir: join(tmp, 'redis-absent'),
      logger,
      pathEnv: join(tmp, 'empty-bin'),
    });
    const error = await attempt.then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).not.toContain('\n');
    expect(error!.message).toContain('apt-get install redis-server');
    expect(error!.message).toContain(defaultUrl);
  });

  it('names a given URL that does not answer', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    await expect(resolveRedis({ url, dataDir: join(tmp, 'unused'), logger })).rejects.toThrow(
      new RegExp(`^Redis is not reachable at ${url.replace(/\./g, '\\.')}: [^\\n]+$`),
    );
  });

  it('uses a given URL that answers, and does not stop it', async () => {
    const dataDir = join(tmp, 'redis-given');
    const owned = await resolveRedis({ defaultUrl: `redis://127.0.0.1:${await freePort()}`, privatePort: await freePort(), dataDir, logger });
    try {
      const given = await resolveRedis({ url: owned.url, dataDir, logger });
      expect(given.url).toBe(owned.url);
      await given.stop();
      expect(await pingRedis(owned.url)).toBeUndefined();
    } finally {
      await owned.stop();
    }
  }, 30_000);
});
