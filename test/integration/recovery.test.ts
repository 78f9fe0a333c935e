/**
 * Faults at the edges of a message's journey: the worker dies after saving a case but before
 * the notifications go out; Redis is gone when a message arrives; Postgres ends a connection in
 * the moment it is handed over.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices } from '../../src/app.js';
import { chineseCalendar } from '../../src/domain/calendar.js';
import { openDataSource } from '../../src/db/data-source.js';
import { passes } from '../../src/db/failures.js';
import { IntakeClient } from '../../src/bot/intake-client.js';
import { createLogger } from '../../src/logger.js';
import { jobIds, type InboundMessageDto } from '../../src/queue/jobs.js';
import { createRedis, removeQueueKeys } from '../../src/queue/queues.js';
import { resolveRedis, type RedisEndpoint } from '../../src/queue/redis-server.js';
import { createTestDatabase } from '../support/database.js';
import { redisUrl, startHarness, type Harness } from '../support/harness.js';
import { freePort } from '../support/net.js';

let h: Harness | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await h?.stop();
  h = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** The inbound queue on the test Redis under `prefix`; it, its keys and `dir` are gone after the test. */
function liveQueue(prefix: string, dir: string): Queue {
  const connection = createRedis(redisUrl);
  const queue = new Queue('inbound', { connection, prefix });
  cleanups.push(async () => {
    await queue.close();
    connection.disconnect();
    await removeQueueKeys(redisUrl, prefix);
    await rm(dir, { recursive: true, force: true });
  });
  return queue;
}

/** A resident's text message as the bot hands it over. */
const textDto = (messageId: string, text: string): InboundMessageDto => ({
  messageId, talkerId: 'wx-li', talkerName: '李大爷', roomId: null, kind: 'text', text,
  media: null, sentAt: '2026-11-26T01:00:00.000Z', receivedAt: '2026-11-26T01:00:00.000Z',
});

describe('a worker that dies between "case saved" and "cadre notified"', () => {
  it('notifies the cadre and the resident exactly once after the restart', async () => {
    // A bot and no worker: messages wait on the inbound queue.
    h = await startHarness({ roles: ['bot'] });
    const peng = await h.cadre('c-peng-deming');
    const li = await h.registered('李大爷');
    li.say('稻瘟病，秧苗都黄了');
    await waitFor(async () => (await h!.app.queues.inbound.getWaitingCount()) === 1);
    const [job] = await h.app.queues.inbound.getWaiting();

    // The worker's transaction commits the case and its outbox rows, then the process dies
    // before putting them on the outbound queue.
    const { intake } = createServices({ config: h.app.config, db: h.app.db, clock: h.clock.now, calendar: chineseCalendar });
    const outboxIds = await intake.handle(job!.data);
    expect(outboxIds).toHaveLength(2);
    expect(peng.received).toEqual([]);
    const casesSaved = await h.count(`SELECT count(*) FROM cases`);
    expect(casesSaved).toBe(1);

    // The worker comes back as a new process of the same township.
    await h.startApp({ roles: ['worker'] });
    await h.settle();
    await new Promise((r) => setTimeout(r, 500));
    expect(peng.received.filter((m) => m.includes('【新案件'))).toHaveLength(1);
    expect(li.received.filter((m) => m.includes('已受理'))).toHaveLength(1);
    const cases = await h.count(`SELECT count(*) FROM cases`);
    expect(cases).toBe(1);
  });
});

/**
 * A way to Postgres through which the next new connection, once armed, is ended by the server in
 * the same read as it is accepted: "ready for query" and "terminating connection due to
 * administrator command" arrive together, as they can when Postgres restarts.
 */
async function endingProxy(to: URL): Promise<{ url: string; armNext(): void }> {
  const port = await freePort();
  let armed = false;
  // ErrorResponse: severity FATAL, SQLSTATE 57P01, the words Postgres uses.
  const fields = ['SFATAL', 'VFATAL', 'C57P01', 'Mterminating connection due to administrator command'].map((f) => Buffer.from(`${f}\0`));
  const body = Buffer.concat([...fields, Buffer.from([0])]);
  const ending = Buffer.concat([Buffer.from('E'), Buffer.from([0, 0, 0, 0]), body]);
  ending.writeInt32BE(4 + body.length, 1);
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(to.port || 5432), to.hostname);
    let cut = armed;
    armed = false;
    let startup = Buffer.alloc(0);
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      if (!cut) return void client.write(chunk);
      startup = Buffer.concat([startup, chunk]);
      // Messages are a type byte and a length; the startup ends with ReadyForQuery ('Z').
      for (let at = 0; at + 5 <= startup.length; at += 1 + startup.readInt32BE(at + 1)) {
        if (startup[at] !== 0x5a || at + 6 > startup.length) continue;
        client.end(Buffer.concat([startup.subarray(0, at + 6), ending]));
        upstream.destroy();
        return;
      }
    });
    const close = () => (client.destroy(), upstream.destroy());
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  const url = new URL(to);
  url.host = `127.0.0.1:${port}`;
  return { url: url.toString(), armNext: () => (armed = true) };
}

