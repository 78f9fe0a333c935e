/**
 * What cadres and residents are told of visits ahead: the reminders before a visit, each cadre's
 * morning list of the day's visits, and that list on demand (今日预约 / 明日预约). Run by the
 * booking sweep; the list on demand by the cadre's command.
 */
import { DateTime } from 'luxon';
import type { Config } from '../config/schema.js';
import type { Repositories } from '../db/database.js';
import type { Cadre } from '../db/entities/cadre.entity.js';
import type { Resident } from '../db/entities/resident.entity.js';
import { localDate } from '../domain/slots.js';
import { bookingReplies as say, dayLabel, slotLabel } from './booking-replies.js';
import type { Outbox } from './outbox.js';

/** The names a notice gives: the service's, and the village of the resident. */
export interface BookingNames {
  serviceName(serviceId: string): string;
  villageName(resident: Resident): string;
}

export class BookingNotices {
  private readonly tz: string;

  constructor(
    private readonly config: Config,
    private readonly names: BookingNames,
  ) {
    this.tz = config.township.timezone;
  }

  /** `今日预约`: the cadre's visits today, or tomorrow (`daysAhead` 1). */
  async dayList(tx: Repositories, cadre: Cadre, daysAhead: 0 | 1, now: Date): Promise<string> {
    const date = DateTime.fromJSDate(now, { zone: this.tz }).plus({ days: daysAhead }).toISODate()!;
    const lines = await this.dayLines(tx, cadre.id, date);
    return lines.length === 0 ? say.noneOnDay(daysAhead) : say.digest(dayLabel(date, this.tz), lines, daysAhead);
  }

  /** `listed`: cadres whose list of today's visits this sweep sent; their reminders of today's visits are spent. */
  async remind(tx: Repositories, outbox: Outbox, now: Date, listed: ReadonlySet<string>): Promise<void> {
    const offsets = this.config.township.bookings.reminderMinutes;
    if (offsets.length === 0) return;
    const until = new Date(now.getTime() + Math.max(...offsets) * 60_000);
    for (const booking of await tx.bookings.upcoming(now, until)) {
      // Due, and it was still ahead when the booking was made (no "24 h" notice for a visit booked 3 h ahead);
      // nearest the visit first.
      const due = [...offsets]
        .sort((a, b) => a - b)
        .filter((offset) => {
          const remindAt = booking.startsAt.getTime() - offset * 60_000;
          return remindAt <= now.getTime() && remindAt >= booking.createdAt.getTime();
        });
      // Two due at once (the sweep did not run for a while): only the nearest is sent, the other is spent.
      for (const offset of due.slice(1)) {
        await tx.bookings.recordNotice(`remind:${booking.id}:${offset}:resident`, now);
        await tx.bookings.recordNotice(`remind:${booking.id}:${offset}:cadre`, now);
      }
      const offset = due[0];
      if (offset === undefined) continue;
      const when = slotLabel(booking.startsAt, booking.endsAt, this.tz);
      const service = this.names.serviceName(booking.serviceId);
      const cadre = booking.assigneeId ? await tx.cadres.get(booking.assigneeId) : null;
      if (await tx.bookings.recordNotice(`remind:${booking.id}:${offset}:resident`, now)) {
        outbox.toResident(booking.residentId, say.reminder({ number: booking.number, when, service, cadre: cadre?.name ?? '' }));
      }
      const inList = cadre !== null && listed.has(cadre.id) && localDate(booking.startsAt, this.tz) === localDate(now, this.tz);
      if (cadre && (await tx.bookings.recordNotice(`remind:${booking.id}:${offset}:cadre`, now)) && !inList) {
        const resident = await tx.residents.get(booking.residentId);
        outbox.toCadre(
          cadre.id,
          say.cadreReminder({ number: booking.number, when, service, village: this.names.villageName(resident), resident: resident.name, address: booking.address }),
        );
      }
    }
  }

  /** The morning list of each cadre's visits today; returns the cadres it went to. */
  async digest(tx: Repositories, outbox: Outbox, now: Date): Promise<Set<string>> {
    const local = DateTime.fromJSDate(now, { zone: this.tz });
    // The morning list, in the two hours after `morningDigestAt`; a booking made later that day
    // was announced to its cadre when it was made.
    const at = this.config.township.bookings.morningDigestAt;
    const until = DateTime.fromISO(`${local.toISODate()}T${at}`, { zone: this.tz }).plus({ hours: 2 }).toFormat('HH:mm');
    const listed = new Set<string>();
    if (local.toFormat('HH:mm') < at || local.toFormat('HH:mm') >= until) return listed;
    const date = local.toISODate()!;
    const dayEnd = local.startOf('day').plus({ days: 1 }).toJSDate();
    const cadreIds = new Set((await tx.bookings.upcoming(now, dayEnd)).flatMap((b) => (b.assigneeId ? [b.assigneeId] : [])));
    for (const cadreId of cadreIds) {
      if (!(await tx.bookings.recordNotice(`digest:${cadreId}:${date}`, now))) continue;
      const lines = await this.dayLines(tx, cadreId, date);
      if (lines.length === 0) continue;
      outbox.toCadre(cadreId, say.digest(dayLabel(date, this.tz), lines));
      listed.add(cadreId);
    }
    return listed;
  }

  private async dayLines(tx: Repositories, cadreId: string, date: string): Promise<string[]> {
    const start = DateTime.fromISO(date, { zone: this.tz });
    const bookings = (await tx.bookings.forAssignee(cadreId, start.toJSDate(), start.plus({ days: 1 }).toJSDate())).filter((b) => b.status === 'booked');
    const lines: string[] = [];
    for (const b of bookings) {
      const resident = await tx.residents.get(b.residentId);
      lines.push(
        say.digestLine({
          number: b.number,
          time: DateTime.fromJSDate(b.startsAt, { zone: this.tz }).toFormat('HH:mm'),
          service: this.names.serviceName(b.serviceId),
          village: this.names.villageName(resident),
          resident: resident.name,
          address: b.address,
        }),
      );
    }
    return lines;
  }
}
