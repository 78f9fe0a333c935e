import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A cadre's words to the resident of a visit (预约), and her answer back:
 * - `residents.context`: the visit a cadre wrote to her about last, who wrote and when; what she
 *   writes within `photoFollowsMinutes` goes to that cadre, not into a new case. On her row, which
 *   her every message reads already: an ordinary message costs no query more.
 * - `inbound_messages.booking_id`: the visit the cadre's words, or her answer, were about — as
 *   `case_id` records a case's.
 */
export class BookingWords1764300000000 implements MigrationInterface {
  name = 'BookingWords1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE residents ADD COLUMN context jsonb`);
    await q.query(`ALTER TABLE inbound_messages ADD COLUMN booking_id integer CONSTRAINT fk_inbound_messages_booking REFERENCES bookings (id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Her answers go where any words of hers go, as before.
    await q.query(`ALTER TABLE inbound_messages DROP COLUMN booking_id`);
    await q.query(`ALTER TABLE residents DROP COLUMN context`);
  }
}
