import type { EntityManager } from 'typeorm';
import type { CaseList, OutboundKind, OutboundMessage } from '../entities/outbound-message.entity.js';
import { openCaseStatuses } from '../../domain/case.js';
import { prepared, updateReturning } from '../sql.js';

export interface NewOutboundMessage {
  to: { residentId: number } | { cadreId: string };
  text: string;
  kind?: OutboundKind;
  forwardMessageId?: string | null;
  caseId?: number | null;
  inboundMessageId?: number | null;
  /** Held until then (quiet hours); null or absent: to be sent now. */
  notBefore?: Date | null;
  /** A list of several cases (see {@link OutboundMessage.list}). */
  list?: CaseList | null;
}

/**
 * A held list released with cases its cadre is no longer to hear of (`gone`): to be written again
 * without them, in the transaction that released it, before anyone can claim it.
 */
export interface ShortenedList {
  id: number;
  list: CaseList;
  gone: number[];
}

/**
 * A claimed outbox row with the WeChat id it goes to (null: the cadre has none yet). For a
 * resident without WeChat, the id is the cadre's who passes messages on, and `relayedResident`
 * the resident's name.
 */
export interface Claim {
  message: Pick<OutboundMessage, 'id' | 'residentId' | 'cadreId' | 'caseId' | 'kind' | 'text' | 'forwardMessageId' | 'attempts'>;
  wechatId: string | null;
  relayedResident: string | null;
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
  relayed_resident: string | null;
}

/**
 * An outbox row to put on the outbound queue. `attempts` is part of the job id: a row that is
 * sent again after an attempt that ended (a cadre bound later, a bot that died mid-send) gets
 * a new job, while adding the same attempt twice stays one job. `recipient` lets the bot pace
 * a recipient's messages before it touches the database.
 */
export interface Delivery {
  id: number;
  attempts: number;
  recipient: Recipient;
}

/** "r:<residentId>" or "c:<cadreId>". */
export type Recipient = `r:${number}` | `c:${string}`;

/** The SQL for a row's {@link Recipient}. */
const recipientSql = `CASE WHEN resident_id IS NOT NULL THEN 'r:' || resident_id ELSE 'c:' || cadre_id END`;

export function recipientOf(to: NewOutboundMessage['to']): Recipient {
  return 'residentId' in to ? `r:${to.residentId}` : `c:${to.cadreId}`;
}

/** Why a message to a cadre without a bound WeChat contact waits. */
export const noWechatId = 'recipient has no WeChat id yet';

/** The row's recipient as {@link recipientSql} gives it, for statements where the row is `m`. */
const mRecipientSql = recipientSql.replace(/resident_id|cadre_id/g, (column) => `m.${column}`);

/**
 * Why a held message about a case was not sent: the case went to someone else before it could be
 * (a list of several: each of its cases went to someone else or was closed).
 */
export const superseded = 'superseded: the case was given to someone else before this could be sent';

/**
 * The cadre of row `m` had been told of case `caseId` (SQL) before `m`: a message about it, or a list
 * naming it, was delivered to him.
 */
const toldOf = (caseId: string) => `(EXISTS (
    SELECT 1 FROM outbound_messages t WHERE t.case_id = ${caseId} AND t.cadre_id = m.cadre_id AND t.id < m.id AND t.status = 'delivered')
  OR EXISTS (
    SELECT 1 FROM outbound_messages t WHERE t.case_id IS NULL AND t.list IS NOT NULL AND t.cadre_id = m.cadre_id AND t.id < m.id
      AND t.status = 'delivered' AND t.list->'items' @> jsonb_build_array(jsonb_build_object('caseId', ${caseId}))))`;

/**
 * Case `caseId` (SQL) was given away from the cadre of row `m` after `m` was written — or as it was
 * written, `m` telling him so ("已改由…负责"), when he had never been told of the case: news of a case
 * he knew of stays news.
 */
const givenAwayFrom = (caseId: string) => `EXISTS (
  SELECT 1 FROM case_events e WHERE e.case_id = ${caseId} AND e.type = 'assigned' AND e.data->>'from' = m.cadre_id
    AND (e.at > m.created_at OR (e.at = m.created_at AND NOT ${toldOf(caseId)})))`;

