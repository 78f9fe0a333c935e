/**
 * The cadre loop, end to end through wechaty-puppet-mock: residents write, cadres work the
 * case in chat (接单 回复 办结 转派 退单 延期 派单 督办 任务 超时 绑定), residents rate it.
 * Every step checks what each person received and what Postgres holds.
 *
 * Each describe gets its own harness (database, queues, clock), so case numbers start at
 * #1001 and the clock moves forward only within one describe. The SLA sweep is scheduled
 * hourly here, so jumping the test clock never triggers an escalation behind a test's back.
 *
 * Working time of 东山办事处: 08:30–12:00 and 14:30–17:30 on Chinese workdays (390 min a day).
 * 26 Nov 2026 is a Thursday; 27 Nov a Friday; 28–29 Nov a weekend; no holiday until 2027.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { types } from 'wechaty';
import type { Harness, Person } from '../support/harness.js';
import { whileRowHeld } from '../support/race.js';
import { chat, t } from '../support/chat.js';

// ── Helpers ────────────────────────────────────────────────────────────────────────────────

let h: Harness;
const { useHarness, news, bind, resident, contact, deliver, send, sendPhoto, sendAt, openCase } = chat((started) => (h = started));

interface CaseRow {
  id: number;
  number: number;
  status: string;
  department_id: string;
  assignee_id: string | null;
  assignee_role: string | null;
  dispatched_at: Date | null;
  assigned_at: Date | null;
  accepted_at: Date | null;
  first_response_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  rated_at: Date | null;
  accept_due_at: Date | null;
  first_response_due_at: Date | null;
  resolve_due_at: Date | null;
  callback_due_at: Date | null;
  response_minutes: number | null;
  response_working_minutes: number | null;
  resolution_minutes: number | null;
  resolution_working_minutes: number | null;
  resolution_note: string | null;
  rating: string | null;
  rating_comment: string | null;
  reopen_count: number;
  sla_status: string;
  extension_request: { cadreId: string; days: number; reason: string; at: string } | null;
  updated_at: Date;
}

async function caseRow(number: number): Promise<CaseRow> {
  const [row] = await h.query<CaseRow>(
    `SELECT c.*, d.role AS assignee_role FROM cases c LEFT JOIN cadres d ON d.id = c.assignee_id WHERE c.number = $1`,
    [number],
  );
  if (!row) throw new Error(`no case #${number}`);
  return row;
}

interface EventRow {
  type: string;
  actor_type: string;
  actor_id: string | null;
  at: Date;
  data: Record<string, unknown>;
}

function events(number: number): Promise<EventRow[]> {
  return h.query<EventRow>(
    `SELECT e.type, e.actor_type, e.actor_id, e.at, e.data FROM case_events e JOIN cases c ON c.id = e.case_id
     WHERE c.number = $1 ORDER BY e.id`,
    [number],
  );
}

const eventTypes = async (number: number) => (await events(number)).map((e) => e.type);

/** Everything a command could change about a case: its row, its events, its messages. */
async function snapshot(number: number) {
  const row = await caseRow(number);
  return {
    row,
    events: await events(number),
    outbound: await h.count(`SELECT count(*) FROM outbound_messages WHERE case_id = $1`, [row.id]),
  };
}

/** The rows of messages sent to a cadre, oldest first. */
const outboundTo = (cadreId: string) =>
  h.query<{ status: string; last_error: string | null; text: string }>(
    `SELECT status, last_error, text FROM outbound_messages WHERE cadre_id = $1 ORDER BY id`,
    [cadreId],
  );

const notYours = (n: number) => `#${n} 不由您负责，不能办理。如需调整，请联系部门负责人或办公室。`;
const supervisorsOnly = '这条指令只有部门负责人和办公室可以使用。';
const officeOnly = '这条指令只有办公室可以使用。';

// ── 1. The whole loop ──────────────────────────────────────────────────────────────────────

describe('accept → reply → resolve → satisfied', () => {
  useHarness();
  let he: Person; // 贺建军, 农技员 on duty for 东台村 (area B)
  let wang: Person;

  beforeAll(async () => {
    he = await bind('c-he-jianjun');
  });

  it('tells both sides every step and records times and durations that match the script', async () => {
    wang = await resident('王大妈', 'dongtai');

    // Thu 11:00: dispatched. Limits of 农技站 (working minutes): accept 120, respond 240,
    // resolve 1170. 11:00 + 120 → 60 before lunch + 60 after → 15:30; + 240 → 17:30;
    // + 1170 → Thu 240 + Fri 390 + Mon 390 + Tue 150 → Tue 1 Dec 11:00.
    h.clock.set(t('2026-11-26T11:00'));
    await send(wang, '我家秧苗发黄，是不是病虫害');
    expect(news(wang)).toEqual([
      '已受理，编号 #1001。\n由农技站贺建军（农技员）负责，预计 11月26日 17:30 前联系您。\n有补充请直接留言。',
    ]);
    expect(news(he)).toEqual([
      '【新案件 #1001】东台村 · 农技站\n群众：王大妈\n内容：我家秧苗发黄，是不是病虫害\n收到：11月26日 11:00\n' +
        '时限：11月26日 15:30 前接单，11月26日 17:30 前回复群众，12月1日 11:00 前办结。\n接单请发：接单 1001',
    ]);

    await sendAt('2026-11-26T11:40', he, '接单 1001');
    expect(news(wang)).toEqual(['您的事项 #1001 已由农技站贺建军接单，会尽快和您联系。']);
    expect(news(he)).toEqual(['已接单 #1001（王大妈）。转告群众请发：回复 1001 内容']);

    // After lunch: the first message to the resident.
    await sendAt('2026-11-26T15:10', he, '回复 #1001 明天上午我到田里看看');
    expect(news(wang)).toEqual(['【农技站 贺建军】明天上午我到田里看看\n（#1001，直接留言即可回复）']);
    expect(news(he)).toEqual(['已转告 #1001 的群众王大妈。']);

    // Next morning, after a night.
    await sendAt('2026-11-27T09:15', he, '办结 1001 已现场查看，是缺肥，已指导追施尿素');
    expect(news(wang)).toEqual([
      '您的事项 #1001 已由农技站贺建军办结：已现场查看，是缺肥，已指导追施尿素\n请您评价：回复 1 满意，2 基本满意，3 不满意（可附上意见）。',
    ]);
    expect(news(he)).toEqual(['已办结 #1001（王大妈），已请群众评价。有现场照片可直接发来，会转给群众。误发了请发：撤销办结 1001']);
    const resolved = await caseRow(1001);
    expect(resolved.status).toBe('resolved');
    // callbackTimeoutMinutes defaults to 4320 (3 days, wall clock).
    expect(resolved.callback_due_at).toEqual(t('2026-11-30T09:15'));

    await sendAt('2026-11-27T10:05', wang, '1');
    expect(news(wang)).toEqual(['谢谢您的评价！有事随时留言。']);
    expect(news(he)).toEqual(['#1001 群众评价：满意']);

    const row = await caseRow(1001);
    expect(row).toMatchObject({
      status: 'closed',
      rating: 'satisfied',
      rating_comment: null,
      assignee_id: 'c-he-jianjun',
      department_id: 'nongjizhan',
      resolution_note: '已现场查看，是缺肥，已指导追施尿素',
      reopen_count: 0,
      sla_status: 'on-time',
      callback_due_at: null,
      dispatched_at: t('2026-11-26T11:00'),
      accepted_at: t('2026-11-26T11:40'),
      first_response_at: t('2026-11-26T15:10'),
      resolved_at: t('2026-11-27T09:15'),
      closed_at: t('2026-11-27T10:05'),
      rated_at: t('2026-11-27T10:05'),
      accept_due_at: t('2026-11-26T15:30'),
      first_response_due_at: t('2026-11-26T17:30'),
      resolve_due_at: t('2026-12-01T11:00'),
      // 11:00 → 15:10 = 4 h 10 min; working: 11:00–12:00 (60) + 14:30–15:10 (40).
      response_minutes: 250,
      response_working_minutes: 100,
      // Thu 11:00 → Fri 09:15 = 22 h 15 min; working: Thu 60 + 180, Fri 08:30–09:15 (45).
      resolution_minutes: 1335,
      resolution_working_minutes: 285,
    });

    const log = await events(1001);
    expect(log.map((e) => [e.type, e.actor_type, e.actor_id])).toEqual([
      ['created', 'resident', expect.any(String)],
      ['assigned', 'system', null],
      ['accepted', 'cadre', 'c-he-jianjun'],
      ['replied', 'cadre', 'c-he-jianjun'],
      ['resolved', 'cadre', 'c-he-jianjun'],
      ['rated', 'resident', expect.any(String)],
      ['closed', 'system', null],
    ]);
    expect(log.map((e) => e.at)).toEqual([
      t('2026-11-26T11:00'),
      t('2026-11-26T11:00'),
      t('2026-11-26T11:40'),
      t('2026-11-26T15:10'),
      t('2026-11-27T09:15'),
      t('2026-11-27T10:05'),
      t('2026-11-27T10:05'),
    ]);
    expect(log[3]!.data).toEqual({ text: '明天上午我到田里看看' });
    expect(log[5]!.data).toEqual({ rating: 'satisfied', comment: '' });

    const [who] = await h.query<{ dialog: unknown }>(`SELECT dialog FROM residents WHERE name = '王大妈'`);
    expect(who!.dialog).toBeNull();
    const outcomes = await h.query<{ outcome: string; case_id: number | null }>(
      `SELECT m.outcome, m.case_id FROM inbound_messages m JOIN residents r ON r.id = m.resident_id WHERE r.name = '王大妈' ORDER BY m.id`,
    );
    expect(outcomes).toEqual([
      { outcome: 'case-opened', case_id: row.id },
      { outcome: 'rated', case_id: row.id },
    ]);
    const undelivered = await h.count(`SELECT count(*) FROM outbound_messages WHERE status <> 'delivered'`);
    expect(undelivered).toBe(0);
  });

  it('answers thanks after the case is closed kindly, and opens no case from them', async () => {
    for (const thanks of ['谢谢！', '好的好的', '👍', '[抱拳]']) {
      await sendAt('2026-11-27T10:10', wang, thanks);
      expect(news(wang), thanks).toEqual(['不客气！有事随时留言，我们会转给负责的同志。']);
    }
    expect(news(he)).toEqual([]);
    expect(await h.count(`SELECT count(*) FROM cases`)).toBe(1);
    const outcomes = await h.query<{ outcome: string }>(`SELECT outcome FROM inbound_messages WHERE text IN ('谢谢！', '好的好的', '👍', '[抱拳]')`);
    expect(outcomes.map((o) => o.outcome)).toEqual(['pleasantry', 'pleasantry', 'pleasantry', 'pleasantry']);

    // A photo the day after (the invoice the cadre asked for) goes to the cadre who did the case.
    h.clock.set(t('2026-11-27T10:15'));
    await sendPhoto(wang, 'invoice.jpg');
    expect(news(wang)).toEqual(['收到，已转给负责 #1001 的贺建军。']);
    expect(news(he)).toEqual(['【#1001 群众补充】东台村 王大妈发来图片，见下条。', '[文件] invoice.jpg']);
    expect(await h.count(`SELECT count(*) FROM cases`)).toBe(1);

    // Thanks with a matter in it is a matter.
    await sendAt('2026-11-27T10:20', wang, '谢谢，我家秧苗又发黄了');
    expect(news(wang)[0]).toContain('已受理，编号 #1002。');
  });
});

describe('接单 N 话 — accepting with words for the resident', () => {
  useHarness();
  let he: Person;
  let lu: Person;

  it('accepts and sends the words as the first reply; again after accepting, the words still go', async () => {
    he = await bind('c-he-jianjun');
    lu = await resident('卢大伯', 'dongtai');
    h.clock.set(t('2026-11-26T09:00'));
    const n = await openCase(lu, '秧苗发黄是不是病虫害');
    news(he);

    await sendAt('2026-11-26T09:20', he, `接单 ${n} 马上到，先别打药`);
    expect(news(lu)).toEqual([
      `您的事项 #${n} 已由农技站贺建军接单，会尽快和您联系。`,
      `【农技站 贺建军】马上到，先别打药\n（#${n}，直接留言即可回复）`,
    ]);
    expect(news(he)).toEqual([`已接单 #${n}（卢大伯），并已转告群众。`]);
    expect(await caseRow(n)).toMatchObject({ status: 'accepted', accepted_at: t('2026-11-26T09:20'), first_response_at: t('2026-11-26T09:20') });
    expect((await events(n)).map((e) => [e.type, e.data])).toEqual([
      ['created', expect.anything()],
      ['assigned', expect.anything()],
      ['accepted', {}],
      ['replied', { text: '马上到，先别打药' }],
    ]);

    await sendAt('2026-11-26T09:30', he, `接单 ${n}，到村口了`);
    expect(news(lu)).toEqual([`【农技站 贺建军】到村口了\n（#${n}，直接留言即可回复）`]);
    expect(news(he)).toEqual([`已转告 #${n} 的群众卢大伯。`]);
    await send(he, `接单 ${n}`);
    expect(news(he)).toEqual([`#${n} 您已接单。`]);
    expect(news(lu)).toEqual([]);
  });

  it('tidies the spaces a phone leaves before Chinese punctuation in the words and the 办结 note', async () => {
    await sendAt('2026-11-26T10:00', he, '回复 1001 下午两点到 ，请在家等 。');
    expect(news(lu)).toEqual(['【农技站 贺建军】下午两点到，请在家等。\n（#1001，直接留言即可回复）']);
    await sendAt('2026-11-26T10:30', he, '办结 1001 已处理 .');
    expect(news(lu)[0]).toBe('您的事项 #1001 已由农技站贺建军办结：已处理\n请您评价：回复 1 满意，2 基本满意，3 不满意（可附上意见）。');
    expect((await caseRow(1001)).resolution_note).toBe('已处理');
  });
});

// ── 2. Unsatisfied twice ───────────────────────────────────────────────────────────────────

describe('"3 没修好" twice', () => {
  useHarness();
  let kong: Person; // 孔卫东, 城建专干 on duty for 东台村 (南片)
  let zhou: Person; // 周丽华, office dispatcher
  let tan: Person; // 谭晓燕, office dispatcher

  beforeAll(async () => {
    kong = await bind('c-kong-weidong');
    zhou = await bind('c-zhou-lihua');
    tan = await bind('c-tan-xiaoyan');
  });

  it('reopens to the same cadre with a fresh limit, then sends the case to the office for review', async () => {
    const zhao = await resident('赵叔', 'dongtai');
    h.clock.set(t('2026-11-26T09:00'));
    expect(await openCase(zhao, '村口路灯坏了一个星期了')).toBe(1001);
    // 城建办 resolve limit: 3900 working minutes = 10 working days → Thu 10 Dec 09:00.
    expect((await caseRow(1001)).resolve_due_at).toEqual(t('2026-12-10T09:00'));
    await sendAt('2026-11-26T09:10', kong, '接单 1001');
    await sendAt('2026-11-26T09:20', kong, '办结 1001 已报修');
    news(zhao);
    news(kong);

    // First 不满意 at 10:00: same cadre, fresh resolve limit of 10 working days from now.
    await sendAt('2026-11-26T10:00', zhao, '3 没修好');
    expect(news(zhao)).toEqual(['已把 #1001 重新交给孔卫东办理，我们会跟进。']);
    // Said once: the reopening carries the rating's comment.
    expect(news(kong)).toEqual(['【#1001 群众不满意，已重新打开】意见：没修好。请在 12月10日 10:00 前办结。']);
    expect(news(zhou)).toEqual([]);
    let row = await caseRow(1001);
    expect(row).toMatchObject({
      status: 'accepted',
      assignee_id: 'c-kong-weidong',
      department_id: 'chengjianban',
      reopen_count: 1,
      rating: 'unsatisfied',
      rating_comment: '没修好',
      resolved_at: null,
      resolution_minutes: null,
      resolution_working_minutes: null,
      resolve_due_at: t('2026-12-10T10:00'),
      sla_status: 'on-time',
      closed_at: null,
    });

    await sendAt('2026-11-26T10:30', kong, '办结 1001 已更换灯泡');
    expect(news(kong)).toEqual(['已办结 #1001（赵叔），已请群众评价。有现场照片可直接发来，会转给群众。误发了请发：撤销办结 1001']);
    expect(news(zhao)).toEqual([
      '您的事项 #1001 已由城建办孔卫东办结：已更换灯泡\n请您评价：回复 1 满意，2 基本满意，3 不满意（可附上意见）。',
    ]);
    expect((await caseRow(1001)).resolution_minutes).toBe(90); // from the first dispatch at 09:00

    // Second 不满意 at 11:00: an office dispatcher reviews it, with fresh limits of the department.
    await sendAt('2026-11-26T11:00', zhao, '不满意的 还是没修好'); // the 的 is no comment
    row = await caseRow(1001);
    expect(row).toMatchObject({
      status: 'assigned',
      assignee_role: 'office',
      department_id: 'chengjianban',
      reopen_count: 2,
      rating: 'unsatisfied',
      rating_comment: '还是没修好',
      resolved_at: null,
      accepted_at: null,
      assigned_at: t('2026-11-26T11:00'),
      dispatched_at: t('2026-11-26T09:00'),
      // 城建办 accept 240 from 11:00 → 60 before lunch + 180 after → 17:30; resolve 10 days → 10 Dec 11:00.
      accept_due_at: t('2026-11-26T17:30'),
      resolve_due_at: t('2026-12-10T11:00'),
    });
    const office = row.assignee_id === 'c-zhou-lihua' ? zhou : tan;
    const officeName = row.assignee_id === 'c-zhou-lihua' ? '周丽华' : '谭晓燕';
    const notice = news(office);
    expect(notice).toHaveLength(1);
    expect(notice[0]).toContain('【新案件 #1001】东台村 · 城建办');
    // What the office needs to judge: both 办结 notes and what the resident answered to each.
    expect(notice[0]).toContain(
      '（群众两次不满意，请办公室复核）\n第一次办结（孔卫东）：已报修；群众意见：没修好\n第二次办结（孔卫东）：已更换灯泡；群众意见：还是没修好\n群众：赵叔',
    );
    expect(news(row.assignee_id === 'c-zhou-lihua' ? tan : zhou)).toEqual([]);
    // One message to the resident: the office reviews it.
    expect(news(zhao)).toEqual(['#1001 已交办公室复核，我们会尽快联系您。']);
    expect(news(kong)).toEqual(['#1001 群众评价：不满意，意见：还是没修好', `#1001 已改由${officeName}负责，您无需再办理。`]);

    expect(await eventTypes(1001)).toEqual([
      'created', 'assigned', 'accepted', 'resolved', 'rated', 'reopened', 'resolved', 'rated', 'reopened', 'assigned',
    ]);
    const log = await events(1001);
    expect(log.filter((e) => e.type === 'reopened').map((e) => e.data)).toEqual([
      { comment: '没修好', reopenCount: 1 },
      { comment: '还是没修好', reopenCount: 2 },
    ]);
    expect(log.at(-1)!.data).toMatchObject({ cadreId: row.assignee_id, from: 'c-kong-weidong', reason: 'review' });
  });

  it('shows the office long notes and complaints cut short, without a 办结 taken back', async () => {
    const qian = await resident('钱婶', 'dongtai');
    h.clock.set(t('2026-11-26T14:40'));
    const n = await openCase(qian, '家门口的路灯不亮了');
    await sendAt('2026-11-26T14:45', kong, `接单 ${n}`);
    await sendAt('2026-11-26T14:50', kong, `办结 ${n} 发错了`);
    await sendAt('2026-11-26T14:51', kong, `撤销办结 ${n}`);
    await sendAt('2026-11-26T15:00', kong, `办结 ${n} 已联系供电所，线路老化需要整体更换，等材料到了再装，预计下周完成。`);
    await sendAt('2026-11-26T15:10', qian, '3');
    await sendAt('2026-11-26T15:20', kong, `办结 ${n}`);
    news(zhou);
    news(tan);
    await sendAt('2026-11-26T15:30', qian, '不满意，路灯还是不亮，晚上出门很不方便，老人摔过一次了，希望尽快派人来修一修');
    const office = (await caseRow(n)).assignee_id === 'c-zhou-lihua' ? zhou : tan;
    const [notice] = news(office);
    expect(notice).toContain(
      '（群众两次不满意，请办公室复核）\n' +
        '第一次办结（孔卫东）：已联系供电所，线路老化需要整体更换，等材料到了再装，预计下周……\n' +
        '第二次办结（孔卫东）：未写说明；群众意见：路灯还是不亮，晚上出门很不方便，老人摔过一次了，希望尽快派人……\n' +
        '群众：钱婶',
    );
  });

  it('shows the office a 办结 note sent after the 办结 as part of it', async () => {
    const lu = await resident('卢大哥', 'dongtai');
    h.clock.set(t('2026-11-27T09:00'));
    const n = await openCase(lu, '村口的路灯坏了');
    await sendAt('2026-11-27T09:05', kong, `接单 ${n}`);
    await sendAt('2026-11-27T09:10', kong, `办结 ${n}`);
    await sendAt('2026-11-27T09:11', kong, `办结 ${n} 已报修`);
    await sendAt('2026-11-27T09:20', lu, '3 没修');
    await sendAt('2026-11-27T09:30', kong, `办结 ${n} 换了灯泡`);
    news(zhou);
    news(tan);
    await sendAt('2026-11-27T09:40', lu, '3 还是不亮');
    const office = (await caseRow(n)).assignee_id === 'c-zhou-lihua' ? zhou : tan;
    expect(news(office)[0]).toContain('第一次办结（孔卫东）：已报修；群众意见：没修\n第二次办结（孔卫东）：换了灯泡；群众意见：还是不亮\n');
  });
});

