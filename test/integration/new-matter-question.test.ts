/**
 * Another department's matter told while a case is open ("我家稻子倒伏了怎么办" during the pig case):
 * the resident is asked once whether it is a new matter. 1 makes it a case of its own, 2 — or any
 * other message, or no answer within `newMatterQuestionMinutes` (10) — adds it to the open case.
 * Words that read as about the open case are added at once, as before.
 *
 * 东台村: 防疫站 龙志勇, 农技站 贺建军. 26 Nov 2026 is a Thursday.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Harness, Person } from '../support/harness.js';
import { casesOf, chat, t } from '../support/chat.js';

let h: Harness;
const { useHarness, news, bind, resident, send, openCase } = chat((started) => (h = started));

const question = (pig: number) => `请问这是一件新的事，还是 #${pig}（猪不吃食）的补充？\n回复 1：新的事，交给农技站\n回复 2：补充到 #${pig}`;

/** Her message with these words: its outcome and the case it belongs to. */
const row = async (name: string, text: string) =>
  (
    await h.query<{ outcome: string; number: number | null }>(
      `SELECT m.outcome, c.number FROM inbound_messages m JOIN residents r ON r.id = m.resident_id LEFT JOIN cases c ON c.id = m.case_id
        WHERE r.name = $1 AND m.text = $2`,
      [name, text],
    )
  )[0];

