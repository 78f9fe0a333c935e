/**
 * A new resident who never says her village — she only sends voice messages, or leaves the
 * village question unanswered — is not asked for ever: the office gets her matter, listens, and
 * sets the village (定村) before placing it by the village's roster. Until then the case counts
 * under its own row, 村未知, in the statistics.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { types } from 'wechaty';
import type { App } from '../../src/app.js';
import { samplePassword } from '../../src/web/auth.js';
import { startHarness, type Harness, type Person } from '../support/harness.js';
import { whileRowHeld } from '../support/race.js';
import { logIn } from '../support/web.js';

let h: Harness;
let zhou: Person; // 党政办 dispatcher
let tan: Person; // 党政办 dispatcher
let he: Person; // 农技站, on duty for 东台村
beforeAll(async () => {
  h = await startHarness();
  zhou = await h.cadre('c-zhou-lihua');
  tan = await h.cadre('c-tan-xiaoyan');
  he = await h.cadre('c-he-jianjun');
});
afterAll(async () => {
  await h?.stop();
});

const caseOf = async (name: string) => {
  const rows = await h.query<{ number: number; village_id: string; department_id: string; assignee_id: string; description: string }>(
    `SELECT c.number, c.village_id, c.department_id, c.assignee_id, c.description FROM cases c JOIN residents r ON r.id = c.resident_id
     WHERE r.name = $1 ORDER BY c.id`,
    [name],
  );
  return rows;
};
const residentRow = async (name: string) =>
  (await h.query<{ village_id: string | null; dialog: unknown }>(`SELECT village_id, dialog FROM residents WHERE name = $1`, [name]))[0]!;
/** The office dispatcher who holds a case. */
const holder = (cadreId: string) => (cadreId === 'c-zhou-lihua' ? zhou : tan);

