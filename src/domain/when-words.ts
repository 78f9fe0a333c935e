/**
 * Days and times as residents say them in the booking dialog, instead of a menu number:
 * "明天", "后天", "周五", "下周一", "27号", "12月1日"; "上午", "下午", "9点", "两点半", "3点钟".
 * Only what the menu offers can be picked; anything else is null and the menu is shown again.
 */
import { DateTime } from 'luxon';
import { bareWords, chineseNumber } from './text.js';

const weekdays: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7 };
const relative: Record<string, number> = { 今天: 0, 今日: 0, 明天: 1, 明日: 1, 后天: 2, 大后天: 3 };

/** "27", "二十七", "两" → the number; null for anything else. */
function count(text: string): number | null {
  return /^\d{1,2}$/.test(text) ? Number(text) : chineseNumber(text);
}

/** The offered date ("YYYY-MM-DD") the words name, given today's date in the same zone. */
export function pickDay(text: string, offered: readonly string[], today: string): string | null {
  const words = bareWords(text);
  const base = DateTime.fromISO(today);
  if (words in relative) return offered.find((d) => d === base.plus({ days: relative[words]! }).toISODate()) ?? null;

  const weekday = /^(这个?|本|下个?)?(?:周|星期|礼拜)([一二三四五六日天])$/.exec(words);
  if (weekday) {
    const day = weekdays[weekday[2]!]!;
    // "周五" is the next Friday offered; "这周五" this week's, "下周五" next week's, or none.
    const week = weekday[1]?.startsWith('下') ? base.plus({ weeks: 1 }).startOf('week') : weekday[1] ? base.startOf('week') : null;
    return (
      offered.find((d) => {
        const date = DateTime.fromISO(d);
        return date.weekday === day && (!week || (date >= week && date < week.plus({ weeks: 1 })));
      }) ?? null
    );
  }

  const dated = /^(?:(\d{1,2}|[一二三四五六七八九十]{1,3})月)?(\d{1,2}|[一二三四五六七八九十]{1,3})[号日]$/.exec(words);
  if (dated) {
    const month = dated[1] ? count(dated[1]) : null;
    const day = count(dated[2]!);
    return (
      offered.find((d) => {
        const date = DateTime.fromISO(d);
        return date.day === day && (month === null || date.month === month);
      }) ?? null
    );
  }
  return null;
}

/** The offered slot start (ms) the words name: 上午 / 下午 the first of that half-day, "9点" the one starting then. */
export function pickSlot(text: string, offered: readonly number[], timezone: string): number | null {
  const words = bareWords(text);
  const local = (start: number) => DateTime.fromMillis(start, { zone: timezone });
  if (/^(上午|早上|早晨)$/.test(words)) return offered.find((s) => local(s).hour < 12) ?? null;
  if (/^(下午|午后)$/.test(words)) return offered.find((s) => local(s).hour >= 12) ?? null;
  const clock = /^(上午|早上|早晨|下午)?(\d{1,2}|[一二两三四五六七八九十]{1,3})[点时]钟?(半|30分?|(\d{1,2})分)?$/.exec(words);
  if (!clock) return null;
  let hour = count(clock[2]!);
  if (hour === null) return null;
  // "3点" for a visit is three in the afternoon.
  if ((clock[1] === '下午' || (!clock[1] && hour >= 1 && hour <= 6)) && hour < 12) hour += 12;
  const minute = clock[3] ? (clock[4] ? Number(clock[4]) : 30) : 0;
  return offered.find((s) => local(s).hour === hour && local(s).minute === minute) ?? null;
}
