/**
 * What residents really send: nothing, far too much, emoji and control characters, the same
 * message twice, photos, answers that are not on the menu. Every message ends in a row and
 * a reply; nothing escapes a wechaty event handler.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { types } from 'wechaty';
import { loadConfig } from '../../src/config/load.js';
import { casesOf, outcomesOf } from '../support/chat.js';
import { sampleConfigDir, startHarness, type Harness, type Person } from '../support/harness.js';
import { whileRowHeld } from '../support/race.js';

let h: Harness;
let peng: Person; // 农技站, on duty for 东山村
let zhou: Person; // 党政办 dispatcher
beforeAll(async () => {
  h = await startHarness();
  peng = await h.cadre('c-peng-deming');
  zhou = await h.cadre('c-zhou-lihua');
});
afterAll(async () => {
  await h?.stop();
});

/** A resident already registered in 东山村. */
async function registered(name: string): Promise<Person> {
  const person = h.resident(name);
  person.say('你好');
  await person.waitForMessages(1);
  await h.query(`UPDATE residents SET village_id = 'dongshan', dialog = NULL WHERE name = $1`, [name]);
  return person;
}

describe('bad input', () => {
  it('answers an empty or blank message and records it, without a case', async () => {
    const a = await registered('空白');
    a.say('');
    a.say('   \n\t ');
    // Only invisible characters (zero-width, byte-order mark, direction marks): blank to her too.
    a.say('\u200b\u200d\ufeff \u2067\u2069\u200f');
    const replies = await a.waitForMessages(4);
    expect(replies.slice(1)).toEqual([expect.stringContaining('消息是空的'), expect.stringContaining('消息是空的'), expect.stringContaining('消息是空的')]);
    await h.settle();
    expect(await outcomesOf(h, '空白')).toEqual(['asked-village', 'empty', 'empty', 'empty']);
    expect(await casesOf(h, '空白')).toEqual([]);
  });

  it('keeps a 5 000-character message whole and sends the cadre a shortened quote', async () => {
    const b = await registered('长文');
    const long = '稻瘟病'.padEnd(5000, '田里的情况是这样的');
    expect(long).toHaveLength(5000);
    const before = peng.received.length;
    b.say(long);
    await b.waitForMessages(2);
    const notices = await peng.waitForMessages(before + 1);
    const notice = notices.at(-1)!;
    expect(notice).toContain('全文共 5000 字');
    expect(notice.length).toBeLessThan(800);
    const [kase] = await casesOf(h, '长文');
    expect(kase!.description).toBe(long);
    const [row] = await h.query<{ text: string }>(`SELECT text FROM inbound_messages WHERE length(text) = 5000`);
    expect(row!.text).toBe(long);
  });

  it('stores emoji and control characters verbatim but routes on the cleaned text', async () => {
    const c = await registered('表情');
    const text = '🌾稻瘟病\u0007😭 叶子\u001b黄了\u200b';
    c.say(text);
    const replies = await c.waitForMessages(2);
    expect(replies[1]).toContain('已受理');
    await h.settle();
    const [row] = await h.query<{ text: string }>(`SELECT text FROM inbound_messages WHERE text LIKE '%😭%'`);
    expect(row!.text).toBe(text);
    const [kase] = await casesOf(h, '表情');
    expect(kase!.description).toBe('🌾稻瘟病😭 叶子黄了\u200b');
    expect(kase!.department_id).toBe('nongjizhan');
  });

  it('opens exactly one case when WeChat delivers the same message twice', async () => {
    const d = await registered('重复');
    d.say('稻瘟病又来了，怎么治');
    const id = d.lastMessageId!;
    d.redeliver(id);
    d.redeliver(id);
    await d.waitForMessages(2);
    await h.settle();
    await new Promise((r) => setTimeout(r, 300));
    await h.settle();
    expect(d.received).toHaveLength(2);
    expect(await casesOf(h, '重复')).toHaveLength(1);
    const n = await h.count(`SELECT count(*) FROM inbound_messages WHERE source_message_id = $1`, [id]);
    expect(n).toBe(1);
  });

  it('does not open a case for a cadre who writes to the bot', async () => {
    const before = zhou.received.length;
    zhou.contact.say('稻瘟病的事我来看看').to(h.puppet.mocker.ContactMock.load(h.puppet.currentUserId));
    const replies = await zhou.waitForMessages(before + 1);
    expect(replies.at(-1)).toContain('没有看懂这条指令');
    // 周丽华 is the office's: her everyday commands.
    expect(replies.at(-1)).toContain('督办 1001');
    await h.settle();
    const [row] = await h.query<{ cadre_id: string; resident_id: number | null; outcome: string }>(
      `SELECT cadre_id, resident_id, outcome FROM inbound_messages WHERE text = '稻瘟病的事我来看看'`,
    );
    expect(row).toEqual({ cadre_id: 'c-zhou-lihua', resident_id: null, outcome: 'cadre-message' });
    const n = await h.count(`SELECT count(*) FROM residents WHERE wechat_id = $1`, [zhou.contact.id]);
    expect(n).toBe(0);
  });

  it('survives a message event the puppet cannot load', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      h.puppet.emit('message', { messageId: 'no-such-message' });
      await new Promise((r) => setTimeout(r, 300));
      const e = await registered('之后');
      e.say('稻瘟病');
      await e.waitForMessages(2);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });
});

