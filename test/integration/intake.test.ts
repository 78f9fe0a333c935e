import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { types } from 'wechaty';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h?.stop();
});

describe('a resident writes for the first time', () => {
  it('is asked the village once, then the matter reaches the on-duty cadre and the resident gets a case number', async () => {
    const peng = await h.cadre('c-peng-deming');
    const li = h.resident('李大爷');

    li.say('我家稻子得了稻瘟病，叶子都黄了，怎么办');
    const [askVillage] = await li.waitForMessages(1);
    expect(askVillage).toContain('哪个村');
    expect(askVillage).toContain('1 东山村');

    li.say('东山');
    const replies = await li.waitForMessages(3);
    expect(replies[1]).toContain('东山村');
    expect(replies[2]).toMatch(/已受理，编号 #1001/);
    expect(replies[2]).toContain('农技站');
    expect(replies[2]).toContain('彭德明');

    const [notice] = await peng.waitForMessages(1);
    expect(notice).toContain('【新案件 #1001】东山村 · 农技站');
    expect(notice).toContain('李大爷');
    expect(notice).toContain('稻瘟病');
    expect(notice).toMatch(/时限：11月26日 \d\d:\d\d 前接单/);

    await h.settle();
    const cases = await h.query<{ number: number; village_id: string; department_id: string; assignee_id: string; status: string }>(
      `SELECT number, village_id, department_id, assignee_id, status FROM cases`,
    );
    expect(cases).toEqual([{ number: 1001, village_id: 'dongshan', department_id: 'nongjizhan', assignee_id: 'c-peng-deming', status: 'assigned' }]);
    const events = await h.query<{ type: string }>(`SELECT type FROM case_events ORDER BY id`);
    expect(events.map((e) => e.type)).toEqual(['created', 'assigned']);
    const inbound = await h.query<{ outcome: string; case_id: number | null }>(`SELECT outcome, case_id FROM inbound_messages ORDER BY id`);
    expect(inbound.map((m) => m.outcome)).toEqual(['asked-village', 'village-registered']);
    expect(inbound[0]!.case_id).not.toBeNull();
    const outbox = await h.query<{ status: string }>(`SELECT status FROM outbound_messages`);
    expect(outbox.every((o) => o.status === 'delivered')).toBe(true);
  });
});

describe('a friend request', () => {
  it('is accepted, so the resident can write; one the account sent itself is left alone', async () => {
    const li = h.resident('李大爷');
    const accepted: string[] = [];
    const puppet = h.puppet;
    // The mock keeps no friend requests: WeChat's side of one is given here.
    const requests: Record<string, types.Friendship> = { 'fr-1': types.Friendship.Receive, 'fr-2': types.Friendship.Confirm };
    puppet.friendshipRawPayload = async (id: string) => ({ id, contactId: li.id, hello: '我是东山村的', timestamp: Date.now(), type: requests[id] }) as never;
    puppet.friendshipAccept = async (id: string) => {
      accepted.push(id);
    };
    puppet.emit('friendship', { friendshipId: 'fr-2' });
    puppet.emit('friendship', { friendshipId: 'fr-1' });
    const deadline = Date.now() + 5000;
    while (accepted.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    expect(accepted).toEqual(['fr-1']);
  });
});