/**
 * Row `m` is a cadre's news of a case given to someone else after it was written: sent late, it
 * would only confuse ("新案件 #1003", then "已改由…负责").
 */
const givenAway = `m.cadre_id IS NOT NULL AND m.case_id IS NOT NULL AND ${givenAwayFrom('m.case_id')}`;

/** Item `i` of row `m`'s list names a case its cadre is still to hear of: open, and not given away from him since. */
const stillNews = (i: string) => `EXISTS (SELECT 1 FROM cases c WHERE c.id = (${i}->>'caseId')::integer
  AND c.status = ANY('{${openCaseStatuses.join(',')}}'::text[])) AND NOT ${givenAwayFrom(`(${i}->>'caseId')::integer`)}`;

/** Row `m` is a list none of whose cases its cadre is still to hear of. */
const listSpent = `m.list IS NOT NULL AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(m.list->'items') i WHERE ${stillNews('i')})`;

/** The cases row `m`'s list names that its cadre is no longer to hear of (none for a row that is no list). */
const listGone = `ARRAY(SELECT (i->>'caseId')::integer FROM jsonb_array_elements(m.list->'items') i WHERE NOT (${stillNews('i')}))`;

/**
 * The SET of a held row leaving the quiet hours ($2 = {@link superseded}): pending, or failed when
 * {@link givenAway} or a {@link listSpent}. A list with some cases gone is pending, to be shortened
 * by the caller (see {@link ShortenedList}).
 */
const released = `status = CASE WHEN (${givenAway}) OR (${listSpent}) THEN 'failed' ELSE 'pending' END,
  last_error = CASE WHEN (${givenAway}) OR (${listSpent}) THEN $2 ELSE NULL END, not_before = NULL`;

/** What a release returns of each row: its delivery, and for a list, what to take out of it. */
const releasedRow = `m.id, m.attempts, ${mRecipientSql} AS recipient, m.status, m.list, ${listGone} AS gone`;

interface ReleasedRow extends Delivery {
  status: string;
  list: CaseList | null;
  gone: number[];
}

/** The lists among released rows that lose cases. */
function shortenedOf(rows: readonly ReleasedRow[]): ShortenedList[] {
  return rows.flatMap((r) => (r.status === 'pending' && r.list && r.gone.length > 0 ? [{ id: r.id, list: r.list, gone: r.gone }] : []));
}

/** After this long a `sending` claim is treated as abandoned (the bot died mid-send). */
const staleClaimSeconds = 60;

/** A row that may be claimed: pending, or abandoned mid-send ($2 = now, $3 = staleClaimSeconds). */
const claimable = `(status = 'pending' OR (status = 'sending' AND claimed_at < $2::timestamptz - make_interval(secs => $3)))`;

export class OutboxRepository {
  constructor(private readonly em: EntityManager) {}

  /** One message to send now. */
  async add(message: Omit<NewOutboundMessage, 'notBefore'>, now: Date): Promise<number> {
    const [delivery] = await this.addAll([message], now);
    return delivery!.id;
  }

  /**
   * Writes the rows in one statement; ids (and so the sending order) follow the array. Returns
   * the rows to send now: not those held for the end of the quiet hours.
   */
  async addAll(messages: readonly NewOutboundMessage[], now: Date): Promise<Delivery[]> {
    if (messages.length === 0) return [];
    const column = <T>(pick: (m: NewOutboundMessage) => T) => messages.map(pick);
    const rows: { id: number }[] = await prepared(
      this.em,
      `INSERT INTO outbound_messages
         (resident_id, cadre_id, case_id, inbound_message_id, kind, text, forward_message_id, created_at, status, not_before, list)
       SELECT r.resident_id, r.cadre_id, r.case_id, r.inbound_message_id, r.kind, r.text, r.forward_message_id, $8::timestamptz,
         CASE WHEN r.not_before IS NULL THEN 'pending' ELSE 'held' END, r.not_before, r.list
       FROM unnest($1::integer[], $2::text[], $3::integer[], $4::integer[], $5::text[], $6::text[], $7::text[], $9::timestamptz[], $10::jsonb[])
         WITH ORDINALITY AS r(resident_id, cadre_id, case_id, inbound_message_id, kind, text, forward_message_id, not_before, list, n)
       ORDER BY n
       RETURNING id`,
      [
        column((m) => ('residentId' in m.to ? m.to.residentId : null)),
        column((m) => ('cadreId' in m.to ? m.to.cadreId : null)),
        column((m) => m.caseId ?? null),
        column((m) => m.inboundMessageId ?? null),
        column((m) => m.kind ?? 'text'),
        column((m) => m.text),
        column((m) => m.forwardMessageId ?? null),
        now,
        column((m) => m.notBefore ?? null),
        column((m) => (m.list ? JSON.stringify(m.list) : null)),
      ],
    );
    const ids = rows.map((r) => r.id).sort((a, b) => a - b);
    return messages.flatMap((m, i) => (m.notBefore ? [] : [{ id: ids[i]!, attempts: 0, recipient: recipientOf(m.to) }]));
  }

