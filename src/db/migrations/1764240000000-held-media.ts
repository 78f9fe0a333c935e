import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A cadre's photo or voice whose case was unclear waits for its number as outcome `media-held`
 * (before: `cadre-message`, like any other cadre message). The sweep finds those nobody placed
 * within `photoFollowsMinutes` by this index, marks them `media-lapsed` and tells the cadre; a
 * photo placed (linked to a case) or lapsed leaves the index, so it stays small.
 */
export class HeldMedia1764240000000 implements MigrationInterface {
  name = 'HeldMedia1764240000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_inbound_messages_media_held ON inbound_messages (received_at) WHERE outcome = 'media-held' AND case_id IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    // The older version finds a photo waiting among the cadre's messages.
    await q.query(`UPDATE inbound_messages SET outcome = 'cadre-message' WHERE outcome IN ('media-held', 'media-lapsed')`);
    await q.query(`DROP INDEX ix_inbound_messages_media_held`);
  }
}
