/**
 * Bookable slots of a service, from its weekly working plan and dated exceptions. Pure: what
 * is already booked is passed in.
 */
import { DateTime } from 'luxon';
import type { ServiceConfig } from '../config/schema.js';
import { dayRuleApplies, type WorkCalendar } from './calendar.js';

export interface Slot {
  startsAt: Date;
  endsAt: Date;
}

export interface OpenSlot extends Slot {
  /** Places still free. */
  free: number;
}

/** The service's slots on `date` ("YYYY-MM-DD", township time), in order. */
export function slotsOn(service: ServiceConfig, date: string, timezone: string, calendar: WorkCalendar): Slot[] {
  const slots: Slot[] = [];
  eachSlot(service, date, timezone, calendar, (start, end) => slots.push({ startsAt: new Date(start), endsAt: new Date(end) }));
  return slots;
}

/** Calls `visit` with each slot's start and end (ms) on `date`, in order. */
function eachSlot(
  service: ServiceConfig,
  date: string,
  timezone: string,
  calendar: WorkCalendar,
  visit: (start: number, end: number) => void,
): void {
  const exception = service.exceptions.find((e) => e.date === date);
  if (exception?.closed) return;
  // A weekday list still skips public holidays: nobody books a field visit on 国庆 by accident.
  const holiday = calendar.isHoliday?.(date) ?? false;
  const ranges =
    exception?.hours ??
    service.plan.filter((p) => (p.days === 'everyday' || !holiday) && dayRuleApplies(p.days, date, calendar)).flatMap((p) => p.hours);
  if (ranges.length === 0) return;
  const { midnight, regular } = localDay(date, timezone);
  // Times of day become instants by arithmetic, except on a day that is not 24 h long (DST).
  const instant = (time: string) => (regular ? midnight + minutesOf(time) * 60_000 : at(date, time, timezone).toMillis());
  const duration = service.durationMinutes * 60_000;
  const step = duration + service.bufferMinutes * 60_000;
  for (const range of [...ranges].sort()) {
    const end = instant(range.slice(6));
    for (let start = instant(range.slice(0, 5)); start + duration <= end; start += step) visit(start, start + duration);
  }
}

/** Local midnight of a date and whether the day is 24 h long; remembered, it never changes. */
const days = new Map<string, { midnight: number; regular: boolean }>();
function localDay(date: string, timezone: string): { midnight: number; regular: boolean } {
  const key = `${timezone} ${date}`;
  let day = days.get(key);
  if (!day) {
    const start = DateTime.fromISO(date, { zone: timezone });
    day = { midnight: start.toMillis(), regular: start.plus({ days: 1 }).toMillis() - start.toMillis() === 86_400_000 };
    if (days.size > 5000) days.clear();
    days.set(key, day);
  }
  return day;
}

/** "YYYY-MM-DD" `n` days after `date` (calendar arithmetic, no time zone involved). */
function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + n)).toISOString().slice(0, 10);
}

/**
 * Slots one may still book, from now to the booking horizon: at least `minNoticeMinutes`
 * ahead, with room left. `booked` maps a slot's start (ms) to places taken.
 */
export function openSlots(
  service: ServiceConfig,
  now: Date,
  timezone: string,
  calendar: WorkCalendar,
  booked: ReadonlyMap<number, number>,
): OpenSlot[] {
  const earliest = now.getTime() + service.minNoticeMinutes * 60_000;
  const today = localDate(now, timezone);
  const result: OpenSlot[] = [];
  for (let day = 0; day <= service.horizonDays; day++) {
    eachSlot(service, addDays(today, day), timezone, calendar, (start, end) => {
      if (start < earliest) return;
      const free = service.capacity - (booked.get(start) ?? 0);
      if (free > 0) result.push({ startsAt: new Date(start), endsAt: new Date(end), free });
    });
  }
  return result;
}

/** The township-local date of an instant, "YYYY-MM-DD". */
export function localDate(instant: Date, timezone: string): string {
  return DateTime.fromJSDate(instant, { zone: timezone }).toISODate()!;
}

function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

function at(date: string, time: string, timezone: string): DateTime {
  const base = DateTime.fromISO(date, { zone: timezone });
  return time === '24:00' ? base.plus({ days: 1 }) : DateTime.fromISO(`${date}T${time}`, { zone: timezone });
}