describe('a flood of messages', () => {
  it('answers the first 30 a minute, then says once to slow down, and keeps every message', async () => {
    const f = await registered('刷屏');
    const replies = f.received.length;
    for (let i = 1; i <= 36; i++) f.say(`稻瘟病 第${i}条`);
    await h.settle();
    await new Promise((r) => setTimeout(r, 200));
    await h.settle();
    const rows = await h.query<{ outcome: string }>(
      `SELECT m.outcome FROM inbound_messages m JOIN residents r ON r.id = m.resident_id WHERE r.name = '刷屏' AND m.text LIKE '稻瘟病%'`,
    );
    expect(rows).toHaveLength(36);
    const outcomes = rows.map((r) => r.outcome);
    // 30 a minute: "你好" was the first, so 29 of these are handled, the 30th gets the notice.
    expect(outcomes.filter((o) => o === 'case-opened' || o === 'added-to-case')).toHaveLength(29);
    expect(outcomes.filter((o) => o === 'rate-limit-notice')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'rate-limited')).toHaveLength(6);
    const notices = f.received.slice(replies).filter((m) => m.includes('请稍等一分钟再发'));
    expect(notices).toHaveLength(1);
    expect(f.received.length - replies).toBe(30);
  });
});

describe('media', () => {
  it('takes a location and a voice message into the open case and passes them on', async () => {
    const v = await registered('定位');
    const notices = peng.received.length;
    v.say('稻瘟病，在哪块田我发位置给你');
    await v.waitForMessages(2);
    await peng.waitForMessages(notices + 1);
    const before = peng.received.length;

    const send = (type: types.Message, extra: Record<string, unknown> = {}) => {
      const id = `m-${Math.random().toString(36).slice(2)}`;
      h.mocker.MessageMock.create({ id, talkerId: v.id, listenerId: h.puppet.currentUserId, timestamp: Date.now(), type, ...extra } as never);
      h.puppet.emit('message', { messageId: id });
      return id;
    };
    send(types.Message.Location);
    await v.waitForMessages(3);
    v.sendFile('voice.silk');
    await v.waitForMessages(4);
    const got = await peng.waitForMessages(before + 4);
    // The mock's location is fixed; the cadre gets the place as text (a location has no file).
    expect(got.slice(before, before + 2)).toEqual([
      expect.stringMatching(/^【#\d+ 群众补充】东山村 \S+发来位置，见下条。$/),
      '[位置] 东升乡人民政府(海淀区成府路45号) 北京市北京市海淀区45 Chengfu Rd',
    ]);
    expect(got[before + 2]).toMatch(/^【#\d+ 群众补充】东山村 \S+发来语音，见下条。$/);
    const rows = await h.query<{ kind: string; text: string; media: Record<string, unknown> }>(
      `SELECT m.kind, m.text, m.media FROM inbound_messages m JOIN residents r ON r.id = m.resident_id WHERE r.name = '定位' AND m.kind <> 'text' ORDER BY m.id`,
    );
    expect(rows.map((r) => r.kind)).toEqual(['location', 'voice']);
    expect(rows[0]!.media).toMatchObject({ latitude: expect.any(Number), longitude: expect.any(Number) });
  });
});

describe('department menu', () => {
  it('asks when unclear, and "0" sends the matter to the office dispatcher', async () => {
    const f = await registered('不清');
    f.say('我想问个事，家里那个事情怎么弄');
    const [, menu] = await f.waitForMessages(2);
    expect(menu).toContain('找哪个部门');
    expect(menu).toContain('0 不清楚');
    expect(menu).not.toContain('党政办');
    const before = zhou.received.length;
    f.say('0');
    const replies = await f.waitForMessages(3);
    expect(replies[2]).toContain('党政办');
    const notices = await zhou.waitForMessages(before + 1);
    expect(notices.at(-1)).toContain('不清楚该找哪个部门');
    const [kase] = await casesOf(h, '不清', 'assignee_id');
    expect(kase).toMatchObject({ department_id: 'dangzhengban', assignee_id: 'c-zhou-lihua', description: '我想问个事，家里那个事情怎么弄' });
  });

  it('takes a number from the menu, and never guesses', async () => {
    const g = await registered('选号');
    g.say('我想问问');
    const [, menu] = await g.waitForMessages(2);
    const line = menu!.split('\n').find((l) => l.includes('农技站'))!;
    g.say(line.split(' ')[0]!);
    const replies = await g.waitForMessages(3);
    expect(replies[2]).toContain('农技站');
    const [kase] = await casesOf(h, '选号', 'assignee_id');
    expect(kase).toMatchObject({ department_id: 'nongjizhan', assignee_id: 'c-peng-deming' });
  });

  it('hands a matter told only by voice to the office, without a menu to type into', async () => {
    const v = await registered('语音');
    v.sendFile('voice.silk');
    const [, ack] = await v.waitForMessages(2);
    expect(ack).toMatch(/^已受理，编号 #\d+。\n由党政办/);
    expect(await casesOf(h, '语音')).toMatchObject([{ department_id: 'dangzhengban' }]);
    const [note] = await h.query<{ text: string }>(
      `SELECT o.text FROM outbound_messages o JOIN cases c ON c.id = o.case_id JOIN residents r ON r.id = c.resident_id
       WHERE r.name = '语音' AND o.cadre_id IS NOT NULL ORDER BY o.id LIMIT 1`,
    );
    expect(note!.text).toMatch(/^【新案件 #\d+】东山村 · 党政办\n（群众不清楚该找哪个部门，请办公室分派）/);

    // A voice message instead of a menu number does the same, with the words before it.
    const w = await registered('先打字后语音');
    w.say('家里那个事情怎么弄');
    const [, menu] = await w.waitForMessages(2);
    expect(menu).toContain('找哪个部门');
    w.sendFile('voice.silk');
    const [, , ack2] = await w.waitForMessages(3);
    expect(ack2).toContain('由党政办');
    expect(await casesOf(h, '先打字后语音')).toMatchObject([{ department_id: 'dangzhengban', description: '家里那个事情怎么弄\n[语音]' }]);
    const kinds = await h.query<{ kind: string }>(
      `SELECT m.kind FROM inbound_messages m JOIN cases c ON c.id = m.case_id JOIN residents r ON r.id = c.resident_id WHERE r.name = '先打字后语音' ORDER BY m.id`,
    );
    expect(kinds.map((k) => k.kind)).toEqual(['text', 'voice']);
  });

  it('keeps a photo sent at the menu with the matter, without counting it as an answer', async () => {
    const p = await registered('先发照片');
    p.say('帮我看看这个怎么办');
    await p.waitForMessages(2);
    p.sendFile('leaf.jpg');
    p.sendFile('leaf2.jpg');
    const [, , kept] = await p.waitForMessages(4);
    expect(kept).toBe('收到一张图片，已一并记下。请回复上面部门前面的数字；不清楚就回复 0。');
    p.say('0');
    const replies = await p.waitForMessages(5);
    expect(replies[4]).toMatch(/^已受理，编号 #\d+。\n由党政办/);
    expect(await casesOf(h, '先发照片')).toMatchObject([{ description: '帮我看看这个怎么办\n[图片]\n[图片]' }]);
    // 查询 shows the matter on one line.
    p.say('查询');
    const [list] = (await p.waitForMessages(6)).slice(-1);
    expect(list).toMatch(/^您的事项：\n#\d+ 帮我看看这个怎么办……\n  党政办/);
  });

  it('takes 新问题 typed at the menu up with the matter before it, and leaves no menu behind', async () => {
    const n = await registered('菜单新问题');
    n.say('帮我看看这个怎么办');
    await n.waitForMessages(2);
    n.say('新问题 村口的路灯坏了好几天');
    const [, , ack] = await n.waitForMessages(3);
    expect(ack).toMatch(/^已受理，编号 #\d+/);
    // The next photo is about that case, not the answer to a menu no longer shown.
    n.sendFile('light.jpg');
    const [, , , followUp] = await n.waitForMessages(4);
    expect(followUp).toMatch(/^收到，已转给负责 #\d+ 的/);
    const cases = await casesOf(h, '菜单新问题');
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ description: '帮我看看这个怎么办\n村口的路灯坏了好几天' });
    expect(await h.query(`SELECT dialog FROM residents WHERE name = '菜单新问题'`)).toEqual([{ dialog: null }]);
  });

  it('asks again after an answer off the menu, then hands over to the office', async () => {
    const k = await registered('乱答');
    k.say('家里那个事情怎么弄');
    await k.waitForMessages(2);
    k.say('99');
    const replies = await k.waitForMessages(3);
    expect(replies[2]).toContain('没看懂');
    k.say('啊？');
    await k.waitForMessages(4);
    const [kase] = await casesOf(h, '乱答');
    expect(kase).toMatchObject({ department_id: 'dangzhengban', description: '家里那个事情怎么弄\n99\n啊？' });
  });
});

describe('an open case', () => {
  it('adds later messages and photos to the case and passes them to its holder', async () => {
    const m = await registered('补充');
    const notices = peng.received.length;
    m.say('稻瘟病，叶子上全是斑');
    const [, ack] = await m.waitForMessages(2);
    const number = /#(\d+)/.exec(ack!)![1];
    await peng.waitForMessages(notices + 1);
    const before = notices + 1;
    m.say('今天更严重了');
    await m.waitForMessages(3);
    m.sendFile('field.jpg');
    await m.waitForMessages(4);
    const got = await peng.waitForMessages(before + 3);
    expect(got.slice(before)).toEqual([
      `【#${number} 群众补充】东山村 补充：今天更严重了`,
      `【#${number} 群众补充】东山村 补充发来图片，见下条。`,
      '[文件] field.jpg',
    ]);
    expect(await casesOf(h, '补充')).toHaveLength(1);
    const unlinked = await h.count(
      `SELECT count(*) FROM inbound_messages m JOIN residents r ON r.id = m.resident_id WHERE r.name = '补充' AND m.case_id IS NULL AND m.outcome <> 'asked-village'`,
    );
    expect(unlinked).toBe(0);
    const events = await h.query<{ type: string }>(
      `SELECT e.type FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.number = $1 ORDER BY e.id`,
      [Number(number)],
    );
    expect(events.map((e) => e.type)).toEqual(['created', 'assigned', 'resident-message', 'resident-message']);
  });

  it('tells the holder when a photo cannot be passed on, instead of a bare “[图片]”', async () => {
    const m = await registered('坏图');
    const notices = peng.received.length;
    m.say('稻瘟病，叶子上全是斑');
    const [, ack] = await m.waitForMessages(2);
    const number = /#(\d+)/.exec(ack!)![1];
    const before = notices + 1;
    await peng.waitForMessages(before);
    // A photo message whose file the puppet cannot give (gone from WeChat's side).
    const id = `broken-${Date.now()}`;
    h.mocker.MessageMock.create({ id, talkerId: m.contact.id, listenerId: h.puppet.currentUserId, timestamp: h.clock.now().getTime(), type: types.Message.Image } as never);
    h.puppet.emit('message', { messageId: id });
    const got = await peng.waitForMessages(before + 2);
    expect(got.slice(before)).toEqual([`【#${number} 群众补充】东山村 坏图发来图片，见下条。`, '[图片]（没能转过来，需要的话请让对方再发一次）']);
  });
});

describe('a sticker with no case open', () => {
  it('gets a short answer, not the department menu, and opens nothing', async () => {
    const s = await registered('发贴图');
    const id = `sticker-${Date.now()}`;
    h.mocker.MessageMock.create({ id, talkerId: s.contact.id, listenerId: h.puppet.currentUserId, timestamp: h.clock.now().getTime(), type: types.Message.Emoticon } as never);
    h.puppet.emit('message', { messageId: id });
    const [, reply] = await s.waitForMessages(2);
    expect(reply).toBe('收到。有事请直接打字或发语音说说，我们会转给负责的同志。');
    expect(await casesOf(h, '发贴图')).toEqual([]);
    expect(await h.query(`SELECT kind, outcome FROM inbound_messages WHERE source_message_id = $1`, [id])).toEqual([{ kind: 'other', outcome: 'other-noted' }]);
  });
});

describe('an emergency while another case is open', () => {
  it('opens a case of its own for the department it belongs to, urgent, instead of waiting with the open one', async () => {
    const e = await registered('急事');
    e.say('稻瘟病，叶子上全是斑');
    const [, first] = await e.waitForMessages(2);
    e.say('我家猪病死了好几头，成批死亡');
    const [, , second] = await e.waitForMessages(3);
    expect(second).toMatch(/^已受理，编号 #\d+。\n由动物防疫站/);
    expect(second).not.toContain(/#(\d+)/.exec(first!)![0]);
    const cases = await h.query<{ department_id: string; priority: string }>(
      `SELECT c.department_id, c.priority FROM cases c JOIN residents r ON r.id = c.resident_id WHERE r.name = '急事' ORDER BY c.id`,
    );
    expect(cases).toEqual([
      { department_id: 'nongjizhan', priority: 'normal' },
      { department_id: 'fangyizhan', priority: 'urgent' },
    ]);
    // Words of the first case's department still join it, though the emergency is newer.
    e.say('稻瘟病今天更严重了');
    const [, , , added] = await e.waitForMessages(4);
    expect(added).toBe(`收到，已转给负责 ${/#(\d+)/.exec(first!)![0]} 的彭德明。预计 11月26日 15:30 前联系您。`);
    expect(await casesOf(h, '急事')).toHaveLength(2);
  });
});

describe('what residents really type', () => {
  it('sends a matter whose department menu nobody answered to the office after an hour', async () => {
    const r = await registered('没选部门');
    r.say('我想反映个情况，家门口那个');
    const [, menu] = await r.waitForMessages(2);
    expect(menu).toContain('找哪个部门');
    h.clock.advance(59);
    await h.app.worker!.sweep();
    await h.settle();
    expect(r.received).toHaveLength(2);
    h.clock.advance(2);
    await h.app.worker!.sweep();
    const [, , closed, placed] = await r.waitForMessages(4);
    expect(closed).toBe('您还没有选部门，我们已请办公室帮您转给负责的同志。');
    expect(placed).toMatch(/^已受理，编号 #\d+。\n由党政办/);
    expect(await casesOf(h, '没选部门')).toMatchObject([{ department_id: 'dangzhengban', description: '我想反映个情况，家门口那个' }]);
    expect(await h.query(`SELECT dialog FROM residents WHERE name = '没选部门'`)).toEqual([{ dialog: null }]);
    // A late answer to the menu is words for the office's case now, not a second case; the office
    // reads which department the number stood for.
    r.say('2');
    await r.waitForMessages(5);
    expect(await casesOf(h, '没选部门')).toHaveLength(1);
    await h.settle();
    const [toOffice] = await h.query<{ text: string }>(
      `SELECT o.text FROM outbound_messages o JOIN cases c ON c.id = o.case_id JOIN residents r ON r.id = c.resident_id
       WHERE r.name = '没选部门' AND o.cadre_id IS NOT NULL ORDER BY o.id DESC LIMIT 1`,
    );
    const [second] = await h.query<{ id: string }>(
      `SELECT e.data->'offeredMenu'->>1 AS id FROM case_events e JOIN cases c ON c.id = e.case_id JOIN residents r ON r.id = c.resident_id
       WHERE r.name = '没选部门' AND e.type = 'created'`,
    );
    const name = loadConfig(sampleConfigDir).departments.find((d) => d.id === second!.id)!.name;
    expect(toOffice!.text).toMatch(new RegExp(`：2（部门菜单第 2 项：${name}）$`));
  });

  it('greets a new resident whose first word was 你好 once the village is known, instead of a menu for 你好', async () => {
    const r = h.resident('先问好');
    r.say('你好');
    const [asked] = await r.waitForMessages(1);
    expect(asked).toMatch(/^您好！这里是.*“连心”服务号。\n请先告诉我们/); // no "您的事我们记下了" for a greeting
    // A try at the name that is not understood is no matter either.
    r.say('冬台');
    await r.waitForMessages(2);
    r.say('东台村');
    const [, , registered, invited] = await r.waitForMessages(4);
    expect(registered).toMatch(/^好的，已登记您是东台村的。/);
    expect(invited).toBe('您好！有什么事请直接说，打字、发语音或照片都可以，我们会转给负责的同志。');
    await h.settle();
    expect(r.received).toHaveLength(4);
    expect(await casesOf(h, '先问好')).toEqual([]);
    expect(await h.query(`SELECT dialog FROM residents WHERE name = '先问好'`)).toEqual([{ dialog: null }]);
  });

  it('treats a sticker or 🙏 as a new resident\'s first message as it treats 你好: nothing noted, the matter asked for once the village is known', async () => {
    const sticker = h.resident('先发贴图');
    const id = `first-sticker-${Date.now()}`;
    h.mocker.MessageMock.create({ id, talkerId: sticker.contact.id, listenerId: h.puppet.currentUserId, timestamp: h.clock.now().getTime(), type: types.Message.Emoticon } as never);
    h.puppet.emit('message', { messageId: id });
    const bow = h.resident('先作揖');
    bow.say('🙏');
    for (const r of [sticker, bow]) {
      const [asked] = await r.waitForMessages(1);
      expect(asked, r.name).toMatch(/^您好！这里是.*“连心”服务号。\n请先告诉我们/); // no "您的事我们记下了": nothing was said
      r.say('东台村');
      const [, registered, invited] = await r.waitForMessages(3);
      expect(registered, r.name).toMatch(/^好的，已登记您是东台村的。/);
      expect(invited, r.name).toBe('您好！有什么事请直接说，打字、发语音或照片都可以，我们会转给负责的同志。');
    }
    await h.settle();
    for (const r of [sticker, bow]) {
      expect(r.received, r.name).toHaveLength(3);
      expect(await casesOf(h, r.name), r.name).toEqual([]);
      expect(await h.query(`SELECT dialog FROM residents WHERE name = $1`, [r.name]), r.name).toEqual([{ dialog: null }]);
    }
  });

  it('treats a message of emoji only (😂😂😂, [捂脸], 1 000 × 🙏) as a sticker: no department menu, and nothing noted before the village', async () => {
    const many = ['😂😂😂', '😭 😭😭', '[捂脸][捂脸]', '🐷🐷🐷🐷', '👍🏻👍🏻', '🙏'.repeat(1000)];
    const r = await registered('只发表情');
    for (const [i, text] of many.entries()) {
      r.say(text);
      const got = await r.waitForMessages(2 + i);
      // Kind emoji (🙏, 👍) are thanks, as before; any other run of emoji is a sticker typed.
      expect(got.at(-1), text).toBe(/[🙏👍]/u.test(text) ? '不客气！有事随时留言，我们会转给负责的同志。' : '收到。有事请直接打字或发语音说说，我们会转给负责的同志。');
    }
    await h.settle();
    expect(await casesOf(h, '只发表情')).toEqual([]);
    expect((await outcomesOf(h, '只发表情')).slice(1)).toEqual(['other-noted', 'other-noted', 'other-noted', 'other-noted', 'pleasantry', 'pleasantry']);

    const first = h.resident('先发表情');
    first.say('😂😂😂');
    const [asked] = await first.waitForMessages(1);
    expect(asked).toMatch(/^您好！这里是.*“连心”服务号。\n请先告诉我们/); // no "您的事我们记下了"
    first.say('东台村');
    const [, registeredThere, invited] = await first.waitForMessages(3);
    expect(registeredThere).toMatch(/^好的，已登记您是东台村的。/);
    expect(invited).toBe('您好！有什么事请直接说，打字、发语音或照片都可以，我们会转给负责的同志。');
    expect(await casesOf(h, '先发表情')).toEqual([]);
  });

  it('corrects the village at the department menu; with a case open, 我在东山村 is words for its cadre', async () => {
    const r = await registered('改了村');
    r.say('我想反映个情况');
    await r.waitForMessages(2);
    r.say('我是东台村的');
    const [, , changed] = await r.waitForMessages(3);
    expect(changed).toBe('好的，已改为东台村。以后您反映的事，会转给负责东台村的同志。');
    r.say('1');
    const [, , , ack] = await r.waitForMessages(4);
    expect(ack).toContain('已受理');
    expect(await h.query(`SELECT c.village_id FROM cases c JOIN residents r ON r.id = c.resident_id WHERE r.name = '改了村'`)).toEqual([{ village_id: 'dongtai' }]);
    r.say('我在东山村');
    const [, , , , passed] = await r.waitForMessages(5);
    expect(passed).toMatch(/^收到，已转给负责 #\d+ 的/);
    expect(await h.query(`SELECT village_id FROM residents WHERE name = '改了村'`)).toEqual([{ village_id: 'dongtai' }]);
  });

  it('corrects a village registered from a mention: 我是东台村的', async () => {
    const r = h.resident('走亲戚');
    r.say('你好');
    await r.waitForMessages(1);
    // The answer mentions the village of the relative, not the resident's own.
    r.say('我去东山村亲戚家路上看到路灯坏了');
    const [, registered] = await r.waitForMessages(3);
    expect(registered).toBe('好的，已登记您是东山村的。不对的话，请告诉我们，如“我是城东村的”。');
    r.say('我是东台村的');
    const [, , , changed, moved] = await r.waitForMessages(5);
    expect(changed).toBe('好的，已改为东台村。以后您反映的事，会转给负责东台村的同志。');
    // Not taken yet: the street-light case goes to 东台村's cadre.
    expect(moved).toMatch(/^您的事项 #\d+ 现由城建办.*负责。$/);
    expect(await h.query(`SELECT village_id FROM residents WHERE name = '走亲戚'`)).toEqual([{ village_id: 'dongtai' }]);
    expect(await casesOf(h, '走亲戚')).toHaveLength(1);
    expect(await h.query(`SELECT c.village_id FROM cases c JOIN residents r ON r.id = c.resident_id WHERE r.name = '走亲戚'`)).toEqual([{ village_id: 'dongtai' }]);
    // The case's history says who moved it, as the office's 定村 would.
    const events = await h.query<{ type: string; actor_type: string; actor_id: string; data: unknown }>(
      `SELECT e.type, e.actor_type, e.actor_id, e.data FROM case_events e JOIN cases c ON c.id = e.case_id JOIN residents r ON r.id = c.resident_id
       WHERE r.name = '走亲戚' ORDER BY e.id`,
    );
    const [who] = await h.query<{ id: number }>(`SELECT id FROM residents WHERE name = '走亲戚'`);
    expect(events.map((e) => e.type)).toEqual(['created', 'assigned', 'village-set', 'assigned']);
    expect(events[2]).toEqual({ type: 'village-set', actor_type: 'resident', actor_id: String(who!.id), data: { from: 'dongshan', to: 'dongtai' } });
    r.say('我家在东台');
    const [, , , , , same] = await r.waitForMessages(6);
    expect(same).toBe('您登记的就是东台村。有事请直接留言。');
  });

  it('a village correction racing the holder\'s 接单 leaves the accepted case with its holder', async () => {
    const r = h.resident('抢着改');
    r.say('你好');
    await r.waitForMessages(1);
    r.say('我去东山村亲戚家路上看到路灯坏了');
    await r.waitForMessages(3);
    const [kase] = await h.query<{ id: number; assignee_id: string }>(
      `SELECT c.id, c.assignee_id FROM cases c JOIN residents r ON r.id = c.resident_id WHERE r.name = '抢着改'`,
    );
    // The holder's 接单 is committing at the very moment the resident's correction is handled.
    await whileRowHeld(h, { table: 'cases', id: kase!.id }, () => r.say('我是东台村的'), async (query) => {
      await query(`UPDATE cases SET status = 'accepted', accepted_at = now() WHERE id = $1`, [kase!.id]);
    });
    await h.settle();
    // Taken: it stays with its holder, in the village it was opened in; the holder reads the correction.
    expect(await h.query(`SELECT status, assignee_id, village_id FROM cases WHERE id = $1`, [kase!.id])).toEqual([
      { status: 'accepted', assignee_id: kase!.assignee_id, village_id: 'dongshan' },
    ]);
    expect(await h.query(`SELECT village_id FROM residents WHERE name = '抢着改'`)).toEqual([{ village_id: 'dongtai' }]);
    expect(await h.count(`SELECT count(*) FROM case_events WHERE case_id = $1 AND type IN ('village-set', 'assigned')`, [kase!.id])).toBe(1);
  });

  it('keeps more words told at the department menu without calling them a wrong choice, and takes a department by a short name', async () => {
    const r = await registered('慢慢说');
    r.say('我想反映个情况');
    const [, menu] = await r.waitForMessages(2);
    expect(menu).toContain('找哪个部门');
    r.say('我家门口那个');
    const [, , kept] = await r.waitForMessages(3);
    expect(kept).toBe('您说的已记下。请回复上面部门前面的数字；不清楚就回复 0。');
    r.say('城建');
    const [, , , ack] = await r.waitForMessages(4);
    expect(ack).toContain('已受理');
    const [kase] = await casesOf(h, '慢慢说');
    expect(kase).toMatchObject({ department_id: 'chengjianban', description: '我想反映个情况\n我家门口那个' });
  });

  it('takes a resident\'s own case number after 取消 or 回复 as a follow-up, not a booking or a command', async () => {
    const r = await registered('自己的号');
    r.say('稻瘟病，叶子上全是斑');
    const [, ack] = await r.waitForMessages(2);
    const number = Number(/#(\d+)/.exec(ack!)![1]);
    for (const [i, text] of [`取消${number}`, `回复${number} 明天在家`].entries()) {
      r.say(text);
      const replies = await r.waitForMessages(3 + i);
      // By when he will be in touch is said the first time only.
      const time = i === 0 ? '预计 11月26日 \\d\\d:\\d\\d 前联系您。' : '';
      expect(replies.at(-1), text).toMatch(new RegExp(`^收到，已转给负责 #${number} 的彭德明。${time}$`));
    }
    expect((await outcomesOf(h, '自己的号')).slice(-2)).toEqual(['added-to-case', 'added-to-case']);
  });

  it('takes up a new matter of another department typed after a rating question, and keeps the rating asked', async () => {
    const r = await registered('评价时说新事');
    r.say('稻瘟病，叶子上全是斑');
    const [, ack] = await r.waitForMessages(2);
    const first = Number(/#(\d+)/.exec(ack!)![1]);
    const before = peng.received.length;
    peng.say(`办结 ${first} 已指导打药`);
    await r.waitForMessages(3);
    await peng.waitForMessages(before + 1);
    r.say('路灯又坏了，晚上看不见路');
    const replies = await r.waitForMessages(4);
    expect(replies[3]).toMatch(/^已受理，编号 #\d+。\n由城建办/);
    r.say('2 楼道灯也坏了'); // a floor, not a rating with a comment
    await r.waitForMessages(5);
    r.say('1');
    const last = await r.waitForMessages(6);
    expect(last[5]).toBe('谢谢您的评价！有事随时留言。');
    const cases = await casesOf(h, '评价时说新事');
    expect(cases.map((c) => c.department_id)).toEqual(['nongjizhan', 'chengjianban']);
    expect(await h.query(`SELECT rating FROM cases WHERE number = $1`, [first])).toEqual([{ rating: 'satisfied' }]);
  });

  it('takes the matter from the village answer, and a clear matter instead of a menu number', async () => {
    const before = peng.received.length;
    const a = h.resident('先问候');
    a.say('在吗');
    await a.waitForMessages(1);
    a.say('东山村，我家秧苗发黄了');
    const [, , third] = await a.waitForMessages(3);
    expect(third).toContain('已受理');
    const [kase] = await casesOf(h, '先问候');
    expect(kase).toMatchObject({ department_id: 'nongjizhan', description: '东山村，我家秧苗发黄了' });

    const b = await registered('再说清');
    // A greeting alone asks for the matter; no department menu for it.
    b.say('在吗');
    const [, greeted] = await b.waitForMessages(2);
    expect(greeted).toBe('您好！有什么事请直接说，打字、发语音或照片都可以，我们会转给负责的同志。');
    b.say('稻瘟病，叶子全是斑');
    const replies = await b.waitForMessages(3);
    expect(replies[2]).toContain('农技站');
    const [second] = await casesOf(h, '再说清');
    expect(second).toMatchObject({ department_id: 'nongjizhan', description: '稻瘟病，叶子全是斑' });
    await peng.waitForMessages(before + 2);
  });

  it('does not ask a new resident the village she named herself in her first message', async () => {
    // The village alone, or 我是…的: registered, and the matter asked for.
    const a = h.resident('自报村名');
    a.say('我是东台村的');
    expect(await a.waitForMessages(2)).toEqual([
      '好的，已登记您是东台村的。不对的话，请告诉我们，如“我是东山村的”。',
      '您好！有什么事请直接说，打字、发语音或照片都可以，我们会转给负责的同志。',
    ]);
    // Said with the matter, after a greeting, as 俺…的村民: the matter is taken up at once.
    const b = h.resident('连村带事');
    b.say('你好 俺是东山村的村民 秧苗发黄了咋整');
    const [registered, ack] = await b.waitForMessages(2);
    expect(registered).toBe('好的，已登记您是东山村的。不对的话，请告诉我们，如“我是城东村的”。');
    expect(ack).toMatch(/^已受理，编号 #\d+。\n由农技站彭德明/);
    expect(await casesOf(h, '连村带事')).toMatchObject([{ department_id: 'nongjizhan', description: '你好 俺是东山村的村民 秧苗发黄了咋整' }]);
    // Where she is now, or a village the matter is about, is not whose she is: asked.
    const c = h.resident('在外村');
    c.say('我在东山村，秧苗发黄了');
    const [asked] = await c.waitForMessages(1);
    expect(asked).toMatch(/^您好！这里是.*，您的事我们记下了。\n请先告诉我们您是哪个村/);
    // Typed with a space between the characters, the answer is understood.
    c.say('东 台');
    const [, answered] = await c.waitForMessages(3);
    expect(answered).toBe('好的，已登记您是东台村的。不对的话，请告诉我们，如“我是东山村的”。');
    await h.settle();
    expect(await h.query(`SELECT name, village_id, dialog FROM residents WHERE name IN ('自报村名', '连村带事', '在外村') ORDER BY id`)).toEqual([
      { name: '自报村名', village_id: 'dongtai', dialog: null },
      { name: '连村带事', village_id: 'dongshan', dialog: null },
      { name: '在外村', village_id: 'dongtai', dialog: null },
    ]);
    expect(await casesOf(h, '自报村名')).toEqual([]);
  });

  it('reads a village said with its group (三组, 3组, 七队) as the village, in her first message and in a correction', async () => {
    // The group stays in her words for the cadre: it says where to go.
    const a = h.resident('报了组');
    a.say('我是东台村三组的，路灯坏了');
    const [registered, ack] = await a.waitForMessages(2);
    expect(registered).toBe('好的，已登记您是东台村的。不对的话，请告诉我们，如“我是东山村的”。');
    expect(ack).toMatch(/^已受理，编号 #\d+。\n由城建办孔卫东/);
    expect(await casesOf(h, '报了组')).toMatchObject([{ department_id: 'chengjianban', description: '我是东台村三组的，路灯坏了' }]);
    const b = h.resident('只报组');
    b.say('俺东台3组的');
    expect(await b.waitForMessages(2)).toEqual([
      '好的，已登记您是东台村的。不对的话，请告诉我们，如“我是东山村的”。',
      '您好！有什么事请直接说，打字、发语音或照片都可以，我们会转给负责的同志。',
    ]);
    b.say('我是东胜村七队的');
    const [, , changed] = await b.waitForMessages(3);
    expect(changed).toBe('好的，已改为东胜村。以后您反映的事，会转给负责东胜村的同志。');
    await h.settle();
    expect(await h.query(`SELECT name, village_id, dialog FROM residents WHERE name IN ('报了组', '只报组') ORDER BY id`)).toEqual([
      { name: '报了组', village_id: 'dongtai', dialog: null },
      { name: '只报组', village_id: 'dongsheng', dialog: null },
    ]);
  });

  it('keeps a matter typed in several messages before the village answer, and says so without scolding', async () => {
    const p = h.resident('慢慢打');
    p.say('在吗');
    const [welcome] = await p.waitForMessages(1);
    expect(welcome).toContain('1 东山村');
    p.say('我家的猪');
    const [, second] = await p.waitForMessages(2);
    expect(second).toBe('您说的我们都记下了。还不知道您是哪个村（社区）的，请回复村名前面的数字，如 1。');
    p.say('不吃食了');
    const [, , third] = await p.waitForMessages(3);
    expect(third).toMatch(/^您说的我们都记下了。.*\n1 东山村\n/); // the menu again, now further up
    p.say('一');
    const replies = await p.waitForMessages(5);
    expect(replies[3]).toBe('好的，已登记您是东山村的。不对的话，请告诉我们，如“我是城东村的”。');
    expect(replies[4]).toContain('已受理');
    expect(await casesOf(h, '慢慢打')).toMatchObject([{ description: '我家的猪\n不吃食了' }]);
  });

  it('answers 你是谁 with who this is, at any question, and keeps it out of the matter', async () => {
    const r = h.resident('问是谁');
    r.say('有人吗');
    await r.waitForMessages(1);
    r.say('你是谁');
    const [, who] = await r.waitForMessages(2);
    expect(who).toBe('这里是东山办事处“连心”服务号，有事可以在这里说，我们会转给负责的同志。请先告诉我们您是哪个村（社区）的，回复村名前面的数字，如 1。');
    r.say('我想反映个情况，家门口那个');
    await r.waitForMessages(3);
    r.say('东山三组');
    const [, , , registeredIn, menu] = await r.waitForMessages(5);
    expect(registeredIn).toMatch(/^好的，已登记您是东山村的。/);
    expect(menu).toMatch(/^请问这件事找哪个部门？/);
    r.say('你们是哪里的');
    const [, , , , , atMenu] = await r.waitForMessages(6);
    expect(atMenu).toBe('这里是东山办事处“连心”服务号，您说的事我们会转给负责的同志。请回复上面部门前面的数字；不清楚就回复 0。');
    r.say('0');
    await r.waitForMessages(7);
    expect(await casesOf(h, '问是谁')).toMatchObject([{ department_id: 'dangzhengban', description: '我想反映个情况，家门口那个' }]);
    // With nothing open: who this is, and no menu.
    const q = await registered('又问是谁');
    q.say('你是谁啊');
    const [, answer] = await q.waitForMessages(2);
    expect(answer).toBe('这里是东山办事处“连心”服务号。有什么事请直接说，打字、发语音或照片都可以，我们会转给负责的同志。');
    await h.settle();
    expect(q.received).toHaveLength(2);
    expect(await casesOf(h, '又问是谁')).toEqual([]);
  });

  it('reads a reply that quotes an earlier message (引用) by what was typed, not by the quoted words', async () => {
    // WeChat puts the quoted message before the reply: "「name：quoted」\n- - - …\nreply".
    const quoting = (quoted: string, reply: string) => `「东山办事处连心：${quoted}」\n- - - - - - - - - - - - - - -\n${reply}`;
    // The village question quoted: "东山办事处" in it is no answer; "4" is.
    const r = h.resident('引用回');
    r.say('家里稻子得了稻瘟病');
    const [asked] = await r.waitForMessages(1);
    r.say(quoting(asked!, '4'));
    const [, registered, ack] = await r.waitForMessages(3);
    expect(registered).toMatch(/^好的，已登记您是张江村的。/);
    expect(ack).toMatch(/^已受理，编号 #\d+。\n由农技站/);
    const number = Number(/#(\d+)/.exec(ack!)![1]);
    expect(await casesOf(h, '引用回')).toMatchObject([{ description: '家里稻子得了稻瘟病' }]);
    // A follow-up quoting the acknowledgement: the holder reads the words, and what they answer, cut short.
    r.say(quoting(ack!, '叶子全黄了'));
    await r.waitForMessages(4);
    await h.settle();
    const [forwarded] = await h.query<{ text: string }>(
      `SELECT text FROM outbound_messages WHERE cadre_id = 'c-peng-deming' AND text LIKE '%群众补充%' ORDER BY id DESC LIMIT 1`,
    );
    expect(forwarded!.text).toBe(`【#${number} 群众补充】张江村 引用回：叶子全黄了\n（引用：已受理，编号 #${number}。 由农技站彭德明（农技站站长）负责……）`);
    // Cut short by characters: an emoji at the cut is kept whole (one character), not half of it (a "�" on the phone).
    const own = `${'稻子叶子上一块一块的斑，下面的叶子已经枯了，请快点来看'}🙏🙏`;
    r.say(quoting(own, '就是这样'));
    await r.waitForMessages(5);
    await h.settle();
    const [again] = await h.query<{ text: string }>(
      `SELECT text FROM outbound_messages WHERE cadre_id = 'c-peng-deming' AND text LIKE '%群众补充%' ORDER BY id DESC LIMIT 1`,
    );
    expect(again!.text).toBe(`【#${number} 群众补充】张江村 引用回：就是这样\n（引用：稻子叶子上一块一块的斑，下面的叶子已经枯了，请快点来看🙏🙏）`);
    // The rating question quoted, answered 满意: a rating, though the quote says 不满意 too.
    await h.query(`UPDATE cases SET status = 'resolved', resolved_at = now(), callback_due_at = now() + interval '3 days' WHERE number = $1`, [number]);
    const caseId = (await h.query<{ id: number }>(`SELECT id FROM cases WHERE number = $1`, [number]))[0]!.id;
    await h.query(`UPDATE residents SET dialog = $1 WHERE name = '引用回'`, [{ kind: 'callback', caseId }]);
    r.say(quoting(`您的事项 #${number} 已由农技站办结：已处理\n请您评价：回复 1 满意，2 基本满意，3 不满意（可附上意见）。`, '满意'));
    const replies = await r.waitForMessages(6);
    expect(replies[5]).toBe('谢谢您的评价！有事随时留言。');
    expect(await h.query(`SELECT status, rating FROM cases WHERE number = $1`, [number])).toEqual([{ status: 'closed', rating: 'satisfied' }]);
    // The rows keep what WeChat delivered, quote included.
    expect(await h.count(`SELECT count(*) FROM inbound_messages WHERE text LIKE '「东山办事处连心：%'`)).toBe(4);
  });

  it('reads "回复 1 满意" as the rating it is', async () => {
    const r = await registered('照着回');
    r.say('稻瘟病，请来看看');
    const [, ack] = await r.waitForMessages(2);
    const number = Number(/#(\d+)/.exec(ack!)![1]);
    await h.query(`UPDATE cases SET status = 'resolved', resolved_at = now(), callback_due_at = now() + interval '3 days' WHERE number = $1`, [number]);
    await h.query(`UPDATE residents SET dialog = $1 WHERE name = '照着回'`, [{ kind: 'callback', caseId: (await h.query<{ id: number }>(`SELECT id FROM cases WHERE number = $1`, [number]))[0]!.id }]);
    r.say('回复 1 满意');
    const replies = await r.waitForMessages(3);
    expect(replies[2]).toBe('谢谢您的评价！有事随时留言。');
    expect(await h.query(`SELECT status, rating FROM cases WHERE number = $1`, [number])).toEqual([{ status: 'closed', rating: 'satisfied' }]);
  });
});
