/**
 * An elderly resident speaking of visits in her own words, with a case open or not: 预约 said with a
 * time starts the booking with what she said; `回复1001 …` copied from a cadre's form reaches her case
 * without the prefix; `明天的不去了` is about the visit booked for tomorrow, not words for her case; `取消预约`
 * at the department menu of a matter she told cancels, and the menu is asked again after it; `新问题 …` at a
 * booking's question leaves it for her matter. Sample
 * township config; the SLA sweep is off (hourly; tests that need it run it).
 *
 * 东台村: 防疫站 龙志勇 (上门防疫/看病畜), 农技站 贺建军 (田间技术指导, workdays 08:30–12:00 and
 * 14:30–17:30, hourly slots with 30 minutes between). 25 Nov 2026 is a Wednesday.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Harness, Person } from '../support/harness.js';
import { casesOf, chat, outcomesOf, t } from '../support/chat.js';

let h: Harness;
const { useHarness, news, bind, resident, send, sendAt, openCase, deliver } = chat((started) => (h = started));

/** `name`'s bookings (number, service, status, start), oldest first. */
const bookingsOf = async (name: string) =>
  h.query<{ number: number; service_id: string; status: string; starts_at: Date }>(
    `SELECT b.number, b.service_id, b.status, b.starts_at FROM bookings b JOIN residents r ON r.id = b.resident_id WHERE r.name = $1 ORDER BY b.id`,
    [name],
  );

const navigation = '0 返回，发“取消”退出';

let he: Person; // 农技站, 东台村
let long: Person; // 防疫站, 东台村

/** A harness for the enclosing describe, with 贺建军 and 龙志勇 bound. */
function withHolders(): void {
  useHarness();
  beforeAll(async () => {
    he = await bind('c-he-jianjun');
    long = await bind('c-long-zhiyong');
  });
}

