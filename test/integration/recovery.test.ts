/**
 * Faults at the edges of a message's journey: the worker dies after saving a case but before
 * the notifications go out; Redis is gone when a message arrives.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices } from '../../src/app.js';
import { chineseCalendar } from '../../src/domain/calendar.js';
import { createLogger } from '../../src/logger.js';
import { resolveRedis, type RedisEndpoint } from '../../src/queue/redis-server.js';
import { startHarness, type Harness } from '../support/harness.js';
import { freePort } from '../support/net.js';

let h: Harness | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await h?.stop();
  h = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('a worker that dies between "case saved" and "cadre notified"', () => {
  it('notifies the cadre and the resident exactly once after the restart', async () => {
    // A bot and no worker: messages wait on the inbound queue.
    h = await startHarness({ roles: ['bot'] });
    const peng = await h.cadre('c-peng-deming');
    const li = h.resident('李大爷');
    await h.query(
      `INSERT INTO residents (wechat_id, name, village_id, created_at, updated_at) VALUES ($1, '李大爷', 'dongshan', now(), now())`,
      [li.contact.id],
    );
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

    h = await startHarness({ redisUrl: redis.url, intake: { addTimeoutMs: 300, retryDelayMs: 200, maxRetryDelayMs: 500 } });
    const li = h.resident('李大爷');
    await h.query(
      `INSERT INTO residents (wechat_id, name, village_id, created_at, updated_at) VALUES ($1, '李大爷', 'dongshan', now(), now())`,
      [li.contact.id],
    );

    await redis.stop();
    li.say('稻瘟病，秧苗都黄了');
    await waitFor(async () => h!.app.bot!.intake.backlog === 1);
    await new Promise((r) => setTimeout(r, 800));
    expect(h.app.bot!.intake.backlog).toBe(1);

    redis = await resolveRedis({ defaultUrl: closed, privatePort: port, dataDir, logger });
    const replies = await li.waitForMessages(1, 20_000);
    expect(replies[0]).toContain('已受理');
    // The timed-out add may have gone through once Redis was back; the retry adds nothing twice.
    await waitFor(() => h!.app.bot!.intake.backlog === 0, 20_000);
    await h.settle(20_000);
    const n = await h.count(`SELECT count(*) FROM cases`);
    expect(n).toBe(1);
  });
});

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

