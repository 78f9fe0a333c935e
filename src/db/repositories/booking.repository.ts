import type { EntityManager } from 'typeorm';
import { Booking } from '../entities/booking.entity.js';
import { prepared, updateReturning } from '../sql.js';

export type NewBooking = Pick<
  Booking,
  'residentId' | 'villageId' | 'departmentId' | 'serviceId' | 'startsAt' | 'endsAt' | 'address' | 'assigneeId' | 'rescheduledFrom' | 'createdAt'
>;

export class BookingRepository {
  constructor(private readonly em: EntityManager) {}

  /** Places taken per service and slot start (ms) in [from, to). */
  async bookedCounts(serviceIds: readonly string[], from: Date, to: Date): Promise<Map<string, Map<number, number>>> {
    // Epoch milliseconds straight from the server: thousands of rows need no Date parsing.
    const rows: { service_id: string; at: string; booked: number }[] = await prepared(
      this.em,
      `SELECT service_id, (extract(epoch FROM starts_at) * 1000)::bigint AS at, booked FROM booking_slots
       WHERE service_id = ANY($1) AND starts_at >= $2 AND starts_at < $3 AND booked > 0`,
      [serviceIds, from, to],
    );
    const result = new Map<string, Map<number, number>>();
    for (const row of rows) {
      let perService = result.get(row.service_id);
      if (!perService) result.set(row.service_id, (perService = new Map()));
      perService.set(Number(row.at), row.booked);
    }
    return result;
  }

  /**
   * Takes one place in a slot, or returns false when it is full. The conditional UPDATE locks
   * the slot's row, so concurrent bookings of the last place queue up and only one wins.
   */
  async takePlace(serviceId: string, startsAt: Date, capacity: number): Promise<boolean> {
    await prepared(
      this.em,
      `INSERT INTO booking_slots (service_id, starts_at, capacity) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [serviceId, startsAt, capacity],
    );
    const rows = await updateReturning(
      this.em,
      `UPDATE booking_slots SET booked = booked + 1, capacity = $3
       WHERE service_id = $1 AND starts_at = $2 AND booked < $3 RETURNING booked`,
      [serviceId, startsAt, capacity],
    );
    return rows.length === 1;
  }

  async freePlace(serviceId: string, startsAt: Date): Promise<void> {
    await prepared(this.em, `UPDATE booking_slots SET booked = booked - 1 WHERE service_id = $1 AND starts_at = $2 AND booked > 0`, [
      serviceId,
      startsAt,
    ]);
  }

  async create(fields: NewBooking): Promise<Booking> {
    const repo = this.em.getRepository(Booking);
    const { id } = await repo.save(repo.create({ ...fields, status: 'booked', updatedAt: fields.createdAt }));
    return repo.findOneByOrFail({ id });
  }

  async save(booking: Booking, now: Date): Promise<void> {
    booking.updatedAt = now;
    await this.em.getRepository(Booking).save(booking);
  }

  /** The booking with this number, not locked: whose it is, to lock her row before it. */
  findByNumber(number: number): Promise<Booking | null> {
    return this.em.getRepository(Booking).findOneBy({ number });
  }

  lockByNumber(number: number): Promise<Booking | null> {
    return this.em.getRepository(Booking).createQueryBuilder('b').setLock('pessimistic_write').where('b.number = :number', { number }).getOne();
  }

  lockById(id: number): Promise<Booking | null> {
    return this.em.getRepository(Booking).createQueryBuilder('b').setLock('pessimistic_write').where('b.id = :id', { id }).getOne();
  }

  /**
   * The resident's visits still booked (not done, cancelled or missed) that end after `since`, in
   * order: with `since` now, those still to come.
   */
  bookedForResident(residentId: number, since: Date): Promise<Booking[]> {
    return this.em
      .getRepository(Booking)
      .createQueryBuilder('b')
      .where('b.resident_id = :residentId AND b.status = :status AND b.ends_at > :since', { residentId, status: 'booked', since })
      .orderBy('b.starts_at', 'ASC')
      .getMany();
  }

  /** A cadre's bookings between two instants, in order. */
  forAssignee(cadreId: string, from: Date, to: Date): Promise<Booking[]> {
    return this.em
      .getRepository(Booking)
      .createQueryBuilder('b')
      .where('b.assignee_id = :cadreId AND b.starts_at >= :from AND b.starts_at < :to', { cadreId, from, to })
      .andWhere(`b.status <> 'cancelled'`)
      .orderBy('b.starts_at', 'ASC')
      .getMany();
  }

  /** Booked visits starting in (now, until]. */
  upcoming(now: Date, until: Date): Promise<Booking[]> {
    return this.em
      .getRepository(Booking)
      .createQueryBuilder('b')
      .where(`b.status = 'booked' AND b.starts_at > :now AND b.starts_at <= :until`, { now, until })
      .orderBy('b.starts_at', 'ASC')
      .getMany();
  }

  async noShows(residentId: number): Promise<number> {
    const [row]: { n: string }[] = await prepared(this.em, `SELECT count(*) AS n FROM bookings WHERE resident_id = $1 AND status = 'no-show'`, [
      residentId,
    ]);
    return Number(row!.n);
  }

  /** Records that a reminder or digest went out; false when it had already. */
  async recordNotice(key: string, now: Date): Promise<boolean> {
    const rows: unknown[] = await prepared(
      this.em,
      `INSERT INTO booking_notices (key, at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING key`,
      [key, now],
    );
    return rows.length === 1;
  }
}