describe('another department’s matter told while a case is open', () => {
  useHarness();
  let long: Person; // 防疫站, 东台村
  let he: Person; // 农技站, 东台村

  beforeAll(async () => {
    long = await bind('c-long-zhiyong');
    he = await bind('c-he-jianjun');
  });

  /** A resident of 东台村 with the pig case open, who then writes about her rice; returns the pig case. */
  const askedAboutRice = async (name: string, at: string): Promise<{ p: Person; pig: number }> => {
    const p = await resident(name, 'dongtai');
    h.clock.set(t(at));
    const pig = await openCase(p, '猪不吃食');
    news(long);
    await send(p, '我家稻子倒伏了怎么办');
    expect(news(p)).toEqual([question(pig)]);
    expect([...news(long), ...news(he)]).toEqual([]);
    return { p, pig };
  };

  it('asks, keeps her words meanwhile, and makes them a 农技站 case on 1', async () => {
    const { p, pig } = await askedAboutRice('冯大妈', '2026-11-26T09:00');
    expect(await row('冯大妈', '我家稻子倒伏了怎么办')).toEqual({ outcome: 'asked-new-matter', number: null });

    await send(p, '1');
    const [ack] = news(p);
    expect(ack).toMatch(/^已受理，编号 #\d+。\n由农技站贺建军（农技员）负责/);
    const rice = Number(/#(\d+)/.exec(ack!)![1]);
    expect(news(he)[0]).toMatch(new RegExp(`^【新案件 #${rice}】东台村 · 农技站\\n群众：冯大妈\\n内容：我家稻子倒伏了怎么办\\n`));
    expect(news(long)).toEqual([]);
    expect(await casesOf(h, '冯大妈')).toEqual([
      { number: pig, department_id: 'fangyizhan', description: '猪不吃食' },
      { number: rice, department_id: 'nongjizhan', description: '我家稻子倒伏了怎么办' },
    ]);
    expect(await row('冯大妈', '我家稻子倒伏了怎么办')).toEqual({ outcome: 'asked-new-matter', number: rice });
  });

  it('adds her words to the open case on 2', async () => {
    const { p, pig } = await askedAboutRice('褚大爷', '2026-11-26T10:00');
    await send(p, '2');
    expect(news(p)).toEqual([expect.stringMatching(new RegExp(`^收到，已转给负责 #${pig} 的龙志勇。`))]);
    expect(news(long)).toEqual([`【#${pig} 群众补充】东台村 褚大爷：我家稻子倒伏了怎么办`]);
    expect(news(he)).toEqual([]);
    expect((await casesOf(h, '褚大爷')).map((c) => c.number)).toEqual([pig]);
    expect(await row('褚大爷', '我家稻子倒伏了怎么办')).toEqual({ outcome: 'asked-new-matter', number: pig });
  });

  it('adds her words to the open case when nobody answers within newMatterQuestionMinutes', async () => {
    const { p, pig } = await askedAboutRice('卫大娘', '2026-11-26T11:00');
    h.clock.set(t('2026-11-26T11:09'));
    await h.app.worker!.sweep();
    await h.settle();
    // (The sweep also moves the earlier tests' cases nobody took: not hers.)
    const hers = () => news(long).filter((m) => m.includes('卫大娘'));
    expect([...news(p), ...hers()]).toEqual([]);

    h.clock.set(t('2026-11-26T11:11'));
    await h.app.worker!.sweep();
    await h.settle();
    expect(news(p)).toEqual([expect.stringMatching(new RegExp(`^收到，已转给负责 #${pig} 的龙志勇。`))]);
    expect(hers()).toEqual([`【#${pig} 群众补充】东台村 卫大娘：我家稻子倒伏了怎么办`]);
    expect((await casesOf(h, '卫大娘')).map((c) => c.number)).toEqual([pig]);
    // The question is gone: a late "1" is words for the holder, like any other.
    await send(p, '1');
    expect(hers()).toEqual([`【#${pig} 群众补充】东台村 卫大娘：1`]);
    expect((await casesOf(h, '卫大娘')).map((c) => c.number)).toEqual([pig]);
  });

  it('takes another message as the answer 2, then that message as it comes; nothing is lost or doubled', async () => {
    const { p, pig } = await askedAboutRice('蒋大妈', '2026-11-26T13:00');
    await send(p, '倒了好几亩');
    const forwarded = new RegExp(`^收到，已转给负责 #${pig} 的龙志勇。`);
    expect(news(p)).toEqual([expect.stringMatching(forwarded), expect.stringMatching(forwarded)]);
    expect(news(long)).toEqual([`【#${pig} 群众补充】东台村 蒋大妈：我家稻子倒伏了怎么办`, `【#${pig} 群众补充】东台村 蒋大妈：倒了好几亩`]);
    expect(
      await h.count(
        `SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.number = $1 AND e.type = 'resident-message'`,
        [pig],
      ),
    ).toBe(2);
    // Asked again for the next such matter, and 2 after the question lapsed is no answer.
    await send(p, '我家稻子倒伏了怎么办');
    expect(news(p)).toEqual([question(pig)]);
    h.clock.set(t('2026-11-26T13:30'));
    await send(p, '2');
    expect(news(long)).toEqual([`【#${pig} 群众补充】东台村 蒋大妈：我家稻子倒伏了怎么办`, `【#${pig} 群众补充】东台村 蒋大妈：2`]);
    expect((await casesOf(h, '蒋大妈')).map((c) => c.number)).toEqual([pig]);
  });

  it('keeps more of the same matter typed before she answered with it, and takes 新的 as 1', async () => {
    const { p } = await askedAboutRice('卫大娘', '2026-11-26T13:40');
    await send(p, '稻子叶子也黄了');
    expect(news(p)).toEqual(['收到，都记下了。请回复 1（新的事）或 2（补充到原来的事）。']);
    await send(p, '新的');
    expect(news(p)[0]).toMatch(/^已受理，编号 #\d+。\n由农技站贺建军/);
    expect(news(he)[0]).toContain('我家稻子倒伏了怎么办\n稻子叶子也黄了');
    expect((await casesOf(h, '卫大娘')).at(-1)).toMatchObject({ department_id: 'nongjizhan', description: '我家稻子倒伏了怎么办\n稻子叶子也黄了' });
    expect(news(long)).toEqual([]);
  });

  it('makes her words a case of their own when the case asked about was closed before she answered', async () => {
    const { p, pig } = await askedAboutRice('尤大爷', '2026-11-26T13:50');
    await h.query(`UPDATE cases SET status = 'closed', closed_at = now() WHERE number = $1`, [pig]);
    await send(p, '2');
    expect(news(p)[0]).toMatch(/^已受理，编号 #\d+。\n由农技站贺建军/);
    expect((await casesOf(h, '尤大爷')).map((c) => c.department_id)).toEqual(['fangyizhan', 'nongjizhan']);
  });

  it('does not ask about words that read as about the open case: thanks, a nod, it is over, its department', async () => {
    const shen = await resident('沈大爷', 'dongtai');
    h.clock.set(t('2026-11-26T14:00'));
    const rice = await openCase(shen, '稻瘟病，叶子上全是斑');
    news(he);
    for (const text of ['猪好了，谢谢', '稻子叶子黄了，猪也不爱吃', '收到，我家的猪不吃食']) {
      await send(shen, text);
      expect(news(shen), text).toEqual([expect.stringMatching(new RegExp(`^收到，已转给负责 #${rice} 的贺建军。`))]);
      expect(news(he), text).toEqual([`【#${rice} 群众补充】东台村 沈大爷：${text}`]);
    }
    // 低保 is paid onto the 一卡通: more about the 低保 case, though 财政所 is sure of the words.
    const han = await resident('韩奶奶', 'dongtai');
    const dibao = await openCase(han, '低保咋停了');
    await send(han, '一卡通里上个月就没到账了');
    expect(news(han)).toEqual([expect.stringMatching(new RegExp(`^收到，已转给负责 #${dibao} 的`))]);
    expect((await casesOf(h, '韩奶奶')).map((c) => c.number)).toEqual([dibao]);
  });

  it('does not ask while she is answering her holder, who wrote to her in the last two hours', async () => {
    const qin = await resident('秦大妈', 'dongtai');
    h.clock.set(t('2026-11-26T14:30'));
    const pig = await openCase(qin, '猪不吃食');
    await send(long, `接单 ${pig} 您家还种了什么？`);
    news(qin);
    news(long);
    h.clock.set(t('2026-11-26T15:30'));
    await send(qin, '种了水稻，叶子有点发黄');
    expect(news(qin)).toEqual([expect.stringMatching(new RegExp(`^收到，已转给负责 #${pig} 的龙志勇。`))]);
    expect(news(long)).toEqual([`【#${pig} 群众补充】东台村 秦大妈：种了水稻，叶子有点发黄`]);
    // Long after his last words, the same is asked.
    h.clock.set(t('2026-11-26T17:31'));
    await send(qin, '我家稻子倒伏了怎么办');
    expect(news(qin)).toEqual([question(pig)]);
  });

  it('leaves a resident with no case open as she was: the matter is a case at once', async () => {
    const yang = await resident('杨大嫂', 'dongtai');
    h.clock.set(t('2026-11-26T15:00'));
    await openCase(yang, '我家稻子倒伏了怎么办');
    expect(await casesOf(h, '杨大嫂')).toMatchObject([{ department_id: 'nongjizhan', description: '我家稻子倒伏了怎么办' }]);
  });
});
