/**
 * Time limits: warnings before, escalation at the limit — each exactly once — with due times in
 * Postgres, so a flushed Redis loses no timer. Township 青山乡 (test/fixtures/qingshan):
 * farm cases of 青山村 go to 林 (q-farm-a), backup 吴 (q-farm-b), head 黄 (q-farm-head);
 * accept within 120 working minutes, working hours 09:00–12:00 and 13:00–17:00.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeQueues, startHarness, type Harness, type Person } from '../support/harness.js';
import { whileRowHeld } from '../support/race.js';

const qingshan = path.resolve(import.meta.dirname, '../fixtures/qingshan');
let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

interface Township {
  lin: Person;
  wu: Person;
  huang: Person;
  resident: Person;
}

/** A 青山村 resident raises a farm matter at `at`; returns the people involved and the case number. */
async function farmCase(harness: Harness, at: string): Promise<Township & { number: number }> {
  harness.clock.set(at);
  const people = {
    lin: await harness.cadre('q-farm-a'),
    wu: await harness.cadre('q-farm-b'),
    huang: await harness.cadre('q-farm-head'),
    resident: harness.resident('老周'),
  };
  await harness.query(
    `INSERT INTO residents (wechat_id, name, village_id, created_at, updated_at) VALUES ($1, '老周', 'qingshan', now(), now())`,
    [people.resident.contact.id],
  );
  people.resident.say('柑橘得了黄龙病，叶子发黄');
  const [ack] = await people.resident.waitForMessages(1);
  await people.lin.waitForMessages(1);
  return { ...people, number: Number(/#(\d+)/.exec(ack!)![1]) };
}

const caseRow = (harness: Harness, number: number) =>
  harness
    .query<{ assignee_id: string; sla_status: string; accept_due_at: Date; status: string }>(
      `SELECT assignee_id, sla_status, accept_due_at, status FROM cases WHERE number = $1`,
      [number],
    )
    .then((rows) => rows[0]!);

describe('the time-limit sweep', () => {
  it('warns the holder once before the accept limit, then escalates once at it', async () => {
    h = await startHarness({ configDir: qingshan });
    const { lin, wu, huang, number } = await farmCase(h, '2026-11-26T10:00:00+08:00');
    expect((await caseRow(h, number)).accept_due_at.toISOString()).toBe('2026-11-26T04:00:00.000Z'); // 12:00

    h.clock.set('2026-11-26T11:20:00+08:00');
    await h.app.worker!.sweep();
    await h.settle();
    expect(lin.received).toHaveLength(1); // nothing yet: the warning comes 30 minutes before

    h.clock.set('2026-11-26T11:31:00+08:00');
    await h.app.worker!.sweep();
    await h.app.worker!.sweep();
    await h.settle();
    expect(lin.received.slice(1)).toEqual([`【提醒】#${number} 将于 11月26日 12:00 到接单时限，请及时处理。`]);

    h.clock.set('2026-11-26T12:01:00+08:00');
    await h.app.worker!.sweep();
    await h.app.worker!.sweep();
    await h.settle();
    const row = await caseRow(h, number);
    expect(row).toMatchObject({ assignee_id: 'q-farm-b', sla_status: 'overdue', status: 'assigned' });
    expect(wu.received).toHaveLength(1);
    expect(wu.received[0]).toContain(`【新案件 #${number}】`);
    expect(wu.received[0]).toContain('原负责人林技术员超时未接单');
    expect(wu.received[0]).toContain('时限：尽快接单（原时限已过），'); // the limit it inherited has passed
    expect(huang.received).toEqual([
      // Whose matter it is, so the head knows the case without sending 超时.
      `【催办】#${number} 青山村 · 农业站：林技术员接单超时，已转由吴技术员办理。\n老周：柑橘得了黄龙病，叶子发黄\n督办请发：督办 ${number}；派单请发：派单 ${number} 干部姓名或部门`,
    ]);
    expect(lin.received.slice(2)).toEqual([`#${number} 超过接单时限，已改由吴技术员负责，您无需再办理。`]);

    // Later sweeps find nothing new to say about that limit.
    h.clock.set('2026-11-26T12:30:00+08:00');
    await h.app.worker!.sweep();
    await h.settle();
    expect(wu.received).toHaveLength(1);
    expect(huang.received).toHaveLength(1);
    const escalations = await h.count(
      `SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.number = $1 AND e.type = 'escalated'`,
      [number],
    );
    expect(escalations).toBe(1);
  });

  it('warns of an urgent case’s two limits coming up together in one message', async () => {
    h = await startHarness({ configDir: qingshan });
    h.clock.set('2026-11-28T20:00:00+08:00');
    const clinic = await h.cadre('q-clinic');
    const resident = h.resident('急');
    await h.query(`INSERT INTO residents (wechat_id, name, village_id, created_at, updated_at) VALUES ($1, '急', 'qingshan', now(), now())`, [
      resident.contact.id,
    ]);
    resident.say('家里老人昏迷了，要看病');
    const [ack] = await resident.waitForMessages(1);
    const number = Number(/#(\d+)/.exec(ack!)![1]);
    await clinic.waitForMessages(1);
    // Accept within 15 and answer within 30 wall-clock minutes: both are within the 30 minutes' warning.
    h.clock.set('2026-11-28T20:01:00+08:00');
    await h.app.worker!.sweep();
    await h.settle();
    expect(clinic.received.slice(1)).toEqual([`【提醒】#${number} 将于 11月28日 20:15 到接单时限、11月28日 20:30 到回复群众时限，请及时处理。`]);
    expect(await h.count(`SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.number = $1 AND e.type = 'warned'`, [number])).toBe(2);
  });

  it('gives the case to the head when the backup is on leave, and does not urge him about his own case', async () => {
    h = await startHarness({ configDir: qingshan });
    // Monday 30 Nov: 吴 (the backup) is on leave.
    const { lin, huang, number } = await farmCase(h, '2026-11-30T10:00:00+08:00');
    h.clock.set('2026-11-30T12:01:00+08:00');
    await h.app.worker!.sweep();
    await h.app.worker!.sweep();
    await h.settle();
    expect(await caseRow(h, number)).toMatchObject({ assignee_id: 'q-farm-head', sla_status: 'overdue' });
    expect(huang.received).toHaveLength(1);
    expect(huang.received[0]).toContain(`【新案件 #${number}】`);
    expect(huang.received[0]).toContain('原负责人林技术员超时未接单');
    expect(lin.received.at(-1)).toBe(`#${number} 超过接单时限，已改由黄站长负责，您无需再办理。`);
  });

  it('escalates on schedule after the township\'s Redis keys were wiped', async () => {
    h = await startHarness({ configDir: qingshan, schedules: { sweepEveryMs: 200, watchdogEveryMs: 200, relayEveryMs: 200 } });
    const { wu, huang, number } = await farmCase(h, '2026-11-26T10:00:00+08:00');
    await h.settle();

    // Every key of this township goes: queues, schedulers, completed jobs.
    await removeQueues(h.prefix);
    h.clock.set('2026-11-26T12:05:00+08:00');
    await wu.waitForMessages(1, 15_000);
    await huang.waitForMessages(1, 15_000);
    expect(await caseRow(h, number)).toMatchObject({ assignee_id: 'q-farm-b', sla_status: 'overdue' });
    await new Promise((r) => setTimeout(r, 800));
    expect(wu.received).toHaveLength(1);
    expect(huang.received).toHaveLength(1);
  });

  it('closes an unanswered callback as 未回访 once its time is up', async () => {
    h = await startHarness({ configDir: qingshan });
    const { lin, resident, number } = await farmCase(h, '2026-11-26T10:00:00+08:00');
    lin.say(`办结 ${number} 已上门指导喷药`);
    await resident.waitForMessages(2);
    h.clock.set('2026-11-29T09:59:00+08:00'); // 3 days (4320 minutes) not yet over
    await h.app.worker!.sweep();
    expect((await caseRow(h, number)).status).toBe('resolved');
    h.clock.set('2026-11-29T10:01:00+08:00');
    await h.app.worker!.sweep();
    const [row] = await h.query<{ status: string; rating: string; closed_at: Date }>(
      `SELECT status, rating, closed_at FROM cases WHERE number = $1`,
      [number],
    );
    expect(row).toEqual({ status: 'closed', rating: 'no-answer', closed_at: new Date('2026-11-29T02:01:00Z') });
    expect(await h.query(`SELECT dialog FROM residents WHERE name = '老周'`)).toEqual([{ dialog: null }]);
  });

  it('closes it without undoing what her own message at that moment asked (预约 at the rating question)', async () => {
    const harness = (h = await startHarness({ configDir: qingshan }));
    const { lin, resident, number } = await farmCase(harness, '2026-11-26T10:00:00+08:00');
    lin.say(`办结 ${number} 已上门指导喷药`);
    await resident.waitForMessages(2);
    const [row] = await harness.query<{ id: number }>(`SELECT id FROM residents WHERE name = '老周'`);
    harness.clock.set('2026-11-29T10:01:00+08:00');
    await whileRowHeld(harness, { table: 'residents', id: row!.id }, () => harness.app.worker!.sweep(), async (query) => {
      const booking = { kind: 'booking', step: 'service', expiresAt: '2026-11-29T02:31:00.000Z', options: ['farm-visit'] };
      await query(`UPDATE residents SET dialog = $2 WHERE id = $1`, [row!.id, JSON.stringify(booking)]);
    });
    expect((await caseRow(harness, number)).status).toBe('closed');
    expect(await harness.query(`SELECT dialog->>'kind' AS kind FROM residents WHERE id = $1`, [row!.id])).toEqual([{ kind: 'booking' }]);
  });
});

describe('limits in working time', () => {
  it('skips the National Day holiday', async () => {
    h = await startHarness({ configDir: qingshan });
    // Wed 30 Sep 16:00: one working hour left; 1–7 Oct are holidays; Thu 8 Oct 09:00 + 60 minutes.
    const { number } = await farmCase(h, '2026-09-30T16:00:00+08:00');
    expect((await caseRow(h, number)).accept_due_at.toISOString()).toBe('2026-10-08T02:00:00.000Z');
  });

  it('counts the 调休 Saturday as a working day', async () => {
    h = await startHarness({ configDir: qingshan });
    // Fri 9 Oct 16:30: 30 minutes left; Sat 10 Oct is a make-up workday: 09:00 + 90 minutes.
    const { number } = await farmCase(h, '2026-10-09T16:30:00+08:00');
    expect((await caseRow(h, number)).accept_due_at.toISOString()).toBe('2026-10-10T02:30:00.000Z');
  });
});
