import { describe, expect, it } from 'vitest';
import type { ServiceConfig } from '../../src/config/schema.js';
import { chineseCalendar } from '../../src/domain/calendar.js';
import { openSlots, slotsOn } from '../../src/domain/slots.js';

const tz = 'Asia/Shanghai';
const visit: ServiceConfig = {
  id: 'visit', name: '上门', where: 'home', durationMinutes: 60, capacity: 2, bufferMinutes: 30,
  minNoticeMinutes: 120, horizonDays: 3,
  plan: [{ days: 'workdays', hours: ['14:30-17:30', '08:30-12:00'] }],
  exceptions: [{ date: '2026-11-27', closed: true }, { date: '2026-11-30', closed: false, hours: ['09:00-10:00'] }],
};
const times = (slots: { startsAt: Date }[]) =>
  slots.map((s) => s.startsAt.toLocaleTimeString('zh-CN', { timeZone: tz, hour: '2-digit', minute: '2-digit', hour12: false }));

describe('booking slots', () => {
  it('fills the working plan with slots and travel gaps, in order', () => {
    expect(times(slotsOn(visit, '2026-11-26', tz, chineseCalendar))).toEqual(['08:30', '10:00', '14:30', '16:00']);
  });

  it('follows the calendar: none on 国庆, some on the 调休 Saturday', () => {
    expect(slotsOn(visit, '2026-10-01', tz, chineseCalendar)).toEqual([]);
    expect(slotsOn(visit, '2026-10-10', tz, chineseCalendar)).toHaveLength(4);
  });

  it('skips public holidays for a weekday plan too, unless it says everyday', () => {
    const tuesdays: ServiceConfig = { ...visit, plan: [{ days: ['tue', 'thu'], hours: ['08:30-11:30'] }], exceptions: [] };
    expect(slotsOn(tuesdays, '2026-10-06', tz, chineseCalendar)).toEqual([]); // a Tuesday in 国庆
    expect(slotsOn(tuesdays, '2026-10-13', tz, chineseCalendar)).toHaveLength(2);
    const always: ServiceConfig = { ...visit, plan: [{ days: 'everyday', hours: ['08:30-11:30'] }], exceptions: [] };
    expect(slotsOn(always, '2026-10-06', tz, chineseCalendar)).toHaveLength(2);
  });

  it('takes dated exceptions: closed, or other hours', () => {
    expect(slotsOn(visit, '2026-11-27', tz, chineseCalendar)).toEqual([]);
    expect(times(slotsOn(visit, '2026-11-30', tz, chineseCalendar))).toEqual(['09:00']);
  });

  it('offers only slots with room, far enough ahead, within the horizon', () => {
    const now = new Date('2026-11-26T08:00:00+08:00');
    const full = new Date('2026-11-26T14:30:00+08:00').getTime();
    const open = openSlots(visit, now, tz, chineseCalendar, new Map([[full, 2]]));
    // Today: 08:30 is less than two hours away, 10:00 just enough, 14:30 full, 16:00 free; the 27th
    // is closed, the 28th–29th a weekend; the horizon (3 days) ends on the 29th.
    expect(open.map((s) => [s.startsAt.toISOString(), s.free])).toEqual([
      ['2026-11-26T02:00:00.000Z', 2],
      ['2026-11-26T08:00:00.000Z', 2],
    ]);
  });
});
