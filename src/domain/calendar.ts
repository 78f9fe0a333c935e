/**
 * Which dates are working days in mainland China.
 *
 * Backed by the holiday tables shipped with `chinese-days` (holidays off, 调休 make-up days on,
 * otherwise Monday–Friday). The tables are read from the package's prebuilt JSON instead of its
 * `isWorkday()` function: that function parses "YYYY-MM-DD" as UTC but reads it back in the
 * process's local time zone, so on a machine west of UTC every answer is shifted by one day.
 *
 * The State Council publishes next year's schedule each November, often before `chinese-days`
 * ships it: `calendar.holidays` / `calendar.workdays` in township.yaml add those dates (and
 * correct any). Past the last year known either way, dates fall back to plain Monday–Friday.
 */
import type { DayRule } from '../config/schema.js';
import tables from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

/** A working-day calendar. */
export interface WorkCalendar {
  /** Whether `date` ("YYYY-MM-DD", a date in township time) is a working day. */
  isWorkday(date: string): boolean;
  /** Whether `date` is a public holiday (国庆, 春节 …); a calendar without holidays may leave it out. */
  isHoliday?(date: string): boolean;
  /** The holiday's Chinese name ("国庆节") when `date` is a public holiday, '' for one named nowhere (the township's own); null on other days. */
  holidayName?(date: string): string | null;
  /** The last year whose holidays the calendar knows, when it knows holidays by year. */
  lastKnownYear?: number;
}

/** Dates the township adds to the package's tables: holidays off, 调休 days on. */
export interface CalendarDates {
  holidays: readonly string[];
  workdays: readonly string[];
}

/** The Chinese calendar: holidays known, and up to which year (in the package's tables or the township's dates). */
export type ChineseCalendar = Required<WorkCalendar>;

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day of week of a calendar date, 0 = Sunday … 6 = Saturday, independent of the process time zone. */
function weekdayOf(date: string): number {
  const match = isoDatePattern.exec(date);
  if (!match) throw new RangeError(`not a date "YYYY-MM-DD": ${JSON.stringify(date)}`);
  const [, year, month, day] = match;
  const utc = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (utc.toISOString().slice(0, 10) !== date) throw new RangeError(`no such date: ${date}`);
  return utc.getUTCDay();
}

/** The mainland China calendar (public holidays off, 调休 Saturdays/Sundays on), with the township's own dates on top. */
export function createChineseCalendar(added: CalendarDates = { holidays: [], workdays: [] }): ChineseCalendar {
  const holidays = new Set([...Object.keys(tables.holidays).filter((d) => !added.workdays.includes(d)), ...added.holidays]);
  const workdays = new Set([...Object.keys(tables.workdays).filter((d) => !added.holidays.includes(d)), ...added.workdays]);
  /** Answers already given: a date's answer never changes within a process, and SLA and slot arithmetic ask often. */
  const answers = new Map<string, boolean>();
  return {
    isWorkday(date: string): boolean {
      const known = answers.get(date);
      if (known !== undefined) return known;
      const weekday = weekdayOf(date);
      const answer = workdays.has(date) || (!holidays.has(date) && weekday >= 1 && weekday <= 5);
      if (answers.size > 10_000) answers.clear();
      answers.set(date, answer);
      return answer;
    },
    isHoliday: (date: string) => holidays.has(date) && !workdays.has(date),
    // The package's entries read "National Day,国庆节,3".
    holidayName: (date: string) =>
      holidays.has(date) && !workdays.has(date) ? ((tables.holidays as Record<string, string>)[date]?.split(',')[1] ?? '') : null,
    lastKnownYear: Math.max(...[...holidays].map((d) => Number(d.slice(0, 4)))),
  };
}

/** The package's tables alone. */
export const chineseCalendar = createChineseCalendar();

/**
 * The year whose holidays a township needs and the calendar lacks: this year when past the
 * last known one, next year from November on (when its schedule is published). Null: none.
 */
export function missingHolidayYear(lastKnownYear: number, today: string): number | null {
  const year = Number(today.slice(0, 4));
  if (year > lastKnownYear) return year;
  if (Number(today.slice(5, 7)) >= 11 && year + 1 > lastKnownYear) return year + 1;
  return null;
}

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * Whether a roster or booking-plan day rule covers `date` ("YYYY-MM-DD"): `everyday`;
 * `workdays` per the calendar (holidays off, 调休 days on); `restdays`, the days that are not
 * (weekends and public holidays: weekend duty that also covers 国庆 on a Tuesday); or a
 * literal list of weekdays.
 */
export function dayRuleApplies(rule: DayRule, date: string, calendar: WorkCalendar): boolean {
  if (rule === 'everyday') return true;
  if (rule === 'workdays') return calendar.isWorkday(date);
  if (rule === 'restdays') return !calendar.isWorkday(date);
  const [y, m, d] = date.split('-').map(Number);
  const weekday = weekdays[(new Date(Date.UTC(y!, m! - 1, d!)).getUTCDay() + 6) % 7]!;
  return rule.includes(weekday);
}
