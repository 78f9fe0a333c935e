/**
 * Service-level time limits: working-time arithmetic and due times of a case.
 *
 * Working time = the configured working periods (e.g. 08:30–12:00, 14:00–17:30) of the days
 * the calendar calls working days, in the township's time zone. Pure functions, no clock.
 */
import { DateTime } from 'luxon';
import type { DepartmentConfig, SlaConfig } from '../config/schema.js';
import type { WorkCalendar } from './calendar.js';

/** Where and when the SLA clock runs. */
export interface WorkingTime {
  /** IANA time zone of the township, e.g. "Asia/Shanghai". */
  timezone: string;
  /** Working periods of a working day, "HH:MM" ("24:00" allowed as an end). */
  workingHours: { start: string; end: string }[];
  calendar: WorkCalendar;
}

/** Case priority: normal cases count working time, urgent ones wall-clock time. */
export type Priority = 'normal' | 'urgent';

/** The three deadlines of a dispatched case. */
export interface DueTimes {
  acceptDueAt: Date;
  firstResponseDueAt: Date;
  resolveDueAt: Date;
}

/** Consecutive days without any working time after which we give up (bad calendar/config). */
const MAX_IDLE_DAYS = 400;
const MS_PER_MINUTE = 60_000;

interface Period {
  startMinute: number;
  endMinute: number;
}

function minuteOfDay(clock: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(clock);
  if (!match) throw new RangeError(`not a time "HH:MM": ${JSON.stringify(clock)}`);
  const minute = Number(match[1]) * 60 + Number(match[2]);
  if (minute > 24 * 60 || Number(match[2]) > 59) throw new RangeError(`no such time: ${clock}`);
  return minute;
}

/** Working periods sorted by start, overlapping/adjacent ones merged. */
function normalizePeriods(workingHours: WorkingTime['workingHours']): Period[] {
  const periods = workingHours
    .map((p) => ({ startMinute: minuteOfDay(p.start), endMinute: minuteOfDay(p.end) }))
    .filter((p) => p.startMinute < p.endMinute)
    .sort((a, b) => a.startMinute - b.startMinute);
  const merged: Period[] = [];
  for (const period of periods) {
    const last = merged.at(-1);
    if (last && period.startMinute <= last.endMinute) {
      last.endMinute = Math.max(last.endMinute, period.endMinute);
    } else {
      merged.push({ ...period });
    }
  }
  if (merged.length === 0) throw new RangeError('workingHours has no working period');
  return merged;
}

/** Working minutes in one working day (延期 is asked, and statistics shown, in working days). */
export function workingMinutesPerDay(workingHours: WorkingTime['workingHours']): number {
  return normalizePeriods(workingHours).reduce((sum, p) => sum + p.endMinute - p.startMinute, 0);
}

/** The instant at `minute` minutes (wall clock) into the local day `day`. */
function atMinute(day: DateTime, minute: number): DateTime {
  if (minute === 24 * 60) return day.plus({ days: 1 }).startOf('day');
  return day.set({ hour: Math.floor(minute / 60), minute: minute % 60, second: 0, millisecond: 0 });
}

/** One local day: [start, end) in epoch milliseconds and its working intervals (none on days off). */
interface Day {
  start: number;
  end: number;
  intervals: [number, number][];
}

/**
 * Days already worked out for one WorkingTime. Time-zone arithmetic is the costly part of
 * every due time, and a township's cases keep asking about the same few days.
 */
interface DayCache {
  periods: Period[];
  byStart: Map<number, Day>;
  /** The day the last lookup by instant found: most lookups are for today. */
  last: Day | null;
}

const dayCaches = new WeakMap<WorkingTime, DayCache>();
const maxCachedDays = 2000;

function dayCache(wt: WorkingTime): DayCache {
  let cache = dayCaches.get(wt);
  if (!cache) {
    cache = { periods: normalizePeriods(wt.workingHours), byStart: new Map(), last: null };
    dayCaches.set(wt, cache);
  }
  return cache;
}

function buildDay(local: DateTime, cache: DayCache, wt: WorkingTime): Day {
  const startOfDay = local.startOf('day');
  const intervals: [number, number][] = wt.calendar.isWorkday(startOfDay.toISODate() ?? '')
    ? cache.periods.map((p) => [atMinute(startOfDay, p.startMinute).toMillis(), atMinute(startOfDay, p.endMinute).toMillis()])
    : [];
  const day = { start: startOfDay.toMillis(), end: startOfDay.plus({ days: 1 }).startOf('day').toMillis(), intervals };
  if (cache.byStart.size >= maxCachedDays) cache.byStart.clear();
  cache.byStart.set(day.start, day);
  return day;
}

