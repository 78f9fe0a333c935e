/**
 * An elderly villager as she writes: her group by its name (新庄组, 上湾组) after her village or
 * alone. Sample township config; the SLA sweep is off (hourly).
 *
 * 东台村: 城建办 孔卫东. 26 Nov 2026 is a Thursday.
 */
import { describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { casesOf, chat, t } from '../support/chat.js';

let h: Harness;
const { useHarness, news, contact, send } = chat((started) => (h = started));

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
