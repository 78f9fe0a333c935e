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

  it('plans a routed message’s claim and routing, and the open-case counts, as index probes, whatever the table holds (generic plans, no statistics)', async () => {
    const { db } = h.app;
    const now = new Date('2026-11-26T04:00:00Z');
    // 300 messages in flight to one cadre, and 400 cases of another, 40 of them open.
    await db.outbox.addAll(
      Array.from({ length: 300 }, (_, i) => ({ to: { cadreId: 'c-tan-xiaoyan' }, text: `在途 ${i}` })),
      now,
    );
    const [resident] = await db.dataSource.query(
      `INSERT INTO residents (wechat_id, name, village_id, created_at, updated_at) VALUES ('wxid_plan_probe', '计划', 'dongshan', $1, $1) RETURNING id`,
      [now],
    );
    await db.dataSource.query(
      `INSERT INTO cases (resident_id, village_id, department_id, status, priority, assignee_id, description, created_at, assigned_at, dispatched_at, updated_at)
       SELECT $1, 'dongshan', 'dangzhengban', CASE WHEN g % 10 = 0 THEN 'assigned' ELSE 'closed' END, 'normal', 'c-zhou-lihua', '测试', $2, $2, $2, $2
       FROM generate_series(1, 400) g`,
      [resident.id, now],
    );
    const id = await db.outbox.add({ to: { cadreId: 'c-peng-deming' }, text: '轮到我' }, now);

    /** Rows of `table` this transaction read so far, by scans and index fetches. */
    const rowsRead = async (tx: { manager: { query(sql: string, p: unknown[]): Promise<{ n: string }[]> } }, table: string) => {
      const [row] = await tx.manager.query(
        `SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) AS n FROM pg_stat_xact_user_tables WHERE relname = $1`,
        [table],
      );
      return Number(row!.n);
    };
    await db.transaction(async (tx) => {
      // What a pooled connection does after a few runs of a statement: one plan for any parameters.
      await tx.manager.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
      expect(await tx.outbox.claim(id, now)).toMatchObject({ message: { text: '轮到我' } });
      expect(await rowsRead(tx, 'outbound_messages')).toBeLessThan(10);

      const { openCases } = await tx.cadres.routingState(['c-zhou-lihua', 'c-tan-xiaoyan'], '2026-11-26');
      expect(openCases.get('c-zhou-lihua')).toBe(40);
      expect(await rowsRead(tx, 'cases')).toBeLessThanOrEqual(40);
      // A head's 统计 counts open cases only, too.
      expect(await tx.cases.openCounts(now, null)).toEqual([{ departmentId: 'dangzhengban', assigneeId: 'c-zhou-lihua', open: 40, waiting: 40, overdue: 0 }]);
      expect(await rowsRead(tx, 'cases')).toBeLessThanOrEqual(80);
    });
  });
});
