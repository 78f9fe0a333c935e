/**
 * A cadre's words to the resident of a visit (预约) — quoting its notice, `预约 101 …`, `回复 101 …` —
 * and her answer back within `photoFollowsMinutes` (30), which reaches him rather than opening a case.
 * Sample township: 贺建军 (农技站, area B: 东台村 …) holds the 田间技术指导 visits and the cases of
 * 东台村; 易春林 those of 先进村; 彭德明 heads 农技站. 27 Nov 2026 is a Friday.
 */
import { describe, expect, it } from 'vitest';
import type { Harness, Person } from '../support/harness.js';
import { casesOf, chat, outcomesOf, t } from '../support/chat.js';

let h: Harness;
const { useHarness, news, bind, resident, send, sendAt, sendPhoto, openCase } = chat((started) => (h = started));

/** `quoted` long-pressed, 引用, and `words` written: as wechaty-puppet-wechat4u gives it. */
const quoting = (quoted: string, words: string) => `「东山镇连心：${quoted}」\n- - - - - - - - - - - - - - -\n${words}`;

/**
 * `p` books 田间技术指导 on Mon 30 Nov at the first time left (from 27 Nov 08:00); returns its number,
 * the visit as she reads it framed ("田间技术指导：11月30日 周一 08:30–09:30，预约号 101") and the cadre's notice.
 */
async function book(p: Person, cadre: Person): Promise<{ number: number; visit: string; notice: string }> {
  h.clock.set(t('2026-11-27T08:00'));
  for (const answer of ['预约', '1', '2', '1', '1', '1']) await send(p, answer);
  const got = news(p).at(-1)!;
  const [, number, when] = /^预约成功，预约号 (\d+)。\n(.+) 田间技术指导，/.exec(got)!;
  const notice = news(cadre).find((m) => m.startsWith('【新预约'))!;
  return { number: Number(number), visit: `田间技术指导：${when}，预约号 ${number}`, notice };
}

/** The visit a message was recorded about, and what became of it. */
const recorded = (sourceMessageId: string) =>
  h.query<{ outcome: string; booking: number | null }>(
    `SELECT m.outcome, b.number AS booking FROM inbound_messages m LEFT JOIN bookings b ON b.id = m.booking_id WHERE m.source_message_id = $1`,
    [sourceMessageId],
  );

