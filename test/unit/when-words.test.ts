import { describe, expect, it } from 'vitest';
import { pickSlot, readDays, readWhen, whenIn } from '../../src/domain/when-words.js';

const tz = 'Asia/Shanghai';
// Thursday 26 Nov 2026; the menu offers working days only.
const offered = ['2026-11-26', '2026-11-27', '2026-11-30', '2026-12-01', '2026-12-04'];

describe('days as residents say them', () => {
  /** The day the words name, on Thursday 26 Nov 2026. */
  const day = (text: string, menu: readonly string[] = offered) => readWhen(text, menu, '2026-11-26')?.day ?? null;

  it('reads the offered day the words name', () => {
    expect(day('今天')).toBe('2026-11-26');
    expect(day('明天。')).toBe('2026-11-27');
    expect(day('周五')).toBe('2026-11-27');
    expect(day('星期一')).toBe('2026-11-30');
    expect(day('下周五')).toBe('2026-12-04');
    expect(day('27号')).toBe('2026-11-27');
    expect(day('一号')).toBe('2026-12-01');
    expect(day('12月1日')).toBe('2026-12-01');
    expect(day('１２月１日')).toBe('2026-12-01');
    expect(day('这周五')).toBe('2026-11-27');
  });

  it('reads a day the menu does not offer as that day (the booking says why it cannot be), and no day from other words', () => {
    expect(day('后天')).toBe('2026-11-28'); // Saturday
    expect(day('周六')).toBe('2026-11-28');
    expect(day('28号')).toBe('2026-11-28');
    expect(day('这周五', ['2026-11-30', '2026-12-04'])).toBe('2026-11-27'); // this week's, not next week's
    expect(day('本周一')).toBeNull(); // this week's Monday is past
    expect(day('我家果园')).toBeNull();
  });
});

describe('a day and a time said together, with the words around them', () => {
  const today = '2026-11-26';

  it('reads the day and the time of day apart', () => {
    expect(readWhen('明天下午', offered, today)).toEqual({ day: '2026-11-27', time: '下午' });
    expect(readWhen('那就下礼拜一十点吧', offered, today)).toEqual({ day: '2026-11-30', time: '十点' });
    expect(readWhen('周一行不行', offered, today)).toEqual({ day: '2026-11-30', time: '' });
    expect(readWhen('后天上午可以嘛', offered, today)).toEqual({ day: '2026-11-28', time: '上午' });
    expect(readWhen('明天 下午3点行', offered, today)).toEqual({ day: '2026-11-27', time: '下午3点' });
    expect(readWhen('星期1', offered, today)).toEqual({ day: '2026-11-30', time: '' });
    expect(readWhen('11月30日 周一', offered, today)).toEqual({ day: '2026-11-30', time: '' }); // copied from the menu
    expect(readWhen('12月1', offered, today)).toEqual({ day: '2026-12-01', time: '' });
    expect(readWhen('明天的上午10:00', offered, today)).toEqual({ day: '2026-11-27', time: '上午10点00分' });
    expect(readWhen('十点左右', offered, today)).toEqual({ day: null, time: '十点' });
  });

  it('names the date meant when the menu does not offer it, so the resident can be told why', () => {
    expect(readWhen('后天上午可以吗', offered, today)).toEqual({ day: '2026-11-28', time: '上午' }); // Saturday
    expect(readWhen('大后天', offered, today)).toEqual({ day: '2026-11-29', time: '' });
    expect(readWhen('周六', offered, today)).toEqual({ day: '2026-11-28', time: '' });
    expect(readWhen('下周三', offered, today)).toEqual({ day: '2026-12-02', time: '' });
    expect(readWhen('31号', offered, today)).toEqual({ day: '2026-12-31', time: '' }); // November has no 31st
    expect(readWhen('25号', offered, today)).toEqual({ day: '2026-12-25', time: '' }); // the 25th is past this month
    expect(readWhen('2月30号', offered, today)).toEqual({ day: null, time: '' });
  });

  it('is nothing for words about something else', () => {
    for (const text of ['明天我不在家', '明天不行', '后天不好', '我家果园', '东台村三组', '', '三组张家']) expect(readWhen(text, offered, today), text).toBeNull();
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
    // As the menu writes them, and with the words around them.
    expect(pickSlot('09:30', slots, tz)).toBe(at('09:30'));
    expect(pickSlot('１４：００', slots, tz)).toBe(at('14:00'));
    expect(pickSlot('15:00–16:00', slots, tz)).toBe(at('15:00'));
    expect(pickSlot('2点到3点', slots, tz)).toBe(at('14:00'));
    expect(pickSlot('下午可以吗', slots, tz)).toBe(at('14:00'));
    expect(pickSlot('那就九点半吧', slots, tz)).toBe(at('09:30'));
  });

  it('picks nothing the menu does not offer', () => {
    expect(pickSlot('10点', slots, tz)).toBeNull();
    expect(pickSlot('晚上', slots, tz)).toBeNull();
  });
});

