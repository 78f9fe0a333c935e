import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A sweep's list of several cases in one message (【提醒】, 【超时】, 【新案件】, a head's 【催办】) keeps
 * what it was written from (`list`: its kind, and for each case its id, its line and its message
 * alone), so a list held for the end of the quiet hours can be written again at release without
 * the cases its cadre is no longer to hear of — closed, or given to someone else meanwhile — as
 * the single notice of such a case is dropped; with none left, it is dropped too.
 */
export class CaseLists1764290000000 implements MigrationInterface {
  name = 'CaseLists1764290000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbound_messages ADD COLUMN list jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    // A list still held goes out whole when the older version relays, as it did.
    await q.query(`ALTER TABLE outbound_messages DROP COLUMN list`);
  }
}
