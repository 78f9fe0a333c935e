import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Residents without WeChat (代办): a cadre files for them by name and village, and what the
 * bot would send them goes to that cadre to pass on. One such resident per village and name.
 */
export class RelayedResidents1764200000000 implements MigrationInterface {
  name = 'RelayedResidents1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE residents ALTER COLUMN wechat_id DROP NOT NULL`);
    await q.query(`ALTER TABLE residents ADD COLUMN relay_cadre_id text CONSTRAINT fk_residents_relay_cadre REFERENCES cadres (id)`);
    // Back from a revert (see down): residents without WeChat are relayed again.
    await q.query(
      `UPDATE residents SET relay_cadre_id = split_part(wechat_id, ':', 3), wechat_id = NULL
       WHERE wechat_id LIKE 'relayed:%:%' AND split_part(wechat_id, ':', 3) IN (SELECT id FROM cadres)`,
    );
    await q.query(
      `ALTER TABLE residents ADD CONSTRAINT ck_residents_reachable CHECK ((wechat_id IS NULL) = (relay_cadre_id IS NOT NULL))`,
    );
    await q.query(`CREATE UNIQUE INDEX ux_residents_relayed ON residents (village_id, name) WHERE wechat_id IS NULL`);
    // A cadre's 代办 message is kept verbatim in `text`; what the resident said is this part of it.
    await q.query(`ALTER TABLE inbound_messages ADD COLUMN relayed_text text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inbound_messages DROP COLUMN relayed_text`);
    await q.query(`DROP INDEX ux_residents_relayed`);
    await q.query(`ALTER TABLE residents DROP CONSTRAINT ck_residents_reachable`);
    // Residents without WeChat keep their cases: they get a WeChat id no contact has, which
    // names their relaying cadre, so that up() after a revert relays them again.
    await q.query(`UPDATE residents SET wechat_id = 'relayed:' || id || ':' || relay_cadre_id WHERE wechat_id IS NULL`);
    await q.query(`ALTER TABLE residents DROP COLUMN relay_cadre_id`);
    await q.query(`ALTER TABLE residents ALTER COLUMN wechat_id SET NOT NULL`);
  }
}
