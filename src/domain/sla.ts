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

function localDay(instant: Date, timezone: string): DateTime {
  const local = DateTime.fromJSDate(instant, { zone: timezone });
  if (!local.isValid) throw new RangeError(`invalid time zone or date: ${timezone} ${String(instant)}`);
  return local.startOf('day');
}

/** Working intervals [start, end) in epoch milliseconds of one local day (none on days off). */
function workingIntervals(day: DateTime, periods: Period[], calendar: WorkCalendar): [number, number][] {
  if (!calendar.isWorkday(day.toISODate() ?? '')) return [];
  return periods.map((p) => [atMinute(day, p.startMinute).toMillis(), atMinute(day, p.endMinute).toMillis()]);
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
  const periods = normalizePeriods(wt.workingHours);
  let remaining = minutes * MS_PER_MINUTE;
  const startMs = start.getTime();
  let day = localDay(start, wt.timezone);
  let idleDays = 0;
  while (idleDays <= MAX_IDLE_DAYS) {
    let worked = false;
    for (const [from, to] of workingIntervals(day, periods, wt.calendar)) {
      const begin = Math.max(from, startMs);
      if (begin >= to) continue;
      worked = true;
      if (remaining <= to - begin) return new Date(begin + remaining);
      remaining -= to - begin;
    }
    idleDays = worked ? 0 : idleDays + 1;
    day = day.plus({ days: 1 });
  }
  throw new RangeError(`no working time in ${MAX_IDLE_DAYS} consecutive days after ${day.toISODate()}`);
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
  const periods = normalizePeriods(wt.workingHours);
  let total = 0;
  for (let day = localDay(from, wt.timezone); day.toMillis() < toMs; day = day.plus({ days: 1 })) {
    for (const [start, end] of workingIntervals(day, periods, wt.calendar)) {
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