  /**
   * A cadre is awake (writing to lianxin, or getting an urgent message): what waited for the
   * morning in their chat goes now — theirs, and that of the residents they relay for. News of a
   * case given to someone else meanwhile is dropped (see {@link released}), and taken out of a list.
   */
  async releaseHeld(cadreIds: readonly string[]): Promise<{ deliveries: Delivery[]; shortened: ShortenedList[] }> {
    if (cadreIds.length === 0) return { deliveries: [], shortened: [] };
    const rows = await updateReturning<ReleasedRow>(
      this.em,
      `UPDATE outbound_messages m SET ${released}
       WHERE m.status = 'held'
         AND (m.cadre_id = ANY($1) OR m.resident_id IN (SELECT id FROM residents WHERE relay_cadre_id = ANY($1)))
       RETURNING ${releasedRow}`,
      [cadreIds, superseded],
    );
    return {
      deliveries: rows.filter((r) => r.status === 'pending').map(({ id, attempts, recipient }) => ({ id, attempts, recipient })),
      shortened: shortenedOf(rows),
    };
  }

  /**
   * Held messages become pending, for the relay to enqueue: the quiet hours are over, or the
   * cadre whose chat they are for wrote to lianxin since `awakeSince` (also the one a concurrent
   * transaction held while the cadre was writing). News of a case given to someone else meanwhile
   * is dropped, and taken out of a list: `shortened`, for the caller to write again in this transaction.
   */
  async releaseDue(now: Date, awakeSince: Date): Promise<{ released: number; shortened: ShortenedList[] }> {
    const rows = await updateReturning<ReleasedRow>(
      this.em,
      `UPDATE outbound_messages m SET ${released}
       WHERE m.status = 'held'
         AND (m.not_before <= $1 OR EXISTS (
           SELECT 1 FROM cadres c JOIN inbound_messages i ON i.talker_id = c.wechat_id AND i.received_at > $3
           WHERE c.id = COALESCE(m.cadre_id, (SELECT r.relay_cadre_id FROM residents r WHERE r.id = m.resident_id))))
       RETURNING ${releasedRow}`,
      [now, superseded, awakeSince],
    );
    return { released: rows.length, shortened: shortenedOf(rows) };
  }

  /** A list written again (see {@link ShortenedList}): its text, and the case when one is left (`list` null then). */
  async rewriteList(id: number, message: { text: string; caseId: number | null; list: CaseList | null }): Promise<void> {
    await prepared(this.em, `UPDATE outbound_messages SET text = $2, case_id = $3, list = $4 WHERE id = $1`, [
      id,
      message.text,
      message.caseId,
      message.list ? JSON.stringify(message.list) : null,
    ]);
  }