describe('a connection Postgres ends in the moment the pool hands it over', () => {
  // The pool hands a new connection over as its "ready" is read, and TypeORM listens for its
  // errors only a moment later: the "terminating connection" read with it had no listener, and
  // an error event without one ends the process.
  it('fails the statement that had it, and does not take the process down', async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const proxy = await endingProxy(new URL(database.url));
    const dataSource = await openDataSource({ url: proxy.url, poolSize: 2 });
    cleanups.push(() => dataSource.destroy());
    // The connection opened at the start is busy: the next statement needs a new one.
    const busy = dataSource.query('SELECT pg_sleep(0.3)');
    proxy.armNext();
    const error = await dataSource.query('SELECT 1').then(() => null, (e: unknown) => e);
    expect(String(error)).toContain('not queryable');
    expect(passes(error)).toBe(true);
    await busy;
    expect(await dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});

describe('a send that takes longer than a claim is trusted (60 s) while the bot lives', () => {
  // The relay takes a row left `sending` that long for abandoned (a claim whose bot died, or whose
  // record was lost) and queues it again; the bot that is still sending it must not send it twice.
  it('is sent once: the bot does not take up again a row it is sending', async () => {
    h = await startHarness();
    const peng = await h.cadre('c-peng-deming');
    const li = await h.registered('李大爷');
    const send = h.puppet.messageSendText.bind(h.puppet);
    let finish: () => void = () => {};
    const slow = new Promise<void>((resolve) => (finish = resolve));
    let hanging = false;
    h.puppet.messageSendText = async (to: string, text: string) => {
      if (text.startsWith('【新案件') && !hanging) {
        hanging = true;
        await slow;
      }
      return send(to, text);
    };
    li.say('稻瘟病，秧苗都黄了');
    await waitFor(() => hanging);

    h.clock.advance(2);
    expect(await h.app.worker!.relayOutbox()).toBe(1);
    const [row] = await h.query<{ id: number; attempts: number }>(`SELECT id, attempts FROM outbound_messages WHERE status = 'sending'`);
    const job = await h.app.queues.outbound.getJob(jobIds.outbound(row!.id, row!.attempts));
    await waitFor(async () => (await job!.getState()) === 'completed');
    finish();
    await h.settle();

    expect(peng.received.filter((m) => m.includes('【新案件'))).toHaveLength(1);
    expect(await h.query(`SELECT status, attempts FROM outbound_messages WHERE id = $1`, [row!.id])).toEqual([{ status: 'delivered', attempts: 1 }]);
  });
});

describe('a delivery whose tries all failed while Postgres refused it', () => {
  it('is queued again by the relay once Postgres answers, and sent once', async () => {
    h = await startHarness();
    const peng = await h.cadre('c-peng-deming');
    const li = await h.registered('李大爷');
    // Postgres refuses every claim, as it does while it is away (an error, not a lost row).
    await refuseUpdates('refuse_claims', 'sending');
    li.say('稻瘟病，秧苗都黄了');
    await waitFor(async () => (await h!.count(`SELECT count(*) FROM outbound_messages`)) === 2);
    const rows = await h.query<{ id: number }>(`SELECT id FROM outbound_messages ORDER BY id`);

    // Every try of both jobs fails; the backoff between them is skipped (promoted at once).
    const { outbound } = h.app.queues;
    const jobsOf = () => Promise.all(rows.map(({ id }) => outbound.getJob(jobIds.outbound(id, 0))));
    await waitFor(async () => {
      const jobs = await jobsOf();
      for (const job of jobs) if (job && (await job.getState()) === 'delayed') await job.promote();
      const states = await Promise.all(jobs.map((job) => job?.getState() ?? 'removed'));
      return states.every((state) => state === 'failed' || state === 'removed');
    }, 30_000);
    expect(await h.query(`SELECT status, attempts FROM outbound_messages ORDER BY id`)).toEqual([
      { status: 'pending', attempts: 0 },
      { status: 'pending', attempts: 0 },
    ]);

    // Postgres answers again: the relay's next run puts the rows back under the same job ids.
    await h.query(`DROP TRIGGER refuse_claims ON outbound_messages`);
    await h.app.worker!.relayOutbox();
    await h.settle();
    expect(li.received.filter((m) => m.includes('已受理'))).toHaveLength(1);
    expect(peng.received.filter((m) => m.includes('【新案件'))).toHaveLength(1);
  });
});

describe('a bot stopped after sends that Postgres could not record', () => {
  it('leaves them to the next bot to record, not to send again', async () => {
    // The worker here; the bot an app of its own, stopped and started again as a restart does.
    h = await startHarness({ roles: ['worker'] });
    const startBot = async () => {
      const bot = await h!.startApp({ roles: ['bot'], puppet: h!.puppet });
      if (!h!.puppet.isLoggedIn) h!.login();
      return bot;
    };
    const first = await startBot();
    const peng = await h.cadre('c-peng-deming');
    const li = await h.registered('李大爷');
    // WeChat takes both messages; Postgres refuses to record them, as it does while it is away.
    await refuseUpdates('refuse_records', 'delivered');
    li.say('稻瘟病，秧苗都黄了');
    await li.waitForMessages(1);
    await peng.waitForMessages(1);
    const rows = await h.query<{ id: number }>(`SELECT id FROM outbound_messages ORDER BY id`);
    const { outbound } = h.app.queues;
    await waitFor(async () => {
      const jobs = await Promise.all(rows.map(({ id }) => outbound.getJob(jobIds.outbound(id, 0))));
      return jobs.every((job) => job !== undefined && job.attemptsMade >= 1);
    });

    // The bot stops before its retries; Postgres answers again; the next bot starts.
    await first.stop();
    await h.query(`DROP TRIGGER refuse_records ON outbound_messages`);
    await startBot();
    // The next bot sends (a message written now gets its answer)…
    const wang = await h.registered('王大妈');
    wang.say('路灯坏了');
    expect((await wang.waitForMessages(1))[0]).toContain('已受理');
    await h.settle();
    // …and the first bot's jobs, back after their backoff, find the rows delivered: not sent again.
    await waitFor(async () => (await outbound.getJobCountByTypes('waiting', 'active', 'delayed')) === 0);
    expect(li.received.filter((m) => m.includes('已受理'))).toHaveLength(1);
    expect(peng.received.filter((m) => m.includes(li.name) || m.includes('稻瘟病'))).toHaveLength(1);
    expect(await h.count(`SELECT count(*) FROM outbound_messages WHERE id = ANY($1) AND status = 'delivered'`, [rows.map((r) => r.id)])).toBe(2);
  });
});

describe('Redis unreachable when a message arrives', () => {
  it('keeps the message, retries, and handles it once Redis is back', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lianxin-redis-'));
    const port = await freePort();
    const logger = createLogger('silent');
    const closed = `redis://127.0.0.1:${await freePort()}`;
    let redis: RedisEndpoint = await resolveRedis({ defaultUrl: closed, privatePort: port, dataDir, logger });
    cleanups.push(async () => {
      await redis.stop();
      await rm(dataDir, { recursive: true, force: true });
    });

    h = await startHarness({ redisUrl: redis.url, intake: { addTimeoutMs: 300, retryDelayMs: 200, maxRetryDelayMs: 500, confirmEveryMs: 200 } });
    const li = await h.registered('李大爷');

    await redis.stop();
    li.say('稻瘟病，秧苗都黄了');
    await waitFor(async () => h!.app.bot!.intake.backlog === 1);
    await new Promise((r) => setTimeout(r, 800));
    expect(h.app.bot!.intake.backlog).toBe(1);
    // Also on disk, in the app's data folder: a bot that died now would not lose it.
    const journal = path.join(h.dataDir, `intake-backlog-${h.prefix}.jsonl`);
    expect(JSON.parse(await readFile(journal, 'utf8'))).toMatchObject({ messageId: li.lastMessageId, text: '稻瘟病，秧苗都黄了' });

    redis = await resolveRedis({ defaultUrl: closed, privatePort: port, dataDir, logger });
    const replies = await li.waitForMessages(1, 20_000);
    expect(replies[0]).toContain('已受理');
    // The timed-out add may have gone through once Redis was back; the retry adds nothing twice.
    await waitFor(() => h!.app.bot!.intake.backlog === 0, 20_000);
    await h.settle(20_000);
    const n = await h.count(`SELECT count(*) FROM cases`);
    expect(n).toBe(1);
    await waitFor(() => journalLines(journal).length === 0); // in Postgres: nothing left in the journal
  });
});

describe('a Redis that comes back without the jobs it had taken (restarted without persistence)', () => {
  it('gets the message again from the bot, which keeps it until Postgres has it; handled once', async () => {
    h = await startHarness({ roles: ['bot'], intake: { confirmEveryMs: 100, requeueAfterMs: 500 } });
    const peng = await h.cadre('c-peng-deming');
    const li = await h.registered('李大爷');
    li.say('稻瘟病，秧苗都黄了');
    await waitFor(async () => (await h!.app.queues.inbound.getWaitingCount()) === 1);
    const journal = path.join(h.dataDir, `intake-backlog-${h.prefix}.jsonl`);
    expect(journalLines(journal)).toHaveLength(1); // queued, not yet in Postgres

    // Redis's data is gone with its job; the worker starts on the empty queue.
    await removeQueueKeys(redisUrl, h.prefix);
    await h.startApp({ roles: ['worker'] });
    await waitFor(async () => (await h!.count(`SELECT count(*) FROM cases`)) === 1, 20_000);
    await h.settle();
    await waitFor(() => journalLines(journal).length === 0);

    expect(li.received.filter((m) => m.includes('已受理'))).toHaveLength(1);
    expect(peng.received.filter((m) => m.includes('【新案件 #1001】'))).toHaveLength(1);
    expect(await h.count(`SELECT count(*) FROM inbound_messages`)).toBe(1);
  });
});

describe('a bot that dies while Redis is away', () => {
  it('leaves what it could not queue in its journal, and the next bot queues it first, once', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lianxin-journal-'));
    const journalPath = path.join(dir, 'intake-backlog.jsonl');
    const prefix = `t-journal-${process.pid}`;
    const logger = createLogger('silent');
    const dto = (n: number) => textDto(`m-${n}`, `第${n}条`);

    // The first bot: Redis never answers.
    const deadConnection = createRedis(`redis://127.0.0.1:${await freePort()}`);
    const deadQueue = new Queue('inbound', { connection: deadConnection, prefix });
    deadQueue.on('error', () => {});
    const first = new IntakeClient(deadQueue, logger, { addTimeoutMs: 100, retryDelayMs: 60_000, journalPath });
    await first.enqueue(dto(1));
    await first.enqueue(dto(2));
    expect(first.backlog).toBe(2);
    const lines = (await readFile(journalPath, 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as InboundMessageDto).messageId)).toEqual(['m-1', 'm-2']);
    deadConnection.disconnect();
    await first.stop(); // only to leave no timer running: the journal is what a killed bot leaves too

    // The next bot, Redis back: the journal's messages go on the queue before anything new.
    const queue = liveQueue(prefix, dir);
    const next = new IntakeClient(queue, logger, { addTimeoutMs: 1000, retryDelayMs: 10, journalPath });
    expect(next.backlog).toBe(2);
    await next.enqueue(dto(3));
    await waitFor(() => next.backlog === 0);
    const jobs = await queue.getJobs(['waiting']);
    expect(jobs.map((j) => j.id).sort()).toEqual([jobIds.inbound('m-1'), jobIds.inbound('m-2'), jobIds.inbound('m-3')].sort());
    expect(jobs.find((j) => j.id === jobIds.inbound('m-1'))!.timestamp).toBeLessThanOrEqual(jobs.find((j) => j.id === jobIds.inbound('m-3'))!.timestamp);
    expect(journalLines(journalPath)).toEqual([]);

    // A journal left by a bot that died after queueing some of it: queued again, nothing doubled.
    await writeFile(journalPath, `${JSON.stringify(dto(1))}\n{"messageId": "m-cut-sh`);
    const again = new IntakeClient(queue, logger, { addTimeoutMs: 1000, retryDelayMs: 10, journalPath });
    await waitFor(() => again.backlog === 0);
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 3 });
    expect(journalLines(journalPath)).toEqual([]);
    await next.stop();
    await again.stop();
  });
});

