/**
 * Leave (请假) as cadres write it: the days, then the reason if any. "今天", "明天 孩子发烧",
 * "今天到周五", "12月3日到12月5日" (see `readDays`), or a number of days, "3天", "三天",
 * "3个工作日": working days, today the first when it is one.
 */
import { DateTime } from 'luxon';
import type { WorkCalendar } from './calendar.js';
import { chineseNumber, tidyWords } from './text.js';
import { readDays, startsWithDay } from './when-words.js';

/** A leave read from a cadre's words: dates "YYYY-MM-DD", inclusive. */
export interface LeaveWords {
  from: string;
  to: string;
  /** "3天": the number of working days asked for; null when the days were named. */
  workdays: number | null;
  /** '' when none was given. */
  reason: string;
}

/** Most working days one 请假 asks for by number (a longer leave names its days). */
export const maxLeaveWorkdays = 30;

/** "3天", "三天", "两个工作日" at the start of the words. */
const dayCount = /^([0-9]{1,2}|[一二两三四五六七八九十]{1,3})[\s\u3000]*个?(?:工作日|天)/;

/** The reason after the days: without the separator before it or the "。" after it. */
const reasonOf = (rest: string) => tidyWords(rest.replace(/^[\s\u3000:：,，、]+/, '').replace(/[\s。.！!~～]+$/, ''));

/** Whether the words begin with the days of a leave (not with a name). */
export function startsWithLeaveDays(text: string): boolean {
  return startsWithDay(text) || dayCount.test(text.normalize('NFKC').trim());
}

/** The leave in `text` ("今天到周五 感冒") as of `today`; null when it names no days that can be taken. */
export function readLeave(text: string, today: string, calendar: WorkCalendar): LeaveWords | null {
  const words = text.normalize('NFKC').trim();
  const counted = dayCount.exec(words);
  if (counted) {
    const n = /^\d+$/.test(counted[1]!) ? Number(counted[1]) : chineseNumber(counted[1]!);
    if (!n || n > maxLeaveWorkdays) return null;
    return { from: today, to: nthWorkday(today, n, calendar), workdays: n, reason: reasonOf(words.slice(counted[0].length)) };
  }
  const days = readDays(words, today);
  return days ? { from: days.from, to: days.to, workdays: null, reason: reasonOf(days.rest) } : null;
}

/** The `n`th working day counting from `from` (itself the first when it is one). */
function nthWorkday(from: string, n: number, calendar: WorkCalendar): string {
  let date = DateTime.fromISO(from);
  let counted = calendar.isWorkday(from) ? 1 : 0;
  while (counted < n) {
    date = date.plus({ days: 1 });
    if (calendar.isWorkday(date.toISODate()!)) counted++;
  }
  return date.toISODate()!;
}
