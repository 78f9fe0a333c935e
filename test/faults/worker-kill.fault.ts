/**
 * The worker is a process of its own and dies hard (SIGKILL) five times at random moments while
 * 2 000 residents write: mid-transaction, between commit and enqueueing the deliveries, between
 * two jobs. Each time a new worker process starts; after some kills that one dies too, while it
 * starts or in its first moments of work. The bot, with the simulated WeChat, runs in this
 * process, untouched.
 *
 * What recovers what: Postgres rolls back the open transactions; BullMQ hands the killed
 * worker's active jobs to the next worker once their lock expires (30 s); the outbox relay
 * (at start and every 5 s) sends what was committed but never enqueued.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FaultRun, random, seedFor, waitFor, type ChildApp } from './support/fault-run.js';

let run: FaultRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

const messages = 2000;
const perSecond = 80;
const kills = 5;

describe('the worker process killed with SIGKILL 5 times during 2 000 messages', () => {
  it('loses nothing and doubles nothing after each restart', async () => {
    const rnd = random(seedFor('worker-kill'));
    run = await FaultRun.create('worker-kill', { residents: messages });
    await run.startInProcess(['bot']);
    let worker: ChildApp = await run.spawn(['worker']);

    // Kill points spread over the run by progress (so every new worker gets to work before it
    // dies), each a random few hundred milliseconds after its threshold: mid-transaction,
    // between commit and enqueue, between jobs — wherever the worker happens to be. On some,
    // the next worker dies too, soon after: while it starts (loading, migrating, its first relay
    // of the outbox), or in its first moments of work (FAULT_WORKER_KILLS="progress,starting,fresh,…"
    // chooses the kinds).
    const kinds = process.env.FAULT_WORKER_KILLS?.split(',') ?? Array.from({ length: kills }, () => ['progress', 'progress', 'progress', 'starting', 'fresh'][Math.floor(rnd() * 5)]!);
    // FAULT_WORKER_KILL_AT="messagesHandled,…" (five of them) puts the kills where a run of its own needs them.
    const thresholds = process.env.FAULT_WORKER_KILL_AT?.split(',').map(Number) ??
      Array.from({ length: kills }, (_, i) => Math.floor(messages * (0.05 + (0.85 * (i + rnd())) / kills)));
    const log: string[] = [];
    const started = Date.now();
    const at = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

    const killer = (async () => {
      for (const [i, threshold] of thresholds.entries()) {
        await waitFor(async () => (await run!.progress()).inboundHandled >= threshold, 120_000, `${threshold} messages handled`);
        await new Promise((r) => setTimeout(r, rnd() * 400));
        const { inboundHandled } = await run!.progress();
        await worker.kill('SIGKILL');
        log.push(`killed at ${at()}, ${inboundHandled} handled`);
        const kind = kinds[i] ?? 'progress';
        if (kind === 'starting') {
          // Killed while lianxin starts in it (its code loaded): connecting, syncing cadres,
          // starting its queue workers, relaying the outbox.
          const { handle, ready } = run!.launch(['worker']);
          await new Promise<void>((resolve) => handle.child.on('message', (m: { type: string }) => m.type === 'starting' && resolve()));
          const after = rnd() * 2500;
          await Promise.race([ready, new Promise((r) => setTimeout(r, after))]);
          await handle.kill('SIGKILL');
          const state = await ready.then(() => 'ready', () => 'not ready');
          log.push(`killed ${(after / 1000).toFixed(2)} s into its start (${state}) at ${at()}`);
        } else if (kind === 'fresh') {
          const fresh = await run!.spawn(['worker']);
          const after = rnd() * 1500;
          await new Promise((r) => setTimeout(r, after));
          await fresh.kill('SIGKILL');
          log.push(`killed ${(after / 1000).toFixed(1)} s after it was ready at ${at()}`);
        }
        worker = await run!.spawn(['worker']);
      }
    })();
    await run.pace(run.messages, perSecond, (m) => run!.say(m));
    await killer;
    console.log(`[faults] worker-kill: ${log.join('; ')}`);
    expect(log.filter((l) => l.startsWith('killed at'))).toHaveLength(kills);

    // The last killed worker's jobs come back when their lock expires (30 s) and the next stalled check runs.
    await run.settle(150_000);
    expect(await run.check()).toEqual([]);
    await waitFor(async () => (await run!.jobsInFlight()) === 0, 10_000, 'queues empty');
  });
});