describe('a bot killed while its add still hangs (Redis just went away)', () => {
  it('has the message in its journal already, and the next bot queues it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lianxin-journal-'));
    const journalPath = path.join(dir, 'intake-backlog.jsonl');
    const prefix = `t-journal-hang-${process.pid}`;
    const logger = createLogger('silent');
    const dto = textDto('m-hang', '水管爆了');

    // Redis stopped answering a moment ago: the add hangs, and its time limit has not run out
    // when the process is killed (nothing of the first bot runs after this point).
    const deadConnection = createRedis(`redis://127.0.0.1:${await freePort()}`);
    const deadQueue = new Queue('inbound', { connection: deadConnection, prefix });
    deadQueue.on('error', () => {});
    const first = new IntakeClient(deadQueue, logger, { addTimeoutMs: 1000, retryDelayMs: 60_000, journalPath });
    const hanging = first.enqueue(dto);

    const queue = liveQueue(prefix, dir);
    const next = new IntakeClient(queue, logger, { addTimeoutMs: 1000, retryDelayMs: 10, journalPath });
    expect(next.backlog).toBe(1);
    await waitFor(() => next.backlog === 0);
    expect((await queue.getJobs(['waiting'])).map((j) => j.id)).toEqual([jobIds.inbound('m-hang')]);
    expect(journalLines(journalPath)).toEqual([]);
    await next.stop();

    // Only to leave nothing running: the killed bot's add fails at its time limit.
    deadConnection.disconnect();
    await hanging;
    await first.stop();
  });

  it('writes each message down before adding it, and leaves no journal once all are queued', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lianxin-journal-'));
    const journalPath = path.join(dir, 'intake-backlog.jsonl');
    const prefix = `t-journal-ok-${process.pid}`;
    const queue = liveQueue(prefix, dir);
    const client = new IntakeClient(queue, createLogger('silent'), { journalPath });
    const dto = (n: number) => textDto(`m-ok-${n}`, `第${n}条`);
    // Several at once, as messages come: each on disk before its add, the journal emptied once
    // the last add is done, and gone at the stop.
    const adds = [1, 2, 3].map((n) => client.enqueue(dto(n)));
    expect(journalLines(journalPath).map((l) => (JSON.parse(l) as InboundMessageDto).messageId)).toEqual(['m-ok-1', 'm-ok-2', 'm-ok-3']);
    await Promise.all(adds);
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 3 });
    expect(journalLines(journalPath)).toEqual([]);
    await client.stop();
    expect(existsSync(journalPath)).toBe(false);
  });
});

