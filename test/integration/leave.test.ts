/**
 * Leave by chat (请假 / 销假): a cadre falls ill in the morning and says so in WeChat; from then on
 * routing passes him by exactly as for the roster's `leave:` — new cases, 派单, escalation — until
 * he is back. Heads put in their cadres' leave, the office anyone's. Sample township config; the
 * SLA sweep is off (hourly) unless a test runs it.
 *
 * 农技站: 彭德明 head (area A), 贺建军 (area B: 东台村, 东岸村, 东胜村 …, backup 彭德明), 易春林
 * (area C: 先进村 …, backup 彭德明). 26 Nov 2026 is a Thursday.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Person } from '../support/harness.js';
import { chat, t } from '../support/chat.js';
import { whileRowHeld } from '../support/race.js';

let h: Harness;
const { useHarness, news, bind, resident, send, sendAt } = chat((started) => (h = started));

/** The resident writes a matter at `local`; returns the case number and who holds it. */
async function openCase(local: string, p: Person, text: string): Promise<{ number: number; holder: string }> {
  await sendAt(local, p, text);
  const got = news(p);
  expect(got[0]).toContain('已受理');
  const number = Number(/编号 #(\d+)/.exec(got[0]!)![1]);
  return { number, holder: await holder(number) };
}

const holder = async (number: number) =>
  (await h.query<{ assignee_id: string }>(`SELECT assignee_id FROM cases WHERE number = $1`, [number]))[0]!.assignee_id;

const leaves = () =>
  h.query<{ cadre_id: string; from: string; to: string; reason: string | null; set_by: string }>(
    `SELECT cadre_id, from_date::text AS "from", to_date::text AS "to", reason, set_by FROM cadre_leaves ORDER BY id`,
  );

describe('请假 by a cadre himself', () => {
  useHarness();
  let he: Person;
  let peng: Person;
  let zhao: Person;
  let qian: Person;
  let sun: Person;

  beforeAll(async () => {
    he = await bind('c-he-jianjun');
    peng = await bind('c-peng-deming');
    zhao = await resident('赵叔', 'dongan');
    qian = await resident('钱婶', 'dongtai');
    sun = await resident('孙伯', 'dongsheng');
  });

  it('passes him by for new cases (his backup gets them), refuses 派单 to him with the date, and tells his head', async () => {
    const first = await openCase('2026-11-26T08:50', zhao, '水稻纹枯病怎么治');
    expect(first.holder).toBe('c-he-jianjun');
    news(he);

    await sendAt('2026-11-26T09:00', he, '请假 今天 发烧了');
    expect(news(he)).toEqual([
      `已登记请假：11月26日 周四。期间您的新事项由彭德明接办。\n` +
        `您手上还有 1 件未办结（#${first.number}），需要转给别人的，可请彭德明派单。\n提前回来请发“销假”。`,
    ]);
    expect(news(peng)).toEqual([`【请假】贺建军请假 11月26日 周四（发烧了），新事项由您接办，他手上还有 1 件未办结（#${first.number}）。\n要交给别人请发：派单 ${first.number} 干部姓名`]);
    expect(await leaves()).toEqual([{ cadre_id: 'c-he-jianjun', from: '2026-11-26', to: '2026-11-26', reason: '发烧了', set_by: 'c-he-jianjun' }]);

    const second = await openCase('2026-11-26T09:30', qian, '秧苗发黄怎么办');
    expect(second.holder).toBe('c-peng-deming');
    expect(news(he)).toEqual([]);
    expect(news(peng)[0]).toContain(`【新案件 #${second.number}】`);

    await sendAt('2026-11-26T09:40', peng, `派单 ${second.number} 贺建军`);
    expect(news(peng)).toEqual(['贺建军正在休假（11月26日），请派给其他同志。']);
    expect(await holder(second.number)).toBe('c-peng-deming');
  });

  it('销假 brings him back from today: new cases are his again, and his head hears of it', async () => {
    const [first] = await h.query<{ number: number }>(`SELECT number FROM cases WHERE assignee_id = 'c-he-jianjun'`);
    await sendAt('2026-11-26T10:00', he, '销假');
    // What waits for him is named: the case he had when he left.
    expect(news(he)).toEqual([`已销假，欢迎回来！今天起新事项照常派给您。\n您手上还有 1 件未办结（#${first!.number}），发“任务”查看。`]);
    expect(news(peng)).toEqual(['【销假】贺建军已销假，今天起新事项照常派给他。']);
    expect(await leaves()).toEqual([]);

    const third = await openCase('2026-11-26T10:10', sun, '稻飞虱很多怎么打药');
    expect(third.holder).toBe('c-he-jianjun');
    expect(news(he)[0]).toContain(`【新案件 #${third.number}】`);

    await send(he, '销假');
    expect(news(he)).toEqual([`您现在没有请假，不用销假，新事项照常派给您。\n您手上还有 2 件未办结（#${first!.number}、#${third.number}），发“任务”查看。`]);
  });
});

describe('请假 for another cadre', () => {
  useHarness();
  let he: Person;
  let peng: Person;
  let yi: Person;
  let luo: Person;
  let tan: Person;
  let zhao: Person;

  beforeAll(async () => {
    he = await bind('c-he-jianjun');
    peng = await bind('c-peng-deming');
    yi = await bind('c-yi-chunlin');
    luo = await bind('c-luo-guoqiang');
    tan = await bind('c-tan-xiaoyan');
    zhao = await resident('赵叔', 'dongan');
  });

  it('is refused to a cadre, and to a head of another department', async () => {
    await sendAt('2026-11-26T09:00', yi, '请假 贺建军 明天');
    expect(news(yi)).toEqual(['您只能为自己请假。为其他同志请假，请找部门负责人或办公室。']);
    await send(luo, '请假 贺建军 明天');
    expect(news(luo)).toEqual(['贺建军不是本部门的同志，为他请假请找他所在部门的负责人或办公室。']);
    await send(yi, '销假 贺建军');
    expect(news(yi)).toEqual(['您只能为自己销假。为其他同志销假，请找部门负责人或办公室。']);
    expect(await leaves()).toEqual([]);
    expect(news(he)).toEqual([]);
  });

  it('is put in by his head for the days named: routing passes him by on those days only', async () => {
    await sendAt('2026-11-26T09:10', peng, '请假 贺建军 明天到下周一');
    expect(news(peng)).toEqual(['已为贺建军登记请假：11月27日 周五 至 11月30日 周一。期间他的新事项由您接办。']);
    expect(news(he)).toEqual(['【请假】彭德明已为您登记请假：11月27日 周五 至 11月30日 周一。期间您的新事项由彭德明接办。提前回来请发“销假”。']);
    expect(await leaves()).toEqual([{ cadre_id: 'c-he-jianjun', from: '2026-11-27', to: '2026-11-30', reason: null, set_by: 'c-peng-deming' }]);

    expect((await openCase('2026-11-26T09:20', zhao, '水稻纹枯病怎么治')).holder).toBe('c-he-jianjun');
    const friday = await openCase('2026-11-27T09:00', zhao, '新问题 秧苗发黄怎么办');
    expect(friday.holder).toBe('c-peng-deming');
    expect(news(peng)[0]).toContain('由您作为备岗接手');
    await sendAt('2026-11-27T09:10', peng, `派单 ${friday.number} 贺建军`);
    expect(news(peng)).toEqual(['贺建军正在休假（11月27日至11月30日），请派给其他同志。']);
    expect((await openCase('2026-11-30T09:00', zhao, '新问题 稻飞虱很多怎么打药')).holder).toBe('c-peng-deming');
    expect((await openCase('2026-12-01T09:00', zhao, '新问题 水稻得了稻瘟病')).holder).toBe('c-he-jianjun');
  });

  it('is put in by the office for anyone, his head told; his head may call it off', async () => {
    await sendAt('2026-12-01T10:00', tan, '请假 贺建军 12月3日到12月5日 县里培训');
    const open = await h.query<{ number: number }>(`SELECT number FROM cases WHERE assignee_id = 'c-he-jianjun' AND status IN ('assigned', 'accepted') ORDER BY number`);
    const numbers = open.map((c) => `#${c.number}`).join('、');
    expect(news(tan)).toEqual([
      `已为贺建军登记请假：12月3日 周四 至 12月5日 周六。期间他的新事项由彭德明接办。\n` +
        `他手上还有 ${open.length} 件未办结（${numbers}），可发“派单 ${open.map((c) => c.number).join(' ')} 干部姓名”交给其他同志。`,
    ]);
    expect(news(peng)).toEqual([
      `【请假】贺建军请假 12月3日 周四 至 12月5日 周六（县里培训），新事项由您接办，他手上还有 ${open.length} 件未办结（${numbers}）。\n` +
        `要交给别人请发：派单 ${open.map((c) => c.number).join(' ')} 干部姓名`,
    ]);
    expect(news(he)).toEqual(['【请假】谭晓燕已为您登记请假：12月3日 周四 至 12月5日 周六。期间您的新事项由彭德明接办。提前回来请发“销假”。']);

    await send(peng, '销假 贺建军');
    expect(news(peng)).toEqual(['已取消贺建军 12月3日 周四 至 12月5日 周六的请假。']);
    expect(news(he)).toEqual(['【请假】彭德明已取消您12月3日 周四 至 12月5日 周六的请假。']);
    expect(await leaves()).toEqual([{ cadre_id: 'c-he-jianjun', from: '2026-11-27', to: '2026-11-30', reason: null, set_by: 'c-peng-deming' }]);
  });

  it('is ended by his head while it runs: both are told', async () => {
    await sendAt('2026-12-07T09:00', peng, '请假 贺建军 今天');
    news(peng);
    news(he);
    await send(peng, '销假 贺建军');
    expect(news(peng)).toEqual(['已为贺建军销假，今天起新事项照常派给他。']);
    expect(news(he)).toEqual(['【销假】彭德明已为您销假，今天起新事项照常派给您。']);
  });
});

describe('请假 in words', () => {
  useHarness();
  let he: Person;
  let peng: Person;
  let zhao: Person;

  beforeAll(async () => {
    he = await bind('c-he-jianjun');
    peng = await bind('c-peng-deming');
    zhao = await resident('赵叔', 'dongan');
  });

  it('reads a number of days as working days, says so, and a later 请假 for those days replaces it', async () => {
    await sendAt('2026-11-26T09:00', he, '请假 3天 家里有事');
    expect(news(he)).toEqual([
      '已登记请假：11月26日 周四 至 11月30日 周一（按工作日算，共 3 天）。期间您的新事项由彭德明接办。\n提前回来请发“销假”。',
    ]);
    await send(he, '请假：今天到周五。');
    expect(news(he)).toEqual(['请假已改为：11月26日 周四 至 11月27日 周五。期间您的新事项由彭德明接办。\n提前回来请发“销假”。']);
    expect(await leaves()).toEqual([{ cadre_id: 'c-he-jianjun', from: '2026-11-26', to: '2026-11-27', reason: null, set_by: 'c-he-jianjun' }]);
    expect((await openCase('2026-11-30T09:00', zhao, '水稻纹枯病怎么治')).holder).toBe('c-he-jianjun');
  });

  it('gives the example for 请假 without days, or with days it cannot read', async () => {
    await send(he, '请假');
    const example = '“请假”的写法：请假 今天（或：请假 明天、请假 今天到周五、请假 12月3日到12月5日、请假 3天），后面可写原因\n发“帮助”查看全部指令。';
    expect(news(he)).toEqual([example]);
    await send(he, '请假 周五到周三');
    expect(news(he)[0]).toContain('已登记请假：12月4日 周五 至 12月9日 周三。');
    await send(he, '请假 40天');
    expect(news(he)).toEqual([example]);
  });

  it('takes the same 请假 sent again as it was: no 已改为, the head told once, the reason kept', async () => {
    await sendAt('2026-12-10T09:00', he, '请假 12月14日 孩子发烧');
    expect(news(he)[0]).toMatch(/^已登记请假：12月14日 周一。/);
    expect(news(peng)).toEqual([expect.stringMatching(/^【请假】贺建军请假 12月14日 周一（孩子发烧）/)]);
    await sendAt('2026-12-10T09:02', he, '请假 12月14日 孩子发烧');
    await send(he, '请假 12月14日');
    expect(news(he)).toEqual([expect.stringMatching(/^已登记请假：12月14日 周一。/), expect.stringMatching(/^已登记请假：12月14日 周一。/)]);
    expect(news(peng)).toEqual([]);
    expect((await leaves()).filter((l) => l.from === '2026-12-14')).toEqual([
      { cadre_id: 'c-he-jianjun', from: '2026-12-14', to: '2026-12-14', reason: '孩子发烧', set_by: 'c-he-jianjun' },
    ]);
    // Other days, or another reason, change it, and the head hears of it.
    await send(he, '请假 12月14日 家里老人住院');
    expect(news(he)[0]).toMatch(/^请假已改为：12月14日 周一。/);
    expect(news(peng)).toEqual([expect.stringMatching(/^【请假】贺建军请假 12月14日 周一（家里老人住院）/)]);
  });

  it('keeps the days already past when the same 请假 comes again on a later day, or when it is changed', async () => {
    await sendAt('2026-12-21T09:00', he, '请假 今天到周五 腰伤');
    expect(news(he)[0]).toMatch(/^已登记请假：12月21日 周一 至 12月25日 周五。/);
    expect(news(peng)).toHaveLength(1);
    const mine = async () => (await leaves()).filter((l) => l.from >= '2026-12-21');
    const row = (from: string, to: string) => ({ cadre_id: 'c-he-jianjun', from, to, reason: '腰伤', set_by: 'c-he-jianjun' });

    // Tuesday, no answer seen: the same leave, from today on, is the one there. Monday stays on leave.
    await sendAt('2026-12-22T08:30', he, '请假 今天到周五');
    expect(news(he)[0]).toMatch(/^已登记请假：12月22日 周二 至 12月25日 周五。/);
    expect(news(peng)).toEqual([]);
    expect(await mine()).toEqual([row('2026-12-21', '2026-12-25')]);

    // Wednesday he is better sooner: the days from today on change, Monday and Tuesday stay.
    await sendAt('2026-12-23T08:30', he, '请假 今天');
    expect(news(he)[0]).toMatch(/^请假已改为：12月23日 周三。/);
    expect(news(peng)).toEqual([expect.stringMatching(/^【请假】贺建军请假 12月23日 周三/)]);
    expect(await mine()).toEqual([row('2026-12-21', '2026-12-23')]);

    // Another reason from today on: a leave of its own; the days before keep theirs.
    await send(he, '请假 今天到周四 去县医院复查');
    expect(news(he)[0]).toMatch(/^请假已改为：12月23日 周三 至 12月24日 周四。/);
    expect(await mine()).toEqual([row('2026-12-21', '2026-12-22'), { ...row('2026-12-23', '2026-12-24'), reason: '去县医院复查' }]);

    // A leave that starts later than today leaves today and the days up to it on leave.
    await send(he, '请假 12月24日到12月25日 复查后休息');
    expect(await mine()).toEqual([
      row('2026-12-21', '2026-12-22'),
      { ...row('2026-12-23', '2026-12-23'), reason: '去县医院复查' },
      { ...row('2026-12-24', '2026-12-25'), reason: '复查后休息' },
    ]);
  });
});

describe('escalation while the backup is on leave', () => {
  useHarness();
  let yi: Person;
  let peng: Person;
  let qian: Person;

  beforeAll(async () => {
    yi = await bind('c-yi-chunlin');
    peng = await bind('c-peng-deming');
    qian = await resident('钱婶', 'xianjin');
  });

  it('passes a case nobody accepted past the backup on leave to the office', async () => {
    const kase = await openCase('2026-11-26T09:00', qian, '水稻纹枯病怎么治');
    expect(kase.holder).toBe('c-yi-chunlin');
    await sendAt('2026-11-26T09:05', peng, '请假 今天');
    news(peng);

    h.clock.set(t('2026-11-26T11:31'));
    await h.app.worker!.sweep();
    await h.settle();
    const taker = await holder(kase.number);
    expect(['c-zhou-lihua', 'c-tan-xiaoyan']).toContain(taker);
    expect(news(peng).some((m) => m.includes(`【新案件 #${kase.number}】`))).toBe(false);
    expect(news(yi).some((m) => m.includes(`#${kase.number}`))).toBe(true);
  });
});

describe('请假 said as people say it', () => {
  useHarness();

  it('takes 我明天请假，孩子发烧 and a head’s 贺建军请假两天 as 请假', async () => {
    const he = await bind('c-he-jianjun');
    const peng = await bind('c-peng-deming');
    await sendAt('2026-11-26T09:05', he, '我明天请假，孩子发烧');
    expect(news(he)[0]).toMatch(/^已登记请假：11月27日 周五。/);
    await sendAt('2026-11-26T09:10', peng, '易春林请假两天');
    expect(news(peng).at(-1)).toMatch(/^已为易春林登记请假：11月26日 周四 至 11月27日 周五（按工作日算，共 2 天）。/);
    expect(await leaves()).toMatchObject([
      { cadre_id: 'c-he-jianjun', from: '2026-11-27', to: '2026-11-27', reason: '孩子发烧' },
      { cadre_id: 'c-yi-chunlin', from: '2026-11-26', to: '2026-11-27' },
    ]);
  });
});

describe('a head’s own case late while an office dispatcher is on leave', () => {
  useHarness();

  it('is urged to the dispatcher holding the desk, not to the one on leave', async () => {
    const zhou = await bind('c-zhou-lihua');
    const tan = await bind('c-tan-xiaoyan');
    await bind('c-peng-deming');
    await bind('c-he-jianjun');
    const wei = await resident('卫大爷', 'dongshan');
    await sendAt('2026-11-26T08:40', zhou, '请假 今天');
    const kase = await openCase('2026-11-26T09:00', wei, '稻瘟病怎么防治');
    expect(kase.holder).toBe('c-peng-deming');
    h.clock.set(t('2026-11-26T11:01'));
    await h.app.worker!.sweep();
    await h.settle();
    // On a weekday the roster's first dispatcher, 周丽华, holds the desk; on leave, 谭晓燕 does.
    expect(news(tan).filter((m) => m.startsWith(`【催办】#${kase.number}`))).toHaveLength(1);
    expect(news(zhou).filter((m) => m.startsWith(`【催办】#${kase.number}`))).toEqual([]);
  });
});

describe('a booking for a day the cadre is on leave', () => {
  /** 青山乡 at 08:00 on Thursday 26 Nov, with 周大伯 registered in 青山村. */
  const qingshan = async () => {
    const harness = await startHarness({ configDir: path.resolve(import.meta.dirname, '../fixtures/qingshan'), start: '2026-11-26T08:00:00+08:00' });
    const zhou = harness.resident('周大伯');
    await harness.query(`INSERT INTO residents (wechat_id, name, village_id, created_at, updated_at) VALUES ($1, '周大伯', 'qingshan', now(), now())`, [
      zhou.contact.id,
    ]);
    return { harness, zhou };
  };
  const ask = async (p: Person, text: string) => {
    const before = p.received.length;
    p.say(text);
    return (await p.waitForMessages(before + 1)).at(-1)!;
  };
  /** 周大伯 books 果园指导 on `day` at 09:00 (the day's first slot), a few minutes after the last; returns the booking's reply. */
  const book = async (harness: Harness, zhou: Person, day: string) => {
    harness.clock.advance(5);
    await ask(zhou, '预约');
    await ask(zhou, '1');
    await ask(zhou, day);
    await ask(zhou, '1');
    await ask(zhou, '1');
    return ask(zhou, '1');
  };

  it('goes to whom the roster has that day instead (青山乡: 林 on duty for 青山村, 吴 his backup)', async () => {
    const { harness, zhou } = await qingshan();
    try {
      const lin = await harness.cadre('q-farm-a');
      expect(await ask(lin, '请假 12月2日 家里有事')).toMatch(/^已登记请假：12月2日 周三。期间您的新事项由吴技术员接办。/);
      await ask(zhou, '预约');
      await ask(zhou, '1');
      expect(await ask(zhou, '12月2日')).toMatch(/^12月2日 周三还有这些时段/);
      await ask(zhou, '1');
      await ask(zhou, '1');
      expect(await ask(zhou, '1')).toMatch(/^预约成功，预约号 101。\n12月2日 周三 09:00–10:00 果园指导，由农业站吴技术员负责。/);
      expect(await harness.query(`SELECT assignee_id FROM bookings`)).toEqual([{ assignee_id: 'q-farm-b' }]);
    } finally {
      await harness.stop();
    }
  });

  it('booked before the leave, goes over to whom routing has on its day; the resident and the new cadre are told', async () => {
    const { harness, zhou } = await qingshan();
    try {
      const lin = await harness.cadre('q-farm-a');
      const wu = await harness.cadre('q-farm-b');
      const huang = await harness.cadre('q-farm-head');
      // 12月1日: 吴 is on the roster's leave too, so the head takes it; 12月2日: 吴, the backup.
      expect(await book(harness, zhou, '12月1日')).toMatch(/^预约成功，预约号 101。\n12月1日 周二 09:00–10:00 果园指导，由农业站林技术员负责。/);
      expect(await book(harness, zhou, '12月2日')).toMatch(/^预约成功，预约号 102。/);
      expect(await book(harness, zhou, '12月3日')).toMatch(/^预约成功，预约号 103。/);
      await ask(zhou, '取消预约 103');
      expect(await book(harness, zhou, '12月3日')).toMatch(/^预约成功，预约号 104。/);
      expect(await book(harness, zhou, '11月30日')).toMatch(/^预约成功，预约号 105。/);
      await harness.settle();
      const before = { lin: lin.received.length, wu: wu.received.length, huang: huang.received.length, zhou: zhou.received.length };

      lin.say('请假 12月1日到12月3日 去县里培训');
      await harness.settle();
      expect(lin.received.slice(before.lin)).toEqual([
        '已登记请假：12月1日 周二 至 12月3日 周四。期间您的新事项由黄站长接办。\n' +
          '您这几天的 3 个预约已转交，时间不变，已通知群众：\n' +
          '101 12月1日 周二 09:00–10:00 果园指导（周大伯） → 黄站长\n' +
          '102 12月2日 周三 09:00–10:00 果园指导（周大伯） → 吴技术员\n' +
          '104 12月3日 周四 09:00–10:00 果园指导（周大伯） → 吴技术员\n' +
          '提前回来请发“销假”。',
      ]);
      expect(huang.received.slice(before.huang)).toEqual([
        '【请假】林技术员请假 12月1日 周二 至 12月3日 周四（去县里培训），新事项由您接办，3 个预约已转给您、吴技术员。',
        '【新预约 101】（林技术员请假，转由您负责）12月1日 周二 09:00–10:00\n果园指导 · 青山村 周大伯\n' +
          '办完请发“完成 101 说明”，没来请发“未到 101”。',
      ]);
      expect(wu.received.slice(before.wu).map((m) => m.split('\n')[0])).toEqual([
        '【新预约 102】（林技术员请假，转由您负责）12月2日 周三 09:00–10:00',
        '【新预约 104】（林技术员请假，转由您负责）12月3日 周四 09:00–10:00',
      ]);
      expect(zhou.received.slice(before.zhou)).toEqual([
        '【预约变动】您 12月1日 周二 09:00–10:00 的果园指导（预约号 101）原负责的同志那天不在，改由农业站黄站长负责，时间不变。',
        '【预约变动】您 12月2日 周三 09:00–10:00 的果园指导（预约号 102）原负责的同志那天不在，改由农业站吴技术员负责，时间不变。',
        '【预约变动】您 12月3日 周四 09:00–10:00 的果园指导（预约号 104）原负责的同志那天不在，改由农业站吴技术员负责，时间不变。',
      ]);
      expect(await harness.query(`SELECT number, status, assignee_id FROM bookings ORDER BY number`)).toEqual([
        { number: 101, status: 'booked', assignee_id: 'q-farm-head' },
        { number: 102, status: 'booked', assignee_id: 'q-farm-b' },
        { number: 103, status: 'cancelled', assignee_id: 'q-farm-a' },
        { number: 104, status: 'booked', assignee_id: 'q-farm-b' },
        { number: 105, status: 'booked', assignee_id: 'q-farm-a' },
      ]);
      // What he says to the resident from now on names the cadre who comes.
      expect(await ask(zhou, '我的预约')).toContain('102 12月2日 周三 09:00–10:00 果园指导（吴技术员）');
    } finally {
      await harness.stop();
    }
  });

  it('being confirmed while the cadre’s 请假 for that day is being written, waits for it and goes to his backup', async () => {
    const { harness, zhou } = await qingshan();
    try {
      const lin = await harness.cadre('q-farm-a');
      const wu = await harness.cadre('q-farm-b');
      for (const answer of ['预约', '1', '12月2日', '1', '1']) await ask(zhou, answer);
      const heard = zhou.received.length;
      await whileRowHeld(harness, { table: 'cadres', id: 'q-farm-a' }, () => zhou.say('1'), (query) =>
        query(`INSERT INTO cadre_leaves (cadre_id, from_date, to_date, set_by, created_at) VALUES ('q-farm-a', '2026-12-02', '2026-12-02', 'q-farm-a', now())`),
      );
      expect((await zhou.waitForMessages(heard + 1)).at(-1)).toMatch(/^预约成功，预约号 101。\n12月2日 周三 09:00–10:00 果园指导，由农业站吴技术员负责。/);
      await harness.settle();
      expect(await harness.query(`SELECT assignee_id FROM bookings`)).toEqual([{ assignee_id: 'q-farm-b' }]);
      expect(wu.received.at(-1)).toMatch(/^【新预约 101】12月2日/);
      expect(lin.received.some((m) => m.includes('预约 101'))).toBe(false);
    } finally {
      await harness.stop();
    }
  });

  it('stays with the cadre when nobody of the department can take it (not given to the office), and he is asked to move it', async () => {
    const { harness, zhou } = await qingshan();
    try {
      const lin = await harness.cadre('q-farm-a');
      // 12月1日: the head away, 吴 on the roster's leave: only 林 is left of 农业站.
      expect(await ask(await harness.cadre('q-farm-head'), '请假 12月1日')).toMatch(/^已登记请假/);
      expect(await book(harness, zhou, '12月1日')).toMatch(/^预约成功，预约号 101。\n12月1日 周二 09:00–10:00 果园指导，由农业站林技术员负责。/);
      await harness.settle();
      const heard = zhou.received.length;
      expect(await ask(lin, '请假 12月1日')).toBe(
        '已登记请假：12月1日 周二。期间您的新事项由陈秘书接办。\n' +
          '以下预约没有别人能接，请发“改约 101”请群众另约时间：\n101 12月1日 周二 09:00–10:00 果园指导（周大伯）\n提前回来请发“销假”。',
      );
      await harness.settle();
      expect(zhou.received.slice(heard)).toEqual([]);
      expect(await harness.query(`SELECT assignee_id FROM bookings`)).toEqual([{ assignee_id: 'q-farm-a' }]);
    } finally {
      await harness.stop();
    }
  });

});
