/**
 * The office's dispatcher on duty (谭晓燕 of 党政办) through a working day: she places the matters
 * residents could not place, the way a busy clerk types (the number first, 给, names from memory),
 * makes binding codes, and asks for the month's figures. Sample township config; the SLA sweep is
 * off (hourly), so moving the clock escalates nothing behind a test's back.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Harness, Person } from '../support/harness.js';
import { chat, t } from '../support/chat.js';

let h: Harness;
const { useHarness, news, bind, resident, send, sendAt, contact } = chat((started) => (h = started));

const caseRow = async (number: number) =>
  (await h.query<{ department_id: string; assignee_id: string }>(`SELECT department_id, assignee_id FROM cases WHERE number = $1`, [number]))[0]!;

/** A resident who does not know the department: her matter goes to the office. Returns its number. */
async function unclearMatter(p: Person, text: string): Promise<number> {
  await send(p, text);
  await send(p, '0');
  return Number(/编号 #(\d+)/.exec(news(p).at(-1)!)![1]);
}

describe('派单 as a busy clerk types it', () => {
  useHarness();
  let tan: Person;
  let he: Person;
  let yi: Person;
  let n: number;

  beforeAll(async () => {
    tan = await bind('c-tan-xiaoyan');
    await bind('c-zhou-lihua');
    he = await bind('c-he-jianjun');
    yi = await bind('c-yi-chunlin');
    h.clock.set(t('2026-11-26T09:00'));
    n = await unclearMatter(await resident('卫大哥', 'dongtai'), '想问问那个事情怎么办');
  });

  it('takes the number first (1001给易春林), and 改派 puts a wrong placing right', async () => {
    await sendAt('2026-11-26T09:10', tan, `${n}给易春林`);
    expect(news(tan)).toEqual([`已将 #${n} 派给易春林。\n提示：东台村不在易春林的包片范围内。`]);
    expect(news(yi)[0]).toMatch(new RegExp(`^【新案件 #${n}】东台村 · 农技站\n（谭晓燕派单）`));
    await send(tan, `改派 ${n} 贺建军`);
    expect(news(tan)).toEqual([`已将 #${n} 派给贺建军。`]);
    expect(news(yi)).toEqual([`#${n} 已改由贺建军负责，您无需再办理。`]);
    expect(news(he)[0]).toMatch(new RegExp(`^【新案件 #${n}】东台村 · 农技站\n（谭晓燕派单）`));
    for (const text of [`${n} 派给 农技站`, `把${n}交给贺建军`, `${String(n).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))}给农技站`, `派单 ${n} 给贺建军`]) {
      await send(tan, text);
      expect(news(tan), text).toEqual([expect.stringMatching(new RegExp(`^#${n} 本来就由(农技站)?贺建军负责，无需再派。$`))]);
    }
    expect(await caseRow(n)).toEqual({ department_id: 'nongjizhan', assignee_id: 'c-he-jianjun' });
  });

  it('reads "1001给他回过电话了" from a cadre as words for his resident, not a 派单', async () => {
    await sendAt('2026-11-26T09:20', he, `接单 ${n}`);
    news(he);
    await send(he, `${n}给他回过电话了`);
    // The number leads the words: the line has it once.
    expect(news(he)).toEqual([`这条没有转给群众。要转告 #${n} 的群众，请发：\n回复 ${n} 给他回过电话了\n发“帮助”查看全部指令。`]);
    // Nor are words that begin as 派给 does.
    await send(he, '派给我了，明天上午就去');
    expect(news(he)).toEqual([`这条没有转给群众。要转告 #${n} 的群众，请发：\n回复 ${n} 派给我了，明天上午就去\n发“帮助”查看全部指令。`]);
    expect(await caseRow(n)).toEqual({ department_id: 'nongjizhan', assignee_id: 'c-he-jianjun' });
  });
});

describe('a name typed from memory', () => {
  useHarness();
  let tan: Person;
  let n: number;

  beforeAll(async () => {
    tan = await bind('c-tan-xiaoyan');
    await bind('c-zhou-lihua');
    await bind('c-he-jianjun');
    h.clock.set(t('2026-11-26T09:00'));
    n = await unclearMatter(await resident('褚大叔', 'dongtai'), '我想反映个情况');
  });

  it('派单 to a name of the same sound, the given name alone or 小 and the surname gets the line with the name meant; nothing moves', async () => {
    const before = await caseRow(n);
    await sendAt('2026-11-26T09:10', tan, `派单 ${n} 贺建君`);
    expect(news(tan)).toEqual([`没有找到“贺建君”，您要找的是贺建军吗？是的话请发：\n派单 ${n} 贺建军`]);
    await send(tan, `派单 ${n} 建军 请今天联系`);
    expect(news(tan)).toEqual([`没有找到“建军”，您要找的是贺建军吗？是的话请发：\n派单 ${n} 贺建军 请今天联系`]);
    // A department too: 农机站 sounds as 农技站.
    await send(tan, `派单 ${n} 农机站`);
    expect(news(tan)).toEqual([`没有找到“农机站”，您要找的是农技站吗？是的话请发：\n派单 ${n} 农技站`]);
    // The surname as colleagues call each other: 小易 for 易春林.
    await send(tan, `派单 ${n} 小易 你去看看`);
    expect(news(tan)).toEqual([`没有找到“小易”，您要找的是易春林吗？是的话请发：\n派单 ${n} 易春林 你去看看`]);
    await send(tan, `${n}给贺建君`);
    expect(news(tan)).toEqual([`没有找到“贺建君”，您要找的是贺建军吗？是的话请发：\n派单 ${n} 贺建军`]);
    await send(tan, `派单 ${n} 张三`);
    expect(news(tan)).toEqual(['没有找到叫“张三”的干部或部门，请核对名字。']);
    expect(await caseRow(n)).toEqual(before);
    await send(tan, `派单 ${n} 贺建军`);
    expect(news(tan)).toEqual([`已将 #${n} 派给贺建军。`]);
  });

  it('绑定码 and 请假 the same way; a name in nobody’s list is a colleague not added yet', async () => {
    await sendAt('2026-11-26T09:20', tan, '绑定码 谭小燕');
    expect(news(tan)).toEqual(['没有找到“谭小燕”，您要找的是谭晓燕吗？是的话请发：\n绑定码 谭晓燕']);
    await send(tan, '绑定码 张三');
    expect(news(tan)).toEqual(['干部名单里还没有“张三”。新来的同志要先请系统管理员加进干部名单（cadres.yaml），重启后再发：绑定码 张三']);
    expect(await h.count(`SELECT count(*) FROM bind_codes`)).toBe(0);
    await send(tan, '请假 贺剑军 今天 发烧');
    expect(news(tan)).toEqual(['没有找到“贺剑军”，您要找的是贺建军吗？是的话请发：\n请假 贺建军 今天 发烧']);
    await send(tan, '销假 建军');
    expect(news(tan)).toEqual(['没有找到“建军”，您要找的是贺建军吗？是的话请发：\n销假 贺建军']);
    expect(await h.count(`SELECT count(*) FROM cadre_leaves`)).toBe(0);
  });
});

describe('统计 as a clerk asks for it', () => {
  useHarness();
  let tan: Person;

  beforeAll(async () => {
    tan = await bind('c-tan-xiaoyan');
    await bind('c-he-jianjun');
    h.clock.set(t('2026-11-26T09:00'));
    await send(await resident('赵叔', 'dongtai'), '水稻纹枯病怎么治');
  });

  it('answers 统计上月, 统计农技站, 统计一下 and 上月的统计 as the commands written with the space', async () => {
    const asked = async (text: string) => {
      await send(tan, text);
      return news(tan);
    };
    for (const [written, command] of [
      ['统计一下', '统计'],
      ['统计上月', '统计 上月'],
      ['上月的统计', '统计 上月'],
      ['统计农技站', '统计 农技站'],
      ['统计农技站本月', '统计 农技站 本月'],
    ] as const) {
      const expected = await asked(command);
      expect(expected[0], command).toMatch(/^【统计】|^2026年10月 · 全乡镇：没有派单/);
      expect(await asked(written), written).toEqual(expected);
    }
  });
});

describe('督办 at night, and to a cadre without WeChat', () => {
  useHarness();
  let tan: Person;
  let he: Person;
  let n: number;
  let m: number;

  beforeAll(async () => {
    tan = await bind('c-tan-xiaoyan');
    he = await bind('c-he-jianjun');
    h.clock.set(t('2026-11-26T16:00'));
    await send(await resident('孙婶', 'dongtai'), '秧苗发黄了');
    await send(await resident('钱大爷', 'xianjin'), '稻飞虱怎么防治');
    [n, m] = (await h.query<{ number: number }>(`SELECT number FROM cases ORDER BY number`)).map((c) => c.number) as [number, number];
  });

  it('tells the office when the holder will read a 督办 sent in the quiet hours, unless he is awake', async () => {
    await sendAt('2026-11-26T22:30', tan, `督办 ${n} 明天一早去看`);
    expect(news(tan)).toEqual([`已督办 #${n}。\n现为夜间免打扰时段，贺建军将于 11月27日 07:00 收到。`]);
    expect(news(he)).toEqual([]);
    // He writes to lianxin: what waited comes first; awake, he reads the next one at once.
    await sendAt('2026-11-26T22:40', he, '任务');
    expect(news(he)[0]).toBe(`【督办】#${n} 谭晓燕请您抓紧办理。明天一早去看\n接单请发：接单 ${n}`);
    await sendAt('2026-11-26T22:41', tan, `督办 ${n}`);
    expect(news(tan)).toEqual([`已督办 #${n}。`]);
    expect(news(he)).toEqual([`【督办】#${n} 谭晓燕请您抓紧办理。\n接单请发：接单 ${n}`]);
  });

  it('says a holder without WeChat reads no 督办, with the 绑定码 line', async () => {
    await sendAt('2026-11-27T09:00', tan, `督办 ${m}`);
    expect(news(tan)).toEqual([`已督办 #${m}。\n易春林还没有绑定微信，收不到督办。生成绑定码请发：绑定码 易春林`]);
  });
});

describe('a cadre who changed phones', () => {
  useHarness();

  it('gets a code that moves him to the new WeChat; the office hears the old one gets nothing more', async () => {
    const tan = await bind('c-tan-xiaoyan');
    const old = await bind('c-he-jianjun');
    await sendAt('2026-11-26T09:00', tan, '绑定码 贺建军');
    const [issued] = news(tan);
    const code = /绑定码：(\d{6})/.exec(issued!)![1]!;
    expect(issued).toBe(
      `贺建军的绑定码：${code}（11月27日 09:00 前有效，只能用一次）。\n请贺建军用自己的微信给本号发送：绑定 ${code}\n` +
        '贺建军已经绑定过微信：用哪个微信发，今后派单就发到哪个微信，原来的不再收到。',
    );
    const phone = contact('贺建军的新手机');
    await sendAt('2026-11-26T09:05', phone, `绑定 ${code}`);
    expect(news(phone)).toEqual(['绑定成功，贺建军同志。今后派给您的事项会发到这里。发“帮助”查看指令。']);
    expect(news(tan)).toEqual(['【绑定】贺建军（农技员）已换用新微信，今后派单都发到新微信，原来的微信不再收到。']);
    await send(await resident('赵叔', 'dongtai'), '水稻纹枯病怎么治');
    expect(news(phone)[0]).toMatch(/^【新案件 #1001】东台村 · 农技站/);
    expect(news(old)).toEqual([]);
  });
});

/** 赵叔's #1001 of 东台村, closed twice by 贺建军 and twice found 不满意: with the office for review. */
async function twiceUnhappy() {
  const people = {
    tan: await bind('c-tan-xiaoyan'),
    zhou: await bind('c-zhou-lihua'),
    he: await bind('c-he-jianjun'),
    peng: await bind('c-peng-deming'),
    zhao: await resident('赵叔', 'dongtai'),
  };
  const { he, zhao } = people;
  h.clock.set(t('2026-11-26T09:00'));
  await send(zhao, '水稻纹枯病怎么治');
  await send(he, '接单 1001');
  await send(he, '办结 1001 已电话指导');
  await send(zhao, '3 没用');
  await send(he, '办结 1001 再次上门指导');
  await send(zhao, '3 还是不行');
  return people;
}

describe('a case sent to the office for review after two 不满意', () => {
  useHarness();

  it('派单 to the department passes by the cadre the resident was twice unhappy with; named, he still gets it', async () => {
    const { tan, zhou, he, peng } = await twiceUnhappy();
    expect([...news(tan), ...news(zhou)].find((m) => m.startsWith('【新案件 #1001】'))).toContain('（群众两次不满意，请办公室复核）');
    news(he);
    news(peng);

    await sendAt('2026-11-26T10:00', tan, '派单 1001 农技站');
    expect(news(tan)).toEqual([
      '已将 #1001 派给农技站彭德明。\n提示：东台村不在彭德明的包片范围内。\n群众对贺建军的办理两次不满意，这次没有再派给他。仍要派给他请发：派单 1001 贺建军',
    ]);
    expect(news(peng)[0]).toMatch(/^【新案件 #1001】东台村 · 农技站\n（谭晓燕派单）/);
    expect(news(he)).toEqual([]);
    await send(tan, '派单 1001 贺建军 请和站长一起再去看看');
    expect(news(tan)).toEqual(['已将 #1001 派给贺建军。']);
    expect(news(he)[0]).toMatch(/^【新案件 #1001】东台村 · 农技站\n（谭晓燕派单：请和站长一起再去看看）/);
  });
});

describe('a case for review whose department has nobody else today', () => {
  useHarness();

  it('is not given to the office instead: nothing moves, and the office gets the line to give it to him all the same', async () => {
    const { tan, zhou } = await twiceUnhappy();
    // The head, 贺建军's backup for 东台村, is away today.
    await send(tan, '请假 彭德明 今天');
    news(tan);
    news(zhou);
    const before = await caseRow(1001);

    await sendAt('2026-11-26T10:00', tan, '派单 1001 农技站');
    expect(news(tan)).toEqual([
      '#1001 没有派出：农技站现在只有贺建军能接，群众对他的办理两次不满意。仍要派给他请发：派单 1001 贺建军',
    ]);
    expect(news(zhou)).toEqual([]);
    expect(await caseRow(1001)).toEqual(before);
  });
});
