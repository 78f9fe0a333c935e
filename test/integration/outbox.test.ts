/**
 * The outbox's claim is what stops a message from going out twice: only a pending row (or one
 * abandoned mid-send) can be taken, and a sent one never again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ roles: ['worker'] });
});
afterAll(async () => {
  await h?.stop();
});

describe('outbox claims', () => {
  it('hands a row out once, never after delivery, and again only when abandoned mid-send', async () => {
    const { db } = h.app;
    const now = new Date('2026-11-26T01:00:00Z');
    const id = await db.outbox.add({ to: { cadreId: 'c-peng-deming' }, text: '测试' }, now);

    const first = await db.outbox.claim(id, now);
    expect(first?.message.id).toBe(id);
    expect(await db.outbox.claim(id, new Date(now.getTime() + 1000))).toBeNull(); // being sent

    const abandoned = new Date(now.getTime() + 61_000);
    expect((await db.outbox.findUndelivered(abandoned)).map((d) => d.id)).toContain(id);
    const second = await db.outbox.claim(id, abandoned);
    expect(second?.message.attempts).toBe(2);

    await db.outbox.markDelivered(id, abandoned);
    expect(await db.outbox.claim(id, new Date(now.getTime() + 3_600_000))).toBeNull();
    expect((await db.outbox.findUndelivered(new Date(now.getTime() + 3_600_000))).map((d) => d.id)).not.toContain(id);
  });
});
