import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What lianxin says to a resident without WeChat goes to the cadre who relays for them (代办), in
 * the same chat as that cadre's own messages: the outbox's order check looks across both, and
 * finds a cadre's relayed residents by this index (most cadres have none).
 */
export class RelayOrder1764220000000 implements MigrationInterface {
  name = 'RelayOrder1764220000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_residents_relay_cadre ON residents (relay_cadre_id) WHERE relay_cadre_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_residents_relay_cadre`);
  }
}
