/**
 * "几点来", "技术员怎么还没来", "人到哪了" from a resident who holds a visit: when it is due today (it
 * begins within the hour, or has begun and nobody closed it), she is waiting for its cadre, who hears
 * so at once; a visit still to come is told as 我的预约 tells it (the caller lists it).
 */
import { DateTime } from 'luxon';
import type { Repositories } from '../db/database.js';
import type { Resident } from '../db/entities/resident.entity.js';
import { localDate } from '../domain/slots.js';
import { bookingReplies as say, slotLabel, timeRange } from './booking-replies.js';
import type { Outbox } from './outbox.js';

/** A visit beginning within this many minutes counts as due: she may be at the gate already. */
const dueWithinMinutes = 60;

export async function visitAsked(
  tx: Repositories,
  p: { resident: Resident; words: string; outbox: Outbox; now: Date; timezone: string; names: { serviceName(id: string): string; villageName(resident: Resident): string } },
): Promise<'passed-on' | 'list' | null> {
  const { resident, now, timezone } = p;
  const today = localDate(now, timezone);
  const visits = await tx.bookings.bookedForResident(resident.id, DateTime.fromJSDate(now, { zone: timezone }).startOf('day').toJSDate());
  const due = visits.find((b) => localDate(b.startsAt, timezone) === today && b.startsAt.getTime() - dueWithinMinutes * 60_000 <= now.getTime());
  if (due?.assigneeId) {
    const cadre = await tx.cadres.get(due.assigneeId);
    const service = p.names.serviceName(due.serviceId);
    p.outbox.toCadre(
      cadre.id,
      say.cadreVisitAsked({
        number: due.number, when: slotLabel(due.startsAt, due.endsAt, timezone), service, village: p.names.villageName(resident),
        resident: resident.name, address: due.address, words: p.words.trim(),
      }),
    );
    const time = timeRange(due.startsAt, due.endsAt, timezone);
    p.outbox.toResident(resident.id, say.visitAskedPassedOn({ number: due.number, time, service, cadre: cadre.name }));
    return 'passed-on';
  }
  return visits.some((b) => b.endsAt > now) ? 'list' : null;
}
