/**
 * Redis crashes (SIGKILL) while residents write and comes back 4 s later on the same append-only
 * file. The bot keeps what it cannot queue and retries; workers and the sender reconnect; jobs
 * caught mid-flight run again and find their work done in Postgres.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FaultRun, seedFor, random } from './support/fault-run.js';
import { startPrivateRedis, type PrivateRedis } from './support/outages.js';

let run: FaultRun | undefined;
let redis: PrivateRedis | undefined;
afterEach(async () => {
  await run?.stop();
  await redis?.remove();
  run = undefined;
  redis = undefined;
});

describe('Redis restarted mid-run', () => {
  it('loses no message and doubles none', async () => {
    const rnd = random(seedFor('redis-restart'));
    redis = await startPrivateRedis();
    run = await FaultRun.create('redis-restart', { residents: 800, redisUrl: redis.url });
    const app = await run.startInProcess(['bot', 'worker']);

    const downAtMs = 2000 + rnd() * 3000;
    const outage = (async () => {
      await new Promise((r) => setTimeout(r, downAtMs));
      await redis!.kill();
      await new Promise((r) => setTimeout(r, 4000));
      await redis!.restart();
    })();
    await run.pace(run.messages, 100, (m) => run!.say(m));
    await outage;
    console.log(`[faults] redis-restart: down at ${(downAtMs / 1000).toFixed(1)} s for 4 s; bot backlog now ${app.bot!.intake.backlog}`);

    await run.settle(150_000);
    expect(await run.check()).toEqual([]);
    expect(app.bot!.intake.backlog).toBe(0);
  });
});
