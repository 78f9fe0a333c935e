/**
 * A cadre in the field, one hand free: what he types in answer to a 【新案件】 or a 【新预约】
 * before the command's order ("收到，明天上午过去", "接单，明天去", "1001接单", "102号没来",
 * 完成 quoting the booking notice), and what he reads when lianxin does not understand — a few
 * lines, not the whole command list. Sample township config; the SLA sweep is off (hourly).
 *
 * 农技站: 贺建军 (area B: 东台村 …) holds the cases and the 田间技术指导 visits of 东台村.
 * 26 Nov 2026 is a Thursday.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Harness, Person } from '../support/harness.js';
import { chat, t } from '../support/chat.js';

let h: Harness;
const { useHarness, news, bind, resident, send, sendAt, openCase } = chat((started) => (h = started));

const caseStatus = async (number: number) =>
  (await h.query<{ status: string }>(`SELECT status FROM cases WHERE number = $1`, [number]))[0]!.status;

const bookingStatus = async (number: number) =>
  (await h.query<{ status: string; outcome_note: string | null }>(`SELECT status, outcome_note FROM bookings WHERE number = $1`, [number]))[0];

/** `p` long-presses `quoted` (a message `p` received), 引用, and writes `words`: as wechaty-puppet-wechat4u gives it. */
const quoting = (quoted: string, words: string) => `「东山镇连心：${quoted}」\n- - - - - - - - - - - - - - -\n${words}`;

