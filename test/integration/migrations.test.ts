/**
 * Migrations run backwards and forwards without losing what matters: a township going back to
 * an older version (npm run cli -- migrate --revert) and forward again.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { Database } from '../../src/db/database.js';
import { openDataSource } from '../../src/db/data-source.js';
import { createTestDatabase } from '../support/database.js';
import { sampleConfigDir } from '../support/paths.js';

describe('going back a version and forward again', () => {
  it('keeps a resident without WeChat and their relaying cadre through a revert of the latest migration and its re-run', async () => {
    const database = await createTestDatabase();
    const dataSource = await openDataSource({ url: database.url, poolSize: 1 });
    try {
      await new Database(dataSource).cadres.sync(loadConfig(sampleConfigDir).cadres, new Date());
      const [resident] = await dataSource.query(
        `INSERT INTO residents (name, village_id, relay_cadre_id, created_at, updated_at) VALUES ('张大爷', 'dongshan', 'c-peng-xuewen', now(), now()) RETURNING id`,
      );
      const row = () => dataSource.query(`SELECT wechat_id, relay_cadre_id FROM residents WHERE id = $1`, [resident.id]);

      await dataSource.undoLastMigration({ transaction: 'each' });
      // The older version sees a resident it cannot reach, under an id that names the cadre.
      expect(await dataSource.query(`SELECT wechat_id FROM residents WHERE id = $1`, [resident.id])).toEqual([
        { wechat_id: `relayed:${resident.id}:c-peng-xuewen` },
      ]);
      await dataSource.runMigrations({ transaction: 'each' });
      expect(await row()).toEqual([{ wechat_id: null, relay_cadre_id: 'c-peng-xuewen' }]);
    } finally {
      await dataSource.destroy();
      await database.drop();
    }
  });
});
