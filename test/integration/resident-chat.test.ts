/**
 * A resident writing as an elderly villager does: asking how her open case stands ("咋样了", "有人管没"),
 * adding words over a day, thanking at the wrong moment, naming her crop as she calls it (稻子),
 * telling a second, different matter. What she reads stays short, and what her holder reads tells him what she asked.
 * Sample township config; the SLA sweep is off (hourly).
 *
 * 东台村: 防疫站 龙志勇, 农技站 贺建军. 26 Nov 2026 is a Thursday.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Harness, Person } from '../support/harness.js';
import { casesOf, chat, outcomesOf, t } from '../support/chat.js';

let h: Harness;
const { useHarness, news, bind, resident, contact, send, sendAt, sendPhoto, openCase } = chat((started) => (h = started));

/** The time the acknowledgement of a case says the holder will contact the resident by. */
const contactBy = (ack: string) => /预计 (.+?) 前联系您/.exec(ack)![1]!;

describe('a resident writing on while her case is open', () => {
  useHarness();
  let long: Person; // 防疫站, 东台村
  let he: Person; // 农技站, 东台村

  beforeAll(async () => {
    long = await bind('c-long-zhiyong');
    he = await bind('c-he-jianjun');
  });

  it('answers 咋样了, 进度, 有人管没 with where the case stands, and tells the holder she asked', async () => {
    const wang = await resident('王大妈', 'dongtai');
    h.clock.set(t('2026-11-26T09:00'));
    await send(wang, '俺家的猪不吃食了');
    const [ack] = news(wang);
    const n = Number(/#(\d+)/.exec(ack!)![1]);
    const by = contactBy(ack!);
    news(long);

    for (const [i, asked] of ['咋样了', '进度', '怎么样了', '有人管没', '到哪一步了'].entries()) {
      await sendAt(`2026-11-26T09:${String(10 + i).padStart(2, '0')}`, wang, asked);
      expect(news(wang), asked).toEqual([`#${n} 俺家的猪不吃食了\n  动物防疫站龙志勇 · 等待处理\n预计 ${by} 前联系您。已提醒龙志勇尽快回复您。`]);
      expect(news(long), asked).toEqual([`【#${n} 群众补充】东台村 王大妈：${asked}（在问进度）`]);
    }

    // Answered: where it stands, and no time any more.
    await sendAt('2026-11-26T09:30', long, `接单 ${n} 下午过去看看`);
    news(wang);
    news(long);
    await sendAt('2026-11-26T10:00', wang, `${n}咋样了？`);
    expect(news(wang)).toEqual([`#${n} 俺家的猪不吃食了\n  动物防疫站龙志勇 · 正在办理\n已提醒龙志勇尽快回复您。`]);
    expect(news(long)).toEqual([`【#${n} 群众补充】东台村 王大妈：${n}咋样了？（在问进度）`]);

    // Words that tell more than the question are passed on as words.
    await send(wang, '猪还是不吃食，咋样了');
    expect(news(wang)).toEqual([`收到，已转给负责 #${n} 的龙志勇。`]);
    expect(news(long)).toEqual([`【#${n} 群众补充】东台村 王大妈：猪还是不吃食，咋样了`]);
    expect((await outcomesOf(h, '王大妈')).slice(1)).toEqual(Array(7).fill('added-to-case'));
  });

  it('with two cases open, answers for the newest and points to 查询', async () => {
    const li = await resident('李奶奶', 'dongtai');
    h.clock.set(t('2026-11-26T11:00'));
    const pig = await openCase(li, '猪不吃食');
    h.clock.set(t('2026-11-26T11:01'));
    const rice = await openCase(li, '新问题 秧苗发黄是不是病虫害');
    news(long);
    news(he);
    await sendAt('2026-11-26T11:05', li, '有人管吗');
    const [answer] = news(li);
    expect(answer).toMatch(new RegExp(`^#${rice} 秧苗发黄是不是病虫害\\n  农技站贺建军 · 等待处理\\n预计 .+ 前联系您。已提醒贺建军尽快回复您。\\n您的全部事项请发“查询”。$`));
    expect(news(he)).toEqual([`【#${rice} 群众补充】东台村 李奶奶：有人管吗（在问进度）`]);
    // The older one asked by its number.
    await send(li, `${pig}号怎么样了`);
    expect(news(li)[0]).toMatch(new RegExp(`^#${pig} 猪不吃食\\n  动物防疫站龙志勇 · 等待处理\\n`));
    expect(news(long)).toHaveLength(1);
    // A number that is none of hers: said so, then all of hers, and no holder is told.
    await send(li, '1999咋样了');
    expect(news(li)).toEqual([expect.stringMatching(new RegExp(`^没有找到您编号为 #1999 的事项。\\n您的事项：\\n#${rice} 秧苗发黄是不是病虫害\\n`))]);
    expect([...news(long), ...news(he)]).toEqual([]);
  });

  it('answers her case number alone (1001, #1001, 1001号, 查询 1001) with where that case stands, and a number none of hers with her list', async () => {
    const tian = await resident('田大妈', 'dongtai');
    const neighbour = await resident('田家邻居', 'dongtai');
    h.clock.set(t('2026-11-27T09:00'));
    const done = await openCase(tian, '俺家的猪拉稀了');
    await sendAt('2026-11-27T09:05', long, `办结 ${done} 打过针了`);
    await sendAt('2026-11-27T09:06', tian, '1');
    const theirs = await openCase(neighbour, '秧苗发黄是不是病虫害');
    news(tian);
    news(long);
    news(he);
    const doneLine = `#${done} 俺家的猪拉稀了\n  动物防疫站龙志勇 · 已办完`;
    const doneAnswer = `${doneLine}\n如果还没办好，请直接说说情况，我们会转给负责的同志。`;

    // Nothing open: her case done says so, with how to say it is not; a number none of hers is not
    // taken for a matter (no department menu, no case), and another resident's case is never shown.
    for (const form of [`${done}`, `#${done}`, `${done}号`, `查询 ${done}`, `查询${done}`, `${done}怎么样了`]) {
      await send(tian, form);
      expect(news(tian), form).toEqual([doneAnswer]);
    }
    for (const [form, number] of [[`${theirs}`, theirs], [`#${theirs}`, theirs], [`查询 ${theirs}`, theirs], [`${theirs}怎么样了`, theirs], ['9999号', 9999]] as const) {
      await send(tian, form);
      expect(news(tian), form).toEqual([`没有找到您编号为 #${number} 的事项。\n您的事项：\n${doneLine}`]);
    }

    // Open: where it stands and by when she hears, as 查询 says it — her holder is not told.
    h.clock.set(t('2026-11-27T10:00'));
    const n = await openCase(tian, '猪又不吃食了');
    news(long);
    const line = `#${n} 猪又不吃食了\n  动物防疫站龙志勇 · 等待处理`;
    for (const form of [`${n}`, `＃${n}`, `${n}号`, `#${n}号。`, `查询 ${n}`, `查询${n}`]) {
      await send(tian, form);
      expect(news(tian), form).toEqual([expect.stringMatching(new RegExp(`^${line}\n预计 .+ 前联系您。$`))]);
    }
    expect(news(long)).toEqual([]);
    await send(tian, `查询 ${theirs}`);
    expect(news(tian)).toEqual([`没有找到您编号为 #${theirs} 的事项。\n您的事项：\n${line}\n${doneLine}`]);
    expect([...news(long), ...news(he), ...news(neighbour)]).toEqual([]);

    // A number alone that is none of hers while her case is open, or one that is plainly something else
    // (an amount, a phone number, a day), is her words for its holder, as before.
    for (const words of [`${theirs}`, '200', '13912345678', '3号']) {
      await send(tian, words);
      expect(news(long), words).toEqual([`【#${n} 群众补充】东台村 田大妈：${words}`]);
    }
    expect((await casesOf(h, '田大妈')).map((c) => c.number)).toEqual([done, n]);
    expect((await outcomesOf(h, '田大妈')).filter((o) => o === 'status-listed')).toHaveLength(18);
  });

  it('answers the number of her case whose rating is asked with the rating question again, which a rating then answers', async () => {
    const hu = await resident('胡大爷', 'dongtai');
    h.clock.set(t('2026-11-27T11:00'));
    const n = await openCase(hu, '俺家的猪咳嗽');
    await sendAt('2026-11-27T11:05', long, `办结 ${n} 打过针了`);
    news(hu);
    await send(hu, `#${n}`);
    expect(news(hu)).toEqual([`#${n} 俺家的猪咳嗽\n  动物防疫站龙志勇 · 已办完，等您评价\n请您评价：回复 1 满意，2 基本满意，3 不满意（可附上意见）。`]);
    await send(hu, '1');
    expect(news(hu)).toEqual(['谢谢您的评价！有事随时留言。']);

    // At the department menu of a matter she tells: answered, and the menu and her matter wait as they were.
    await send(hu, '我想反映个情况');
    expect(news(hu)[0]).toMatch(/^请问这件事找哪个部门？/);
    await send(hu, `查询${n}`);
    expect(news(hu)).toEqual([`#${n} 俺家的猪咳嗽\n  动物防疫站龙志勇 · 已办完\n如果还没办好，请直接说说情况，我们会转给负责的同志。`]);
    await send(hu, '9');
    expect(news(hu)[0]).toMatch(/^已受理，编号 #\d+。\n由城建办/);
    expect((await casesOf(h, '胡大爷')).at(-1)).toMatchObject({ department_id: 'chengjianban', description: '我想反映个情况' });
  });

  it('says by when the holder will be in touch when that is news: the first time, and after it changed', async () => {
    const zhao = await resident('赵大爷', 'dongtai');
    h.clock.set(t('2026-11-26T13:00'));
    const n = await openCase(zhao, '猪身上长了疙瘩');
    news(long);
    const forwarded = `收到，已转给负责 #${n} 的龙志勇。`;

    await sendAt('2026-11-26T13:10', zhao, '下午我都在家');
    const [first] = news(zhao);
    expect(first).toMatch(new RegExp(`^${forwarded}预计 .+ 前联系您。$`));
    await sendAt('2026-11-26T13:20', zhao, '门口有条狗，来之前打个电话');
    expect(news(zhao)).toEqual([forwarded]);
    await sendPhoto(zhao, 'pig.jpg');
    expect(news(zhao)).toEqual([forwarded]);

    // Given to another department: a new holder and a new time, said once more.
    await sendAt('2026-11-26T13:30', long, `转派 ${n} 农技站 是饲料的问题`);
    news(zhao);
    await sendAt('2026-11-26T13:40', zhao, '好的');
    const [again] = news(zhao);
    expect(again).toMatch(new RegExp(`^收到，已转给负责 #${n} 的贺建军。预计 .+ 前联系您。$`));
    expect(again).not.toContain(/预计 (.+) 前/.exec(first!)![1]);
    await sendAt('2026-11-26T13:45', zhao, '辛苦了');
    expect(news(zhao)).toEqual([`收到，已转给负责 #${n} 的贺建军。`]);
  });

  it('takes up 稻子叶子黄了 and 水稻叶子发黄 as the agronomist’s matters, not with the department menu', async () => {
    h.clock.set(t('2026-11-26T13:50'));
    for (const [name, text] of [['钱大妈', '俺家稻子叶子黄了 咋整'], ['吴大爷', '俺家水稻叶子发黄 是不是得病了'], ['郑大嫂', '我家麦子长虫了']] as const) {
      const p = await resident(name, 'dongtai');
      await send(p, text);
      expect(news(p)[0], text).toMatch(/^已受理，编号 #\d+。\n由农技站贺建军（农技员）负责/);
    }
  });

  it('answers 我的事怎么样了 with none of her cases open by where they stand, not with the department menu', async () => {
    const gu = await resident('顾大爷', 'dongtai');
    h.clock.set(t('2026-11-26T14:10'));
    const n = await openCase(gu, '俺家的猪不吃食');
    await sendAt('2026-11-26T14:20', long, `办结 ${n} 打过针了`);
    await sendAt('2026-11-26T14:30', gu, '1');
    news(gu);
    news(long);

    // Days later he asks again: his case is done, and he can say what is still wrong.
    for (const asked of ['我的事怎么样了', '有人管吗']) {
      await sendAt('2026-11-30T09:00', gu, asked);
      expect(news(gu), asked).toEqual([`您的事项：\n#${n} 俺家的猪不吃食\n  动物防疫站龙志勇 · 已办完\n如果还没办好，请直接说说情况，我们会转给负责的同志。`]);
    }
    expect(news(long)).toEqual([]);
    expect(await casesOf(h, '顾大爷')).toHaveLength(1);
    expect((await outcomesOf(h, '顾大爷')).slice(-2)).toEqual(['status-listed', 'status-listed']);

    // Someone with no case here may mean a matter told elsewhere (a phone call): it reaches a cadre.
    const feng = await resident('冯大妈', 'dongtai');
    await send(feng, '怎么还没人来');
    expect(await outcomesOf(h, '冯大妈')).toEqual(['asked-department']);
  });

  it('takes two matters of two departments told in one message (路灯坏了，还有低保的事) as two cases, not one menu', async () => {
    const ma = await resident('马大爷', 'dongtai');
    await sendAt('2026-11-26T14:40', ma, '路灯坏了，还有低保的事');
    const [told, first, second] = news(ma);
    expect(told).toBe('您说了两件事，我们分开登记了：');
    expect(first).toMatch(/^已受理，编号 #\d+。\n由城建办孔卫东/);
    expect(second).toMatch(/^已受理，编号 #\d+。\n由民政办朱艳萍/);
    expect(await casesOf(h, '马大爷')).toMatchObject([
      { department_id: 'chengjianban', description: '路灯坏了' },
      { department_id: 'minzhengban', description: '低保的事' },
    ]);
    // One matter in two clauses stays one case: 低保 is paid onto the 一卡通; 发烧 is the pig's.
    // Who she is (我是低保户) is no matter of its own: the one matter (住院报销) is asked with the menu, as before.
    const lu = await resident('鹿大妈', 'dongtai');
    await send(lu, '我是低保户，另外住院能报销多少');
    expect(news(lu)[0]).toMatch(/^请问这件事找哪个部门？[\s\S]*合医站/);
    expect(await casesOf(h, '鹿大妈')).toEqual([]);
    for (const [name, text, department] of [['牛大妈', '低保停了，还有一卡通也没钱', 'minzhengban'], ['羊大爷', '猪不吃食，还有点发烧', 'fangyizhan']] as const) {
      const p = await resident(name, 'dongtai');
      await send(p, text);
      expect(await casesOf(h, name), text).toMatchObject([{ department_id: department, description: text }]);
    }
  });

  it('tells the holder of the same matter told again after it was done which case came before', async () => {
    const lu = await resident('陆大爷', 'dongtai');
    h.clock.set(t('2026-11-26T14:50'));
    const first = await openCase(lu, '俺家的猪又拉稀了');
    await sendAt('2026-11-26T15:00', long, `办结 ${first} 打过针了`);
    await sendAt('2026-11-26T15:10', lu, '满意');
    news(lu);
    news(long);
    // A week later: the same department's matter again — a case of its own, and its holder knows of the first.
    h.clock.set(t('2026-12-03T09:00'));
    const again = await openCase(lu, '猪还是拉稀');
    const [notice] = news(long);
    expect(notice).toMatch(new RegExp(`^【新案件 #${again}】东台村 · 动物防疫站\n（此前同类事项 #${first}（俺家的猪又拉稀了）11月26日 由龙志勇办结，请留意是否没解决好）\n群众：陆大爷\n`));
    // Another department's matter has no such line.
    await send(lu, '新问题 秧苗发黄了');
    expect(news(he)[0]).toMatch(/^【新案件 #\d+】东台村 · 农技站\n群众：陆大爷\n/);
  });

  it('asks what a photo sent first is about before the department menu, and takes the words that follow', async () => {
    const xu = await resident('徐大爷', 'dongtai');
    h.clock.set(t('2026-11-26T15:20'));
    await sendPhoto(xu, 'pig.jpg');
    const [asked] = news(xu);
    expect(asked).toMatch(/^收到您的图片。请说说是什么事，打字或发语音都行；也可以回复数字选部门：\n1 农技站/);
    await send(xu, '猪身上起了红斑');
    expect(news(xu)[0]).toMatch(/^已受理，编号 #\d+。\n由动物防疫站龙志勇/);
    expect(await casesOf(h, '徐大爷')).toMatchObject([{ department_id: 'fangyizhan', description: '[图片]\n猪身上起了红斑' }]);
  });

  it('answers thanks or a greeting at the village question with a short nudge, not the menu, and keeps it out of the matter', async () => {
    const sun = contact('孙大娘');
    await sendAt('2026-11-26T14:00', sun, '俺家的猪不吃食');
    expect(news(sun)[0]).toMatch(/^您好！这里是东山办事处“连心”服务号，您的事我们记下了。\n请先告诉我们您是哪个村（社区）的，回复数字或名称：\n1 东山村\n/);
    const nudge = '请先告诉我们您是哪个村（社区）的，回复上面村名前面的数字就行，如 1。';
    await sendAt('2026-11-26T14:01', sun, '谢谢');
    expect(news(sun)).toEqual([`不客气！${nudge}`]);
    await sendAt('2026-11-26T14:02', sun, '好的好的');
    expect(news(sun)).toEqual([`好的。${nudge}`]);
    await sendAt('2026-11-26T14:03', sun, '在吗');
    expect(news(sun)).toEqual([`您好！${nudge}`]);
    // Words that are no answer still get the reminder that they are kept.
    await sendAt('2026-11-26T14:04', sun, '两天了');
    expect(news(sun)).toEqual(['您说的我们都记下了。还不知道您是哪个村（社区）的，请回复村名前面的数字，如 1。']);
    await sendAt('2026-11-26T14:05', sun, '东台村');
    expect(news(sun)[1]).toMatch(/^已受理，编号 #\d+。\n由动物防疫站龙志勇/);
    const [kase] = await casesOf(h, '孙大娘');
    expect(kase!.description).toBe('俺家的猪不吃食\n两天了');
    expect(await outcomesOf(h, '孙大娘')).toEqual(['asked-village', 'pleasantry', 'pleasantry', 'greeting', 'asked-village', 'village-registered']);
  });
});
