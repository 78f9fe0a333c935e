/**
 * Service bookings (预约) through the mock, township 青山乡 (test/fixtures/qingshan):
 * - 果园指导 (farm, home visit): workdays 09:00–12:00, three 60-minute slots, one place each,
 *   two hours' notice. Farm duty for 青山村: 林 (q-farm-a); on 27 Nov the override gives 吴 (q-farm-b).
 * - 体检 (clinic, at the station): workdays 09:00–10:00, two 30-minute slots, three places each;
 *   closed on 27 Nov.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Person } from '../support/harness.js';
import { whileRowHeld } from '../support/race.js';

const qingshan = path.resolve(import.meta.dirname, '../fixtures/qingshan');
let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function start(at = '2026-11-26T08:00:00+08:00'): Promise<Harness> {
  h = await startHarness({ configDir: qingshan, start: at });
  return h;
}

/** A resident of 青山村, already registered. */
async function villager(harness: Harness, name: string): Promise<Person> {
  const person = harness.resident(name);
  await harness.query(
    `INSERT INTO residents (wechat_id, name, village_id, created_at, updated_at) VALUES ($1, $2, 'qingshan', now(), now())`,
    [person.contact.id, name],
  );
  return person;
}

/** Says something and returns the one reply it gets. */
async function ask(person: Person, text: string): Promise<string> {
  const before = person.received.length;
  person.say(text);
  const all = await person.waitForMessages(before + 1);
  return all.at(-1)!;
}

const bookings = (harness: Harness) =>
  harness.query<{ number: number; status: string; assignee_id: string; starts_at: Date; address: string; name: string }>(
    `SELECT b.number, b.status, b.assignee_id, b.starts_at, b.address, r.name FROM bookings b JOIN residents r ON r.id = b.resident_id ORDER BY b.id`,
  );

describe('the booking dialog', () => {
  it('books a home visit step by step, with the cadre on duty for that village and day', async () => {
    const harness = await start();
    const wu = await harness.cadre('q-farm-b');
    const zhou = await villager(harness, '周大伯');

    const services = await ask(zhou, '预约');
    expect(services).toBe('请选择要预约的服务，回复数字：\n1 果园指导（农业站·上门）\n2 体检（卫生院·到站）\n0 返回，发“取消”退出');

    // 08:00 Thu: today's slots from 10:00 (two hours' notice), then the next working days.
    const days = await ask(zhou, '1');
    expect(days).toBe(
      '“果园指导”可以约这些日子，回复数字：\n1 11月26日 周四（余 2）\n2 11月27日 周五（余 3）\n3 11月30日 周一（余 3）\n' +
        '4 12月1日 周二（余 3）\n5 12月2日 周三（余 3）\n6 12月3日 周四（余 3）\n0 返回，发“取消”退出',
    );
    expect(await ask(zhou, '2')).toBe('11月27日 周五还有这些时段，回复数字：\n1 09:00–10:00（余 1）\n2 10:00–11:00（余 1）\n3 11:00–12:00（余 1）\n0 返回，发“取消”退出');
    expect(await ask(zhou, '2')).toBe('请回复上门的地址（如：青山村三组 张家）。直接回复 1 就按“青山村”。\n0 返回，发“取消”退出');
    const confirmation = '请确认预约：\n服务：果园指导（农业站）\n时间：11月27日 周五 10:00–11:00\n地点/备注：青山村四组 周家果园\n回复 1 确认；0 返回，发“取消”退出';
    expect(await ask(zhou, '青山村四组 周家果园')).toBe(confirmation);
    // No list to pick from here: only 1 is asked for; 中 (yes, as many say it) confirms.
    expect(await ask(zhou, '在家等着')).toBe(`还没有约好。要改请回复 0 返回，没问题请回复 1 确认。\n${confirmation}`);
    expect(await ask(zhou, '2')).toBe(`还没有约好，请回复 1 确认。\n${confirmation}`);
    const booked = await ask(zhou, '中');
    expect(booked).toBe(
      '预约成功，预约号 101。\n11月27日 周五 10:00–11:00 果园指导，由农业站吴技术员负责。\n如需取消请发“取消预约 101”，改时间请发“改约 101”。',
    );
    const [notice] = await wu.waitForMessages(1);
    expect(notice).toBe('【新预约 101】11月27日 周五 10:00–11:00\n果园指导 · 青山村 周大伯\n地点/备注：青山村四组 周家果园\n办完请发“完成 101 说明”，没来请发“未到 101”。');
    expect(await bookings(harness)).toEqual([
      { number: 101, status: 'booked', assignee_id: 'q-farm-b', starts_at: new Date('2026-11-27T02:00:00Z'), address: '青山村四组 周家果园', name: '周大伯' },
    ]);
    expect(await harness.query(`SELECT booked, capacity FROM booking_slots`)).toEqual([{ booked: 1, capacity: 1 }]);
    expect(await harness.query(`SELECT dialog FROM residents WHERE name = '周大伯'`)).toEqual([{ dialog: null }]);
  });

  it('goes back with 0, leaves with 取消, asks again on a wrong answer, and lapses when left idle', async () => {
    const harness = await start();
    const zhou = await villager(harness, '周大伯');
    await ask(zhou, '预约');
    expect(await ask(zhou, '果园')).toMatch(/^请回复列表前面的数字。\n请选择要预约的服务/);
    expect(await ask(zhou, '9')).toMatch(/^请回复列表前面的数字。\n请选择要预约的服务/);
    await ask(zhou, '2');
    // 体检 is closed on Fri 27 Nov: Thu 26 (09:00 and 09:30 are an hour away at 08:00), then Mon 30.
    const days = zhou.received.at(-1)!;
    expect(days).toContain('1 11月26日 周四（余 6）');
    expect(days).toContain('2 11月30日 周一（余 6）');
    expect(days).not.toContain('11月27日');
    expect(await ask(zhou, '0')).toMatch(/^请选择要预约的服务/);
    expect(await ask(zhou, '取消')).toBe('已退出预约。需要时再发“预约”。');
    expect(await harness.query(`SELECT dialog FROM residents WHERE name = '周大伯'`)).toEqual([{ dialog: null }]);

    await ask(zhou, '预约');
    harness.clock.advance(11);
    const before = zhou.received.length; // counted before the sweep: its message may arrive before it returns
    await harness.app.worker!.sweep();
    const [lapsed] = (await zhou.waitForMessages(before + 1)).slice(-1);
    expect(lapsed).toBe('预约没有完成，已自动退出。需要时请重新发“预约”。');
    await harness.app.worker!.sweep();
    await harness.settle();
    expect(zhou.received.filter((m) => m === lapsed)).toHaveLength(1);
    // The answer typed after the lapse opens no case and sends no department menu.
    expect(await ask(zhou, '2')).toBe('这个数字没有对应的问题了。要预约请发“预约”；有事请直接留言，说说是什么事。');
    expect(await harness.count(`SELECT count(*) FROM cases`)).toBe(0);
  });

  it('offers what is left when the slot filled while the resident was choosing', async () => {
    const harness = await start();
    const a = await villager(harness, '甲');
    const b = await villager(harness, '乙');
    for (const person of [a, b]) {
      await ask(person, '预约');
      await ask(person, '1');
      await ask(person, '2'); // 27 Nov
      await ask(person, '1'); // 09:00
      await ask(person, '1'); // address: the village
    }
    expect(await ask(a, '1')).toMatch(/^预约成功，预约号 101。/);
    expect(await ask(b, '1')).toBe(
      '抱歉，这个时段刚刚约满了。\n11月27日 周五还有这些时段，回复数字：\n1 10:00–11:00（余 1）\n2 11:00–12:00（余 1）\n0 返回，发“取消”退出',
    );
    expect(await ask(b, '1')).toMatch(/^请回复上门的地址/);
    await ask(b, '1');
    expect(await ask(b, '1')).toMatch(/^预约成功，预约号 102。\n11月27日 周五 10:00–11:00/);
  });

  it('refuses a slot that has become too soon while the resident was choosing', async () => {
    const harness = await start('2026-11-26T07:55:00+08:00');
    const a = await villager(harness, '甲');
    await ask(a, '预约');
    await ask(a, '1');
    await ask(a, '1'); // today
    expect(a.received.at(-1)).toContain('1 10:00–11:00（余 1）');
    await ask(a, '1'); // 10:00
    await ask(a, '1');
    harness.clock.set('2026-11-26T08:01:00+08:00'); // 10:00 is now less than two hours away
    expect(await ask(a, '1')).toBe('抱歉，这个时段刚刚约满了。\n11月26日 周四还有这些时段，回复数字：\n1 11:00–12:00（余 1）\n0 返回，发“取消”退出');
    expect(await bookings(harness)).toEqual([]);
  });

  it('says the slot just went before saying nothing is left to book', async () => {
    const harness = await start('2026-11-26T07:55:00+08:00');
    const a = await villager(harness, '甲');
    for (const answer of ['预约', '1', '1', '1', '1']) await ask(a, answer); // today 10:00, at the confirmation
    // Meanwhile every other place of the week was taken, and 10:00 became too soon.
    await harness.query(
      `INSERT INTO booking_slots (service_id, starts_at, capacity, booked)
       SELECT 'orchard-visit', d + h * interval '1 hour', 1, 1
       FROM generate_series(timestamptz '2026-11-26T09:00:00+08:00', timestamptz '2026-12-04T09:00:00+08:00', interval '1 day') AS d,
            generate_series(0, 2) AS h
       WHERE d + h * interval '1 hour' <> timestamptz '2026-11-26T10:00:00+08:00'`,
    );
    harness.clock.set('2026-11-26T08:01:00+08:00');
    expect(await ask(a, '1')).toBe('抱歉，这个时段刚刚约满了。\n“果园指导”近期已经约满了，请过几天再试，或直接留言说明情况。');
    expect(await harness.query(`SELECT dialog FROM residents WHERE name = '甲'`)).toEqual([{ dialog: null }]);
  });

  it('makes one booking when the confirmation is delivered twice', async () => {
    const harness = await start();
    await harness.cadre('q-farm-b');
    const a = await villager(harness, '甲');
    for (const answer of ['预约', '1', '2', '1', '1']) await ask(a, answer);
    a.say('1');
    a.redeliver(a.lastMessageId!);
    await a.waitForMessages(6);
    await harness.settle();
    expect(await bookings(harness)).toHaveLength(1);
    expect(a.received.filter((m) => m.startsWith('预约成功'))).toHaveLength(1);
  });
});

