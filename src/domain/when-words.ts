/**
 * Days and times as residents say them in the booking dialog, instead of a menu number:
 * "明天", "后天", "周五", "27号", "12月1日"; "上午", "下午", "9点", "九点半". Only what the menu
 * offers can be picked; anything else is null and the menu is shown again.
 */
import { DateTime } from 'luxon';
import Nzh from 'nzh';

const weekdays: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7 };
const relative: Record<string, number> = { 今天: 0, 今日: 0, 明天: 1, 明日: 1, 后天: 2, 大后天: 3 };

/** "27", "二十七" → 27; null for anything else. */
function count(text: string): number | null {
  if (/^\d{1,2}$/.test(text)) return Number(text);
  return /^[一二三四五六七八九十]{1,3}$/.test(text) ? Number(Nzh.cn.decodeS(text)) : null;
}

function compact(text: string): string {
  return text.normalize('NFKC').replace(/[\s\p{P}]/gu, '');
}

/** The offered date ("YYYY-MM-DD") the words name, given today's date in the same zone. */
export function pickDay(text: string, offered: readonly string[], today: string): string | null {
  const words = compact(text).replace(/^(下个?|这个?|本)(?=周|星期|礼拜)/, (prefix) => (prefix.startsWith('下') ? '下' : ''));
  const base = DateTime.fromISO(today);
  const wanted = (date: DateTime) => offered.find((d) => d === date.toISODate()) ?? null;

  if (words in relative) return wanted(base.plus({ days: relative[words]! }));
  const weekday = /^(下)?(?:周|星期|礼拜)([一二三四五六日天])$/.exec(words);
  if (weekday) {
    const day = weekdays[weekday[2]!]!;
    // "周五" is the next Friday offered; "下周五" the one in next week.
    const nextWeek = base.plus({ weeks: 1 }).startOf('week');
    return offered.find((d) => {
      const date = DateTime.fromISO(d);
      return date.weekday === day && (!weekday[1] || (date >= nextWeek && date < nextWeek.plus({ weeks: 1 })));
    }) ?? null;
  }
  const dated = /^(?:(\d{1,2}|[一二三四五六七八九十]{1,3})月)?(\d{1,2}|[一二三四五六七八九十]{1,3})[号日]$/.exec(words);
  if (dated) {
    const month = dated[1] ? count(dated[1]) : null;
    const day = count(dated[2]!);
    return offered.find((d) => {
      const date = DateTime.fromISO(d);
      return date.day === day && (month === null || date.month === month);
    }) ?? null;
  }
  return null;
}

/** The offered slot start (ms) the words name: 上午 / 下午 the first of that half-day, "9点" the one starting then. */
export function pickSlot(text: string, offered: readonly number[], timezone: string): number | null {
  const words = compact(text);
  const hourOf = (start: number) => DateTime.fromMillis(start, { zone: timezone });
  if (/^(上午|早上|早晨)$/.test(words)) return offered.find((s) => hourOf(s).hour < 12) ?? null;
  if (/^(下午|午后)$/.test(words)) return offered.find((s) => hourOf(s).hour >= 12) ?? null;
  const clock = /^(上午|早上|下午)?(\d{1,2}|[一二三四五六七八九十]{1,3})[点时](半|30分?|(\d{1,2})分?)?$/.exec(words);
  if (!clock) return null;
  let hour = count(clock[2]!);
  if (hour === null) return null;
  // "3点" for a visit is three in the afternoon.
  if ((clock[1] === '下午' || (!clock[1] && hour >= 1 && hour <= 6)) && hour < 12) hour += 12;
  const minute = clock[3] ? (clock[3].startsWith('半') || clock[3].startsWith('30') ? 30 : Number(clock[4])) : 0;
  return offered.find((s) => hourOf(s).hour === hour && hourOf(s).minute === minute) ?? null;
}
