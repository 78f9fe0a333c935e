/**
 * Postgres refuses this township's database twice (every open connection terminated, new ones
 * refused) while residents write: a short outage of 1–3 s, then, 1–2 s later, one of 20–30 s.
 * Inbound jobs retry with backoff (handle-message: 50 attempts, delays capped at 10 s), then
 * complete; so do deliveries (six tries, 2, 4, 8, 10, 10 s apart). An outage longer than a
 * delivery's tries (~35 s: FAULT_PG_OUTAGES="3000:2000,6000:38000") leaves them to the outbox
 * relay; test/integration/recovery.test.ts shows that case on its own, in seconds.
 *
 * FAULT_PG_OUTAGES="startMs:durationMs,…" (from the start of the writing) replays a plan of its own;
 * FAULT_PG_CUTS="ms,…" also ends every connection of the database at those moments, as a Postgres
 * restart does, new ones taken at once (e.g. every 150 ms for 12 s as the long outage ends: a
 * transaction cut between two statements, a connection cut as it is handed over).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FaultRun, random, seedFor } from './support/fault-run.js';
import { closeDatabase, cutConnections } from './support/outages.js';

let run: FaultRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

/** [start, duration] in ms from the start of the writing. */
type Outage = [number, number];

function outagePlan(rnd: () => number): Outage[] {
  if (process.env.FAULT_PG_OUTAGES) return process.env.FAULT_PG_OUTAGES.split(',').map((o) => o.split(':').map(Number) as Outage);
  const short: Outage = [1000 + rnd() * 3000, 1000 + rnd() * 2000];
  const long: Outage = [short[0] + short[1] + 1000 + rnd() * 1000, 20_000 + rnd() * 10_000];
  return [short, long];
}

describe('Postgres unavailable twice mid-run, once for 20–30 s', () => {
  it('retries with backoff and completes every message once afterwards', async () => {
    const rnd = random(seedFor('postgres-outage'));
    run = await FaultRun.create('postgres-outage', { residents: 600 });
    await run.startInProcess(['bot', 'worker']);

    const plan = outagePlan(rnd);
    const described = plan.map(([at, span]) => `at ${(at / 1000).toFixed(1)} s for ${(span / 1000).toFixed(1)} s`).join(', ');
    console.log(`[faults] postgres-outage: closed ${described}`);
    const started = Date.now();
    let during: number | undefined;
    const outages = (async () => {
      for (const [at, span] of plan) {
        const wait = started + at - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const closed = await closeDatabase(run!.database.url);
        try {
          await new Promise((r) => setTimeout(r, span / 2));
          // Halfway through an outage nothing can be handled: the database cannot even be asked.
          during = (await run!.progress().catch(() => undefined))?.inboundHandled ?? -1;
          await new Promise((r) => setTimeout(r, span / 2));
        } finally {
          await closed.restore();
        }
      }
    })();
    const cutAt = process.env.FAULT_PG_CUTS?.split(',').map(Number) ?? [];
    const cuts = (async () => {
      for (const at of cutAt) {
        const wait = started + at - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        await cutConnections(run!.database.url);
      }
    })();
    if (cutAt.length > 0) console.log(`[faults] postgres-outage: connections cut ${cutAt.length} times, ${(cutAt[0]! / 1000).toFixed(1)}–${(cutAt.at(-1)! / 1000).toFixed(1)} s`);
    await run.pace(run.messages, 60, (m) => run!.say(m));
    await Promise.all([outages, cuts]);
    expect(during).toBe(-1);

    await run.settle(150_000);
    expect(await run.check()).toEqual([]);
  });
});

describe('Postgres gone between a send and its record', () => {
  // The bot sends, then `markDelivered` fails because Postgres is away: the retried job records
  // the delivery and does not send again (nor does the relay, 60 s later).
  it('sends the message once, and records it once Postgres is back', async () => {
    run = await FaultRun.create('postgres-after-send', { residents: 20 });
    await run.startInProcess(['bot', 'worker']);
    const { puppet } = run.inProcessWorld;
    const send = puppet.messageSendText.bind(puppet);
    let cut = false;
    let cutAt = Date.now();
    puppet.messageSendText = async (to: string, text: string) => {
      await send(to, text);
      if (!cut && text.includes('序号 k5）')) {
        // Delivered to the phone; the database goes away before the bot can record it.
        cut = true;
        cutAt = Date.now();
        const closed = await closeDatabase(run!.database.url);
        setTimeout(() => void closed.restore(), 3000);
      }
    };
    await run.pace(run.messages, 20, (m) => run!.say(m));
    await run.settle(90_000);
    // A second send would come once the claim counts as abandoned (60 s) and the relay runs (5 s).
    const wait = cutAt + 70_000 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    expect(await run.check()).toEqual([]);
  });
});
