import { describe, expect, it } from 'vitest';
import { chineseCalendar } from '../../src/domain/calendar.js';
import { readLeave } from '../../src/domain/leave.js';

describe('a leave as cadres write it', () => {
  // Thursday 26 Nov 2026; 28–29 Nov a weekend.
  const read = (text: string, today = '2026-11-26') => readLeave(text, today, chineseCalendar);

  it('reads the days named and the reason after them', () => {
    expect(read('今天')).toEqual({ from: '2026-11-26', to: '2026-11-26', workdays: null, reason: '' });
    expect(read('明天，孩子发烧。')).toEqual({ from: '2026-11-27', to: '2026-11-27', workdays: null, reason: '孩子发烧' });
    expect(read('今天到周五 感冒')).toEqual({ from: '2026-11-26', to: '2026-11-27', workdays: null, reason: '感冒' });
  });

  it('counts "3天" as working days from today, weekends not counted', () => {
    expect(read('3天 家里有事')).toEqual({ from: '2026-11-26', to: '2026-11-30', workdays: 3, reason: '家里有事' });
    expect(read('三天')).toMatchObject({ from: '2026-11-26', to: '2026-11-30', workdays: 3 });
    expect(read('两个工作日')).toMatchObject({ to: '2026-11-27', workdays: 2 });
    // Asked on a Saturday: from today to the third working day.
    expect(read('3天', '2026-11-28')).toMatchObject({ from: '2026-11-28', to: '2026-12-02', workdays: 3 });
    // 国庆 2026: 1–7 Oct off, Saturday 10 Oct a 调休 workday.
    expect(read('3天', '2026-09-30')).toMatchObject({ to: '2026-10-09' });
  });

  it('is nothing without days it can take', () => {
    expect(read('感冒')).toBeNull();
    expect(read('0天')).toBeNull();
    expect(read('31天')).toBeNull();
  });
});
