import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Counting a contact's recent messages (the flood limit) needs them by talker and time. */
export class ResidentPace1764180000000 implements MigrationInterface {
  name = 'ResidentPace1764180000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_inbound_messages_talker_received ON inbound_messages (talker_id, received_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_inbound_messages_talker_received`);
  }
}
