/**
 * An elderly villager as she writes, and a daughter who books for her parents: her group by its
 * name (新庄组, 上湾组) after her village or alone; 几点来, 技术员在哪 once a visit is booked; a visit
 * changed from another WeChat; 还没修好 days after her case was done. Sample
 * township config; the SLA sweep is off (hourly).
 *
 * 东台村: 城建办 孔卫东, 农技站 贺建军 (田间技术指导). 26 Nov 2026 is a Thursday.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Harness, Person } from '../support/harness.js';
import { casesOf, chat, outcomesOf, t } from '../support/chat.js';

let h: Harness;
const { useHarness, news, bind, resident, contact, send, sendAt, openCase } = chat((started) => (h = started));

const registeredDongtai = '好的，已登记您是东台村的。不对的话，请告诉我们，如“我是东山村的”。';
const greeting = '您好！有什么事请直接说，打字、发语音或照片都可以，我们会转给负责的同志。';

describe('a village said with her group by its name', () => {
  useHarness();

  it('registers 我是东台村新庄组的, 东台上湾组 and 我住东台村上湾组 as 东台村, with the matter said after it taken up', async () => {
    h.clock.set(t('2026-11-26T09:00'));
    for (const [name, said] of [['甲', '我是东台村新庄组的'], ['乙', '东台上湾组'], ['丙', '我住东台村上湾组']] as const) {
      const p = contact(name);
      await send(p, said);
      expect(news(p), said).toEqual([registeredDongtai, greeting]);
    }
    const ding = contact('丁');
    await send(ding, '我东台村新庄组的 路灯坏了三天了');
    const [registered, ack] = news(ding);
    expect(registered).toBe(registeredDongtai);
    expect(ack).toMatch(/^已受理，编号 #\d+。\n由城建办孔卫东/);
    expect(await casesOf(h, '丁')).toMatchObject([{ department_id: 'chengjianban', description: '我东台村新庄组的 路灯坏了三天了' }]);
    // A correction names the group too.
    await send(ding, '我是东胜村上湾组的');
    expect(news(ding)[0]).toBe('好的，已改为东胜村。以后您反映的事，会转给负责东胜村的同志。');
    expect(await h.query(`SELECT name, village_id FROM residents WHERE name IN ('甲', '乙', '丙', '丁') ORDER BY id`)).toEqual([
      { name: '甲', village_id: 'dongtai' },
      { name: '乙', village_id: 'dongtai' },
      { name: '丙', village_id: 'dongtai' },
      { name: '丁', village_id: 'dongsheng' },
    ]);
  });

  it('registers 东台村的, 东台的, 东台村人, 我们是东台村的 in a first message, without 我是 only as a clause of its own', async () => {
    h.clock.set(t('2026-11-26T09:30'));
    for (const [i, said] of ['东台村的', '东台的', '东台村人', '我们是东台村的', '俺们东台的'].entries()) {
      const p = contact(`己${i}`);
      await send(p, said);
      expect(news(p), said).toEqual([registeredDongtai, greeting]);
    }
    const geng = contact('庚');
    await send(geng, '东台村的，路灯坏了');
    expect(news(geng)).toEqual([registeredDongtai, expect.stringMatching(/^已受理，编号 #\d+。\n由城建办孔卫东/)]);
    // Whose street light, maybe: asked.
    const xin = contact('辛');
    await send(xin, '城东村的 路灯坏了');
    expect(news(xin)[0]).toMatch(/^您好！这里是东山办事处“连心”服务号，您的事我们记下了。\n请先告诉我们您是哪个村/);
  });

  it('asks the village after 俺是上湾组的 without saying her matter is noted, and takes it for no matter once she answers', async () => {
    h.clock.set(t('2026-11-26T10:00'));
    const p = contact('戊');
    await send(p, '俺是上湾组的');
    const [asked] = news(p);
    expect(asked).toMatch(/^您好！这里是东山办事处“连心”服务号。\n请先告诉我们您是哪个村（社区）的/);
    await send(p, '7');
    expect(news(p)).toEqual([registeredDongtai, greeting]);
    expect(await casesOf(h, '戊')).toEqual([]);
    expect(await h.query(`SELECT dialog FROM residents WHERE name = '戊'`)).toEqual([{ dialog: null }]);
  });
});

describe('asking after a booked visit in her own words', () => {
  useHarness();
  let he: Person;
  beforeAll(async () => {
    he = await bind('c-he-jianjun');
  });

  /** `p` books tomorrow morning's 田间技术指导 at `address`; returns the booking number. */
  async function book(p: Person, address: string): Promise<number> {
    await send(p, '想预约明天上午请农技站的人来看看');
    await send(p, address);
    await send(p, '1');
    const booked = news(p).at(-1)!;
    expect(booked).toMatch(/^预约成功，预约号 \d+。/);
    news(he);
    return Number(/预约号 (\d+)/.exec(booked)![1]);
  }

  it('answers 几点来, 技术员在哪 with her visit, not with the department menu, and a change of time still moves it', async () => {
    const fang = await resident('小芳', 'dongtai');
    h.clock.set(t('2026-11-25T19:00'));
    const n = await book(fang, '东台村新庄组 王建国家，到了打我爸电话13900002222');
    const visit = `您的预约：\n${n} 11月26日 周四 08:30–09:30 田间技术指导（贺建军）`;
    for (const asked of ['几点来', '技术员在哪？', '你们明天几点到啊', '我约的技术员几点来']) {
      await sendAt('2026-11-25T20:00', fang, asked);
      expect(news(fang), asked).toEqual([visit]);
    }
    expect(await casesOf(h, '小芳')).toEqual([]);
    expect(news(he)).toEqual([]);
    // Nothing stands in the way of moving it.
    await sendAt('2026-11-25T20:05', fang, '改到明天下午');
    expect(news(fang)[0]).toMatch(new RegExp(`^为预约 ${n} 改时间`));
  });

  it('tells her daughter writing from her own WeChat that the visit is changed from the WeChat that booked it, with no village question or menu for it', async () => {
    h.clock.set(t('2026-11-25T18:00'));
    const mother = await resident('赵奶奶', 'dongtai');
    const n = await book(mother, '1');
    // A new contact: the words are answered at once, and are no matter of hers.
    const daughter = contact('赵家女儿');
    await sendAt('2026-11-25T18:30', daughter, `取消预约 ${n}`);
    expect(news(daughter)).toEqual([`预约 ${n} 不是用这个微信约的，这里取消不了。请用约的那个微信发“取消预约 ${n}”。`]);
    await send(daughter, '东台村');
    expect(news(daughter)).toEqual([registeredDongtai, greeting]);
    await send(daughter, `改约 ${n}`);
    expect(news(daughter)).toEqual([`预约 ${n} 不是用这个微信约的，这里改不了。请用约的那个微信发“改约 ${n}”。`]);
    expect(await casesOf(h, '赵家女儿')).toEqual([]);
    expect(await h.query(`SELECT status FROM bookings WHERE number = $1`, [n])).toEqual([{ status: 'booked' }]);
    // At the village question too.
    const son = contact('赵家儿子');
    await send(son, '你好');
    news(son);
    await send(son, `取消预约 ${n}`);
    expect(news(son)).toEqual([`预约 ${n} 不是用这个微信约的，这里取消不了。请用约的那个微信发“取消预约 ${n}”。`]);
    await send(son, '7');
    expect(news(son)).toEqual([registeredDongtai, greeting]);
    // Her own WeChat cancels it.
    await send(mother, `取消预约 ${n}`);
    expect(news(mother)[0]).toContain(`${n}`);
    expect(await h.query(`SELECT status FROM bookings WHERE number = $1`, [n])).toEqual([{ status: 'cancelled' }]);
  });

  it('tells the cadre she is waiting when she asks 怎么还没来 about a visit due now, and tells her so', async () => {
    const qian = await resident('钱奶奶', 'dongtai');
    await sendAt('2026-11-27T09:00', qian, '想预约今天下午请农技站的人来看看');
    await send(qian, '东台村新庄组 钱家，门口有棵大樟树');
    await send(qian, '1');
    const n = Number(/预约号 (\d+)/.exec(news(qian).at(-1)!)![1]);
    news(he);
    const waiting = `已告诉贺建军您在等（今天 14:30–15:30 田间技术指导，预约号 ${n}），请稍等。`;
    const told = (words: string) =>
      `【预约 ${n}】群众在等：${words}\n11月27日 周五 14:30–15:30 田间技术指导 · 东台村 钱奶奶\n地点/备注：东台村新庄组 钱家，门口有棵大樟树\n请尽快和群众联系。`;
    // Half an hour before: it may be on its way.
    await sendAt('2026-11-27T14:00', qian, '几点来');
    expect(news(qian)).toEqual([waiting]);
    expect(news(he)).toEqual([told('几点来')]);
    // The slot over and nobody closed it: still waited for.
    await sendAt('2026-11-27T16:00', qian, '技术员怎么还没到啊');
    expect(news(qian)).toEqual([waiting]);
    expect(news(he)).toEqual([told('技术员怎么还没到啊')]);
    expect(await casesOf(h, '钱奶奶')).toEqual([]);
    // Done: words as any.
    await send(he, `完成 ${n} 看过了`);
    news(he);
    await sendAt('2026-11-27T16:30', qian, '怎么还没来');
    expect(news(he)).toEqual([]);
  });

  it('leaves 几点来 to her case’s holder when a case is open, and to the menu when she has no booking', async () => {
    h.clock.set(t('2026-11-25T19:10'));
    const wang = await resident('王大妈', 'dongtai');
    await book(wang, '1');
    const rice = await openCase(wang, '秧苗发黄了');
    news(he);
    await sendAt('2026-11-25T19:20', wang, '几点来');
    expect(news(wang)).toEqual([`收到，已转给负责 #${rice} 的贺建军。预计 11月26日 15:00 前联系您。`]);
    expect(news(he)).toEqual([`【#${rice} 群众补充】东台村 王大妈：几点来`]);
    const li = await resident('李大爷', 'dongtai');
    await send(li, '几点来');
    expect(await outcomesOf(h, '李大爷')).toEqual(['asked-department']);
  });
});

