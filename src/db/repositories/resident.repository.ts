import { In, type EntityManager } from 'typeorm';
import { Resident } from '../entities/resident.entity.js';
import { hydrate, prepared } from '../sql.js';

export class ResidentRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * The resident for a WeChat contact, created on first contact, and locked for the rest of
   * the transaction so two messages of one person are handled one after the other.
   */
  async lockOrCreate(wechatId: string, name: string, now: Date): Promise<Resident> {
    // For a known resident the update changes nothing: it takes the row lock and returns the row.
    const [row]: Record<string, unknown>[] = await prepared(
      this.em,
      `INSERT INTO residents (wechat_id, name, created_at, updated_at) VALUES ($1, $2, $3, $3)
       ON CONFLICT (wechat_id) DO UPDATE SET wechat_id = EXCLUDED.wechat_id
       RETURNING *`,
      [wechatId, name, now],
    );
    return hydrate(this.em, Resident, row!);
  }

  /**
   * A resident without WeChat whom `cadreId` files for (代办), known by village and name;
   * created the first time, locked, and from now on reached through that cadre.
   */
  async lockOrCreateRelayed(
    name: string,
    villageId: string,
    cadreId: string,
    now: Date,
  ): Promise<{ resident: Resident; previousRelayCadreId: string | null }> {
    const [before]: { relay_cadre_id: string }[] = await this.em.query(
      `SELECT relay_cadre_id FROM residents WHERE village_id = $1 AND name = $2 AND wechat_id IS NULL FOR UPDATE`,
      [villageId, name],
    );
    const [row]: Record<string, unknown>[] = await this.em.query(
      `INSERT INTO residents (name, village_id, relay_cadre_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (village_id, name) WHERE wechat_id IS NULL DO UPDATE SET relay_cadre_id = EXCLUDED.relay_cadre_id
       RETURNING *`,
      [name, villageId, cadreId, now],
    );
    return { resident: hydrate(this.em, Resident, row!), previousRelayCadreId: before?.relay_cadre_id ?? null };
  }

  /** The villages of the residents without WeChat called `name` whom `cadreId` passes messages to. */
  async relayedVillages(name: string, cadreId: string): Promise<string[]> {
    const rows: { village_id: string }[] = await this.em.query(
      `SELECT village_id FROM residents WHERE name = $1 AND relay_cadre_id = $2 AND wechat_id IS NULL`,
      [name, cadreId],
    );
    return rows.map((r) => r.village_id);
  }

  /** Writes what a conversation changes: the village and the open question. */
  async save(resident: Resident, now: Date): Promise<void> {
    resident.updatedAt = now;
    await prepared(this.em, `UPDATE residents SET village_id = $2, dialog = $3, updated_at = $4 WHERE id = $1`, [
      resident.id,
      resident.villageId,
      resident.dialog === null ? null : JSON.stringify(resident.dialog),
      now,
    ]);
  }

  /** The visit a cadre just wrote to her about (see Resident.context). */
  async setContext(id: number, context: Resident['context']): Promise<void> {
    await prepared(this.em, `UPDATE residents SET context = $2 WHERE id = $1`, [id, context]);
  }

  /** Residents whose booking dialog has lapsed, locked. */
  withLapsedBookingDialog(now: Date): Promise<Resident[]> {
    return this.lockWhere(`r.dialog->>'kind' = 'booking' AND (r.dialog->>'expiresAt')::timestamptz <= :now`, { now });
  }

  /** Residents asked whether words are a new matter (ask-new-matter) who did not answer by its `expiresAt`, locked. */
  withLapsedNewMatterQuestion(now: Date): Promise<Resident[]> {
    return this.lockWhere(`r.dialog->>'kind' = 'ask-new-matter' AND (r.dialog->>'expiresAt')::timestamptz <= :now`, { now });
  }

  /** Residents who were shown the department menu or asked their village at or before `askedBefore` and never answered, locked. */
  withUnansweredQuestion(askedBefore: Date): Promise<Resident[]> {
    return this.lockWhere(
      `r.dialog->>'kind' IN ('ask-department', 'ask-village') AND COALESCE((r.dialog->>'askedAt')::timestamptz, r.updated_at) <= :askedBefore`,
      { askedBefore },
    );
  }

  /** Residents matching `where` (alias r), locked; rows another worker holds are skipped, not waited for. */
  private lockWhere(where: string, params: Record<string, unknown>): Promise<Resident[]> {
    return this.em.getRepository(Resident).createQueryBuilder('r').setLock('pessimistic_write').setOnLocked('skip_locked').where(where, params).getMany();
  }

  /** Id → name, for lists of cases. */
  async names(ids: readonly number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.em.getRepository(Resident).find({ select: { id: true, name: true }, where: { id: In([...new Set(ids)]) } });
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Resident id → the cadre who relays for them (代办), for those of `ids` without WeChat. */
  async relayCadres(ids: readonly number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows: { id: number; relay_cadre_id: string }[] = await prepared(
      this.em,
      `SELECT id, relay_cadre_id FROM residents WHERE id = ANY($1) AND relay_cadre_id IS NOT NULL`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((r) => [r.id, r.relay_cadre_id]));
  }

  get(id: number): Promise<Resident> {
    return this.em.getRepository(Resident).findOneByOrFail({ id });
  }

  /** The resident, locked until the transaction ends: read as her own message at this moment left her. */
  async lock(id: number): Promise<Resident> {
    const [row]: Record<string, unknown>[] = await prepared(this.em, `SELECT * FROM residents WHERE id = $1 FOR UPDATE`, [id]);
    return hydrate(this.em, Resident, row!);
  }
}
