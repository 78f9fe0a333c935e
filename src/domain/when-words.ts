/**
 * Days and times as residents say them in the booking dialog, instead of a menu number (and as
 * cadres name the days of their leave, 请假):
 * "明天", "后天", "周五", "下礼拜一", "27号", "12月1日"; "上午", "下午", "9点", "两点半", "10:00";
 * and both at once, with the words people put around them: "明天下午", "后天上午可以吗",
 * "那就下礼拜一十点吧". Only what the menu offers can be picked; the caller says why a day named
 * is not on it.
 */
import { DateTime } from 'luxon';
import { bareWords, chineseNumber } from './text.js';

const weekdays: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7 };
const relative: Record<string, number> = { 今天: 0, 今日: 0, 明天: 1, 明日: 1, 明儿: 1, 后天: 2, 大后天: 3 };

/**
 * What is said around a day or a time: "那就…吧", "改到…", "…可以吗", "…左右". A lone 不 is not
 * one: "明天不行" keeps "不" and is no day.
 */
const fillersBefore = /^(?:那就|那|就|还是|改成|改到|换成|换到|我想|俺想|想|我要|俺要|要|约)+/;
const fillersAfter = /(?:可不可以|可以不|可以|行不行|行不|行|好不好|好|中不中|中不|有空|能来|左右|来|的|吧|呢|啊|呀|哈|吗|嘛|么)+$/;

const numeral = '(\\d{1,2}|[一二三四五六七八九十]{1,3})';
/**
 * A day at the start of the words: relative (longer words first: 大后天 before 后天), a weekday,
 * or a date ("27号", "12月1日", "12月1", and the menu's own "11月30日 周一").
 */
const dayAtStart = new RegExp(
  `^(?:(${Object.keys(relative).sort((a, b) => b.length - a.length).join('|')})` +
    `|(这个?|本|下个?)?(?:周|星期|礼拜)([一二三四五六日天1-7])` +
    `|(?:${numeral}月${numeral}[号日]?|${numeral}[号日])(?:周[一二三四五六日天])?)`,
);

/** A time of day: "上午", "下午", "9点", "下午两点半", "10点30分". */
const timeOfDay = /^(?:(上午|早上|早晨)|(下午|午后)|(上午|早上|早晨|下午)?(\d{1,2}|[一二两三四五六七八九十]{1,3})[点时]钟?(半|(\d{1,2})分?)?)$/;

/** "27", "二十七", "两" → the number; null for anything else. */
function count(text: string): number | null {
  return /^\d{1,2}$/.test(text) ? Number(text) : chineseNumber(text);
}

/**
 * The words without what surrounds a day or a time, clock times as words: "10:00" and
 * "10:00–11:00" (as the menu shows them) → "10点00分", "10点到11点" → "10点".
 */
function whenWords(text: string): string {
  const clocks = text
    .normalize('NFKC')
    .replace(/(\d{1,2})\s*[:.]\s*(\d{2})/g, '$1点$2分')
    .replace(/\s*(?:到|至|[-–—~])\s*\d{1,2}点(?:\d{1,2}分|半)?\s*$/, '');
  return bareWords(clocks).replace(fillersBefore, '').replace(fillersAfter, '');
}

/** What the words say about when a visit should be. */
export interface When {
  /**
   * The day named ("YYYY-MM-DD"): the offered one when one fits ("周五": the first Friday offered),
   * else the date meant, which the menu does not offer; null when the words name no day.
   */
  day: string | null;
  /** The words naming a time of day ("下午", "10点"), '' when none. */
  time: string;
}

/**
 * A day, a time of day or both in the words, given the offered dates and today's date (same
 * zone); null when the words are about something else ("我家果园", "明天我不在家").
 */
export function readWhen(text: string, offered: readonly string[], today: string): When | null {
  const said = whenParts(text);
  return said && { day: said.day ? dayNamed(said.day, offered, DateTime.fromISO(today)) : null, time: said.time };
}

