/**
 * A department head in chat, as 农技站's 彭德明 reads WeChat between meetings and fields: short
 * words for what the commands say (督促, 同意, 有哪些超时的, 1003怎么样了), and nothing of his
 * meant for a cadre reaching a resident. Sample township config; the SLA sweep is off (hourly),
 * so moving the clock escalates nothing behind a test's back.
 *
 * 农技站: 彭德明 head (area A), 贺建军 (area B: 东台村, 东岸村 …), 易春林 (area C: 先进村, 泉塘村 …).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Harness, Person } from '../support/harness.js';
import { chat, t } from '../support/chat.js';

let h: Harness;
const { useHarness, news, bind, resident, send, sendAt, openCase } = chat((started) => (h = started));

const eventTypes = async (number: number) =>
  (await h.query<{ type: string }>(`SELECT e.type FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.number = $1 ORDER BY e.id`, [number])).map(
    (e) => e.type,
  );

describe('督办 as a head says it', () => {
  useHarness();
  let he: Person;
  let peng: Person;
  let zhao: Person;
  let n: number;

  beforeAll(async () => {
    he = await bind('c-he-jianjun');
    peng = await bind('c-peng-deming');
    zhao = await resident('赵叔', 'dongan');
    h.clock.set(t('2026-11-26T09:00'));
    n = await openCase(zhao, '水稻纹枯病怎么治');
    await sendAt('2026-11-26T09:10', he, `接单 ${n}`);
  });

  it('takes 督促 and 催办 (the word of the escalation notice) as 督办: the holder is urged, the resident reads nothing', async () => {
    await sendAt('2026-11-26T10:00', peng, `督促 ${n}`);
    expect(news(peng)).toEqual([`已督办 #${n}。`]);
    expect(news(he)).toEqual([`【督办】#${n} 彭德明请您抓紧办理。`]);
    await send(peng, `催办${n} 今天要给群众回话`);
    expect(news(peng)).toEqual([`已督办 #${n}。`]);
    expect(news(he)).toEqual([`【督办】#${n} 彭德明请您抓紧办理。今天要给群众回话`]);
    expect(news(zhao)).toEqual([]);
    expect((await eventTypes(n)).filter((e) => e === 'urged')).toHaveLength(2);
    // Written wrongly: the 督办 example, as for 督办 itself.
    await send(peng, '催办 快点');
    expect(news(peng)[0]).toMatch(/^“催办”的写法：督办 1001/);
  });

  it('takes 催一下 with the number before or after it as 督办, nothing for the resident; alone, it asks for the number', async () => {
    await sendAt('2026-11-26T10:30', peng, `${n}催一下`);
    expect(news(peng)).toEqual([`已督办 #${n}。`]);
    expect(news(he)).toEqual([`【督办】#${n} 彭德明请您抓紧办理。`]);
    await send(peng, `帮我催一下 ${n} 今天要回话`);
    expect(news(peng)).toEqual([`已督办 #${n}。`]);
    expect(news(he)).toEqual([`【督办】#${n} 彭德明请您抓紧办理。今天要回话`]);
    await send(peng, `#${n} 催催吧`);
    expect(news(he)).toEqual([`【督办】#${n} 彭德明请您抓紧办理。`]);
    news(peng);
    expect(news(zhao)).toEqual([]);
    await send(peng, '催一下');
    expect(news(peng)).toEqual(['“催一下”的写法：督办 1001（或：1001催一下）\n发“帮助”查看全部指令。']);
    // Quoting the case's notice, the quote gives the number.
    await send(peng, `「东山办事处连心：【催办】#${n} 东岸村 · 农技站：贺建军回复群众超时。」\n- - - - - - - - - - - - - - -\n催一下`);
    expect(news(peng)).toEqual([`已督办 #${n}。`]);
    expect(news(he)).toHaveLength(1);
  });
});

describe('超时 asked in words', () => {
  useHarness();
  let peng: Person;
  let he: Person;

  beforeAll(async () => {
    peng = await bind('c-peng-deming');
    he = await bind('c-he-jianjun');
    const wang = await resident('王大妈', 'dongtai');
    h.clock.set(t('2026-11-26T09:00'));
    await openCase(wang, '我家秧苗发黄了，是不是病虫害');
  });

  it('answers 有哪些超时的 with the 超时 list, and a cadre with the refusal', async () => {
    h.clock.set(t('2026-11-26T11:30'));
    await send(peng, '超时');
    const [list] = news(peng);
    expect(list).toMatch(/^超时事项（1 件）：\n#1001 东台村 农技站 待接单 · 接单时限 11月26日 11:00（已超 30分钟） · 贺建军/);
    for (const words of ['有哪些超时的', '超时的有几件？', '有没有超时的']) {
      await send(peng, words);
      expect(news(peng), words).toEqual([list]);
    }
    await send(he, '有哪些超时的');
    expect(news(he)).toEqual(['这条指令只有部门负责人和办公室可以使用。']);
  });

  it('shows the first 30 of a long list, each late by working time as the 超时 page counts it, and sends the rest to the page', async () => {
    h.clock.set(t('2026-11-26T09:00'));
    for (let i = 1; i <= 30; i++) await openCase(await resident(`村民${i}`, 'dongtai'), `秧苗发黄第${i}块田`);
    // 27 Nov 09:30: #1001's accept limit (26 Nov 11:00) passed 1 working hour before noon, 3 in the afternoon and 1 this morning.
    await sendAt('2026-11-27T09:30', peng, '超时');
    const lines = news(peng)[0]!.split('\n');
    expect(lines[0]).toBe('超时事项（最早的 30 件，全部请看网页“超时”页）：');
    expect(lines[1]).toBe('#1001 东台村 农技站 待接单 · 接单时限 11月26日 11:00（已超 5工作小时） · 贺建军');
    expect(lines.filter((l) => l.startsWith('#'))).toHaveLength(30);
    expect(lines.at(-1)).toBe('催办请发：督办 1001 要说的话');
  });
});

describe('待接单 asked in words', () => {
  useHarness();

  it('lists the department’s cases nobody has accepted yet, with their holders, for 都有哪些没接的', async () => {
    const peng = await bind('c-peng-deming');
    const he = await bind('c-he-jianjun');
    h.clock.set(t('2026-11-26T09:00'));
    const a = await openCase(await resident('赵叔', 'dongan'), '水稻纹枯病怎么治');
    const b = await openCase(await resident('钱大伯', 'quantang'), '种子发芽不好，出苗率低');
    const c = await openCase(await resident('孙婶', 'dongtai'), '秧苗发黄是不是病虫害');
    await sendAt('2026-11-26T09:10', he, `接单 ${c}`);
    news(peng);
    await sendAt('2026-11-26T09:30', peng, '都有哪些没接的？');
    expect(news(peng)).toEqual([
      `待接单事项（2 件）：\n` +
        `#${a} 东岸村 农技站 待接单 · 接单时限 11月26日 11:00 · 贺建军\n  赵叔：水稻纹枯病怎么治\n` +
        `#${b} 泉塘村 农技站 待接单 · 接单时限 11月26日 11:00 · 易春林\n  钱大伯：种子发芽不好，出苗率低\n` +
        `催办请发：督办 ${a} 要说的话`,
    ]);
  });
});

describe('延期申请 answered in plain words', () => {
  useHarness();
  let he: Person;
  let yi: Person;
  let peng: Person;
  let zhao: Person;
  let sun: Person;
  let a: number; // 贺建军's
  let b: number; // 易春林's

  beforeAll(async () => {
    he = await bind('c-he-jianjun');
    yi = await bind('c-yi-chunlin');
    peng = await bind('c-peng-deming');
    zhao = await resident('赵叔', 'dongan');
    sun = await resident('孙婶', 'quantang');
    h.clock.set(t('2026-11-26T09:00'));
    a = await openCase(zhao, '水稻纹枯病怎么治');
    b = await openCase(sun, '种子发芽不好，出苗率低');
    await sendAt('2026-11-26T09:05', he, `接单 ${a}`);
    await sendAt('2026-11-26T09:05', yi, `接单 ${b}`);
  });

  const request = async (local: string, p: Person, n: number, rest: string) => {
    await sendAt(local, p, `延期 ${n} ${rest}`);
    news(p);
    expect(news(peng)).toEqual([expect.stringMatching(new RegExp(`^【延期申请】#${n} `))]);
  };
  const pending = async (n: number) =>
    (await h.query<{ extension_request: unknown }>(`SELECT extension_request FROM cases WHERE number = $1`, [n]))[0]!.extension_request;

  it('decides the one request just received with 可以, 行 or 不同意 and the reason', async () => {
    await request('2026-11-26T10:00', he, a, '2 等农药到货');
    await sendAt('2026-11-26T10:20', peng, '可以');
    expect(news(peng)).toEqual([expect.stringMatching(new RegExp(`^已同意 #${a} 延期，新的办结时限：`))]);
    expect(news(he)).toEqual([expect.stringMatching(new RegExp(`^#${a} 延期 2 个工作日已同意`))]);

    await request('2026-11-26T10:30', yi, b, '10 种子要重新买');
    await sendAt('2026-11-26T10:40', peng, '不同意 太久了');
    expect(news(peng)).toEqual([`已驳回 #${b} 的延期申请。`]);
    expect(news(yi)).toEqual([`#${b} 的延期申请未同意：太久了。`]);
    expect(await pending(b)).toBeNull();
    // Nothing waits any more: 行 is a nod again, and the residents read nothing of it.
    await send(peng, '行');
    expect(news(peng)).toEqual([]);
    expect(news(zhao)).toEqual([]);
    expect(news(sun)).toEqual([]);
  });

  it('decides it though the head acted on a case of his own just before it came', async () => {
    const wang = await resident('王大妈', 'dongshan'); // 彭德明's own area
    h.clock.set(t('2026-11-26T14:40'));
    const own = await openCase(wang, '秧苗发黄是不是病虫害');
    await sendAt('2026-11-26T14:41', peng, `接单 ${own}`);
    news(peng);
    news(wang);
    await request('2026-11-26T14:45', yi, b, '3 种子要重新买');
    await sendAt('2026-11-26T14:50', peng, '同意');
    expect(news(peng)).toEqual([expect.stringMatching(new RegExp(`^已同意 #${b} 延期`))]);
    expect(news(wang)).toEqual([]);
    // Her words after his own acting come first: 同意 is hers to read (the 回复 line), nothing decided.
    await request('2026-11-26T15:00', he, a, '1 农户不在家');
    await sendAt('2026-11-26T15:05', wang, '明天上午来行吗？');
    news(peng);
    await sendAt('2026-11-26T15:06', peng, '同意');
    expect(news(peng)).toEqual([`这条没有转给群众。要转告 #${own} 的群众，请发：\n回复 ${own} 同意\n发“帮助”查看全部指令。`]);
    expect(await pending(a)).not.toBeNull();
    await sendAt('2026-11-26T15:07', peng, `同意延期 ${a}`);
  });

  it('lists several requests, with the example of what was meant; a case given to him after them is what 行 answers', async () => {
    await sendAt('2026-11-27T09:00', he, `延期 ${a} 2 等农药到货`);
    const [first] = news(peng);
    news(he);
    await request('2026-11-27T09:01', yi, b, '5 种子要重新买');
    await sendAt('2026-11-27T09:10', peng, '不同意 太久了');
    expect(news(peng)).toEqual([
      `有 2 件延期申请在等审批：\n#${a} 贺建军 2 个工作日：等农药到货\n#${b} 易春林 5 个工作日：种子要重新买\n` +
        `请发“同意延期 编号”或“驳回延期 编号 原因”，如：驳回延期 ${a} 太久了`,
    ]);
    // Quoting one (WeChat's 引用) says which; the reason goes with it.
    await send(peng, `「东山办事处连心：${first}」\n- - - - - - - - - - - - - - -\n不同意，先打电话问农资店`);
    expect(news(peng)).toEqual([`已驳回 #${a} 的延期申请。`]);
    expect(news(he)).toEqual([`#${a} 的延期申请未同意：先打电话问农资店。`]);
    // A new case of his own after the request: 行 is the nod to it, as before.
    const qian = await resident('钱大伯', 'tazi');
    h.clock.set(t('2026-11-27T09:15'));
    await openCase(qian, '蔬菜生了虫子打什么药');
    news(peng);
    await sendAt('2026-11-27T09:16', peng, '行');
    expect(news(peng)).toEqual([expect.stringMatching(/这件还没有接单，发“接单”两个字即可。$/)]);
    expect(await pending(b)).not.toBeNull();
    await send(peng, '接单');
  });

  it('lists an older request for 同意 read after a meeting, not deciding it blind; 可以 is only a nod then', async () => {
    // #b's request of 09:01 waits; the head reads at 11:00 with nothing else in front.
    await sendAt('2026-11-27T11:00', peng, '可以');
    expect(news(peng)).toEqual([]);
    await sendAt('2026-11-27T11:01', peng, '同意');
    expect(news(peng)).toEqual([
      `有 1 件延期申请在等审批：\n#${b} 易春林 5 个工作日：种子要重新买\n请发“同意延期 编号”或“驳回延期 编号 原因”，如：同意延期 ${b}`,
    ]);
    expect(await pending(b)).not.toBeNull();
  });
});

describe('a case asked after by its number', () => {
  useHarness();
  let he: Person;
  let yi: Person;
  let peng: Person;
  let zhao: Person;
  let sun: Person;
  let a: number; // 贺建军's, accepted and answered
  let b: number; // 易春林's, still waiting

  beforeAll(async () => {
    he = await bind('c-he-jianjun');
    yi = await bind('c-yi-chunlin');
    peng = await bind('c-peng-deming');
    zhao = await resident('赵叔', 'dongan');
    sun = await resident('孙婶', 'quantang');
    h.clock.set(t('2026-11-26T09:00'));
    a = await openCase(zhao, '水稻纹枯病怎么治');
    b = await openCase(sun, '种子发芽不好，出苗率低');
    await sendAt('2026-11-26T09:05', he, `接单 ${a}`);
    await sendAt('2026-11-26T09:30', he, `回复 ${a} 下午去您田里看看，先别打药`);
    await sendAt('2026-11-26T09:40', he, `延期 ${a} 2 等农药到货`);
  });

  it('tells the head where a cadre’s case stands, for 1001怎么样了 and for the number alone', async () => {
    const status =
      `#${a} 东岸村 农技站 办理中 · 办结时限 12月1日 09:00\n  赵叔：水稻纹枯病怎么治\n` +
      `办理人：贺建军（11月26日 09:05 接单）\n最近回复群众：11月26日 09:30 贺建军：下午去您田里看看，先别打药\n` +
      `延期申请待审批：2 个工作日，等农药到货\n督办请发：督办 ${a} 要说的话；派单请发：派单 ${a} 干部姓名或部门`;
    await sendAt('2026-11-26T10:00', peng, `${a}怎么样了`);
    expect(news(peng)).toEqual([status]);
    await send(peng, `${a}`);
    expect(news(peng)).toEqual([status]);
    await send(peng, `#${a} 进展如何？`);
    expect(news(peng)).toEqual([status]);
    // A case still waiting: said so; the head's number alone does not take it from its cadre.
    await send(peng, `${b}`);
    expect(news(peng)).toEqual([
      `#${b} 泉塘村 农技站 待接单 · 接单时限 11月26日 11:00\n  孙婶：种子发芽不好，出苗率低\n办理人：易春林，还没接单\n还没回复过群众。\n` +
        `督办请发：督办 ${b} 要说的话；派单请发：派单 ${b} 干部姓名或部门`,
    ]);
    const [row] = await h.query<{ assignee_id: string; status: string }>(`SELECT assignee_id, status FROM cases WHERE number = $1`, [b]);
    expect(row).toEqual({ assignee_id: 'c-yi-chunlin', status: 'assigned' });
    for (const p of [he, yi, zhao, sun]) expect(news(p)).toEqual([]);
  });

  it('tells the holder too, with his lines; another cadre is refused; a resident asking is a resident', async () => {
    await sendAt('2026-11-26T10:10', he, `${a}怎么样了`);
    expect(news(he)[0]).toMatch(new RegExp(`\n转告群众请发“回复 ${a} 内容”，办完请发“办结 ${a} 说明”。$`));
    await send(yi, `${a}怎么样了`);
    expect(news(yi)).toEqual([`#${a} 不由您负责，不能办理。如需调整，请联系部门负责人或办公室。`]);
    await send(zhao, `${a}怎么样了`);
    // Her own case asked after: where it stands as she reads it, and her holder is told she asked.
    expect(news(zhao)).toEqual([`#${a} 水稻纹枯病怎么治\n  农技站贺建军 · 正在办理\n已提醒贺建军尽快回复您。`]);
    expect(news(he)).toEqual([`【#${a} 群众补充】东岸村 赵叔：${a}怎么样了（在问进度）`]);
  });

  it('tells who closed a case and how it was rated', async () => {
    await sendAt('2026-11-26T15:00', he, `办结 ${a} 已指导用井冈霉素`);
    await sendAt('2026-11-26T15:10', zhao, '1');
    await sendAt('2026-11-26T15:20', peng, `${a}`);
    expect(news(peng)).toEqual([
      `#${a} 东岸村 农技站 已办结\n  赵叔：水稻纹枯病怎么治\n贺建军 11月26日 15:00 办结：已指导用井冈霉素\n群众评价：满意`,
    ]);
  });
});

describe('a head answering a cadre’s resident himself', () => {
  useHarness();
  let he: Person;
  let peng: Person;
  let zhao: Person;
  let a: number; // accepted by 贺建军

  beforeAll(async () => {
    he = await bind('c-he-jianjun');
    peng = await bind('c-peng-deming');
    zhao = await resident('赵叔', 'dongan');
    h.clock.set(t('2026-11-26T09:00'));
    a = await openCase(zhao, '水稻纹枯病怎么治');
    await sendAt('2026-11-26T09:05', he, `接单 ${a}`);
    news(he);
    news(zhao);
  });

  it('keeps words that call the holder by name from the resident, and offers 督办', async () => {
    await sendAt('2026-11-26T10:00', peng, `回复 ${a} 小贺你下午去看一下`);
    expect(news(zhao)).toEqual([]);
    expect(news(he)).toEqual([]);
    expect(news(peng)).toEqual([
      `这条没有转给群众，看起来是对贺建军说的。\n要督促贺建军请发：督办 ${a} 小贺你下午去看一下\n如果是对群众说的，请去掉称呼后再发“回复 ${a} 内容”。`,
    ]);
    expect(await eventTypes(a)).not.toContain('replied');
    await send(peng, `督办 ${a} 小贺你下午去看一下`);
    expect(news(he)).toEqual([`【督办】#${a} 彭德明请您抓紧办理。小贺你下午去看一下`]);
    expect(news(zhao)).toEqual([]);
  });

  it('reads 让小易去看一下 as 派单 said in words: the line to send, nothing to the resident or anyone', async () => {
    await sendAt('2026-11-26T10:05', peng, `${a}让小易去看一下`);
    expect(news(peng)).toEqual([`这条没有发出。要交给易春林办理，请发：派单 ${a} 易春林`]);
    await send(peng, `「东山办事处连心：【#${a} 群众补充】东岸村 赵叔：还没人来」\n- - - - - - - - - - - - - - -\n叫易春林下午去一趟`);
    expect(news(peng)).toEqual([`这条没有发出。要交给易春林办理，请发：派单 ${a} 易春林`]);
    await send(peng, '让小易去看一下');
    expect(news(peng)).toEqual(['要把哪一件交给易春林？请发：派单 编号 易春林，如：派单 1001 易春林']);
    // Sending its own holder is 督办's, as before.
    await send(peng, `${a}让小贺抓紧去看一下`);
    expect(news(peng)).toEqual([`这条没有发出。督促办理请发：督办 ${a} 让小贺抓紧去看一下\n转告群众请发：回复 ${a} 让小贺抓紧去看一下`]);
    expect(news(zhao)).toEqual([]);
    expect(news(he)).toEqual([]);
    expect(await eventTypes(a)).not.toContain('replied');
  });

  it('tells the holder what his resident was told, and says so to the head', async () => {
    await sendAt('2026-11-26T10:10', peng, `回复 ${a} 小贺下午去您田里看看`);
    expect(news(zhao)).toEqual([`【农技站 彭德明】小贺下午去您田里看看\n（#${a}，直接留言即可回复）`]);
    expect(news(he)).toEqual([`【#${a}】彭德明已回复群众赵叔：小贺下午去您田里看看`]);
    expect(news(peng)).toEqual([`已转告 #${a} 的群众赵叔，办理人贺建军也会收到这条。`]);
  });
});

describe('a head taking a cadre’s case over with 接单', () => {
  useHarness();

  it('reads the case and what the resident added, with no 接单 asked of him for the case he is taking', async () => {
    const he = await bind('c-he-jianjun');
    const peng = await bind('c-peng-deming');
    const zhao = await resident('赵叔', 'dongan');
    h.clock.set(t('2026-11-26T09:00'));
    const n = await openCase(zhao, '水稻纹枯病怎么治');
    await sendAt('2026-11-26T09:05', zhao, '叶子上都是斑');
    news(he);
    await sendAt('2026-11-26T09:20', peng, `接单 ${n}`);
    expect(news(peng)).toEqual([
      `【新案件 #${n}】东岸村 · 农技站\n群众：赵叔\n内容：水稻纹枯病怎么治\n收到：11月26日 09:00\n` +
        `时限：11月26日 15:30 前回复群众，12月1日 09:00 前办结。`,
      `【#${n} 群众补充】东岸村 赵叔：叶子上都是斑`,
      `已接单 #${n}（赵叔）。转告群众请发：回复 ${n} 内容`,
    ]);
    expect(news(he)).toEqual([`#${n} 已改由彭德明负责，您无需再办理。`]);
  });

  it('leaves a case its holder has accepted with him: the 派单 line comes back, and his words still reach the resident', async () => {
    const he = await bind('c-he-jianjun');
    const peng = await bind('c-peng-deming');
    const qian = await resident('钱大伯', 'dongan');
    h.clock.set(t('2026-11-26T10:00'));
    const n = await openCase(qian, '秧苗发黄是不是病虫害');
    await sendAt('2026-11-26T10:05', he, `接单 ${n}`);
    news(he);
    news(qian);
    await sendAt('2026-11-26T10:10', peng, `接单 ${n}`);
    await send(peng, `接单 ${n} 我下午过去`);
    expect(news(peng)).toEqual([
      `#${n} 贺建军已接单在办，这次没有改派。要改由您自己办理，请发：派单 ${n} 彭德明`,
      `#${n} 贺建军已接单在办，这次没有改派。要改由您自己办理，请发：派单 ${n} 彭德明\n转告群众请发：回复 ${n} 我下午过去`,
    ]);
    expect([news(he), news(qian)]).toEqual([[], []]);
    const [row] = await h.query<{ assignee_id: string; status: string }>(`SELECT assignee_id, status FROM cases WHERE number = $1`, [n]);
    expect(row).toEqual({ assignee_id: 'c-he-jianjun', status: 'accepted' });
    await sendAt('2026-11-26T10:15', he, `回复 ${n} 下午到`);
    expect(news(qian)).toEqual([`【农技站 贺建军】下午到\n（#${n}，直接留言即可回复）`]);
  });
});

describe('a head calling the resident as the holder would be called', () => {
  useHarness();

  it('sends 老贺，… to 贺大爷: it calls him as much as 贺建军', async () => {
    const he = await bind('c-he-jianjun');
    const peng = await bind('c-peng-deming');
    const uncle = await resident('贺大爷', 'dongan');
    h.clock.set(t('2026-11-26T09:00'));
    const n = await openCase(uncle, '水稻纹枯病怎么治');
    await sendAt('2026-11-26T09:05', he, `接单 ${n}`);
    news(uncle);
    await sendAt('2026-11-26T10:00', peng, `回复 ${n} 老贺，您放心，下午就去`);
    expect(news(uncle)).toEqual([`【农技站 彭德明】老贺，您放心，下午就去\n（#${n}，直接留言即可回复）`]);
    expect(news(peng)).toEqual([`已转告 #${n} 的群众贺大爷，办理人贺建军也会收到这条。`]);
  });
});

describe('转派 by a head to a cadre who has no WeChat yet', () => {
  useHarness();
  let peng: Person;
  let li: Person;

  beforeAll(async () => {
    peng = await bind('c-peng-deming');
    await bind('c-yi-chunlin');
    li = await resident('李大爷', 'xianjin');
  });

  it('says the new holder sees nothing until bound, as 派单 does', async () => {
    h.clock.set(t('2026-11-26T09:00'));
    const n = await openCase(li, '稻飞虱很多，打什么农药');
    // 曾祥云, 防疫员 for 先进村, never bound a WeChat here.
    await sendAt('2026-11-26T09:30', peng, `转派 ${n} 防疫站 是猪病`);
    expect(news(peng)).toEqual([`已将 #${n} 转派给动物防疫站曾祥云。\n曾祥云还没有绑定微信，暂时收不到派单。请联系办公室发绑定码。`]);
  });
});

describe('how many cases the station has, asked in words', () => {
  useHarness();
  let peng: Person;
  let he: Person;
  let zhou: Person;

  beforeAll(async () => {
    peng = await bind('c-peng-deming');
    he = await bind('c-he-jianjun');
    await bind('c-yi-chunlin');
    zhou = await bind('c-zhou-lihua');
    h.clock.set(t('2026-11-26T09:00'));
    await openCase(await resident('赵叔', 'dongan'), '水稻纹枯病怎么治');
    await openCase(await resident('钱大伯', 'dongtai'), '秧苗发黄是不是病虫害');
    await openCase(await resident('孙婶', 'quantang'), '种子发芽不好，出苗率低');
    await sendAt('2026-11-26T09:05', he, '接单 1001');
  });

  it('counts the open cases per holder for the head, per department for the office', async () => {
    await sendAt('2026-11-26T11:30', peng, '我们站现在有多少件');
    expect(news(peng)).toEqual([
      '农技站在办 3 件，其中超时 2 件：\n贺建军 2 件（待接单 1，超时 1）\n易春林 1 件（待接单 1，超时 1）\n看超时的请发“超时”，看某一件的进展请发编号。',
    ]);
    await send(zhou, '全镇有多少件？');
    expect(news(zhou)).toEqual(['全镇在办 3 件，其中超时 2 件：\n农技站 3 件（待接单 2，超时 2）\n看超时的请发“超时”，看某一件的进展请发编号。']);
    await send(he, '我们站现在有多少件');
    expect(news(he)).toEqual(['这条指令只有部门负责人和办公室可以使用。']);
    const luo = await bind('c-luo-guoqiang');
    await send(luo, '站里有几件');
    expect(news(luo)).toEqual(['动物防疫站目前没有在办的事项。']);
  });
});

describe('a head’s 可以 while a resident of his also wrote', () => {
  useHarness();
  let peng: Person;
  let yi: Person;
  let li: Person;
  let b: number; // 易春林's

  beforeAll(async () => {
    peng = await bind('c-peng-deming');
    yi = await bind('c-yi-chunlin');
    const wang = await resident('王大妈', 'dongshan'); // 彭德明's own area
    li = await resident('李婶', 'tazi'); // his too
    h.clock.set(t('2026-11-26T09:00'));
    const own = await openCase(wang, '秧苗发黄是不是病虫害');
    const other = await openCase(li, '蔬菜生了虫子打什么药');
    b = await openCase(await resident('孙婶', 'quantang'), '种子发芽不好，出苗率低');
    await sendAt('2026-11-26T09:05', yi, `接单 ${b}`);
    await sendAt('2026-11-26T09:06', peng, `接单 ${other}`);
    await sendAt('2026-11-26T09:10', peng, `接单 ${own}`);
  });

  it('decides nothing when her words came after the request: which case is meant is asked', async () => {
    await sendAt('2026-11-26T09:15', yi, `延期 ${b} 3 种子要重新买`);
    expect(news(peng)).toEqual([expect.stringMatching(new RegExp(`^【延期申请】#${b} `))]);
    // A resident of another of his cases asks, after the request came in.
    await sendAt('2026-11-26T09:16', li, '明天上午来行吗？');
    expect(news(peng)).toEqual([expect.stringContaining('明天上午来行吗？')]);
    news(yi);
    await sendAt('2026-11-26T09:17', peng, '可以');
    const [answer] = news(peng);
    expect(answer).not.toMatch(/已同意/);
    expect(answer).toContain('明天上午来行吗？');
    expect(news(yi)).toEqual([]);
    const [row] = await h.query<{ extension_request: unknown }>(`SELECT extension_request FROM cases WHERE number = $1`, [b]);
    expect(row!.extension_request).not.toBeNull();
  });
});

describe('a number in question words that is no case', () => {
  useHarness();
  let he: Person;
  let zhao: Person;
  let a: number;

  beforeAll(async () => {
    he = await bind('c-he-jianjun');
    zhao = await resident('赵叔', 'dongan');
    h.clock.set(t('2026-11-26T09:00'));
    a = await openCase(zhao, '水稻有病虫害，想请人来打一次药');
    await sendAt('2026-11-26T09:05', he, `接单 ${a}`);
  });

  it('sends "300怎么样" quoting her question to her, as words, not as a case asked after', async () => {
    await sendAt('2026-11-26T09:10', zhao, '打一次药多少钱？');
    news(zhao);
    const [told] = news(he);
    expect(told).toBe(`【#${a} 群众补充】东岸村 赵叔：打一次药多少钱？`);
    await send(he, `「东山办事处连心：${told}」\n- - - - - - - - - - - - - - -\n300怎么样`);
    expect(news(zhao)).toEqual([`【农技站 贺建军】300怎么样\n（#${a}，直接留言即可回复）`]);
    expect(news(he)).toEqual([`已转告 #${a} 的群众赵叔。`]);
    // Not quoting: words, so the 回复 line to send them, not "no case #300".
    await send(he, '300怎么样？');
    expect(news(he)).toEqual([`这条没有转给群众。要转告 #${a} 的群众，请发：\n回复 ${a} 300怎么样？\n发“帮助”查看全部指令。`]);
    // With nobody in front of him, it was a case asked after, its number mistyped.
    await sendAt('2026-11-26T11:00', he, '1030怎么样了');
    expect(news(he)).toEqual(['没有找到 #1030，请核对编号。']);
  });
});

describe('a 【延期申请】 answered twice, or with a particle', () => {
  useHarness();
  let he: Person;
  let peng: Person;
  let a: number;

  beforeAll(async () => {
    he = await bind('c-he-jianjun');
    peng = await bind('c-peng-deming');
    h.clock.set(t('2026-11-26T09:00'));
    a = await openCase(await resident('赵叔', 'dongan'), '水稻纹枯病怎么治');
    await sendAt('2026-11-26T09:05', he, `接单 ${a}`);
  });

  it('takes 驳回了 as the refusal, with no reason “了”', async () => {
    await sendAt('2026-11-26T09:10', he, `延期 ${a} 10 等农药到货`);
    news(peng);
    news(he);
    await sendAt('2026-11-26T09:12', peng, '驳回了');
    expect(news(peng)).toEqual([`已驳回 #${a} 的延期申请。`]);
    expect(news(he)).toEqual([`#${a} 的延期申请未同意。`]);
  });

  it('says a request quoted once decided has nothing waiting, not asking whom 同意 is for', async () => {
    await sendAt('2026-11-26T10:00', he, `延期 ${a} 2 等农药到货`);
    const [request] = news(peng);
    await sendAt('2026-11-26T10:05', peng, `同意延期 ${a}`);
    news(peng);
    news(he);
    await sendAt('2026-11-26T11:00', peng, `「东山办事处连心：${request}」\n- - - - - - - - - - - - - - -\n同意`);
    expect(news(peng)).toEqual([`#${a} 没有待审批的延期申请。`]);
    expect(news(he)).toEqual([]);
  });
});

describe('a cadre late on several cases at once', () => {
  useHarness();

  it('tells the head in one 【催办】 with a line per case, and a holder late on two in one 【超时】, not one message each', async () => {
    const he = await bind('c-he-jianjun');
    const yi = await bind('c-yi-chunlin');
    const peng = await bind('c-peng-deming');
    h.clock.set(t('2026-11-26T09:00'));
    const a = await openCase(await resident('赵叔', 'dongan'), '水稻纹枯病怎么治');
    const b = await openCase(await resident('钱大伯', 'dongtai'), '秧苗发黄是不是病虫害，叶子尖都黄了');
    const c = await openCase(await resident('孙婶', 'quantang'), '种子发芽不好，出苗率低');
    for (const n of [a, b]) await sendAt('2026-11-26T09:05', he, `接单 ${n}`);
    await sendAt('2026-11-26T09:05', yi, `接单 ${c}`);
    for (const p of [peng, he, yi]) news(p);
    // Nobody answered a resident by 15:30, the first-response limit.
    h.clock.set(t('2026-11-26T15:35'));
    await h.app.worker!.sweep();
    await h.settle();
    expect(news(peng)).toEqual([
      `【催办】农技站 3 件超时：\n` +
        `#${a} 东岸村 贺建军回复群众超时 · 赵叔：水稻纹枯病怎么治\n` +
        `#${b} 东台村 贺建军回复群众超时 · 钱大伯：秧苗发黄是不是病虫害，叶……\n` +
        `#${c} 泉塘村 易春林回复群众超时 · 孙婶：种子发芽不好，出苗率低\n` +
        `督办请发：督办 ${a}；派单请发：派单 ${a} 干部姓名或部门`,
    ]);
    // The holders too: one 【超时】 for 贺建军's two, 易春林's one as ever.
    expect(news(he)).toEqual([
      `【超时】2 件已超过时限，请尽快处理：\n` +
        `#${a} 东岸村 回复群众超时（时限 15:30） · 赵叔：水稻纹枯病怎么治\n` +
        `#${b} 东台村 回复群众超时（时限 15:30） · 钱大伯：秧苗发黄是不是病虫害，叶……\n` +
        `转告群众请发：回复 ${a} 内容`,
    ]);
    expect(news(yi)).toEqual([`【超时】#${c} 已超过回复群众时限，请尽快处理。`]);
    await h.app.worker!.sweep();
    await h.settle();
    expect([news(peng), news(he), news(yi)]).toEqual([[], [], []]);
  });

  it('sweeps the others when one case of the batch fails, and reports the failure', async () => {
    const peng = await bind('c-peng-deming');
    h.clock.set(t('2026-11-26T09:00'));
    const a = await openCase(await resident('周叔', 'dongan'), '水稻纹枯病怎么治');
    const b = await openCase(await resident('吴伯', 'dongtai'), '秧苗发黄是不是病虫害');
    news(peng);
    // #a's alert cannot be written (a broken row, say): its sweep fails every time.
    const id = (await h.query<{ id: number }>(`SELECT id FROM cases WHERE number = $1`, [a]))[0]!.id;
    await h.query(`CREATE FUNCTION fail_alert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'broken case'; END $$`);
    await h.query(`CREATE TRIGGER fail_alert BEFORE INSERT ON sla_alerts FOR EACH ROW WHEN (NEW.case_id = ${id}) EXECUTE FUNCTION fail_alert()`);
    try {
      h.clock.set(t('2026-11-26T15:35'));
      await expect(h.app.worker!.sweep()).rejects.toThrow(/broken case/);
      await h.settle();
      expect(news(peng).join('\n')).toContain(`#${b}`);
      expect(await h.count(`SELECT count(*) FROM sla_alerts a JOIN cases c ON c.id = a.case_id WHERE c.number = $1`, [b])).toBeGreaterThan(0);
    } finally {
      await h.query(`DROP TRIGGER fail_alert ON sla_alerts`);
      await h.query(`DROP FUNCTION fail_alert()`);
    }
  });
});
