import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Quiet hours: a message to a cadre written at night that can wait is `held` until
 * `not_before`, then put back to `pending` by the relay (or at once when the cadre writes, or an
 * urgent message to them goes out). Held rows do not hold back later ones: only `pending` and
 * `sending` rows are waited for.
 */
export class QuietHours1764230000000 implements MigrationInterface {
  name = 'QuietHours1764230000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbound_messages ADD COLUMN not_before timestamptz`);
    await q.query(`ALTER TABLE outbound_messages DROP CONSTRAINT ck_outbound_messages_status`);
    await q.query(`
      ALTER TABLE outbound_messages ADD CONSTRAINT ck_outbound_messages_status
        CHECK (status IN ('pending', 'held', 'sending', 'delivered', 'failed'))`);
    await q.query(`
      ALTER TABLE outbound_messages ADD CONSTRAINT ck_outbound_messages_held
        CHECK ((status = 'held') = (not_before IS NOT NULL))`);
    await q.query(`CREATE INDEX ix_outbound_messages_held ON outbound_messages (not_before) WHERE status = 'held'`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Whatever still waits goes out when the older version relays.
    await q.query(`UPDATE outbound_messages SET status = 'pending', not_before = NULL WHERE status = 'held'`);
    await q.query(`DROP INDEX ix_outbound_messages_held`);
    await q.query(`ALTER TABLE outbound_messages DROP CONSTRAINT ck_outbound_messages_held`);
    await q.query(`ALTER TABLE outbound_messages DROP CONSTRAINT ck_outbound_messages_status`);
    await q.query(`
      ALTER TABLE outbound_messages ADD CONSTRAINT ck_outbound_messages_status
        CHECK (status IN ('pending', 'sending', 'delivered', 'failed'))`);
    await q.query(`ALTER TABLE outbound_messages DROP COLUMN not_before`);
  }
}