/** The journal's messages (none when the file is empty or gone). */
describe('a bot stopped while its journal is being checked against Postgres', () => {
  it('leaves the journal to the next bot on the same file when the answer comes after the stop', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lianxin-journal-'));
    const journalPath = path.join(dir, 'intake-backlog.jsonl');
    const prefix = `t-journal-stop-${process.pid}`;
    const queue = liveQueue(prefix, dir);
    const logger = createLogger('silent');
    // Postgres answers the first bot's look-up only once it has stopped and the next bot wrote to the journal.
    let asked!: () => void;
    const lookedUp = new Promise<void>((resolve) => (asked = resolve));
    let answer!: (ids: string[]) => void;
    const recorded = () => {
      asked();
      return new Promise<string[]>((resolve) => (answer = resolve));
    };
    const first = new IntakeClient(queue, logger, { journalPath, recorded, confirmEveryMs: 1 });
    await first.enqueue(textDto('m-stop-1', '第1条'));
    await lookedUp;
    await first.stop();

    const next = new IntakeClient(queue, logger, { journalPath, recorded: async () => [], confirmEveryMs: 60_000 });
    await waitFor(() => next.backlog === 0);
    await next.enqueue(textDto('m-stop-2', '第2条'));
    answer([]);
    await new Promise((resolve) => setImmediate(resolve));

    const ids = journalLines(journalPath).map((l) => (JSON.parse(l) as InboundMessageDto).messageId);
    expect(ids).toEqual(['m-stop-1', 'm-stop-2']);
    await next.stop();
  });
});