describe('when, inside longer words', () => {
  it('finds a day and the time of day right after it, a day alone, or a time alone', () => {
    expect(whenIn('我要预约明天上午技术员来看看')).toBe('明天上午');
    expect(whenIn('想预约后天请农技站的人来看看猪')).toBe('后天');
    expect(whenIn('下礼拜一的上午能来吗')).toBe('下礼拜一上午');
    expect(whenIn('预约明天10:00')).toBe('明天10点00分');
    expect(whenIn('明天早上八点来')).toBe('明天早上八点');
    expect(whenIn('预约下午来看看')).toBe('下午');
    expect(whenIn('约个十一点')).toBe('十一点');
  });

  it('finds none in a house number, every week, or 一点 that is a little', () => {
    expect(whenIn('我家住3号楼')).toBeNull();
    expect(whenIn('每周一都来')).toBeNull();
    expect(whenIn('快一点来看看')).toBeNull();
    expect(whenIn('猪不吃食')).toBeNull();
  });
});

describe('days of a leave (请假)', () => {
  // Thursday 26 Nov 2026.
  const today = '2026-11-26';

  it('reads one day, or two joined by 到, 至 or a dash, the second from the first', () => {
    expect(readDays('今天', today)).toEqual({ from: '2026-11-26', to: '2026-11-26', rest: '' });
    expect(readDays('明天 孩子发烧', today)).toEqual({ from: '2026-11-27', to: '2026-11-27', rest: '孩子发烧' });
    expect(readDays('今天到周五', today)).toEqual({ from: '2026-11-26', to: '2026-11-27', rest: '' });
    expect(readDays('周五到下周二 培训', today)).toEqual({ from: '2026-11-27', to: '2026-12-01', rest: '培训' });
    expect(readDays('12月3日到12月5日', today)).toEqual({ from: '2026-12-03', to: '2026-12-05', rest: '' });
    expect(readDays('30号至2号', today)).toEqual({ from: '2026-11-30', to: '2026-12-02', rest: '' });
    expect(readDays('１２月３日-５日', today)).toEqual({ from: '2026-12-03', to: '2026-12-05', rest: '' });
    // 明天 and 后天 are from today, wherever they stand.
    expect(readDays('明天到后天', today)).toEqual({ from: '2026-11-27', to: '2026-11-28', rest: '' });
    // 到 with no day after it is words.
    expect(readDays('明天到县里开会', today)).toEqual({ from: '2026-11-27', to: '2026-11-27', rest: '到县里开会' });
  });

  it('is nothing without a day first, for a past day, or for days that end before they begin', () => {
    expect(readDays('感冒了', today)).toBeNull();
    expect(readDays('本周一', today)).toBeNull();
    expect(readDays('2月30日', today)).toBeNull();
    expect(readDays('后天到明天', today)).toBeNull();
  });
});