/** The local day containing `instantMs`. */
function dayAt(instantMs: number, wt: WorkingTime): Day {
  const cache = dayCache(wt);
  const last = cache.last;
  if (last && last.start <= instantMs && instantMs < last.end) return last;
  const local = DateTime.fromMillis(instantMs, { zone: wt.timezone });
  if (!local.isValid) throw new RangeError(`invalid time zone or date: ${wt.timezone} ${String(new Date(instantMs))}`);
  const day = cache.byStart.get(local.startOf('day').toMillis()) ?? buildDay(local, cache, wt);
  cache.last = day;
  return day;
}

/** The local day after `day`. */
function nextDay(day: Day, wt: WorkingTime): Day {
  const cache = dayCache(wt);
  return cache.byStart.get(day.end) ?? buildDay(DateTime.fromMillis(day.end, { zone: wt.timezone }), cache, wt);
}

/**
 * The instant `minutes` working minutes after `start`.
 *
 * A start outside working time begins counting at the next working period. A result that falls
 * exactly on the end of a period is that end (e.g. 12:00), not the start of the next one.
 * `minutes` = 0 returns `start` unchanged. Fractional minutes are allowed.
 *
 * @throws RangeError for negative or non-finite minutes, a bad time zone or working hours, or
 *   when the calendar has no working day for 400 consecutive days.
 */
export function addWorkingMinutes(start: Date, minutes: number, wt: WorkingTime): Date {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`minutes must be ≥ 0, got ${minutes}`);
  if (minutes === 0) return new Date(start.getTime());
  let remaining = minutes * MS_PER_MINUTE;
  const startMs = start.getTime();
  let day = dayAt(startMs, wt);
  let idleDays = 0;
  while (idleDays <= MAX_IDLE_DAYS) {
    let worked = false;
    for (const [from, to] of day.intervals) {
      const begin = Math.max(from, startMs);
      if (begin >= to) continue;
      worked = true;
      if (remaining <= to - begin) return new Date(begin + remaining);
      remaining -= to - begin;
    }
    idleDays = worked ? 0 : idleDays + 1;
    day = nextDay(day, wt);
  }
  throw new RangeError(`no working time in ${MAX_IDLE_DAYS} consecutive days after ${new Date(day.start).toISOString()}`);
}

/**
 * Working minutes between two instants, rounded down to whole minutes; 0 when `to` ≤ `from`.
 *
 * Inverse of {@link addWorkingMinutes} for whole minutes:
 * `workingMinutesBetween(t, addWorkingMinutes(t, n)) === n`.
 */
export function workingMinutesBetween(from: Date, to: Date, wt: WorkingTime): number {
  const fromMs = from.getTime();
  const toMs = to.getTime();
  if (!(toMs > fromMs)) return 0;
  let total = 0;
  for (let day = dayAt(fromMs, wt); day.start < toMs; day = nextDay(day, wt)) {
    for (const [start, end] of day.intervals) {
      const overlap = Math.min(end, toMs) - Math.max(start, fromMs);
      if (overlap > 0) total += overlap;
    }
  }
  return Math.floor(total / MS_PER_MINUTE);
}

/**
 * Deadlines of a case dispatched at `dispatchedAt`.
 *
 * Normal: `dept.sla` in working minutes. Urgent: `dept.urgentSla` (or `dept.sla` when absent)
 * in wall-clock minutes — nights, weekends and holidays count.
 */
export function computeDueTimes(
  dispatchedAt: Date,
  dept: DepartmentConfig,
  priority: Priority,
  wt: WorkingTime,
): DueTimes {
  const limits: SlaConfig = priority === 'urgent' ? (dept.urgentSla ?? dept.sla) : dept.sla;
  const due =
    priority === 'urgent'
      ? (minutes: number) => new Date(dispatchedAt.getTime() + minutes * MS_PER_MINUTE)
      : (minutes: number) => addWorkingMinutes(dispatchedAt, minutes, wt);
  return {
    acceptDueAt: due(limits.acceptMinutes),
    firstResponseDueAt: due(limits.firstResponseMinutes),
    resolveDueAt: due(limits.resolveMinutes),
  };
}