describe('a resident who never says her village', () => {
  let number: number;
  let li: Person;

  it('hands the matter of a resident who only sends voice messages to the office at her second voice', async () => {
    const wang = h.resident('王奶奶');
    wang.sendFile('voice-1.silk');
    const [asked] = await wang.waitForMessages(1);
    expect(asked).toMatch(/^您好！.*\n请先告诉我们您是哪个村[\s\S]*\n13 石鼓村\n不方便打字的话，发语音说村名也行，办公室的同志会听。$/);
    h.clock.advance(1);
    wang.sendFile('voice-2.silk');
    const [, kind, ack] = await wang.waitForMessages(3);
    expect(kind).toBe('不方便打字也没关系，您的语音已转给办公室的同志，他们听了会联系您。');
    expect(ack).toMatch(/^已受理，编号 #\d+。\n由党政办/);
    const [kase] = await caseOf('王奶奶');
    expect(kase).toMatchObject({ village_id: '_unknown', department_id: 'dangzhengban', description: '[语音]\n[语音]' });
    number = kase!.number;
    expect(await residentRow('王奶奶')).toEqual({ village_id: null, dialog: null });

    // The office hears she has not said her village, and how to set it once it knows.
    const office = holder(kase!.assignee_id);
    const [notice, ...voices] = await office.waitForMessages(3);
    expect(notice).toMatch(
      new RegExp(`^【新案件 #${number}】（村未知） · 党政办\n（群众还没说是哪个村的：请听留言或回电问清，发“定村 ${number} 村名”，再派单）\n`),
    );
    expect(voices).toEqual(['[文件] voice-1.silk', '[文件] voice-2.silk']);

    // A further voice is for the office's case: no village question again, no second case.
    h.clock.advance(5);
    wang.sendFile('voice-3.silk');
    const [, , , added] = await wang.waitForMessages(4);
    expect(added).toMatch(new RegExp(`^收到，已转给负责 #${number} 的`));
    expect(await office.waitForMessages(5)).toEqual(
      expect.arrayContaining([`【#${number} 群众补充】（村未知） 王奶奶发来语音，见下条。`, '[文件] voice-3.silk']),
    );
    expect(await caseOf('王奶奶')).toHaveLength(1);
    expect(await residentRow('王奶奶')).toEqual({ village_id: null, dialog: null });
  });

  it('tells a resident who typed, then speaks, that a voice will do, and takes her next voice to the office', async () => {
    const sun = h.resident('孙婆婆');
    sun.say('家里的水管冻裂了');
    await sun.waitForMessages(1);
    sun.sendFile('voice-x.silk');
    const [, hint] = await sun.waitForMessages(2);
    expect(hint).toBe('您说的我们都记下了。还不知道您是哪个村（社区）的，请回复村名前面的数字，如 1。不方便打字的话，发语音说村名也行，办公室的同志会听。');
    expect(await caseOf('孙婆婆')).toEqual([]);
    h.clock.advance(1);
    sun.sendFile('voice-y.silk');
    const [, , kind, ack] = await sun.waitForMessages(4);
    expect(kind).toBe('不方便打字也没关系，您的语音已转给办公室的同志，他们听了会联系您。');
    expect(ack).toMatch(/^已受理，编号 #\d+。\n由党政办/);
    expect(await caseOf('孙婆婆')).toMatchObject([{ village_id: '_unknown', department_id: 'dangzhengban', description: '家里的水管冻裂了\n[语音]\n[语音]' }]);
  });

  it('places the case by the village roster only once the office has set the village it heard (定村)', async () => {
    const before = zhou.received.length;
    // The roster is per village: a department alone cannot say who.
    zhou.say(`派单 ${number} 农技站`);
    const [refused] = (await zhou.waitForMessages(before + 1)).slice(before);
    expect(refused).toBe(`#${number} 还不知道是哪个村的，没法按村找值班干部。请先问清后发：定村 ${number} 村名`);
    zhou.say(`定村 ${number} 东胜利村`);
    const [unknown] = (await zhou.waitForMessages(before + 2)).slice(before + 1);
    expect(unknown).toMatch(/^没有找到“东胜利村”这个村（社区）。现有：东山村、城东村/);
    expect((await caseOf('王奶奶'))[0]).toMatchObject({ village_id: '_unknown', assignee_id: expect.stringMatching(/^c-(zhou|tan)/) });

    // After a call: she is of 东台村 (the name without 村 will do).
    zhou.say(`定村 ${number} 东台`);
    const [set] = (await zhou.waitForMessages(before + 3)).slice(before + 2);
    expect(set).toBe(`已将 #${number}（王奶奶）定为东台村，并告诉了群众。\n派单请发：派单 ${number} 干部姓名或部门`);
    expect((await h.query<{ text: string }>(`SELECT o.text FROM outbound_messages o JOIN residents r ON r.id = o.resident_id WHERE r.name = '王奶奶' ORDER BY o.id DESC LIMIT 1`))[0]!.text).toBe(
      '好的，已登记您是东台村的。不对的话，请告诉我们，如“我是东山村的”。',
    );
    expect(await residentRow('王奶奶')).toEqual({ village_id: 'dongtai', dialog: null });
    expect((await caseOf('王奶奶'))[0]).toMatchObject({ village_id: 'dongtai' });
    const [event] = await h.query<{ actor_id: string; data: unknown }>(
      `SELECT e.actor_id, e.data FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.number = $1 AND e.type = 'village-set'`,
      [number],
    );
    expect(event).toEqual({ actor_id: 'c-zhou-lihua', data: { from: '_unknown', to: 'dongtai' } });
    zhou.say(`定村 ${number} 东台村`);
    const [again] = (await zhou.waitForMessages(before + 4)).slice(before + 3);
    expect(again).toBe(`#${number} 已是东台村的，无需定村。村不对的话，请群众发“我是某某村的”更正。`);
    // Known now: another village is the resident's to correct, not the office's to set.
    zhou.say(`定村 ${number} 东山村`);
    const [known] = (await zhou.waitForMessages(before + 5)).slice(before + 4);
    expect(known).toBe(again);
    expect((await caseOf('王奶奶'))[0]).toMatchObject({ village_id: 'dongtai' });

    // Now the roster of 东台村 says who.
    const heBefore = he.received.length;
    zhou.say(`派单 ${number} 农技站`);
    const [placed] = (await zhou.waitForMessages(before + 6)).slice(before + 5);
    expect(placed).toBe(`已将 #${number} 派给农技站贺建军。`);
    const [notice] = (await he.waitForMessages(heBefore + 1)).slice(heBefore);
    expect(notice).toMatch(new RegExp(`^【新案件 #${number}】东台村 · 农技站\n`));
    expect((await caseOf('王奶奶'))[0]).toMatchObject({ village_id: 'dongtai', department_id: 'nongjizhan', assignee_id: 'c-he-jianjun' });

    // A resident typing the command is refused; nothing changes.
    const other = h.resident('学着打');
    other.say('你好');
    await other.waitForMessages(1);
    other.say(`定村 ${number} 东山村`);
    const [, refusedResident] = await other.waitForMessages(2);
    expect(refusedResident).toContain('干部');
    expect((await caseOf('王奶奶'))[0]).toMatchObject({ village_id: 'dongtai' });
  });

  it('sends a village question nobody answered to the office after departmentMenuMinutes, and a greeting alone to nobody', async () => {
    li = h.resident('李大爷');
    li.say('我家门口的路灯坏了好几天了');
    await li.waitForMessages(1);
    const hi = h.resident('只问好');
    hi.say('你好');
    await hi.waitForMessages(1);
    // A sticker alone tells no more than 你好.
    const sticker = h.resident('只发贴图');
    const stickerId = `unknown-village-sticker-${Date.now()}`;
    h.mocker.MessageMock.create({
      id: stickerId, talkerId: sticker.contact.id, listenerId: h.puppet.currentUserId, timestamp: h.clock.now().getTime(), type: types.Message.Emoticon,
    } as never);
    h.puppet.emit('message', { messageId: stickerId });
    await sticker.waitForMessages(1);
    h.clock.advance(59);
    await h.app.worker!.sweep();
    await h.settle();
    expect(li.received).toHaveLength(1);
    expect(await caseOf('李大爷')).toEqual([]);

    h.clock.advance(2);
    await h.app.worker!.sweep();
    const [, closed, ack] = await li.waitForMessages(3);
    expect(closed).toBe('还不知道您是哪个村（社区）的，您说的事我们已请办公室的同志帮您转，他们会联系您。');
    expect(ack).toMatch(/^已受理，编号 #\d+。\n由党政办/);
    expect(await caseOf('李大爷')).toMatchObject([{ village_id: '_unknown', department_id: 'dangzhengban', description: '我家门口的路灯坏了好几天了' }]);
    expect(await residentRow('李大爷')).toEqual({ village_id: null, dialog: null });
    // Nothing to take up for a greeting: the question is closed, nobody is told.
    await h.settle();
    for (const r of [hi, sticker]) {
      expect(r.received, r.name).toHaveLength(1);
      expect(await caseOf(r.name), r.name).toEqual([]);
      expect(await residentRow(r.name), r.name).toEqual({ village_id: null, dialog: null });
    }
  });

  it('registers the village the resident names later, and gives the office case its village', async () => {
    const [kase] = await caseOf('李大爷');
    const office = holder(kase!.assignee_id);
    const before = office.received.length;
    li.say('我是东山村的');
    const [, , , registered] = await li.waitForMessages(4);
    expect(registered).toBe('好的，已登记您是东山村的。不对的话，请告诉我们，如“我是城东村的”。');
    expect(await residentRow('李大爷')).toEqual({ village_id: 'dongshan', dialog: null });
    expect(await caseOf('李大爷')).toMatchObject([{ number: kase!.number, village_id: 'dongshan', department_id: 'dangzhengban' }]);
    const [told] = (await office.waitForMessages(before + 1)).slice(before);
    expect(told).toBe(`【#${kase!.number} 群众补充】东山村 李大爷：我是东山村的`);
  });

  it('counts a case without a village under 村未知 on the dashboard and in the workbook, and 统计 still answers', async () => {
    // 王奶奶's and 李大爷's cases have their villages now, 孙婆婆's not; one more resident who only speaks.
    const zhao = h.resident('赵奶奶');
    zhao.sendFile('voice-a.silk');
    await zhao.waitForMessages(1);
    h.clock.advance(1);
    zhao.sendFile('voice-b.silk');
    await zhao.waitForMessages(3);
    const [kase] = await caseOf('赵奶奶');
    expect(kase).toMatchObject({ village_id: '_unknown' });

    const web: App = await h.startApp({ roles: ['web'], webPort: 0 });
    const cookie = await logIn(web.web!.url, 'bangongshi', samplePassword);
    const page = async (path: string) => {
      const response = await fetch(`${web.web!.url}${path}`, { headers: { cookie } });
      expect(response.status).toBe(200);
      return response;
    };
    const villages = await (await page('/villages?month=2026-11')).text();
    expect(villages).toContain('（村未知）');
    expect(villages).toContain('东台村');
    const list = await (await page('/cases?month=2026-11&village=_unknown')).text();
    expect(list).toContain(`#${kase!.number}`);
    expect(list).toContain('家里的水管冻裂了');
    expect(list).not.toContain('我家门口的路灯');
    expect(await (await page(`/cases/${kase!.number}`)).text()).toContain('（村未知）');
    // The case the office set the village of says so, in the command's word.
    expect(await (await page(`/cases/${number}`)).text()).toMatch(/定村[\s\S]*（村未知） → 东台村/);
    expect(await (await page('/hotspots?month=2026-11')).text()).toContain('（村未知）');

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await (await page('/download/monthly?month=2026-11')).arrayBuffer());
    const byVillage = workbook.getWorksheet('按村（社区）')!;
    const names: string[] = [];
    byVillage.eachRow((row) => names.push(String(row.getCell(1).value ?? '')));
    const unknownRow = byVillage.getRows(1, byVillage.rowCount)!.find((row) => row.getCell(1).value === '（村未知）');
    expect(unknownRow, names.join('|')).toBeDefined();
    expect(unknownRow!.getCell(2).value).toBe(2);
    // The 说明 sheet (and the dashboard's 口径 page) say where such cases count.
    const definitions: string[] = [];
    workbook.getWorksheet('说明')!.eachRow((row) => definitions.push(String(row.getCell(2).value ?? '')));
    expect(definitions.join('\n')).toContain('办公室还没定村的，计入“（村未知）”');

    const before = zhou.received.length;
    zhou.say('统计');
    const [stats] = (await zhou.waitForMessages(before + 1)).slice(before);
    expect(stats).toContain('派单');
  });

  it('gives the office, not a department head, a new matter of a resident whose village is still unknown', async () => {
    const qian = h.resident('钱婆婆');
    qian.sendFile('voice-q1.silk');
    await qian.waitForMessages(1);
    h.clock.advance(1);
    qian.sendFile('voice-q2.silk');
    await qian.waitForMessages(3);
    const [kase] = await caseOf('钱婆婆');
    // The office calls her back and settles it, without 定村.
    const office = holder(kase!.assignee_id);
    office.say(`办结 ${kase!.number} 已电话说明`);
    const [, , , rating] = await qian.waitForMessages(4);
    expect(rating).toContain('请您评价');
    // At the rating question, a matter the roster would place by village.
    qian.say('村里的路灯又坏了');
    const [, , , , ack] = await qian.waitForMessages(5);
    expect(ack).toMatch(/^已受理，编号 #\d+。\n由党政办/);
    const [, next] = await caseOf('钱婆婆');
    expect(next).toMatchObject({ village_id: '_unknown', department_id: 'dangzhengban', assignee_id: expect.stringMatching(/^c-(zhou|tan)/) });
  });

  it('takes up the matter of a resident the office set the village of while the village question was open', async () => {
    const sun = h.resident('周婆婆');
    sun.sendFile('voice-z1.silk');
    await sun.waitForMessages(1);
    h.clock.advance(1);
    sun.sendFile('voice-z2.silk');
    await sun.waitForMessages(3);
    const [kase] = await caseOf('周婆婆');
    const office = holder(kase!.assignee_id);
    office.say(`办结 ${kase!.number} 已电话说明`);
    const asked = sun.received.length;
    const [rating] = (await sun.waitForMessages(asked + 1)).slice(asked);
    expect(rating).toContain('请您评价');
    sun.say('1');
    await sun.waitForMessages(asked + 2);
    // A new matter: she has no village yet, so it is asked again.
    sun.say('村里的路灯又坏了');
    const [question] = (await sun.waitForMessages(asked + 3)).slice(asked + 2);
    expect(question).toMatch(/^您好！.*您的事我们记下了。\n请先告诉我们您是哪个村/);
    // Meanwhile the office, which called her about the first case, sets it.
    office.say(`定村 ${kase!.number} 东台村`);
    const [registered] = (await sun.waitForMessages(asked + 4)).slice(asked + 3);
    expect(registered).toMatch(/^好的，已登记您是东台村的。/);
    // What she says next is no answer to a question already settled: her matter is taken up, by the village's roster.
    sun.say('在东头那个路口');
    const [ack] = (await sun.waitForMessages(asked + 5)).slice(asked + 4);
    expect(ack).toMatch(/^已受理，编号 #\d+。/);
    expect(await residentRow('周婆婆')).toEqual({ village_id: 'dongtai', dialog: null });
    expect((await caseOf('周婆婆'))[1]).toMatchObject({ village_id: 'dongtai', department_id: 'chengjianban', description: '村里的路灯又坏了\n在东头那个路口' });
  });

  it('reads a number alone, after the office took the matter, as her answer to the village menu', async () => {
    const ma = h.resident('马大妈');
    ma.say('低保的事想问一下');
    const [menu] = await ma.waitForMessages(1);
    expect(menu).toContain('7 东台村');
    h.clock.advance(61);
    await h.app.worker!.sweep();
    await ma.waitForMessages(3);
    await h.settle();
    const [kase] = await caseOf('马大妈');
    expect(kase).toMatchObject({ village_id: '_unknown' });
    const office = holder(kase!.assignee_id);
    const before = office.received.length;
    // Her glasses found, she answers the menu above.
    ma.say('7');
    const [registered] = (await ma.waitForMessages(4)).slice(3);
    expect(registered).toBe('好的，已登记您是东台村的。不对的话，请告诉我们，如“我是东山村的”。');
    expect(await residentRow('马大妈')).toEqual({ village_id: 'dongtai', dialog: null });
    expect((await caseOf('马大妈'))[0]).toMatchObject({ village_id: 'dongtai' });
    const [told] = (await office.waitForMessages(before + 1)).slice(before);
    expect(told).toBe(`【#${kase!.number} 群众补充】东台村 马大妈：7（村菜单第 7 项：东台村）`);
    // Her village known now, a number is her words as any other.
    ma.say('99');
    const [passed] = (await office.waitForMessages(before + 2)).slice(before + 1);
    expect(passed).toBe(`【#${kase!.number} 群众补充】东台村 马大妈：99`);
  });

  it('keeps a number hers while her village is unknown when it is on no menu, or answers the office', async () => {
    const feng = h.resident('冯奶奶');
    feng.say('低保的事想问一下');
    await feng.waitForMessages(1);
    h.clock.advance(61);
    await h.app.worker!.sweep();
    await feng.waitForMessages(3);
    await h.settle();
    const [kase] = await caseOf('冯奶奶');
    const office = holder(kase!.assignee_id);
    const before = office.received.length;
    feng.say('99');
    const [passed] = (await office.waitForMessages(before + 1)).slice(before);
    expect(passed).toBe(`【#${kase!.number} 群众补充】（村未知） 冯奶奶：99`);
    // The office asked her something since the menu: a number is her answer to that.
    office.say(`回复 ${kase!.number} 您家几口人？`);
    await feng.waitForMessages(5);
    await office.waitForMessages(before + 2);
    feng.say('3');
    const [answer] = (await office.waitForMessages(before + 3)).slice(before + 2);
    expect(answer).toBe(`【#${kase!.number} 群众补充】（村未知） 冯奶奶：3`);
    expect(await residentRow('冯奶奶')).toEqual({ village_id: null, dialog: null });
    expect((await caseOf('冯奶奶'))[0]).toMatchObject({ village_id: '_unknown' });
  });

  it('opens another office case for 新问题 while her village is unknown, not more words for the first', async () => {
    const gu = h.resident('顾奶奶');
    gu.sendFile('voice-g1.silk');
    await gu.waitForMessages(1);
    h.clock.advance(1);
    gu.sendFile('voice-g2.silk');
    await gu.waitForMessages(3);
    const [first] = await caseOf('顾奶奶');
    gu.say('新问题');
    const [, , , empty] = await gu.waitForMessages(4);
    expect(empty).toBe("请在“新问题”后面写上您的事情，例如：新问题 路灯坏了。");
    gu.say('新问题 家里水管冻裂了');
    const [, , , , ack] = await gu.waitForMessages(5);
    expect(ack).toMatch(/^已受理，编号 #\d+。\n由党政办/);
    const cases = await caseOf('顾奶奶');
    expect(cases).toHaveLength(2);
    expect(cases[0]).toEqual(first);
    expect(cases[1]).toMatchObject({ village_id: '_unknown', department_id: 'dangzhengban', description: expect.stringContaining('家里水管冻裂了') });
  });

  it('keeps the question a message of hers set at the moment the office sets her village (定村)', async () => {
    const lu = h.resident('陆婆婆');
    lu.sendFile('voice-l1.silk');
    await lu.waitForMessages(1);
    h.clock.advance(1);
    lu.sendFile('voice-l2.silk');
    await lu.waitForMessages(3);
    const [kase] = await caseOf('陆婆婆');
    const office = holder(kase!.assignee_id);
    const [row] = await h.query<{ id: number }>(`SELECT id FROM residents WHERE name = '陆婆婆'`);
    // Her next message is being handled, and asks her the village again: it holds her row.
    await whileRowHeld(h, { table: 'residents', id: row!.id }, () => office.say(`定村 ${kase!.number} 东台村`), async (query) => {
      const question = { kind: 'ask-village', pendingMessageIds: [], attempts: 1, askedAt: h.clock.now().toISOString() };
      await query(`UPDATE residents SET dialog = $2 WHERE id = $1`, [row!.id, JSON.stringify(question)]);
    });
    await h.settle();
    // Both stand: the village the office set, and the question her message asked.
    const after = await residentRow('陆婆婆');
    expect(after).toMatchObject({ village_id: 'dongtai', dialog: { kind: 'ask-village' } });
    expect((await caseOf('陆婆婆'))[0]).toMatchObject({ village_id: 'dongtai' });
  });

  it('sets the village when the office quotes the case’s notice (引用) and types only the village it heard', async () => {
    const qian = h.resident('钱奶奶');
    qian.sendFile('voice-q1.silk');
    await qian.waitForMessages(1);
    h.clock.advance(1);
    qian.sendFile('voice-q2.silk');
    await qian.waitForMessages(3);
    const [kase] = await caseOf('钱奶奶');
    const office = holder(kase!.assignee_id);
    await h.settle();
    const notice = office.received.find((m) => m.startsWith(`【新案件 #${kase!.number}】`))!;
    const seen = office.received.length;
    office.say(`「东山镇连心：${notice}」\n- - - - - - - - - - - - - - -\n东台`);
    const [set] = (await office.waitForMessages(seen + 1)).slice(seen);
    expect(set).toBe(`已将 #${kase!.number}（钱奶奶）定为东台村，并告诉了群众。\n派单请发：派单 ${kase!.number} 干部姓名或部门`);
    expect((await caseOf('钱奶奶'))[0]).toMatchObject({ village_id: 'dongtai' });
  });
});
