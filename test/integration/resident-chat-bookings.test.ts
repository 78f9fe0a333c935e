/**
 * An elderly resident writing as she sees others write: `回复1001 …` copied from a cadre's form
 * reaches her case without the prefix.
 * Sample township config; the SLA sweep is off (hourly).
 *
 * 东台村: 防疫站 龙志勇, 农技站 贺建军. 25 Nov 2026 is a Wednesday.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Harness, Person } from '../support/harness.js';
import { chat, t } from '../support/chat.js';

let h: Harness;
const { useHarness, news, bind, resident, send, sendAt, openCase } = chat((started) => (h = started));

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

  it('takes 回复1001 满意 at the rating question as her rating', async () => {
    const zhao = await resident('赵大爷', 'dongtai');
    h.clock.set(t('2026-11-25T11:00'));
    const n = await openCase(zhao, '猪身上长了疙瘩');
    await send(long, `办结 ${n} 已上门打针`);
    news(zhao);
    news(long);
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
