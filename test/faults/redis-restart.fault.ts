/**
 * Redis crashes (SIGKILL) while residents write and deliveries are in flight, and comes back
 * 1–6 s later on the same append-only file; on every other seed it crashes a second time. The bot keeps what it cannot queue and retries; workers and the sender reconnect; jobs
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

/** [start, duration] in ms from the start of the writing. */
type Outage = [number, number];

/**
 * FAULT_REDIS_APPENDONLY=no: a Redis without persistence, which comes back empty — the jobs it
 * held are gone, and the bot, which keeps each message until Postgres has it, queues those again
 * a minute after it queued them.
 */
const appendOnly = process.env.FAULT_REDIS_APPENDONLY !== 'no';

/**
 * One crash while residents write or deliveries are in flight (1–9 s into the 8 s of writing,
 * down 1–6 s), and on every other seed a second one 1–4 s after the restart (down 1–4 s).
 * FAULT_REDIS_OUTAGES="startMs:durationMs,…" replays a plan of its own.
 */
function outagePlan(rnd: () => number): Outage[] {
  if (process.env.FAULT_REDIS_OUTAGES) return process.env.FAULT_REDIS_OUTAGES.split(',').map((o) => o.split(':').map(Number) as Outage);
  const first: Outage = [1000 + rnd() * 8000, 1000 + rnd() * 5000];
  if (rnd() < 0.5) return [first];
  return [first, [first[0] + first[1] + 1000 + rnd() * 3000, 1000 + rnd() * 3000]];
}

describe('Redis restarted mid-run', () => {
  it('loses no message and doubles none', async () => {
    const rnd = random(seedFor('redis-restart'));
    redis = await startPrivateRedis({ appendOnly });
    run = await FaultRun.create('redis-restart', { residents: 800, redisUrl: redis.url });
    const app = await run.startInProcess(['bot', 'worker']);

    const plan = outagePlan(rnd);
    const described = plan.map(([at, span]) => `at ${(at / 1000).toFixed(1)} s for ${(span / 1000).toFixed(1)} s`).join(', ');
    console.log(`[faults] redis-restart: killed ${described}`);
    const started = Date.now();
    const outages = (async () => {
      for (const [at, span] of plan) {
        const wait = started + at - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        await redis!.kill();
        await new Promise((r) => setTimeout(r, span));
        await redis!.restart();
      }
    })();
    await run.pace(run.messages, 100, (m) => run!.say(m));
    await outages;
    console.log(`[faults] redis-restart: bot backlog after the last restart ${app.bot!.intake.backlog}`);

    await run.settle(150_000);
    expect(await run.check()).toEqual([]);
    expect(app.bot!.intake.backlog).toBe(0);
  });
});
