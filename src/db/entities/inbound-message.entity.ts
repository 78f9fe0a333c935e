import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { MessageKind } from '../../queue/jobs.js';

/** Every message that reached the bot, exactly once (unique on the puppet's message id). */
@Entity({ name: 'inbound_messages' })
export class InboundMessage {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'source_message_id', type: 'text', unique: true })
  sourceMessageId: string;

  @Column({ name: 'talker_id', type: 'text' })
  talkerId: string;

  @Column({ name: 'talker_name', type: 'text' })
  talkerName: string;

  @Column({ name: 'room_id', type: 'text', nullable: true })
  roomId: string | null;

  @Column({ type: 'text' })
  kind: MessageKind;

  /** Text as sent (verbatim); for media a short description. */
  @Column({ type: 'text' })
  text: string;

  /** For media: what is needed to forward it (file name, location…). */
  @Column({ type: 'jsonb', nullable: true })
  media: Record<string, unknown> | null;

  @Column({ name: 'sent_at', type: 'timestamptz' })
  sentAt: Date;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  /**
   * 代办: a cadre's message for a resident without WeChat (`resident_id`, sent by `cadre_id`);
   * the resident's words in it, without the command, name and village ('' for a photo or voice
   * passed on). Null for every other message.
   */
  @Column({ name: 'relayed_text', type: 'text', nullable: true })
  relayedText: string | null;

  @Column({ name: 'resident_id', type: 'integer', nullable: true })
  residentId: number | null;

  @Column({ name: 'cadre_id', type: 'text', nullable: true })
  cadreId: string | null;

  @Column({ name: 'case_id', type: 'integer', nullable: true })
  caseId: number | null;

  /** The visit (预约) a cadre's words to its resident, or her answer to them, were about. */
  @Column({ name: 'booking_id', type: 'integer', nullable: true })
  bookingId: number | null;

  /** When the worker finished with it; null = still to do. */
  @Column({ name: 'handled_at', type: 'timestamptz', nullable: true })
  handledAt: Date | null;

  /** What the worker did with it, e.g. `case-opened`, `asked-village`. */
  @Column({ type: 'text', nullable: true })
  outcome: string | null;
}
