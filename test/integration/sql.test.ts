/**
 * The repositories' statements run prepared (src/db/sql.ts): parsed and planned once per
 * connection, with results and errors as TypeORM gives them for any query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { Database } from '../../src/db/database.js';
import { openDataSource } from '../../src/db/data-source.js';
import { prepared } from '../../src/db/sql.js';
import { createTestDatabase } from '../support/database.js';
import { startHarness, type Harness } from '../support/harness.js';
import { sampleConfigDir } from '../support/paths.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ roles: ['worker'] });
});
afterAll(async () => {
  await h?.stop();
});

describe('prepared statements', () => {
  it('prepares an outbox statement once per connection, reuses it, and reports a failing one as TypeORM does', async () => {
    const { db } = h.app;
    const now = new Date('2026-11-26T03:00:00Z');
    const id = await db.outbox.add({ to: { cadreId: 'c-zhou-lihua' }, text: '预备语句' }, now);
    await db.transaction(async (tx) => {
      await tx.outbox.markFailed(id, 'first', true);
      await tx.outbox.markFailed(id, 'second', true);
      // pg_prepared_statements lists this session's named statements: the UPDATE is there once.
      const statements: { statement: string }[] = await tx.manager.query(
        `SELECT statement FROM pg_prepared_statements WHERE statement LIKE 'UPDATE outbound_messages SET status = $2, last_error%'`,
      );
      expect(statements).toHaveLength(1);
    });
    const [row] = await db.dataSource.query(`SELECT last_error FROM outbound_messages WHERE id = $1`, [id]);
    expect(row.last_error).toBe('second');
    await expect(db.outbox.add({ to: { residentId: 987_654_321 }, text: '没有这位' }, now)).rejects.toMatchObject({
      name: 'QueryFailedError',
      code: '23503', // foreign key: no such resident
    });
  });

  it('fails once when another process changed a table it reads with *, then works on the new table', async () => {
    const { dataSource } = h.app.db;
    const runner = dataSource.createQueryRunner();
    try {
      const em = runner.manager; // one connection throughout: the one holding the statement
      await em.query(`CREATE TABLE prepared_probe (a integer)`);
      await em.query(`INSERT INTO prepared_probe VALUES (1)`);
      const read = () => prepared(em, `SELECT * FROM prepared_probe WHERE a = $1`, [1]);
      expect(await read()).toEqual([{ a: 1 }]);

      await dataSource.query(`ALTER TABLE prepared_probe ADD COLUMN b integer DEFAULT 2`);
      await expect(read()).rejects.toMatchObject({ code: '0A000' }); // cached plan must not change result type
      expect(await read()).toEqual([{ a: 1, b: 2 }]);
    } finally {
      await runner.query(`DROP TABLE IF EXISTS prepared_probe`);
      await runner.release();
    }
  });
});

describe('going back a version and forward again', () => {
  it('keeps a resident without WeChat and their relaying cadre through a revert of the latest migration and its re-run', async () => {
    const database = await createTestDatabase();
    const dataSource = await openDataSource({ url: database.url, poolSize: 1 });
    try {
      await new Database(dataSource).cadres.sync(loadConfig(sampleConfigDir).cadres, new Date());
      const [resident] = await dataSource.query(
        `INSERT INTO residents (name, village_id, relay_cadre_id, created_at, updated_at) VALUES ('张大爷', 'dongshan', 'c-peng-xuewen', now(), now()) RETURNING id`,
      );
      const row = () => dataSource.query(`SELECT wechat_id, relay_cadre_id FROM residents WHERE id = $1`, [resident.id]);

      await dataSource.undoLastMigration({ transaction: 'each' });
      // The older version sees a resident it cannot reach, under an id that names the cadre.
      expect(await dataSource.query(`SELECT wechat_id FROM residents WHERE id = $1`, [resident.id])).toEqual([
        { wechat_id: `relayed:${resident.id}:c-peng-xuewen` },
      ]);
      await dataSource.runMigrations({ transaction: 'each' });
      expect(await row()).toEqual([{ wechat_id: null, relay_cadre_id: 'c-peng-xuewen' }]);
    } finally {
      await dataSource.destroy();
      await database.drop();
    }
  });
});