describe('a cadre typing before the order of the commands', () => {
  useHarness();
  let he: Person;

  beforeAll(async () => {
    he = await bind('c-he-jianjun');
  });

  /** A resident of 东台村 writes `matter` at `local` time and 贺建军 takes it; both inboxes read. */
  const taken = async (name: string, matter: string, local: string): Promise<[Person, number]> => {
    const p = await resident(name, 'dongtai');
    h.clock.set(t(local));
    const n = await openCase(p, matter);
    await send(he, `接单 ${n}`);
    news(p);
    news(he);
    return [p, n];
  };

  it('answers words sent while a case waits with the 接单 line that sends them; 接单 with words takes it and sends them', async () => {
    const wang = await resident('王大妈', 'dongtai');
    h.clock.set(t('2026-11-26T09:00'));
    const n = await openCase(wang, '我家秧苗发黄，是不是病虫害');
    news(he);

    await sendAt('2026-11-26T09:05', he, '收到，明天上午过去看看');
    expect(news(he)).toEqual([`这条没有转给群众：#${n}（王大妈）还没有接单。接单并转告群众请发：\n接单 ${n} 明天上午过去看看`]);
    await send(he, '在路上');
    expect(news(he)).toEqual([`这条没有转给群众：#${n}（王大妈）还没有接单。接单并转告群众请发：\n接单 ${n} 在路上`]);
    // A question is not words for her: the everyday commands.
    await send(he, '怎么接单？');
    expect(news(he)[0]).toMatch(/^没有看懂这条指令。常用的有：\n接单 1001\n/);
    expect(news(wang)).toEqual([]);
    expect(await caseStatus(n)).toBe('assigned');

    await send(he, '接单，明天上午过去');
    expect(news(he)).toEqual([`已接单 #${n}（王大妈），并已转告群众。`]);
    expect(news(wang)).toEqual([
      `您的事项 #${n} 已由农技站贺建军接单，会尽快和您联系。`,
      `【农技站 贺建军】明天上午过去\n（#${n}，直接留言即可回复）`,
    ]);
    expect(await caseStatus(n)).toBe('accepted');
    // Sent again once it is taken: the words did not go, and the line that sends them comes back.
    await send(he, '接单 下午三点到');
    expect(news(he)).toEqual([`这条没有转给群众。要转告 #${n} 的群众，请发：\n回复 ${n} 下午三点到\n发“帮助”查看全部指令。`]);
    expect(news(wang)).toEqual([]);
  });

  it('lists the cases waiting when several do, with the line for the words', async () => {
    const zhao = await resident('赵叔', 'dongtai');
    const li = await resident('李大爷', 'dongan');
    h.clock.set(t('2026-11-26T10:00'));
    const a = await openCase(zhao, '玉米有病虫害，打什么药好');
    const b = await openCase(li, '水稻纹枯病怎么治');
    news(he);
    await sendAt('2026-11-26T11:00', he, '好的 下午去');
    expect(news(he)).toEqual([
      `这条没有转给群众。您有 2 件还没有接单：\n#${a} 赵叔：玉米有病虫害，打什么药好\n#${b} 李大爷：水稻纹枯病怎么治\n` +
        `接单并转告群众请发“接单 编号 内容”，如：\n接单 ${a} 下午去`,
    ]);
    // 接单 with words and several waiting takes none: which one the words are for is unclear.
    await send(he, '接单 下午去');
    expect(news(he)[0]).toMatch(/^您有 2 件还没有接单：/);
    expect([await caseStatus(a), await caseStatus(b)]).toEqual(['assigned', 'assigned']);
    expect([...news(zhao), ...news(li)]).toEqual([]);
  });

  it('takes, answers and closes a case written 1001接单, 1001 下午到, 1001办结了: the number first, as one hand types it', async () => {
    const zhou = await resident('周大姐', 'dongtai');
    h.clock.set(t('2026-11-26T14:30'));
    const n = await openCase(zhou, '我家秧苗发黄，是不是病虫害');
    news(he);
    // Words after the number of a case waiting: the 接单 line, the number not written twice.
    await sendAt('2026-11-26T14:35', he, `${n} 明天上午到`);
    expect(news(he)).toEqual([`这条没有转给群众：#${n}（周大姐）还没有接单。接单并转告群众请发：\n接单 ${n} 明天上午到`]);
    await send(he, `${n}接单`);
    expect(news(he)).toEqual([`已接单 #${n}（周大姐）。转告群众请发：回复 ${n} 内容`]);
    expect(news(zhou)).toEqual([`您的事项 #${n} 已由农技站贺建军接单，会尽快和您联系。`]);
    await send(he, `${n} 下午到`);
    expect(news(he)).toEqual([`这条没有转给群众。要转告 #${n} 的群众，请发：\n回复 ${n} 下午到\n发“帮助”查看全部指令。`]);
    await send(he, `${n} 回复 下午三点到`);
    expect(news(zhou)).toEqual([`【农技站 贺建军】下午三点到\n（#${n}，直接留言即可回复）`]);
    news(he);
    await sendAt('2026-11-26T16:00', he, `${n}办好了`);
    expect(news(he)).toEqual([`要办结 #${n}（周大姐）请发：\n办结 ${n} 办好了\n只转告群众请发：回复 ${n} 办好了`]);
    // Asked, it is no 办结: where the case stands.
    await send(he, `${n}办结了吗`);
    expect(await caseStatus(n)).toBe('accepted');
    expect(news(he)).toEqual([expect.stringMatching(new RegExp(`^#${n} 东台村 农技站 办理中 · 办结时限`))]);
    // 接单了吧: checked, not a 吧 for her.
    await send(he, `${n}接单了吧`);
    expect(news(he)).toEqual([expect.stringMatching(new RegExp(`^#${n} 东台村 农技站 办理中 · 办结时限`))]);
    expect(news(zhou)).toEqual([]);
    await send(he, `${n}办结了，已指导追施尿素`);
    expect(news(he)[0]).toMatch(new RegExp(`^已办结 #${n}（周大姐）`));
    expect(news(zhou)[0]).toMatch(new RegExp(`^您的事项 #${n} 已由农技站贺建军办结：已指导追施尿素\n请您评价`));
    expect(await caseStatus(n)).toBe('resolved');
  });

  it('passes on the note of a 办结 sent after it, while the resident has not rated; a repeat is answered as done', async () => {
    const [gao, n] = await taken('高大娘', '玉米有病虫害，叶子卷起来了', '2026-11-26T15:00');
    await sendAt('2026-11-26T16:00', he, `办结${n}`);
    expect(news(gao)[0]).toMatch(new RegExp(`^您的事项 #${n} 已由农技站贺建军办结。\n请您评价`));
    news(he);

    await sendAt('2026-11-26T16:01', he, `办结 ${n} 已指导打药`);
    expect(news(gao)).toEqual([`【农技站 贺建军】#${n} 办结说明：已指导打药\n（评价请回复 1 满意，2 基本满意，3 不满意）`]);
    expect(news(he)).toEqual([`已把办结说明转告 #${n} 的群众高大娘。`]);
    const [row] = await h.query<{ status: string; resolution_note: string }>(`SELECT status, resolution_note FROM cases WHERE number = $1`, [n]);
    expect(row).toEqual({ status: 'resolved', resolution_note: '已指导打药' });
    const noted = await h.query<{ data: Record<string, unknown> }>(
      `SELECT e.data FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.number = $1 AND e.type = 'replied'`,
      [n],
    );
    expect(noted.map((e) => e.data)).toEqual([{ text: '已指导打药', resolutionNote: true }]);

    // Bare, or the same note again: nothing more for the resident.
    for (const repeat of [`办结 ${n}`, `办结 ${n} 已指导打药`]) {
      await send(he, repeat);
      expect(news(he), repeat).toEqual([`#${n} 已办结，无需再办理。`]);
    }
    expect(news(gao)).toEqual([]);
    // Rated, the case is closed: no more notes.
    await send(gao, '1');
    news(gao);
    news(he);
    await send(he, `办结 ${n} 三天后再看看`);
    expect(news(he)).toEqual([`#${n} 已办结，无需再办理。`]);
    expect(news(gao)).toEqual([]);
  });

  it('sends nothing of an example copied as it stands (回复 1001 内容), and asks for the real words after the same command', async () => {
    const [tian, n] = await taken('田大爷', '稻子叶子发黄，是不是病虫害', '2026-11-26T16:30');
    const asked = (words: string, line: string, what: string) => `“${words}”是示例里的字，这条没有发出。请在“${line}”后面写上${what}再发。`;
    for (const [text, answer] of [
      [`回复 ${n} 内容`, asked('内容', `回复 ${n}`, '要说的话')],
      [`回复${n} 要转告群众的话`, asked('要转告群众的话', `回复 ${n}`, '要说的话')],
      [`办结 ${n} 办理说明（可随后发现场照片）`, asked('办理说明（可随后发现场照片）', `办结 ${n}`, '办理情况')],
      ['代办 张大爷 东台村 内容（替没有微信的群众反映）', asked('内容（替没有微信的群众反映）', '代办 张大爷 东台村', '要说的话')],
    ]) {
      await send(he, text!);
      expect(news(he), text).toEqual([answer]);
    }
    expect(news(tian)).toEqual([]);
    expect(await caseStatus(n)).toBe('accepted');
    expect(await h.count(`SELECT count(*) FROM residents WHERE name = '张大爷'`)).toBe(0);
    // The real words go.
    await send(he, `回复 ${n} 明天上午到`);
    expect(news(tian)).toEqual([`【农技站 贺建军】明天上午到\n（#${n}，直接留言即可回复）`]);
  });

  it('reads 恢复1001 as 回复 and 人物 as 任务, as voice input writes them', async () => {
    const [yu, n] = await taken('余大姐', '秧苗发黄，是不是病虫害', '2026-11-26T17:00');
    await send(he, `恢复${n} 明天去`);
    expect(news(yu)).toEqual([`【农技站 贺建军】明天去\n（#${n}，直接留言即可回复）`]);
    expect(news(he)).toEqual([`已转告 #${n} 的群众余大姐。`]);
    await send(he, '人物');
    expect(news(he)[0]).toMatch(/^您的待办（\d+ 件）：/);
  });

  it('reads 接但 as 接单, 结案 as 办结 and 转办 as 转派, whatever case he acted on last', async () => {
    const lu = await resident('卢大姐', 'dongtai');
    h.clock.set(t('2026-11-26T17:05'));
    const waiting = await openCase(lu, '秧苗叶子发黄打什么药');
    news(he);
    await send(he, `接但 ${waiting}`);
    expect(news(he)).toEqual([`已接单 #${waiting}（卢大姐）。转告群众请发：回复 ${waiting} 内容`]);
    expect(news(lu)).toEqual([`您的事项 #${waiting} 已由农技站贺建军接单，会尽快和您联系。`]);

    const [, other] = await taken('柳大爷', '稻子倒伏了怎么办', '2026-11-26T17:10');
    await send(he, `结案 ${waiting} 已指导打药`);
    expect(news(he)[0]).toMatch(new RegExp(`^已办结 #${waiting}（卢大姐）`));
    expect(news(lu)[0]).toMatch(new RegExp(`^您的事项 #${waiting} 已由农技站贺建军办结：已指导打药`));

    await send(he, `转办 ${other} 防疫站 是猪的事`);
    expect(news(he)[0]).toMatch(new RegExp(`^已将 #${other} 转派给动物防疫站`));
    expect((await h.query<{ department_id: string }>(`SELECT department_id FROM cases WHERE number = $1`, [other]))[0]!.department_id).toBe('fangyizhan');
  });

  it('closes a visit written 101完成了, or quoting its notice with 没来 or 改约 下雨', async () => {
    const sun = await resident('孙大姐', 'dongtai');
    const qian = await resident('钱大爷', 'dongtai');
    const wu = await resident('吴叔', 'dongtai');
    h.clock.set(t('2026-11-27T08:00'));
    // Three visits on Mon 30 Nov (the day's second on the menu), each at the first time left: 08:30, 10:00, 14:30.
    const book = async (p: Person, slot: string) => {
      for (const answer of ['预约', '1', '2', slot, '1', '1']) await send(p, answer);
      const got = news(p);
      expect(got.at(-1)).toMatch(/^预约成功/);
      return Number(/预约号 (\d+)/.exec(got.at(-1)!)![1]);
    };
    const [a, b, c] = [await book(sun, '1'), await book(qian, '1'), await book(wu, '1')];
    const notices = news(he);
    expect(notices).toHaveLength(3);
    expect(notices[0]).toMatch(new RegExp(`^【新预约 ${a}】11月30日 周一 08:30–09:30\n`));

    // The day's list: the address is the village (each answered 1 to it), which the line names already.
    await sendAt('2026-11-30T08:00', he, '今日预约');
    expect(news(he)).toEqual([
      `【11月30日 周一 今日预约 3 个】\n${a} 08:30 田间技术指导 · 东台村 孙大姐\n${b} 10:00 田间技术指导 · 东台村 钱大爷\n${c} 14:30 田间技术指导 · 东台村 吴叔`,
    ]);
    // "完成 101 说明" copied from the notice: the visit stays as it is.
    await sendAt('2026-11-30T09:39', he, `完成 ${a} 说明`);
    expect(news(he)).toEqual([`“说明”是示例里的字，这条没有发出。请在“完成 ${a}”后面写上办理情况再发。`]);
    expect(news(sun)).toEqual([]);
    await sendAt('2026-11-30T09:40', he, `${a}完成了`);
    expect(news(he)).toEqual([`预约 ${a} 已完成。`]);
    expect(news(sun)).toEqual([`您的预约 ${a}（田间技术指导）已办完。\n有事随时留言。`]);
    await send(he, quoting(notices[2]!, '改约 下雨'));
    expect(news(he)[0]).toMatch(new RegExp(`^预约 ${c} 已取消，已请吴叔另约时间`));
    expect(news(wu)[0]).toMatch(/要改期（贺建军通知：下雨），请您另约时间。/);
    // The second visit began at 10:00.
    await sendAt('2026-11-30T10:40', he, quoting(notices[1]!, '没来'));
    expect(news(he)).toEqual([`已记录预约 ${b}（钱大爷）群众未到。`]);
    expect([await bookingStatus(a), await bookingStatus(b), await bookingStatus(c)]).toEqual([
      { status: 'completed', outcome_note: null },
      { status: 'no-show', outcome_note: null },
      { status: 'cancelled', outcome_note: '下雨' },
    ]);
  });
});

describe('what lianxin does not understand', () => {
  useHarness();

  it('answers with the few everyday commands, short enough to read in the field; 帮助 gives them all', async () => {
    const he = await bind('c-he-jianjun');
    const peng = await bind('c-peng-deming');
    h.clock.set(t('2026-11-26T09:00'));
    const short = '没有看懂这条指令。常用的有：\n接单 1001\n回复 1001 要转告群众的话\n办结 1001 办理说明\n任务（我手上的事项）\n全部指令请发“帮助”。';
    for (const words of ['今天的', '怎么用']) {
      await send(he, words);
      expect(news(he), words).toEqual([short]);
    }
    // A head reads his own everyday commands.
    await send(peng, '看看任务');
    expect(news(peng)).toEqual([
      '没有看懂这条指令。常用的有：\n超时（超时案件）\n督办 1001 要说的话\n派单 1001 干部姓名\n1001怎么样了（案件进展）\n全部指令请发“帮助”。',
    ]);
    await send(he, '帮助');
    const [help] = news(he);
    expect(help).toMatch(/^干部指令/);
    expect(help).toContain('改约 101 原因');
  });
});
