/**
 * The repositories' statements run prepared (src/db/sql.ts): parsed and planned once per
 * connection, with results and errors as TypeORM gives them for any query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepared } from '../../src/db/sql.js';
import { startHarness, type Harness } from '../support/harness.js';

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
