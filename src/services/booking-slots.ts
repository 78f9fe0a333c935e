/**
 * The services that can be booked and their open slots: what is free from now to each service's
 * horizon (the configured slots less what is booked), why a day named has none, who routing has for
 * a visit, and the names a booking is told by. Read by the resident's dialog, the cadres' commands
 * and the notices. Capacity itself is held by the database (booking_slots).
 */
import { DateTime } from 'luxon';
import type { Config, DepartmentConfig, ServiceConfig } from '../config/schema.js';
import type { Repositories } from '../db/database.js';
import type { Booking } from '../db/entities/booking.entity.js';
import type { Resident } from '../db/entities/resident.entity.js';
import type { WorkCalendar } from '../domain/calendar.js';
import { pickAssignee } from '../domain/routing.js';
import { localDate, openSlots, slotsOn, type OpenSlot } from '../domain/slots.js';
import { bookingReplies as say, dayLabel, slotLabel } from './booking-replies.js';

/** Days offered at once in the day menu. */
const daysShown = 7;

export class BookingSlots {
  readonly services: Map<string, { service: ServiceConfig; department: DepartmentConfig }>;
  readonly tz: string;

  constructor(
    private readonly config: Config,
    private readonly calendar: WorkCalendar,
  ) {
    this.services = new Map(config.departments.flatMap((department) => department.services.map((service) => [service.id, { service, department }])));
    this.tz = config.township.timezone;
  }

  // ── Availability ───────────────────────────────────────────────────

  /** Open slots of one service from now to its horizon. */
  private async open(tx: Repositories, serviceId: string, now: Date): Promise<OpenSlot[]> {
    return (await this.availability(tx, [serviceId], now)).get(serviceId) ?? [];
  }

  /**
   * Open slots of several services, with one query for what is booked: the slot search the
   * benchmark measures.
   */
  async availability(tx: Repositories, serviceIds: readonly string[], now: Date): Promise<Map<string, OpenSlot[]>> {
    const horizon = Math.max(...serviceIds.map((id) => this.services.get(id)!.service.horizonDays));
    const to = DateTime.fromJSDate(now, { zone: this.tz }).startOf('day').plus({ days: horizon + 1 }).toJSDate();
    const booked = await tx.bookings.bookedCounts(serviceIds, now, to);
    return new Map(
      serviceIds.map((id) => [id, openSlots(this.services.get(id)!.service, now, this.tz, this.calendar, booked.get(id) ?? new Map())]),
    );
  }

  async openDays(tx: Repositories, serviceId: string, now: Date): Promise<{ date: string; free: number }[]> {
    const perDay = new Map<string, number>();
    for (const slot of await this.open(tx, serviceId, now)) {
      const date = localDate(slot.startsAt, this.tz);
      perDay.set(date, (perDay.get(date) ?? 0) + slot.free);
    }
    return [...perDay].slice(0, daysShown).map(([date, free]) => ({ date, free }));
  }

  /** The open slots of one service on one day ("YYYY-MM-DD"). */
  async slotsOfDay(tx: Repositories, serviceId: string, day: string, now: Date): Promise<OpenSlot[]> {
    return (await this.open(tx, serviceId, now)).filter((s) => localDate(s.startsAt, this.tz) === day);
  }

  /** Why a day named has nothing to book: past, closed (with the service's note), too far ahead, full, too soon, or a day off. */
  whyNotDay(serviceId: string, day: string, now: Date): string {
    const { service } = this.services.get(serviceId)!;
    const label = dayLabel(day, this.tz);
    const today = DateTime.fromJSDate(now, { zone: this.tz }).startOf('day');
    const date = DateTime.fromISO(day, { zone: this.tz });
    if (date < today) return say.dayPast(label);
    const closed = service.exceptions.find((e) => e.date === day && e.closed);
    if (closed) return say.dayUnavailable(label, closed.note ?? '');
    if (date > today.plus({ days: service.horizonDays })) return say.dayTooFar(label, service.horizonDays);
    const planned = slotsOn(service, day, this.tz, this.calendar);
    if (planned.some((s) => s.startsAt.getTime() >= now.getTime() + service.minNoticeMinutes * 60_000)) return say.dayFull(label);
    if (planned.length > 0) return say.dayUnavailable(label, '来不及安排了');
    return say.dayUnavailable(label, this.calendar.isHoliday?.(day) ? '节假日' : this.calendar.isWorkday(day) ? '' : '休息日');
  }

  /**
   * Who routing has for a visit: on its day, so a cadre on leave (请假) then is not picked. Decided
   * with the cadre's row held and looked at again: a 请假 committed meanwhile is seen (and his own
   * hand-over, waiting for the row, then sees this booking).
   */
  async assigneeFor(tx: Repositories, villageId: string, departmentId: string, startsAt: Date) {
    const pick = async () =>
      pickAssignee({
        config: this.config,
        villageId,
        departmentId,
        at: startsAt,
        ...(await tx.cadres.routingState(this.config.cadres.map((c) => c.id), localDate(startsAt, this.tz))),
        calendar: this.calendar,
      });
    let assignment = await pick();
    for (let tries = 0; tries < 3; tries++) {
      await tx.cadres.lock(assignment.cadreId);
      const again = await pick();
      if (again.cadreId === assignment.cadreId) break;
      assignment = again;
    }
    return assignment;
  }

  /** The resident's no-shows, when there are enough for the cadre to call ahead; else null. */
  async noShowFlag(tx: Repositories, residentId: number): Promise<number | null> {
    const noShows = await tx.bookings.noShows(residentId);
    return noShows >= this.config.township.bookings.noShowFlagAfter ? noShows : null;
  }

  // ── Small lookups ──────────────────────────────────────────────────

  serviceName(serviceId: string): string {
    return this.services.get(serviceId)?.service.name ?? serviceId;
  }

  villageName(resident: Resident): string {
    return this.config.villages.find((v) => v.id === resident.villageId)?.name ?? '';
  }

  /** "101 11月27日 周五 09:00–10:00 果园指导（林技术员）" for each upcoming booking (`only`: of these numbers). */
  async mineLines(tx: Repositories, resident: Resident, now: Date, only?: readonly (string | number)[]): Promise<string[]> {
    const bookings = (await tx.bookings.bookedForResident(resident.id, now)).filter((b) => !only || only.includes(b.number));
    const holders = await this.names(tx, bookings);
    return bookings.map((b) =>
      say.mineLine({ number: b.number, when: slotLabel(b.startsAt, b.endsAt, this.tz), service: this.serviceName(b.serviceId), cadre: holders.get(b.assigneeId ?? '') ?? '' }),
    );
  }

  private async names(tx: Repositories, bookings: Booking[]): Promise<Map<string, string>> {
    const cadres = await tx.cadres.findByIds(bookings.flatMap((b) => (b.assigneeId ? [b.assigneeId] : [])));
    return new Map(cadres.map((c) => [c.id, c.name]));
  }

}
