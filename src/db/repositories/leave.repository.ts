import type { EntityManager } from 'typeorm';
import type { Leave } from '../../config/schema.js';
import { prepared } from '../sql.js';

/** Columns of `cadre_leaves` as routing reads the roster's leave (`note`: the reason). */
const leaveColumns = `cadre_id AS cadre, from_date::text AS "from", to_date::text AS "to", reason AS note`;

type LeaveRow = { cadre: string; from: string; to: string; note: string | null };

const asLeave = ({ note, ...leave }: LeaveRow): Leave => (note === null ? leave : { ...leave, note });

/**
 * Leave taken in chat (请假 / 销假): whole township-local days ("YYYY-MM-DD"), inclusive. The
 * roster's `leave:` stays in config; routing reads both (see `leaveOn`).
 */
export class LeaveRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Puts a leave in, in place of the cadre's leaves it overlaps from its first day on: the latest 请假
   * for a day is the one that holds ("今天到周五", then "今天到周三", is to Wednesday), while the days
   * before it — those already past, the record of who was away, and today's when the new leave starts
   * later — stay as they were taken. `leave.from` is not before `today`. Returns `new` when none was
   * replaced, `changed` when one was, and `same` when the one there has, from today on, these days
   * and this reason (or the leave gives none): sent twice, even a day later, it is left as it was.
   */
  async replace(leave: Leave & { setBy: string }, today: string, now: Date): Promise<'new' | 'changed' | 'same'> {
    const overlapped: (LeaveRow & { id: number; setBy: string })[] = await prepared(
      this.em,
      `SELECT id, ${leaveColumns}, set_by AS "setBy" FROM cadre_leaves WHERE cadre_id = $1 AND from_date <= $3 AND to_date >= $2 ORDER BY from_date FOR UPDATE`,
      [leave.cadre, leave.from, leave.to],
    );
    const sameReason = (row: LeaveRow) => !leave.note || leave.note === row.note;
    const [only] = overlapped;
    const fromToday = (row: LeaveRow) => (row.from < today ? today : row.from);
    if (overlapped.length === 1 && fromToday(only!) === leave.from && only!.to === leave.to && sameReason(only!)) return 'same';
    let extended = false;
    for (const row of overlapped) {
      if (row.from >= leave.from) {
        await prepared(this.em, `DELETE FROM cadre_leaves WHERE id = $1`, [row.id]);
      } else if (leave.from === today && row.setBy === leave.setBy && sameReason(row)) {
        // Begun before today and going on from today with other days: one leave, to its new end.
        await prepared(this.em, `UPDATE cadre_leaves SET to_date = $2 WHERE id = $1`, [row.id, leave.to]);
        extended = true;
      } else {
        // Its days before the new leave stay (today's too, when the new one starts later).
        await prepared(this.em, `UPDATE cadre_leaves SET to_date = $2::date - 1 WHERE id = $1`, [row.id, leave.from]);
      }
    }
    if (!extended) {
      await prepared(
        this.em,
        `INSERT INTO cadre_leaves (cadre_id, from_date, to_date, reason, set_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
        [leave.cadre, leave.from, leave.to, leave.note ?? null, leave.setBy, now],
      );
    }
    return overlapped.length > 0 ? 'changed' : 'new';
  }

  /** The leaves of these cadres covering `date`. */
  async on(cadreIds: readonly string[], date: string): Promise<Leave[]> {
    const rows: LeaveRow[] = await prepared(
      this.em,
      `SELECT ${leaveColumns} FROM cadre_leaves WHERE cadre_id = ANY($1) AND from_date <= $2 AND to_date >= $2`,
      [cadreIds, date],
    );
    return rows.map(asLeave);
  }

  /** Everyone's leaves overlapping the days `from`–`to`, with who put each in (`setBy`), earliest first. */
  async overlapping(from: string, to: string): Promise<(Leave & { setBy: string })[]> {
    const rows: (LeaveRow & { setBy: string })[] = await prepared(
      this.em,
      `SELECT ${leaveColumns}, set_by AS "setBy" FROM cadre_leaves WHERE from_date <= $2 AND to_date >= $1 ORDER BY from_date, cadre_id`,
      [from, to],
    );
    return rows.map(({ setBy, ...row }) => ({ ...asLeave(row), setBy }));
  }

  /** A cadre's leaves not over before `date` (running then, or still to come), earliest first. */
  async fromDate(cadreId: string, date: string): Promise<(Leave & { id: number })[]> {
    const rows: (LeaveRow & { id: number })[] = await prepared(
      this.em,
      `SELECT id, ${leaveColumns} FROM cadre_leaves WHERE cadre_id = $1 AND to_date >= $2 ORDER BY from_date, id`,
      [cadreId, date],
    );
    return rows.map(({ id, ...row }) => ({ id, ...asLeave(row) }));
  }

  /** 销假: leave `id` ends the day before `date`; one not begun by then is dropped. */
  async end(id: number, date: string): Promise<void> {
    await prepared(this.em, `DELETE FROM cadre_leaves WHERE id = $1 AND from_date >= $2`, [id, date]);
    await prepared(this.em, `UPDATE cadre_leaves SET to_date = $2::date - 1 WHERE id = $1 AND to_date >= $2`, [id, date]);
  }
}
