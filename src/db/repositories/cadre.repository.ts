import { In, type EntityManager } from 'typeorm';
import type { CadreConfig } from '../../config/schema.js';
import { openCaseStatuses } from '../../domain/case.js';
import { Cadre } from '../entities/cadre.entity.js';

export class CadreRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Makes the cadres table match config: upsert every configured cadre, mark the others
   * inactive. A WeChat id from config wins; one bound in chat is kept when config has none.
   */
  async sync(cadres: readonly CadreConfig[], now: Date): Promise<void> {
    for (const c of cadres) {
      await this.em.query(
        `INSERT INTO cadres (id, name, title, role, department_ids, village_ids, wechat_id, active, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, true, $8)
         ON CONFLICT (id) DO UPDATE SET name = $2, title = $3, role = $4, department_ids = $5,
           village_ids = $6, wechat_id = COALESCE($7, cadres.wechat_id), active = true, updated_at = $8`,
        [c.id, c.name, c.title, c.role, c.departments, c.villages, c.wechatId ?? null, now],
      );
    }
    await this.em.query(`UPDATE cadres SET active = false, updated_at = $2 WHERE NOT (id = ANY($1)) AND active`, [
      cadres.map((c) => c.id),
      now,
    ]);
  }

  findActiveByWechatId(wechatId: string): Promise<Cadre | null> {
    return this.em.getRepository(Cadre).findOneBy({ wechatId, active: true });
  }

  get(id: string): Promise<Cadre> {
    return this.em.getRepository(Cadre).findOneByOrFail({ id });
  }

  /** Open cases per cadre, for "fewest open cases first". */
  async openCaseCounts(cadreIds: readonly string[]): Promise<Map<string, number>> {
    const rows: { assignee_id: string; n: string }[] = await this.em.query(
      `SELECT assignee_id, count(*) AS n FROM cases
       WHERE assignee_id = ANY($1) AND status = ANY($2) GROUP BY assignee_id`,
      [cadreIds, openCaseStatuses],
    );
    return new Map(rows.map((r) => [r.assignee_id, Number(r.n)]));
  }

  findByIds(ids: readonly string[]): Promise<Cadre[]> {
    return this.em.getRepository(Cadre).findBy({ id: In([...ids]) });
  }
}
