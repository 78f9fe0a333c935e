import { In, type EntityManager } from 'typeorm';
import type { CadreConfig, Leave } from '../../config/schema.js';
import { openCaseStatuses, type CadreContext } from '../../domain/case.js';
import { Cadre } from '../entities/cadre.entity.js';
import { hydrate, literalList, prepared, updateReturning } from '../sql.js';

export class CadreRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Makes the cadres table match config: upsert every configured cadre, mark the others
   * inactive. A WeChat id from config wins; one bound in chat is kept when config has none.
   */
  async sync(cadres: readonly CadreConfig[], now: Date): Promise<void> {
    for (const c of cadres) {
      await prepared(
        this.em,
        `INSERT INTO cadres (id, name, title, role, department_ids, village_ids, wechat_id, active, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, true, $8)
         ON CONFLICT (id) DO UPDATE SET name = $2, title = $3, role = $4, department_ids = $5,
           village_ids = $6, wechat_id = COALESCE($7, cadres.wechat_id), active = true, updated_at = $8`,
        [c.id, c.name, c.title, c.role, c.departments, c.villages, c.wechatId ?? null, now],
      );
    }
    await prepared(this.em, `UPDATE cadres SET active = false, updated_at = $2 WHERE NOT (id = ANY($1)) AND active`, [
      cadres.map((c) => c.id),
      now,
    ]);
  }

  /** Links a WeChat contact to a cadre (a contact belongs to one cadre at most). */
  async bindWechat(cadreId: string, wechatId: string, now: Date): Promise<void> {
    await prepared(this.em, `UPDATE cadres SET wechat_id = NULL, updated_at = $2 WHERE wechat_id = $1 AND id <> $3`, [wechatId, now, cadreId]);
    await prepared(this.em, `UPDATE cadres SET wechat_id = $1, updated_at = $2 WHERE id = $3`, [wechatId, now, cadreId]);
  }

  async setContext(cadreId: string, context: Cadre['context']): Promise<void> {
    await prepared(this.em, `UPDATE cadres SET context = $2 WHERE id = $1`, [cadreId, context]);
  }

  /**
   * A resident of `context.caseId` wrote to its holder: that case is in front of the cadre now,
   * unless the cadre acted on another case since `freshSince` — then which one a photo is for
   * is unclear, and the context is cleared (the cadre is asked to say it).
   */
  async followUpContext(cadreId: string, context: CadreContext, freshSince: Date): Promise<void> {
    await prepared(
      this.em,
      `UPDATE cadres SET context = CASE
         WHEN context IS NULL OR (context->>'at')::timestamptz <= $3 OR (context->>'caseId')::int = $4 THEN $2::jsonb
         ELSE NULL END
       WHERE id = $1`,
      [cadreId, context, freshSince, context.caseId],
    );
  }

  /**
   * Active heads of a department, or the office cadres when it has none. `except` (the cadre
   * asking, or the one who is late) is never their own supervisor.
   */
  async supervisorsOf(departmentId: string, except?: string | null): Promise<Cadre[]> {
    const all = (await this.em.getRepository(Cadre).findBy({ active: true })).filter((c) => c.id !== except);
    const heads = all.filter((c) => c.role === 'head' && c.departmentIds.includes(departmentId));
    return heads.length > 0 ? heads : all.filter((c) => c.role === 'office');
  }

  /** Which of these cadres wrote to lianxin since `since` (from their bound WeChat). */
  async wroteSince(cadreIds: readonly string[], since: Date): Promise<string[]> {
    return (await this.reachable(cadreIds, since)).awake;
  }

  /** Which of these cadres have a WeChat bound (`bound`), and which of those wrote to lianxin since `since` (`awake`). */
  async reachable(cadreIds: readonly string[], since: Date): Promise<{ bound: string[]; awake: string[] }> {
    if (cadreIds.length === 0) return { bound: [], awake: [] };
    const rows: { id: string; awake: boolean }[] = await prepared(
      this.em,
      `SELECT c.id, EXISTS (SELECT 1 FROM inbound_messages m WHERE m.talker_id = c.wechat_id AND m.received_at > $2) AS awake
       FROM cadres c WHERE c.id = ANY($1) AND c.wechat_id IS NOT NULL`,
      [cadreIds, since],
    );
    return { bound: rows.map((r) => r.id), awake: rows.filter((r) => r.awake).map((r) => r.id) };
  }

  /** The office's dispatchers (role office) who can be reached in WeChat. */
  async officeWithWechat(): Promise<Cadre[]> {
    return (await this.em.getRepository(Cadre).findBy({ active: true, role: 'office' })).filter((c) => c.wechatId !== null);
  }

  /** An active cadre by id or by name (names may repeat: then null). */
  async findByIdOrName(text: string): Promise<Cadre | null> {
    const byId = await this.em.getRepository(Cadre).findOneBy({ id: text, active: true });
    if (byId) return byId;
    const byName = await this.em.getRepository(Cadre).findBy({ name: text, active: true });
    return byName.length === 1 ? byName[0]! : null;
  }

  async createBindCode(cadreId: string, code: string, now: Date, expiresAt: Date): Promise<void> {
    await prepared(this.em, `INSERT INTO bind_codes (code, cadre_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`, [
      code,
      cadreId,
      now,
      expiresAt,
    ]);
  }

  /** Uses a one-time code; the cadre id when it was valid, else null. */
  async useBindCode(code: string, wechatId: string, now: Date): Promise<string | null> {
    const rows = await updateReturning<{ cadre_id: string }>(
      this.em,
      `UPDATE bind_codes SET used_at = $3, used_by = $2
       WHERE code = $1 AND used_at IS NULL AND expires_at > $3 RETURNING cadre_id`,
      [code, wechatId, now],
    );
    return rows[0]?.cadre_id ?? null;
  }

  async findActiveByWechatId(wechatId: string): Promise<Cadre | null> {
    // Asked for every message that comes in: plain SQL, no query building.
    const [row]: Record<string, unknown>[] = await prepared(this.em, `SELECT * FROM cadres WHERE wechat_id = $1 AND active`, [wechatId]);
    return row ? hydrate(this.em, Cadre, row) : null;
  }

  /**
   * Holds the cadre's row until the transaction ends, so that routing to him and putting him on
   * leave (请假) take turns. NO KEY: rows that refer to him (outbox, events) are not held up.
   */
  async lock(id: string): Promise<void> {
    await prepared(this.em, `SELECT 1 FROM cadres WHERE id = $1 FOR NO KEY UPDATE`, [id]);
  }

  get(id: string): Promise<Cadre> {
    return this.em.getRepository(Cadre).findOneByOrFail({ id });
  }

  /**
   * What routing weighs for these cadres: open cases per cadre ("fewest open cases first") and the
   * leave taken in chat covering `date` ("YYYY-MM-DD", township time). One statement: every routed
   * message runs it in its intake transaction.
   */
  async routingState(cadreIds: readonly string[], date: string): Promise<{ openCases: Map<string, number>; leaves: Leave[] }> {
    const rows: { cadre_id: string; n: number | null; from_date: string | null; to_date: string | null }[] = await prepared(
      this.em,
      `SELECT assignee_id AS cadre_id, count(*)::int AS n, NULL AS from_date, NULL AS to_date FROM cases
       WHERE assignee_id = ANY($1) AND status IN (${literalList(openCaseStatuses)}) GROUP BY assignee_id
       UNION ALL
       SELECT cadre_id, NULL, from_date::text, to_date::text FROM cadre_leaves
       WHERE cadre_id = ANY($1) AND from_date <= $2 AND to_date >= $2`,
      [cadreIds, date],
    );
    const openCases = new Map<string, number>();
    const leaves: Leave[] = [];
    for (const r of rows) {
      if (r.n !== null) openCases.set(r.cadre_id, r.n);
      else leaves.push({ cadre: r.cadre_id, from: r.from_date!, to: r.to_date! });
    }
    return { openCases, leaves };
  }

  /**
   * Cadres gone from config (inactive) who still hold open cases, with their numbers: nobody
   * reminds or escalates for them by name, so the office is told at start.
   */
  async inactiveHolders(): Promise<{ id: string; name: string; numbers: number[] }[]> {
    return this.em.query(
      `SELECT d.id, d.name, array_agg(c.number ORDER BY c.number) AS numbers
         FROM cadres d JOIN cases c ON c.assignee_id = d.id
        WHERE NOT d.active AND c.status = ANY($1)
        GROUP BY d.id, d.name ORDER BY d.id`,
      [openCaseStatuses],
    );
  }

  /** Active cadres with no WeChat bound yet: they see nothing of their cases until they bind. */
  async unbound(): Promise<{ id: string; name: string }[]> {
    return this.em.query(`SELECT id, name FROM cadres WHERE active AND wechat_id IS NULL ORDER BY id`);
  }

  findByIds(ids: readonly string[]): Promise<Cadre[]> {
    return this.em.getRepository(Cadre).findBy({ id: In([...ids]) });
  }
}
