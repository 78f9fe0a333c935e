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
  const exception = service.exceptions.find((e) => e.date === date);
  if (exception?.closed) return [];
  const ranges = exception?.hours ?? service.plan.filter((p) => dayRuleApplies(p.days, date, calendar)).flatMap((p) => p.hours);
  const slots: Slot[] = [];
  for (const range of ranges) {
    let start = at(date, range.slice(0, 5), timezone);
    const end = at(date, range.slice(6), timezone);
    for (;;) {
      const slotEnd = start.plus({ minutes: service.durationMinutes });
      if (slotEnd > end) break;
      slots.push({ startsAt: start.toJSDate(), endsAt: slotEnd.toJSDate() });
      start = slotEnd.plus({ minutes: service.bufferMinutes });
    }
  }
  return slots.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
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
  const today = DateTime.fromJSDate(now, { zone: timezone }).startOf('day');
  const result: OpenSlot[] = [];
  for (let day = 0; day <= service.horizonDays; day++) {
    const date = today.plus({ days: day }).toISODate()!;
    for (const slot of slotsOn(service, date, timezone, calendar)) {
      if (slot.startsAt.getTime() < earliest) continue;
      const free = service.capacity - (booked.get(slot.startsAt.getTime()) ?? 0);
      if (free > 0) result.push({ ...slot, free });
    }
  }
  return result;
}

/** The township-local date of an instant, "YYYY-MM-DD". */
export function localDate(instant: Date, timezone: string): string {
  return DateTime.fromJSDate(instant, { zone: timezone }).toISODate()!;
}

function at(date: string, time: string, timezone: string): DateTime {
  const base = DateTime.fromISO(date, { zone: timezone });
  return time === '24:00' ? base.plus({ days: 1 }) : DateTime.fromISO(`${date}T${time}`, { zone: timezone });
}