describe('a cadre’s words to a visit’s resident, and her answer', () => {
  useHarness();

  it('sends words quoting the visit’s notice, framed with the visit; her answer right after reaches him, not a new case', async () => {
    const he = await bind('c-he-jianjun');
    const sun = await resident('孙大姐', 'dongtai');
    const { number: n, visit, notice } = await book(sun, he);

    await sendAt('2026-11-30T08:10', he, quoting(notice, '路上堵了，晚半小时到'));
    expect(news(sun)).toEqual([`【农技站 贺建军】路上堵了，晚半小时到\n（您预约的${visit}）`]);
    expect(news(he)).toEqual([`已转告预约 ${n} 的群众孙大姐。`]);
    expect(await recorded(he.lastMessageId!)).toEqual([{ outcome: 'booking-words', booking: n }]);
    // A nod quoting lianxin's own notice is no words for her.
    await send(he, quoting(notice, '收到'));
    expect(news(sun)).toEqual([]);

    // Her answer, a photo, and words of his department's kind go to him; nothing is opened.
    await sendAt('2026-11-30T08:15', sun, '没事，我在地头等你，稻子倒伏了一片');
    const answered = news(he);
    expect(answered).toEqual([
      `【预约 ${n}】群众回复：没事，我在地头等你，稻子倒伏了一片\n11月30日 周一 08:30–09:30 田间技术指导 · 东台村 孙大姐\n引用这条即可回复群众。`,
    ]);
    expect(news(sun)).toEqual([`已转告贺建军（预约号 ${n}）。`]);
    expect(await recorded(sun.lastMessageId!)).toEqual([{ outcome: 'booking-answer', booking: n }]);
    await sendPhoto(sun, 'field.jpg');
    expect(news(he)).toEqual([
      `【预约 ${n}】群众发来图片，见下条\n11月30日 周一 08:30–09:30 田间技术指导 · 东台村 孙大姐\n引用这条即可回复群众。`,
      '[文件] field.jpg',
    ]);
    expect(news(sun)).toEqual([`已转告贺建军（预约号 ${n}）。`]);
    expect(await casesOf(h, '孙大姐')).toEqual([]);

    // He answers her answer by quoting it: a nod too, since it carries her words.
    await send(he, quoting(answered[0]!, '好的'));
    expect(news(sun)).toEqual([`【农技站 贺建军】好的\n（您预约的${visit}）`]);
    expect(news(he)).toEqual([`已转告预约 ${n} 的群众孙大姐。`]);

    // Another department's matter is a matter of its own, window or not.
    await sendAt('2026-11-30T08:20', sun, '还有我家低保卡丢了怎么办');
    expect(news(he)).toEqual([]);
    expect((await casesOf(h, '孙大姐')).map((c) => c.department_id)).toEqual(['minzhengban']);
  });

  it('passes her answer on while the rating of a case of hers is asked, which a clear rating still answers', async () => {
    const he = await bind('c-he-jianjun');
    const zhou = await resident('周大伯', 'dongtai');
    const { number: n, notice } = await book(zhou, he);
    h.clock.set(t('2026-11-27T10:00'));
    const kase = await openCase(zhou, '我家秧苗发黄，是不是病虫害');
    await send(he, `接单 ${kase}`);
    await send(he, `办结 ${kase} 已指导打药`);
    expect(news(zhou).at(-1)).toMatch(/满意/);
    news(he);

    await sendAt('2026-11-30T08:10', he, quoting(notice, '马上到'));
    news(zhou);
    news(he);
    await send(zhou, '好的');
    expect(news(he)[0]).toMatch(new RegExp(`^【预约 ${n}】群众回复：好的\n`));
    expect(news(zhou)).toEqual([`已转告贺建军（预约号 ${n}）。`]);
    await send(zhou, '1');
    expect(news(zhou)).toEqual(['谢谢您的评价！有事随时留言。']);
    expect(await h.query(`SELECT rating FROM cases WHERE number = $1`, [kase])).toEqual([{ rating: 'satisfied' }]);
  });

  it('tells her, answering at night, when he sees it: his words came before the quiet hours, and he is not up', async () => {
    const he = await bind('c-he-jianjun');
    const zheng = await resident('郑大娘', 'dongtai');
    const { number: n, notice } = await book(zheng, he);

    await sendAt('2026-11-29T21:45', he, quoting(notice, '明早八点半到，请在家等'));
    news(zheng);
    news(he);
    await sendAt('2026-11-29T22:05', zheng, '好的，我在家等你');
    expect(news(zheng)).toEqual([`已转告贺建军（预约号 ${n}）。现在是夜间休息时间，贺建军明早7点后会看到，请您放心。`]);
    expect(news(he)).toEqual([]);
    expect(await recorded(zheng.lastMessageId!)).toEqual([{ outcome: 'booking-answer', booking: n }]);
  });

  it('takes 回复 101 and 预约101 for a visit of his; after the window her words go where they would', async () => {
    const he = await bind('c-he-jianjun');
    const qian = await resident('钱大爷', 'dongtai');
    const booked = await book(qian, he);
    const n = booked.number;
    const visit = `（您预约的${booked.visit}）`;

    await sendAt('2026-11-30T09:00', he, `回复 ${n} 请先把牛圈好`);
    expect(news(qian)).toEqual([`【农技站 贺建军】请先把牛圈好\n${visit}`]);
    expect(news(he)).toEqual([`已转告预约 ${n} 的群众钱大爷。`]);
    await send(he, `预约${n} 十点前到`);
    expect(news(qian)).toEqual([`【农技站 贺建军】十点前到\n${visit}`]);
    news(he);
    // Without words, or with the example's: nothing goes.
    await send(he, `预约 ${n}`);
    expect(news(he)).toEqual(['“预约”的写法：预约 101 要转告群众的话\n发“帮助”查看全部指令。']);
    await send(he, `预约 ${n} 内容`);
    expect(news(he)).toEqual([`“内容”是示例里的字，这条没有发出。请在“预约 ${n}”后面写上要说的话再发。`]);
    expect(news(qian)).toEqual([]);

    // 31 minutes after his last words: her matter is taken up as any.
    await sendAt('2026-11-30T09:32', qian, '稻子倒伏了怎么办');
    expect(news(he)[0]).toMatch(/^【新案件 #\d+】/);
    expect(await outcomesOf(h, '钱大爷')).toContain('case-opened');
  });

  it('takes her answer quoting his words after the window to him while the visit takes words; another’s quote, or one long after, goes where it would', async () => {
    const he = await bind('c-he-jianjun');
    const feng = await resident('冯大嫂', 'dongtai');
    const neighbour = await resident('冯家邻居', 'dongtai');
    const { number: n, visit, notice } = await book(feng, he);
    const when = /^田间技术指导：(.+)，预约号/.exec(visit)![1];
    await sendAt('2026-11-30T08:10', he, quoting(notice, '路上堵了，晚半小时到'));
    const [words] = news(feng);
    news(he);

    // Seventy minutes on, long past the window: quoting his words, she answers him.
    await sendAt('2026-11-30T09:20', feng, quoting(words!, '好的，我在地头等你'));
    expect(news(he)).toEqual([`【预约 ${n}】群众回复：好的，我在地头等你\n${when} 田间技术指导 · 东台村 冯大嫂\n引用这条即可回复群众。`]);
    expect(news(feng)).toEqual([`已转告贺建军（预约号 ${n}）。`]);
    expect(await recorded(feng.lastMessageId!)).toEqual([{ outcome: 'booking-answer', booking: n }]);

    // Someone else quoting it (forwarded to her) writes about her own matter.
    await send(neighbour, quoting(words!, '稻子倒伏了怎么办'));
    expect(news(he)).toEqual([expect.stringMatching(/^【新案件 #\d+】东台村 · 农技站\n群众：冯家邻居\n/)]);

    // Days after the visit was done, it takes no more words: hers are a matter of her own.
    await sendAt('2026-11-30T17:10', he, `完成 ${n} 已指导施肥`);
    news(feng);
    news(he);
    await sendAt('2026-12-04T09:00', feng, quoting(words!, '稻子又倒伏了'));
    expect(news(he)).toEqual([expect.stringMatching(/^【新案件 #\d+】东台村 · 农技站\n群众：冯大嫂\n/)]);
    expect(await outcomesOf(h, '冯大嫂')).toContain('case-opened');
  });

  it('gives a cadre who leads his words with his visit’s number (101 路上堵了) the 预约 line to send, and sends nothing', async () => {
    const he = await bind('c-he-jianjun');
    const yi = await bind('c-yi-chunlin');
    const jiang = await resident('蒋大妈', 'dongtai');
    const { number: n } = await book(jiang, he);
    news(jiang);

    await sendAt('2026-11-30T08:00', he, `${n} 路上堵了，晚半小时到`);
    expect(news(he)).toEqual([`这条没有转给群众。要转告预约 ${n} 的群众，请发：\n预约 ${n} 路上堵了，晚半小时到\n发“帮助”查看全部指令。`]);
    await send(he, `${n}号明天上午到`);
    expect(news(he)).toEqual([`这条没有转给群众。要转告预约 ${n} 的群众，请发：\n预约 ${n} 明天上午到\n发“帮助”查看全部指令。`]);
    expect(news(jiang)).toEqual([]);
    // Not his visit: no line to write to its resident.
    await send(yi, `${n} 路上堵了`);
    expect(news(yi)[0]).not.toContain(`预约 ${n} 路上堵了`);
  });

  it('refuses someone else’s visit, lets the head write to it (its cadre reads what was said), and sends nothing to one long done', async () => {
    const he = await bind('c-he-jianjun');
    const yi = await bind('c-yi-chunlin');
    const peng = await bind('c-peng-deming');
    const wu = await resident('吴叔', 'dongtai');
    const { number: n, visit } = await book(wu, he);

    await sendAt('2026-11-30T08:00', yi, `回复 ${n} 我下午过去`);
    expect(news(yi)).toEqual([`预约 ${n} 不由您负责，这条没有转给群众。如需调整，请联系部门负责人或办公室。`]);
    await send(yi, `预约 ${n} 我下午过去`);
    expect(news(yi)).toEqual([`预约 ${n} 不由您负责，这条没有转给群众。如需调整，请联系部门负责人或办公室。`]);
    expect(news(wu)).toEqual([]);

    await send(peng, `预约 ${n} 贺建军今天有事，我来`);
    expect(news(wu)).toEqual([`【农技站 彭德明】贺建军今天有事，我来\n（您预约的${visit}）`]);
    expect(news(peng)).toEqual([`已转告预约 ${n} 的群众吴叔，负责的贺建军也会收到这条。`]);
    expect(news(he)).toEqual([`【预约 ${n}】彭德明已转告群众吴叔：贺建军今天有事，我来`]);

    await sendAt('2026-11-30T17:10', he, `完成 ${n} 已指导施肥`);
    news(wu);
    // The next day it still takes words; four days on, it is long done.
    await sendAt('2026-12-01T09:00', he, `回复 ${n} 肥料买到了吗`);
    expect(news(wu)).toHaveLength(1);
    expect(news(he)).toEqual([`预约 ${n} 已完成。`, `已转告预约 ${n} 的群众吴叔。`]);
    await sendAt('2026-12-04T09:00', he, `回复 ${n} 长势怎么样`);
    expect(news(he)).toEqual([`预约 ${n} 已经办完了，这条没有转给群众。`]);
    expect(news(wu)).toEqual([]);
  });
});

describe('a case and a visit with the same number', () => {
  useHarness();

  it('never sends to the wrong resident: a case and a visit both his are asked about; # names the case, 预约 the visit', async () => {
    const he = await bind('c-he-jianjun');
    const yi = await bind('c-yi-chunlin');
    const peng = await bind('c-peng-deming');
    const wang = await resident('王大妈', 'dongtai');
    const zhao = await resident('赵大爷', 'xianjin');
    const sun = await resident('孙大姐', 'dongtai');
    const li = await resident('李婶', 'dongtai');
    h.clock.set(t('2026-11-27T07:50'));
    const mine = await openCase(wang, '我家秧苗发黄，是不是病虫害');
    await send(he, `接单 ${mine}`);
    const others = await openCase(zhao, '稻子倒伏了怎么办');
    news(yi);
    // Bookings numbered as the cases are (after some 900 visits, they meet).
    await h.query(`SELECT setval('booking_number_seq', $1, false)`, [mine]);
    const first = await book(sun, he);
    const second = await book(li, he);
    expect([first.number, second.number]).toEqual([mine, others]);
    news(wang);
    news(he);

    await sendAt('2026-11-30T08:00', he, `回复 ${mine} 路上堵了，晚半小时到`);
    expect(news(he)).toEqual([
      `${mine} 既是案件 #${mine}（王大妈），也是您的预约 ${mine}（孙大姐），这条还没有发出。\n` +
        `转告案件的群众请发：回复 #${mine} 路上堵了，晚半小时到\n转告预约的群众请发：预约 ${mine} 路上堵了，晚半小时到`,
    ]);
    expect([news(wang), news(sun)]).toEqual([[], []]);

    await send(he, `回复 #${mine} 明天上午过去看看`);
    expect(news(wang)).toEqual([`【农技站 贺建军】明天上午过去看看\n（#${mine}，直接留言即可回复）`]);
    expect(news(sun)).toEqual([]);
    await send(he, `预约 ${mine} 路上堵了，晚半小时到`);
    expect(news(sun)[0]).toMatch(/^【农技站 贺建军】路上堵了，晚半小时到\n（您预约的/);
    expect(news(wang)).toEqual([]);
    // Quoting the visit's notice, its number is the visit's.
    await send(he, quoting(first.notice, `回复 ${mine} 到村口了`));
    expect(news(sun)[0]).toMatch(/^【农技站 贺建军】到村口了\n/);
    expect(news(wang)).toEqual([]);

    // #others is 易春林's case, the visit with its number 贺建军's: each reaches his own resident.
    await send(he, `回复 ${others} 十点到`);
    expect(news(li)[0]).toMatch(/^【农技站 贺建军】十点到\n（您预约的/);
    expect(news(zhao)).toEqual([]);
    await send(yi, `回复 ${others} 下午过去`);
    expect(news(zhao)[0]).toMatch(/^【农技站 易春林】下午过去\n/);
    expect(news(li)).toEqual([]);
    // The head holds no visit: the number is the case he may act on, as before.
    await send(peng, `回复 ${mine} 已安排`);
    expect(news(wang)[0]).toMatch(/^【农技站 彭德明】已安排\n/);
    expect(news(sun)).toEqual([]);

    // The case goes on to 易春林: 贺建军, not told yet, still writes to "his" case — its resident's words
    // are not for the resident of his visit with that number. He hears where the case went.
    await send(peng, `派单 ${mine} 易春林`);
    for (const p of [he, yi, peng, wang]) news(p);
    await send(he, `回复 ${mine} 明天上午过去看看`);
    expect(news(sun)).toEqual([]);
    expect(news(wang)).toEqual([]);
    expect(news(he)).toEqual([`这条没有转给群众。#${mine} 已改由易春林负责，您无需再办理。`]);
  });
});
