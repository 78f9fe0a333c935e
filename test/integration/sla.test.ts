/**
 * Time limits: warnings before, escalation at the limit — each exactly once — with due times in
 * Postgres, so a flushed Redis loses no timer. Township 青山乡 (test/fixtures/qingshan):
 * farm cases of 青山村 go to 林 (q-farm-a), backup 吴 (q-farm-b), head 黄 (q-farm-head);
 * accept within 120 working minutes, working hours 09:00–12:00 and 13:00–17:00.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chat } from '../support/chat.js';
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

/** A resident called `name` (of 青山村 unless `village` says) writes `text`; returns her and the number of the case it opened. */
async function raise(harness: Harness, name: string, text: string, village = 'qingshan'): Promise<{ resident: Person; number: number }> {
  const resident = harness.resident(name);
  await harness.query(`INSERT INTO residents (wechat_id, name, village_id, created_at, updated_at) VALUES ($1, $2, $3, now(), now())`, [
    resident.contact.id,
    name,
    village,
  ]);
  resident.say(text);
  const [ack] = await resident.waitForMessages(1);
  return { resident, number: Number(/#(\d+)/.exec(ack!)![1]) };
}

/** 青山村 residents raise farm matters at `at`, one after the other: the farm people and the cases' numbers. */
async function farmCases(harness: Harness, at: string, matters: readonly [name: string, text: string][]) {
  harness.clock.set(at);
  const people = { lin: await harness.cadre('q-farm-a'), wu: await harness.cadre('q-farm-b'), huang: await harness.cadre('q-farm-head') };
  const cases = [];
  for (const [name, text] of matters) cases.push(await raise(harness, name, text));
  await people.lin.waitForMessages(matters.length);
  return { ...people, residents: cases.map((c) => c.resident), numbers: cases.map((c) => c.number) };
}

/** A 青山村 resident raises a farm matter at `at`; returns the people involved and the case number. */
async function farmCase(harness: Harness, at: string): Promise<Township & { number: number }> {
  const { residents, numbers, ...cadres } = await farmCases(harness, at, [['老周', '柑橘得了黄龙病，叶子发黄']]);
  return { ...cadres, resident: residents[0]!, number: numbers[0]! };
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
    const { number } = await raise(h, '急', '家里老人昏迷了，要看病');
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

describe('several cases of one cadre in one sweep', () => {
  const { news } = chat((started) => (h = started));
  const hourly = { sweepEveryMs: 3_600_000, watchdogEveryMs: 3_600_000 };
  const threeMatters: [string, string][] = [
    ['老周', '柑橘得了黄龙病，叶子发黄'],
    ['老李', '柑橘叶子黄了，怕是黄龙病'],
    ['老王', '黄龙病的树要不要砍'],
  ];
  const sweepAt = async (at: string) => {
    h!.clock.set(at);
    await h!.app.worker!.sweep();
    await h!.settle();
  };

  it('warns the holder in one 【提醒】, a line each, gives them to the backup in one 【新案件】, and says neither again', async () => {
    h = await startHarness({ configDir: qingshan, schedules: hourly });
    const { lin, wu, huang, numbers } = await farmCases(h, '2026-11-26T10:00:00+08:00', threeMatters);
    const [a, b, c] = numbers;
    for (const p of [lin, wu, huang]) news(p);

    await sweepAt('2026-11-26T11:31:00+08:00');
    expect(news(lin)).toEqual([
      `【提醒】3 件快到时限，请及时处理：\n` +
        `#${a} 青山村 12:00 前接单 · 老周：柑橘得了黄龙病，叶子发黄\n` +
        `#${b} 青山村 12:00 前接单 · 老李：柑橘叶子黄了，怕是黄龙病\n` +
        `#${c} 青山村 12:00 前接单 · 老王：黄龙病的树要不要砍\n` +
        `接单请发：接单 ${a} ${b} ${c}`,
    ]);
    await sweepAt('2026-11-26T11:40:00+08:00');
    expect(news(lin)).toEqual([]);

    await sweepAt('2026-11-26T12:01:00+08:00');
    expect(news(wu)).toEqual([
      `【新案件】3 件超时未接单，转由您办理：\n` +
        `#${a} 青山村 原林技术员，15:00 前回复群众 · 老周：柑橘得了黄龙病，叶子发黄\n` +
        `#${b} 青山村 原林技术员，15:00 前回复群众 · 老李：柑橘叶子黄了，怕是黄龙病\n` +
        `#${c} 青山村 原林技术员，15:00 前回复群众 · 老王：黄龙病的树要不要砍\n` +
        `接单请发：接单 ${a} ${b} ${c}`,
    ]);
    expect(news(huang)).toEqual([expect.stringMatching(/^【催办】农业站 3 件超时：\n/)]);
    expect(news(lin)).toHaveLength(3); // each "已改由吴技术员负责，您无需再办理", as before
    await sweepAt('2026-11-26T12:10:00+08:00');
    expect([news(lin), news(wu), news(huang)]).toEqual([[], [], []]);
    expect(await h.count(`SELECT count(*) FROM sla_alerts`)).toBe(6); // a warning and an escalation each

    // The line to send takes them all.
    wu.say(`接单 ${a} ${b} ${c}`);
    await wu.waitForMessages(2);
    expect(await h.count(`SELECT count(*) FROM cases WHERE status = 'accepted' AND assignee_id = 'q-farm-b'`)).toBe(3);
  });

  it('gives a head who holds them now one 【新案件】 to place or take, the resident’s words after it', async () => {
    h = await startHarness({ configDir: qingshan, schedules: hourly });
    // Monday 30 Nov: 吴 (the backup) is on leave, so the head takes what 林 lets lapse.
    const { lin, huang, residents, numbers } = await farmCases(h, '2026-11-30T10:00:00+08:00', threeMatters.slice(0, 2));
    const [a, b] = numbers;
    h.clock.set('2026-11-30T10:30:00+08:00');
    residents[0]!.say('树上的叶子越来越黄了');
    await residents[0]!.waitForMessages(2);
    await lin.waitForMessages(3);
    news(huang);

    await sweepAt('2026-11-30T12:01:00+08:00');
    expect(news(huang)).toEqual([
      `【新案件】2 件超时未接单，转由您办理：\n` +
        `#${a} 青山村 原林技术员，15:00 前回复群众 · 老周：柑橘得了黄龙病，叶子发黄\n` +
        `#${b} 青山村 原林技术员，15:00 前回复群众 · 老李：柑橘叶子黄了，怕是黄龙病\n` +
        `派单请发：派单 ${a} 干部姓名或部门；自己办理请发：接单 ${a} ${b}`,
      `【#${a} 群众补充】青山村 老周：树上的叶子越来越黄了`,
    ]);
    await sweepAt('2026-11-30T12:10:00+08:00');
    expect(news(huang)).toEqual([]);
  });

  it('tells an urgent case alone, with its full message, and the others in one', async () => {
    h = await startHarness({ configDir: qingshan, schedules: hourly });
    const clinic = await h.cadre('q-clinic');
    // Normal: accept within 60 working minutes (11:00). Urgent: within 15 and answer within 30 minutes.
    h.clock.set('2026-11-26T10:00:00+08:00');
    const { number: x } = await raise(h, '小赵', '发烧三天了，想来看病');
    const { number: y } = await raise(h, '小钱', '医保报销要带什么');
    h.clock.set('2026-11-26T10:20:00+08:00');
    const { number: u } = await raise(h, '小孙', '家里老人昏迷了，要看病');
    await clinic.waitForMessages(3);
    news(clinic);

    await sweepAt('2026-11-26T10:31:00+08:00');
    expect(news(clinic)).toEqual([
      `【提醒】#${u} 将于 11月26日 10:35 到接单时限、11月26日 10:50 到回复群众时限，请及时处理。`,
      `【提醒】2 件快到时限，请及时处理：\n` +
        `#${x} 青山村 11:00 前接单 · 小赵：发烧三天了，想来看病\n` +
        `#${y} 青山村 11:00 前接单 · 小钱：医保报销要带什么\n` +
        `接单请发：接单 ${x} ${y}`,
    ]);
    // The urgent one's row names its case (it wakes a cadre at night); the list's names none.
    expect(await h.query(`SELECT case_id IS NOT NULL AS of_case FROM outbound_messages WHERE text LIKE '【提醒】%' ORDER BY id`)).toEqual([
      { of_case: true },
      { of_case: false },
    ]);
  });

  it('tells each case alone once when a failing case sends the batch back case by case, and nothing twice after', async () => {
    const harness = (h = await startHarness({ configDir: qingshan, schedules: hourly }));
    const { lin, numbers } = await farmCases(harness, '2026-11-26T10:00:00+08:00', threeMatters);
    const [a, b, c] = numbers;
    news(lin);
    // #c's alert cannot be written: its sweep fails every time, after #a's and #b's were held for the list.
    const [row] = await harness.query<{ id: number }>(`SELECT id FROM cases WHERE number = $1`, [c]);
    await harness.query(`CREATE FUNCTION fail_alert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'broken case'; END $$`);
    await harness.query(`CREATE TRIGGER fail_alert BEFORE INSERT ON sla_alerts FOR EACH ROW WHEN (NEW.case_id = ${row!.id}) EXECUTE FUNCTION fail_alert()`);
    harness.clock.set('2026-11-26T11:31:00+08:00');
    await expect(harness.app.worker!.sweep()).rejects.toThrow(/broken case/);
    await harness.settle();
    expect(news(lin)).toEqual([
      `【提醒】#${a} 将于 11月26日 12:00 到接单时限，请及时处理。`,
      `【提醒】#${b} 将于 11月26日 12:00 到接单时限，请及时处理。`,
    ]);

    await harness.query(`DROP TRIGGER fail_alert ON sla_alerts`);
    await sweepAt('2026-11-26T11:32:00+08:00');
    expect(news(lin)).toEqual([`【提醒】#${c} 将于 11月26日 12:00 到接单时限，请及时处理。`]);
    await sweepAt('2026-11-26T11:33:00+08:00');
    expect(news(lin)).toEqual([]);
  });

  it('sweeps a holder’s cases in one batch where they fit, when his department has more due than a batch takes', async () => {
    h = await startHarness({ configDir: qingshan, schedules: hourly });
    const lin = await h.cadre('q-farm-a'); // 青山村
    const wu = await h.cadre('q-farm-b'); // 白石村
    // 22 cases, the two villages' in turn: a batch of 20 in id order would split each holder's 11.
    h.clock.set('2026-11-26T10:00:00+08:00');
    for (let i = 1; i <= 11; i++) {
      await raise(h, `青山${i}`, '柑橘得了黄龙病，叶子发黄');
      await raise(h, `白石${i}`, '柑橘得了黄龙病，叶子发黄', 'baishi');
    }
    await h.settle();
    news(lin);
    news(wu);
    await sweepAt('2026-11-26T11:31:00+08:00');
    for (const holder of [lin, wu]) {
      const got = news(holder);
      expect(got).toHaveLength(1);
      expect(got[0]).toMatch(/^【提醒】11 件快到时限，请及时处理：\n/);
    }
  });

  it('offers the office, whose cases are its to place, 派单 before 接单 in its 【提醒】', async () => {
    h = await startHarness({ configDir: qingshan, schedules: hourly });
    const office = await h.cadre('q-office');
    h.clock.set('2026-11-26T10:00:00+08:00');
    // Matters no department's words fit, left to the office ("0 不清楚" at the menu).
    const numbers: number[] = [];
    for (const [name, text] of [['老赵', '村口那棵树要倒了'], ['老钱', '想问问那个补贴的事情']] as const) {
      const resident = h.resident(name);
      await h.query(`INSERT INTO residents (wechat_id, name, village_id, created_at, updated_at) VALUES ($1, $2, 'qingshan', now(), now())`, [resident.contact.id, name]);
      resident.say(text);
      await resident.waitForMessages(1);
      resident.say('0');
      const [, ack] = await resident.waitForMessages(2);
      numbers.push(Number(/#(\d+)/.exec(ack!)![1]));
    }
    await office.waitForMessages(2);
    news(office);
    const [a, b] = numbers;

    // The office's accept limit is 60 working minutes: 11:00.
    await sweepAt('2026-11-26T10:31:00+08:00');
    expect(news(office)).toEqual([
      `【提醒】2 件快到时限，请及时处理：\n` +
        `#${a} 青山村 11:00 前接单 · 老赵：村口那棵树要倒了\n` +
        `#${b} 青山村 11:00 前接单 · 老钱：想问问那个补贴的事情\n` +
        `派单请发：派单 ${a} 干部姓名或部门；自己办理请发：接单 ${a} ${b}`,
    ]);
  });

  it('offers a head who got the cases to place (nobody of his station on duty) 派单 before 接单 in his 【提醒】', async () => {
    h = await startHarness({ configDir: qingshan, schedules: hourly });
    const huang = await h.cadre('q-farm-head');
    // Saturday 28 Nov: the farm roster has nobody on duty, so routing gives the matters to the head.
    h.clock.set('2026-11-28T10:00:00+08:00');
    const { number: a } = await raise(h, '老周', '柑橘得了黄龙病，叶子发黄');
    const { number: b } = await raise(h, '老李', '柑橘叶子黄了，怕是黄龙病');
    expect((await huang.waitForMessages(2)).map((m) => m.split('\n').at(-1))).toEqual([
      `派单请发：派单 ${a} 干部姓名或部门；自己办理请发：接单 ${a}`,
      `派单请发：派单 ${b} 干部姓名或部门；自己办理请发：接单 ${b}`,
    ]);
    news(huang);

    // Accept within 120 working minutes: Monday 30 Nov 11:00.
    await sweepAt('2026-11-30T10:31:00+08:00');
    expect(news(huang)).toEqual([
      `【提醒】2 件快到时限，请及时处理：\n` +
        `#${a} 青山村 11:00 前接单 · 老周：柑橘得了黄龙病，叶子发黄\n` +
        `#${b} 青山村 11:00 前接单 · 老李：柑橘叶子黄了，怕是黄龙病\n` +
        `派单请发：派单 ${a} 干部姓名或部门；自己办理请发：接单 ${a} ${b}`,
    ]);
  });

  it('dates the times of a list written at night: it is read the next morning', async () => {
    h = await startHarness({ configDir: qingshan, schedules: hourly });
    const { lin, numbers } = await farmCases(h, '2026-11-26T10:00:00+08:00', threeMatters.slice(0, 2));
    const [a, b] = numbers;
    lin.say(`接单 ${a} ${b}`);
    await lin.waitForMessages(3);
    news(lin);

    // No sweep since the morning (the worker was down): at 22:30 both answers are found late,
    // their limit 15:00 of the day before by the time 林 reads it.
    await sweepAt('2026-11-26T22:30:00+08:00');
    expect(news(lin)).toEqual([]);
    h.clock.set('2026-11-27T07:00:00+08:00');
    await h.app.worker!.relayOutbox();
    await h.settle();
    expect(news(lin)).toEqual([
      `【超时】2 件已超过时限，请尽快处理：\n` +
        `#${a} 青山村 回复群众超时（时限 11月26日 15:00） · 老周：柑橘得了黄龙病，叶子发黄\n` +
        `#${b} 青山村 回复群众超时（时限 11月26日 15:00） · 老李：柑橘叶子黄了，怕是黄龙病\n` +
        `转告群众请发：回复 ${a} 内容`,
    ]);
  });

  /** 林's three cases, accepted at once, all found late at 22:30 (no sweep since the morning): his 【超时】 and 黄's 【催办】 wait for 07:00. */
  async function lateAtNight(harness: Harness) {
    const people = await farmCases(harness, '2026-11-26T10:00:00+08:00', threeMatters);
    const office = await harness.cadre('q-office');
    people.lin.say(`接单 ${people.numbers.join(' ')}`);
    await people.lin.waitForMessages(4);
    for (const p of [people.lin, people.wu, people.huang, office]) news(p);
    await sweepAt('2026-11-26T22:30:00+08:00');
    expect(await harness.count(`SELECT count(*) FROM outbound_messages WHERE status = 'held' AND text ~ '^【(超时|催办)】'`)).toBe(2);
    return { ...people, office };
  }

  it('takes out of a list held for the morning the cases given to someone else or closed meanwhile', async () => {
    const harness = (h = await startHarness({ configDir: qingshan, schedules: hourly }));
    const { lin, huang, office, numbers } = await lateAtNight(harness);
    const [a, b, c] = numbers;
    h.clock.set('2026-11-26T23:00:00+08:00');
    office.say(`派单 ${a} 吴技术员`);
    await office.waitForMessages(1);
    office.say(`办结 ${b} 已电话答复`);
    await office.waitForMessages(2);
    await h.settle();

    h.clock.set('2026-11-27T07:00:00+08:00');
    await h.app.worker!.relayOutbox();
    await h.app.worker!.relayOutbox();
    await h.settle();
    // #c alone is left of 林's list: its own message, as a single case's.
    expect(news(lin).filter((m) => m.startsWith('【超时】'))).toEqual([`【超时】#${c} 已超过回复群众时限，请尽快处理。`]);
    // 黄's 【催办】 keeps #a (林 was late on it all the same), not #b, closed.
    expect(news(huang)).toEqual([
      `【催办】农业站 2 件超时：\n` +
        `#${a} 青山村 林技术员回复群众超时 · 老周：柑橘得了黄龙病，叶子发黄\n` +
        `#${c} 青山村 林技术员回复群众超时 · 老王：黄龙病的树要不要砍\n` +
        `督办请发：督办 ${a}；派单请发：派单 ${a} 干部姓名或部门`,
    ]);
  });

  it('drops a list held for the morning when none of its cases is his any more', async () => {
    const harness = (h = await startHarness({ configDir: qingshan, schedules: hourly }));
    const { lin, office, numbers } = await lateAtNight(harness);
    h.clock.set('2026-11-26T23:00:00+08:00');
    for (const number of numbers) {
      office.say(`派单 ${number} 吴技术员`);
      await office.waitForMessages(office.received.length + 1);
    }
    await h.settle();
    h.clock.set('2026-11-27T07:00:00+08:00');
    await h.app.worker!.relayOutbox();
    await h.settle();
    // He had taken the cases: that they went to 吴 he reads, not the list of them.
    expect(news(lin)).toEqual(numbers.map((n) => `#${n} 已改由吴技术员负责，您无需再办理。`));
    expect(await h.query(`SELECT status, last_error FROM outbound_messages WHERE cadre_id = 'q-farm-a' AND text LIKE '【超时】%'`)).toEqual([
      { status: 'failed', last_error: expect.stringMatching(/^superseded/) },
    ]);
  });

  it('gives a cadre who writes at night his held list without the cases no longer his, before the answer', async () => {
    const harness = (h = await startHarness({ configDir: qingshan, schedules: hourly }));
    const { lin, office, numbers } = await lateAtNight(harness);
    const [a, b, c] = numbers;
    h.clock.set('2026-11-26T23:00:00+08:00');
    office.say(`派单 ${a} 吴技术员`);
    await office.waitForMessages(1);
    h.clock.set('2026-11-26T23:10:00+08:00');
    lin.say('任务');
    await lin.waitForMessages(lin.received.length + 3);
    await h.settle();
    const [list, moved, tasks] = news(lin);
    expect(list).toBe(
      `【超时】2 件已超过时限，请尽快处理：\n` +
        `#${b} 青山村 回复群众超时（时限 11月26日 15:00） · 老李：柑橘叶子黄了，怕是黄龙病\n` +
        `#${c} 青山村 回复群众超时（时限 11月26日 15:00） · 老王：黄龙病的树要不要砍\n` +
        `转告群众请发：回复 ${b} 内容`,
    );
    expect(moved).toBe(`#${a} 已改由吴技术员负责，您无需再办理。`);
    expect(tasks).toMatch(/^您的待办/);
    h.clock.set('2026-11-27T07:00:00+08:00');
    await h.app.worker!.relayOutbox();
    await h.settle();
    expect(news(lin)).toEqual([]);
  });

  it('sends the list once when two workers sweep at the same moment', async () => {
    const harness = (h = await startHarness({ configDir: qingshan, schedules: hourly }));
    const { lin, numbers } = await farmCases(harness, '2026-11-26T10:00:00+08:00', threeMatters.slice(0, 2));
    const other = await harness.startApp({ roles: ['worker'], schedules: hourly });
    news(lin);
    const [row] = await harness.query<{ id: number }>(`SELECT id FROM cases WHERE number = $1`, [numbers[0]]);
    harness.clock.set('2026-11-26T11:31:00+08:00');
    // Both workers wait for the first case, then race for the batch.
    await whileRowHeld(harness, { table: 'cases', id: row!.id }, () => Promise.all([harness.app.worker!.sweep(), other.worker!.sweep()]), async () => {}, 2);
    await harness.settle();
    expect(news(lin)).toEqual([expect.stringMatching(/^【提醒】2 件快到时限，请及时处理：\n/)]);
    expect(await harness.count(`SELECT count(*) FROM sla_alerts`)).toBe(2);
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