describe('预约 said with a time', () => {
  withHolders();

  it('starts the booking of the station named, on the day and half-day she said', async () => {
    const wang = await resident('王大妈', 'dongtai');
    await sendAt('2026-11-25T08:00', wang, '想预约明天上午请农技站的人来看看猪');
    expect(news(wang)).toEqual([
      `好的，11月26日 周四 08:30–09:30 田间技术指导（农技站）。\n请回复上门的地址（如：东台村三组 张家）。直接回复 1 就按“东台村”。\n${navigation}`,
    ]);
    await send(wang, '1');
    expect(news(wang)[0]).toMatch(/^请确认预约：\n服务：田间技术指导（农技站）\n时间：11月26日 周四 08:30–09:30\n/);
    await send(wang, '1');
    expect(news(wang)[0]).toMatch(/^预约成功，预约号 \d+。\n11月26日 周四 08:30–09:30 田间技术指导，由农技站贺建军负责。/);
    expect(news(he)[0]).toMatch(/^【新预约 \d+】11月26日 周四 08:30–09:30/);
    expect(await casesOf(h, '王大妈')).toEqual([]);
    expect(await bookingsOf('王大妈')).toEqual([
      { number: expect.any(Number), service_id: 'tianjian-zhidao', status: 'booked', starts_at: t('2026-11-26T08:30') },
    ]);
    expect(await outcomesOf(h, '王大妈')).toEqual(['booking', 'booking', 'booking']);
  });

  it('tells a day with nothing to book why, and offers the service’s days, the station taken from her words', async () => {
    const li = await resident('李奶奶', 'dongtai');
    // 大后天 from Wednesday is Saturday 28 Nov: nothing to book.
    await sendAt('2026-11-25T08:10', li, '想预约大后天请防疫站的人来看看猪');
    const [days] = news(li);
    expect(days).toMatch(/^11月28日 周六约不了（休息日）。\n“上门防疫\/看病畜”可以约这些日子，回复数字：\n1 11月25日 周三/);
    expect(await casesOf(h, '李奶奶')).toEqual([]);
  });

  it('asks the service when her words name none, and keeps the day and half-day she said', async () => {
    const zhao = await resident('赵大爷', 'dongtai');
    await sendAt('2026-11-25T08:20', zhao, '我要预约明天上午技术员来看看');
    const [services] = news(zhao);
    expect(services).toMatch(/^好的，约 11月26日 周四 上午。\n请选择要预约的服务，回复数字：\n1 田间技术指导（农技站·上门）\n/);
    // 08:30 went to 王大妈: the first morning slot left.
    await send(zhao, '1');
    expect(news(zhao)).toEqual([
      `好的，11月26日 周四 10:00–11:00。\n请回复上门的地址（如：东台村三组 张家）。直接回复 1 就按“东台村”。\n${navigation}`,
    ]);
    expect(await casesOf(h, '赵大爷')).toEqual([]);
  });

  it('starts the booking at a bare 我预约明天上午, asking the service and keeping the day and half-day', async () => {
    const ma = await resident('马大爷', 'dongtai');
    await sendAt('2026-11-25T08:21', ma, '我预约明天上午');
    expect(news(ma)).toEqual([expect.stringMatching(/^好的，约 11月26日 周四 上午。\n请选择要预约的服务，回复数字：\n1 田间技术指导/)]);
    await send(ma, '2');
    expect(news(ma)).toEqual([
      `好的，11月26日 周四 08:30–09:30。\n请回复上门的地址（如：东台村三组 张家）。直接回复 1 就按“东台村”。\n${navigation}`,
    ]);
    expect(await casesOf(h, '马大爷')).toEqual([]);
    expect(await outcomesOf(h, '马大爷')).toEqual(['booking', 'booking']);
  });

  it('keeps a time of day said without a day for the day she picks', async () => {
    const feng = await resident('冯大娘', 'dongtai');
    await sendAt('2026-11-25T08:25', feng, '预约下午请防疫员来看看猪');
    const [days] = news(feng);
    expect(days).toMatch(/^“上门防疫\/看病畜”可以约这些日子，回复数字：\n1 11月25日 周三（余 \d+）\n2 11月26日 周四/);
    await send(feng, '2');
    expect(news(feng)[0]).toMatch(/^好的，11月26日 周四 14:30–15:30。\n请回复上门的地址/);
  });

  it('takes 预约 with a time for a department with nothing to book as its matter, as before', async () => {
    const chu = await resident('褚大爷', 'dongtai');
    await sendAt('2026-11-25T08:28', chu, '想预约明天上午民政办的人来一趟，说说低保的事');
    expect(news(chu)[0]).toMatch(/^已受理，编号 #\d+。\n由民政办/);
    expect(await casesOf(h, '褚大爷')).toMatchObject([{ number: expect.any(Number), department_id: 'minzhengban' }]);
  });

  it('takes 预约 with a time at the day question of a booking as the day, the service kept', async () => {
    const jiang = await resident('蒋大娘', 'dongtai');
    await sendAt('2026-11-25T08:26', jiang, '预约');
    await send(jiang, '1');
    news(jiang);
    await send(jiang, '明天下午能预约吗');
    expect(news(jiang)).toEqual([
      `好的，11月26日 周四 14:30–15:30。\n请回复上门的地址（如：东台村三组 张家）。直接回复 1 就按“东台村”。\n${navigation}`,
    ]);
  });

  it('takes 预约 with a time at the department menu of a matter told as words for that question, as before', async () => {
    const yan = await resident('严大爷', 'dongtai');
    h.clock.set(t('2026-11-25T08:27'));
    await send(yan, '我想反映个情况，家门口那个');
    expect(news(yan).at(-1)).toContain('找哪个部门');
    await send(yan, '想预约明天上午请农技站的人来看看');
    expect(news(yan)).toEqual([expect.stringMatching(/^已受理，编号 #\d+。\n由农技站/)]);
    expect(await casesOf(h, '严大爷')).toMatchObject([{ number: expect.any(Number), department_id: 'nongjizhan' }]);
  });

  it('leaves the booking menu for 预约 with a time for a department with nothing to book, as for its matter', async () => {
    const wei = await resident('卫大爷', 'dongtai');
    await sendAt('2026-11-25T08:29', wei, '预约');
    news(wei);
    await send(wei, '想预约明天上午民政办的人来一趟，说说低保的事');
    expect(news(wei)).toEqual(['已退出预约。需要时再发“预约”。', expect.stringMatching(/^已受理，编号 #\d+。\n由民政办/)]);
    expect(await h.query(`SELECT dialog FROM residents WHERE name = '卫大爷'`)).toEqual([{ dialog: null }]);
  });

  it('leaves a booking question for 新问题 with her words, as for a matter told into it: the matter becomes a case', async () => {
    // At the service menu and the day question (a matter no department is clear for: its menu is asked),
    // and at the address question (where her words are no address).
    const cases = [
      ['陶大爷', [], '新问题 我想反映个情况，家门口那个', 'dangzhengban'],
      ['柏大妈', ['1'], '新问题 屋后头那个事', 'dangzhengban'],
      ['窦大爷', ['1', '1'], '新问题 我家的猪不吃食', 'fangyizhan'],
    ] as const;
    for (const [name, answers, words, department] of cases) {
      const p = await resident(name, 'dongtai');
      await sendAt('2026-11-25T08:29', p, '预约');
      for (const answer of answers) await send(p, answer);
      news(p);
      await send(p, words);
      const [left, taken] = news(p);
      expect(left).toBe('已退出预约。需要时再发“预约”。');
      if (department === 'dangzhengban') {
        expect(taken).toMatch(/^请问这件事找哪个部门？回复数字：\n1 /);
        await send(p, '0');
      } else {
        expect(taken).toMatch(/^已受理，编号 #\d+。\n由动物防疫站/);
      }
      expect(await casesOf(h, name)).toMatchObject([{ department_id: department, description: words.slice('新问题 '.length) }]);
      expect(await bookingsOf(name)).toEqual([]);
      expect(await h.query(`SELECT dialog FROM residents WHERE name = $1`, [name])).toEqual([{ dialog: null }]);
    }
  });

  it('keeps the booking question for 新问题 without words', async () => {
    const shi = await resident('施大娘', 'dongtai');
    await sendAt('2026-11-25T08:29', shi, '预约');
    news(shi);
    await send(shi, '新问题');
    expect(news(shi)).toEqual([expect.stringMatching(/^请回复列表前面的数字。\n请选择要预约的服务，回复数字：/)]);
    expect(await h.query(`SELECT dialog->>'kind' AS kind FROM residents WHERE name = '施大娘'`)).toEqual([{ kind: 'booking' }]);
  });

  it('takes 新问题 取消预约 at a booking question as 取消预约 there: a new booking is left, a change of time cancels the visit', async () => {
    const lu = await resident('鲁大爷', 'dongtai');
    await sendAt('2026-11-25T08:29', lu, '预约');
    for (const answer of ['1', '后天', '1']) await send(lu, answer);
    expect(news(lu).at(-1)).toMatch(/^请回复上门的地址/);
    await send(lu, '新问题 取消预约');
    expect(news(lu)).toEqual(['已退出预约。需要时再发“预约”。']);
    expect(await casesOf(h, '鲁大爷')).toEqual([]);
    expect(await h.query(`SELECT dialog FROM residents WHERE name = '鲁大爷'`)).toEqual([{ dialog: null }]);

    for (const answer of ['预约', '1', '后天', '1', '1', '1']) await send(lu, answer);
    const booking = Number(/预约号 (\d+)/.exec(news(lu).at(-1)!)![1]);
    news(he);
    await send(lu, '改约');
    expect(news(lu)[0]).toMatch(new RegExp(`^为预约 ${booking} 改时间`));
    await send(lu, '新问题：取消预约');
    expect(news(lu)).toEqual([expect.stringMatching(new RegExp(`^您的预约：\\n${booking} .*\\n确定取消这个预约吗？取消回复 1，保留回复 0。$`))]);
    await send(lu, '1');
    expect(news(lu)).toEqual([`预约 ${booking} 已取消。`]);
    expect((await bookingsOf('鲁大爷')).map((b) => b.status)).toEqual(['cancelled']);
    expect(await casesOf(h, '鲁大爷')).toEqual([]);
  });

  it('starts the booking with a case open too, and the holder reads nothing of it', async () => {
    const qian = await resident('钱大妈', 'dongtai');
    h.clock.set(t('2026-11-25T08:30'));
    await openCase(qian, '猪不吃食');
    news(long);
    await sendAt('2026-11-25T08:31', qian, '我想预约明天下午防疫站的来看看');
    expect(news(qian)[0]).toMatch(/^好的，11月26日 周四 14:30–15:30 上门防疫\/看病畜（动物防疫站）。\n请回复上门的地址/);
    expect(news(long)).toEqual([]);
  });

  it('leaves words that mention 预约 in passing on the path they took: a case, or words for the holder', async () => {
    const sun = await resident('孙大娘', 'dongtai');
    h.clock.set(t('2026-11-25T09:00'));
    // No case open: the matter opens one, as before (a visit asked for is offered with it).
    await send(sun, '上次预约的人没来，猪还是不吃食');
    expect(news(sun)[0]).toMatch(/^已受理，编号 #\d+。\n由动物防疫站龙志勇/);
    news(long);
    for (const text of ['预约明天上午的技术员怎么还没来', '我已经预约了明天上午', '明天上午预约的人会来吗']) {
      await send(sun, text);
      expect(news(sun), text).toEqual([expect.stringMatching(/^收到，已转给负责 #\d+ 的龙志勇。/)]);
      expect(news(long), text).toEqual([expect.stringContaining(text)]);
    }
    expect(await bookingsOf('孙大娘')).toEqual([]);
    expect(await outcomesOf(h, '孙大娘')).toEqual(['case-opened', 'added-to-case', 'added-to-case', 'added-to-case']);
  });

  it('passes a complaint or a refusal that mentions 预约 and a day on to the holder, with no booking started', async () => {
    const wu = await resident('吴大娘', 'dongtai');
    h.clock.set(t('2026-11-25T09:30'));
    const kase = await openCase(wu, '猪不吃食');
    news(long);
    for (const text of ['技术员说预约明天上午来，是真的吗', '我预约明天上午被拒绝了', '预约太麻烦了，明天我自己去乡里']) {
      await send(wu, text);
      expect(news(wu), text).toEqual([expect.stringMatching(new RegExp(`^收到，已转给负责 #${kase} 的龙志勇。`))]);
      expect(news(long), text).toEqual([expect.stringContaining(text)]);
    }
    expect(await h.query(`SELECT dialog FROM residents WHERE name = '吴大娘'`)).toEqual([{ dialog: null }]);
    expect(await outcomesOf(h, '吴大娘')).toEqual(['case-opened', 'added-to-case', 'added-to-case', 'added-to-case']);
  });
});

describe('回复1001 copied from a cadre’s form', () => {
  withHolders();

  it('reaches her own case without the prefix, the case named when several are open', async () => {
    const wang = await resident('王大妈', 'dongtai');
    h.clock.set(t('2026-11-25T09:00'));
    const pig = await openCase(wang, '猪不吃食');
    const rice = await openCase(wang, '新问题 秧苗发黄是不是病虫害');
    news(long);
    news(he);
    await send(wang, `回复${pig} 在家等着呢`);
    expect(news(wang)[0]).toMatch(new RegExp(`^收到，已转给负责 #${pig} 的龙志勇。`));
    expect(news(long)).toEqual([`【#${pig} 群众补充】东台村 王大妈：在家等着呢`]);
    expect(news(he)).toEqual([]);
    await send(wang, `回复 ${rice}：秧苗是前天插的`);
    expect(news(wang)[0]).toMatch(new RegExp(`^收到，已转给负责 #${rice} 的贺建军。`));
    expect(news(he)).toEqual([`【#${rice} 群众补充】东台村 王大妈：秧苗是前天插的`]);
    expect(news(long)).toEqual([]);
    // Handed to another holder, the case's words come without the prefix too.
    await send(long, `转派 ${pig} 农技站 是饲料的问题`);
    expect(news(he).join('\n')).toContain('王大妈：在家等着呢');
  });

  /** A resident of 东台村 whose pig case 龙志勇 has just resolved, at `local`; returns her and the case number. */
  const resolvedCase = async (name: string, local: string): Promise<{ p: Person; n: number }> => {
    const p = await resident(name, 'dongtai');
    h.clock.set(t(local));
    const n = await openCase(p, '猪身上长了疙瘩');
    await send(long, `办结 ${n} 已上门打针`);
    news(p);
    news(long);
    return { p, n };
  };

  it('takes 回复1001 满意 at the rating question as her rating', async () => {
    const { p: zhao, n } = await resolvedCase('赵大爷', '2026-11-25T11:00');
    await send(zhao, `回复${n} 满意`);
    expect(news(zhao)).toEqual(['谢谢您的评价！有事随时留言。']);
    expect(await h.query(`SELECT rating FROM cases WHERE number = $1`, [n])).toEqual([{ rating: 'satisfied' }]);
  });

  it('shows her words without the prefix where her holder is asked whose words his were', async () => {
    h.clock.set(t('2026-11-25T14:30'));
    const zhou = await resident('周大娘', 'dongtai');
    const wu = await resident('吴老四', 'dongan');
    const x = await openCase(zhou, '秧苗发黄，是不是病虫害');
    const y = await openCase(wu, '稻飞虱好多，要打什么农药');
    await sendAt('2026-11-25T14:35', he, `接单 ${x}`);
    await sendAt('2026-11-25T14:36', he, `接单 ${y}`);
    await sendAt('2026-11-25T14:40', he, `回复 ${x} 下午去看`);
    await sendAt('2026-11-25T14:45', wu, `回复${y} 你们几点来？`);
    news(he);
    await sendAt('2026-11-25T14:46', he, '三点到');
    expect(news(he)).toEqual([`这条没有转给群众，是回谁的？\n#${y} 吴老四：你们几点来？\n请发“回复 编号 内容”，如：回复 ${y} 三点到`]);
  });

  it('takes 回复1001 满意 to another case of hers, open or resolved, as words or a rating for that case, not for the one being asked', async () => {
    const zheng = await resident('郑大妈', 'dongtai');
    h.clock.set(t('2026-11-25T15:00'));
    const pig = await openCase(zheng, '猪不吃食');
    const rice = await openCase(zheng, '新问题 秧苗发黄是不是病虫害');
    await send(he, `办结 ${rice} 已指导打药`);
    expect(news(zheng).at(-1)).toContain('满意');
    news(long);
    // The rating question is about the rice; 满意 written to the pig case is for its holder.
    await send(zheng, `回复${pig} 满意`);
    expect(news(zheng)[0]).toMatch(new RegExp(`^收到，已转给负责 #${pig} 的龙志勇。`));
    expect(news(long)).toEqual([`【#${pig} 群众补充】东台村 郑大妈：满意`]);
    // Without the question in front of her, too.
    await h.query(`UPDATE residents SET dialog = NULL WHERE name = '郑大妈'`);
    await send(zheng, `回复${pig} 满意`);
    expect(news(long)).toEqual([`【#${pig} 群众补充】东台村 郑大妈：满意`]);
    expect(await h.query(`SELECT number, rating FROM cases WHERE number = ANY ($1) ORDER BY number`, [[pig, rice]])).toEqual([
      { number: pig, rating: null },
      { number: rice, rating: null },
    ]);
    // The pig case resolved while the rice rating is asked: its question waits, and 回复 to it answers it.
    await send(long, `办结 ${pig} 已上门打针`);
    news(zheng);
    await send(zheng, `回复 ${rice} 2`);
    await send(zheng, `回复${pig} 满意`);
    expect(await h.query(`SELECT number, rating FROM cases WHERE number = ANY ($1) ORDER BY number`, [[pig, rice]])).toEqual([
      { number: pig, rating: 'satisfied' },
      { number: rice, rating: 'basically-satisfied' },
    ]);
  });

  it('asks no rating for the case 回复 names while another case’s rating question is in front of her: 1 answers that one', async () => {
    const zheng = await resident('郑二妈', 'dongtai');
    h.clock.set(t('2026-11-25T15:30'));
    const pig = await openCase(zheng, '猪不吃食');
    const rice = await openCase(zheng, '新问题 秧苗发黄是不是病虫害');
    await send(he, `办结 ${rice} 已指导打药`);
    await send(long, `办结 ${pig} 已上门打针`);
    news(zheng);
    news(long);
    // The rice's rating is asked; words to the resolved pig case go to its holder.
    await send(zheng, `回复${pig} 针打完还是有点蔫`);
    expect(news(long)).toEqual([`【#${pig} 群众补充】东台村 郑二妈：针打完还是有点蔫`]);
    expect(news(zheng).join('\n')).not.toContain(`也请为 #${pig} 评价`);
    await send(zheng, '1');
    expect(await h.query(`SELECT number, rating FROM cases WHERE number = ANY ($1) ORDER BY number`, [[pig, rice]])).toEqual([
      { number: pig, rating: null },
      { number: rice, rating: 'satisfied' },
    ]);
  });

  it('takes 回复1001 … to her resolved case in the middle of a booking: words for its holder, 满意 its rating; the booking question stays', async () => {
    const { p: sun, n } = await resolvedCase('孙大爷', '2026-11-25T16:00');
    await send(sun, '预约');
    expect(news(sun)[0]).toMatch(/^请选择要预约的服务/);
    // No rating asked with it: "1" would answer the booking's question.
    await send(sun, `回复${n} 针打完还是有点蔫`);
    expect(news(sun)).toEqual([`收到，已转给负责 #${n} 的龙志勇。`]);
    expect(news(long)).toEqual([`【#${n} 群众补充】东台村 孙大爷：针打完还是有点蔫`]);
    await send(sun, '1');
    expect(news(sun)[0]).toMatch(/^“田间技术指导”可以约这些日子/);
    await send(sun, `回复${n} 满意`);
    expect(news(sun)).toEqual(['谢谢您的评价！有事随时留言。']);
    expect(await h.query(`SELECT rating FROM cases WHERE number = $1`, [n])).toEqual([{ rating: 'satisfied' }]);
    expect(await h.query(`SELECT dialog->>'kind' AS kind, dialog->>'step' AS step FROM residents WHERE name = '孙大爷'`)).toEqual([
      { kind: 'booking', step: 'day' },
    ]);
  });

  it('takes 回复1001 … to her resolved case with no question in front (it was overtaken) to its holder, and asks the rating', async () => {
    const { p, n } = await resolvedCase('冯大爷', '2026-11-25T16:20');
    await h.query(`UPDATE residents SET dialog = NULL WHERE name = '冯大爷'`);
    await send(p, `回复${n} 针打完还是有点蔫`);
    expect(news(p)).toEqual([`收到，已转给龙志勇。也请为 #${n} 评价：回复 1 满意，2 基本满意，3 不满意。`]);
    expect(news(long)).toEqual([`【#${n} 群众补充】东台村 冯大爷：针打完还是有点蔫`]);
    expect(await casesOf(h, '冯大爷')).toHaveLength(1);
  });

  it('takes 回复1001 … at the department menu to that case, open or resolved, and the menu keeps her matter', async () => {
    const he2 = await resident('何大妈', 'dongtai');
    h.clock.set(t('2026-11-25T16:30'));
    const pig = await openCase(he2, '猪不吃食');
    const rice = await openCase(he2, '新问题 秧苗发黄是不是病虫害');
    await send(he2, '新问题 我想反映个情况，家门口那个');
    expect(news(he2).at(-1)).toContain('找哪个部门');
    // 办结 while she is at the menu: her rating is asked after it.
    await send(he, `办结 ${rice} 已指导打药`);
    expect(news(he2)).toEqual([`您的事项 #${rice} 已由农技站贺建军办结：已指导打药`]);
    news(long);
    await send(he2, `回复${pig} 在家等着呢`);
    expect(news(he2)).toEqual([expect.stringMatching(new RegExp(`^收到，已转给负责 #${pig} 的龙志勇。`))]);
    expect(news(long)).toEqual([`【#${pig} 群众补充】东台村 何大妈：在家等着呢`]);
    await send(he2, `回复${rice} 满意`);
    expect(news(he2)).toEqual(['谢谢您的评价！有事随时留言。']);
    expect(await h.query(`SELECT rating FROM cases WHERE number = $1`, [rice])).toEqual([{ rating: 'satisfied' }]);
    // The menu is still in front of her, with only her matter.
    await send(he2, '0');
    expect(news(he2)).toEqual([expect.stringMatching(/^已受理，编号 #\d+。\n由党政办/)]);
    const cases = await casesOf(h, '何大妈');
    expect(cases).toHaveLength(3);
    expect(cases[2]).toMatchObject({ department_id: 'dangzhengban', description: expect.stringContaining('我想反映个情况，家门口那个') });
    expect(cases[2]!.description).not.toMatch(/在家等着呢|满意/);
    expect(await h.query(`SELECT dialog FROM residents WHERE name = '何大妈'`)).toEqual([{ dialog: null }]);
  });

  it('leaves the words alone when the number is none of hers', async () => {
    const li = await resident('李奶奶', 'dongtai');
    h.clock.set(t('2026-11-25T10:00'));
    const pig = await openCase(li, '猪不吃食');
    news(long);
    // Not a case number at all ("回复 1 满意" is the rating's form): words for her holder as they are.
    await send(li, '回复一下 在家等着呢');
    news(li);
    expect(news(long)).toEqual([`【#${pig} 群众补充】东台村 李奶奶：回复一下 在家等着呢`]);
    // Another resident's case: refused as a cadre's command, nothing passed on.
    await send(li, '回复1001 在家等着呢');
    expect(news(li)[0]).not.toMatch(/^收到/);
    expect(news(long)).toEqual([]);
  });
});

describe('明天的不去了 with a booking and a case open', () => {
  withHolders();

  /**
   * A resident of 东台村 with the pig case open and the 田间技术指导 booked for Thursday 26 Nov at the
   * time said ("明天下午": 14:30); returns the case and booking numbers.
   */
  const bookedWithCase = async (name: string, when: string): Promise<{ p: Person; booking: number; kase: number }> => {
    const p = await resident(name, 'dongtai');
    h.clock.set(t('2026-11-25T08:00'));
    const kase = await openCase(p, '猪不吃食');
    for (const answer of ['预约', '1']) await send(p, answer);
    await send(p, when);
    await send(p, '1');
    await send(p, '1');
    const booked = news(p).at(-1)!;
    const booking = Number(/预约号 (\d+)/.exec(booked)![1]);
    news(long);
    news(he);
    return { p, booking, kase };
  };

  it('asks to confirm cancelling the visit booked for that day, and cancels it on 1', async () => {
    const { p, booking } = await bookedWithCase('王大妈', '明天下午');
    await sendAt('2026-11-25T09:00', p, '明天的不去了');
    expect(news(p)).toEqual([`您的预约：\n${booking} 11月26日 周四 14:30–15:30 田间技术指导（贺建军）\n确定取消这个预约吗？取消回复 1，保留回复 0。`]);
    expect(news(long)).toEqual([]);
    await send(p, '1');
    expect(news(p)).toEqual([`预约 ${booking} 已取消。`]);
    expect(news(he)[0]).toMatch(new RegExp(`^【预约取消】${booking} `));
    expect(news(long)).toEqual([]);
    expect((await bookingsOf('王大妈')).map((b) => b.status)).toEqual(['cancelled']);
  });

  it('takes 明天的不要了 and 那个预约不要了 the same way; 0 keeps the visit', async () => {
    const { p, booking } = await bookedWithCase('李奶奶', '明天4点');
    for (const text of ['明天的不要了', '那个预约不要了']) {
      await sendAt('2026-11-25T09:00', p, text);
      expect(news(p), text).toEqual([expect.stringMatching(/确定取消这个预约吗？取消回复 1，保留回复 0。$/)]);
      await send(p, '0');
      expect(news(p), text).toEqual([`好的，预约 ${booking} 不变。`]);
    }
    expect(news(long)).toEqual([]);
    expect((await bookingsOf('李奶奶')).map((b) => b.status)).toEqual(['booked']);
  });

  it('keeps words written to her case by its number (回复1001 …) for its holder, in the middle of a booking too', async () => {
    const { p, kase } = await bookedWithCase('钱大爷', '明天上午');
    await sendAt('2026-11-25T09:00', p, `回复${kase} 明天不去了`);
    expect(news(p)[0]).toMatch(new RegExp(`^收到，已转给负责 #${kase} 的龙志勇。`));
    expect(news(long)).toEqual([`【#${kase} 群众补充】东台村 钱大爷：明天不去了`]);
    // At the address question of a second booking, her words to the case are no address.
    for (const answer of ['预约', '1', '后天上午']) await send(p, answer);
    expect(news(p).at(-1)).toMatch(/请回复上门的地址/);
    await send(p, `回复${kase} 在家等着呢`);
    expect(news(long)).toEqual([`【#${kase} 群众补充】东台村 钱大爷：在家等着呢`]);
    expect((await bookingsOf('钱大爷')).map((b) => b.status)).toEqual(['booked']);
    await send(p, '东台村三组 钱家');
    expect(news(p).at(-1)).toMatch(/^请确认预约：/);
  });

  it('keeps her matter at the department menu: 明天的不去了 there cancels nothing and drops nothing', async () => {
    const kong = await resident('孔大妈', 'dongtai');
    h.clock.set(t('2026-11-25T08:00'));
    for (const answer of ['预约', '1', '明天下午', '1', '1']) await send(kong, answer);
    await send(kong, '我想反映个情况，家门口那个');
    expect(news(kong).at(-1)).toContain('找哪个部门');
    await send(kong, '明天的不去了');
    expect(news(kong).join('\n')).not.toContain('确定取消');
    expect(await h.query(`SELECT dialog->>'kind' AS kind FROM residents WHERE name = '孔大妈'`)).toEqual([{ kind: 'ask-department' }]);
    expect((await bookingsOf('孔大妈')).map((b) => b.status)).toEqual(['booked']);
  });

  it('takes 取消后天的预约 and 后天下午的不去了 as that visit’s, and a half-day with no visit booked as words for her holder', async () => {
    // The afternoon of Friday 27 Nov.
    const { p, booking, kase } = await bookedWithCase('冯大妈', '后天下午');
    for (const text of ['取消后天的预约', '后天下午的不去了']) {
      await sendAt('2026-11-25T09:00', p, text);
      expect(news(p), text).toEqual([expect.stringMatching(new RegExp(`^您的预约：\\n${booking} 11月27日 周五 1[4-7]:[03]0–.*\\n确定取消这个预约吗？取消回复 1，保留回复 0。$`))]);
      await send(p, '0');
      expect(news(p), text).toEqual([`好的，预约 ${booking} 不变。`]);
    }
    expect(news(long)).toEqual([]);
    await send(p, '后天上午的不去了');
    expect(news(p)[0]).toMatch(new RegExp(`^收到，已转给负责 #${kase} 的龙志勇。`));
    expect(news(long)).toEqual([`【#${kase} 群众补充】东台村 冯大妈：后天上午的不去了`]);
    expect((await bookingsOf('冯大妈')).map((b) => b.status)).toEqual(['booked']);
  });

  it('keeps words about another day for her case’s holder', async () => {
    const { p, kase } = await bookedWithCase('赵大爷', '明天上午');
    await sendAt('2026-11-25T09:00', p, '后天的不去了');
    expect(news(p)[0]).toMatch(new RegExp(`^收到，已转给负责 #${kase} 的龙志勇。`));
    expect(news(long)).toEqual([`【#${kase} 群众补充】东台村 赵大爷：后天的不去了`]);
    expect((await bookingsOf('赵大爷')).map((b) => b.status)).toEqual(['booked']);
  });
});

describe('booking words at the department menu of a matter told', () => {
  withHolders();

  /** A resident of 东台村 with the 田间技术指导 booked at the time said; returns the booking number. */
  const booked = async (name: string, when: string): Promise<{ p: Person; booking: number }> => {
    const p = await resident(name, 'dongtai');
    for (const answer of ['预约', '1', when, '1', '1']) await send(p, answer);
    const booking = Number(/预约号 (\d+)/.exec(news(p).at(-1)!)![1]);
    news(he);
    return { p, booking };
  };

  /** She tells a matter no department is clear for, and is shown the menu. */
  const toldAtMenu = async (p: Person): Promise<void> => {
    await send(p, '我想反映个情况，家门口那个');
    expect(news(p).at(-1)).toContain('找哪个部门');
  };

  /**
   * At `local`, a resident with a visit booked at `when` tells a matter, is shown the menu and starts
   * changing the visit's time with `words` ("改约"); returns her and the booking number.
   */
  const changingAtMenu = async (name: string, local: string, when: string, words: string): Promise<{ p: Person; booking: number }> => {
    h.clock.set(t(local));
    const { p, booking } = await booked(name, when);
    await toldAtMenu(p);
    await send(p, words);
    expect(news(p)[0]).toMatch(new RegExp(`^为预约 ${booking} 改时间`));
    return { p, booking };
  };

  const menuAgain = /^还有您刚才说的“我想反映个情况，家门口那个”，请问这件事找哪个部门？回复数字：\n1 /;

  it('cancels the visit at 取消预约, then asks the menu again; her matter becomes a case', async () => {
    h.clock.set(t('2026-11-25T08:00'));
    const { p, booking } = await booked('孔大爷', '明天下午');
    await toldAtMenu(p);
    await send(p, '取消预约');
    expect(news(p)).toEqual([expect.stringMatching(new RegExp(`^您的预约：\\n${booking} .*\\n确定取消这个预约吗？取消回复 1，保留回复 0。$`))]);
    await send(p, '1');
    expect(news(p)).toEqual([`预约 ${booking} 已取消。`, expect.stringMatching(menuAgain)]);
    await send(p, '0');
    expect(news(p)).toEqual([expect.stringMatching(/^已受理，编号 #\d+。\n由党政办/)]);
    expect(await casesOf(h, '孔大爷')).toMatchObject([{ department_id: 'dangzhengban', description: '我想反映个情况，家门口那个' }]);
    expect((await bookingsOf('孔大爷')).map((b) => b.status)).toEqual(['cancelled']);
    expect((await outcomesOf(h, '孔大爷')).slice(-4)).toEqual(['asked-department', 'booking', 'booking', 'case-opened']);
  });

  it('takes 取消 or 算了 alone at the menu as leaving the menu: the visit stays, her matter goes to the office', async () => {
    for (const [name, words, local] of [['何大爷', '取消', '2026-11-25T08:05'], ['吕大妈', '算了', '2026-11-25T08:06']] as const) {
      h.clock.set(t(local));
      const { p, booking } = await booked(name, words === '取消' ? '下礼拜一上午' : '下礼拜一下午');
      await toldAtMenu(p);
      await send(p, words);
      expect(news(p), words).toEqual([
        '好的，不用选了。您说的“我想反映个情况，家门口那个”已请办公室帮您转给负责的同志。',
        expect.stringMatching(/^已受理，编号 #\d+。\n由党政办/),
      ]);
      expect(news(he), words).toEqual([]);
      expect((await bookingsOf(name)).map((b) => [b.number, b.status])).toEqual([[booking, 'booked']]);
      expect(await casesOf(h, name)).toMatchObject([{ department_id: 'dangzhengban', description: '我想反映个情况，家门口那个' }]);
      expect(await h.query(`SELECT dialog FROM residents WHERE name = $1`, [name])).toEqual([{ dialog: null }]);
    }
  });

  it('takes 算了 at the menu the same way with no visit booked', async () => {
    const xu = await resident('许大娘', 'dongtai');
    h.clock.set(t('2026-11-25T08:07'));
    await toldAtMenu(xu);
    await send(xu, '那算了吧');
    expect(news(xu)).toEqual([
      '好的，不用选了。您说的“我想反映个情况，家门口那个”已请办公室帮您转给负责的同志。',
      expect.stringMatching(/^已受理，编号 #\d+。\n由党政办/),
    ]);
    expect(await casesOf(h, '许大娘')).toMatchObject([{ department_id: 'dangzhengban', description: '我想反映个情况，家门口那个' }]);
  });

  it('moves the visit at 改约, then asks the menu again, answered by a department’s name', async () => {
    const { p, booking } = await changingAtMenu('褚大娘', '2026-11-25T08:10', '明天下午', '改约');
    for (const answer of ['后天上午', '1']) await send(p, answer);
    expect(news(p).at(-1)).toMatch(/^请确认预约：/);
    await send(p, '1');
    const [done, menu] = news(p);
    expect(done).toMatch(new RegExp(`^预约成功，预约号 \\d+。[\\s\\S]*原预约 ${booking} 已取消。`));
    expect(menu).toMatch(menuAgain);
    await send(p, '城建办');
    expect(news(p)).toEqual([expect.stringMatching(/^已受理，编号 #\d+。\n由城建办/)]);
    expect(await casesOf(h, '褚大娘')).toMatchObject([{ department_id: 'chengjianban', description: '我想反映个情况，家门口那个' }]);
  });

  it('asks the menu again after she leaves the change of time (改到后天, then 算了)', async () => {
    const { p, booking } = await changingAtMenu('卫大妈', '2026-11-25T08:20', '明天上午', '改到后天');
    await send(p, '算了');
    expect(news(p)).toEqual([`好的，预约 ${booking} 不变。`, expect.stringMatching(menuAgain)]);
    expect(await h.query(`SELECT dialog->>'kind' AS kind FROM residents WHERE name = '卫大妈'`)).toEqual([{ kind: 'ask-department' }]);
  });

  it('sends her matter to the office after departmentMenuMinutes when she leaves the change of time idle', async () => {
    const { p, booking } = await changingAtMenu('蒋大爷', '2026-11-25T08:40', '明天上午', '改到后天');
    // The change lapses after 30 minutes; the menu she left stands until an hour after it was asked.
    h.clock.set(t('2026-11-25T09:15'));
    await h.app.worker!.sweep();
    await h.settle();
    expect(news(p)).toEqual([expect.stringMatching(new RegExp(`^改时间没有完成，预约 ${booking} 还是原来的`))]);
    expect(await casesOf(h, '蒋大爷')).toEqual([]);
    h.clock.set(t('2026-11-25T09:41'));
    await h.app.worker!.sweep();
    await h.settle();
    expect(news(p)).toEqual(['您还没有选部门，我们已请办公室帮您转给负责的同志。', expect.stringMatching(/^已受理，编号 #\d+。\n由党政办/)]);
    expect(await casesOf(h, '蒋大爷')).toMatchObject([{ department_id: 'dangzhengban', description: '我想反映个情况，家门口那个' }]);
    expect(await h.query(`SELECT dialog FROM residents WHERE name = '蒋大爷'`)).toEqual([{ dialog: null }]);
    expect((await bookingsOf('蒋大爷')).map((b) => b.status)).toEqual(['booked']);
  });

  it('asks the menu again after the case of a matter she told into the change of time', async () => {
    const { p } = await changingAtMenu('杨大爷', '2026-11-25T08:50', '明天下午', '改约');
    await send(p, '村口的路灯坏了好几天了');
    expect(news(p)).toEqual(['已退出预约。需要时再发“预约”。', expect.stringMatching(/^已受理，编号 #\d+。\n由城建办/), expect.stringMatching(menuAgain)]);
    await send(p, '0');
    expect(await casesOf(h, '杨大爷')).toMatchObject([
      { department_id: 'chengjianban', description: '村口的路灯坏了好几天了' },
      { department_id: 'dangzhengban', description: '我想反映个情况，家门口那个' },
    ]);
  });

  it('takes her matter with the one she tells into the change of time with 新问题, asking the new one’s menu', async () => {
    const { p } = await changingAtMenu('鲍大爷', '2026-11-25T08:55', '后天上午', '改约');
    await send(p, '新问题 屋后头那个事');
    expect(news(p)).toEqual(['已退出预约。需要时再发“预约”。', expect.stringMatching(/^请问这件事找哪个部门？回复数字：\n1 /)]);
    await send(p, '0');
    const cases = await casesOf(h, '鲍大爷');
    expect(cases).toMatchObject([{ department_id: 'dangzhengban' }]);
    expect(cases[0]!.description).toContain('我想反映个情况，家门口那个');
    expect(cases[0]!.description).toContain('屋后头那个事');
    expect((await bookingsOf('鲍大爷')).map((b) => b.status)).toEqual(['booked']);
  });

  it('takes her matter with a new one whose menu is asked after the change of time lapsed', async () => {
    const { p } = await changingAtMenu('朱大娘', '2026-11-25T09:00', '后天下午', '改约');
    // The change lapsed at 09:30; no sweep has run yet.
    await sendAt('2026-11-25T09:40', p, '还有个事，屋后头那个');
    expect(news(p)).toEqual([expect.stringMatching(/^请问这件事找哪个部门？回复数字：\n1 /)]);
    await send(p, '0');
    const cases = await casesOf(h, '朱大娘');
    expect(cases).toMatchObject([{ department_id: 'dangzhengban' }]);
    expect(cases[0]!.description).toContain('我想反映个情况，家门口那个');
    expect(cases[0]!.description).toContain('还有个事，屋后头那个');
  });

  it('sends her matter to the office when another question follows the booking it waited behind', async () => {
    h.clock.set(t('2026-11-25T09:10'));
    const { p } = await booked('秦大妈', '明天下午');
    const pig = await openCase(p, '猪不吃食');
    await send(p, '新问题 我想反映个情况，家门口那个');
    expect(news(p).at(-1)).toContain('找哪个部门');
    await send(p, '改约');
    news(p);
    // Another department's words while the pig case is open: is it a new matter? Her earlier matter waits for no second question.
    await send(p, '村口的路灯坏了好几天了');
    const got = news(p);
    expect(got[0]).toBe('已退出预约。需要时再发“预约”。');
    expect(got[1]).toMatch(new RegExp(`^请问这是一件新的事，还是 #${pig}`));
    expect(got.slice(2)).toEqual(['您还没有选部门，我们已请办公室帮您转给负责的同志。', expect.stringMatching(/^已受理，编号 #\d+。\n由党政办/)]);
    expect((await casesOf(h, '秦大妈')).map((c) => c.department_id)).toEqual(['fangyizhan', 'dangzhengban']);
  });
});

describe('answering a booking’s questions in her own words', () => {
  withHolders();

  it('takes the service named as the menu writes it, or by its cadres’ title, and a day said before it', async () => {
    const ge = await resident('葛大妈', 'dongtai');
    await sendAt('2026-11-25T08:00', ge, '预约');
    news(ge);
    await send(ge, '农技站');
    expect(news(ge)).toEqual([expect.stringMatching(/^“田间技术指导”可以约这些日子，回复数字：\n1 11月25日 周三/)]);
    expect(await casesOf(h, '葛大妈')).toEqual([]);

    const fan = await resident('范大爷', 'dongtai');
    await send(fan, '预约');
    news(fan);
    await send(fan, '明天');
    expect(news(fan)).toEqual([expect.stringMatching(/^好的，约 11月26日 周四。\n请选择要预约的服务，回复数字：\n1 /)]);
    await send(fan, '防疫员');
    expect(news(fan)).toEqual([expect.stringMatching(/^好的，约动物防疫站的“上门防疫\/看病畜”。\n11月26日 周四还有这些时段，回复数字：\n1 08:30–09:30/)]);
    expect(await casesOf(h, '范大爷')).toEqual([]);
  });

  it('takes 1号 at the list of services or times as its first line, and asks a voice message to be typed', async () => {
    const lei = await resident('雷大娘', 'dongtai');
    await sendAt('2026-11-25T08:10', lei, '预约');
    news(lei);
    const typeIt = '语音和图片这里看不了，请打字回复列表前面的数字，如 1。';
    await deliver(() => lei.sendFile('voice.silk'));
    expect(news(lei)).toEqual([expect.stringMatching(new RegExp(`^${typeIt}\\n请选择要预约的服务，回复数字：\\n1 `))]);
    await send(lei, '１号');
    expect(news(lei)).toEqual([expect.stringMatching(/^“田间技术指导”可以约这些日子/)]);
    await send(lei, '2');
    news(lei);
    await deliver(() => lei.sendFile('voice.silk'));
    expect(news(lei)).toEqual([expect.stringMatching(new RegExp(`^${typeIt}\\n11月26日 周四还有这些时段，回复数字：\\n1 08:30–09:30`))]);
    await send(lei, '1号');
    expect(news(lei)).toEqual([`请回复上门的地址（如：东台村三组 张家）。直接回复 1 就按“东台村”。\n${navigation}`]);
  });

  it('ends the booking at her second voice message in a row at one question, and gives her voices to the office', async () => {
    const kong = await resident('孔奶奶', 'dongtai');
    await sendAt('2026-11-25T08:15', kong, '预约');
    await send(kong, '1');
    news(kong);
    const typeIt = '语音和图片这里看不了，请打字回复列表前面的数字，如 1。';
    // A voice, a try at typing, a voice: not two in a row, still asked to type.
    await deliver(() => kong.sendFile('voice-1.silk'));
    await send(kong, '9');
    await deliver(() => kong.sendFile('voice-2.silk'));
    expect(news(kong).map((m) => m.split('\n')[0])).toEqual([typeIt, '请回复列表前面的数字。', typeIt]);
    expect(await casesOf(h, '孔奶奶')).toEqual([]);

    // The second in a row: she is not made to type; the office listens to what she said.
    await deliver(() => kong.sendFile('voice-3.silk'));
    expect(news(kong)).toEqual([
      '不方便打字也没关系，这次预约先不办了。您的语音已转给办公室的同志，他们听了会联系您。',
      expect.stringMatching(/^已受理，编号 #\d+。\n由党政办/),
    ]);
    expect(await casesOf(h, '孔奶奶')).toMatchObject([{ department_id: 'dangzhengban', description: '[语音]\n[语音]' }]);
    expect(await bookingsOf('孔奶奶')).toEqual([]);
    // She is asked nothing more: a further voice goes to her case.
    await deliver(() => kong.sendFile('voice-4.silk'));
    expect(news(kong)).toEqual([]);
    expect(await casesOf(h, '孔奶奶')).toHaveLength(1);
  });

  it('leaves the address question for another department’s matter told there; her own service’s words and a place are the note', async () => {
    const book = async (name: string, service: string, when: string) => {
      const p = await resident(name, 'dongtai');
      for (const answer of ['预约', service, when]) await send(p, answer);
      expect(news(p).at(-1)).toMatch(/^好的，.*\n请回复上门的地址/);
      return p;
    };
    h.clock.set(t('2026-11-25T08:20'));
    const qi = await book('齐大爷', '1', '后天上午');
    await send(qi, '我家猪好几天不吃东西了');
    expect(news(qi)).toEqual(['已退出预约。需要时再发“预约”。', expect.stringMatching(/^已受理，编号 #\d+。\n由动物防疫站/)]);
    expect(await casesOf(h, '齐大爷')).toMatchObject([{ department_id: 'fangyizhan', description: '我家猪好几天不吃东西了' }]);

    for (const [name, service, when, note] of [['毛大妈', '2', '后天上午', '猪不吃食了'], ['祁大爷', '1', '后天下午', '移民新村5栋']] as const) {
      const p = await book(name, service, when);
      await send(p, note);
      expect(news(p), note).toEqual([expect.stringMatching(new RegExp(`^请确认预约：\\n[\\s\\S]*地点/备注：${note}\\n`))]);
      expect(await casesOf(h, name)).toEqual([]);
    }
  });
});

describe('an address that names another department’s place', () => {
  withHolders();

  it('keeps an address with 了 or 呢 in it as the address, though a place in it is another department’s word', async () => {
    h.clock.set(t('2026-11-25T08:30'));
    const addresses = [['戴大爷', '移民新村5栋，到了打电话'], ['邹大妈', '安置区过了桥第三家'], ['柏大爷', '安置区3栋，我天天在家呢']] as const;
    for (const [i, [name, address]] of addresses.entries()) {
      const p = await resident(name, 'dongtai');
      for (const answer of ['预约', '1', '下礼拜一', String(i + 1)]) await send(p, answer);
      expect(news(p).at(-1), address).toMatch(/^请回复上门的地址/);
      await send(p, address);
      expect(news(p), address).toEqual([expect.stringMatching(new RegExp(`^请确认预约：\\n[\\s\\S]*地点/备注：${address}\\n`))]);
      expect(await casesOf(h, name), address).toEqual([]);
    }
  });
});
