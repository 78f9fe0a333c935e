import { In, type EntityManager } from 'typeorm';
import { holdableKinds, type InboundMessageDto } from '../../queue/jobs.js';
import { InboundMessage } from '../entities/inbound-message.entity.js';
import { hydrate, prepared, updateReturning } from '../sql.js';

export class InboundMessageRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Records the message once (unique on the puppet's id) and locks its row, so a redelivered
   * message waits for the first one and then sees it handled.
   */
  async recordAndLock(dto: InboundMessageDto): Promise<InboundMessage> {
    // On a redelivery the update changes nothing: it takes the row lock and returns the row.
    const [row]: Record<string, unknown>[] = await prepared(
      this.em,
      `INSERT INTO inbound_messages
         (source_message_id, talker_id, talker_name, room_id, kind, text, media, sent_at, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (source_message_id) DO UPDATE SET source_message_id = EXCLUDED.source_message_id
       RETURNING *`,
      [
        dto.messageId, dto.talkerId, storable(dto.talkerName), dto.roomId, dto.kind, storable(dto.text),
        dto.media && storable(dto.media), storableTime(dto.sentAt, dto.receivedAt), dto.receivedAt,
      ],
    );
    return hydrate(this.em, InboundMessage, row!);
  }

  /**
   * Records what the worker did with the message it is handling, its case included (handling
   * sets `caseId` rather than calling {@link linkToCase}).
   */
  async finish(message: Pick<InboundMessage, 'id' | 'outcome' | 'handledAt' | 'residentId' | 'cadreId' | 'caseId' | 'relayedText'>): Promise<void> {
    await prepared(
      this.em,
      `UPDATE inbound_messages SET outcome = $2, handled_at = $3, resident_id = $4, cadre_id = $5, case_id = $6, relayed_text = $7 WHERE id = $1`,
      [message.id, message.outcome, message.handledAt, message.residentId, message.cadreId, message.caseId, message.relayedText],
    );
  }

  /** Which of these puppet message ids have their row (the bot's intake journal lets those go). */
  async recordedAmong(messageIds: readonly string[]): Promise<string[]> {
    const rows: { source_message_id: string }[] = await this.em.query(
      `SELECT source_message_id FROM inbound_messages WHERE source_message_id = ANY($1)`,
      [messageIds],
    );
    return rows.map((r) => r.source_message_id);
  }

  /**
   * How many messages a contact sent lianxin since `since` (not those in group chats, which are
   * only recorded), and whether one of them was told to slow down.
   */
  async recentFrom(talkerId: string, since: Date): Promise<{ count: number; warned: boolean }> {
    const [row]: { count: string; warned: boolean }[] = await prepared(
      this.em,
      `SELECT count(*) AS count, bool_or(outcome = 'rate-limit-notice') AS warned
       FROM inbound_messages WHERE talker_id = $1 AND received_at > $2 AND room_id IS NULL`,
      [talkerId, since],
    );
    return { count: Number(row!.count), warned: row!.warned ?? false };
  }

  /**
   * The resident a cadre's contact filed for (代办) last since `since`, while that cadre still
   * relays for them, and when.
   */
  async lastRelayedFrom(talkerId: string, cadreId: string, since: Date): Promise<{ name: string; villageId: string; at: Date } | null> {
    const [row]: { name: string; village_id: string; received_at: Date }[] = await prepared(
      this.em,
      `SELECT r.name, r.village_id, m.received_at FROM inbound_messages m JOIN residents r ON r.id = m.resident_id
       WHERE m.talker_id = $1 AND m.received_at > $2 AND m.relayed_text IS NOT NULL AND r.relay_cadre_id = $3
       ORDER BY m.received_at DESC, m.id DESC LIMIT 1`,
      [talkerId, since, cadreId],
    );
    return row ? { name: row.name, villageId: row.village_id, at: new Date(row.received_at) } : null;
  }

  /**
   * Whether `message` (a photo, voice…) goes on a run: the contact's message before it, received
   * at most `withinSeconds` earlier, was of the same kind, went into `caseId`, and its forward is
   * still the last thing written to `to` — nothing came between in that chat (another case's
   * notice, a new holder), so the header it had still stands above this one.
   */
  async continuesMediaRun(
    message: Pick<InboundMessage, 'id' | 'talkerId' | 'kind' | 'receivedAt'>,
    caseId: number,
    to: { residentId: number } | { cadreId: string },
    withinSeconds: number,
  ): Promise<boolean> {
    if (message.kind === 'text' || withinSeconds === 0) return false;
    const residentId = 'residentId' in to ? to.residentId : null;
    const cadreId = 'cadreId' in to ? to.cadreId : null;
    const [row]: { kind: string; case_id: number | null; handled_at: Date | null; forward_id: number | null; interrupted: boolean }[] = await prepared(
      this.em,
      `WITH prev AS (
         SELECT id, kind, case_id, handled_at FROM inbound_messages
         WHERE talker_id = $1 AND id <> $2 AND (received_at < $3::timestamptz OR (received_at = $3::timestamptz AND id < $2))
           AND received_at >= $3::timestamptz - make_interval(secs => $4)
         ORDER BY received_at DESC, id DESC LIMIT 1),
       forward AS (
         SELECT max(o.id) AS id FROM outbound_messages o JOIN prev ON o.inbound_message_id = prev.id
         WHERE o.kind = 'forward' AND o.resident_id IS NOT DISTINCT FROM $5::integer AND o.cadre_id IS NOT DISTINCT FROM $6::text)
       SELECT prev.kind, prev.case_id, prev.handled_at, forward.id AS forward_id,
         EXISTS (SELECT 1 FROM outbound_messages n WHERE n.id > forward.id
                   AND n.resident_id IS NOT DISTINCT FROM $5::integer AND n.cadre_id IS NOT DISTINCT FROM $6::text) AS interrupted
       FROM prev, forward`,
      [message.talkerId, message.id, message.receivedAt, withinSeconds, residentId, cadreId],
    );
    return (
      row !== undefined && row.kind === message.kind && row.case_id === caseId && row.handled_at !== null && row.forward_id !== null && !row.interrupted
    );
  }

  /**
   * A cadre's photos, voices and files since `since` that went to no case (which one was unclear),
   * oldest first, locked: they wait for the cadre to say the case's number. Locked, so the sweep
   * does not call one lapsed (see {@link lapseHeldMedia}) while the number sends it.
   */
  async heldMediaFrom(talkerId: string, since: Date): Promise<InboundMessage[]> {
    const rows: Record<string, unknown>[] = await prepared(
      this.em,
      `SELECT * FROM inbound_messages
       WHERE talker_id = $1 AND received_at > $2 AND kind = ANY($3)
         AND case_id IS NULL AND cadre_id IS NOT NULL AND outcome = 'media-held' AND handled_at IS NOT NULL
       ORDER BY sent_at, id
       FOR UPDATE`,
      [talkerId, since, holdableKinds],
    );
    return rows.map((row) => hydrate(this.em, InboundMessage, row));
  }

  /**
   * Cadres' photos and voices received by `before` that still wait for a case number: they lapse
   * (outcome `media-lapsed`; the rows stay) and are returned oldest first, each once. Rows a cadre's
   * number is placing just now are skipped; it either sends them or leaves them to the next sweep.
   */
  async lapseHeldMedia(before: Date): Promise<{ cadreId: string; kind: string; receivedAt: Date }[]> {
    const rows = await updateReturning<{ cadre_id: string; kind: string; received_at: Date }>(
      this.em,
      `UPDATE inbound_messages SET outcome = 'media-lapsed'
       WHERE id IN (SELECT id FROM inbound_messages WHERE outcome = 'media-held' AND case_id IS NULL AND received_at <= $1
                    ORDER BY id FOR UPDATE SKIP LOCKED)
       RETURNING cadre_id, kind, received_at`,
      [before],
    );
    return rows
      .map((r) => ({ cadreId: r.cadre_id, kind: r.kind, receivedAt: new Date(r.received_at) }))
      .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
  }

  /**
   * What residents wrote since `since` to the holder of cases `cadreId` holds (open, or resolved
   * and waiting for the rating — "还是黄的" at the rating question is passed on too): each case's
   * latest message passed on (its `resident-message` event), newest first.
   */
  async residentWordsTo(cadreId: string, since: Date): Promise<{ number: number; resident: string; text: string }[]> {
    const rows: { number: number; resident: string; text: string; received_at: Date }[] = await prepared(
      this.em,
      `SELECT DISTINCT ON (c.id) c.number, r.name AS resident, m.text, m.received_at
       FROM inbound_messages m JOIN cases c ON c.id = m.case_id JOIN residents r ON r.id = m.resident_id
       WHERE c.assignee_id = $1 AND c.status IN ('assigned', 'accepted', 'resolved') AND m.received_at > $2
         AND EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.type = 'resident-message' AND e.data->>'messageId' = m.id::text)
       ORDER BY c.id, m.received_at DESC, m.id DESC`,
      [cadreId, since],
    );
    return rows
      .sort((a, b) => new Date(b.received_at).getTime() - new Date(a.received_at).getTime())
      .map((r) => ({ number: r.number, resident: r.resident, text: r.text }));
  }

  /** How many of a contact's messages since `since` ended with `outcome`. */
  async countOutcome(talkerId: string, outcome: string, since: Date): Promise<number> {
    const [row]: { n: string }[] = await prepared(
      this.em,
      `SELECT count(*) AS n FROM inbound_messages WHERE talker_id = $1 AND outcome = $2 AND received_at > $3`,
      [talkerId, outcome, since],
    );
    return Number(row!.n);
  }

  /** In the order they were sent. */
  async findByIds(ids: readonly number[]): Promise<InboundMessage[]> {
    if (ids.length === 0) return [];
    return this.em.getRepository(InboundMessage).find({ where: { id: In([...ids]) }, order: { sentAt: 'ASC', id: 'ASC' } });
  }

  /**
   * What a resident sent into a case after telling the matter — words added while it was open,
   * and every photo, voice, file and place — oldest first: what a new holder has not seen.
   */
  async residentFollowUps(caseId: number, residentId: number): Promise<InboundMessage[]> {
    const rows: Record<string, unknown>[] = await this.em.query(
      `SELECT * FROM inbound_messages WHERE case_id = $1 AND resident_id = $2 AND (kind <> 'text' OR outcome = 'added-to-case')
       ORDER BY sent_at, id`,
      [caseId, residentId],
    );
    return rows.map((row) => hydrate(this.em, InboundMessage, row));
  }

  /** The visit a message was about: a cadre's words to its resident, or her answer (set apart from {@link finish}, which ordinary messages run). */
  async linkToBooking(id: number, bookingId: number): Promise<void> {
    await prepared(this.em, `UPDATE inbound_messages SET booking_id = $2 WHERE id = $1`, [id, bookingId]);
  }

  /** Earlier messages (already handled) become part of a case. */
  async linkToCase(ids: readonly number[], caseId: number): Promise<void> {
    if (ids.length === 0) return;
    await this.em.getRepository(InboundMessage).update({ id: In([...ids]) }, { caseId });
  }
}

/** Half of a UTF-16 surrogate pair without its other half. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Postgres text and jsonb cannot hold U+0000: the one character of a message not kept. Nor can
 * they hold half a surrogate pair (a file name cut in an emoji): text gets U+FFFD for it from pg,
 * jsonb refuses the whole value, so it is written U+FFFD here for both.
 */
function storable<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('\u0000', '').replace(loneSurrogate, '\uFFFD') as T;
  if (Array.isArray(value)) return value.map(storable) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [storable(key), storable(item)])) as T;
  }
  return value;
}

/**
 * WeChat's sending time as the puppet gave it, or the time the message came when Postgres could
 * not store that (an ISO year beyond 0000–9999, written with a sign, or no time at all).
 */
function storableTime(sentAt: string, receivedAt: string): string {
  return /^\d{4}-/.test(sentAt) && !Number.isNaN(Date.parse(sentAt)) ? sentAt : receivedAt;
}
