/**
 * The bot is a process of its own (with the simulated WeChat inside it, as any bot has its
 * WeChat session inside it) and is restarted while the outbox still holds messages to send:
 * the pace is on, so deliveries queue up behind the rate limit. The worker runs in this process.
 * What the phones received is written to a file by every bot process, so it survives a kill.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FaultRun, random, seedFor, waitFor, type ChildApp } from './support/fault-run.js';

let run: FaultRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

const pace = { perRecipientIntervalMs: 0, globalPerSecond: 30 };
/**
 * FAULT_BOT_SIGNAL=SIGKILL kills the bot mid-drain instead: a message sent and not yet recorded
 * then goes twice (at least once by design), which the check allows for the rows the dead bot had
 * claimed, and for no other.
 */
const stopSignal = (process.env.FAULT_BOT_SIGNAL ?? 'SIGTERM') as NodeJS.Signals;

describe('the bot process restarted mid-run', () => {
  it('delivers every outbox message not yet delivered exactly once, after the restart', async () => {
    const rnd = random(seedFor('bot-restart'));
    run = await FaultRun.create('bot-restart', { residents: 300 });
    await run.startInProcess(['worker']);
    let bot: ChildApp = await run.spawn(['bot'], { pace });

    // The first half of the residents write; their 300 deliveries drain at 30/s.
    const [first, second] = [run.messages.slice(0, 150), run.messages.slice(150)];
    await run.pace(first, 100, (m) => bot.say(m));
    await waitFor(async () => (await run!.progress()).inboundHandled === first.length, 30_000, 'first half handled');
    // Stop part-way through the drain, at a random point (counted in rows, not seconds: how
    // fast the rows were written must not decide how many are left): from nearly all of the 300
    // rows left to none (FAULT_BOT_STOP_AT=<rows left> picks one).
    const stopAt = process.env.FAULT_BOT_STOP_AT ? Number(process.env.FAULT_BOT_STOP_AT) : Math.floor(rnd() * 290);
    await waitFor(async () => (await run!.progress()).outboxOpen <= stopAt, 30_000, `${stopAt} rows left to deliver`);

    const before = await run.progress();
    await bot.kill(stopSignal);
    if (stopSignal === 'SIGKILL') {
      // What the dead bot had claimed may have reached WeChat just before the kill: the next bot
      // sends it again (at least once). Those rows, and only those, may arrive twice.
      const claimed = await run.query<{ id: number }>(`SELECT id FROM outbound_messages WHERE status = 'sending'`);
      run.allowResend(claimed.map((r) => r.id));
    }
    const left = (await run.progress()).outboxOpen;
    console.log(`[faults] bot-restart: stopped (${stopSignal}) with ${left} of ${before.outboxTotal} outbox rows undelivered`);
    bot = await run.spawn(['bot'], { pace });

    // The second half writes to the new bot process.
    await run.pace(second, 100, (m) => bot.say(m));
    await run.settle(90_000);
    expect(await run.check()).toEqual([]);
  });

  // The bot dies (SIGKILL) after claiming a row and before recording its delivery: the row
  // stays `sending`, and later messages to the same cadre wait behind it. The next bot releases
  // the dead bot's claims at its start (with no bot running, the claim would count as abandoned
  // 60 s after it was made); the relay then queues the row under a new job id
  // (`out-<id>-<attempts>`) and it goes out once. The dead bot's own job comes back once its lock
  // has expired (30 s) and finds the row delivered. (A send that did reach WeChat before the kill
  // would go out twice: at-least-once by design in that window of a few milliseconds.)
  it('delivers a message whose send was cut off by a SIGKILL, once, after the restart', async () => {
    run = await FaultRun.create('bot-killed-mid-send', { residents: 40 });
    await run.startInProcess(['worker']);
    // The cadre's notification of message k5 never leaves this process: the send hangs.
    let bot: ChildApp = await run.spawn(['bot'], { hangOnSendContaining: '序号 k5）' });
    const hung = new Promise<void>((resolve) => bot.child.on('message', (m: { type: string }) => m.type === 'hung' && resolve()));
    await run.pace(run.messages.slice(0, 10), 50, (m) => bot.say(m));
    await hung;
    // Every message the first bot received is queued (a bot killed before queueing a message
    // loses it: nothing tells WeChat to deliver it again).
    await waitFor(async () => (await run!.progress()).inboundHandled === 10, 30_000, 'first ten handled');
    // Kill only once every other send is over: the rows to the hung cadre wait behind the hung
    // one, every other row is delivered, so no send but the hung one is between WeChat and the
    // record (a kill in that window would send a message twice, at-least-once by design).
    await waitFor(
      async () => {
        const [open] = await run!.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM outbound_messages WHERE status IN ('pending', 'sending')
             AND cadre_id IS DISTINCT FROM (SELECT cadre_id FROM outbound_messages WHERE text LIKE '%序号 k5）%')`,
        );
        return open!.n === 0;
      },
      30_000,
      'every send but the hung one over',
    );
    await bot.kill('SIGKILL');
    const [stuck] = await run.query<{ status: string }>(`SELECT status FROM outbound_messages WHERE text LIKE '%序号 k5）%'`);
    expect(stuck!.status).toBe('sending');

    bot = await run.spawn(['bot']);
    await run.pace(run.messages.slice(10), 50, (m) => bot.say(m));
    // The dead bot's job is stalled until its lock expires and the next stalled check (up to 60 s).
    await run.settle(100_000);
    expect(await run.check()).toEqual([]);
  });
});
