/**
 * A cadre in the field, one hand free: what he types in answer to a 【新案件】 before the
 * command's order ("收到，明天上午过去", "接单，明天去"). Sample township config; the SLA sweep
 * is off (hourly).
 *
 * 农技站: 贺建军 (area B: 东台村 …) holds the cases of 东台村.
 * 26 Nov 2026 is a Thursday.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Harness, Person } from '../support/harness.js';
import { chat, t } from '../support/chat.js';

let h: Harness;
const { useHarness, news, bind, resident, send, sendAt, openCase } = chat((started) => (h = started));

const caseStatus = async (number: number) =>
  (await h.query<{ status: string }>(`SELECT status FROM cases WHERE number = $1`, [number]))[0]!.status;

describe('the first answer to a 【新案件】', () => {
  useHarness();
  let he: Person;
  let wang: Person;

  beforeAll(async () => {
    he = await bind('c-he-jianjun');
    wang = await resident('王大妈', 'dongtai');
  });

  it('answers words sent while a case waits with the 接单 line that sends them; 接单 with words takes it and sends them', async () => {
    h.clock.set(t('2026-11-26T09:00'));
    const n = await openCase(wang, '我家秧苗发黄，是不是病虫害');
    news(he);

    await sendAt('2026-11-26T09:05', he, '收到，明天上午过去看看');
    expect(news(he)).toEqual([`这条没有转给群众：#${n}（王大妈）还没有接单。接单并转告群众请发：\n接单 ${n} 明天上午过去看看`]);
    await send(he, '在路上');
    expect(news(he)).toEqual([`这条没有转给群众：#${n}（王大妈）还没有接单。接单并转告群众请发：\n接单 ${n} 在路上`]);
    expect(news(wang)).toEqual([]);
    expect(await caseStatus(n)).toBe('assigned');

    await send(he, '接单，明天上午过去');
    expect(news(he)).toEqual([`已接单 #${n}（王大妈），并已转告群众。`]);
    expect(news(wang)).toEqual([
      `您的事项 #${n} 已由农技站贺建军接单，会尽快和您联系。`,
      `【农技站 贺建军】明天上午过去\n（#${n}，直接留言即可回复）`,
    ]);
    expect(await caseStatus(n)).toBe('accepted');
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
});
