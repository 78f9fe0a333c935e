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
    expect(first).toMatchObject({ message: { id } });
    expect(await db.outbox.claim(id, new Date(now.getTime() + 1000))).toBeNull(); // being sent

    const abandoned = new Date(now.getTime() + 61_000);
    expect((await db.outbox.findUndelivered(abandoned)).map((d) => d.id)).toContain(id);
    const second = await db.outbox.claim(id, abandoned);
    expect(second).toMatchObject({ message: { attempts: 2 } });

    await db.outbox.markDelivered(id, abandoned);
    expect(await db.outbox.claim(id, new Date(now.getTime() + 3_600_000))).toBeNull();
    expect((await db.outbox.findUndelivered(new Date(now.getTime() + 3_600_000))).map((d) => d.id)).not.toContain(id);
  });

  it('writes several rows in the order given and hands each out only after the earlier ones to its recipient', async () => {
    const { db } = h.app;
    const now = new Date('2026-11-26T02:00:00Z');
    const [note, photo, other] = await db.outbox.addAll(
      [
        { to: { cadreId: 'c-peng-xuewen' }, text: '请看下一条' },
        { to: { cadreId: 'c-peng-xuewen' }, text: '照片', kind: 'text' },
        { to: { cadreId: 'c-zhou-lihua' }, text: '另一位' },
      ],
      now,
    );
    expect(note!.id).toBeLessThan(photo!.id);
    expect([note!.recipient, photo!.recipient, other!.recipient]).toEqual(['c:c-peng-xuewen', 'c:c-peng-xuewen', 'c:c-zhou-lihua']);
    const [row] = await db.dataSource.query(`SELECT text FROM outbound_messages WHERE id = $1`, [photo!.id]);
    expect(row.text).toBe('照片');

    expect(await db.outbox.claim(photo!.id, now)).toBe('behind');
    expect(await db.outbox.claim(other!.id, now)).toMatchObject({ message: { text: '另一位' } });
    expect(await db.outbox.claim(note!.id, now)).toMatchObject({ message: { text: '请看下一条' } });
    expect(await db.outbox.claim(photo!.id, now)).toBe('behind'); // the note is being sent
    await db.outbox.markDelivered(note!.id, now);
    expect(await db.outbox.claim(photo!.id, now)).toMatchObject({ message: { text: '照片' } });
  });

  it('keeps a relayed resident’s messages and their cadre’s own in one order: they share the cadre’s chat', async () => {
    const { db } = h.app;
    const now = new Date('2026-11-26T03:00:00Z');
    const [resident] = await db.dataSource.query(
      `INSERT INTO residents (name, village_id, relay_cadre_id, created_at, updated_at) VALUES ('周大爷', 'dongshan', 'c-luo-guoqiang', $1, $1) RETURNING id`,
      [now],
    );
    const [forHim, confirmation, forHimAgain] = await db.outbox.addAll(
      [
        { to: { residentId: resident.id }, text: '您的事项已办结' },
        { to: { cadreId: 'c-luo-guoqiang' }, text: '已办结' },
        { to: { residentId: resident.id }, text: '请评价' },
      ],
      now,
    );
    expect(await db.outbox.claim(confirmation!.id, now)).toBe('behind');
    expect(await db.outbox.claim(forHim!.id, now)).toMatchObject({ message: { text: '您的事项已办结' }, relayedResident: '周大爷' });
    await db.outbox.markDelivered(forHim!.id, now);
    expect(await db.outbox.claim(forHimAgain!.id, now)).toBe('behind');
    expect(await db.outbox.claim(confirmation!.id, now)).toMatchObject({ message: { text: '已办结' } });
    await db.outbox.markDelivered(confirmation!.id, now);
    expect(await db.outbox.claim(forHimAgain!.id, now)).toMatchObject({ message: { text: '请评价' } });
  });
});
