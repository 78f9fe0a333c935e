import { In, type EntityManager } from 'typeorm';
import type { InboundMessageDto } from '../../queue/jobs.js';
import { InboundMessage } from '../entities/inbound-message.entity.js';

export class InboundMessageRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Records the message once (unique on the puppet's id) and locks its row, so a redelivered
   * message waits for the first one and then sees it handled.
   */
  async recordAndLock(dto: InboundMessageDto): Promise<InboundMessage> {
    await this.em.query(
      `INSERT INTO inbound_messages
         (source_message_id, talker_id, talker_name, room_id, kind, text, media, sent_at, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (source_message_id) DO NOTHING`,
      [
        dto.messageId, dto.talkerId, storable(dto.talkerName), dto.roomId, dto.kind, storable(dto.text),
        dto.media && storable(dto.media), dto.sentAt, dto.receivedAt,
      ],
    );
    return this.em
      .getRepository(InboundMessage)
      .createQueryBuilder('m')
      .setLock('pessimistic_write')
      .where('m.source_message_id = :id', { id: dto.messageId })
      .getOneOrFail();
  }

  /** Records what the worker did; only these columns, so links made meanwhile (case_id) stay. */
  async finish(message: Pick<InboundMessage, 'id' | 'outcome' | 'handledAt' | 'residentId' | 'cadreId'>): Promise<void> {
    await this.em.query(
      `UPDATE inbound_messages SET outcome = $2, handled_at = $3, resident_id = $4, cadre_id = $5 WHERE id = $1`,
      [message.id, message.outcome, message.handledAt, message.residentId, message.cadreId],
    );
  }

  /** How many messages a contact sent since `since`, and whether one of them was told to slow down. */
  async recentFrom(talkerId: string, since: Date): Promise<{ count: number; warned: boolean }> {
    const [row]: { count: string; warned: boolean }[] = await this.em.query(
      `SELECT count(*) AS count, bool_or(outcome = 'rate-limit-notice') AS warned
       FROM inbound_messages WHERE talker_id = $1 AND received_at > $2`,
      [talkerId, since],
    );
    return { count: Number(row!.count), warned: row!.warned ?? false };
  }

  /** How many of a contact's messages since `since` ended with `outcome`. */
  async countOutcome(talkerId: string, outcome: string, since: Date): Promise<number> {
    const [row]: { n: string }[] = await this.em.query(
      `SELECT count(*) AS n FROM inbound_messages WHERE talker_id = $1 AND outcome = $2 AND received_at > $3`,
      [talkerId, outcome, since],
    );
    return Number(row!.n);
  }

  /** In the order they were sent. */
  findByIds(ids: readonly number[]): Promise<InboundMessage[]> {
    return this.em.getRepository(InboundMessage).find({ where: { id: In([...ids]) }, order: { sentAt: 'ASC', id: 'ASC' } });
  }

  async linkToCase(ids: readonly number[], caseId: number): Promise<void> {
    await this.em.getRepository(InboundMessage).update({ id: In([...ids]) }, { caseId });
  }
}

/** Postgres text and jsonb cannot hold U+0000: the one character of a message not kept. */
function storable<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('\u0000', '') as T;
  if (Array.isArray(value)) return value.map(storable) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [storable(key), storable(item)])) as T;
  }
  return value;
}