/** Whether the words name a day, a time of day or both ("后天下午", "礼拜二"), whatever is offered. */
export function saysWhen(text: string): boolean {
  return whenParts(text) !== null;
}

/** The day match and the time words of {@link readWhen}, before any date is worked out. */
function whenParts(text: string): { day: RegExpExecArray | null; time: string } | null {
  const words = whenWords(text);
  const day = dayAtStart.exec(words);
  const time = (day ? words.slice(day[0].length) : words).replace(/^的/, '');
  if ((!day && !time) || (time && !timeOfDay.test(time))) return null;
  return { day, time };
}

/**
 * A day inside longer words ("我要预约明天上午技术员来看看"): a number with 号 before 楼, 栋, 院 … is a
 * house ("3号楼"), and 每周一 is every week.
 */
const dayInWords = new RegExp(`(?<!每)${dayAtStart.source.slice(1)}(?![楼栋院单室层组门户])`);
/**
 * A time of day inside longer words, right where it starts: a half-day, a clock time, or both; a
 * clock time in Chinese numerals needs a half-day before it unless it is more than 一 ("快一点" is
 * no one o'clock).
 */
const timeInWords = /^(?:(?:上午|早上|早晨|下午|午后)(?:(?:\d{1,2}|[一二两三四五六七八九十]{1,3})点(?:半|\d{1,2}分)?)?|\d{1,2}点(?:半|\d{1,2}分)?|(?!一点)[一二两三四五六七八九十]{1,3}点半?)/;

/**
 * The words naming when, inside longer words: a day and the time of day right after it
 * ("我要预约明天上午技术员来看看" → "明天上午"), a day alone, or a time of day alone ("预约下午来看看"
 * → "下午"); null when there is none. Read them with {@link readWhen}.
 */
export function whenIn(text: string): string | null {
  const words = bareWords(text.normalize('NFKC').replace(/(\d{1,2})\s*[:：]\s*(\d{2})/g, '$1点$2分'));
  const day = dayInWords.exec(words);
  if (day) {
    const time = timeInWords.exec(words.slice(day.index + day[0].length).replace(/^的/, ''));
    return day[0] + (time?.[0] ?? '');
  }
  for (let at = 0; at < words.length; at++) {
    const time = timeInWords.exec(words.slice(at));
    if (time) return time[0];
  }
  return null;
}

/**
 * The day at the start of the words and the time of day right after it, as written ("明天的不去了" →
 * 明天; "明天上午的不去了" → 明天 and 上午), with the length they take; null when they begin with no day.
 */
export function whenAtStart(text: string): { day: string; time?: string; length: number } | null {
  const words = text.normalize('NFKC').trim();
  const day = dayAtStart.exec(words)?.[0];
  if (!day) return null;
  const time = timeInWords.exec(words.slice(day.length))?.[0];
  return time ? { day, time, length: day.length + time.length } : { day, length: day.length };
}

/** Between the two days of a stretch: "今天到周五", "12月3日至12月5日", "3号-5号". */
const stretchJoin = /^[\s\u3000]*(?:到|至|[-–—~～])[\s\u3000]*/;

/** Whether the words begin with a day ("今天…", "周五…", "12月3日…"). */
export function startsWithDay(text: string): boolean {
  return dayAtStart.test(text.normalize('NFKC').trim());
}

/** Days from `from` to `to`, both "YYYY-MM-DD" and inclusive, and what was written after them. */
export interface Days {
  from: string;
  to: string;
  rest: string;
}

/**
 * Days at the start of the words, for a stretch of whole days (请假): one day ("明天"), or two
 * joined by 到, 至 or a dash ("今天到周五", "12月3日到12月5日", "3号至5号"); a weekday or date
 * second is the first such day on or after the first ("周五到下周二", "30号到2号"). Null when
 * the words begin with no day, or with one that is not a date or is past, or end before they begin.
 */