// ── 3. Transfer ────────────────────────────────────────────────────────────────────────────

describe('转派 N 部门 原因', () => {
  useHarness();
  let he: Person; // 农技站, 东台村
  let zhu: Person; // 朱艳萍, 民政办 on duty for 东台村 (南片)
  let yan: Person; // 颜国华, 民政办 head (北片)

  beforeAll(async () => {
    he = await bind('c-he-jianjun');
    zhu = await bind('c-zhu-yanping');
    yan = await bind('c-yan-guohua');
  });

  it('moves the case to the new department’s on-duty cadre for the village, and tells the resident', async () => {
    const sun = await resident('孙婶', 'dongtai');
    h.clock.set(t('2026-11-26T09:00'));
    expect(await openCase(sun, '秧苗被水淹了，家里困难')).toBe(1001);
    await sendAt('2026-11-26T09:10', he, '接单 1001');
    news(sun);
    news(he);
    const before = await snapshot(1001);

    // Unknown department, or its own: refused, nothing changes.
    await sendAt('2026-11-26T09:20', he, '转派 1001 水利站 不归我们管');
    expect(news(he)).toEqual([
      '没有找到“水利站”这个部门。现有部门：农技站、动物防疫站、合医站、民政办、财政所、计育办、司法所、国土所、城建办、劳动保障站、移民办、综治办、党政办',
    ]);
    await send(he, '转派 1001 农技推广站 再看看');
    expect(news(he)).toEqual(['#1001 已在这个部门。']);
    expect(await snapshot(1001)).toEqual(before);
    expect(news(sun)).toEqual([]);

    await sendAt('2026-11-26T09:30', he, '转派 #1001 民政办 群众家庭困难，想申请临时救助');
    expect(news(he)).toEqual(['已将 #1001 转派给民政办朱艳萍。']);
    expect(news(sun)).toEqual(['您的事项 #1001 现由民政办朱艳萍（民政专干）负责。']);
    const notice = news(zhu);
    expect(notice).toHaveLength(1);
    expect(notice[0]).toMatch(/^【新案件 #1001】东台村 · 民政办\n（由农技站贺建军转派：群众家庭困难，想申请临时救助）\n群众：孙婶/);
    // 民政办 limits from 09:30: accept 120 → 11:30; respond 480 → Thu 330 + Fri 150 → Fri 11:00; resolve 10 days.
    expect(notice[0]).toContain('时限：11月26日 11:30 前接单，11月27日 11:00 前回复群众，12月10日 09:30 前办结。');
    expect(news(yan)).toEqual([]);

    const row = await caseRow(1001);
    expect(row).toMatchObject({
      department_id: 'minzhengban',
      assignee_id: 'c-zhu-yanping',
      status: 'assigned',
      accepted_at: null,
      assigned_at: t('2026-11-26T09:30'),
      dispatched_at: t('2026-11-26T09:00'),
      accept_due_at: t('2026-11-26T11:30'),
      first_response_due_at: t('2026-11-27T11:00'),
      resolve_due_at: t('2026-12-10T09:30'),
    });
    const log = await events(1001);
    expect(log.map((e) => e.type)).toEqual(['created', 'assigned', 'accepted', 'transferred', 'assigned']);
    expect(log[3]).toMatchObject({
      actor_type: 'cadre',
      actor_id: 'c-he-jianjun',
      data: { from: 'nongjizhan', to: 'minzhengban', reason: '群众家庭困难，想申请临时救助' },
    });
    expect(log[4]!.data).toMatchObject({ cadreId: 'c-zhu-yanping', from: 'c-he-jianjun', reason: 'transfer', departmentId: 'minzhengban' });

    // The case is now 朱艳萍's: she accepts it, the former holder may not.
    await sendAt('2026-11-26T09:40', zhu, '接单 1001');
    expect(news(sun)).toEqual(['您的事项 #1001 已由民政办朱艳萍接单，会尽快和您联系。']);
    // He is told who has it now, to phone her if he must, and that his words did not go.
    await send(he, '回复 1001 我再问问');
    expect(news(he)).toEqual(['这条没有转给群众。#1001 已改由朱艳萍负责，您无需再办理。']);
    expect(news(sun)).toEqual([]);
  });
});

// ── 4. Send back ───────────────────────────────────────────────────────────────────────────

describe('退单 N 原因', () => {
  useHarness();
  let he: Person;
  let zhou: Person;
  let tan: Person;

  beforeAll(async () => {
    he = await bind('c-he-jianjun');
    zhou = await bind('c-zhou-lihua');
    tan = await bind('c-tan-xiaoyan');
  });

  it('within the window (119 min after dispatch) hands the case to an office dispatcher', async () => {
    const qian = await resident('钱大伯', 'dongtai');
    h.clock.set(t('2026-11-26T09:00'));
    const n = await openCase(qian, '水稻纹枯病怎么防');
    expect(news(he)).toHaveLength(1);

    await sendAt('2026-11-26T10:59', he, `退单 ${n} 这是村里水渠的事，不归农技站`);
    expect(news(he)).toEqual([`#${n} 已退回办公室重新分派。`]);
    const row = await caseRow(n);
    expect(row).toMatchObject({
      assignee_role: 'office',
      status: 'assigned',
      // The matter stays with its department (and its statistics); the office places it again.
      department_id: 'nongjizhan',
      assigned_at: t('2026-11-26T10:59'),
      dispatched_at: t('2026-11-26T09:00'),
    });
    const office = row.assignee_id === 'c-zhou-lihua' ? zhou : tan;
    const notice = news(office);
    expect(notice).toHaveLength(1);
    expect(notice[0]).toContain(`【新案件 #${n}】东台村 · 农技站`);
    expect(notice[0]).toContain('（农技站贺建军退单：这是村里水渠的事，不归农技站，请办公室重新分派）');
    const toQian = news(qian);
    expect(toQian).toHaveLength(1);
    expect(toQian[0]).toMatch(new RegExp(`^您的事项 #${n} 现由.*(周丽华|谭晓燕)`));
    const log = await events(n);
    expect(log.map((e) => e.type)).toEqual(['created', 'assigned', 'sent-back', 'assigned']);
    expect(log[2]).toMatchObject({ actor_id: 'c-he-jianjun', data: { reason: '这是村里水渠的事，不归农技站' } });
  });

  it('late at the office, it goes to the next dispatcher and the office head is told — not back to the field', async () => {
    const liu = await bind('c-liu-zhigang'); // head of 党政办
    const peng = await bind('c-peng-deming'); // head of 农技站
    const sun = await resident('孙大哥', 'dongtai');
    h.clock.set(t('2026-11-27T09:00'));
    const n = await openCase(sun, '水稻纹枯病怎么防');
    await sendAt('2026-11-27T09:30', he, `退单 ${n} 这是水渠的事`);
    const first = (await caseRow(n)).assignee_id;
    const [office, other, otherName] = first === 'c-zhou-lihua' ? [zhou, tan, '谭晓燕'] : [tan, zhou, '周丽华'];
    for (const p of [he, zhou, tan, liu, peng]) news(p);

    // A new accept limit of the case's department (农技站, 120 working minutes): due 11:30.
    h.clock.set(t('2026-11-27T11:31'));
    await h.app.worker!.sweep();
    await h.settle();
    expect((await caseRow(n)).assignee_id).toBe(first === 'c-zhou-lihua' ? 'c-tan-xiaoyan' : 'c-zhou-lihua');
    // (The case sent back in the test before is late at the office too: only #n is looked at.)
    const about = (p: Person) => news(p).filter((m) => m.includes(`#${n}`));
    expect(about(other)[0]).toContain(`【新案件 #${n}】东台村 · 农技站`);
    expect(about(office)).toEqual([`#${n} 超过接单时限，已改由${otherName}负责，您无需再办理。`]);
    // Both late in one sweep: one 【催办】 with a line each.
    expect(about(liu)).toEqual([expect.stringMatching(new RegExp(`^【催办】农技站 2 件超时：\n[^]*\n#${n} 东台村 ${office === zhou ? '周丽华' : '谭晓燕'}接单超时，已转由${otherName}办理 · 孙大哥：水稻纹枯病怎么防\n督办请发：`))]);
    expect([about(he), about(peng)]).toEqual([[], []]);
  });

  it('after the window (121 min) is refused and nothing changes', async () => {
    const li = await resident('李二哥', 'dongtai');
    h.clock.set(t('2026-11-26T13:00'));
    const n = await openCase(li, '稻飞虱打什么农药');
    expect(news(he)).toHaveLength(1);
    const before = await snapshot(n);
    const officeBefore = [news(zhou), news(tan)];
    expect(officeBefore).toEqual([[], []]);

    await sendAt('2026-11-26T15:01', he, `退单 ${n} 不归我管`);
    expect(news(he)).toEqual(['已超过退单时限（派单后 120 分钟内可退单）。如需调整，请转派或联系部门负责人。']);
    expect(await snapshot(n)).toEqual(before);
    expect([news(li), news(zhou), news(tan)]).toEqual([[], [], []]);
  });

  it('without case number and reason gets the format help', async () => {
    await sendAt('2026-11-26T15:10', he, '退单');
    const [answer] = news(he);
    expect(answer).toBe('“退单”的写法：退单 1001 原因\n发“帮助”查看全部指令。');
  });
});

// ── 4b. Commands missing their text ────────────────────────────────────────────────────────

describe('a command without its text', () => {
  useHarness();
  let he: Person;
  let zhou: Person;

  beforeAll(async () => {
    he = await bind('c-he-jianjun');
    zhou = await bind('c-zhou-lihua');
  });

  /**
   * Opens two cases held by 贺建军 whose numbers share a prefix: `short` and `long` = short·10 + 1.
   * "退单 <long>" and "回复 <long>" without text are then misread as case `short` with text "1".
   */
  async function prefixPair(shortAt: number, residentNames: [string, string]): Promise<[number, number, Person]> {
    const first = await resident(residentNames[0], 'dongtai');
    const second = await resident(residentNames[1], 'dongtai');
    await h.query(`SELECT setval('case_number_seq', $1, false)`, [shortAt]);
    const short = await openCase(first, '稻瘟病怎么治');
    await h.query(`SELECT setval('case_number_seq', $1, false)`, [short * 10 + 1]);
    const long = await openCase(second, '秧苗发黄怎么办');
    expect([short, long]).toEqual([shortAt, shortAt * 10 + 1]);
    news(he);
    return [short, long, first];
  }

  // APP BUG (src/domain/commands.ts, the 退单 pattern `^${num}${space}*([\s\S]+)$`): the case
  // number's \d{1,9} backtracks so that the last digit becomes the reason. "退单 10011" with no
  // reason is read as 退单 #1001 reason "1": within the window, case #1001 — another resident's
  // matter — is sent back to the office. It should be the malformed-command answer, nothing changed.
  it('退单 N without a reason gets the format answer and touches no case', async () => {
    h.clock.set(t('2026-11-26T09:00'));
    const [short, long] = await prefixPair(1001, ['甲', '乙']);
    const before = [await snapshot(short), await snapshot(long)];

    await sendAt('2026-11-26T09:30', he, `退单 ${long}`);
    expect(news(zhou)).toEqual([]);
    expect([await snapshot(short), await snapshot(long)]).toEqual(before);
    const [answer] = news(he);
    expect(answer).toContain('“退单”的写法：');
  });

  // APP BUG (same file, the 回复 pattern): "回复 20021" with no text is read as 回复 #2002 "1", and
  // the resident of #2002 receives "【农技站 贺建军】1". It should be the malformed-command answer.
  it('回复 N without text gets the format answer and sends the resident nothing', async () => {
    h.clock.set(t('2026-11-26T10:00'));
    const [short, long, first] = await prefixPair(2002, ['丙', '丁']);
    news(first);
    const before = await snapshot(short);

    await sendAt('2026-11-26T10:30', he, `回复 ${long}`);
    expect(news(first)).toEqual([]);
    expect(await snapshot(short)).toEqual(before);
    const [answer] = news(he);
    expect(answer).toContain('“回复”的写法：');
  });
});

// ── 5. Permissions ─────────────────────────────────────────────────────────────────────────

describe('permissions', () => {
  useHarness();
  let he: Person; // assignee
  let yi: Person; // 易春林, another 农技员 (area C)
  let luo: Person; // 罗国强, head of 动物防疫站 — another department
  let peng: Person; // 彭德明, head of 农技站
  let wu: Person; // the case's resident
  let n: number;

  beforeAll(async () => {
    he = await bind('c-he-jianjun');
    yi = await bind('c-yi-chunlin');
    luo = await bind('c-luo-guoqiang');
    peng = await bind('c-peng-deming');
    wu = await resident('吴大爷', 'dongtai');
    h.clock.set(t('2026-11-26T09:00'));
    n = await openCase(wu, '稻瘟病又犯了');
    news(he);
  });

  it('refuses another cadre politely, whatever the command, and changes nothing', async () => {
    const before = await snapshot(n);
    const attempts = [
      `接单 ${n}`,
      `回复 ${n} 我来处理`,
      `办结 ${n} 已处理`,
      `转派 ${n} 民政办 不归我`,
      `退单 ${n} 不归我`,
      `延期 ${n} 2 忙不过来`,
    ];
    h.clock.set(t('2026-11-26T09:10'));
    for (const text of attempts) await send(yi, text);
    expect(news(yi)).toEqual(attempts.map(() => notYours(n)));

    // A head, but of another department: no more rights than a cadre here.
    await send(luo, `接单 ${n}`);
    await send(luo, `督办 ${n} 快点`);
    expect(news(luo)).toEqual([notYours(n), notYours(n)]);

    expect(await snapshot(n)).toEqual(before);
    expect([news(wu), news(he), news(peng)]).toEqual([[], [], []]);
  });

  it('refuses a resident who types a cadre command, and opens no case from it', async () => {
    const stranger = await resident('路人', 'dongtai');
    const before = await snapshot(n);
    await send(stranger, `接单 ${n}`);
    // A new cadre writing from a WeChat not bound yet reads how to bind it.
    const refusal = '这是干部办理用的指令。群众有事请直接留言，我们会转给负责的同志；干部请先向办公室要绑定码，再发“绑定 绑定码”。';
    expect(news(stranger)).toEqual([refusal]);
    expect(news(he)).toEqual([]);
    expect(await snapshot(n)).toEqual(before);
    // The case's own resident writing "办结 N 好了" changes nothing either: the words reach the holder.
    await send(wu, `办结 ${n} 好了`);
    expect(news(wu)).toEqual([`收到，已转给负责 #${n} 的贺建军。预计 11月26日 15:30 前联系您。`]);
    expect(news(he)).toEqual([`【#${n} 群众补充】东台村 吴大爷：办结 ${n} 好了`]);
    expect((await caseRow(n)).status).toBe(before.row.status);
    expect(await h.count(`SELECT count(*) FROM cases`)).toBe(1);
    const outcomes = await h.query<{ outcome: string }>(
      `SELECT outcome FROM inbound_messages WHERE resident_id IS NOT NULL AND text IN ($1, $2) ORDER BY id`,
      [`接单 ${n}`, `办结 ${n} 好了`],
    );
    expect(outcomes.map((o) => o.outcome)).toEqual(['command-refused', 'added-to-case']);
  });

  it('lets the department head act on the case', async () => {
    await sendAt('2026-11-26T10:00', peng, `回复 ${n} 已安排贺建军明天上门`);
    expect(news(peng)).toEqual([`已转告 #${n} 的群众吴大爷，办理人贺建军也会收到这条。`]);
    expect(news(he)).toEqual([`【#${n}】彭德明已回复群众吴大爷：已安排贺建军明天上门`]);
    expect(news(wu)).toEqual([`【农技站 彭德明】已安排贺建军明天上门\n（#${n}，直接留言即可回复）`]);
    const row = await caseRow(n);
    expect(row).toMatchObject({
      status: 'accepted',
      assignee_id: 'c-he-jianjun',
      accepted_at: t('2026-11-26T10:00'),
      first_response_at: t('2026-11-26T10:00'),
      response_minutes: 60,
      response_working_minutes: 60,
    });
    expect((await events(n)).at(-1)).toMatchObject({ type: 'replied', actor_id: 'c-peng-deming' });
    // The assignee keeps the case and may still act.
    await send(he, `回复 ${n} 明早九点到`);
    expect(news(wu)).toEqual([`【农技站 贺建军】明早九点到\n（#${n}，直接留言即可回复）`]);
  });

  it('answers unknown text and wrong commands with the everyday commands, supervisors’ commands only to supervisors', async () => {
    // Plain words right after acting on a case were meant for its resident: say how to send them.
    await send(he, '今天下雨，明天再去');
    expect(news(he)).toEqual([`这条没有转给群众。要转告 #${n} 的群众，请发：\n回复 ${n} 今天下雨，明天再去\n发“帮助”查看全部指令。`]);
    expect(news(wu)).toEqual([]);
    // A command written wrongly, or one for supervisors, is no words for the resident.
    await send(he, '统计局来检查');
    expect(news(he)[0]).toMatch(/^没有看懂这条指令。常用的有：\n接单 1001/);
    await send(he, '统计本月');
    expect(news(he)).toEqual(['这条指令只有部门负责人和办公室可以使用。']);
    // Long after, they are just not understood.
    h.clock.advance(31);
    await send(he, '今天下雨，明天再去');
    const [unknown] = news(he);
    expect(unknown).toMatch(/^没有看懂这条指令。常用的有：\n接单 1001\n回复 1001 要转告群众的话/);
    expect(unknown).not.toContain('派单'); // a few everyday lines, not the whole list

    await send(peng, '帮助');
    const [help] = news(peng);
    expect(help).toContain('派单 1001 干部姓名');
    expect(help).toContain('超时');

    await send(he, '接单');
    expect(news(he)).toEqual(['您目前没有待接单的事项。发“任务”查看手上的事项。']);

    await send(he, '接单 9999');
    expect(news(he)).toEqual(['没有找到 #9999，请核对编号。']);

    const before = await snapshot(n);
    for (const text of ['超时', `派单 ${n} 易春林`, `督办 ${n}`, `同意延期 ${n}`]) await send(he, text);
    expect(news(he)).toEqual([supervisorsOnly, supervisorsOnly, supervisorsOnly, supervisorsOnly]);
    await send(he, '绑定码 易春林');
    await send(peng, '绑定码 易春林');
    expect([news(he), news(peng)]).toEqual([[officeOnly], [officeOnly]]);
    expect(await snapshot(n)).toEqual(before);
    expect(await h.count(`SELECT count(*) FROM bind_codes`)).toBe(0);
    expect(news(yi)).toEqual([]);
  });
});

// ── 6. Extension ───────────────────────────────────────────────────────────────────────────

describe('延期 N 天数 原因', () => {
  useHarness();
  let he: Person;
  let peng: Person; // head of 农技站
  let luo: Person; // head of another department
  let zhou: Person; // office

  beforeAll(async () => {
    he = await bind('c-he-jianjun');
    peng = await bind('c-peng-deming');
    luo = await bind('c-luo-guoqiang');
    zhou = await bind('c-zhou-lihua');
  });

  it('goes to the head; 同意延期 moves the resolve limit by 3 working days; 驳回延期 tells the cadre', async () => {
    const zheng = await resident('郑大嫂', 'dongtai');
    h.clock.set(t('2026-11-26T09:00'));
    const n = await openCase(zheng, '种的蔬菜生了虫子');
    // 农技站 resolve 1170 from Thu 09:00: Thu 360 + Fri 390 + Mon 390 + Tue 30 → Tue 1 Dec 09:00.
    expect((await caseRow(n)).resolve_due_at).toEqual(t('2026-12-01T09:00'));
    await sendAt('2026-11-26T09:10', he, `接单 ${n}`);
    news(he);
    news(zheng);

    await sendAt('2026-11-26T10:00', he, `延期 ${n} 3 等农资站的药到货`);
    expect(news(he)).toEqual([`已提交 #${n} 的延期申请，等待审批。`]);
    expect(news(peng)).toEqual([
      `【延期申请】#${n} 贺建军申请延期 3 个工作日：等农资站的药到货\n同意请回复“同意延期 ${n}”，不同意回复“驳回延期 ${n} 原因”。`,
    ]);
    expect([news(luo), news(zhou), news(zheng)]).toEqual([[], [], []]);
    expect((await caseRow(n)).extension_request).toEqual({
      cadreId: 'c-he-jianjun',
      days: 3,
      reason: '等农资站的药到货',
      at: t('2026-11-26T10:00').toISOString(),
    });

    await send(he, `延期 ${n} 2 再等等`);
    expect(news(he)).toEqual([`#${n} 已有延期申请在等审批。`]);
    await send(he, `同意延期 ${n}`);
    expect(news(he)).toEqual([supervisorsOnly]);
    await send(luo, `同意延期 ${n}`);
    expect(news(luo)).toEqual([notYours(n)]);
    expect((await caseRow(n)).resolve_due_at).toEqual(t('2026-12-01T09:00'));

    // Approved: Tue 1 Dec 09:00 + 3 × 390 → Tue 360 + Wed 390 + Thu 390 + Fri 30 → Fri 4 Dec 09:00.
    await sendAt('2026-11-26T10:30', peng, `同意延期 ${n}`);
    expect(news(peng)).toEqual([`已同意 #${n} 延期，新的办结时限：12月4日 09:00。`]);
    expect(news(he)).toEqual([`#${n} 延期 3 个工作日已同意，新的办结时限：12月4日 09:00。`]);
    let row = await caseRow(n);
    expect(row.resolve_due_at).toEqual(t('2026-12-04T09:00'));
    expect(row.extension_request).toBeNull();
    await send(peng, `同意延期 ${n}`);
    expect(news(peng)).toEqual([`#${n} 没有待审批的延期申请。`]);

    await sendAt('2026-11-26T11:00', he, `延期 ${n} 2 还要和村里协调`);
    news(he);
    expect(news(peng)[0]).toContain(`#${n} 贺建军申请延期 2 个工作日：还要和村里协调`);
    await sendAt('2026-11-26T11:05', peng, `驳回延期 ${n} 时间已经够了`);
    expect(news(he)).toEqual([`#${n} 的延期申请未同意：时间已经够了。`]);
    expect(news(peng)).toEqual([`已驳回 #${n} 的延期申请。`]);
    row = await caseRow(n);
    expect(row.resolve_due_at).toEqual(t('2026-12-04T09:00'));
    expect(row.extension_request).toBeNull();
    expect(news(zheng)).toEqual([]);

    const log = await events(n);
    expect(log.map((e) => e.type)).toEqual([
      'created', 'assigned', 'accepted', 'extension-requested', 'extension-approved', 'extension-requested', 'extension-rejected',
    ]);
    expect(log[4]).toMatchObject({ actor_id: 'c-peng-deming', data: { days: 3, resolveDueAt: t('2026-12-04T09:00').toISOString() } });
    expect(log[6]).toMatchObject({ actor_id: 'c-peng-deming', data: { reason: '时间已经够了' } });
  });

  it('counts days approved after the limit has passed from now, and passes the head’s words on', async () => {
    const wu = await resident('吴大叔', 'dongtai');
    h.clock.set(t('2026-11-26T11:10'));
    const n = await openCase(wu, '种的蔬菜生了虫子');
    await h.query(`UPDATE cases SET resolve_due_at = $2 WHERE number = $1`, [n, t('2026-11-26T11:20')]);
    await sendAt('2026-11-30T09:00', he, `延期 ${n} 1 药还没到`);
    news(he);
    news(peng);
    // Mon 09:05 + 390 working minutes: Mon 175 + 180, Tue 35 → Tue 1 Dec 09:05 (not Fri 27 Nov, long past).
    await sendAt('2026-11-30T09:05', peng, `同意延期 ${n} 抓紧，周二前一定办完`);
    expect(news(he)).toEqual([`#${n} 延期 1 个工作日已同意，新的办结时限：12月1日 09:05。\n彭德明：抓紧，周二前一定办完`]);
    expect(news(peng)).toEqual([`已同意 #${n} 延期，新的办结时限：12月1日 09:05。`]);
    expect((await caseRow(n)).resolve_due_at).toEqual(t('2026-12-01T09:05'));
  });

  it('takes 同意延期 / 驳回延期 without a number for the one request waiting, and lists several', async () => {
    const jin = await resident('金大姐', 'dongtai');
    const qin = await resident('秦大爷', 'dongtai');
    h.clock.set(t('2026-11-30T10:00'));
    const a = await openCase(jin, '种的蔬菜生了虫子');
    const b = await openCase(qin, '秧苗发黄怎么办');
    await sendAt('2026-11-30T10:10', he, `延期 ${a} 2 等药到货`);
    news(he);
    news(peng);
    // One waiting: taken, with the words; the limit moves as with the number.
    const due = (await caseRow(a)).resolve_due_at!;
    await sendAt('2026-11-30T10:20', peng, '同意延期 抓紧');
    expect(news(peng)).toEqual([expect.stringMatching(new RegExp(`^已同意 #${a} 延期，新的办结时限：`))]);
    expect(news(he)).toEqual([expect.stringMatching(new RegExp(`^#${a} 延期 2 个工作日已同意，新的办结时限：.*\n彭德明：抓紧$`))]);
    expect((await caseRow(a)).resolve_due_at!.getTime()).toBeGreaterThan(due.getTime());
    await send(peng, '同意延期');
    expect(news(peng)).toEqual(['目前没有待审批的延期申请。']);

    // Several waiting: which one; a head of another department has none; a cadre may not.
    await send(he, `延期 ${a} 1 农户不在家`);
    await send(he, `延期 ${b} 3 等种子`);
    news(he);
    news(peng);
    await send(peng, '同意延期');
    expect(news(peng)).toEqual([
      `有 2 件延期申请在等审批：\n#${a} 贺建军 1 个工作日：农户不在家\n#${b} 贺建军 3 个工作日：等种子\n请发“同意延期 编号”或“驳回延期 编号 原因”，如：同意延期 ${a}`,
    ]);
    expect((await caseRow(a)).extension_request).not.toBeNull();
    await send(luo, '同意延期');
    expect(news(luo)).toEqual(['目前没有待审批的延期申请。']);
    // The office was not asked (农技站 has a head): it does not decide over him without a number.
    await send(zhou, '同意延期');
    expect(news(zhou)).toEqual(['目前没有待审批的延期申请。']);
    await send(he, '同意延期');
    expect(news(he)).toEqual([supervisorsOnly]);
    await send(peng, `同意延期 ${b}`);
    news(he);
    news(peng);
    await send(peng, '驳回延期 先电话联系');
    expect(news(peng)).toEqual([`已驳回 #${a} 的延期申请。`]);
    expect(news(he)).toEqual([`#${a} 的延期申请未同意：先电话联系。`]);

    // A bare 同意 right after the 【延期申请】 approves it; with nothing waiting it is no command.
    await send(he, `延期 ${a} 1 农户还没回来`);
    news(he);
    news(peng);
    await send(peng, '同意');
    expect(news(peng)).toEqual([expect.stringMatching(new RegExp(`^已同意 #${a} 延期，新的办结时限：`))]);
    await send(peng, '同意');
    expect(news(peng)[0]).toMatch(/^没有看懂这条指令。/);
    // A number not where the command wants it is no "without a number": the example, nothing decided.
    await send(he, `延期 ${b} 1 还要等`);
    news(peng);
    await send(peng, `同意延期 第${b}号`);
    expect(news(peng)[0]).toMatch(/^“同意延期”的写法/);
    expect((await caseRow(b)).extension_request).not.toBeNull();
  });
});

// ── 7. Supervisors: 派单, 督办, 任务, 超时 ────────────────────────────────────────────────────

describe('派单 · 督办 · 任务 · 超时', () => {
  useHarness();
  let he: Person;
  let yi: Person;
  let peng: Person; // head of 农技站
  let luo: Person; // head of 动物防疫站
  let zhou: Person; // office
  let a: Person;
  let b: Person;

  beforeAll(async () => {
    he = await bind('c-he-jianjun');
    yi = await bind('c-yi-chunlin');
    peng = await bind('c-peng-deming');
    luo = await bind('c-luo-guoqiang');
    zhou = await bind('c-zhou-lihua');
    a = await resident('冯大爷', 'dongtai');
    b = await resident('陈大妈', 'dongtai');
    // #1001 at 09:00 and #1002 at 09:05, both 农技站 in 东台村 → 贺建军.
    // Accept limits (120 working minutes): 11:00 and 11:05; resolve: 1 Dec 09:00 and 09:05.
    h.clock.set(t('2026-11-26T09:00'));
    await openCase(a, '稻瘟病怎么防治');
    h.clock.set(t('2026-11-26T09:05'));
    await openCase(b, '水稻纹枯病严重');
    news(he);
  });

  it('任务 lists the cadre’s open cases with their next limit', async () => {
    await sendAt('2026-11-26T09:10', he, '任务');
    expect(news(he)).toEqual([
      '您的待办（2 件）：\n#1001 东台村 农技站 待接单 · 接单时限 11月26日 11:00\n  冯大爷：稻瘟病怎么防治\n#1002 东台村 农技站 待接单 · 接单时限 11月26日 11:05\n  陈大妈：水稻纹枯病严重',
    ]);
    await send(he, '接单 1001');
    news(he);
    await send(he, '任务');
    expect(news(he)).toEqual([
      // Accepted, not yet answered: the next limit is the reply to the resident.
      '您的待办（2 件）：\n#1001 东台村 农技站 办理中 · 回复群众时限 11月26日 15:30\n  冯大爷：稻瘟病怎么防治\n#1002 东台村 农技站 待接单 · 接单时限 11月26日 11:05\n  陈大妈：水稻纹枯病严重',
    ]);
    await send(yi, '任务');
    expect(news(yi)).toEqual(['您目前没有待办事项。']);
  });

  it('派单 by the office moves a case to the named cadre, who is told; so are the resident and the former holder', async () => {
    await sendAt('2026-11-26T09:20', zhou, '派单 1002 张三');
    expect(news(zhou)).toEqual(['没有找到叫“张三”的干部或部门，请核对名字。']);

    // What the resident added while 贺建军 held it reaches the new holder too.
    await send(b, '叶子都发黄了');
    await sendPhoto(b, 'leaf.jpg');
    news(he);
    news(b);

    await send(zhou, '派单 1002 易春林');
    expect(news(zhou)).toEqual(['已将 #1002 派给易春林。\n提示：东台村不在易春林的包片范围内。']);
    expect(news(he)).toEqual(['#1002 已改由易春林负责，您无需再办理。']);
    expect(news(b)).toEqual(['您的事项 #1002 现由农技站易春林（农技员）负责。']);
    const notice = news(yi);
    expect(notice).toHaveLength(4);
    expect(notice[0]).toMatch(/^【新案件 #1002】东台村 · 农技站\n（周丽华派单）\n群众：陈大妈/);
    expect(notice.slice(1)).toEqual([
      '【#1002 群众补充】东台村 陈大妈：叶子都发黄了',
      '【#1002 群众补充】东台村 陈大妈发来图片，见下条。',
      '[文件] leaf.jpg',
    ]);
    expect(await caseRow(1002)).toMatchObject({ assignee_id: 'c-yi-chunlin', assigned_at: t('2026-11-26T09:20'), status: 'assigned' });
    expect((await events(1002)).at(-1)).toMatchObject({
      type: 'assigned',
      actor_id: 'c-zhou-lihua',
      data: { cadreId: 'c-yi-chunlin', from: 'c-he-jianjun', reason: 'assign' },
    });
    // Sent again (typed in one go): nothing moves, nobody is told anew.
    await send(zhou, '派单1002易春林');
    expect(news(zhou)).toEqual(['#1002 本来就由易春林负责，无需再派。']);
    expect(news(yi)).toEqual([]);

    await send(he, '任务');
    expect(news(he)).toEqual(['您的待办（1 件）：\n#1001 东台村 农技站 办理中 · 回复群众时限 11月26日 15:30\n  冯大爷：稻瘟病怎么防治']);
    // The former holder acting on it anyway (the notice unread) is told whose it is now; nothing changes.
    for (const text of ['接单 1002', '办结 1002 已处理', '1002']) await send(he, text);
    const moved = '#1002 已改由易春林负责，您无需再办理。';
    expect(news(he)).toEqual([moved, `这条没有转给群众。${moved}`, moved]);
    expect(await caseRow(1002)).toMatchObject({ assignee_id: 'c-yi-chunlin', status: 'assigned' });
    expect(news(b)).toEqual([]);
    // The new holder accepts anew, within a fresh accept limit: 09:20 + 120 working minutes.
    await send(yi, '任务');
    expect(news(yi)).toEqual(['您的待办（1 件）：\n#1002 东台村 农技站 待接单 · 接单时限 11月26日 11:20\n  陈大妈：水稻纹枯病严重']);
  });

  it('督办 by the head reaches the assignee and is recorded', async () => {
    await sendAt('2026-11-26T09:30', peng, '督办 1001 群众又打电话来问了');
    expect(news(peng)).toEqual(['已督办 #1001。']);
    expect(news(he)).toEqual(['【督办】#1001 彭德明请您抓紧办理。群众又打电话来问了']);
    expect(news(a)).toEqual([]);
    expect((await events(1001)).at(-1)).toMatchObject({
      type: 'urged',
      actor_id: 'c-peng-deming',
      at: t('2026-11-26T09:30'),
      data: { text: '群众又打电话来问了' },
    });
  });

  it('超时 lists what is past a limit, computed from the due times, for the department’s head and the office', async () => {
    await sendAt('2026-11-26T10:00', peng, '超时');
    expect(news(peng)).toEqual(['目前没有超时的事项。']);

    // 11:25: #1002 is past its accept limit (11:20 since 派单); #1001 was accepted and its other limits are later.
    h.clock.set(t('2026-11-26T11:25'));
    const overdue = '超时事项（1 件）：\n#1002 东台村 农技站 待接单 · 接单时限 11月26日 11:20（已超 5分钟） · 易春林\n  陈大妈：水稻纹枯病严重\n催办请发：督办 1002 要说的话';
    await send(peng, '超时');
    expect(news(peng)).toEqual([overdue]);
    await send(zhou, '超时');
    expect(news(zhou)).toEqual([overdue]);
    await send(luo, '超时');
    expect(news(luo)).toEqual(['目前没有超时的事项。']);
    // Nothing swept: the case is still on time in its row and still with 易春林.
    expect(await caseRow(1002)).toMatchObject({ sla_status: 'on-time', assignee_id: 'c-yi-chunlin' });
    // Her own list marks the limit she missed, and a nudge says how to accept.
    await send(yi, '任务');
    expect(news(yi)).toEqual(['您的待办（1 件）：\n#1002 东台村 农技站 待接单 · 接单时限 11月26日 11:20（已超时）\n  陈大妈：水稻纹枯病严重']);
    await send(peng, '督办 1002');
    expect(news(yi)).toEqual(['【督办】#1002 彭德明请您抓紧办理。\n接单请发：接单 1002']);
  });

  it('派单 to a cadre of another department moves the case there, on that department’s clock, with the words as a note', async () => {
    const c = await resident('褚大叔', 'dongtai');
    h.clock.set(t('2026-11-26T14:30'));
    const n = await openCase(c, '稻瘟病怎么防治');
    news(he);
    await sendAt('2026-11-26T14:40', zhou, `派单 ${n} 罗国强，请今天去看看`);
    // 罗国强 covers other villages than 东台村: the office hears it, in case it was a slip.
    expect(news(zhou)).toEqual([`已将 #${n} 派给罗国强。\n提示：东台村不在罗国强的包片范围内。`]);
    expect(news(c)).toEqual([`您的事项 #${n} 现由动物防疫站罗国强（防疫站站长）负责。`]);
    expect(news(luo)[0]).toMatch(new RegExp(`^【新案件 #${n}】东台村 · 动物防疫站\n（周丽华派单：请今天去看看）\n群众：褚大叔`));
    const row = await caseRow(n);
    expect(row).toMatchObject({ department_id: 'fangyizhan', assignee_id: 'c-luo-guoqiang' });
    // Fresh limits of 动物防疫站 (accept 60 working minutes) from 14:40, not 农技站's (120) from 14:30.
    expect(row.accept_due_at).toEqual(t('2026-11-26T15:40'));
  });

  it('派单 to a cadre on leave is refused with the dates, and the case stays where it is', async () => {
    const [row] = await h.query<{ number: number }>(`SELECT number FROM cases WHERE assignee_id = 'c-luo-guoqiang'`);
    const n = row!.number;
    await sendAt('2026-12-08T10:00', zhou, `派单 ${n} 龙志勇`);
    expect(news(zhou)).toEqual(['龙志勇正在休假（12月7日至12月9日），请派给其他同志。']);
    expect(await caseRow(n)).toMatchObject({ assignee_id: 'c-luo-guoqiang' });
    await sendAt('2026-12-10T10:00', zhou, `派单 ${n} 龙志勇`);
    // 龙志勇 has not bound his WeChat: the case waits unseen unless the office sees to it.
    expect(news(zhou)).toEqual([`已将 #${n} 派给龙志勇。\n龙志勇还没有绑定微信，暂时收不到派单。生成绑定码请发：绑定码 龙志勇`]);
    expect(news(luo)).toEqual([`#${n} 已改由龙志勇负责，您无需再办理。`]);
    // A head cannot make the code.
    await send(luo, `派单 ${n} 曾祥云`);
    expect(news(luo)).toEqual([`已将 #${n} 派给曾祥云。\n提示：东台村不在曾祥云的包片范围内。\n曾祥云还没有绑定微信，暂时收不到派单。请联系办公室发绑定码。`]);
  });

  it('派单 with a department gives an unplaced matter to whom the roster has for its village, on that department’s clock', async () => {
    const d = await resident('卫大哥', 'dongtai');
    await sendAt('2026-12-10T10:30', d, '想问问那个事情怎么办');
    await send(d, '0');
    const n = Number(/编号 #(\d+)/.exec(news(d).at(-1)!)![1]);
    const unplaced = await caseRow(n);
    expect(unplaced).toMatchObject({ department_id: 'dangzhengban', assignee_role: 'office' });
    // The dispatcher's notice says how to place it first, not only how to accept it.
    const notice = (await outboundTo(unplaced.assignee_id!)).find((m) => m.text.startsWith(`【新案件 #${n}】`));
    expect(notice!.text).toMatch(new RegExp(`前办结。\\n派单请发：派单 ${n} 干部姓名或部门；自己办理请发：接单 ${n}$`));
    news(zhou);

    // The office knows the department; who covers 东台村 for 农技站 is the roster's to say.
    await sendAt('2026-12-10T10:40', zhou, `派单 ${n} 农技站 请联系群众`);
    expect(news(zhou)).toEqual([`已将 #${n} 派给农技站贺建军。`]);
    expect(news(he)[0]).toMatch(new RegExp(`^【新案件 #${n}】东台村 · 农技站\n（周丽华派单：请联系群众）\n群众：卫大哥[\\s\\S]*\n接单请发：接单 ${n}$`));
    expect(news(d)).toEqual([`您的事项 #${n} 现由农技站贺建军（农技员）负责。`]);
    // The same again: it is there already; nothing moves, nobody is told anew.
    await send(zhou, `派单 ${n} 农技站`);
    expect(news(zhou)).toEqual([`#${n} 本来就由农技站贺建军负责，无需再派。`]);
    expect(news(he)).toEqual([]);
    const row = await caseRow(n);
    expect(row).toMatchObject({ department_id: 'nongjizhan', assignee_id: 'c-he-jianjun', status: 'assigned' });
    // 农技站's accept limit from 10:40: 80 working minutes before lunch, 40 after.
    expect(row.accept_due_at).toEqual(t('2026-12-10T15:10'));
    expect((await events(n)).slice(-2).map((e) => [e.type, e.data])).toEqual([
      ['transferred', { from: 'dangzhengban', to: 'nongjizhan', reason: '请联系群众' }],
      ['assigned', expect.objectContaining({ cadreId: 'c-he-jianjun', reason: 'assign', routing: 'on-duty', departmentId: 'nongjizhan' })],
    ]);
  });

  it('tells the dispatcher who placed a case when its new holder lets it lapse', async () => {
    const [row] = await h.query<{ number: number }>(`SELECT number FROM cases c JOIN residents r ON r.id = c.resident_id WHERE r.name = '卫大哥'`);
    const n = row!.number;
    news(zhou);
    h.clock.set((await caseRow(n)).accept_due_at!);
    h.clock.advance(1);
    await h.app.worker!.sweep();
    await h.settle();
    // (#1002, which she gave 易春林 in an earlier test, lapsed too: she hears of both, in one message.)
    expect(news(zhou)).toEqual([
      expect.stringMatching(new RegExp(`^【催办】农技站 2 件超时：\n#1002 东台村 易春林接单超时，已转由.+办理 · .+\n#${n} 东台村 贺建军接单超时，已转由.+办理 · 卫大哥：想问问那个事情怎么办`)),
    ]);
  });

  it('an unplaced matter nobody at the office accepted in time reaches the next dispatcher still marked as unplaced', async () => {
    const e = await resident('蒋大姐', 'dongtai');
    await sendAt('2026-12-11T09:00', e, '有个事情想咨询一下');
    await send(e, '0');
    const n = Number(/编号 #(\d+)/.exec(news(e).at(-1)!)![1]);
    const first = (await caseRow(n)).assignee_id!;
    h.clock.set((await caseRow(n)).accept_due_at!);
    h.clock.advance(1);
    await h.app.worker!.sweep();
    await h.settle();
    const next = (await caseRow(n)).assignee_id!;
    expect(next).not.toBe(first);
    const notice = (await outboundTo(next)).find((m) => m.text.startsWith(`【新案件 #${n}】`));
    expect(notice!.text).toMatch(/\n（原负责人.+超时未接单，转由您办理）\n（群众不清楚该找哪个部门，请办公室分派）\n群众：蒋大姐/);
    expect(notice!.text).toMatch(new RegExp(`派单请发：派单 ${n} 干部姓名或部门；自己办理请发：接单 ${n}$`));
  });
});

describe('超时 after 派单', () => {
  useHarness();

  it('shows the limit that has passed, not the fresh accept limit the new holder has', async () => {
    await bind('c-he-jianjun');
    await bind('c-yi-chunlin');
    const peng = await bind('c-peng-deming');
    const wei = await resident('魏大伯', 'dongtai');
    // 09:00: reply to the resident due at 15:30; nobody answers. 15:35: the head gives it to 易春林,
    // who accepts anew within 120 working minutes (27 Nov 08:35), the reply still late.
    h.clock.set(t('2026-11-26T09:00'));
    const n = await openCase(wei, '稻瘟病怎么防治');
    await sendAt('2026-11-26T15:35', peng, `派单 ${n} 易春林`);
    news(peng);
    await sendAt('2026-11-26T15:40', peng, '超时');
    expect(news(peng)).toEqual([`超时事项（1 件）：\n#${n} 东台村 农技站 待接单 · 回复群众时限 11月26日 15:30（已超 10分钟） · 易春林\n  魏大伯：稻瘟病怎么防治\n催办请发：督办 ${n} 要说的话`]);
  });

  it('gives the new holder one time for accepting and replying when the reply is due first', async () => {
    const yi = await bind('c-yi-chunlin');
    const peng = await bind('c-peng-deming');
    const tao = await resident('陶大娘', 'dongtai');
    // 09:00: reply due at 15:30. 14:40: given to 易春林, whose fresh accept limit (16:40) comes after it.
    h.clock.set(t('2026-11-27T09:00'));
    const n = await openCase(tao, '稻飞虱怎么治');
    news(yi);
    await sendAt('2026-11-27T14:40', peng, `派单 ${n} 易春林`);
    const notice = news(yi).find((m) => m.startsWith(`【新案件 #${n}】`))!;
    expect(notice).toContain('时限：11月27日 15:30 前接单并回复群众，');
    expect(notice).not.toContain('前接单，');
  });
});

// ── 8. Photos from a cadre ─────────────────────────────────────────────────────────────────

describe('a photo from a cadre', () => {
  useHarness();
  let he: Person;
  let yi: Person;

  beforeAll(async () => {
    he = await bind('c-he-jianjun');
    yi = await bind('c-yi-chunlin');
  });

  it('right after 办结 goes to the resident; later, or without a case, gets the hint', async () => {
    const chu = await resident('褚大叔', 'dongtai');
    h.clock.set(t('2026-11-26T09:00'));
    const n = await openCase(chu, '稻飞虱很多');
    await sendAt('2026-11-26T09:10', he, `接单 ${n}`);
    await sendAt('2026-11-26T10:00', he, `办结 ${n} 已现场指导打药`);
    news(he);
    news(chu);

    h.clock.set(t('2026-11-26T10:05'));
    await sendPhoto(he, 'field-after.jpg');
    expect(news(chu)).toEqual([`【农技站 贺建军】发来图片（#${n}）：`, '[文件] field-after.jpg']);
    expect(news(he)).toEqual([`已转给 #${n} 的群众褚大叔。`]);
    const log = await events(n);
    expect(log.at(-1)).toMatchObject({ type: 'replied', actor_id: 'c-he-jianjun', at: t('2026-11-26T10:05'), data: { kind: 'image' } });
    const [photo] = await h.query<{ case_id: number; cadre_id: string; kind: string }>(
      `SELECT case_id, cadre_id, kind FROM inbound_messages WHERE cadre_id = 'c-he-jianjun' AND kind = 'image'`,
    );
    expect(photo).toEqual({ case_id: (await caseRow(n)).id, cadre_id: 'c-he-jianjun', kind: 'image' });

    // 40 minutes after the 办结 (photoFollowsMinutes = 30): no longer tied to the case.
    const before = await snapshot(n);
    h.clock.set(t('2026-11-26T10:40'));
    await sendPhoto(he, 'late.jpg');
    const hint = '这条没有转给群众：不清楚是哪个案件的。请先发“回复 编号 内容”或“办结 编号 说明”，再发照片或语音。';
    expect(news(he)).toEqual([hint]);
    expect(news(chu)).toEqual([]);
    expect(await snapshot(n)).toEqual(before);

    // A cadre who has not acted on any case.
    await sendPhoto(yi, 'random.jpg');
    expect(news(yi)).toEqual([hint]);
    expect(news(chu)).toEqual([]);
  });

  it('reads photos sent in a row as one: one header for the resident, one confirmation, every photo forwarded', async () => {
    const wei = await resident('魏大嫂', 'dongtai');
    h.clock.set(t('2026-11-26T14:40'));
    const n = await openCase(wei, '秧苗发黄');
    await sendAt('2026-11-26T14:45', he, `办结 ${n} 已现场查看`);
    news(he);
    news(wei);

    h.clock.set(t('2026-11-26T14:50'));
    await sendPhoto(he, 'leaf-1.jpg');
    h.clock.advance(0.5);
    await sendPhoto(he, 'leaf-2.jpg');
    h.clock.advance(1);
    await sendPhoto(he, 'leaf-3.jpg');
    expect(news(wei)).toEqual([`【农技站 贺建军】发来图片（#${n}）：`, '[文件] leaf-1.jpg', '[文件] leaf-2.jpg', '[文件] leaf-3.jpg']);
    expect(news(he)).toEqual([`已转给 #${n} 的群众魏大嫂。`]);
    const log = await events(n);
    expect(log.filter((e) => e.type === 'replied').map((e) => e.data.kind)).toEqual(['image', 'image', 'image']);

    // Words in between, or a pause of more than the run's 90 seconds, start a new showing.
    await send(he, `回复 ${n} 再看看这张`);
    await sendPhoto(he, 'leaf-4.jpg');
    h.clock.advance(2);
    await sendPhoto(he, 'leaf-5.jpg');
    expect(news(wei)).toEqual([
      '【农技站 贺建军】再看看这张\n（#' + n + '，直接留言即可回复）',
      `【农技站 贺建军】发来图片（#${n}）：`, '[文件] leaf-4.jpg',
      `【农技站 贺建军】发来图片（#${n}）：`, '[文件] leaf-5.jpg',
    ]);
    expect(news(he)).toEqual([`已转告 #${n} 的群众魏大嫂。`, `已转给 #${n} 的群众魏大嫂。`, `已转给 #${n} 的群众魏大嫂。`]);
  });

  it('reads a resident’s photos sent in a row as one: one header for the cadre, one acknowledgement', async () => {
    const lu = await resident('鲁大爷', 'dongtai');
    h.clock.set(t('2026-11-26T15:00'));
    const n = await openCase(lu, '水稻稻飞虱又多了');
    await sendAt('2026-11-26T15:05', he, `接单 ${n}`);
    news(he);
    news(lu);

    h.clock.set(t('2026-11-26T15:10'));
    await sendPhoto(lu, 'bug-1.jpg');
    h.clock.advance(0.5);
    await sendPhoto(lu, 'bug-2.jpg');
    h.clock.advance(0.5);
    await sendPhoto(lu, 'bug-3.jpg');
    expect(news(he)).toEqual([`【#${n} 群众补充】东台村 鲁大爷发来图片，见下条。`, '[文件] bug-1.jpg', '[文件] bug-2.jpg', '[文件] bug-3.jpg']);
    // 接单 is no answer yet: the resident is told by when one comes.
    expect(news(lu)).toEqual([`收到，已转给负责 #${n} 的贺建军。预计 11月27日 10:00 前联系您。`]);
    const rows = await h.query<{ outcome: string; case_id: number }>(
      `SELECT outcome, case_id FROM inbound_messages WHERE kind = 'image' AND resident_id = (SELECT id FROM residents WHERE name = '鲁大爷') ORDER BY id`,
    );
    const id = (await caseRow(n)).id;
    expect(rows).toEqual([1, 2, 3].map(() => ({ outcome: 'added-to-case', case_id: id })));
    expect((await events(n)).filter((e) => e.type === 'resident-message')).toHaveLength(3);

    // Two minutes later: a new showing.
    h.clock.advance(2);
    await sendPhoto(lu, 'bug-4.jpg');
    expect(news(he)).toEqual([`【#${n} 群众补充】东台村 鲁大爷发来图片，见下条。`, '[文件] bug-4.jpg']);
    // By when he answers was said just above: not again.
    expect(news(lu)).toEqual([`收到，已转给负责 #${n} 的贺建军。`]);

    // Another resident's words reach 贺建军 between two photos: the next one is announced again,
    // or it would read as the other case's.
    const qi = await resident('戚大妈', 'dongtai');
    const m = await openCase(qi, '稻瘟病又发了');
    news(he);
    h.clock.advance(0.5);
    await sendPhoto(lu, 'bug-5.jpg');
    h.clock.advance(0.2);
    await send(qi, '什么时候能来看看');
    h.clock.advance(0.2);
    await sendPhoto(lu, 'bug-6.jpg');
    expect(news(he)).toEqual([
      `【#${n} 群众补充】东台村 鲁大爷发来图片，见下条。`, '[文件] bug-5.jpg',
      `【#${m} 群众补充】东台村 戚大妈：什么时候能来看看`,
      `【#${n} 群众补充】东台村 鲁大爷发来图片，见下条。`, '[文件] bug-6.jpg',
    ]);
  });
});

// ── 9. Binding a WeChat contact ────────────────────────────────────────────────────────────

describe('绑定 码', () => {
  useHarness();
  let zhou: Person; // office
  let peng: Person; // a head, not office
  let feng: Person;
  let n: number;

  beforeAll(async () => {
    zhou = await bind('c-zhou-lihua');
    peng = await bind('c-peng-deming');
  });

  it('holds the notices of a cadre who has no WeChat id yet', async () => {
    // 朱艳萍 (民政办, on duty for 东台村) is not bound: the notice of a new case cannot be sent.
    feng = await resident('冯奶奶', 'dongtai');
    h.clock.set(t('2026-11-26T09:00'));
    n = await openCase(feng, '想申请低保，要准备什么材料');
    expect(await caseRow(n)).toMatchObject({ assignee_id: 'c-zhu-yanping', status: 'assigned' });
    expect(await outboundTo('c-zhu-yanping')).toEqual([
      { status: 'failed', last_error: 'recipient has no WeChat id yet', text: expect.stringContaining(`【新案件 #${n}】东台村 · 民政办`) },
    ]);
  });

  it('lets only the office make a code, for a configured cadre', async () => {
    await sendAt('2026-11-26T09:05', peng, '绑定码 朱艳萍');
    expect(news(peng)).toEqual([officeOnly]);
    await send(zhou, '绑定码 张三');
    expect(news(zhou)).toEqual(['干部名单里还没有“张三”。新来的同志要先请系统管理员加进干部名单（cadres.yaml），重启后再发：绑定码 张三']);
    expect(await h.count(`SELECT count(*) FROM bind_codes`)).toBe(0);

    await send(zhou, '绑定码 朱艳萍');
    const [issued] = news(zhou);
    const code = /绑定码：(\d{6})/.exec(issued ?? '')?.[1];
    expect(code).toBeDefined();
    // bindCodeMinutes defaults to 1440.
    expect(issued).toBe(`朱艳萍的绑定码：${code}（11月27日 09:05 前有效，只能用一次）。\n请朱艳萍用自己的微信给本号发送：绑定 ${code}`);
    expect(await h.query(`SELECT cadre_id, created_at, expires_at, used_at FROM bind_codes WHERE code = $1`, [code])).toEqual([
      { cadre_id: 'c-zhu-yanping', created_at: t('2026-11-26T09:05'), expires_at: t('2026-11-27T09:05'), used_at: null },
    ]);
  });

  it('binds a new contact with the code: held notices arrive, the contact can 接单, the code is single-use', async () => {
    await sendAt('2026-11-26T09:10', zhou, '绑定码 朱艳萍');
    const code = /绑定码：(\d{6})/.exec(news(zhou)[0] ?? '')![1];
    // A second matter reached her, and the office gave it to someone else before she bound: stale by then.
    const chu = await resident('褚大娘', 'dongtai');
    h.clock.set(t('2026-11-26T09:12'));
    const m = await openCase(chu, '低保的事想再问问');
    await send(zhou, `派单 ${m} 彭德明`);
    news(zhou);
    news(peng);

    const phone = contact('朱艳萍的手机');
    await sendAt('2026-11-26T09:20', phone, `绑定 ${code}`);
    const got = news(phone);
    expect(got).toContain('绑定成功，朱艳萍同志。今后派给您的事项会发到这里。发“帮助”查看指令。');
    expect(got.find((msg) => msg.startsWith('【新案件'))).toContain(`【新案件 #${n}】东台村 · 民政办`);
    expect(got).toHaveLength(2); // nothing of #m, no longer hers
    // The office hears she can be reached now.
    expect(news(zhou)).toEqual(['【绑定】朱艳萍（民政专干）已绑定微信，从现在起能收到派单了。']);
    const [zhu] = await h.query<{ wechat_id: string }>(`SELECT wechat_id FROM cadres WHERE id = 'c-zhu-yanping'`);
    expect(zhu!.wechat_id).toBe(phone.contact.id);
    expect((await outboundTo('c-zhu-yanping')).map((msg) => msg.status)).toEqual(['delivered', 'failed', 'failed', 'delivered']);
    expect(await h.query(`SELECT used_by, used_at FROM bind_codes WHERE code = $1`, [code])).toEqual([
      { used_by: phone.contact.id, used_at: t('2026-11-26T09:20') },
    ]);
    expect(await h.count(`SELECT count(*) FROM residents WHERE wechat_id = $1`, [phone.contact.id])).toBe(0);
    const [inbound] = await h.query<{ cadre_id: string; outcome: string }>(
      `SELECT cadre_id, outcome FROM inbound_messages WHERE text = $1`,
      [`绑定 ${code}`],
    );
    expect(inbound).toEqual({ cadre_id: 'c-zhu-yanping', outcome: 'bound' });

    // Now a cadre: 接单 works from this contact.
    await sendAt('2026-11-26T09:30', phone, `接单 ${n}`);
    expect(news(phone)).toEqual([`已接单 #${n}（冯奶奶）。转告群众请发：回复 ${n} 内容`]);
    expect(news(feng)).toEqual([`您的事项 #${n} 已由民政办朱艳萍接单，会尽快和您联系。`]);
    expect(await caseRow(n)).toMatchObject({ status: 'accepted', accepted_at: t('2026-11-26T09:30') });

    // The same code again, from someone else: refused, the binding stays.
    const other = contact('冒名的人');
    await send(other, `绑定 ${code}`);
    expect(news(other)).toEqual(['绑定码无效或已过期，请向办公室重新索取。']);
    const [still] = await h.query<{ wechat_id: string }>(`SELECT wechat_id FROM cadres WHERE id = 'c-zhu-yanping'`);
    expect(still!.wechat_id).toBe(phone.contact.id);
  });

  it('refuses an expired code and binds nobody', async () => {
    await sendAt('2026-11-26T10:00', zhou, '绑定码 c-yi-chunlin');
    const code = /绑定码：(\d{6})/.exec(news(zhou)[0] ?? '')?.[1];
    expect(code).toBeDefined();
    // Valid until 27 Nov 10:00; one minute later it is refused.
    const phone = contact('易春林的手机');
    await sendAt('2026-11-27T10:01', phone, `绑定 ${code}`);
    expect(news(phone)).toEqual(['绑定码无效或已过期，请向办公室重新索取。']);
    const [yi] = await h.query<{ wechat_id: string | null }>(`SELECT wechat_id FROM cadres WHERE id = 'c-yi-chunlin'`);
    expect(yi!.wechat_id).toBeNull();
    expect(await h.query(`SELECT used_at FROM bind_codes WHERE code = $1`, [code])).toEqual([{ used_at: null }]);
  });

  it('gives a head who binds late the 延期 request that waited, though the case is not theirs', async () => {
    const zhu = await bind('c-zhu-yanping');
    await sendAt('2026-11-27T10:05', zhu, `延期 ${n} 2 等低保材料`);
    // 颜国华, head of 民政办, has no WeChat yet: the request waits for him.
    await send(zhou, '绑定码 颜国华');
    const code = /绑定码：(\d{6})/.exec(news(zhou).at(-1) ?? '')![1];
    const phone = contact('颜国华的手机');
    await sendAt('2026-11-27T10:10', phone, `绑定 ${code}`);
    const got = news(phone);
    expect(got).toHaveLength(2);
    expect(got.find((m) => m.startsWith('【延期申请】'))).toMatch(new RegExp(`^【延期申请】#${n} 朱艳萍申请延期 2 个工作日：等低保材料`));
  });
});

// ── 10. The resident's side ────────────────────────────────────────────────────────────────

describe('resident: 查询, 新问题, callback', () => {
  useHarness();
  let he: Person; // 农技站, 东台村
  let kong: Person; // 城建办, 东台村

  beforeAll(async () => {
    he = await bind('c-he-jianjun');
    kong = await bind('c-kong-weidong');
  });

  it('查询 with no case says so', async () => {
    const nobody = contact('新来的');
    await sendAt('2026-11-26T08:50', nobody, '查询');
    expect(news(nobody)).toEqual(['您还没有反映过问题。有事请直接留言。']);
  });

  it('opens a second case with 新问题 while one is open, lists both with status, asks again for a rating', async () => {
    const liu = await resident('刘奶奶', 'dongtai');
    h.clock.set(t('2026-11-26T09:00'));
    expect(await openCase(liu, '秧苗发黄是不是病虫害')).toBe(1001);
    news(he);

    await sendAt('2026-11-26T09:05', liu, '查询');
    expect(news(liu)).toEqual(['您的事项：\n#1001 秧苗发黄是不是病虫害\n  农技站贺建军 · 等待处理']);

    // 新问题 while #1001 is open: a second case, not a follow-up of the first.
    await sendAt('2026-11-26T09:10', liu, '新问题 路灯坏了，晚上看不见路');
    const [ack] = news(liu);
    expect(ack).toContain('已受理，编号 #1002。');
    expect(ack).toContain('由城建办孔卫东（城建专干）负责');
    expect(news(kong)[0]).toMatch(/^【新案件 #1002】东台村 · 城建办\n群众：刘奶奶\n内容：路灯坏了，晚上看不见路\n/);
    expect(news(he)).toEqual([]);
    expect(await caseRow(1002)).toMatchObject({ department_id: 'chengjianban', assignee_id: 'c-kong-weidong', status: 'assigned' });
    expect(await eventTypes(1001)).toEqual(['created', 'assigned']);

    await sendAt('2026-11-26T09:20', he, '接单 1001');
    news(liu);
    await send(liu, '查询');
    expect(news(liu)).toEqual([
      '您的事项：\n#1002 路灯坏了，晚上看不见路\n  城建办孔卫东 · 等待处理\n#1001 秧苗发黄是不是病虫害\n  农技站贺建军 · 正在办理',
    ]);

    // Callback: a message that is no rating is kept with the case and the question asked again.
    await sendAt('2026-11-26T10:00', he, '办结 1001 已指导施肥');
    news(liu);
    news(he);
    await sendAt('2026-11-26T10:10', liu, '谢谢你们，辛苦了');
    expect(news(liu)).toEqual(['不客气！麻烦您给 #1001 评价一下：回复 1 满意，2 基本满意，3 不满意。']);
    expect(news(he)).toEqual([]);
    expect(news(kong)).toEqual([]);
    const waiting = await caseRow(1001);
    expect(waiting).toMatchObject({ status: 'resolved', rating: null });
    const [thanks] = await h.query<{ case_id: number; outcome: string }>(
      `SELECT case_id, outcome FROM inbound_messages WHERE text = '谢谢你们，辛苦了'`,
    );
    expect(thanks).toEqual({ case_id: waiting.id, outcome: 'asked-rating' });
    // Words about the case just resolved reach its holder; the question is asked again.
    await sendAt('2026-11-26T10:12', liu, '秧苗还是有点黄');
    expect(news(liu)).toEqual(['收到，已转给贺建军。也请为 #1001 评价：回复 1 满意，2 基本满意，3 不满意。']);
    expect(news(he)).toEqual(['【#1001 群众补充】东台村 刘奶奶：秧苗还是有点黄']);
    expect(news(kong)).toEqual([]);
    // Two photos in a row: both reach him under one header, and the question is asked once.
    h.clock.set(t('2026-11-26T10:13'));
    await sendPhoto(liu, 'seedling-1.jpg');
    h.clock.advance(0.5);
    await sendPhoto(liu, 'seedling-2.jpg');
    expect(news(he)).toEqual(['【#1001 群众补充】东台村 刘奶奶发来图片，见下条。', '[文件] seedling-1.jpg', '[文件] seedling-2.jpg']);
    expect(news(liu)).toEqual(['收到，已转给贺建军。也请为 #1001 评价：回复 1 满意，2 基本满意，3 不满意。']);

    await send(liu, '查询');
    expect(news(liu)[0]).toContain('#1001 秧苗发黄是不是病虫害\n  农技站贺建军 · 已办完，等您评价');

    await sendAt('2026-11-26T10:20', liu, '2 还行吧');
    expect(news(liu)).toEqual(['谢谢您的评价！有事随时留言。']);
    expect(news(he)).toEqual(['#1001 群众评价：基本满意，意见：还行吧']);
    expect(await caseRow(1001)).toMatchObject({
      status: 'closed',
      rating: 'basically-satisfied',
      rating_comment: '还行吧',
      closed_at: t('2026-11-26T10:20'),
    });

    // After the callback, a plain message goes to the case still open (#1002).
    await sendAt('2026-11-26T10:30', liu, '路灯在村口桥边');
    expect(news(liu)).toEqual(['收到，已转给负责 #1002 的孔卫东。预计 11月27日 10:40 前联系您。']);
    expect(news(kong)).toEqual(['【#1002 群众补充】东台村 刘奶奶：路灯在村口桥边']);
    expect(await h.count(`SELECT count(*) FROM cases`)).toBe(2);

    await send(liu, '新问题');
    expect(news(liu)).toEqual(['请在“新问题”后面写上您的事情，例如：新问题 路灯坏了。']);
    expect(await h.count(`SELECT count(*) FROM cases`)).toBe(2);
  });

  it('asks for a rating held back behind another once that callback lapses unanswered', async () => {
    const qin = await resident('秦大妈', 'dongtai');
    h.clock.set(t('2026-11-26T09:00'));
    const first = await openCase(qin, '秧苗发黄是不是病虫害');
    await sendAt('2026-11-26T09:05', qin, '新问题 路灯坏了，晚上看不见路');
    const second = Number(/#(\d+)/.exec(news(qin)[0]!)![1]);
    await sendAt('2026-11-26T10:00', he, `办结 ${first} 已指导施肥`);
    expect(news(qin)[0]).toContain('请您评价');
    await sendAt('2026-11-26T10:30', kong, `办结 ${second} 已换灯泡`);
    expect(news(qin)).toEqual([`您的事项 #${second} 已由城建办孔卫东办结：已换灯泡`]); // the rating of #first is in front

    // Three days on, #first's callback lapses: #second's rating is asked now.
    h.clock.set(t('2026-11-29T10:01'));
    await h.app.worker!.sweep();
    await h.settle();
    expect(news(qin)).toEqual([`#${second} 已办结，请您评价：回复 1 满意，2 基本满意，3 不满意（可附上意见）。`]);
    await sendAt('2026-11-29T10:05', qin, '1');
    expect(await caseRow(first)).toMatchObject({ status: 'closed', rating: 'no-answer' });
    expect(await caseRow(second)).toMatchObject({ status: 'closed', rating: 'satisfied' });
  });

  it('asks for the rating only after the question the resident is answering, so "1" is never read twice', async () => {
    const ma = await resident('马大爷', 'dongtai');
    h.clock.set(t('2026-11-26T11:00'));
    const first = await openCase(ma, '秧苗发黄是不是病虫害');
    news(he);

    // A second matter whose department is unclear: the menu is the question in front of him.
    await sendAt('2026-11-26T11:05', ma, '新问题 还有个事想问问');
    expect(news(ma)[0]).toContain('请问这件事找哪个部门？');

    // 办结 now: the note reaches him, the rating waits, and the cadre is told so.
    await sendAt('2026-11-26T11:10', he, `办结 ${first} 已指导施肥`);
    expect(news(ma)).toEqual([`您的事项 #${first} 已由农技站贺建军办结：已指导施肥`]);
    expect(news(he)).toEqual([`已办结 #${first}（马大爷），群众正在回答另一个问题，答完后再请其评价。有现场照片可直接发来，会转给群众。误发了请发：撤销办结 ${first}`]);

    // "1" answers the menu (农技站 is first), then the rating is asked.
    await sendAt('2026-11-26T11:12', ma, '1');
    const [ack, question] = news(ma);
    expect(ack).toContain('已受理，编号 #');
    expect(question).toBe(`#${first} 已办结，请您评价：回复 1 满意，2 基本满意，3 不满意（可附上意见）。`);
    const second = Number(/#(\d+)/.exec(ack!)![1]);

    // Words about the case just opened go to it, not to the rating.
    await sendAt('2026-11-26T11:14', ma, '就在村口小桥那里');
    expect(news(ma)[0]).toMatch(new RegExp(`^收到，已转给负责 #${second} 的`));
    expect(await h.query(`SELECT c.number FROM inbound_messages m JOIN cases c ON c.id = m.case_id WHERE m.text = '就在村口小桥那里'`)).toEqual([{ number: second }]);

    await sendAt('2026-11-26T11:15', ma, '1');
    expect(news(ma)).toEqual(['谢谢您的评价！有事随时留言。']);
    expect(await caseRow(first)).toMatchObject({ status: 'closed', rating: 'satisfied' });
    const cases = await h.query<{ department_id: string; status: string }>(
      `SELECT c.department_id, c.status FROM cases c JOIN residents r ON r.id = c.resident_id WHERE r.name = '马大爷' ORDER BY c.id`,
    );
    expect(cases).toEqual([
      { department_id: 'nongjizhan', status: 'closed' },
      { department_id: expect.any(String), status: 'assigned' },
    ]);
  });
});

describe('a rating written as 评价 1', () => {
  useHarness();

  it('takes 满 意 typed with a space between the characters as the rating, and thanks back a thank-you', async () => {
    const he = await bind('c-he-jianjun');
    h.clock.set(t('2026-11-26T09:00'));
    const p = await resident('钱大爷', 'dongtai');
    const number = await openCase(p, '秧苗发黄是不是病虫害');
    await send(he, `办结 ${number} 已指导施肥`);
    news(p);
    news(he);
    await send(p, '谢谢 你们 辛苦了');
    expect(news(p)).toEqual([`不客气！麻烦您给 #${number} 评价一下：回复 1 满意，2 基本满意，3 不满意。`]);
    // A nod is not thanked back.
    await send(p, '好的');
    expect(news(p)).toEqual([`麻烦您给 #${number} 评价一下：回复 1 满意，2 基本满意，3 不满意。`]);
    await send(p, '满 意');
    expect(news(p)).toEqual(['谢谢您的评价！有事随时留言。']);
    expect(news(he)).toEqual([`#${number} 群众评价：满意`]);
    expect(await caseRow(number)).toMatchObject({ status: 'closed', rating: 'satisfied' });
  });

  it('takes 评价1, 评价 1 and 评价：满意 after the rating question as the rating, not as words for the cadre', async () => {
    const he = await bind('c-he-jianjun');
    const answers = [
      ['评价1', 'satisfied', '满意'],
      ['评价 2', 'basically-satisfied', '基本满意'],
      ['评价：满意', 'satisfied', '满意'],
      ['评价，3 还是黄', 'unsatisfied', null],
    ] as const;
    h.clock.set(t('2026-11-26T09:00'));
    for (const [i, [answer, rating, told]] of answers.entries()) {
      const p = await resident(`评价${i}号`, 'dongtai');
      const number = await openCase(p, '秧苗发黄是不是病虫害');
      await send(he, `办结 ${number} 已指导施肥`);
      news(p);
      news(he);
      await send(p, answer);
      expect((await caseRow(number)).rating, answer).toBe(rating);
      if (told) {
        expect(news(p), answer).toEqual(['谢谢您的评价！有事随时留言。']);
        expect(news(he), answer).toEqual([`#${number} 群众评价：${told}`]);
      } else {
        expect(news(he)[0], answer).toContain('还是黄');
      }
      const [row] = await h.query<{ outcome: string }>(`SELECT outcome FROM inbound_messages WHERE text = $1`, [answer]);
      expect(row!.outcome, answer).toBe('rated');
    }
  });
});

describe('a head’s own case late', () => {
  useHarness();

  it('is urged to one office dispatcher, the one on duty, not to every one', async () => {
    const zhou = await bind('c-zhou-lihua');
    const tan = await bind('c-tan-xiaoyan');
    await bind('c-peng-deming');
    await bind('c-he-jianjun');
    const wei = await resident('卫大爷', 'dongshan');
    h.clock.set(t('2026-11-26T09:00'));
    const n = await openCase(wei, '稻瘟病怎么防治');
    expect((await caseRow(n)).assignee_id).toBe('c-peng-deming'); // 农技站's head, on duty for 东山村
    h.clock.set(t('2026-11-26T11:01'));
    await h.app.worker!.sweep();
    await h.settle();
    expect((await caseRow(n)).assignee_id).toBe('c-he-jianjun');
    // Both dispatchers hold the desk on a weekday; the roster's first is told.
    expect(news(zhou).filter((m) => m.startsWith(`【催办】#${n}`))).toHaveLength(1);
    expect(news(tan).filter((m) => m.startsWith(`【催办】#${n}`))).toEqual([]);
  });
});

describe('代办 — a cadre files for a resident without WeChat', () => {
  useHarness();
  let peng: Person; // 彭学文, 包村干部 of 东山村, 城东村, 塔子村 (党政办)
  let deming: Person; // 彭德明, 农技站, on duty for 东山村 on workdays
  let lei: Person; // 雷振华, 城建办, on duty for 东山村 and 城东村 on workdays
  let luo: Person; // 罗国强, 动物防疫站, on duty for 东山村 on workdays
  /** The line every relayed message ends with. */
  const answerLine = (name: string) => `（${name}的回话请发：代办 ${name} 内容）`;

  beforeAll(async () => {
    peng = await bind('c-peng-xuewen');
    deming = await bind('c-peng-deming');
    lei = await bind('c-lei-zhenhua');
    luo = await bind('c-luo-guoqiang');
  });

  it('opens the case for the named resident and village; what the resident is told goes to the filing cadre', async () => {
    await sendAt('2026-11-26T09:05', peng, '代办 张大爷 东山村 家里水稻有稻飞虱，想请农技员来看看');
    const [ack] = news(peng);
    expect(ack).toMatch(/^【代办·张大爷】请转告：\n已受理，编号 #\d+。\n由农技站彭德明（农技站站长）负责/);
    const number = Number(/#(\d+)/.exec(ack!)![1]);
    const [notice] = news(deming);
    expect(notice).toContain(`【新案件 #${number}】东山村 · 农技站\n（群众没有微信，由彭学文代办，回复会由他转告）\n群众：张大爷\n内容：家里水稻有稻飞虱，想请农技员来看看`);

    const [resident] = await h.query(`SELECT wechat_id, village_id, relay_cadre_id FROM residents WHERE name = '张大爷'`);
    expect(resident).toEqual({ wechat_id: null, village_id: 'dongshan', relay_cadre_id: 'c-peng-xuewen' });
    const [created] = await h.query(
      `SELECT e.actor_type, e.data->>'relayedBy' AS relayed_by, m.cadre_id, m.outcome, m.relayed_text, r.name AS resident
       FROM case_events e JOIN cases c ON c.id = e.case_id JOIN inbound_messages m ON m.case_id = c.id JOIN residents r ON r.id = m.resident_id
       WHERE c.number = $1 AND e.type = 'created'`,
      [number],
    );
    expect(created).toEqual({
      actor_type: 'resident', relayed_by: 'c-peng-xuewen', cadre_id: 'c-peng-xuewen', outcome: 'case-opened',
      relayed_text: '家里水稻有稻飞虱，想请农技员来看看', resident: '张大爷',
    });

    // The holder's reply reaches the filing cadre, marked with whom it is for.
    await sendAt('2026-11-26T09:30', deming, `回复 ${number} 明天上午去田里看`);
    expect(news(deming)).toEqual([`已转告 #${number} 的群众张大爷。`]);
    expect(news(peng)).toEqual([`【代办·张大爷】请转告：\n【农技站 彭德明】明天上午去田里看\n（#${number}）\n${answerLine('张大爷')}`]);

    // More words for the same resident join the open case; the village may now be left out.
    await sendAt('2026-11-26T09:40', peng, '代办 张大爷 他说下午也在家');
    expect(news(deming)).toEqual([`【#${number} 群众补充】东山村 张大爷：他说下午也在家`]);
    expect(news(peng)).toEqual([`【代办·张大爷】请转告：\n收到，已转给负责 #${number} 的彭德明。\n${answerLine('张大爷')}`]);
    expect(await h.count(`SELECT count(*) FROM cases c JOIN residents r ON r.id = c.resident_id WHERE r.name = '张大爷'`)).toBe(1);

    // 办结: the note and the rating question, in the words the cadre sends, in one message.
    await sendAt('2026-11-27T10:00', deming, `办结 ${number} 已指导打药`);
    expect(news(deming)[0]).toMatch(new RegExp(`^已办结 #${number}（张大爷），已请群众评价。`));
    expect(news(peng)).toEqual([
      `【代办·张大爷】请转告：\n您的事项 #${number} 已由农技站彭德明办结：已指导打药\n` +
        `请问张大爷是否满意，然后发：代办 张大爷 1（满意）、2（基本满意）或 3（不满意），可附意见。\n${answerLine('张大爷')}`,
    ]);
    await sendAt('2026-11-27T10:30', peng, '代办 张大爷 1');
    expect(news(deming)).toEqual([`#${number} 群众评价：满意`]);
    expect(news(peng)).toEqual([`【代办·张大爷】请转告：\n谢谢您的评价！\n${answerLine('张大爷')}`]);
    expect(await caseRow(number)).toMatchObject({ status: 'closed', rating: 'satisfied' });
    const [rated] = await h.query(`SELECT e.data->>'relayedBy' AS relayed_by FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.number = $1 AND e.type = 'rated'`, [number]);
    expect(rated).toEqual({ relayed_by: 'c-peng-xuewen' });
  });

  it('asks for the village when the cadre covers several and names none; a cadre of one village may leave it out', async () => {
    await sendAt('2026-11-27T11:00', peng, '代办 李奶奶 水稻打药的事想问问');
    expect(news(peng)).toEqual(['请写明是哪个村的，村名后空一格再写事情，例如：代办 张大爷 东山村 家里的猪不吃食']);
    expect(await h.count(`SELECT count(*) FROM residents WHERE name = '李奶奶'`)).toBe(0);

    await h.query(`UPDATE cadres SET village_ids = '{tazi}' WHERE id = 'c-peng-xuewen'`);
    await sendAt('2026-11-27T11:05', peng, '代办 李奶奶 水稻打药的事想问问');
    expect(news(peng)[0]).toMatch(/^【代办·李奶奶】请转告：\n已受理，编号 #\d+/);
    expect(await h.query(`SELECT village_id FROM residents WHERE name = '李奶奶'`)).toEqual([{ village_id: 'tazi' }]);
    await h.query(`UPDATE cadres SET village_ids = '{dongshan,chengdong,tazi}' WHERE id = 'c-peng-xuewen'`);
  });

  it('reads a village only as a word of its own, not inside the matter', async () => {
    await sendAt('2026-11-27T11:08', peng, '代办 李大妈 城东村路灯坏了 好几天了');
    expect(news(peng)).toEqual(['请写明是哪个村的，村名后空一格再写事情，例如：代办 张大爷 东山村 家里的猪不吃食']);
    await sendAt('2026-11-27T11:09', peng, '代办 李大妈 城东村 村口路灯坏了好几天了');
    expect(news(peng)[0]).toMatch(/^【代办·李大妈】请转告：\n已受理，编号 #\d+。\n由城建办雷振华/);
    expect(news(lei)[0]).toContain('内容：村口路灯坏了好几天了');
  });

  it('shows the department menu to the filing cadre when the words place nothing, and takes the answer', async () => {
    await sendAt('2026-11-27T11:10', peng, '代办，王大妈，城东村，想问问上次说的那个事');
    const [menu] = news(peng);
    expect(menu).toMatch(/^【代办·王大妈】请转告：\n请问这件事找哪个部门？/);
    await sendAt('2026-11-27T11:12', peng, '代办 王大妈 0');
    expect(news(peng)[0]).toMatch(/^【代办·王大妈】请转告：\n已受理，编号 #\d+。\n由党政办/);
    const [row] = await h.query(
      `SELECT c.department_id, c.village_id, c.description, a.role FROM cases c JOIN residents r ON r.id = c.resident_id
       JOIN cadres a ON a.id = c.assignee_id WHERE r.name = '王大妈'`,
    );
    expect(row).toEqual({ department_id: 'dangzhengban', village_id: 'chengdong', description: '想问问上次说的那个事', role: 'office' });
  });

  it('without the matter gets the example line and opens nothing', async () => {
    const cases = await h.count(`SELECT count(*) FROM cases`);
    const example = '“代办”的写法：代办 张大爷 东山村 家里的猪不吃食\n发“帮助”查看全部指令。';
    await sendAt('2026-11-27T11:20', peng, '代办 赵爷爷。');
    expect(news(peng)).toEqual([example]);
    await sendAt('2026-11-27T11:21', peng, '代办 赵爷爷 东山村');
    expect(news(peng)).toEqual([example]);
    await sendAt('2026-11-27T11:22', peng, '代办 1001 他说明天在家');
    expect(news(peng)).toEqual([example]);
    expect(await h.count(`SELECT count(*) FROM cases`)).toBe(cases);
  });

  it('passes on complaints while a rating is asked, asks a held-back rating next, and tells a cadre who no longer relays', async () => {
    // 孙奶奶's first case is resolved and her rating asked; then a 防疫 matter is filed for her.
    await sendAt('2026-11-30T09:00', peng, '代办 孙奶奶 东山村 村口路灯坏了');
    const first = Number(/#(\d+)/.exec(news(peng)[0]!)![1]);
    await sendAt('2026-11-30T09:30', lei, `办结 ${first} 已换灯泡`);
    news(lei);
    news(peng);
    // Words that are no rating go to the holder, and the question is asked again in the cadre's words.
    await sendAt('2026-11-30T09:40', peng, '代办 孙奶奶 灯还是不太亮');
    expect(news(lei)).toEqual([`【#${first} 群众补充】东山村 孙奶奶：灯还是不太亮`]);
    expect(news(peng)).toEqual([
      `【代办·孙奶奶】请转告：\n收到，已转给雷振华。也请问孙奶奶对 #${first} 是否满意，然后发：代办 孙奶奶 1（满意）、2（基本满意）或 3（不满意）。\n${answerLine('孙奶奶')}`,
    ]);
    // A matter of another department opens its own case; resolved while her rating is still asked.
    await sendAt('2026-11-30T09:45', peng, '代办 孙奶奶 家里的猪病了不吃食');
    const second = Number(/#(\d+)/.exec(news(peng)[0]!)![1]);
    expect(second).not.toBe(first);
    await sendAt('2026-11-30T10:00', luo, `办结 ${second} 已打针`);
    expect(news(luo).at(-1)).toContain('群众正在回答另一个问题，答完后再请其评价');
    news(peng);
    // The first rating, then the held-back one is asked.
    await sendAt('2026-11-30T10:10', peng, '代办 孙奶奶 2');
    expect(news(peng)).toEqual([
      `【代办·孙奶奶】请转告：\n谢谢您的评价！\n${answerLine('孙奶奶')}`,
      `【代办·孙奶奶】请转告：\n#${second} 已办结，请问孙奶奶是否满意，然后发：代办 孙奶奶 1（满意）、2（基本满意）或 3（不满意），可附意见。\n${answerLine('孙奶奶')}`,
    ]);
    await sendAt('2026-11-30T10:12', peng, '代办 孙奶奶 1');
    expect([(await caseRow(first)).rating, (await caseRow(second)).rating]).toEqual(['basically-satisfied', 'satisfied']);
    news(peng);

    // 罗国强 files for her next: 彭学文 is told her messages now go to 罗国强.
    await sendAt('2026-11-30T10:20', luo, '代办 孙奶奶 东山村 鸡也不太精神');
    expect(news(peng)).toEqual(['今后给东山村孙奶奶的话改由罗国强转告，不再发给您。']);
    expect(news(luo).at(-1)).toMatch(/^【代办·孙奶奶】请转告：\n/);
  });

  it('answers plain words from a cadre who files for someone with the 代办 line to send them', async () => {
    await sendAt('2026-11-30T10:45', luo, '他说明天上午在家'); // 45 minutes after his last 办结
    expect(news(luo)).toEqual(['这条没有转出。如果是孙奶奶的话，请发：\n代办 孙奶奶 他说明天上午在家\n发“帮助”查看全部指令。']);
  });

  it('has a case held by the cadre who relays rated through another cadre', async () => {
    await sendAt('2026-11-30T11:00', luo, '代办 周大爷 东山村 猪病了不吃食');
    const number = Number(/#(\d+)/.exec(news(luo).find((m) => m.startsWith('【代办'))!)![1]);
    expect(await caseRow(number)).toMatchObject({ assignee_id: 'c-luo-guoqiang' });
    // 罗国强 holds it and relays for 周大爷: he is not asked to pass on his own rating.
    await sendAt('2026-11-30T11:30', luo, `办结 ${number} 已打针`);
    expect(news(luo)).toEqual([
      `【代办·周大爷】请转告：\n您的事项 #${number} 已由动物防疫站罗国强办结：已打针\n${answerLine('周大爷')}`,
      `已办结 #${number}（周大爷）。您是办理人，评价请其他同志问周大爷后发：代办 周大爷 1、2 或 3。`,
    ]);
    await sendAt('2026-11-30T11:31', luo, '代办 周大爷 1');
    expect(news(luo)).toEqual([`#${number} 是您办理的，评价不能由您转达，请其他同志问后再发。`]);
    expect(await caseRow(number)).toMatchObject({ status: 'resolved', rating: null });
    // A "1" that answers the department menu is that answer, not a rating.
    await sendAt('2026-11-30T11:35', luo, '代办 周大爷 还想问问那个事');
    expect(news(luo)[0]).toMatch(/^【代办·周大爷】请转告：\n请问这件事找哪个部门？/);
    await sendAt('2026-11-30T11:36', luo, '代办 周大爷 1');
    expect(news(luo)[0]).toMatch(/^【代办·周大爷】请转告：\n已受理，编号 #\d+。\n由农技站/);
    // 彭学文 asks him and passes it on.
    await sendAt('2026-11-30T14:40', peng, '代办 周大爷 东山村 1 打针后好多了');
    expect(news(luo)).toEqual(['今后给东山村周大爷的话改由彭学文转告，不再发给您。', `#${number} 群众评价：满意，意见：打针后好多了`]);
    expect(await caseRow(number)).toMatchObject({ status: 'closed', rating: 'satisfied' });
  });

  it('reads a name, a village and the words in either order, and a village the cadre does not cover as words', async () => {
    await sendAt('2026-11-30T15:00', peng, '代办 东山村 郑大妈 村口路灯坏了');
    expect(news(peng)[0]).toMatch(/^【代办·郑大妈】请转告：\n已受理/);
    // 居委会 (新城社区) is not 彭学文's: here it is part of what 郑大妈 says, in her own case.
    await sendAt('2026-11-30T15:05', peng, '代办 郑大妈 居委会 让她去开个证明');
    expect(news(peng)[0]).toMatch(/^【代办·郑大妈】请转告：\n收到，已转给负责 #\d+ 的雷振华。/);
    expect(news(lei).at(-1)).toMatch(/群众补充】东山村 郑大妈：居委会 让她去开个证明$/);
    expect(await h.query(`SELECT village_id FROM residents WHERE name = '郑大妈'`)).toEqual([{ village_id: 'dongshan' }]);
    // Only punctuation after the village is no matter.
    await sendAt('2026-11-30T15:06', peng, '代办 郑大妈 东山村 。');
    expect(news(peng)).toEqual(['“代办”的写法：代办 张大爷 东山村 家里的猪不吃食\n发“帮助”查看全部指令。']);
  });

  it('takes a photo the cadre sends right after a 代办 as that resident’s', async () => {
    await sendAt('2026-11-30T16:00', peng, '代办 冯奶奶 东山村 家里的猪病了不吃食');
    const number = Number(/#(\d+)/.exec(news(peng)[0]!)![1]);
    news(luo);
    h.clock.set(t('2026-11-30T16:02'));
    await sendPhoto(peng, 'pig.jpg');
    expect(news(luo)).toEqual([`【#${number} 群众补充】东山村 冯奶奶发来图片，见下条。`, '[文件] pig.jpg']);
    expect(news(peng)).toEqual([`【代办·冯奶奶】请转告：\n收到，已转给负责 #${number} 的罗国强。预计 12月1日 09:00 前联系您。\n${answerLine('冯奶奶')}`]);
    // A sticker is the cadre's own, not hers.
    const sticker = `sticker-${Date.now()}`;
    h.mocker.MessageMock.create({ id: sticker, talkerId: peng.contact.id, listenerId: h.puppet.currentUserId, timestamp: h.clock.now().getTime(), type: types.Message.Emoticon } as never);
    await deliver(() => h.puppet.emit('message', { messageId: sticker }));
    expect(news(luo)).toEqual([]);
    expect(news(peng)).toEqual(['这条没有转给群众：不清楚是哪个案件的。请先发“回复 编号 内容”或“办结 编号 说明”，再发照片或语音。']);
    // An hour later the photo is nobody's: the hint.
    h.clock.set(t('2026-11-30T17:10'));
    await sendPhoto(peng, 'later.jpg');
    expect(news(peng)).toEqual(['这条没有转给群众：不清楚是哪个案件的。请先发“回复 编号 内容”或“办结 编号 说明”，再发照片或语音。']);
  });

  it('places the matter by the resident’s words, not by the name or the village', async () => {
    // "五保户" in a name would say 民政办; the words say nothing: the menu.
    await sendAt('2026-11-30T15:10', peng, '代办 五保户老孙 东山村 想问问上次说的那个事');
    expect(news(peng)[0]).toMatch(/^【代办·五保户老孙】请转告：\n请问这件事找哪个部门？/);
  });

  it('keeps the village a cadre filed in: 我是城东村的 from a resident without WeChat is words', async () => {
    await sendAt('2026-12-08T09:00', peng, '代办 孙大娘 东山村 村口路灯坏了');
    expect(news(peng)[0]).toMatch(/^【代办·孙大娘】请转告：\n已受理/);
    await sendAt('2026-12-08T09:05', peng, '代办 孙大娘 我是城东村的');
    expect(news(peng)[0]).toMatch(/^【代办·孙大娘】请转告：\n收到，已转给负责 #\d+ 的/);
    expect(await h.query(`SELECT village_id FROM residents WHERE name = '孙大娘'`)).toEqual([{ village_id: 'dongshan' }]);
  });

  it('takes 代办 typed without spaces or with Chinese commas when name, village and matter are clear; else the example', async () => {
    const filed = async (text: string, name: string) => {
      await sendAt('2026-12-08T10:00', peng, text);
      expect(news(peng)[0], text).toMatch(new RegExp(`^【代办·${name}】请转告：\n已受理，编号 #\\d+。\n由城建办雷振华`));
      const [row] = await h.query(
        `SELECT r.village_id, c.description FROM residents r JOIN cases c ON c.resident_id = r.id WHERE r.name = $1 AND r.relay_cadre_id IS NOT NULL`,
        [name],
      );
      return row;
    };
    expect(await filed('代办陶大爷 东山村 村口路灯坏了', '陶大爷')).toEqual({ village_id: 'dongshan', description: '村口路灯坏了' });
    expect(await filed('代办，曹奶奶，城东村，村口路灯坏了', '曹奶奶')).toEqual({ village_id: 'chengdong', description: '村口路灯坏了' });
    expect(await filed('代办严大爷东山村村口路灯坏了。', '严大爷')).toEqual({ village_id: 'dongshan', description: '村口路灯坏了' });
    expect(await filed('代办 城东村华大妈 村口路灯坏了', '华大妈')).toEqual({ village_id: 'chengdong', description: '村口路灯坏了' });
    expect(await filed('代办鲍大爷城东村，村口路灯坏了', '鲍大爷')).toEqual({ village_id: 'chengdong', description: '村口路灯坏了' });

    // No village to take it apart at, two of them, or one the cadre does not cover: the example.
    const cases = await h.count(`SELECT count(*) FROM cases`);
    const example = '“代办”的写法：代办 张大爷 东山村 家里的猪不吃食\n发“帮助”查看全部指令。';
    for (const text of ['代办金大爷村口路灯坏了', '代办金大爷东山村城东村路灯坏了', '代办金大爷东台村村口路灯坏了', '代办东山村村口路灯坏了']) {
      await sendAt('2026-12-08T10:10', peng, text);
      expect(news(peng), text).toEqual([example]);
    }
    expect(await h.count(`SELECT count(*) FROM cases`)).toBe(cases);
    expect(await h.count(`SELECT count(*) FROM residents WHERE name LIKE '金大爷%' OR name LIKE '东山村%'`)).toBe(0);
  });
});

describe('a cadre in the field, one hand free', () => {
  useHarness();
  let he: Person;
  let peng: Person; // head of 农技站

  beforeAll(async () => {
    he = await bind('c-he-jianjun');
    peng = await bind('c-peng-deming');
  });

  it('takes 收到 as a question, 接单 alone for the one waiting case, and a nod after 接单 N as no words', async () => {
    const lu = await resident('卢大伯', 'dongtai');
    const n = await openCase(lu, '秧苗发黄是不是病虫害');
    expect(news(he)[0]).toMatch(new RegExp(`前办结。\\n接单请发：接单 ${n}$`));

    // "收到" is not an acceptance: the cadre is told how, in one line, and nothing changes.
    await sendAt('2026-11-26T09:05', he, '收到');
    const [prompt, ...more] = news(he);
    expect(more).toEqual([]);
    expect(prompt).toMatch(new RegExp(`^#${n} 东台村 农技站 .*\\n  卢大伯：秧苗发黄是不是病虫害\\n这件还没有接单，发“接单”两个字即可。$`));
    expect(news(lu)).toEqual([]);
    expect((await caseRow(n)).status).toBe('assigned');

    await send(he, '接单');
    expect(news(he)).toEqual([`已接单 #${n}（卢大伯）。转告群众请发：回复 ${n} 内容`]);
    expect(news(lu)).toHaveLength(1);
    expect((await caseRow(n)).status).toBe('accepted');

    // Nothing waits now: a nod gets no answer at all.
    const sent = await h.count(`SELECT count(*) FROM outbound_messages WHERE cadre_id = 'c-he-jianjun'`);
    await send(he, '好的👍');
    expect(await h.count(`SELECT count(*) FROM outbound_messages WHERE cadre_id = 'c-he-jianjun'`)).toBe(sent);

    // Two waiting: 接单 alone lists them and accepts neither.
    const a = await openCase(await resident('甲大妈', 'dongtai'), '稻瘟病，叶子上全是斑');
    const b = await openCase(await resident('乙大爷', 'dongtai'), '种的蔬菜生了虫子');
    news(he);
    await send(he, '接单');
    const [list] = news(he);
    expect(list).toMatch(new RegExp(`^您有 2 件还没有接单：\\n#\\d+ .*\\n.*\\n#\\d+ .*\\n.*\\n接单请发“接单 编号”，如：接单 \\d+；几件一起接：接单 \\d+ \\d+$`));
    expect(list).toContain(`#${a} `);
    expect(list).toContain(`#${b} `);
    expect((await caseRow(a)).status).toBe('assigned');

    // "接单 1002号 👍": accepted; the thumbs-up is not sent to the resident, nor counted as a response.
    await send(he, `接单 ${a}号 👍`);
    expect((await caseRow(a)).status).toBe('accepted');
    expect((await caseRow(a)).first_response_at).toBeNull();
    await send(he, `接单${b}，收到。`);
    expect((await caseRow(b)).first_response_at).toBeNull();
  });

  it('sends a voice answer to the resident who just asked, and 转派 takes a department by a short name', async () => {
    const lu = await resident('陆奶奶', 'dongtai');
    h.clock.set(t('2026-11-27T09:00'));
    const n = await openCase(lu, '秧苗发黄了怎么办');
    await sendAt('2026-11-27T09:05', he, `接单 ${n}`);
    news(he);
    news(lu);
    // Long after acting on the case, the resident asks; the cadre answers by voice.
    await sendAt('2026-11-27T10:30', lu, '你什么时候到？');
    expect(news(lu)).toEqual([expect.stringMatching(new RegExp(`^收到，已转给负责 #${n} 的贺建军。预计 11月27日 .+ 前联系您。$`))]);
    news(he);
    h.clock.set(t('2026-11-27T10:32'));
    await sendPhoto(he, 'answer.silk');
    expect(news(lu)).toEqual([expect.stringMatching(new RegExp(`^【农技站 贺建军】发来.*（#${n}）：$`)), '[文件] answer.silk']);
    expect(news(he)).toEqual([`已转给 #${n} 的群众陆奶奶。`]);
    expect((await caseRow(n)).first_response_at).toEqual(t('2026-11-27T10:32'));
    // Answered: a 👍 now is about the new case that waits, not words for 陆奶奶.
    const waiting = await openCase(await resident('新来的', 'dongtai'), '稻瘟病叶子上全是斑');
    news(he);
    await sendAt('2026-11-27T10:34', he, '👍');
    expect(news(he)).toEqual([expect.stringMatching(new RegExp(`^#${waiting} [\\s\\S]*\n这件还没有接单，发“接单”两个字即可。$`))]);

    // A response given stays judged against its own limit when the case moves on.
    const dueBefore = (await caseRow(n)).first_response_due_at;
    await sendAt('2026-11-27T10:40', he, `转派 ${n}，防疫，是猪的问题`);
    expect(news(he)).toEqual([expect.stringMatching(new RegExp(`^已将 #${n} 转派给动物防疫站`))]);
    const moved = await caseRow(n);
    expect(moved.department_id).toBe('fangyizhan');
    expect(moved.first_response_due_at).toEqual(dueBefore);
    expect(moved.resolve_due_at!.getTime()).toBeGreaterThan(t('2026-11-27T10:40').getTime());
  });

  it('does not guess whose a photo is when a resident wrote right after the cadre acted on another case; answers 可以 with the 回复 line', async () => {
    const a = await resident('甲大哥', 'dongtai');
    const b = await resident('乙大哥', 'dongtai');
    h.clock.set(t('2026-12-02T09:00'));
    const first = await openCase(a, '秧苗发黄了怎么办');
    const second = await openCase(b, '稻瘟病叶子上全是斑');
    await sendAt('2026-12-02T09:05', he, `接单 ${first}`);
    await sendAt('2026-12-02T09:06', he, `接单 ${second}`);
    await sendAt('2026-12-02T09:30', he, `办结 ${first} 已打药，见照片`);
    await sendAt('2026-12-02T09:31', b, '有人吗？');
    news(a);
    news(b);
    news(he);
    // The photo of 甲's field, or an answer to 乙? Not guessed: it waits, and the cadre says which
    // by the number alone — the case just resolved first in the list, no need to send it again.
    h.clock.set(t('2026-12-02T09:32'));
    await sendPhoto(he, 'field-a.jpg');
    h.clock.advance(0.5);
    await sendPhoto(he, 'field-a2.jpg');
    const [ask, ...rest] = news(he);
    expect(rest).toEqual([]);
    // 图片, not 一张图片: a run of them waits. 发编号, not 回复编号: "回复 1001" is the 回复 command, written wrongly.
    expect(ask).toMatch(new RegExp(`^图片还没有转出，是给哪位群众的？\n#${first} 甲大哥：秧苗发黄了怎么办\n`));
    expect(ask).toContain(`\n#${second} 乙大哥：稻瘟病叶子上全是斑\n`);
    expect(ask).toMatch(new RegExp(`\n请发编号，如：${first}$`));
    expect(news(a)).toEqual([]);
    expect(news(b)).toEqual([]);
    await sendAt('2026-12-02T09:33', he, `${first}`);
    expect(news(a)).toEqual([`【农技站 贺建军】发来图片（#${first}）：`, '[文件] field-a.jpg', '[文件] field-a2.jpg']);
    expect(news(b)).toEqual([]);
    expect(news(he)).toEqual([`已转给 #${first} 的群众甲大哥。`]);
    const photos = await h.query<{ case_id: number }>(`SELECT case_id FROM inbound_messages WHERE kind = 'image' AND cadre_id = 'c-he-jianjun' AND sent_at >= $1`, [t('2026-12-02T09:32')]);
    expect(photos).toEqual([{ case_id: (await caseRow(first)).id }, { case_id: (await caseRow(first)).id }]);
    expect((await events(first)).filter((e) => e.type === 'replied' && e.data.kind === 'image')).toHaveLength(2);
    // Sent once: the number again sends nothing more.
    await send(he, `${first}`);
    expect(news(a)).toEqual([]);
    expect(news(he)).toEqual([`#${first} 已办结，无需再办理。`]);

    // Later, 乙 asks again with nothing else in front of the cadre: his words and 可以 are for 乙.
    await sendAt('2026-12-02T11:00', b, '明天上午来行不行？');
    news(he);
    await sendAt('2026-12-02T11:01', he, '可以');
    expect(news(he)).toEqual([`这条没有转给群众。要转告 #${second} 的群众，请发：\n回复 ${second} 可以\n发“帮助”查看全部指令。`]);
  });

  it('reads 不行 as words for the newer case’s cadre, not as the rating of the older one', async () => {
    const qian = await resident('钱大伯', 'dongtai');
    h.clock.set(t('2026-12-03T09:00'));
    const rice = await openCase(qian, '秧苗发黄了怎么办');
    await sendAt('2026-12-03T09:05', he, `接单 ${rice}`);
    await sendAt('2026-12-03T09:10', he, `办结 ${rice} 已指导打药`);
    // The rating stays asked; a matter of another department is a case of its own.
    await sendAt('2026-12-03T09:20', qian, '村口路灯又坏了');
    const lamp = Number(/#(\d+)/.exec(news(qian).at(-1)!)![1]);
    expect(lamp).not.toBe(rice);
    await sendAt('2026-12-03T09:40', qian, '不行');
    const [row] = await h.query<{ case_id: number }>(
      `SELECT m.case_id FROM inbound_messages m JOIN residents r ON r.id = m.resident_id WHERE r.name = '钱大伯' AND m.text = '不行'`,
    );
    expect(row!.case_id).toBe((await caseRow(lamp)).id);
    expect(await caseRow(rice)).toMatchObject({ status: 'resolved', rating: null });
    // A menu answer to the rating question still rates the older case.
    await sendAt('2026-12-03T10:00', qian, '3');
    expect(await caseRow(rice)).toMatchObject({ rating: 'unsatisfied' });
  });

  it('takes back a 办结 sent for the wrong case before the resident rates it', async () => {
    const ma = await resident('马二婶', 'dongtai');
    h.clock.set(t('2026-12-01T09:00'));
    const n = await openCase(ma, '秧苗发黄还打不打药');
    await sendAt('2026-12-01T09:05', he, `接单 ${n}`);
    await sendAt('2026-12-01T09:10', he, `办结 ${n} 已处理好了`);
    news(ma);
    news(he);
    await sendAt('2026-12-01T09:12', he, `撤销办结 ${n}`);
    expect(news(he)).toEqual([`已撤销 #${n}（马二婶）的办结，案件回到办理中。`]);
    expect(news(ma)).toEqual([`抱歉，刚才 #${n} 的办结通知发错了，这件事还在办理中，暂时不用评价。`]);
    // The mistaken 办结 was the only message to her: it is no first response either.
    expect(await caseRow(n)).toMatchObject({ status: 'accepted', resolved_at: null, callback_due_at: null, first_response_at: null });
    expect((await events(n)).at(-1)).toMatchObject({ type: 'resolve-undone', actor_id: 'c-he-jianjun' });
    expect(await h.query(`SELECT dialog FROM residents WHERE name = '马二婶'`)).toEqual([{ dialog: null }]);
    // Her "1" now is no rating of a case still being worked on: it reaches the cadre.
    await sendAt('2026-12-01T09:20', ma, '1');
    expect(news(he)).toEqual([`【#${n} 群众补充】东台村 马二婶：1`]);
    // A rating of an earlier round (不满意, reopened) is no obstacle to taking back the next 办结.
    await sendAt('2026-12-01T09:22', he, `办结 ${n} 药打好了`);
    await sendAt('2026-12-01T09:24', ma, '不满意');
    await sendAt('2026-12-01T09:26', he, `办结 ${n} 又补打了一遍`);
    news(he);
    await sendAt('2026-12-01T09:27', he, `撤销办结 ${n}`);
    expect(news(he)).toEqual([`已撤销 #${n}（马二婶）的办结，案件回到办理中。`]);
    expect(await caseRow(n)).toMatchObject({ status: 'accepted', rating: 'unsatisfied' });
    // Once rated, it is too late.
    await sendAt('2026-12-01T09:30', he, `办结 ${n} 这回真办好了`);
    await sendAt('2026-12-01T09:40', ma, '满意');
    news(he);
    await sendAt('2026-12-01T09:45', he, `撤销办结 ${n}`);
    expect(news(he)).toEqual([`#${n} 群众已评价，不能再撤销办结。如需处理请联系办公室。`]);
    // A closed case is no longer suggested for plain words.
    await sendAt('2026-12-01T09:50', he, '明天再去看看');
    expect(news(he)[0]).not.toContain(`回复 ${n}`);
  });

  it('takes 延期 with the days written as people write them; the head reads the reason only', async () => {
    const zheng = await resident('郑二嫂', 'dongtai');
    h.clock.set(t('2026-11-30T09:00'));
    const n = await openCase(zheng, '蔬菜生了虫子');
    await sendAt('2026-11-30T09:10', he, `接单 ${n}`);
    news(he);
    news(peng);
    await send(he, `延期${n}号 3天，等农药到货`);
    expect(news(he)).toEqual([`已提交 #${n} 的延期申请，等待审批。`]);
    expect(news(peng)[0]).toMatch(new RegExp(`^【延期申请】#${n} 贺建军申请延期 3 个工作日：等农药到货\\n`));
    await send(he, '待办');
    expect(news(he)[0]).toMatch(/^您的待办（\d+ 件）：/);
  });
});

// ── Quote replies (引用) ───────────────────────────────────────────────────────────────────

describe('接单 with several numbers — back in signal after hours', () => {
  useHarness();

  it('accepts each waiting case of the cadre, tells each resident, and names in one confirmation what was not taken', async () => {
    const he = await bind('c-he-jianjun');
    h.clock.set(t('2026-11-26T09:00'));
    const jia = await resident('甲大妈', 'dongtai');
    const yi = await resident('乙大爷', 'dongtai');
    const bing = await resident('丙大叔', 'dongtai');
    const a = await openCase(jia, '稻瘟病，叶子上全是斑');
    const b = await openCase(yi, '种的蔬菜生了虫子');
    const c = await openCase(bing, '秧苗发黄是不是病虫害');
    // Someone else's case: 城建办's, for 东台村.
    const other = await openCase(await resident('丁奶奶', 'dongtai'), '村口的路灯不亮了');
    news(he);

    await sendAt('2026-11-26T11:00', he, `接单 ${a} ${b}`);
    expect(news(he)).toEqual([`已接单 #${a}（甲大妈）、#${b}（乙大爷）。\n转告群众请发：回复 编号 内容`]);
    expect(news(jia)).toEqual([`您的事项 #${a} 已由农技站贺建军接单，会尽快和您联系。`]);
    expect(news(yi)).toEqual([`您的事项 #${b} 已由农技站贺建军接单，会尽快和您联系。`]);
    expect(news(bing)).toEqual([]);
    for (const n of [a, b]) {
      expect(await caseRow(n)).toMatchObject({ status: 'accepted', accepted_at: t('2026-11-26T11:00'), first_response_at: null });
      expect(await eventTypes(n)).toEqual(['created', 'assigned', 'accepted']);
    }
    expect((await caseRow(c)).status).toBe('assigned');

    // Commas, one already taken, someone else's, one that does not exist.
    await sendAt('2026-11-26T11:05', he, `接单 ${c}，${a}，${other}，9999`);
    expect(news(he)).toEqual([
      `已接单 #${c}（丙大叔）。\n未接：#${a} 您已接过；#${other} 不是派给您的；#9999 没有这个编号。\n转告群众请发：回复 ${c} 内容`,
    ]);
    expect(news(bing)).toEqual([`您的事项 #${c} 已由农技站贺建军接单，会尽快和您联系。`]);
    expect(news(jia)).toEqual([]);
    expect(await caseRow(other)).toMatchObject({ status: 'assigned', assignee_id: 'c-kong-weidong' });
    expect(await eventTypes(a)).toEqual(['created', 'assigned', 'accepted']);

    // Nothing to take: said so, with each number.
    await send(he, `接单 ${a}、${b}`);
    expect(news(he)).toEqual([`都没有接：#${a} 您已接过；#${b} 您已接过。`]);

    // Numbers and words: the words go to each of his, taken now or before, as 回复 of several sends them.
    await send(he, `接单 ${a} ${b} ${other} 马上到`);
    expect(news(he)).toEqual([`已转告 #${a}、#${b} 的群众。\n未接：#${other} 不是派给您的。`]);
    expect(news(jia)).toEqual([`【农技站 贺建军】马上到\n（#${a}，直接留言即可回复）`]);
    expect(news(yi)).toEqual([`【农技站 贺建军】马上到\n（#${b}，直接留言即可回复）`]);
  });
});

describe('quote replies (引用): a message quoted is the case it is about', () => {
  useHarness();
  let he: Person;
  let peng: Person; // head of 农技站

  /** `p` long-presses `quoted` (a message `p` received), 引用, and writes `words`: as wechaty-puppet-wechat4u gives it. */
  const quoting = (quoted: string, words: string, from = '东山镇连心') => `「${from}：${quoted}」\n- - - - - - - - - - - - - - -\n${words}`;

  beforeAll(async () => {
    he = await bind('c-he-jianjun');
    peng = await bind('c-peng-deming');
  });

  it('takes, answers and closes a case from quotes of its notices; the resident rates by quoting the question', async () => {
    const wang = await resident('王秀兰', 'dongtai');
    h.clock.set(t('2026-11-26T09:00'));
    const n = await openCase(wang, '玉米叶子发黄了，是不是病虫害');
    const [notice] = news(he);

    // "收到" quoting the new case's notice: accepted.
    await sendAt('2026-11-26T09:05', he, quoting(notice!, '收到'));
    expect(news(he)).toEqual([`已接单 #${n}（王秀兰）。转告群众请发：回复 ${n} 内容`]);
    expect(news(wang)).toEqual([`您的事项 #${n} 已由农技站贺建军接单，会尽快和您联系。`]);

    // The resident adds something; the cadre answers it by quoting it, without 回复 or a number.
    await sendAt('2026-11-26T09:20', wang, quoting('【农技站 贺建军】……', '我下午才在家', '东山镇'));
    const [added] = news(he);
    expect(added).toBe(`【#${n} 群众补充】东台村 王秀兰：我下午才在家\n（引用：【农技站 贺建军】……）`);
    expect(news(wang)).toEqual([`收到，已转给负责 #${n} 的贺建军。预计 11月26日 15:30 前联系您。`]);
    await sendAt('2026-11-26T09:30', he, quoting(added!, '好的，下午三点到您家'));
    expect(news(wang)).toEqual([`【农技站 贺建军】好的，下午三点到您家\n（#${n}，直接留言即可回复）`]);
    expect(news(he)).toEqual([`已转告 #${n} 的群众王秀兰。`]);
    // A number alone that is no case (what it will cost) is words, with the line to send them.
    await sendAt('2026-11-26T09:35', he, '200');
    expect(news(he)).toEqual([`这条没有转给群众。要转告 #${n} 的群众，请发：\n回复 ${n} 200\n发“帮助”查看全部指令。`]);

    // 办结 quoting the notice takes its number.
    await sendAt('2026-11-26T16:00', he, quoting(notice!, '办结 已打药'));
    expect((await caseRow(n)).status).toBe('resolved');
    const [question] = news(wang);
    expect(question).toContain('请您评价');
    news(he);

    // "1" quoting the rating question: a rating, not words for the cadre.
    await sendAt('2026-11-26T16:30', wang, quoting(question!, '1', '东山镇'));
    expect(news(wang)).toEqual(['谢谢您的评价！有事随时留言。']);
    expect(await caseRow(n)).toMatchObject({ status: 'closed', rating: 'satisfied' });
    // The row keeps what the resident sent, quote and all.
    expect(await h.count(`SELECT count(*) FROM inbound_messages WHERE text LIKE '「%- - -%1'`)).toBe(1);
  });

  it('lets a head approve the 延期申请 quoted with 同意; quotes of several cases or of another cadre’s case decide nothing', async () => {
    const li = await resident('李大伯', 'dongtai');
    h.clock.set(t('2026-11-27T09:00'));
    const a = await openCase(li, '果树有病虫害');
    const b = await openCase(li, '新问题 小麦也有病虫害');
    const aNotice = news(he).find((m) => m.startsWith(`【新案件 #${a}】`));
    await sendAt('2026-11-27T09:10', he, `接单 ${a}`);
    await send(he, `延期 ${a} 2 等药`);
    await send(he, `延期 ${b} 2 等疫苗`);
    news(he);
    const requests = news(peng);
    expect(requests).toHaveLength(2);

    // With two requests waiting, a bare 同意 would not know which; quoting one says it.
    await sendAt('2026-11-27T09:20', peng, quoting(requests[1]!, '同意'));
    expect(news(peng)).toEqual([expect.stringMatching(new RegExp(`^已同意 #${b} 延期`))]);
    expect((await caseRow(b)).extension_request).toBeNull();
    expect((await caseRow(a)).extension_request).not.toBeNull();

    // A 任务 list names several cases: "收到" quoting it takes none.
    news(li);
    const c = await openCase(li, '新问题 水稻也有病虫害');
    const cNotice = news(he).find((m) => m.startsWith(`【新案件 #${c}】`));
    await send(he, '任务');
    const [tasks] = news(he);
    expect(tasks).toContain(`#${c}`);
    await send(he, quoting(tasks!, '收到'));
    expect((await caseRow(c)).status).toBe('assigned');
    expect(news(he)).toEqual([expect.stringMatching(/^您有 2 件还没有接单/)]);
    // "1" quoting its own notice, as a work chat says 收到: taken, and nothing goes to the resident as words.
    await send(he, quoting(cNotice!, '1'));
    expect((await caseRow(c)).status).toBe('accepted');
    expect(news(li)).toEqual([`您的事项 #${c} 已由农技站贺建军接单，会尽快和您联系。`]);
    news(he);
    // "办好了" quoting #a's notice, though he just acted on #c: the 办结 line for #a; nothing reaches the resident.
    await send(he, quoting(aNotice!, '办好了'));
    expect(news(he)).toEqual([`要办结 #${a}（李大伯）请发：\n办结 ${a} 办好了\n只转告群众请发：回复 ${a} 办好了`]);
    expect(news(li)).toEqual([]);

    // The head's words quoting a case he does not hold: for its holder or its resident? He is asked.
    await send(peng, quoting(requests[0]!, '抓紧办'));
    expect(news(li)).toEqual([]);
    expect(news(he)).toEqual([]);
    expect(news(peng)).toEqual([`这条没有发出。督促办理请发：督办 ${a} 抓紧办\n转告群众请发：回复 ${a} 抓紧办`]);
    // "不同意" quoting the other 【延期申请】: 驳回延期 for it.
    await send(peng, quoting(requests[0]!, '不同意'));
    expect(news(peng)).toEqual([`已驳回 #${a} 的延期申请。`]);
    expect(news(he)).toEqual([`#${a} 的延期申请未同意。`]);
    expect((await caseRow(a)).extension_request).toBeNull();
  });

  it('sends a number alone quoting a resident to that resident: it is no other case\'s number', async () => {
    const qi = await resident('齐大爷', 'dongtai');
    h.clock.set(t('2026-11-30T09:00'));
    const n = await openCase(qi, '果树生了病虫害，要打什么药');
    await sendAt('2026-11-30T09:05', he, `接单 ${n}`);
    news(he);
    news(qi);
    await sendAt('2026-11-30T09:20', qi, '药要多少钱一瓶？');
    const [asked] = news(he);
    news(qi);
    await sendAt('2026-11-30T09:25', he, quoting(asked!, '200'));
    expect(news(qi)).toEqual([`【农技站 贺建军】200\n（#${n}，直接留言即可回复）`]);
    expect(news(he)).toEqual([`已转告 #${n} 的群众齐大爷。`]);
  });

  it('sends a head\'s 同意 quoting a resident of his own case to the resident: there is no 延期申请 to approve', async () => {
    const lu = await resident('鲁大妈', 'dongtai');
    h.clock.set(t('2026-11-30T10:00'));
    const n = await openCase(lu, '秧苗发黄是不是病虫害');
    await sendAt('2026-11-30T10:01', peng, `接单 ${n}`);
    news(peng);
    news(he);
    news(lu);
    await sendAt('2026-11-30T10:20', lu, '你们明天上午来行吗？');
    const [asked] = news(peng);
    news(lu);
    await sendAt('2026-11-30T10:21', peng, quoting(asked!, '同意'));
    expect(news(lu)).toEqual([`【农技站 彭德明】同意\n（#${n}，直接留言即可回复）`]);
    expect(news(peng)).toEqual([`已转告 #${n} 的群众鲁大妈。`]);
  });

  it('sends words quoting a resident who wrote after 办结 to that resident, while the rating is awaited', async () => {
    const ma = await resident('马大伯', 'dongtai');
    const niu = await resident('牛大姐', 'dongtai');
    h.clock.set(t('2026-11-30T11:00'));
    const n = await openCase(ma, '秧苗发黄是不是病虫害');
    const other = await openCase(niu, '稻瘟病叶子全是斑');
    await sendAt('2026-11-30T11:01', he, `接单 ${n}`);
    await sendAt('2026-11-30T11:02', he, `办结 ${n} 打了药`);
    await sendAt('2026-11-30T11:03', he, `接单 ${other}`);
    news(he);
    news(ma);
    news(niu);
    await sendAt('2026-11-30T11:10', ma, '还是黄的');
    const [added] = news(he);
    expect(added).toBe(`【#${n} 群众补充】东台村 马大伯：还是黄的`);
    news(ma);
    await sendAt('2026-11-30T11:12', he, quoting(added!, '我明天再去看看'));
    expect(news(ma)).toEqual([`【农技站 贺建军】我明天再去看看\n（#${n}，直接留言即可回复）`]);
    expect(news(he)).toEqual([`已转告 #${n} 的群众马大伯。`]);
    expect(news(niu)).toEqual([]);
  });

  it('sends his nod quoting a resident\'s words to that resident, as an unquoted one right after she wrote is read as words for her', async () => {
    const tian = await resident('田大妈', 'dongtai');
    h.clock.set(t('2026-12-01T09:00'));
    const n = await openCase(tian, '秧苗发黄是不是病虫害');
    const [notice] = news(he);
    await sendAt('2026-12-01T09:05', he, `接单 ${n}`);
    news(he);
    news(tian);
    await sendAt('2026-12-01T09:20', tian, '我明天上午在家，您上午来吧');
    const [added] = news(he);
    news(tian);
    // Unquoted, right after she wrote: words for her, and he gets the line that sends them.
    await sendAt('2026-12-01T09:21', he, '好的');
    expect(news(he)).toEqual([`这条没有转给群众。要转告 #${n} 的群众，请发：\n回复 ${n} 好的\n发“帮助”查看全部指令。`]);
    expect(news(tian)).toEqual([]);
    // Quoting her words says whom it answers: it goes, as quoted words do.
    await sendAt('2026-12-01T09:22', he, quoting(added!, '好的'));
    expect(news(tian)).toEqual([`【农技站 贺建军】好的\n（#${n}，直接留言即可回复）`]);
    expect(news(he)).toEqual([`已转告 #${n} 的群众田大妈。`]);
    // Long after, with nothing else in front of him, the quote still says it.
    await sendAt('2026-12-01T10:30', tian, '门口的狗拴好了');
    const [later] = news(he);
    news(tian);
    await sendAt('2026-12-01T11:40', he, quoting(later!, '收到👍'));
    expect(news(tian)).toEqual([`【农技站 贺建军】收到👍\n（#${n}，直接留言即可回复）`]);
    expect(news(he)).toEqual([`已转告 #${n} 的群众田大妈。`]);
    // A nod quoting lianxin's own notice of the case is a nod to lianxin: nothing reaches her.
    await sendAt('2026-12-01T11:41', he, quoting(notice!, '收到'));
    expect(news(tian)).toEqual([]);
    expect(news(he).filter((m) => m.includes('已转告'))).toEqual([]);
  });

  it('takes a resident\'s quote of a message about one of their cases to that case\'s holder, not the newest case\'s', async () => {
    const kong = await bind('c-kong-weidong'); // 城建办 for 东台村
    const jiang = await resident('蒋大妈', 'dongtai');
    h.clock.set(t('2026-11-30T14:30'));
    const rice = await openCase(jiang, '秧苗发黄是不是病虫害');
    await sendAt('2026-11-30T14:31', he, `回复 ${rice} 明天上午去您家`);
    const [answer] = news(jiang);
    h.clock.set(t('2026-11-30T14:35'));
    const lamp = await openCase(jiang, '新问题 路灯坏了，晚上看不见路');
    news(he);
    news(kong);
    // 蒋 quotes 贺's answer about the rice: her question is for him, though the lamp case is newer.
    await sendAt('2026-11-30T14:40', jiang, quoting(answer!, '几点到？', '东山镇'));
    expect(news(he)).toEqual([expect.stringMatching(new RegExp(`^【#${rice} 群众补充】东台村 蒋大妈：几点到？\n（引用：`))]);
    expect(news(kong)).toEqual([]);
    expect(news(jiang)).toEqual([`收到，已转给负责 #${rice} 的贺建军。`]);

    // The rating question of the rice case quoted, after the lamp case was opened: for 贺 too.
    await sendAt('2026-11-30T15:00', he, `办结 ${rice} 打了药`);
    const question = news(jiang).find((m) => m.includes('请您评价'))!;
    h.clock.set(t('2026-11-30T15:05'));
    const pole = await openCase(jiang, '新问题 村口又一盏路灯不亮了');
    expect(pole).toBeGreaterThan(lamp);
    news(he);
    news(kong);
    await sendAt('2026-11-30T15:10', jiang, quoting(question, '还是黄的', '东山镇'));
    expect(news(he)).toEqual([expect.stringMatching(new RegExp(`^【#${rice} 群众补充】东台村 蒋大妈：还是黄的`))]);
    expect(news(kong)).toEqual([]);
  });
});

describe('a cadre with several cases, typing as little as he can', () => {
  useHarness();
  let he: Person;

  beforeAll(async () => {
    he = await bind('c-he-jianjun');
  });

  it('reads 接, 接 N, a number alone and 1 as 接单, never as words for the case acted on before', async () => {
    h.clock.set(t('2026-11-26T08:40'));
    const wang = await resident('王大妈', 'dongtai');
    const liu = await resident('刘老汉', 'dongan');
    const first = await openCase(wang, '我家秧苗发黄，是不是病虫害');
    news(he);
    // "1" is how a work chat says 收到: with a case waiting, the line that accepts it.
    await sendAt('2026-11-26T08:41', he, '1');
    expect(news(he)).toEqual([expect.stringMatching(/\n这件还没有接单，发“接单”两个字即可。$/)]);
    await send(he, '接');
    expect(news(he)).toEqual([`已接单 #${first}（王大妈）。转告群众请发：回复 ${first} 内容`]);
    const second = await openCase(liu, '稻飞虱好多，要打什么农药');
    news(he);
    news(wang);
    // Right after acting on the first case: "接 1002" is the second case taken, not words for 王大妈.
    await send(he, `接 ${second}`);
    expect(news(he)).toEqual([`已接单 #${second}（刘老汉）。转告群众请发：回复 ${second} 内容`]);
    expect(news(wang)).toEqual([]);
    expect((await caseRow(second)).status).toBe('accepted');
    // The number alone, after the list of waiting cases, takes that one.
    const third = await openCase(await resident('赵叔', 'dongsheng'), '稻瘟病怎么防');
    news(he);
    await send(he, `${third}`);
    expect(news(he)).toEqual([`已接单 #${third}（赵叔）。转告群众请发：回复 ${third} 内容`]);
  });

  it('answers 我手上有几件 and 还有啥没办 with the 任务 list, not a 回复 line for the last resident', async () => {
    h.clock.set(t('2026-11-26T09:30'));
    const sun = await resident('孙婆', 'xinan');
    const n = await openCase(sun, '育秧棚里秧苗烂根了');
    await sendAt('2026-11-26T09:31', he, `接单 ${n}`);
    news(he);
    news(sun);
    for (const question of ['我手上有几件', '还有啥没办？', '还剩几件没办']) {
      await send(he, question);
      const [list, ...more] = news(he);
      expect(more).toEqual([]);
      expect(list).toMatch(/^您的待办（\d+ 件）：\n/);
      expect(list).toContain(`#${n} 新岸村 农技站 办理中`);
    }
    expect(news(sun)).toEqual([]);
  });

  it('answers 办好了 with the 办结 line to send: for the case just acted on, or which one', async () => {
    h.clock.set(t('2026-11-26T10:00'));
    const qian = await resident('钱大伯', 'dongtai');
    const n = await openCase(qian, '蔬菜生了虫子');
    await sendAt('2026-11-26T10:01', he, `接单 ${n}`);
    news(he);
    news(qian);
    await sendAt('2026-11-26T10:20', he, '办好了');
    expect(news(he)).toEqual([`要办结 #${n}（钱大伯）请发：\n办结 ${n} 办好了\n只转告群众请发：回复 ${n} 办好了`]);
    expect(news(qian)).toEqual([]);
    expect((await caseRow(n)).status).toBe('accepted');
    // An hour on, nothing in front of him: which of his cases, each with its resident.
    await sendAt('2026-11-26T11:30', he, '搞定了');
    const [which] = news(he);
    // The cases first, then the line to send, as in every list of cases to choose from.
    expect(which).toMatch(/^办结哪一件？\n#\d+ /);
    expect(which).toContain(`\n#${n} 钱大伯：蔬菜生了虫子\n`);
    expect(which).toMatch(/\n请发“办结 编号 说明”，如：办结 \d+ 搞定了$/);
    expect(which).not.toContain('干部指令');
  });

  it('answers 好 or plain words meant for a resident, when which one is unclear, with who wrote what — never silence', async () => {
    h.clock.set(t('2026-11-26T14:30'));
    const zhou = await resident('周大娘', 'dongtai');
    const wu = await resident('吴老四', 'dongan');
    const x = await openCase(zhou, '秧苗发黄，是不是病虫害');
    const y = await openCase(wu, '稻飞虱好多，要打什么农药');
    await sendAt('2026-11-26T14:35', he, `接单 ${x}`);
    await sendAt('2026-11-26T14:36', he, `接单 ${y}`);
    await sendAt('2026-11-26T14:40', he, `回复 ${x} 下午去看`);
    // 吴老四 asks while 周大娘's case was the last one acted on: "好" is for whom?
    await sendAt('2026-11-26T14:45', wu, '你们几点来？');
    news(he);
    news(zhou);
    news(wu);
    await sendAt('2026-11-26T14:46', he, '好');
    const [which, ...more] = news(he);
    expect(more).toEqual([]);
    expect(which).toBe(`这条没有转给群众，是回谁的？\n#${y} 吴老四：你们几点来？\n请发“回复 编号 内容”，如：回复 ${y} 好`);
    expect(news(zhou)).toEqual([]);
    expect(news(wu)).toEqual([]);
    // Words, too: the cases to choose from, not the thirteen lines of commands.
    await sendAt('2026-11-26T14:47', he, '三点到');
    expect(news(he)).toEqual([`这条没有转给群众，是回谁的？\n#${y} 吴老四：你们几点来？\n请发“回复 编号 内容”，如：回复 ${y} 三点到`]);
  });

  it('lists a resident who wrote at the rating question among those his words may be for', async () => {
    h.clock.set(t('2026-11-26T16:00'));
    const feng = await resident('冯大伯', 'dongtai');
    const chu = await resident('褚大姐', 'dongan');
    const x = await openCase(feng, '秧苗发黄，是不是病虫害');
    const y = await openCase(chu, '稻飞虱好多，要打什么农药');
    await sendAt('2026-11-26T16:01', he, `接单 ${x}`);
    await sendAt('2026-11-26T16:02', he, `办结 ${x} 打了药`);
    await sendAt('2026-11-26T16:03', he, `接单 ${y}`);
    // 冯 answers the rating question with words, quoting it (引用): they go to the cadre, who answers in words.
    const question = news(feng).at(-1)!;
    await sendAt('2026-11-26T16:10', feng, `「东山镇连心：${question}」\n- - - - - - - - - - - - - - -\n还是黄的`);
    expect(news(he).at(-1)).toMatch(new RegExp(`^【#${x} 群众补充】东台村 冯大伯：还是黄的\n（引用：`));
    news(feng);
    news(chu);
    await sendAt('2026-11-26T16:12', he, '明天再去看看');
    expect(news(he)).toEqual([`这条没有转给群众，是回谁的？\n#${x} 冯大伯：还是黄的\n请发“回复 编号 内容”，如：回复 ${x} 明天再去看看`]);
    expect(news(feng)).toEqual([]);
    expect(news(chu)).toEqual([]);
  });

  it('takes a new case by its number alone while a photo waits: the photo was not for a case that came after it', async () => {
    h.clock.set(t('2026-11-27T09:00'));
    const jia = await resident('贾大哥', 'dongtai');
    const yi = await resident('易大姐', 'dongan');
    const bing = await resident('邴老汉', 'dongsheng');
    const a = await openCase(jia, '秧苗发黄是不是病虫害');
    const b = await openCase(yi, '稻瘟病叶子上全是斑');
    await sendAt('2026-11-27T09:01', he, `接单 ${a}`);
    await sendAt('2026-11-27T09:02', he, `接单 ${b}`);
    news(jia);
    news(yi);
    // Forty minutes on, a photo: for 贾 or 易? It waits, and he is asked.
    h.clock.set(t('2026-11-27T09:40'));
    await sendPhoto(he, 'field.jpg');
    expect(news(he).at(-1)).toMatch(/^图片还没有转出，是给哪位群众的？/);
    // A new case reaches him; its number alone takes it — the photo was never for 邴.
    const c = await openCase(bing, '蔬菜生了虫子');
    news(he);
    await sendAt('2026-11-27T09:45', he, `${c}`);
    expect(news(he)).toEqual([`已接单 #${c}（邴老汉）。转告群众请发：回复 ${c} 内容`]);
    expect(news(bing)).toEqual([`您的事项 #${c} 已由农技站贺建军接单，会尽快和您联系。`]);
    expect(news(jia)).toEqual([]);
    expect(news(yi)).toEqual([]);
    expect(await h.count(`SELECT count(*) FROM inbound_messages WHERE kind = 'image' AND case_id IS NOT NULL`)).toBe(0);
    // The photo still waits for its answer: 贾's number sends it to him.
    await sendAt('2026-11-27T09:46', he, `${a}`);
    expect(news(jia)).toEqual([`【农技站 贺建军】发来图片（#${a}）：`, '[文件] field.jpg']);
    expect(news(he)).toEqual([`已转给 #${a} 的群众贾大哥。`]);
  });

  it('takes a waiting case its photo is sent to by number, as 回复 would: no accept limit runs on after the resident saw it', async () => {
    h.clock.set(t('2026-11-27T10:30'));
    const tao = await resident('陶大爷', 'dongtai');
    const n = await openCase(tao, '秧苗发黄是不是病虫害');
    await openCase(await resident('严大姐', 'dongan'), '稻瘟病叶子上全是斑');
    news(he);
    h.clock.set(t('2026-11-27T10:40'));
    await sendPhoto(he, 'seedlings.jpg');
    expect(news(he).at(-1)).toMatch(/^图片还没有转出，是给哪位群众的？/);
    await sendAt('2026-11-27T10:41', he, `${n}`);
    expect(news(tao)).toEqual([`【农技站 贺建军】发来图片（#${n}）：`, '[文件] seedlings.jpg']);
    expect(await caseRow(n)).toMatchObject({ status: 'accepted', accepted_at: t('2026-11-27T10:41'), first_response_at: t('2026-11-27T10:41') });
  });

  it('reminds him of a photo still waiting when he answers, by 回复, a resident it may be for', async () => {
    h.clock.set(t('2026-11-27T14:30'));
    const wei = await resident('魏大叔', 'dongtai');
    const n = await openCase(wei, '秧苗发黄是不是病虫害');
    await sendAt('2026-11-27T14:31', he, `接单 ${n}`);
    news(he);
    news(wei);
    h.clock.set(t('2026-11-27T15:10'));
    await sendPhoto(he, 'leaves.jpg');
    expect(news(he).at(-1)).toMatch(/^图片还没有转出，是给哪位群众的？/);
    // He answers with 回复 as if that sent it: the words go, and he hears the photo has not.
    await sendAt('2026-11-27T15:11', he, `回复 ${n} 这是您家的苗`);
    expect(news(wei)).toEqual([`【农技站 贺建军】这是您家的苗\n（#${n}，直接留言即可回复）`]);
    expect(news(he)).toEqual([`已转告 #${n} 的群众魏大叔。\n您刚才发的图片还没有转出，是给这位群众的请发：${n}`]);
    await send(he, `${n}`);
    expect(news(wei)).toEqual([`【农技站 贺建军】发来图片（#${n}）：`, '[文件] leaves.jpg']);
    expect(news(he)).toEqual([`已转给 #${n} 的群众魏大叔。`]);
    // Sent: no reminder any more.
    await send(he, `回复 ${n} 明天再来看`);
    expect(news(he)).toEqual([`已转告 #${n} 的群众魏大叔。`]);
  });
});

describe('a photo whose case number never came', () => {
  useHarness();

  /** The sweep, as its schedule runs it, at `local` time; returns when what it sent is delivered. */
  async function sweepAt(local: string): Promise<void> {
    h.clock.set(t(local));
    await h.app.worker!.sweep();
    await h.settle();
  }

  it('tells him, once, that it was not sent and how to send it; its row stays, and the number no longer sends it', async () => {
    const he = await bind('c-he-jianjun');
    const jia = await resident('郑大哥', 'dongtai');
    const yi = await resident('冯大姐', 'dongan');
    h.clock.set(t('2026-11-26T09:00'));
    const a = await openCase(jia, '秧苗发黄是不是病虫害');
    const b = await openCase(yi, '稻瘟病叶子上全是斑');
    await sendAt('2026-11-26T09:01', he, `接单 ${a}`);
    await sendAt('2026-11-26T09:02', he, `接单 ${b}`);
    news(jia);
    news(yi);
    // Forty minutes on, two photos of one showing: for 郑 or 冯? He is asked once, and does not answer.
    h.clock.set(t('2026-11-26T09:40'));
    await sendPhoto(he, 'field-1.jpg');
    h.clock.advance(0.5);
    await sendPhoto(he, 'field-2.jpg');
    expect(news(he).filter((m) => m.startsWith('图片还没有转出'))).toHaveLength(1);
    const lapsed = (m: string) => m.includes('因为没收到编号');

    // Still within photoFollowsMinutes (30): nothing to say yet.
    await sweepAt('2026-11-26T10:05');
    expect(news(he).filter(lapsed)).toEqual([]);
    // Past it: one line for the two, with when they were sent and how to send them.
    await sweepAt('2026-11-26T10:12');
    expect(news(he).filter(lapsed)).toEqual([
      '您 11月26日 09:40 发的图片，因为没收到编号，还没有转给群众。要转的话，请先发“回复 编号 内容”，再把图片重发一次。',
    ]);
    await sweepAt('2026-11-26T10:13');
    expect(news(he).filter(lapsed)).toEqual([]);
    expect(news(jia)).toEqual([]);
    expect(news(yi)).toEqual([]);
    // The rows stay, marked as never sent.
    expect(
      await h.query(`SELECT outcome, case_id FROM inbound_messages WHERE cadre_id = 'c-he-jianjun' AND kind = 'image' ORDER BY id`),
    ).toEqual([
      { outcome: 'media-lapsed', case_id: null },
      { outcome: 'media-lapsed', case_id: null },
    ]);

    // The number now sends nothing: it gets the lines for the case, as with nothing waiting.
    await sendAt('2026-11-26T10:20', he, `${a}`);
    expect(news(he)).toEqual([`#${a}（郑大哥）：转告群众请发“回复 ${a} 内容”，办完请发“办结 ${a} 说明”。`]);
    expect(news(jia)).toEqual([]);
    // Sent again as told, it goes.
    await sendAt('2026-11-26T10:21', he, `回复 ${a} 这是您家的苗`);
    h.clock.advance(1);
    await sendPhoto(he, 'field-1.jpg');
    expect(news(jia)).toEqual([`【农技站 贺建军】这是您家的苗\n（#${a}，直接留言即可回复）`, `【农技站 贺建军】发来图片（#${a}）：`, '[文件] field-1.jpg']);
  });
});

describe('撤销办结 at the moment the resident writes', () => {
  useHarness();

  it('keeps the question her own message set then, instead of clearing it as the rating question', async () => {
    const he = await bind('c-he-jianjun');
    const gu = await resident('谷大妈', 'dongtai');
    h.clock.set(t('2026-12-02T09:00'));
    const n = await openCase(gu, '秧苗发黄是不是病虫害');
    await sendAt('2026-12-02T09:05', he, `接单 ${n}`);
    await sendAt('2026-12-02T09:10', he, `办结 ${n} 已上门看过`);
    news(he);
    news(gu);
    const [row] = await h.query<{ id: number }>(`SELECT id FROM residents WHERE name = '谷大妈'`);
    expect(await h.query(`SELECT dialog->>'kind' AS kind FROM residents WHERE id = $1`, [row!.id])).toEqual([{ kind: 'callback' }]);
    // At the rating question her 预约 is being handled, and shows her the service menu: it holds her row.
    await whileRowHeld(h, { table: 'residents', id: row!.id }, () => he.say(`撤销办结 ${n}`), async (query) => {
      const booking = { kind: 'booking', step: 'service', expiresAt: t('2026-12-02T09:40').toISOString(), options: ['tianjian-zhidao'] };
      await query(`UPDATE residents SET dialog = $2 WHERE id = $1`, [row!.id, JSON.stringify(booking)]);
    });
    await h.settle();
    // The case is worked on again, and her menu is still the question in front of her.
    expect((await caseRow(n)).status).toBe('accepted');
    expect(await h.query(`SELECT dialog->>'kind' AS kind FROM residents WHERE id = $1`, [row!.id])).toEqual([{ kind: 'booking' }]);
  });
});
