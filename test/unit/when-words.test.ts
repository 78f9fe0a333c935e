import { describe, expect, it } from 'vitest';
import { pickDay, pickSlot } from '../../src/domain/when-words.js';

const tz = 'Asia/Shanghai';
// Thursday 26 Nov 2026; the menu offers working days only.
const offered = ['2026-11-26', '2026-11-27', '2026-11-30', '2026-12-01', '2026-12-04'];

describe('days as residents say them', () => {
  it('picks the offered day the words name', () => {
    expect(pickDay('今天', offered, '2026-11-26')).toBe('2026-11-26');
    expect(pickDay('明天。', offered, '2026-11-26')).toBe('2026-11-27');
    expect(pickDay('周五', offered, '2026-11-26')).toBe('2026-11-27');
    expect(pickDay('星期一', offered, '2026-11-26')).toBe('2026-11-30');
    expect(pickDay('下周五', offered, '2026-11-26')).toBe('2026-12-04');
    expect(pickDay('27号', offered, '2026-11-26')).toBe('2026-11-27');
    expect(pickDay('一号', offered, '2026-11-26')).toBe('2026-12-01');
    expect(pickDay('12月1日', offered, '2026-11-26')).toBe('2026-12-01');
    expect(pickDay('１２月１日', offered, '2026-11-26')).toBe('2026-12-01');
    expect(pickDay('这周五', offered, '2026-11-26')).toBe('2026-11-27');
  });

  it('picks nothing the menu does not offer, nor what is no day', () => {
    expect(pickDay('后天', offered, '2026-11-26')).toBeNull(); // Saturday
    expect(pickDay('周六', offered, '2026-11-26')).toBeNull();
    expect(pickDay('28号', offered, '2026-11-26')).toBeNull();
    expect(pickDay('我家果园', offered, '2026-11-26')).toBeNull();
    expect(pickDay('这周五', ['2026-11-30', '2026-12-04'], '2026-11-26')).toBeNull(); // not next week's
    expect(pickDay('本周一', offered, '2026-11-26')).toBeNull(); // this week's Monday is past
  });
});

describe('times as residents say them', () => {
  const at = (hhmm: string) => new Date(`2026-11-27T${hhmm}:00+08:00`).getTime();
  const slots = [at('09:00'), at('09:30'), at('14:00'), at('15:00')];

  it('picks the offered slot the words name', () => {
    expect(pickSlot('上午', slots, tz)).toBe(at('09:00'));
    expect(pickSlot('下午', slots, tz)).toBe(at('14:00'));
    expect(pickSlot('9点', slots, tz)).toBe(at('09:00'));
    expect(pickSlot('九点半', slots, tz)).toBe(at('09:30'));
    expect(pickSlot('下午3点', slots, tz)).toBe(at('15:00'));
    expect(pickSlot('3点', slots, tz)).toBe(at('15:00'));
    expect(pickSlot('两点', slots, tz)).toBe(at('14:00'));
    expect(pickSlot('下午两点', slots, tz)).toBe(at('14:00'));
    expect(pickSlot('3点钟', slots, tz)).toBe(at('15:00'));
    expect(pickSlot('早晨9点', slots, tz)).toBe(at('09:00'));
  });

  it('picks nothing the menu does not offer', () => {
    expect(pickSlot('10点', slots, tz)).toBeNull();
    expect(pickSlot('晚上', slots, tz)).toBeNull();
  });
});
