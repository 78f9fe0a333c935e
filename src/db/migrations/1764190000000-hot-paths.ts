import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the two queries every message runs: open cases per cadre (routing picks the
 * fewest) and "is an earlier message to this recipient still unsent" (send order).
 */
export class HotPaths1764190000000 implements MigrationInterface {
  name = 'HotPaths1764190000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_cases_open_assignee ON cases (assignee_id) WHERE status IN ('assigned', 'accepted')`);
    await q.query(
      `CREATE INDEX ix_outbound_messages_undelivered_resident ON outbound_messages (resident_id, id) WHERE status IN ('pending', 'sending')`,
    );
    await q.query(
      `CREATE INDEX ix_outbound_messages_undelivered_cadre ON outbound_messages (cadre_id, id) WHERE status IN ('pending', 'sending')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_outbound_messages_undelivered_cadre`);
    await q.query(`DROP INDEX ix_outbound_messages_undelivered_resident`);
    await q.query(`DROP INDEX ix_cases_open_assignee`);
  }
}
