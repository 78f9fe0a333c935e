/**
 * Migrations run backwards and forwards without losing what matters: a township going back to
 * an older version (npm run cli -- migrate --revert) and forward again.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { Database } from '../../src/db/database.js';
import type { DataSource } from 'typeorm';
import { openDataSource } from '../../src/db/data-source.js';
import { StatsRepository } from '../../src/db/repositories/stats.repository.js';
import { createTestDatabase } from '../support/database.js';
import { sampleConfigDir } from '../support/paths.js';

/** Undoes migrations, latest first, until `name` is undone too. */
async function undoThrough(dataSource: DataSource, name: string): Promise<void> {
  for (;;) {
    const [latest] = await dataSource.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`);
    await dataSource.undoLastMigration({ transaction: 'each' });
    if (latest.name === name) return;
  }
}

describe('going back a version and forward again', () => {
  it('keeps the statistics whole through a revert of the time-limit counts and their re-run', async () => {
    const database = await createTestDatabase();
    const dataSource = await openDataSource({ url: database.url, poolSize: 1 });
    try {
      const [resident] = await dataSource.query(
        `INSERT INTO residents (wechat_id, name, village_id, created_at, updated_at) VALUES ('wx-1', '王大妈', 'dongshan', now(), now()) RETURNING id`,
      );
      const addCase = async (responseDue: string) => {
        const [kase] = await dataSource.query(
          `INSERT INTO cases (resident_id, village_id, department_id, status, priority, description, created_at, dispatched_at,
             first_response_due_at, resolve_due_at, updated_at)
           VALUES ($1, 'dongshan', 'nongjizhan', 'assigned', 'normal', '秧苗发黄', now(), now(), $2, now() + interval '3 days', now())
           RETURNING id`,
          [resident.id, responseDue],
        );
        return kase.id as number;
      };
      const rollup = async () =>
        (await dataSource.query(`SELECT sum(dispatched)::int AS dispatched, sum(responses_due)::int AS due FROM case_stats_hourly`))[0];
      const late = await addCase('2026-01-01T00:00:00Z');
      // The sweep found the response limit passed: the case counts as due, and late.
      await dataSource.query(`INSERT INTO sla_alerts (case_id, sla_limit, stage, due_at, at) VALUES ($1, 'first-response', 'overdue', '2026-01-01', now())`, [late]);
      expect(await rollup()).toEqual({ dispatched: 1, due: 1 });

      await undoThrough(dataSource, 'LimitsDue1764210000000');
      expect(await dataSource.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'cases' AND column_name = 'response_missed'`)).toEqual([]);
      // The older counts still roll up.
      await addCase('2030-01-01T00:00:00Z');
      expect(await dataSource.query(`SELECT sum(dispatched)::int AS dispatched FROM case_stats_hourly`)).toEqual([{ dispatched: 2 }]);

      await dataSource.runMigrations({ transaction: 'each' });
      // Rebuilt from the alerts: the late case is due again, the new one (within its limit) is not.
      expect(await dataSource.query(`SELECT id, response_missed FROM cases ORDER BY id`)).toEqual([
        { id: late, response_missed: true },
        { id: late + 1, response_missed: false },
      ]);
      expect(await rollup()).toEqual({ dispatched: 2, due: 1 });

      // A limit that moves (转派 with fresh limits, 延期) is judged when it comes; moved back, the miss stands again.
      await dataSource.query(`UPDATE cases SET first_response_due_at = '2030-01-01' WHERE id = $1`, [late]);
      expect(await dataSource.query(`SELECT response_missed FROM cases WHERE id = $1`, [late])).toEqual([{ response_missed: false }]);
      expect(await rollup()).toEqual({ dispatched: 2, due: 0 });
      await dataSource.query(`UPDATE cases SET first_response_due_at = '2026-01-01T00:00:00Z' WHERE id = $1`, [late]);
      expect(await rollup()).toEqual({ dispatched: 2, due: 1 });
    } finally {
      await dataSource.destroy();
      await database.drop();
    }
  });

  it('sends what waited for the morning when migration 1764230000000 is reverted, and holds again after its re-run', async () => {
    const database = await createTestDatabase();
    const dataSource = await openDataSource({ url: database.url, poolSize: 1 });
    try {
      const db = new Database(dataSource);
      await db.cadres.sync(loadConfig(sampleConfigDir).cadres, new Date());
      const morning = new Date('2026-11-27T07:00:00+08:00');
      await db.outbox.addAll([{ to: { cadreId: 'c-peng-xuewen' }, text: '夜里的新案件', notBefore: morning }], new Date());
      const status = () => dataSource.query(`SELECT status FROM outbound_messages`);
      expect(await status()).toEqual([{ status: 'held' }]);

      await undoThrough(dataSource, 'QuietHours1764230000000');
      expect(await status()).toEqual([{ status: 'pending' }]); // the older version sends it
      await dataSource.runMigrations({ transaction: 'each' });
      await db.outbox.addAll([{ to: { cadreId: 'c-peng-xuewen' }, text: '又一件', notBefore: morning }], new Date());
      expect((await db.outbox.releaseDue(morning, morning)).released).toBe(1);
      expect(await status()).toEqual([{ status: 'pending' }, { status: 'pending' }]);
    } finally {
      await dataSource.destroy();
      await database.drop();
    }
  });

  it('keeps a resident without WeChat and their relaying cadre through a revert of migration 1764200000000 and its re-run', async () => {
    const database = await createTestDatabase();
    const dataSource = await openDataSource({ url: database.url, poolSize: 1 });
    try {
      await new Database(dataSource).cadres.sync(loadConfig(sampleConfigDir).cadres, new Date());
      const [resident] = await dataSource.query(
        `INSERT INTO residents (name, village_id, relay_cadre_id, created_at, updated_at) VALUES ('张大爷', 'dongshan', 'c-peng-xuewen', now(), now()) RETURNING id`,
      );
      const row = () => dataSource.query(`SELECT wechat_id, relay_cadre_id FROM residents WHERE id = $1`, [resident.id]);

      await undoThrough(dataSource, 'RelayedResidents1764200000000');
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

  it('counts each callback answer for the 办结 it answered, from the history (migration 1764280000000) and as it comes (its trigger)', async () => {
    const database = await createTestDatabase();
    const dataSource = await openDataSource({ url: database.url, poolSize: 1 });
    try {
      const [resident] = await dataSource.query(
        `INSERT INTO residents (wechat_id, name, village_id, created_at, updated_at) VALUES ('wx-1', '王大妈', 'dongshan', now(), now()) RETURNING id`,
      );
      type Step = [actorType: string, actorId: string | null, type: string, data?: object];
      const resolved = (cadre: string): Step => ['cadre', cadre, 'resolved', { note: '已处理' }];
      const rated = (rating: string, comment = ''): Step => ['resident', String(resident.id), 'rated', { rating, comment }];
      const reopened: Step = ['resident', String(resident.id), 'reopened', { comment: '', reopenCount: 1 }];
      const unanswered: Step = ['system', null, 'closed', { reason: 'no-callback', rating: 'unsatisfied' }];
      // What each cadre's 办结 got: 林 → 不满意, then 吴 → 满意; 林 twice, the second unanswered; 林, then 吴 unanswered; 林's taken back.
      // Each with the case's own answer at the end, as the callback leaves it.
      const histories: Record<string, [string, Step[]]> = {
        handedOn: ['satisfied', [resolved('lin'), rated('unsatisfied', '还是不行'), reopened, resolved('wu'), rated('satisfied')]],
        silentAfter: ['unsatisfied', [resolved('lin'), rated('unsatisfied', '没人来'), reopened, resolved('lin'), unanswered]],
        silentWithOther: ['unsatisfied', [resolved('lin'), rated('unsatisfied'), reopened, resolved('wu'), unanswered]],
        undone: ['basically-satisfied', [resolved('lin'), ['cadre', 'lin', 'resolve-undone'], resolved('wu'), rated('basically-satisfied')]],
      };
      const expected = [
        ['handedOn', 'lin', 'unsatisfied', '还是不行'],
        ['handedOn', 'wu', 'satisfied', null],
        ['silentAfter', 'lin', 'unsatisfied', '没人来'],
        ['silentWithOther', 'lin', 'unsatisfied', null],
        ['silentWithOther', 'wu', 'no-answer', null],
        ['undone', 'wu', 'basically-satisfied', null],
      ];
      /** Cases with these histories; their ids by name. */
      const addCases = async () => {
        const ids = new Map<number, string>();
        for (const [name, [rating, steps]] of Object.entries(histories)) {
          const [kase] = await dataSource.query(
            `INSERT INTO cases (resident_id, village_id, department_id, status, priority, description, created_at, dispatched_at,
               resolved_at, closed_at, rating, reopen_count, updated_at)
             VALUES ($1, 'dongshan', 'nongjizhan', 'closed', 'normal', '秧苗发黄', now(), now(), now(), now(), $2, $3, now()) RETURNING id`,
            [resident.id, rating, steps.includes(reopened) ? 1 : 0],
          );
          for (const [actorType, actorId, type, data] of steps) {
            await dataSource.query(`INSERT INTO case_events (case_id, at, actor_type, actor_id, type, data) VALUES ($1, now(), $2, $3, $4, $5)`, [
              kase.id, actorType, actorId, type, data ?? {},
            ]);
          }
          ids.set(kase.id, name);
        }
        return ids;
      };
      const ratingsOf = async (ids: Map<number, string>) =>
        ((await dataSource.query(`SELECT case_id, cadre_id, rating, comment FROM cadre_ratings WHERE case_id = ANY ($1)`, [[...ids.keys()]])) as {
          case_id: number; cadre_id: string; rating: string; comment: string | null;
        }[])
          .map((r) => [ids.get(r.case_id), r.cadre_id, r.rating, r.comment])
          .sort((a, b) => String(a).localeCompare(String(b)));

      await undoThrough(dataSource, 'CadreRatings1764280000000');
      expect(await dataSource.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'cadre_ratings'`)).toEqual([]);
      const before = await addCases();
      await dataSource.runMigrations({ transaction: 'each' });
      expect(await ratingsOf(before)).toEqual(expected);
      // By cadre, the month counts them so: 林 was answered 不满意 three times, on cases closed by 吴 too.
      const day = 86_400_000;
      const byCadre = await new StatsRepository(dataSource.manager).caseFigures('cadre', { months: [new Date(Date.now() - day), new Date(Date.now() + day)] });
      const of = (key: string) => byCadre.find((f) => f.key === key);
      expect(of('lin')).toMatchObject({ dispatched: 1, answered: 3, unsatisfied: 3, satisfied: 0 });
      expect(of('wu')).toMatchObject({ dispatched: 3, answered: 2, satisfied: 1, basicallySatisfied: 1, unsatisfied: 0, noAnswer: 1 });
      // The same histories as they happen.
      expect(await ratingsOf(await addCases())).toEqual(expected);
    } finally {
      await dataSource.destroy();
      await database.drop();
    }
  });

  it('gives a case closed unanswered after a 不满意 its 不满意 back (migration 1764270000000), the rollup with it', async () => {
    const database = await createTestDatabase();
    const dataSource = await openDataSource({ url: database.url, poolSize: 1 });
    try {
      const [resident] = await dataSource.query(
        `INSERT INTO residents (wechat_id, name, village_id, created_at, updated_at) VALUES ('wx-1', '王大妈', 'dongshan', now(), now()) RETURNING id`,
      );
      // Closed by the sweep as the older version did: one case reopened after a 不满意, one never answered.
      for (const reopenCount of [1, 0]) {
        await dataSource.query(
          `INSERT INTO cases (resident_id, village_id, department_id, status, priority, description, created_at, dispatched_at,
             resolved_at, closed_at, rating, reopen_count, updated_at)
           VALUES ($1, 'dongshan', 'nongjizhan', 'closed', 'normal', '秧苗发黄', now(), now(), now(), now(), 'no-answer', $2, now())`,
          [resident.id, reopenCount],
        );
      }
      await undoThrough(dataSource, 'UnsatisfiedKept1764270000000');
      const ratings = () => dataSource.query(`SELECT reopen_count, rating FROM cases ORDER BY reopen_count DESC`);
      const rollup = async () =>
        (await dataSource.query(`SELECT sum(unsatisfied)::int AS unsatisfied, sum(no_answer)::int AS no_answer FROM case_stats_hourly`))[0];
      expect(await rollup()).toEqual({ unsatisfied: 0, no_answer: 2 });

      await dataSource.runMigrations({ transaction: 'each' });
      expect(await ratings()).toEqual([{ reopen_count: 1, rating: 'unsatisfied' }, { reopen_count: 0, rating: 'no-answer' }]);
      expect(await rollup()).toEqual({ unsatisfied: 1, no_answer: 1 });
      await undoThrough(dataSource, 'UnsatisfiedKept1764270000000');
      expect(await ratings()).toEqual([{ reopen_count: 1, rating: 'no-answer' }, { reopen_count: 0, rating: 'no-answer' }]);
    } finally {
      await dataSource.destroy();
      await database.drop();
    }
  });
});
