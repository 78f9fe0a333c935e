/**
 * WeChat delivers every message twice, and 5 % three times: at once (the same job id),
 * a little later (the job already completed), and after the completed jobs were cleaned from
 * Redis (only Postgres's unique message id stands in the way).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FaultRun, random, seedFor } from './support/fault-run.js';

let run: FaultRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

describe('every message delivered twice, 5 % three times', () => {
  it('makes one inbound row, one case, one acknowledgement and one notification per message', async () => {
    const rnd = random(seedFor('duplicates'));
    run = await FaultRun.create('duplicates', { residents: 600 });
    const app = await run.startInProcess(['bot', 'worker']);
    const thrice = new Set(run.messages.filter(() => rnd() < 0.05).map((m) => m.id));
    const late: typeof run.messages = [];

    await run.pace(run.messages, 150, (m) => {
      run!.say(m);
      // Half the copies come right away, half a little later.
      if (rnd() < 0.5) run!.redeliver(m);
      else late.push(m);
      if (thrice.has(m.id)) late.push(m);
    });
    for (const m of late.splice(0, late.length / 2)) run.redeliver(m);

    // The rest once the completed jobs are gone from Redis: a new job each, stopped by Postgres.
    await run.settle(120_000, 0);
    await app.queues.inbound.clean(0, 100_000, 'completed');
    for (const m of late) run.redeliver(m);

    await run.settle(60_000);
    expect(thrice.size).toBeGreaterThan(10);
    expect(await run.check()).toEqual([]);
    const [row] = await run.query<{ n: number }>(`SELECT count(*)::int AS n FROM inbound_messages`);
    expect(row!.n).toBe(600);
  });
});