describe('a bot whose queued messages Postgres does not have yet (no worker running)', () => {
  it('leaves its journal as it is until one of them is recorded', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lianxin-journal-'));
    const journalPath = path.join(dir, 'intake-backlog.jsonl');
    const queue = liveQueue(`t-journal-same-${process.pid}`, dir);
    let lookUps = 0;
    const client = new IntakeClient(queue, createLogger('silent'), { journalPath, recorded: async () => (lookUps++, []), confirmEveryMs: 1 });
    await client.enqueue(textDto('m-same-1', '第1条'));
    const written = statSync(journalPath).ino;
    // The second look-up starts once the first is over, whatever it did with the file.
    await waitFor(() => lookUps >= 2);
    expect(statSync(journalPath).ino).toBe(written);
    expect(journalLines(journalPath)).toHaveLength(1);
    await client.stop();
  });
});

function journalLines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Postgres refuses to set an outbox row to `status` (a trigger named `name`), as it does while it is away. */
async function refuseUpdates(name: string, status: string): Promise<void> {
  await h!.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${name}'; END $$`);
  await h!.query(`CREATE TRIGGER ${name} BEFORE UPDATE ON outbound_messages FOR EACH ROW WHEN (NEW.status = '${status}') EXECUTE FUNCTION ${name}()`);
}