describe('writing again days after her case was done', () => {
  useHarness();
  let kong: Person;
  beforeAll(async () => {
    kong = await bind('c-kong-weidong');
  });

  /** `p`'s street-light case, done by 孔卫东 and rated 满意 (or left unrated); returns its number. */
  async function doneCase(p: Person, rate: boolean): Promise<number> {
    const n = await openCase(p, '路灯坏了');
    await send(kong, `办结 ${n} 已换灯泡`);
    if (rate) await send(p, '1');
    news(p);
    news(kong);
    return n;
  }

  it('offers the department of the case done first when she says 还没修好, and gives it back to them on 1', async () => {
    const wang = await resident('王奶奶', 'dongtai');
    h.clock.set(t('2026-11-26T09:00'));
    const n = await doneCase(wang, true);
    await sendAt('2026-11-28T19:00', wang, '还没修好');
    const [menu] = news(wang);
    expect(menu).toMatch(new RegExp(`^您说的是 #${n}（路灯坏了）这件事吗？是的话回复 1，交给城建办；不是的话请回复下面部门前面的数字：\\n1 城建办（拆迁安置、道路路灯）\\n2 农技站`));
    await sendAt('2026-11-30T09:00', wang, '1');
    expect(news(wang)[0]).toMatch(/^已受理，编号 #\d+。\n由城建办孔卫东/);
    expect(news(kong)[0]).toContain(`（此前同类事项 #${n}（路灯坏了）11月26日 由孔卫东办结，请留意是否没解决好）`);
    expect((await casesOf(h, '王奶奶')).map((c) => c.department_id)).toEqual(['chengjianban', 'chengjianban']);
  });

  it('does the same for 灯又坏了 after a case nobody rated, and keeps the plain menu for other words or an old case', async () => {
    const li = await resident('李奶奶', 'dongtai');
    h.clock.set(t('2026-11-26T10:00'));
    const n = await doneCase(li, false);
    // Three days without an answer close it (未回访).
    h.clock.set(t('2026-11-30T10:00'));
    await h.app.worker!.sweep();
    await h.settle();
    expect(await h.query(`SELECT status FROM cases WHERE number = $1`, [n])).toEqual([{ status: 'closed' }]);
    news(li);
    await sendAt('2026-12-03T09:00', li, '灯又坏了');
    expect(news(li)[0]).toMatch(new RegExp(`^您说的是 #${n}（路灯坏了）这件事吗？`));
    // Words that do not say it is back, or a case done over 30 days before: the menu as for any matter.
    const qian = await resident('钱大爷', 'dongtai');
    const zhao = await resident('赵大爷', 'dongtai');
    h.clock.set(t('2026-12-03T10:00'));
    await doneCase(qian, true);
    await doneCase(zhao, true);
    await sendAt('2026-12-04T09:00', qian, '我家门口那个');
    expect(news(qian)[0]).toMatch(/^请问这件事找哪个部门？/);
    await sendAt('2027-01-10T09:00', zhao, '还是不行');
    expect(news(zhao)[0]).toMatch(/^请问这件事找哪个部门？/);
  });
});

describe('writing on a day off', () => {
  useHarness();

  it('says why the answer is days away on a holiday or a weekend, and nothing more when it comes the same day', async () => {
    const a = await resident('国庆写', 'dongtai');
    await sendAt('2026-10-02T10:00', a, '路灯坏了');
    expect(news(a)[0]).toMatch(/^已受理，编号 #\d+。\n由城建办雷振华（城建办主任）负责，正值国庆节假期，预计 10月9日 10:00 前联系您。\n有补充请直接留言。$/);
    const b = await resident('周六写', 'dongtai');
    await sendAt('2026-11-28T10:00', b, '路灯坏了');
    expect(news(b)[0]).toMatch(/负责，今天是周末，预计 12月1日 10:00 前联系您。\n/);
    // A working day, or an urgent case answered by the clock on the holiday itself: as before.
    const c = await resident('周四写', 'dongtai');
    await sendAt('2026-11-26T10:00', c, '路灯坏了');
    expect(news(c)[0]).toMatch(/负责，预计 11月27日 \d\d:\d\d 前联系您。\n/);
    const d = await resident('国庆急', 'dongtai');
    await sendAt('2026-10-02T10:00', d, '猪病死了好几头');
    expect(news(d)[0]).toMatch(/负责，预计 10月2日 \d\d:\d\d 前联系您。\n/);
  });
});

describe('a score at the rating question', () => {
  useHarness();

  it('answers 5, 五星, 100分 with the three answers, and passes nothing to the holder', async () => {
    const kong = await bind('c-kong-weidong');
    const p = await resident('打分的', 'dongtai');
    h.clock.set(t('2026-11-26T09:00'));
    const n = await openCase(p, '路灯坏了');
    await send(kong, `办结 ${n} 已换灯泡`);
    news(p);
    news(kong);
    for (const score of ['5', '五星', '100分', '5星好评']) {
      await send(p, score);
      expect(news(p), score).toEqual([`评价只用 1、2、3 就行：#${n} 满意回复 1，基本满意回复 2，不满意回复 3。`]);
    }
    expect(news(kong)).toEqual([]);
    await send(p, '1');
    expect(news(p)).toEqual(['谢谢您的评价！有事随时留言。']);
    expect(news(kong)).toEqual([`#${n} 群众评价：满意`]);
  });
});