  /**
   * Takes a row for sending, or says why not: `behind` when an earlier row to the same
   * recipient, or to the same chat (a relayed resident's and their cadre's), is still pending or
   * being sent — it must wait its turn: a "see the next message" note must not arrive after the
   * photo it announces (a row `held` for the end of the quiet hours holds nothing back) — and null
   * when it is delivered, being sent by someone else, or failed for good. Committed before the
   * send, so a crash leaves a visible `sending` row.
   */
  async claim(id: number, now: Date): Promise<Claim | 'behind' | null> {
    // One round trip in the usual case: the order check, the claim, the row and its
    // recipient's WeChat id.
    const [row] = await updateReturning<ClaimedRow>(
      this.em,
      `UPDATE outbound_messages m SET status = 'sending', attempts = attempts + 1, claimed_at = $2
       WHERE id = $1 AND ${claimable}
         -- It is the earliest in flight to its recipient. Written as min(), not NOT EXISTS: Postgres
         -- reads that as one step down the recipient's partial index, whatever the table's statistics;
         -- an anti-join planned while the table had none read every row in flight, on every claim.
         AND (m.resident_id IS NULL OR m.id = (SELECT min(e.id) FROM outbound_messages e
                 WHERE e.resident_id = m.resident_id AND e.status IN ('pending', 'sending')))
         AND (m.cadre_id IS NULL OR m.id = (SELECT min(e.id) FROM outbound_messages e
                 WHERE e.cadre_id = m.cadre_id AND e.status IN ('pending', 'sending')))
         -- A resident without WeChat is reached in their relaying cadre's chat: one queue for both.
         AND NOT EXISTS (SELECT 1 FROM residents r JOIN outbound_messages e ON e.resident_id = r.id
                 WHERE r.relay_cadre_id = m.cadre_id AND e.id < m.id AND e.status IN ('pending', 'sending'))
         AND NOT EXISTS (SELECT 1 FROM residents r JOIN outbound_messages e ON e.cadre_id = r.relay_cadre_id
                 WHERE r.id = m.resident_id AND e.id < m.id AND e.status IN ('pending', 'sending'))
       RETURNING m.id, m.resident_id, m.cadre_id, m.case_id, m.kind, m.text, m.forward_message_id, m.attempts,
         COALESCE((SELECT COALESCE(r.wechat_id, (SELECT wechat_id FROM cadres c WHERE c.id = r.relay_cadre_id))
                   FROM residents r WHERE r.id = m.resident_id),
                  (SELECT wechat_id FROM cadres c WHERE c.id = m.cadre_id)) AS wechat_id,
         (SELECT name FROM residents r WHERE r.id = m.resident_id AND r.wechat_id IS NULL) AS relayed_resident`,
      [id, now, staleClaimSeconds],
    );
    if (!row) {
      const [open]: unknown[] = await prepared(this.em, `SELECT 1 FROM outbound_messages WHERE id = $1 AND ${claimable}`,
        [id, now, staleClaimSeconds],
      );
      return open ? 'behind' : null;
    }
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
      relayedResident: row.relayed_resident,
    };
  }

  async markDelivered(id: number, now: Date): Promise<void> {
    await prepared(
      this.em,
      `UPDATE outbound_messages SET status = 'delivered', delivered_at = $2, last_error = NULL WHERE id = $1`,
      [id, now],
    );
  }

  /** `retry`: back to pending for the next attempt; otherwise failed for good. */
  async markFailed(id: number, error: string, retry: boolean): Promise<void> {
    await prepared(this.em, `UPDATE outbound_messages SET status = $2, last_error = $3 WHERE id = $1`, [
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

  /**
   * Messages that waited for a cadre to bind a WeChat contact: pending again, ids returned. News of
   * a case closed since, or given to someone else after the message was written, stays unsent: it
   * would only confuse. A head's or the office's notices about cases they do not hold (a 延期
   * request, a 催办) still go.
   */
  async releaseUnboundFor(cadreId: string): Promise<Delivery[]> {
    return updateReturning<Delivery>(
      this.em,
      `UPDATE outbound_messages m SET status = 'pending', last_error = NULL
       WHERE m.cadre_id = $1 AND m.status = 'failed' AND m.last_error = $2 AND NOT (${givenAway})
         AND (m.case_id IS NULL OR EXISTS (SELECT 1 FROM cases c WHERE c.id = m.case_id AND c.status = ANY($3)))
       RETURNING m.id, m.attempts, ${mRecipientSql} AS recipient`,
      [cadreId, noWechatId, openCaseStatuses],
    );
  }

  /** Rows that should be on the outbound queue: pending, or abandoned mid-send. */
  findUndelivered(now: Date, limit = 1000): Promise<Delivery[]> {
    return prepared(
      this.em,
      `SELECT id, attempts, ${recipientSql} AS recipient FROM outbound_messages
       WHERE status = 'pending'
          OR (status = 'sending' AND claimed_at < $1::timestamptz - make_interval(secs => $2))
       ORDER BY id LIMIT $3`,
      [now, staleClaimSeconds, limit],
    );
  }
}
