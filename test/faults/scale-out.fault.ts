/**
 * The shape a township uses when one machine is not enough: two worker processes and one bot
 * process, separate OS processes on one Redis and one Postgres. Nothing may be handled twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FaultRun } from './support/fault-run.js';

let run: FaultRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

describe('two worker processes and one bot process', () => {
  it('share a run with nothing doubled and nothing lost', async () => {
    run = await FaultRun.create('scale-out', { residents: 1000 });
    const [bot, ...workers] = await Promise.all([run.spawn(['bot']), run.spawn(['worker']), run.spawn(['worker'])]);
    await run.pace(run.messages, 100, (m) => bot.say(m));
    await run.settle(90_000);
    expect(await run.check()).toEqual([]);
    expect(workers.map((w) => w.child.exitCode)).toEqual([null, null]);
  });
});
