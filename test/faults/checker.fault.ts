/**
 * The fault suite is only as good as its check: this file shows that FaultRun.check() notices a
 * lost message, a doubled acknowledgement, a doubled notification, a second assignment and an
 * undelivered outbox row — so a green fault test means something.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FaultRun } from './support/fault-run.js';

let run: FaultRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

describe('the exactly-once check', () => {
  it('passes a clean run and names every kind of breakage', async () => {
    run = await FaultRun.create('checker', { residents: 30 });
    await run.startInProcess(['bot', 'worker']);
    for (const m of run.messages) run.say(m);
    await run.settle(30_000, 500);
    expect(await run.check()).toEqual([]);

    const receipts = run.receipts();
    const ack = receipts.find((r) => r.text.startsWith('已受理'))!;
    const note = receipts.find((r) => r.text.startsWith('【新案件'))!;
    run.recordReceipt(ack);
    run.recordReceipt(note);
    // A second copy of a row a SIGKILLed bot had claimed is allowed (at least once by design);
    // the copy above, of a row nobody allowed, is still a fault.
    const other = receipts.find((r) => r.text.startsWith('已受理') && r.to !== ack.to)!;
    const [allowed] = await run.query<{ id: number }>(
      `SELECT o.id FROM outbound_messages o JOIN residents r ON r.id = o.resident_id WHERE r.wechat_id = $1`,
      [other.to],
    );
    run.allowResend([allowed!.id]);
    run.recordReceipt(other);
    const [kase] = await run.query<{ id: number; assignee_id: string }>(`SELECT id, assignee_id FROM cases ORDER BY id DESC LIMIT 1`);
    await run.query(`INSERT INTO case_events (case_id, at, actor_type, actor_id, type, data) VALUES ($1, now(), 'system', NULL, 'assigned', $2)`, [
      kase!.id,
      { cadreId: kase!.assignee_id },
    ]);
    await run.query(`UPDATE outbound_messages SET status = 'pending' WHERE id = (SELECT min(id) FROM outbound_messages)`);
    // A message the bot never got.
    (run.messages as unknown as { id: string; from: string; text: string; token: string }[]).push({ id: 'never-sent', from: 'nobody', text: '', token: 'k0' });

    const problems = (await run.check()).join('\n');
    expect(problems).toMatch(/1 messages without exactly one inbound row: never-sent ×0/);
    expect(problems).toMatch(/30 cases for 31 messages/);
    expect(problems).toMatch(/1 cases without exactly one assignment chain/);
    expect(problems).toMatch(/1 outbox rows not delivered/);
    expect(problems).toMatch(new RegExp(`1 residents who did not receive exactly one acknowledgement: ${ack.to} got`));
    expect(problems).toMatch(/1 cases whose cadre did not receive exactly one notification/);
    // The breakage was ours: no logs to keep.
    await run.stop(false);
    run = undefined;
  });
});
