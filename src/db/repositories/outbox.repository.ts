import type { EntityManager } from 'typeorm';
import type { OutboundKind, OutboundMessage } from '../entities/outbound-message.entity.js';
import { updateReturning } from '../sql.js';

export interface NewOutboundMessage {
  to: { residentId: number } | { cadreId: string };
  text: string;
  kind?: OutboundKind;
  forwardMessageId?: string | null;
  caseId?: number | null;
  inboundMessageId?: number | null;
}

/** A claimed outbox row with the WeChat id it goes to (null: the cadre has none yet). */
export interface Claim {
  message: Pick<OutboundMessage, 'id' | 'residentId' | 'cadreId' | 'caseId' | 'kind' | 'text' | 'forwardMessageId' | 'attempts'>;
  wechatId: string | null;
}

interface ClaimedRow {
  id: number;
  resident_id: number | null;
  cadre_id: string | null;
  case_id: number | null;
  kind: OutboundKind;
  text: string;
  forward_message_id: string | null;
  attempts: number;
  wechat_id: string | null;
}

/**
 * An outbox row to put on the outbound queue. `attempts` is part of the job id: a row that is
 * sent again after an attempt that ended (a cadre bound later, a bot that died mid-send) gets
 * a new job, while adding the same attempt twice stays one job.
 */
export interface Delivery {
  id: number;
  attempts: number;
}

/** Why a message to a cadre without a bound WeChat contact waits. */
export const noWechatId = 'recipient has no WeChat id yet';

/** After this long a `sending` claim is treated as abandoned (the bot died mid-send). */
const staleClaimSeconds = 60;

export class OutboxRepository {
  constructor(private readonly em: EntityManager) {}

  async add(message: NewOutboundMessage, now: Date): Promise<number> {
    const rows: { id: number }[] = await this.em.query(
      `INSERT INTO outbound_messages
         (resident_id, cadre_id, case_id, inbound_message_id, kind, text, forward_message_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        'residentId' in message.to ? message.to.residentId : null,
        'cadreId' in message.to ? message.to.cadreId : null,
        message.caseId ?? null,
        message.inboundMessageId ?? null,
        message.kind ?? 'text',
        message.text,
        message.forwardMessageId ?? null,
        now,
      ],
    );
    return rows[0]!.id;
  }

  /**
   * For a row still to be sent: its recipient ("r:<residentId>" / "c:<cadreId>") and whether an
   * earlier row to the same recipient is still undelivered (then this one must wait its turn:
   * a "see the next message" note must not arrive after the photo it announces).
   * Null when there is nothing to send.
   */
  async sendingOrder(id: number): Promise<{ recipient: string; behind: boolean } | null> {
    const [row]: { resident_id: number | null; cadre_id: string | null; behind: boolean }[] = await this.em.query(
      `SELECT m.resident_id, m.cadre_id,
         EXISTS (SELECT 1 FROM outbound_messages e
                 WHERE e.resident_id = m.resident_id AND e.id < m.id AND e.status IN ('pending', 'sending'))
         OR EXISTS (SELECT 1 FROM outbound_messages e
                 WHERE e.cadre_id = m.cadre_id AND e.id < m.id AND e.status IN ('pending', 'sending')) AS behind
       FROM outbound_messages m WHERE m.id = $1 AND m.status IN ('pending', 'sending')`,
      [id],
    );
    if (!row) return null;
    return { recipient: row.resident_id !== null ? `r:${row.resident_id}` : `c:${row.cadre_id}`, behind: row.behind };
  }

  /**
   * Takes a row for sending, or returns null when it is delivered, being sent by someone else,
   * or failed for good. Committed before the send, so a crash leaves a visible `sending` row.
   */
  async claim(id: number, now: Date): Promise<Claim | null> {
    // One round trip: the claim, the row and its recipient's WeChat id.
    const [row] = await updateReturning<ClaimedRow>(
      this.em,
      `UPDATE outbound_messages m SET status = 'sending', attempts = attempts + 1, claimed_at = $2
       WHERE id = $1 AND (status = 'pending'
         OR (status = 'sending' AND claimed_at < $2::timestamptz - make_interval(secs => $3)))
       RETURNING m.id, m.resident_id, m.cadre_id, m.case_id, m.kind, m.text, m.forward_message_id, m.attempts,
         COALESCE((SELECT wechat_id FROM residents r WHERE r.id = m.resident_id),
                  (SELECT wechat_id FROM cadres c WHERE c.id = m.cadre_id)) AS wechat_id`,
      [id, now, staleClaimSeconds],
    );
    if (!row) return null;
    return {
      message: {
        id: row.id,
        residentId: row.resident_id,
        cadreId: row.cadre_id,
        caseId: row.case_id,
        kind: row.kind,
        text: row.text,
        forwardMessageId: row.forward_message_id,
        attempts: row.attempts,
      },
      wechatId: row.wechat_id,
    };
  }


  async markDelivered(id: number, now: Date): Promise<void> {
    await this.em.query(
      `UPDATE outbound_messages SET status = 'delivered', delivered_at = $2, last_error = NULL WHERE id = $1`,
      [id, now],
    );
  }

  /** `retry`: back to pending for the next attempt; otherwise failed for good. */
  async markFailed(id: number, error: string, retry: boolean): Promise<void> {
    await this.em.query(`UPDATE outbound_messages SET status = $2, last_error = $3 WHERE id = $1`, [
      id,
      retry ? 'pending' : 'failed',
      error.slice(0, 1000),
    ]);
  }

  /**
   * At bot start: rows a previous bot claimed and never finished go back to pending (one bot
   * per WeChat account, so whoever claimed them is gone). One sent just before that bot died
   * is sent again: at least once beats never.
   */
  async releaseClaims(): Promise<number> {
    const rows = await updateReturning(this.em, `UPDATE outbound_messages SET status = 'pending' WHERE status = 'sending' RETURNING id`, []);
    return rows.length;
  }

  /** Messages that waited for a cadre to bind a WeChat contact: pending again, ids returned. */
  async releaseHeldFor(cadreId: string): Promise<Delivery[]> {
    return updateReturning<Delivery>(
      this.em,
      `UPDATE outbound_messages SET status = 'pending', last_error = NULL
       WHERE cadre_id = $1 AND status = 'failed' AND last_error = $2 RETURNING id, attempts`,
      [cadreId, noWechatId],
    );
  }

  /** Rows that should be on the outbound queue: pending, or abandoned mid-send. */
  findUndelivered(now: Date, limit = 1000): Promise<Delivery[]> {
    return this.em.query(
      `SELECT id, attempts FROM outbound_messages
       WHERE status = 'pending'
          OR (status = 'sending' AND claimed_at < $1::timestamptz - make_interval(secs => $2))
       ORDER BY id LIMIT $3`,
      [now, staleClaimSeconds, limit],
    );
  }
}