describe('what residents really type about bookings', () => {
  it('cancels and changes with the words people use, and leaves the dialog with 算了 or goes back with 返回', async () => {
    const harness = await start();
    const wu = await harness.cadre('q-farm-b');
    await harness.cadre('q-office');
    const a = await villager(harness, '甲');
    expect(await ask(a, '取消')).toMatch(/^请问这件事找哪个部门？/); // no booking: 取消 is a matter like any other
    await ask(a, '0');
    for (const answer of ['预约', '1', '2', '1', '1', '好的']) await ask(a, answer); // 101: 27 Nov 09:00, confirmed with 好的
    for (const answer of ['预约', '1', '2', '2', '1', '确认。']) await ask(a, answer); // 102: 27 Nov 11:00 (10:00 is the second left)
    harness.clock.advance(2); // past the minute's message limit
    const list = '您的预约：\n101 11月27日 周五 09:00–10:00 果园指导（吴技术员）\n102 11月27日 周五 11:00–12:00 果园指导（吴技术员）';
    expect(await ask(a, '取消预约')).toBe(`${list}\n要取消哪一个？请回复预约号，如 101。`);
    expect(await ask(a, '不约了')).toBe(`${list}\n要取消哪一个？请回复预约号，如 101。`);
    expect(await ask(a, '改约')).toBe(`${list}\n哪一个要改时间？请回复预约号，如 101。`);
    expect(await ask(a, '算了')).toBe('好的，您的预约都不变。');
    // With a case open and no booking question, a bare 取消 or 算了 is said to the case's holder.
    expect(await ask(a, '取消')).toBe('收到，已转给负责 #1001 的陈秘书。预计 11月26日 11:00 前联系您。');
    expect(await ask(a, '算了')).toBe('收到，已转给负责 #1001 的陈秘书。');
    expect(await ask(a, '取消预约：１０１号')).toBe('预约 101 已取消。');
    expect(await ask(a, '取消 102。')).toBe('预约 102 已取消。');
    await harness.settle();
    expect(wu.received.filter((m) => m.startsWith('【预约取消】'))).toHaveLength(2);

    harness.clock.advance(2); // past the minute's message limit
    await ask(a, '预约');
    await ask(a, '1');
    expect(await ask(a, '返回')).toMatch(/^请选择要预约的服务/);
    expect(await ask(a, '算了')).toBe('已退出预约。需要时再发“预约”。');
    await ask(a, '预约');
    expect(await ask(a, '不去了')).toBe('已退出预约。需要时再发“预约”。');
    expect(await harness.count(`SELECT count(*) FROM cases`)).toBe(1); // only the first 取消's
  });

  it('leaves the dialog when the leaving words come together, and never takes them for the address', async () => {
    const harness = await start();
    const a = await villager(harness, '甲');
    for (const answer of ['预约', '1', '2', '1']) await ask(a, answer); // at the address
    expect(await ask(a, '算了，不约了')).toBe('已退出预约。需要时再发“预约”。');
    for (const answer of ['预约', '1', '2']) await ask(a, answer); // at the slot
    expect(await ask(a, '那算了吧')).toBe('已退出预约。需要时再发“预约”。');
    for (const answer of ['预约', '1', '2', '1', '1']) await ask(a, answer); // at the confirmation
    expect(await ask(a, '不约了，谢谢')).toBe('已退出预约。需要时再发“预约”。');
    expect(await bookings(harness)).toEqual([]);
    expect(await harness.query(`SELECT dialog FROM residents WHERE name = '甲'`)).toEqual([{ dialog: null }]);
  });

  it('takes the booking number alone after asking which one, and 不去了 as cancelling', async () => {
    const harness = await start();
    const wu = await harness.cadre('q-farm-b');
    const a = await villager(harness, '甲');
    for (const answer of ['预约', '1', '2', '1', '1', '好的']) await ask(a, answer); // 101
    for (const answer of ['预约', '1', '2', '2', '1', '确认']) await ask(a, answer); // 102
    harness.clock.advance(2); // past the minute's message limit
    expect(await ask(a, '取消预约')).toMatch(/\n要取消哪一个？请回复预约号，如 101。$/);
    expect(await ask(a, '您好')).toMatch(/\n要取消哪一个？请回复预约号，如 101。$/); // still the question
    expect(await ask(a, '102号')).toBe('预约 102 已取消。');
    // One booking left: nothing to choose. Cancelling it is confirmed (1 or 好的); 改约 starts at once.
    expect(await ask(a, '不去了')).toMatch(/^您的预约：\n101 .*\n确定取消这个预约吗？取消回复 1，保留回复 0。$/);
    expect(await ask(a, '改约')).toMatch(/^为预约 101 改时间/);
    expect(await ask(a, '不约了')).toMatch(/^您的预约：\n101 .*\n确定取消这个预约吗？取消回复 1，保留回复 0。$/);
    expect(await ask(a, '好的')).toBe('预约 101 已取消。');
    await harness.settle();
    expect(wu.received.filter((m) => m.startsWith('【预约取消】'))).toHaveLength(2);
    expect(await harness.count(`SELECT count(*) FROM bookings WHERE status = 'cancelled'`)).toBe(2);
    expect(await harness.count(`SELECT count(*) FROM cases`)).toBe(0);
  });

  it('asks for an address in words when a voice comes instead, and keeps the address when the time changes', async () => {
    const harness = await start();
    await harness.cadre('q-farm-b');
    const a = await villager(harness, '甲');
    for (const answer of ['预约', '1', '2', '1']) await ask(a, answer);
    const before = a.received.length;
    a.sendFile('address.silk');
    const [reply] = (await a.waitForMessages(before + 1)).slice(-1);
    expect(reply).toBe('语音和图片这里记不下，请打字回复。\n请回复上门的地址（如：青山村三组 张家）。直接回复 1 就按“青山村”。\n0 返回，发“取消”退出');
    await ask(a, '青山村四组 周家果园');
    await ask(a, '1');
    expect(await ask(a, '改约 101')).toMatch(/^为预约 101 改时间/);
    await ask(a, '2');
    expect(await ask(a, '2')).toBe('请回复上门的地址。直接回复 1 就按原地址“青山村四组 周家果园”。\n0 返回，发“取消”退出');
    await ask(a, '1');
    expect(await ask(a, '1')).toMatch(/^预约成功，预约号 102。/);
    expect((await bookings(harness)).map((b) => [b.number, b.status, b.address])).toEqual([
      [101, 'cancelled', '青山村四组 周家果园'],
      [102, 'booked', '青山村四组 周家果园'],
    ]);
  });

  it('passes a photo or voice sent during the dialog to the open case, and keeps the booking question', async () => {
    const harness = await start('2026-11-26T09:00:00+08:00');
    const lin = await harness.cadre('q-farm-a');
    await harness.cadre('q-farm-b');
    const a = await villager(harness, '甲');
    const ack = await ask(a, '柑橘叶子发黄了，可能是黄龙病');
    const number = /#(\d+)/.exec(ack)![1];
    await ask(a, '预约');
    await ask(a, '1');
    // By when he will be in touch is said once, not with every message.
    for (const [file, time] of [['leaf.jpg', '预计 11月26日 14:00 前联系您。'], ['how.silk', '']]) {
      const before = a.received.length;
      a.sendFile(file!);
      expect((await a.waitForMessages(before + 1)).at(-1)).toBe(`收到，已转给负责 #${number} 的林技术员。${time}`);
    }
    expect((await lin.waitForMessages(5)).slice(1)).toEqual([
      `【#${number} 群众补充】青山村 甲发来图片，见下条。`, '[文件] leaf.jpg', `【#${number} 群众补充】青山村 甲发来语音，见下条。`, '[文件] how.silk',
    ]);
    // The dialog is where it was: the day is still to be picked.
    expect(await ask(a, '明天')).toMatch(/^11月27日 周五还有这些时段/);
  });

  it('takes 明天 and 10点 for the day and the time, and does not book the same visit twice', async () => {
    const harness = await start();
    await harness.cadre('q-farm-b');
    const a = await villager(harness, '甲');
    await ask(a, '预约');
    await ask(a, '1');
    expect(await ask(a, '明天')).toMatch(/^11月27日 周五还有这些时段/);
    expect(await ask(a, '10点')).toMatch(/^好的，11月27日 周五 10:00–11:00。\n请回复上门的地址/);
    await ask(a, '1');
    expect(await ask(a, '1')).toMatch(/^预约成功，预约号 101。\n11月27日 周五 10:00–11:00/);
    // 体检 has three places a slot: the same resident asking again for one they hold is told so.
    for (const answer of ['预约', '2', '周一', '9点', '1', '1']) await ask(a, answer); // 102
    for (const answer of ['预约', '2', '周一', '9点', '1']) await ask(a, answer);
    expect(await ask(a, '1')).toBe('您已经约了这个时段（预约号 102），不用再约。改时间请发“改约 102”。');
    expect((await bookings(harness)).map((b) => b.number)).toEqual([101, 102]);
    expect(await harness.query(`SELECT booked FROM booking_slots ORDER BY starts_at`)).toEqual([{ booked: 1 }, { booked: 1 }]);
  });

  it('takes a day and a time said together, tells why a day cannot be booked, and follows a change of mind', async () => {
    // The sample township: 田间技术指导 on working days 08:30–12:00 and 14:30–17:30, closed on 1 Dec for training.
    h = await startHarness({ start: '2026-11-26T09:00:00+08:00' });
    const harness = h;
    const zhang = harness.resident('张大爷');
    await harness.query(`INSERT INTO residents (wechat_id, name, village_id, created_at, updated_at) VALUES ($1, '张大爷', 'dongtai', now(), now())`, [zhang.contact.id]);
    await ask(zhang, '预约');
    await ask(zhang, '1');
    expect(await ask(zhang, '明天下午')).toBe('好的，11月27日 周五 14:30–15:30。\n请回复上门的地址（如：东台村三组 张家）。直接回复 1 就按“东台村”。\n0 返回，发“取消”退出');
    // At the address, another day: the day changes, not the address.
    const saturday = await ask(zhang, '后天上午可以吗');
    expect(saturday).toMatch(/^11月28日 周六约不了（休息日）。\n“田间技术指导”可以约这些日子，回复数字：\n1 11月26日 周四/);
    expect(await ask(zhang, '12月1号')).toMatch(/^12月1日 周二约不了（农技站全员培训）。\n“田间技术指导”可以约这些日子/);
    expect(await ask(zhang, '下礼拜一')).toMatch(/^11月30日 周一还有这些时段，回复数字：\n1 08:30–09:30（余 1）\n2 10:00–11:00（余 1）/);
    expect(await ask(zhang, '10:00')).toMatch(/^好的，11月30日 周一 10:00–11:00。\n请回复上门的地址/);
    expect(await ask(zhang, '东台村三组 张家')).toMatch(/^请确认预约：/);
    // At the confirmation, another time of the same day.
    expect(await ask(zhang, '还是八点半吧')).toBe('好的，11月30日 周一 08:30–09:30。\n请回复上门的地址。直接回复 1 就按原地址“东台村三组 张家”。\n0 返回，发“取消”退出');
    expect(await ask(zhang, '7点')).toMatch(/^这个时间约不了。\n11月30日 周一还有这些时段，回复数字：/);
    await ask(zhang, '1');
    await ask(zhang, '1');
    expect(await ask(zhang, '好')).toMatch(/^预约成功，预约号 101。\n11月30日 周一 08:30–09:30 田间技术指导/);
    expect(await harness.query(`SELECT address FROM bookings`)).toEqual([{ address: '东台村三组 张家' }]);
  });

  it('takes up a matter typed into a booking menu instead of asking for a number again', async () => {
    const harness = await start();
    await harness.cadre('q-farm-a');
    const a = await villager(harness, '甲');
    await ask(a, '预约');
    await ask(a, '1');
    const before = a.received.length;
    a.say('柑橘叶子发黄了，可能是黄龙病');
    const replies = (await a.waitForMessages(before + 2)).slice(before);
    expect(replies[0]).toBe('已退出预约。需要时再发“预约”。');
    expect(replies[1]).toMatch(/^已受理，编号 #1001。\n由农业站林技术员/);
    expect(await harness.query(`SELECT dialog FROM residents WHERE name = '甲'`)).toEqual([{ dialog: null }]);
  });

  it('tells a resident booking a service at the station to come to the station', async () => {
    const harness = await start();
    const a = await villager(harness, '甲');
    for (const answer of ['预约', '2', '2', '1']) await ask(a, answer); // 体检, Mon 30 Nov 09:00
    expect(await ask(a, '1')).toBe(
      '请确认预约：\n服务：体检（卫生院）\n时间：11月30日 周一 09:00–09:30\n地点：卫生院（请您到站）\n回复 1 确认；0 返回，发“取消”退出',
    );
    await ask(a, '0');
    expect(await ask(a, '带医保卡')).toContain('地点：卫生院（请您到站）\n备注：带医保卡');
  });

  it('asks for the rating held back by a booking dialog once the dialog lapses', async () => {
    const harness = await start();
    const lin = await harness.cadre('q-farm-a'); // farm duty for 青山村 on Thu 26 Nov
    const a = await villager(harness, '甲');
    expect(await ask(a, '果树施肥的事')).toMatch(/^已受理，编号 #1001。\n由农业站林技术员/);
    await ask(a, '预约');
    expect(await ask(lin, '办结 1001 已处理')).toMatch(/^已办结 #1001/);
    await harness.settle();
    // The rating question waits: "1" would choose a service now.
    expect(a.received.at(-1)).toBe('您的事项 #1001 已由农业站林技术员办结：已处理');
    harness.clock.advance(11);
    await harness.app.worker!.sweep();
    await harness.settle();
    expect(a.received.slice(-2)).toEqual([
      '预约没有完成，已自动退出。需要时请重新发“预约”。',
      '#1001 已办结，请您评价：回复 1 满意，2 基本满意，3 不满意（可附上意见）。',
    ]);
    expect(await ask(a, '1')).toBe('谢谢您的评价！有事随时留言。');
  });
});

describe('my bookings', () => {
  it('lists, cancels before the cut-off, refuses after it, and reschedules freeing the old place only then', async () => {
    const harness = await start();
    const wu = await harness.cadre('q-farm-b');
    const lin = await harness.cadre('q-farm-a');
    const a = await villager(harness, '甲');
    for (const answer of ['预约', '1', '2', '1', '1', '1']) await ask(a, answer); // 101: 27 Nov 09:00
    for (const answer of ['预约', '1', '3', '1', '1', '1']) await ask(a, answer); // 102: 30 Nov 09:00
    expect(await ask(a, '我的预约')).toBe('您的预约：\n101 11月27日 周五 09:00–10:00 果园指导（吴技术员）\n102 11月30日 周一 09:00–10:00 果园指导（林技术员）');

    expect(await ask(a, '取消预约 999')).toBe('没有找到您的预约 999，请发“我的预约”核对。');
    expect(await ask(a, '取消预约 102')).toBe('预约 102 已取消。');
    expect((await lin.waitForMessages(2)).at(-1)).toBe('【预约取消】102 11月30日 周一 09:00–10:00 果园指导（甲）已取消。');

    // 改约 101 to 10:00 the same day: the old place stays taken until the new one is booked.
    expect(await ask(a, '改约 101')).toMatch(/^为预约 101 改时间（新时间约好后，原预约才取消）。\n“果园指导”可以约这些日子/);
    await ask(a, '2'); // 27 Nov
    expect(a.received.at(-1)).toBe('11月27日 周五还有这些时段，回复数字：\n1 10:00–11:00（余 1）\n2 11:00–12:00（余 1）\n0 返回，发“取消”退出');
    await ask(a, '1');
    await ask(a, '1');
    expect(await harness.query(`SELECT status FROM bookings WHERE number = 101`)).toEqual([{ status: 'booked' }]);
    expect(await ask(a, '1')).toMatch(/^预约成功，预约号 103。\n11月27日 周五 10:00–11:00 果园指导，由农业站吴技术员负责。\n原预约 101 已取消。/);
    expect((await bookings(harness)).map((b) => [b.number, b.status])).toEqual([
      [101, 'cancelled'],
      [102, 'cancelled'],
      [103, 'booked'],
    ]);
    const slots = await harness.query<{ starts_at: Date; booked: number }>(`SELECT starts_at, booked FROM booking_slots ORDER BY starts_at`);
    expect(slots.map((s) => s.booked)).toEqual([0, 1, 0]);
    expect(wu.received.some((m) => m.startsWith('【预约取消】101'))).toBe(true);

    // Two hours before the visit it is too late to free the place, not to tell the cadre: the
    // booking stays, 吴 hears it and decides; moving it is refused.
    harness.clock.set('2026-11-27T08:30:00+08:00');
    await harness.settle();
    const heard = wu.received.length;
    expect(await ask(a, '取消预约 103')).toBe('离预约时间很近了，已转告吴技术员您不能按时到（预约 103），请保持电话畅通。');
    expect((await wu.waitForMessages(heard + 1)).at(-1)).toBe(
      '【预约变动】103 11月27日 周五 10:00–11:00 果园指导（甲）：群众说不能按时了。请您和群众联系，不用去的话办完后发“未到 103”。',
    );
    expect(await harness.query(`SELECT status FROM bookings WHERE number = 103`)).toEqual([{ status: 'booked' }]);
    expect(await ask(a, '改约 103')).toBe('离预约时间不到 2 小时，不能在这里取消或改约了，请直接联系负责的同志。');
    harness.clock.set('2026-11-27T11:30:00+08:00'); // the visit is over
    expect(await ask(a, '取消预约 103')).toBe('预约 103 的时间已经过了。需要的话请重新发“预约”。');
  });

  it('cancels, as outside the dialog, when a resident changing the time says 取消预约, 不去了 or 不约了', async () => {
    const harness = await start();
    const wu = await harness.cadre('q-farm-b');
    await harness.cadre('q-farm-a');
    const a = await villager(harness, '甲');
    for (const answer of ['预约', '1', '2', '1', '1', '1']) await ask(a, answer); // 101: 27 Nov 09:00
    // 取消 alone leaves the change of time; the booking stays.
    expect(await ask(a, '改约 101')).toMatch(/^为预约 101 改时间/);
    expect(await ask(a, '取消')).toBe('好的，预约 101 不变。');
    expect(await harness.query(`SELECT status FROM bookings WHERE number = 101`)).toEqual([{ status: 'booked' }]);
    // 取消预约 is about the booking itself: which one is asked, as outside the dialog.
    await ask(a, '改约 101');
    expect(await ask(a, '取消预约')).toBe('您的预约：\n101 11月27日 周五 09:00–10:00 果园指导（吴技术员）\n确定取消这个预约吗？取消回复 1，保留回复 0。');
    expect(await ask(a, '1')).toBe('预约 101 已取消。');
    expect((await wu.waitForMessages(2)).at(-1)).toBe('【预约取消】101 11月27日 周五 09:00–10:00 果园指导（甲）已取消。');

    for (const answer of ['预约', '1', '2', '2', '1', '1']) await ask(a, answer); // 102: 27 Nov 10:00
    for (const answer of ['预约', '1', '3', '1', '1', '1']) await ask(a, answer); // 103: 30 Nov 09:00
    harness.clock.advance(2); // past the minute's message limit
    await ask(a, '改约 102');
    expect(await ask(a, '1')).toMatch(/^11月26日 周四还有这些时段/);
    expect(await ask(a, '不去了')).toMatch(/^您的预约：\n102 .*\n103 .*\n要取消哪一个？请回复预约号，如 102。$/);
    expect(await ask(a, '102号')).toBe('预约 102 已取消。');
    await ask(a, '改约 103');
    expect(await ask(a, '不约了')).toMatch(/^您的预约：\n103 .*\n确定取消这个预约吗？取消回复 1，保留回复 0。$/);
    expect(await ask(a, '0')).toBe('好的，预约 103 不变。'); // nothing cancelled
    // Cancelling the booking being moved, by its number, ends the change of time too.
    await ask(a, '改约 103');
    expect(await ask(a, '取消预约 103')).toBe('预约 103 已取消。');
    expect(await ask(a, '2')).toBe('这个数字没有对应的问题了。要预约请发“预约”；有事请直接留言，说说是什么事。');
    expect((await bookings(harness)).map((b) => [b.number, b.status])).toEqual([
      [101, 'cancelled'],
      [102, 'cancelled'],
      [103, 'cancelled'],
    ]);
    expect(await harness.query(`SELECT booked FROM booking_slots ORDER BY starts_at`)).toEqual([{ booked: 0 }, { booked: 0 }, { booked: 0 }]);
    expect(await harness.count(`SELECT count(*) FROM cases`)).toBe(0);
  });

  it('moves a visit asked for in words (改到下礼拜一上午, 能不能换个时间), taking the new time said at once', async () => {
    const harness = await start();
    await harness.cadre('q-farm-b');
    await harness.cadre('q-farm-a');
    await harness.cadre('q-office');
    const a = await villager(harness, '甲');
    for (const answer of ['预约', '1', '2', '1', '1', '1']) await ask(a, answer); // 101: 27 Nov 09:00
    // The day and the time said with it: straight to the address, the old one offered.
    expect(await ask(a, '我想改到下礼拜一上午')).toBe(
      '为预约 101 改时间（新时间约好后，原预约才取消）。\n好的，11月30日 周一 09:00–10:00。\n请回复上门的地址。直接回复 1 就按原地址“青山村”。\n0 返回，发“取消”退出',
    );
    await ask(a, '1');
    expect(await ask(a, '1')).toMatch(/^预约成功，预约号 102。\n11月30日 周一 09:00–10:00 果园指导.*\n原预约 101 已取消。/);
    // A time alone is the visit's own day; no time said: the days.
    expect(await ask(a, '改到10点行不行')).toMatch(/^为预约 102 改时间（新时间约好后，原预约才取消）。\n好的，11月30日 周一 10:00–11:00。\n请回复上门的地址/);
    expect(await ask(a, '算了')).toBe('好的，预约 102 不变。');
    expect(await ask(a, '能不能换个时间')).toMatch(/^为预约 102 改时间（新时间约好后，原预约才取消）。\n“果园指导”可以约这些日子，回复数字：\n1 11月26日 周四/);
    expect(await ask(a, '算了')).toBe('好的，预约 102 不变。');

    // Two bookings: which one is asked, and the time said is kept for it.
    harness.clock.advance(2); // past the minute's message limit
    for (const answer of ['预约', '1', '2', '2', '1', '1']) await ask(a, answer); // 103: 27 Nov 10:00
    expect(await ask(a, '换到礼拜二')).toMatch(/^您的预约：\n103 .*\n102 .*\n哪一个要改时间？请回复预约号，如 103。$/);
    expect(await ask(a, '103')).toMatch(/^为预约 103 改时间（新时间约好后，原预约才取消）。\n12月1日 周二还有这些时段，回复数字：\n1 09:00–10:00/);
    expect(await ask(a, '算了')).toBe('好的，预约 103 不变。');
    expect(await harness.count(`SELECT count(*) FROM cases`)).toBe(0);

    // With a case open, such words may answer its cadre: only with 预约 in them are they about the visit.
    harness.clock.advance(2);
    expect(await ask(a, '柑橘叶子发黄了，可能是黄龙病')).toMatch(/^已受理，编号 #1001。/);
    expect(await ask(a, '能不能换个时间')).toMatch(/^收到，已转给负责 #1001 的/);
    expect(await ask(a, '预约能不能改到礼拜二')).toMatch(/^您的预约：\n103 .*\n102 .*\n哪一个要改时间？/);
    expect(await ask(a, '算了')).toBe('好的，您的预约都不变。');
    // Without a booking, they are words like any others.
    const b = await villager(harness, '乙');
    expect(await ask(b, '能不能换个时间')).toMatch(/^请问这件事找哪个部门？/);
    expect(await ask(b, '把果树补贴改到我儿子名下')).toMatch(/^您说的已记下。/);
  });

  it('passes 约上了吗 to the holder of her open case when she has no booking: the visit its cadre spoke of', async () => {
    const harness = await start('2026-11-26T09:00:00+08:00');
    const lin = await harness.cadre('q-farm-a');
    const a = await villager(harness, '甲');
    expect(await ask(a, '柑橘叶子发黄了，可能是黄龙病')).toMatch(/^已受理，编号 #1001。/);
    await lin.waitForMessages(1);
    expect(await ask(lin, '回复 1001 我帮您约县里的专家来看')).toMatch(/^已转告/);
    await harness.settle();
    const heard = lin.received.length;
    expect(await ask(a, '约上了吗')).toBe('收到，已转给负责 #1001 的林技术员。');
    expect((await lin.waitForMessages(heard + 1)).at(-1)).toMatch(/^【#1001 群众补充】青山村 甲：.*约上了吗/);
    // Asked by its name, it is about bookings, as it says.
    expect(await ask(a, '我的预约')).toBe('您目前没有预约。发“预约”可以预约上门服务。');
    // With a booking, the words ask after it.
    harness.clock.advance(2); // past the minute's message limit
    for (const answer of ['预约', '1', '2', '1', '1', '1']) await ask(a, answer);
    expect(await ask(a, '约上了吗')).toMatch(/^您的预约：\n101 .* 果园指导/);
  });
});

describe('a confirmation forgotten', () => {
  it('says what is not booked yet when asked in words, and names it when the dialog lapses', async () => {
    const harness = await start();
    await harness.cadre('q-farm-b');
    await harness.cadre('q-farm-a');
    const a = await villager(harness, '甲');
    for (const answer of ['预约', '1', '2', '1', '1', '1']) await ask(a, answer); // 101: 27 Nov 09:00
    for (const answer of ['预约', '1', '3', '1', '1']) await ask(a, answer); // 30 Nov 09:00, at the confirmation
    const confirmation = '请确认预约：\n服务：果园指导（农业站）\n时间：11月30日 周一 09:00–10:00\n地点/备注：青山村\n回复 1 确认；0 返回，发“取消”退出';
    expect(await ask(a, '我约的是哪天来着')).toBe(
      `您的预约：\n101 11月27日 周五 09:00–10:00 果园指导（吴技术员）\n\n下面这个还没有确认，回复 1 才算约好：\n${confirmation}`,
    );
    harness.clock.advance(2); // past the minute's message limit
    expect(await ask(a, '约上了吗')).toMatch(/\n\n下面这个还没有确认，回复 1 才算约好：\n请确认预约：/);
    harness.clock.advance(31);
    const before = a.received.length;
    await harness.app.worker!.sweep();
    expect((await a.waitForMessages(before + 1)).at(-1)).toBe('您选的 11月30日 周一 09:00–10:00 果园指导没有确认，没有约上。需要的话请重新发“预约”。');
    expect(await ask(a, '我约的是哪天来着')).toBe('您的预约：\n101 11月27日 周五 09:00–10:00 果园指导（吴技术员）');

    // A change of time left unfinished: the booking stays as it was, and the resident is told so.
    await ask(a, '改约 101');
    expect(await ask(a, '我约的几点')).toMatch(/^您的预约：\n101 .*\n\n您正在约的还没有约好，请接着回答：\n“果园指导”可以约这些日子/);
    harness.clock.advance(31); // 09:04: the 24 h reminder of 101 is due in the same sweep
    const from = a.received.length;
    await harness.app.worker!.sweep();
    await harness.settle();
    expect(a.received.slice(from)).toEqual([
      '改时间没有完成，预约 101 还是原来的 11月27日 周五 09:00–10:00。',
      expect.stringMatching(/^【预约提醒】11月27日 周五 09:00–10:00 果园指导/),
    ]);
    expect(await harness.count(`SELECT count(*) FROM cases`)).toBe(0);
  });
});

describe('cadres and reminders', () => {
  it('reminds both sides 24 h and 2 h before, once each, sends the morning list, and records completion and no-shows', async () => {
    const harness = await start();
    const lin = await harness.cadre('q-farm-a');
    const a = await villager(harness, '甲');
    for (const answer of ['预约', '1', '3', '2', '好的，在果园门口等', '1']) await ask(a, answer); // 102? no: 101, 30 Nov 10:00
    const [newBooking] = await lin.waitForMessages(1);
    expect(newBooking).toMatch(/^【新预约 101】11月30日 周一 10:00–11:00/);

    harness.clock.set('2026-11-29T10:00:00+08:00');
    await harness.app.worker!.sweep();
    await harness.app.worker!.sweep();
    await harness.settle();
    expect(a.received.filter((m) => m.startsWith('【预约提醒】'))).toEqual([
      '【预约提醒】11月30日 周一 10:00–11:00 果园指导，林技术员负责（预约号 101）。不能按时请发“取消预约 101”，我们会转告林技术员。',
    ]);
    expect(lin.received.filter((m) => m.startsWith('【预约提醒】'))).toEqual([
      '【预约提醒】11月30日 周一 10:00–11:00 果园指导 · 青山村 甲，地点/备注：好的，在果园门口等（预约号 101）',
    ]);
    // Tomorrow's visits, to plan ahead, asked in words.
    expect(await ask(lin, '明天的预约')).toBe('【11月30日 周一 明日预约 1 个】\n101 10:00 果园指导 · 青山村 甲（好的，在果园门口等）');
    expect(await ask(lin, '今天有几个预约？')).toBe('您今天没有预约。');

    harness.clock.set('2026-11-30T07:45:00+08:00');
    await harness.app.worker!.sweep();
    await harness.settle();
    expect(lin.received.at(-1)).toBe('【11月30日 周一 今日预约 1 个】\n101 10:00 果园指导 · 青山村 甲（好的，在果园门口等）');
    harness.clock.set('2026-11-30T08:01:00+08:00');
    await harness.app.worker!.sweep();
    await harness.app.worker!.sweep();
    await harness.settle();
    expect(a.received.filter((m) => m.startsWith('【预约提醒】'))).toHaveLength(2);
    expect(lin.received.filter((m) => m.startsWith('【预约提醒】'))).toHaveLength(2);
    expect(lin.received.filter((m) => m.includes('今日预约'))).toHaveLength(1);

    expect(await ask(lin, '今日预约')).toBe('【11月30日 周一 今日预约 1 个】\n101 10:00 果园指导 · 青山村 甲（好的，在果园门口等）');
    expect(await ask(lin, '今天的预约')).toBe('【11月30日 周一 今日预约 1 个】\n101 10:00 果园指导 · 青山村 甲（好的，在果园门口等）');
    const heard = a.received.length;
    expect(await ask(lin, '完成 101 剪枝和施肥都讲了')).toBe('预约 101 已完成。');
    expect((await a.waitForMessages(heard + 1)).at(-1)).toBe('您的预约 101（果园指导）已办完：剪枝和施肥都讲了\n有事随时留言。');
    expect(await ask(lin, '未到 101')).toBe('预约 101 已经处理过了。');
    expect(await harness.query(`SELECT status, outcome_note FROM bookings`)).toEqual([{ status: 'completed', outcome_note: '剪枝和施肥都讲了' }]);
  });

  it('folds the cadre’s reminder due with the morning list into the list: one message, not two at once', async () => {
    const harness = await start();
    const lin = await harness.cadre('q-farm-a');
    const a = await villager(harness, '甲');
    for (const answer of ['预约', '1', '3', '2', '好的，在果园门口等', '1']) await ask(a, answer); // 101, 30 Nov 10:00
    await lin.waitForMessages(1);
    const heard = { lin: lin.received.length, a: a.received.length };
    // 08:05: the list (from 07:30) and the 2 h reminder (08:00) both due in one sweep.
    harness.clock.set('2026-11-30T08:05:00+08:00');
    await harness.app.worker!.sweep();
    await harness.app.worker!.sweep();
    await harness.settle();
    expect(lin.received.slice(heard.lin)).toEqual(['【11月30日 周一 今日预约 1 个】\n101 10:00 果园指导 · 青山村 甲（好的，在果园门口等）']);
    expect(a.received.slice(heard.a)).toEqual([expect.stringMatching(/^【预约提醒】11月30日 周一 10:00–11:00 果园指导/)]);
  });

  it('lets the cadre move a visit (rain): the resident chooses another time, and the old time is offered to nobody', async () => {
    const harness = await start();
    const wu = await harness.cadre('q-farm-b'); // farm duty for 青山村 on Fri 27 Nov
    const lin = await harness.cadre('q-farm-a');
    const a = await villager(harness, '甲');
    const b = await villager(harness, '乙');
    for (const answer of ['预约', '1', '2', '1', '青山村四组', '1']) await ask(a, answer); // 101: 27 Nov 09:00
    for (const answer of ['预约', '1', '2', '1', '1', '1']) await ask(b, answer); // 102: 27 Nov 10:00
    await harness.settle();

    harness.clock.set('2026-11-26T08:55:00+08:00'); // five minutes before the 24 h reminder of 101
    expect(await ask(lin, '改约 101 下雨')).toBe('预约 101 不由您负责。');
    const heard = a.received.length;
    expect(await ask(wu, '改约 101，下雨')).toBe('预约 101 已取消，已请甲另约时间（原时段不再约给别人）。');
    expect((await a.waitForMessages(heard + 1)).at(-1)).toBe(
      '【预约改期】抱歉，您原定 11月27日 周五 09:00–10:00 的果园指导（预约 101）要改期（吴技术员通知：下雨），请您另约时间。\n' +
        '“果园指导”可以约这些日子，回复数字：\n1 11月26日 周四（余 1）\n2 11月27日 周五（余 1）\n3 11月30日 周一（余 3）\n' +
        '4 12月1日 周二（余 3）\n5 12月2日 周三（余 3）\n6 12月3日 周四（余 3）\n0 返回，发“取消”退出',
    );
    expect(await harness.query(`SELECT status, outcome_note FROM bookings WHERE number = 101`)).toEqual([{ status: 'cancelled', outcome_note: '下雨' }]);
    // No reminder for the visit that will not happen.
    harness.clock.set('2026-11-26T09:01:00+08:00');
    await harness.app.worker!.sweep();
    await harness.settle();
    expect(a.received.filter((m) => m.startsWith('【预约提醒】'))).toEqual([]);

    await ask(a, '下礼拜一');
    expect(await ask(a, '1')).toBe('请回复上门的地址。直接回复 1 就按原地址“青山村四组”。\n0 返回，发“取消”退出');
    await ask(a, '1');
    expect(await ask(a, '1')).toBe(
      '预约成功，预约号 103。\n11月30日 周一 09:00–10:00 果园指导，由农业站林技术员负责。\n如需取消请发“取消预约 103”，改时间请发“改约 103”。',
    );
    expect(await harness.query(`SELECT b.number FROM bookings b JOIN bookings old ON old.id = b.rescheduled_from`)).toEqual([{ number: 103 }]);

    // A resident in the middle of another question is told to book again after it.
    await ask(b, '预约');
    const before = b.received.length;
    await ask(wu, '改约 102');
    expect((await b.waitForMessages(before + 1)).at(-1)).toBe(
      '【预约改期】抱歉，您原定 11月27日 周五 10:00–11:00 的果园指导（预约 102）要改期（吴技术员通知），请您另约时间。\n请先回答上面的问题，之后发“预约”重新约。',
    );
    expect(await ask(wu, '改约 102')).toBe('预约 102 已经处理过了。');
    expect(wu.received.filter((m) => m.startsWith('【预约取消】'))).toEqual([]);
  });

  it('keeps the question her own message set at the moment the cadre moves her visit (改约)', async () => {
    const harness = await start();
    const wu = await harness.cadre('q-farm-b');
    const a = await villager(harness, '甲');
    for (const answer of ['预约', '1', '2', '1', '1', '1']) await ask(a, answer); // 101: 27 Nov 09:00
    await harness.settle();
    const [row] = await harness.query<{ id: number }>(`SELECT id FROM residents WHERE name = '甲'`);
    // Her next message is being handled, and shows her the department menu: it holds her row.
    const heard = a.received.length;
    await whileRowHeld(harness, { table: 'residents', id: row!.id }, () => wu.say('改约 101 下雨'), async (query) => {
      const menu = { kind: 'ask-department', pendingMessageIds: [], attempts: 0, menu: ['farm'], askedAt: harness.clock.now().toISOString() };
      await query(`UPDATE residents SET dialog = $2 WHERE id = $1`, [row!.id, JSON.stringify(menu)]);
    });
    await harness.settle();
    // The visit is moved, and her menu stays the question: she is told to book again after it.
    expect(await harness.query(`SELECT status FROM bookings WHERE number = 101`)).toEqual([{ status: 'cancelled' }]);
    expect(await harness.query(`SELECT dialog->>'kind' AS kind FROM residents WHERE id = $1`, [row!.id])).toEqual([{ kind: 'ask-department' }]);
    expect((await a.waitForMessages(heard + 1)).at(-1)).toMatch(/^【预约改期】.*\n请先回答上面的问题，之后发“预约”重新约。$/);
  });

  it('moves a visit without a deadlock against her own message changing the same booking (her row first, then the booking)', async () => {
    const harness = await start();
    const wu = await harness.cadre('q-farm-b');
    const a = await villager(harness, '甲');
    for (const answer of ['预约', '1', '2', '1', '1', '1']) await ask(a, answer); // 101: 27 Nov 09:00
    await harness.settle();
    const [row] = await harness.query<{ id: number }>(`SELECT id FROM residents WHERE name = '甲'`);
    // Her 取消预约 101 is being handled: it holds her row, and is about to lock the booking.
    await whileRowHeld(harness, { table: 'residents', id: row!.id }, () => wu.say('改约 101 下雨'), async (query) => {
      // The 改约 waits for her row holding nothing she needs: her booking is hers to lock. (Her side
      // looks for a deadlock first, so a cycle would fail her, not the retried job.)
      await query(`SET LOCAL deadlock_timeout = '100ms'`);
      await query(`SET LOCAL lock_timeout = '3s'`);
      await query(`SELECT 1 FROM bookings WHERE number = 101 FOR UPDATE`);
    });
    await harness.settle();
    expect(await harness.query(`SELECT status FROM bookings WHERE number = 101`)).toEqual([{ status: 'cancelled' }]);
  });

  it('sends one reminder, not two, when the sweep finds both due at once', async () => {
    const harness = await start();
    const lin = await harness.cadre('q-farm-a');
    const a = await villager(harness, '甲');
    for (const answer of ['预约', '1', '3', '2', '1', '1']) await ask(a, answer); // 101, 30 Nov 10:00
    harness.clock.set('2026-11-30T08:30:00+08:00'); // the sweep was down since Thursday
    await harness.app.worker!.sweep();
    await harness.app.worker!.sweep();
    await harness.settle();
    expect(a.received.filter((m) => m.startsWith('【预约提醒】'))).toHaveLength(1);
    // 林's reminder is in the morning list that went out in the same sweep.
    expect(lin.received.filter((m) => m.startsWith('【预约提醒】'))).toHaveLength(0);
    expect(lin.received.filter((m) => m.includes('今日预约'))).toHaveLength(1);
    // Cancelled twice: the second answer says it is cancelled, not that it cannot be found.
    harness.clock.set('2026-11-27T09:00:00+08:00');
    expect(await ask(a, '取消预约 101')).toBe('预约 101 已取消。');
    expect(await ask(a, '取消预约 101')).toBe('预约 101 已取消。');
  });

  it('flags a resident with repeated no-shows when they book again', async () => {
    const harness = await start();
    const lin = await harness.cadre('q-farm-a');
    const a = await villager(harness, '甲');
    for (const day of ['3', '3']) {
      for (const answer of ['预约', '1', day, '1', '1', '1']) await ask(a, answer);
    }
    await harness.settle(); // 林 has both new-booking notices before asking
    // 未到 only once the visit has begun; the resident is told, kindly.
    expect(await ask(lin, '未到 101')).toBe('预约 101 在 11月30日 周一 09:00–10:00，到时间后才能记“未到”。');
    harness.clock.set('2026-11-30T12:00:00+08:00');
    expect(await ask(lin, '未到 101')).toBe('已记录预约 101（甲）群众未到。');
    await harness.settle();
    expect(a.received.at(-1)).toBe('您的预约 101（果园指导）工作人员没有等到您。需要的话请重新发“预约”。');
    await ask(lin, '未到 102');
    // The resident's notice of it first, or it would be taken for the answer to 预约 below.
    await harness.settle();
    for (const answer of ['预约', '1', '3', '1', '1', '1']) await ask(a, answer);
    await harness.settle();
    const notices = lin.received.filter((m) => m.startsWith('【新预约'));
    expect(notices).toHaveLength(3);
    expect(notices[0]).not.toContain('次未到');
    expect(notices[2]).toContain('（该群众已 2 次未到，请提前电话确认）');
  });
});

describe('capacity under a rush', () => {
  it('gives the last 3 places of a slot to exactly 3 of 50 residents confirming at once', async () => {
    const harness = await start();
    await harness.cadre('q-clinic');
    const people: Person[] = [];
    for (let i = 0; i < 50; i++) people.push(await villager(harness, `居民${i}`));
    // Everyone is at the confirmation of 体检, Mon 30 Nov 09:00 (three places).
    const slotStart = new Date('2026-11-30T01:00:00Z').getTime();
    const dialog = {
      kind: 'booking', step: 'confirm', expiresAt: '2026-11-26T09:00:00Z', options: [],
      serviceId: 'health-check', day: '2026-11-30', slotStart, address: '青山村',
    };
    await harness.query(`UPDATE residents SET dialog = $1`, [dialog]);

    for (const person of people) person.say('1');
    await Promise.all(people.map((p) => p.waitForMessages(1, 30_000)));
    await harness.settle(30_000);

    const made = await bookings(harness);
    expect(made).toHaveLength(3);
    expect(new Set(made.map((b) => b.starts_at.getTime()))).toEqual(new Set([slotStart]));
    expect(people.filter((p) => p.received[0]!.startsWith('预约成功'))).toHaveLength(3);
    expect(people.filter((p) => p.received[0]!.startsWith('抱歉，这个时段刚刚约满了'))).toHaveLength(47);
    expect(await harness.query(`SELECT booked, capacity FROM booking_slots`)).toEqual([{ booked: 3, capacity: 3 }]);
  });
});

describe('a visit asked for in the resident’s own words', () => {
  const visitLine = '如需预约上门服务，可发“预约”。';

  it('opens the case and says the visit can be booked, only when the words ask for one', async () => {
    const harness = await start('2026-11-26T09:00:00+08:00');
    const a = await villager(harness, '甲');
    const b = await villager(harness, '乙');
    const c = await villager(harness, '丙');
    const d = await villager(harness, '丁');
    const e = await villager(harness, '戊');

    // Placed by its words: 农业站 has 果园指导, a home visit.
    expect(await ask(a, '能不能请人上门看看柑橘，可能是黄龙病')).toBe(
      `已受理，编号 #1001。\n由农业站林技术员（技术员）负责，预计 11月26日 14:00 前联系您。\n有补充请直接留言。\n${visitLine}`,
    );
    expect(await ask(a, '预约')).toMatch(/^请选择要预约的服务，回复数字：/);
    // Placed from the menu: the department chosen decides.
    expect(await ask(b, '我想约农技员来看看我家果树')).toMatch(/^请问这件事找哪个部门？/);
    expect(await ask(b, '1')).toMatch(new RegExp(`^已受理，编号 #1002。\\n由农业站.*\\n有补充请直接留言。\\n${visitLine}$`));
    // 卫生院 books only at the station: no visit is promised.
    await ask(c, '想约个时间来看看');
    expect(await ask(c, '2')).toMatch(/^已受理，编号 #1003。\n由卫生院.*\n有补充请直接留言。\n如需预约时间到站所办理，可发“预约”。$/);
    // Not placed (不清楚): any service the township books will do.
    await ask(d, '能不能预约上门');
    expect(await ask(d, '0')).toMatch(new RegExp(`^已受理，编号 #1004。\\n由乡政府办.*\\n有补充请直接留言。\\n${visitLine}$`));
    // A visit arranged already, and an ordinary matter: no such line.
    expect(await ask(e, '我约了他来看果树，可能是黄龙病')).toBe('已受理，编号 #1005。\n由农业站林技术员（技术员）负责，预计 11月26日 14:00 前联系您。\n有补充请直接留言。');
    expect(await ask(e, '新问题 柑橘叶子发黄了，施肥也没用')).toBe('已受理，编号 #1006。\n由农业站林技术员（技术员）负责，预计 11月26日 14:00 前联系您。\n有补充请直接留言。');
    expect(await harness.count(`SELECT count(*) FROM cases`)).toBe(6);
  });

  it('starts the booking once the village is known when 预约 was typed while the village was asked', async () => {
    const harness = await start('2026-11-26T09:00:00+08:00');
    await harness.cadre('q-farm-a');
    // Asked in words, then the word itself, before the village: the booking, and no case.
    const a = harness.resident('甲');
    await ask(a, '我想给我儿子约个上门的');
    await ask(a, '预约');
    const before = a.received.length;
    a.say('青山村');
    const [registered, services] = (await a.waitForMessages(before + 2)).slice(before);
    expect(registered).toMatch(/^好的，已登记您是青山村的。/);
    expect(services).toMatch(/^请选择要预约的服务，回复数字：\n1 果园指导/);
    expect(await ask(a, '第一个')).toMatch(/^“果园指导”可以约这些日子/);
    // A matter some department is clear for, then 预约: the case, and the booking after it.
    const b = harness.resident('乙');
    await ask(b, '柑橘得了黄龙病');
    await ask(b, '预约');
    const from = b.received.length;
    b.say('1');
    const [, ack, menu] = (await b.waitForMessages(from + 3)).slice(from);
    expect(ack).toMatch(/^已受理，编号 #1001。\n由农业站林技术员/);
    expect(menu).toMatch(/^请选择要预约的服务，回复数字：/);
    await harness.settle();
    expect(await harness.query(`SELECT c.description FROM cases c`)).toEqual([{ description: '柑橘得了黄龙病' }]);
  });

  it('says nothing about booking when the department has nothing to book', async () => {
    h = await startHarness();
    const a = h.resident('甲');
    await h.query(`INSERT INTO residents (wechat_id, name, village_id, created_at, updated_at) VALUES ($1, '甲', 'dongshan', now(), now())`, [a.contact.id]);
    expect(await ask(a, '能不能预约上门，问问低保的事')).toMatch(/^已受理，编号 #1001。\n由民政办.*\n有补充请直接留言。$/);
    expect(await ask(a, '新问题 想请农技员上门看看水稻')).toMatch(new RegExp(`^已受理，编号 #1002。\\n由农技站.*\\n有补充请直接留言。\\n${visitLine}$`));
  });
});
