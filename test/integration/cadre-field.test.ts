/**
 * A cadre in a muddy field with one hand free, and his head moving work meanwhile: 结单 (接单 or
 * 办结?), several numbers in one message, a case given to someone else while he was typing.
 * Sample township config; the SLA sweep is off (hourly).
 *
 * 农技站: 彭德明 head, 贺建军 (东台村, 东岸村 …), 易春林. 26 Nov 2026 is a Thursday.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Harness, Person } from '../support/harness.js';
import { chat, t } from '../support/chat.js';

let h: Harness;
const { useHarness, news, bind, resident, send, sendPhoto, openCase } = chat((started) => (h = started));

const status = async (number: number) =>
  (await h.query<{ status: string; assignee_id: string }>(`SELECT status, assignee_id FROM cases WHERE number = $1`, [number]))[0]!;

describe('a cadre in the field', () => {
  useHarness();
  let he: Person;
  let peng: Person;
  let yi: Person;

  beforeAll(async () => {
    he = await bind('c-he-jianjun');
    peng = await bind('c-peng-deming');
    yi = await bind('c-yi-chunlin');
  });

  it('reads 结单 as 接单 or 办结 without guessing which: the lines to send come back, nothing changes', async () => {
    h.clock.set(t('2026-11-26T09:00'));
    const wang = await resident('王大妈', 'dongtai');
    const n = await openCase(wang, '我家秧苗发黄，是不是病虫害');
    news(he);

    // Still waiting: jiedan as pinyin writes it is 接单 as often as 办结 in work-order speech.
    await send(he, `结单 ${n}`);
    expect(news(he)).toEqual([`“结单”是要接单还是办结？#${n}（王大妈）还没有接单。\n接单请发：接单 ${n}\n已经办好了请发：办结 ${n} 办理说明`]);
    await send(he, `${n}结单了`);
    expect(news(he)).toEqual([`“结单”是要接单还是办结？#${n}（王大妈）还没有接单。\n接单请发：接单 ${n}\n已经办好了请发：办结 ${n} 办理说明`]);
    expect(news(wang)).toEqual([]);
    expect((await status(n)).status).toBe('assigned');

    await send(he, `接单 ${n}`);
    news(he);
    news(wang);
    // Accepted: only 办结 is left to mean, his words kept for it.
    await send(he, `结单 ${n} 已指导打药`);
    expect(news(he)).toEqual([`要办结 #${n}（王大妈）请发：\n办结 ${n} 已指导打药`]);
    // Without the number: the case just acted on.
    await send(he, '结单');
    expect(news(he)).toEqual([`要办结 #${n}（王大妈）请发：\n办结 ${n} 办理说明`]);
    expect(news(wang)).toEqual([]);
    expect((await status(n)).status).toBe('accepted');

    // 结单率 is a word, not 结单.
    await send(he, '结单率是怎么算的');
    expect(news(he)[0]).not.toMatch(/结单”是/);
  });

  it('names who holds a case now when 接单 of several finds it given to someone else', async () => {
    h.clock.set(t('2026-11-26T10:00'));
    const zhao = await resident('赵叔', 'dongtai');
    const qian = await resident('钱大伯', 'dongan');
    const a = await openCase(zhao, '玉米有病虫害，打什么药好');
    const b = await openCase(qian, '水稻纹枯病怎么治');
    await send(peng, `派单 ${a} 易春林`);
    news(he);
    news(peng);
    news(yi);

    await send(he, `接单 ${a} ${b}`);
    expect(news(he)).toEqual([`已接单 #${b}（钱大伯）。\n未接：#${a} 已改由易春林负责，您无需再办理。\n转告群众请发：回复 ${b} 内容`]);
    expect((await status(a)).assignee_id).toBe('c-yi-chunlin');

    // With words after the numbers: taken and told, each.
    const sun = await resident('孙大哥', 'dongtai');
    const c = await openCase(sun, '稻飞虱很多怎么打药');
    news(he);
    news(qian);
    await send(he, `接单 ${c} ${b} 明天上午过去`);
    expect(news(he)).toEqual([`已接单 #${c}（孙大哥）。\n已转告 #${c}、#${b} 的群众。`]);
    expect(news(sun)).toEqual([`您的事项 #${c} 已由农技站贺建军接单，会尽快和您联系。`, `【农技站 贺建军】明天上午过去\n（#${c}，直接留言即可回复）`]);
    expect(news(qian)).toEqual([`【农技站 贺建军】明天上午过去\n（#${b}，直接留言即可回复）`]);
  });

  it('says his words did not go when the head gave the case to someone else while he typed them', async () => {
    h.clock.set(t('2026-11-26T11:00'));
    const sun = await resident('孙婶', 'dongtai');
    const n = await openCase(sun, '稻飞虱很多怎么打药');
    await send(he, `接单 ${n}`);
    await send(sun, '叶子背面有小虫');
    const followUp = news(he).at(-1)!;
    await send(peng, `派单 ${n} 易春林`);
    news(he);
    news(sun);

    await send(he, `回复 ${n} 明天上午过去看看`);
    expect(news(he)).toEqual([`这条没有转给群众。#${n} 已改由易春林负责，您无需再办理。`]);
    await send(he, `办结 ${n} 已指导打药`);
    expect(news(he)).toEqual([`这条没有转给群众。#${n} 已改由易春林负责，您无需再办理。`]);
    // Quoting her words passed on to him before.
    await send(he, `「东山镇连心：${followUp}」\n- - - - - - - - - - - - - - -\n明天上午过去`);
    expect(news(he)).toEqual([`这条没有转给群众。#${n} 已改由易春林负责，您无需再办理。`]);
    // Nothing of his for her: only who holds it now.
    await send(he, `${n}怎么样了`);
    expect(news(he)).toEqual([`#${n} 已改由易春林负责，您无需再办理。`]);
    expect(news(sun)).toEqual([]);
  });

  it('answers and closes several cases written in one message, each resident told; a number that is no case of his stays words', async () => {
    h.clock.set(t('2026-11-26T14:30'));
    const wu = await resident('吴大姐', 'dongtai');
    const zheng = await resident('郑大爷', 'dongan');
    const feng = await resident('冯婶', 'dongtai');
    const a = await openCase(wu, '我家秧苗发黄，是不是病虫害');
    const b = await openCase(zheng, '水稻纹枯病怎么治');
    const c = await openCase(feng, '玉米有病虫害，打什么药好');
    await send(he, `接单 ${a} ${b} ${c}`);
    await send(peng, `派单 ${c} 易春林`);
    for (const p of [he, peng, yi, wu, zheng, feng]) news(p);

    await send(he, `回复 ${a} ${b} ${c} 明天上午过去看`);
    expect(news(wu)).toEqual([`【农技站 贺建军】明天上午过去看\n（#${a}，直接留言即可回复）`]);
    expect(news(zheng)).toEqual([`【农技站 贺建军】明天上午过去看\n（#${b}，直接留言即可回复）`]);
    expect(news(feng)).toEqual([]);
    expect(news(he)).toEqual([
      `已转告 #${a} 的群众吴大姐。\n已转告 #${b} 的群众郑大爷。\n这条没有转给群众。#${c} 已改由易春林负责，您无需再办理。`,
    ]);
    // A photo after it: which of them it shows is asked, not guessed.
    h.clock.set(t('2026-11-26T14:40'));
    await sendPhoto(he, 'field.jpg');
    expect(news(he)[0]).toMatch(/^图片还没有转出，是给哪位群众的？/);
    await send(he, String(a));
    expect(news(he)).toEqual([`已转给 #${a} 的群众吴大姐。`]);
    news(wu);

    await send(he, `办结 ${a}、${b} 已指导追肥打药`);
    expect(news(wu)[0]).toMatch(new RegExp(`^您的事项 #${a} 已由农技站贺建军办结：已指导追肥打药\n请您评价`));
    expect(news(zheng)[0]).toMatch(new RegExp(`^您的事项 #${b} 已由农技站贺建军办结：已指导追肥打药\n请您评价`));
    expect(news(he)).toEqual([
      `已办结 #${a}（吴大姐），已请群众评价。误发了请发：撤销办结 ${a}\n已办结 #${b}（郑大爷），已请群众评价。误发了请发：撤销办结 ${b}`,
    ]);
    expect([(await status(a)).status, (await status(b)).status]).toEqual(['resolved', 'resolved']);

    // "2000" is no case of his: a price, words for the resident as written.
    const ma = await resident('马大哥', 'dongtai');
    const d = await openCase(ma, '稻飞虱很多，无人机打药多少钱');
    await send(he, `回复 ${d} 2000 一天`);
    expect(news(ma)).toEqual([`【农技站 贺建军】2000 一天\n（#${d}，直接留言即可回复）`]);

    // Nor is a case his head may act on, held by someone else: its resident reads nothing of this price.
    const niu = await resident('牛大爷', 'dongtai');
    const e = await openCase(niu, '水稻纹枯病怎么治');
    await send(peng, `派单 ${e} 易春林`);
    for (const p of [he, peng, yi, niu, ma]) news(p);
    await send(peng, `回复 ${d} ${e} 一天`);
    expect(news(niu)).toEqual([]);
    expect(news(ma)).toEqual([`【农技站 彭德明】${e} 一天\n（#${d}，直接留言即可回复）`]);
    // A price with a space before its unit is words, even when a case of his has that number.
    for (const p of [he, wu]) news(p);
    await send(he, `回复 ${d} ${a} 元一亩`);
    expect(news(wu)).toEqual([]);
    expect(news(ma)).toEqual([`【农技站 贺建军】${a} 元一亩\n（#${d}，直接留言即可回复）`]);
  });

  it('tells him when a 办结 without a note is all a resident nobody wrote to reads, and how to add one', async () => {
    h.clock.set(t('2026-11-26T16:00'));
    const tang = await resident('唐奶奶', 'dongtai');
    const n = await openCase(tang, '秧苗发黄怎么办，是不是病虫害');
    await send(he, `接单 ${n}`);
    news(he);
    news(tang);

    await send(he, `办结 ${n}`);
    expect(news(tang)[0]).toMatch(new RegExp(`^您的事项 #${n} 已由农技站贺建军办结。\n请您评价`));
    expect(news(he)).toEqual([
      `已办结 #${n}（唐奶奶），已请群众评价。有现场照片可直接发来，会转给群众。误发了请发：撤销办结 ${n}\n` +
        `唐奶奶之前没有收到过回复，这次只看到“已办结”。补一句怎么办的，请发：办结 ${n} 办理说明`,
    ]);
    await send(he, `办结 ${n} 电话里讲了，追施尿素`);
    expect(news(tang)[0]).toMatch(new RegExp(`^【农技站 贺建军】#${n} 办结说明：电话里讲了，追施尿素`));

    // Answered before: the 办结 alone says nothing more.
    const lu = await resident('卢大叔', 'dongtai');
    const m = await openCase(lu, '玉米有病虫害，打什么药好');
    await send(he, `回复 ${m} 打吡虫啉`);
    news(he);
    await send(he, `办结 ${m}`);
    expect(news(he)).toEqual([`已办结 #${m}（卢大叔），已请群众评价。有现场照片可直接发来，会转给群众。误发了请发：撤销办结 ${m}`]);
  });

  it('passes his answer quoting the head’s 【督办】 to the head, not to the resident', async () => {
    h.clock.set(t('2026-11-27T09:00'));
    const bai = await resident('白大娘', 'dongtai');
    const n = await openCase(bai, '水稻纹枯病怎么治');
    await send(he, `接单 ${n}`);
    await send(peng, `督办 ${n} 今天要回话`);
    const urged = news(he).at(-1)!;
    expect(urged).toBe(`【督办】#${n} 彭德明请您抓紧办理。今天要回话`);
    news(peng);
    news(bai);

    await send(he, `「东山镇连心：${urged}」\n- - - - - - - - - - - - - - -\n这户情况特殊，明天一早去`);
    expect(news(peng)).toEqual([`【#${n} 督办回复】贺建军：这户情况特殊，明天一早去`]);
    expect(news(he)).toEqual([`已转告彭德明。要转告群众请发：回复 ${n} 这户情况特殊，明天一早去`]);
    await send(he, `「东山镇连心：${urged}」\n- - - - - - - - - - - - - - -\n收到`);
    expect(news(peng)).toEqual([`【#${n} 督办回复】贺建军：收到`]);
    expect(news(bai)).toEqual([]);
  });

  it('tells whom the head gives an answered case what its resident was last told, before her words after it', async () => {
    h.clock.set(t('2026-11-27T10:00'));
    const gu = await resident('顾大妈', 'dongtai');
    const n = await openCase(gu, '我家秧苗发黄，是不是病虫害');
    await send(he, `接单 ${n} 明天上午过去看看`);
    await send(gu, '好的，我在家等');
    news(he);
    news(gu);

    await send(peng, `派单 ${n} 易春林 小贺明天有会`);
    const got = news(yi);
    expect(got[0]).toMatch(new RegExp(`^【新案件 #${n}】东台村 · 农技站\n（彭德明派单：小贺明天有会）`));
    expect(got.slice(1)).toEqual([
      `【#${n} 此前回复群众】贺建军（11月27日 10:00）：明天上午过去看看`,
      `【#${n} 群众补充】东台村 顾大妈：好的，我在家等`,
    ]);
    // Given back to him, he reads what 易春林 told her since.
    await send(yi, `回复 ${n} 我是易春林，明天上午九点到`);
    news(he);
    await send(peng, `派单 ${n} 贺建军`);
    expect(news(he).slice(1)).toEqual([
      `【#${n} 此前回复群众】易春林（11月27日 10:00）：我是易春林，明天上午九点到`,
      `【#${n} 群众补充】东台村 顾大妈：好的，我在家等`,
    ]);
  });

  it('lets the head give the cases of a cadre on leave to another in one message, as his 请假 notice says', async () => {
    h.clock.set(t('2026-11-30T09:00'));
    const a = await openCase(await resident('秦大爷', 'dongtai'), '水稻纹枯病怎么治');
    const b = await openCase(await resident('尤大姐', 'dongan'), '玉米有病虫害，打什么药好');
    const openOfHe = async () =>
      (await h.query<{ number: number }>(`SELECT number FROM cases WHERE assignee_id = 'c-he-jianjun' AND status IN ('assigned', 'accepted') ORDER BY number`)).map((c) => c.number);
    // More than the notice names: the 派单 line still takes every one of them.
    for (let i = (await openOfHe()).length; i <= 5; i++) await openCase(await resident(`东台村民${i}`, 'dongtai'), '秧苗发黄怎么办');
    const open = await openOfHe();
    await send(he, '请假 今天 孩子发烧');
    const more = open.length > 5 ? ' 等' : '';
    expect(news(peng)).toEqual([
      `【请假】贺建军请假 11月30日 周一（孩子发烧），新事项由您接办，他手上还有 ${open.length} 件未办结（${open.slice(0, 5).map((n) => `#${n}`).join('、')}${more}）。\n` +
        `要交给别人请发：派单 ${open.join(' ')} 干部姓名`,
    ]);
    news(yi);
    await send(peng, `派单 ${a}、${b} 易春林 小贺请假了`);
    expect(news(peng)).toEqual([`已将 #${a} 派给易春林。\n提示：东台村不在易春林的包片范围内。\n已将 #${b} 派给易春林。\n提示：东岸村不在易春林的包片范围内。`]);
    expect(news(yi).filter((m) => m.startsWith('【新案件')).map((m) => m.split('\n').slice(0, 2).join(' '))).toEqual([
      `【新案件 #${a}】东台村 · 农技站 （彭德明派单：小贺请假了）`,
      `【新案件 #${b}】东岸村 · 农技站 （彭德明派单：小贺请假了）`,
    ]);
    expect([(await status(a)).assignee_id, (await status(b)).assignee_id]).toEqual(['c-yi-chunlin', 'c-yi-chunlin']);
    // The numbers first, as a busy head says it; a second number where the name goes is the example.
    await send(peng, `把${a}和${b}交给贺建军`);
    expect(news(peng)).toEqual([`贺建军正在休假（11月30日），请派给其他同志。`]);
    await send(peng, `派单 ${a} ${b}`);
    expect(news(peng)).toEqual(['“派单”的写法：派单 1001 干部姓名或部门；几件一起派：派单 1001 1002 干部姓名\n发“帮助”查看全部指令。']);
    // The head takes both himself: each case's notice stays its own message, to quote; one confirmation.
    await send(peng, `派单 ${a} ${b} 彭德明`);
    const got = news(peng);
    expect(got.filter((m) => m.startsWith('【新案件')).map((m) => m.split('\n')[0])).toEqual([
      expect.stringMatching(new RegExp(`^【新案件 #${a}】`)),
      expect.stringMatching(new RegExp(`^【新案件 #${b}】`)),
    ]);
    expect(got.filter((m) => !m.startsWith('【'))).toEqual([expect.stringContaining(`已将 #${a} 派给彭德明。`)]);
    expect(got.find((m) => !m.startsWith('【'))).toContain(`已将 #${b} 派给彭德明。`);
  });
});
