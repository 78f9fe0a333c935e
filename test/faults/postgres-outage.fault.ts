/**
 * Postgres refuses this township's database for 20 s mid-run (every open connection terminated,
 * new ones refused), then comes back. Inbound jobs and deliveries fail and retry with backoff
 * (handle-message: 8 attempts from 1 s; deliver-message: 6 from 2 s), then complete.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FaultRun, random, seedFor } from './support/fault-run.js';
import { closeDatabase } from './support/outages.js';

let run: FaultRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

describe('Postgres unavailable for 20 s mid-run', () => {
  it('retries with backoff and completes every message once afterwards', async () => {
    const rnd = random(seedFor('postgres-outage'));
    run = await FaultRun.create('postgres-outage', { residents: 600 });
    await run.startInProcess(['bot', 'worker']);

    const downAtMs = 2000 + rnd() * 4000;
    let during = { inboundHandled: 0 };
    const outage = (async () => {
      await new Promise((r) => setTimeout(r, downAtMs));
      const closed = await closeDatabase(run!.database.url);
      try {
        await new Promise((r) => setTimeout(r, 20_000));
      } finally {
        await closed.restore();
      }
    })();
    const sending = run.pace(run.messages, 60, (m) => run!.say(m));
    await new Promise((r) => setTimeout(r, downAtMs + 10_000));
    await sending;
    // Halfway through the outage nothing new is handled (the database cannot even be asked).
    during = await run.progress().catch(() => ({ inboundHandled: -1 }) as typeof during);
    expect(during.inboundHandled).toBe(-1);
    await outage;
    console.log(`[faults] postgres-outage: closed at ${(downAtMs / 1000).toFixed(1)} s for 20 s`);

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