export function readDays(text: string, today: string): Days | null {
  const words = text.normalize('NFKC').trim();
  const first = dayAtStart.exec(words);
  const from = first ? dayNamed(first, [], DateTime.fromISO(today)) : null;
  if (!first || !from) return null;
  const after = words.slice(first[0].length);
  const join = stretchJoin.exec(after);
  const second = join ? dayAtStart.exec(after.slice(join[0].length)) : null;
  // "明天到县里开会": 到 and no day after it is words.
  if (!join || !second) return { from, to: from, rest: after.trim() };
  // "明天到后天": words counted from today are; a weekday or a date is the first on or after `from`.
  const to = dayNamed(second, [], DateTime.fromISO(second[1] ? today : from));
  if (!to || to < from) return null;
  return { from, to, rest: after.slice(join[0].length + second[0].length).trim() };
}

/** The date a day match names: the offered one it fits, or the next such date from today; null for none or a past one. */
function dayNamed(m: RegExpExecArray, offered: readonly string[], today: DateTime): string | null {
  const [, word, week, weekdayWord, monthWord, dayInMonthWord, dayAloneWord] = m;
  const dayWord = dayInMonthWord ?? dayAloneWord;
  if (word) return today.plus({ days: relative[word]! }).toISODate();

  if (weekdayWord) {
    const weekday = weekdays[weekdayWord] ?? Number(weekdayWord);
    // "周五" is the next Friday offered; "这周五" this week's, "下周五" next week's.
    const start = week?.startsWith('下') ? today.plus({ weeks: 1 }).startOf('week') : week ? today.startOf('week') : null;
    const fits = (date: DateTime) => date.weekday === weekday && (!start || (date >= start && date < start.plus({ weeks: 1 })));
    const listed = offered.find((d) => fits(DateTime.fromISO(d)));
    if (listed) return listed;
    const from = start && start > today ? start : today;
    const date = from.plus({ days: (weekday - from.weekday + 7) % 7 });
    return fits(date) ? date.toISODate() : null;
  }

  const month = monthWord ? count(monthWord) : null;
  const dayOfMonth = count(dayWord!);
  if (dayOfMonth === null || (monthWord && month === null)) return null;
  const listed = offered.find((d) => {
    const date = DateTime.fromISO(d);
    return date.day === dayOfMonth && (month === null || date.month === month);
  });
  if (listed) return listed;
  // Not offered: the next such date (this month or year, else the next).
  const candidates = month
    ? [today.set({ month, day: dayOfMonth }), today.plus({ years: 1 }).set({ month, day: dayOfMonth })]
    : [today.set({ day: dayOfMonth }), today.plus({ months: 1 }).set({ day: dayOfMonth })];
  const date = candidates.find((d) => d.isValid && d.day === dayOfMonth && (month === null || d.month === month) && d >= today);
  return date?.toISODate() ?? null;
}

/** The offered slot start (ms) the words name: 上午 / 下午 the first of that half-day, "9点" the one starting then. */
export function pickSlot(text: string, offered: readonly number[], timezone: string): number | null {
  const named = startsAt(text, timezone);
  return (named && offered.find(named)) ?? null;
}

/**
 * Whether a visit starting at a time (ms) is at the time of day the words name: 上午 / 下午 any in
 * that half-day, "9点" one starting then; null when the words name no time of day.
 */
export function startsAt(text: string, timezone: string): ((start: number) => boolean) | null {
  const m = timeOfDay.exec(whenWords(text));
  if (!m) return null;
  const local = (start: number) => DateTime.fromMillis(start, { zone: timezone });
  if (m[1]) return (s) => local(s).hour < 12;
  if (m[2]) return (s) => local(s).hour >= 12;
  let hour = count(m[4]!);
  if (hour === null) return null;
  // "3点" for a visit is three in the afternoon.
  if ((m[3] === '下午' || (!m[3] && hour >= 1 && hour <= 6)) && hour < 12) hour += 12;
  const minute = m[5] ? (m[6] ? Number(m[6]) : 30) : 0;
  return (s) => local(s).hour === hour && local(s).minute === minute;
}
