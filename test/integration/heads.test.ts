/**
 * A department head in chat, as 农技站's 彭德明 reads WeChat between meetings and fields: short
 * words for what the commands say (督促, 同意, 有哪些超时的, 1003怎么样了), and nothing of his
 * meant for a cadre reaching a resident. Sample township config; the SLA sweep is off (hourly),
 * so moving the clock escalates nothing behind a test's back.
 *
 * 农技站: 彭德明 head (area A), 贺建军 (area B: 东台村, 东岸村 …), 易春林 (area C: 先进村, 泉塘村 …).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Person } from '../support/harness.js';

let h: Harness;
let everyone: Person[] = [];
const seen = new WeakMap<Person, number>();

/** A township-local time, e.g. t('2026-11-26T11:00'). */
const t = (local: string) => new Date(`${local}:00+08:00`);

function useHarness(): void {
  beforeAll(async () => {
    h = await startHarness({ schedules: { sweepEveryMs: 3_600_000, watchdogEveryMs: 3_600_000 } });
    everyone = [];
  });
  afterAll(async () => {
    await h?.stop();
  });
  beforeEach(() => {
    for (const p of everyone) news(p);
  });
}

/** What `p` received since the last call. */
function news(p: Person): string[] {
  const from = seen.get(p) ?? 0;
  seen.set(p, p.received.length);
  return p.received.slice(from);
}

async function bind(cadreId: string): Promise<Person> {
  const p = await h.cadre(cadreId);
  everyone.push(p);
  return p;
}

async function resident(name: string, villageId: string): Promise<Person> {
  const p = h.resident(name);
  await h.query(`INSERT INTO residents (wechat_id, name, village_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)`, [
    p.contact.id,
    name,
    villageId,
    h.clock.now(),
  ]);
  everyone.push(p);
  return p;
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const handled = () => h.count(`SELECT count(*) FROM inbound_messages WHERE handled_at IS NOT NULL`);

/** `p` says `text` at the current test time; returns when it is handled and all is delivered. */
async function send(p: Person, text: string): Promise<void> {
  const before = await handled();
  p.say(text);
  await until(async () => (await handled()) > before, 'the message to be handled');
  await h.settle();
}

async function sendAt(local: string, p: Person, text: string): Promise<void> {
  h.clock.set(t(local));
  await send(p, text);
}

/** The resident writes a matter; returns the case number. */
async function openCase(p: Person, text: string): Promise<number> {
  await send(p, text);
  const got = news(p);
  expect(got[0]).toContain('已受理');
  return Number(/编号 #(\d+)/.exec(got[0]!)![1]);
}

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
    expect(list).toMatch(/^超时事项（1 件）：\n#1001 东台村 农技站 待接单 · 接单时限 11月26日 11:00 · 贺建军/);
    for (const words of ['有哪些超时的', '超时的有几件？', '有没有超时的']) {
      await send(peng, words);
      expect(news(peng), words).toEqual([list]);
    }
    await send(he, '有哪些超时的');
    expect(news(he)).toEqual(['这条指令只有部门负责人和办公室可以使用。']);
  });
});
