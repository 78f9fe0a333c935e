/**
 * A message lianxin's own code fails on again and again (here: Postgres refuses the case a
 * trigger stands in for a fault of ours) is recorded as it came and handed to the office after a
 * few tries, never retried until its job fails for good; a message that waited out a Postgres
 * outage is handled as usual.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UnrecoverableError, Worker } from 'bullmq';
import pg from 'pg';
import { passes } from '../../src/db/failures.js';
import { jobIds } from '../../src/queue/jobs.js';
import { createRedis, jobOptions } from '../../src/queue/queues.js';
import { triesBeforeHandingOver } from '../../src/services/worker.js';
import { closeDatabase } from '../faults/support/outages.js';
import { adminUrl } from '../support/database.js';
import { redisUrl, startHarness, type Harness } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

/** Postgres refuses new cases for which `condition` (SQL on NEW) holds. */
async function refuseCases(harness: Harness, condition: string): Promise<void> {
  await harness.query(`CREATE FUNCTION refuse_case() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'case refused'; END $$`);
  await harness.query(`CREATE TRIGGER refuse_case BEFORE INSERT ON cases FOR EACH ROW WHEN (${condition}) EXECUTE FUNCTION refuse_case()`);
}

/** Waits for the inbound job of `messageId` to complete, skipping the backoff between its tries; returns its tries. */
async function handled(harness: Harness, messageId: string): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const job = await harness.app.queues.inbound.getJob(jobIds.inbound(messageId));
    const state = await job?.getState();
    if (state === 'completed') return job!.attemptsStarted;
    if (state === 'failed') throw new Error(`job failed for good: ${job!.failedReason}`);
    if (state === 'delayed') await job!.promote();
    if (Date.now() > deadline) throw new Error(`job still ${state}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a message lianxin fails on again and again', () => {
  it('is recorded as it came and handed to the office as a case after a few tries', async () => {
    h = await startHarness();
    const office = [await h.cadre('c-zhou-lihua'), await h.cadre('c-tan-xiaoyan')];
    const peng = await h.cadre('c-peng-deming');
    const li = await h.registered('李大爷');
    await refuseCases(h, `NEW.department_id <> 'dangzhengban'`);

    const id = li.say('稻瘟病，秧苗都黄了，怎么办');
    expect(await handled(h, id)).toBe(triesBeforeHandingOver);
    await h.settle();

    const [row] = await h.query<{ outcome: string; number: number; department_id: string; description: string }>(
      `SELECT m.outcome, c.number, c.department_id, c.description FROM inbound_messages m JOIN cases c ON c.id = m.case_id`,
    );
    expect(row).toEqual({ outcome: 'unhandled', number: expect.any(Number), department_id: 'dangzhengban', description: '稻瘟病，秧苗都黄了，怎么办' });
    expect(li.received).toHaveLength(1);
    expect(li.received[0]).toContain(`已受理，编号 #${row!.number}`);
    const notices = office.flatMap((c) => c.received).filter((m) => m.includes(`【新案件 #${row!.number}】`) && m.includes('稻瘟病'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('（系统没能自动处理这条消息，请办公室看后分派）');
    expect(peng.received).toEqual([]);
  });

  // Whatever fails on her words fails on each of them: one case for the office to read, not one
  // a message — a resident who writes on (or a flood) would bury the office in cases.
  it('adds her next failing messages to the office case the first one opened', async () => {
    h = await startHarness();
    const office = [await h.cadre('c-zhou-lihua'), await h.cadre('c-tan-xiaoyan')];
    const li = await h.registered('李大爷');
    await h.query(`CREATE FUNCTION refuse_message() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'message refused'; END $$`);
    await h.query(`CREATE TRIGGER refuse_message BEFORE UPDATE ON inbound_messages FOR EACH ROW
      WHEN (OLD.handled_at IS NULL AND NEW.handled_at IS NOT NULL AND NEW.outcome <> 'unhandled' AND NEW.text LIKE '%秧苗%') EXECUTE FUNCTION refuse_message()`);

    for (const words of ['稻瘟病，秧苗都黄了', '秧苗叶子上有斑点', '秧苗还能救吗']) {
      const id = li.say(words);
      expect(await handled(h, id)).toBe(triesBeforeHandingOver);
    }
    await h.settle();

    const cases = await h.query<{ number: number; department_id: string }>(`SELECT number, department_id FROM cases`);
    expect(cases).toEqual([{ number: expect.any(Number), department_id: 'dangzhengban' }]);
    const number = cases[0]!.number;
    expect(await h.query(`SELECT outcome, c.number FROM inbound_messages m JOIN cases c ON c.id = m.case_id ORDER BY m.id`)).toEqual([
      { outcome: 'unhandled', number },
      { outcome: 'unhandled', number },
      { outcome: 'unhandled', number },
    ]);
    expect(li.received).toEqual([expect.stringContaining(`已受理，编号 #${number}`), expect.stringContaining(`已转给负责 #${number} 的`), expect.stringContaining(`已转给负责 #${number} 的`)]);
    const read = office.flatMap((c) => c.received).filter((m) => m.includes(`#${number}`));
    expect(read).toEqual([expect.stringContaining(`【新案件 #${number}】`), expect.stringContaining('秧苗叶子上有斑点'), expect.stringContaining('秧苗还能救吗')]);
  });

  // A message whose job failed for good has no row: the flood limit never counted it, nor the
  // rest of a flood that failed with it (a message that crashes the worker, sent 35 times).
  it('holds a flood of messages whose jobs failed for good to the flood limit: one notice, the rest recorded only', async () => {
    h = await startHarness({ roles: ['bot'] });
    const li = await h.registered('李大爷');
    const ids = Array.from({ length: 35 }, (_, i) => li.say(`秧苗黄了，第 ${i + 1} 条`));
    await vi.waitFor(async () => expect(await h!.app.queues.inbound.count()).toBe(35));
    const connection = createRedis(redisUrl);
    const taker = new Worker('inbound', null, { connection, prefix: h.prefix, autorun: false });
    try {
      for (const _ of ids) await (await taker.getNextJob('taker'))!.moveToFailed(new UnrecoverableError('job stalled more than allowable limit'), 'taker');
    } finally {
      await taker.close();
      connection.disconnect();
    }

    const office = [await h.cadre('c-zhou-lihua'), await h.cadre('c-tan-xiaoyan')];
    await h.startApp({ roles: ['worker'] });
    await h.settle();

    const outcomes = await h.query<{ outcome: string; n: number }>(`SELECT outcome, count(*)::int AS n FROM inbound_messages GROUP BY outcome ORDER BY outcome`);
    expect(outcomes).toEqual([
      { outcome: 'rate-limit-notice', n: 1 },
      { outcome: 'rate-limited', n: 4 },
      { outcome: 'unhandled', n: 30 },
    ]);
    const [kase] = await h.query<{ number: number }>(`SELECT number FROM cases`);
    expect(await h.count(`SELECT count(*) FROM cases`)).toBe(1);
    expect(li.received).toHaveLength(31);
    expect(li.received.filter((m) => m.includes('请稍等'))).toHaveLength(1);
    expect(office.flatMap((c) => c.received).filter((m) => m.includes(`#${kase!.number}`))).toHaveLength(30);
  });

  it('drops the question in front of her and hands the matter it held back to the office with the message', async () => {
    h = await startHarness();
    const li = await h.registered('李大爷');
    li.say('我家那个事情想问一下');
    const [menu] = await li.waitForMessages(1);
    expect(menu).toContain('找哪个部门');
    await refuseCases(h, `NEW.department_id <> 'dangzhengban'`);

    const id = li.say('1');
    expect(await handled(h, id)).toBe(triesBeforeHandingOver);
    await h.settle();

    expect(await h.query(`SELECT c.department_id, c.description FROM cases c`)).toEqual([
      { department_id: 'dangzhengban', description: '我家那个事情想问一下\n1' },
    ]);
    expect(await h.count(`SELECT count(*) FROM inbound_messages WHERE case_id IS NOT NULL`)).toBe(2);
    expect(await h.query(`SELECT dialog FROM residents`)).toEqual([{ dialog: null }]);
  });

  it('tells a cadre whose command keeps failing to say it another way, and records it', async () => {
    h = await startHarness();
    const peng = await h.cadre('c-peng-deming');
    const li = await h.registered('李大爷');
    li.say('稻瘟病，秧苗都黄了');
    await peng.waitForMessages(1);
    await h.settle();
    await h.query(`CREATE FUNCTION refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'event refused'; END $$`);
    await h.query(`CREATE TRIGGER refuse_event BEFORE INSERT ON case_events FOR EACH ROW WHEN (NEW.actor_type = 'cadre') EXECUTE FUNCTION refuse_event()`);

    const id = peng.say('接单 1001');
    expect(await handled(h, id)).toBe(triesBeforeHandingOver);
    await h.settle();

    expect(peng.received.at(-1)).toBe('抱歉，这条消息没能处理，已记下。请换个说法再发，急事请打电话给办公室。');
    expect(await h.query(`SELECT outcome, cadre_id FROM inbound_messages WHERE text = '接单 1001'`)).toEqual([
      { outcome: 'unhandled', cadre_id: 'c-peng-deming' },
    ]);
    expect(await h.query(`SELECT status FROM cases`)).toEqual([{ status: 'assigned' }]);
  });

  it('is recorded and its sender asked to send it again when even the office case fails', async () => {
    h = await startHarness();
    const li = await h.registered('李大爷');
    await refuseCases(h, 'true');

    const id = li.say('稻瘟病，秧苗都黄了');
    expect(await handled(h, id)).toBe(triesBeforeHandingOver);
    await h.settle();

    expect(await h.query(`SELECT outcome, case_id, text FROM inbound_messages`)).toEqual([
      { outcome: 'unhandled', case_id: null, text: '稻瘟病，秧苗都黄了' },
    ]);
    expect(li.received).toEqual(['抱歉，这条消息我们没能处理好，请稍后再发一次；急事请直接打电话到镇办公室。']);
  });

  // A deadlock, a serialization failure or a connection ended by Postgres is no fault of ours:
  // under load it may hit the same message several times, and the next try handles it. A connection
  // lost at the last try, as Postgres comes back from an outage, gets a few more waits.
  const attempts = jobOptions['handle-message'].attempts!;
  it.each([
    ['40P01', triesBeforeHandingOver],
    ['40001', triesBeforeHandingOver],
    ['57P01', triesBeforeHandingOver],
    ['08006', attempts + 2],
  ])('handles as usual a message that failed %s %i times', async (code, failures) => {
    h = await startHarness();
    const peng = await h.cadre('c-peng-deming');
    const li = await h.registered('李大爷');
    await h.query(`CREATE SEQUENCE case_tries`);
    await h.query(`CREATE FUNCTION fail_case() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF nextval('case_tries') <= ${failures} THEN RAISE EXCEPTION 'transient' USING ERRCODE = '${code}'; END IF; RETURN NEW; END $$`);
    await h.query(`CREATE TRIGGER fail_case BEFORE INSERT ON cases FOR EACH ROW EXECUTE FUNCTION fail_case()`);

    const id = li.say('稻瘟病，秧苗都黄了');
    expect(await handled(h, id)).toBe(failures + 1);
    await h.settle();

    const rows = await h.query<{ outcome: string; department_id: string; number: number }>(
      `SELECT m.outcome, c.department_id, c.number FROM inbound_messages m JOIN cases c ON c.id = m.case_id`,
    );
    expect(rows).toEqual([{ outcome: 'case-opened', department_id: 'nongjizhan', number: expect.any(Number) }]);
    expect(peng.received.filter((m) => m.includes(`【新案件 #${rows[0]!.number}】`))).toHaveLength(1);
  });

  // Postgres restarting (or failing over) ends every connection, also one idle in a transaction
  // between two statements: TypeORM then lets the connection go, and the transaction's next
  // statement fails with TypeORM's own words (query runner already released), not Postgres's.
  it('handles as usual a message whose connection Postgres ended between two statements, try after try', async () => {
    h = await startHarness();
    const peng = await h.cadre('c-peng-deming');
    const li = await h.registered('李大爷');
    const cuts = triesBeforeHandingOver + 1;
    let cut = 0;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    const { dataSource } = h.app.db;
    const createQueryRunner = dataSource.createQueryRunner.bind(dataSource);
    dataSource.createQueryRunner = (...args) => {
      const runner = createQueryRunner(...args);
      let opensCase = false;
      const query = runner.query.bind(runner);
      runner.query = ((sql: string | { text: string }, ...rest: unknown[]) => {
        if ((typeof sql === 'string' ? sql : sql.text).includes('INSERT INTO cases')) opensCase = true;
        return (query as (...a: unknown[]) => Promise<unknown>)(sql, ...rest);
      }) as typeof runner.query;
      const commit = runner.commitTransaction.bind(runner);
      runner.commitTransaction = async () => {
        if (opensCase && cut < cuts) {
          cut += 1;
          // Ended from outside while the transaction waits for its COMMIT, as a restart does.
          const { processID } = (runner as unknown as { databaseConnection: { processID: number } }).databaseConnection;
          await admin.query(`SELECT pg_terminate_backend($1)`, [processID]);
          await vi.waitFor(() => expect(runner.isReleased).toBe(true));
        }
        return commit();
      };
      return runner;
    };
    try {
      const id = li.say('稻瘟病，秧苗都黄了');
      expect(await handled(h, id)).toBe(cuts + 1);
      await h.settle();
    } finally {
      await admin.end();
    }

    const rows = await h.query<{ outcome: string; department_id: string; number: number }>(
      `SELECT m.outcome, c.department_id, c.number FROM inbound_messages m JOIN cases c ON c.id = m.case_id`,
    );
    expect(rows).toEqual([{ outcome: 'case-opened', department_id: 'nongjizhan', number: expect.any(Number) }]);
    expect(peng.received.filter((m) => m.includes(`【新案件 #${rows[0]!.number}】`))).toHaveLength(1);
    expect(li.received.filter((m) => m.includes('已受理'))).toHaveLength(1);
  });

  it('is handed to the office after a few waits at its last try when it failed in a way that passes every time', async () => {
    h = await startHarness();
    const li = await h.registered('李大爷');
    await h.query(`CREATE FUNCTION deadlock_case() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'deadlock' USING ERRCODE = '40P01'; END $$`);
    await h.query(`CREATE TRIGGER deadlock_case BEFORE INSERT ON cases FOR EACH ROW WHEN (NEW.department_id <> 'dangzhengban') EXECUTE FUNCTION deadlock_case()`);

    const id = li.say('稻瘟病，秧苗都黄了');
    expect(await handled(h, id)).toBe(jobOptions['handle-message'].attempts! + triesBeforeHandingOver);
    await h.settle();

    expect(await h.query(`SELECT m.outcome, c.department_id FROM inbound_messages m JOIN cases c ON c.id = m.case_id`)).toEqual([
      { outcome: 'unhandled', department_id: 'dangzhengban' },
    ]);
    expect(li.received).toEqual([expect.stringContaining('已受理')]);
  });

  it('handles as usual a message that waited out a Postgres outage longer than all its tries: the last one waits', async () => {
    h = await startHarness();
    const peng = await h.cadre('c-peng-deming');
    const li = await h.registered('李大爷');

    const closed = await closeDatabase(h.database.url);
    const id = li.say('稻瘟病，秧苗都黄了');
    try {
      // Every try, and then the last one three times over, while Postgres refuses every connection.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const job = await h.app.queues.inbound.getJob(jobIds.inbound(id));
        const state = await job?.getState();
        if (state === 'failed') throw new Error(`failed for good: ${job!.failedReason}`);
        if (job && job.attemptsStarted >= attempts + 3) break;
        if (state === 'delayed') await job!.promote();
        if (Date.now() > deadline) throw new Error(`still ${state} after ${job?.attemptsStarted} tries`);
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await closed.restore();
    }
    await handled(h, id);
    await h.settle();

    expect(await h.query(`SELECT m.outcome, c.department_id FROM inbound_messages m JOIN cases c ON c.id = m.case_id`)).toEqual([
      { outcome: 'case-opened', department_id: 'nongjizhan' },
    ]);
    expect(li.received.filter((m) => m.includes('已受理'))).toHaveLength(1);
    expect(peng.received.filter((m) => m.includes('【新案件 #1001】'))).toHaveLength(1);
  });

  it('is recorded and handed to the office when its job failed for good anyway (a process it kept killing)', async () => {
    h = await startHarness({ roles: ['bot'] });
    // First in the failed set: a job no code can record (its data broken); it holds up no other.
    await h.app.queues.inbound.add('handle-message', { messageId: 'broken' } as never, { jobId: jobIds.inbound('broken') });
    const li = await h.registered('李大爷');
    const id = li.say('稻瘟病，秧苗都黄了');
    await vi.waitFor(async () => expect(await h!.app.queues.inbound.getJob(jobIds.inbound(id))).toBeDefined());
    // What BullMQ does to a job that stalled more times than it allows: failed, without more tries.
    const connection = createRedis(redisUrl);
    const taker = new Worker('inbound', null, { connection, prefix: h.prefix, autorun: false });
    try {
      for (let i = 0; i < 2; i++) {
        const job = (await taker.getNextJob('taker'))!;
        await job.moveToFailed(new UnrecoverableError('job stalled more than allowable limit'), 'taker');
        expect(await job.getState()).toBe('failed');
      }
    } finally {
      await taker.close();
      connection.disconnect();
    }

    await h.startApp({ roles: ['worker'] });
    await h.settle();

    expect(await h.query(`SELECT m.outcome, c.department_id FROM inbound_messages m JOIN cases c ON c.id = m.case_id`)).toEqual([
      { outcome: 'unhandled', department_id: 'dangzhengban' },
    ]);
    expect(li.received).toEqual([expect.stringContaining('已受理')]);
    expect((await h.app.queues.inbound.getFailed()).map((job) => job.id)).toEqual([jobIds.inbound('broken')]);
  });

  it('takes a database closed to connections for an outage, not for a fault of ours', async () => {
    h = await startHarness();
    const closed = await closeDatabase(h.database.url);
    const client = new pg.Client({ connectionString: h.database.url });
    try {
      const error = await client.connect().then(() => null, (e: unknown) => e);
      expect(String(error)).toContain('not currently accepting connections');
      expect(passes(error)).toBe(true);
    } finally {
      await client.end().catch(() => {});
      await closed.restore();
    }
  });
});
