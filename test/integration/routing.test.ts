/**
 * Routing end to end with a township that is not the sample: its own villages, departments,
 * roster, override and leave, and cadres' WeChat ids given in config.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Person } from '../support/harness.js';

let h: Harness;
let cadres: Record<string, Person>;

beforeAll(async () => {
  h = await startHarness({ configDir: path.resolve(import.meta.dirname, '../fixtures/qingshan') });
  cadres = {};
  for (const id of ['q-office', 'q-farm-head', 'q-farm-a', 'q-farm-b', 'q-clinic']) cadres[id] = await h.cadre(id);
});
afterAll(async () => {
  await h?.stop();
});

/** A new resident registers a village and raises a matter at `at`; returns the case row. */
async function raise(name: string, village: string, text: string, at: string) {
  h.clock.set(at);
  const resident = h.resident(name);
  resident.say(text);
  await resident.waitForMessages(1);
  resident.say(village);
  const replies = await resident.waitForMessages(3);
  await h.settle();
  const [row] = await h.query<{ number: number; assignee_id: string; priority: string; accept_due_at: Date; assigned_at: Date; reason: string }>(
    `SELECT c.number, c.assignee_id, c.priority, c.accept_due_at, c.assigned_at, e.data->>'reason' AS reason
     FROM cases c JOIN residents r ON r.id = c.resident_id JOIN case_events e ON e.case_id = c.id AND e.type = 'assigned'
     WHERE r.name = $1`,
    [name],
  );
  return { row: row!, ack: replies[2]! };
}

describe('routing in another township', () => {
  it('sends a 青山村 fruit-tree matter to the farm cadre on duty for 青山村', async () => {
    const { row, ack } = await raise('甲', '青山村', '我家柑橘树得了黄龙病', '2026-11-26T10:00:00+08:00');
    expect(row).toMatchObject({ assignee_id: 'q-farm-a', reason: 'on-duty', priority: 'normal' });
    expect(ack).toContain('林技术员');
    const notices = await cadres['q-farm-a']!.waitForMessages(1);
    expect(notices.at(-1)).toContain(`#${row.number}`);
    // Working time: 10:00 + 120 working minutes = 12:00 the same day.
    expect(row.accept_due_at.toISOString()).toBe('2026-11-26T04:00:00.000Z');
  });

  it('sends a 白石村 matter, answered in pinyin, to the other farm cadre', async () => {
    const { row } = await raise('乙', 'baishi', '果树施肥要注意什么，柑橘叶子发黄', '2026-11-26T10:05:00+08:00');
    expect(row).toMatchObject({ assignee_id: 'q-farm-b', reason: 'on-duty' });
  });

  it('follows the dated override', async () => {
    const { row } = await raise('丙', '1', '柑橘黄龙病又犯了', '2026-11-27T09:30:00+08:00');
    expect(row).toMatchObject({ assignee_id: 'q-farm-b', reason: 'on-duty' });
  });

  it('passes a cadre on leave to the slot backup', async () => {
    const { row } = await raise('丁', '白石岭', '柑橘黄龙病怎么治', '2026-11-30T09:30:00+08:00');
    expect(row).toMatchObject({ assignee_id: 'q-farm-a', reason: 'backup' });
  });

  it('gives a Saturday farm matter to the department head, who is told why', async () => {
    const { row } = await raise('戊', '青山', '柑橘黄龙病，周末能来看看吗', '2026-11-28T10:00:00+08:00');
    expect(row).toMatchObject({ assignee_id: 'q-farm-head', reason: 'head' });
    const notices = await cadres['q-farm-head']!.waitForMessages(1);
    // Told why, and how to hand it on as well as how to take it.
    expect(notices.at(-1)).toContain('（值班和备岗干部都不在岗，由您安排：自己办理，或派给其他同志）');
    expect(notices.at(-1)).toMatch(new RegExp(`\n派单请发：派单 ${row.number} 干部姓名或部门；自己办理请发：接单 ${row.number}$`));
  });

  it('makes an urgent clinic matter count in wall-clock minutes', async () => {
    const { row } = await raise('己', '青山村', '家里老人昏迷了，要看病', '2026-11-28T20:00:00+08:00');
    expect(row).toMatchObject({ assignee_id: 'q-clinic', priority: 'urgent' });
    expect(row.accept_due_at.getTime() - row.assigned_at.getTime()).toBe(15 * 60_000);
    const notices = await cadres['q-clinic']!.waitForMessages(1);
    expect(notices.at(-1)).toContain('【紧急】');
  });
});

describe('统计 in chat', () => {
  it('gives a head the month of their department, and a field cadre a refusal', async () => {
    // The cases above were dispatched in November and September/October 2026 (test clock).
    h.clock.set('2026-11-30T10:00:00+08:00');
    const head = cadres['q-farm-head']!;
    const before = head.received.length;
    head.say('统计');
    const [summary] = (await head.waitForMessages(before + 1)).slice(-1);
    expect(summary).toContain('2026年11月');
    expect(summary).toContain('农业站');
    // 甲, 乙 and 丙 (青山村, 白石村, override) and 丁 (backup) were farm cases dispatched in November.
    expect(summary).toContain('派单 5 件');
    expect(summary).toContain('林技术员 2件');

    const farmer = cadres['q-farm-a']!;
    const seen = farmer.received.length;
    farmer.say('统计');
    const [refusal] = (await farmer.waitForMessages(seen + 1)).slice(-1);
    expect(refusal).toBe('这条指令只有部门负责人和办公室可以使用。');
  });
});

describe("lianxin's examples in this township's own names", () => {
  /** What `p` is told in answer to `text`. */
  async function answer(p: Person, text: string): Promise<string> {
    const before = p.received.length;
    p.say(text);
    return (await p.waitForMessages(before + 1)).at(-1)!;
  }

  it('names a village the cadre covers (else the first) in 帮助 and 代办, and a department of its own in 统计', async () => {
    h.clock.set('2026-11-30T10:30:00+08:00');
    const wu = cadres['q-farm-b']!; // 白石村
    const help = await answer(wu, '帮助');
    expect(help).toContain('\n代办 张大爷 白石村 内容（替没有微信的群众反映）\n');
    expect(await answer(wu, '代办 张大爷')).toBe('“代办”的写法：代办 张大爷 白石村 家里的猪不吃食\n发“帮助”查看全部指令。');
    // 郑医生 has no fixed area: the village is asked, with the township's first as the example.
    expect(await answer(cadres['q-clinic']!, '代办 张大爷 家里老人咳嗽')).toBe('请写明是哪个村的，村名后空一格再写事情，例如：代办 张大爷 青山村 家里的猪不吃食');
    expect(await answer(cadres['q-farm-head']!, '统计 天气')).toBe(
      '没看懂“天气”。用法：统计、统计 上月、统计 2026-10、统计 农业站（部门名称），也可以合起来：统计 农业站 上月。',
    );
    expect(await answer(cadres['q-office']!, '统计 天气')).toContain('统计 农业站（部门名称）');
    for (const text of [help, ...wu.received]) expect(text).not.toMatch(/东山村|农技站/);
  });
});
