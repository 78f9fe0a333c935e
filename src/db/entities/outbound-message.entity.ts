import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type OutboundKind = 'text' | 'forward';
/** A message naming several cases, one a line: each case's id, and whatever its writer needs to write it again. */
export interface CaseList {
  items: readonly { caseId: number }[];
}

/** `held`: waiting for the end of the quiet hours (`notBefore`). */
export type OutboundStatus = 'pending' | 'held' | 'sending' | 'delivered' | 'failed';

/**
 * The outbox: every message the bot is to send, written in the same transaction as the
 * decision that caused it, then delivered by the bot, which records the outcome.
 */
@Entity({ name: 'outbound_messages' })
export class OutboundMessage {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  /** Exactly one of residentId / cadreId is set; the WeChat id is looked up at send time. */
  @Column({ name: 'resident_id', type: 'integer', nullable: true })
  residentId: number | null;

  @Column({ name: 'cadre_id', type: 'text', nullable: true })
  cadreId: string | null;

  @Column({ name: 'case_id', type: 'integer', nullable: true })
  caseId: number | null;

  /** The inbound message that caused this one, if any. */
  @Column({ name: 'inbound_message_id', type: 'integer', nullable: true })
  inboundMessageId: number | null;

  @Column({ type: 'text' })
  kind: OutboundKind;

  @Column({ type: 'text' })
  text: string;

  /** For `forward`: the puppet message id of the media to pass on. */
  @Column({ name: 'forward_message_id', type: 'text', nullable: true })
  forwardMessageId: string | null;

  @Column({ type: 'text' })
  status: OutboundStatus;

  /** A `held` message goes out then (the end of the quiet hours). */
  @Column({ name: 'not_before', type: 'timestamptz', nullable: true })
  notBefore: Date | null;

  /**
   * A sweep's list of several cases (`caseId` null): what it was written from, so that it is written
   * again without the cases its cadre is no longer to hear of when it leaves the quiet hours.
   */
  @Column({ type: 'jsonb', nullable: true })
  list: CaseList | null;

  @Column({ type: 'integer' })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true })
  claimedAt: Date | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;
}
