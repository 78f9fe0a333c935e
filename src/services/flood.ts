/**
 * The flood limit (`township.residentMessagesPerMinute`): a contact sending faster than anyone
 * types (a stuck phone, a prank) is told once to slow down; further messages within the minute
 * are kept, unanswered and not routed.
 */
import type { Repositories } from '../db/database.js';
import type { InboundMessage } from '../db/entities/inbound-message.entity.js';
import type { Outbox } from './outbox.js';
import { replies } from './replies.js';

/** What became of a message over the limit: the one told to slow down, or one only recorded; null under it. */
export async function overFloodLimit(
  tx: Repositories,
  message: InboundMessage,
  limit: number,
  outbox: Outbox,
): Promise<'rate-limit-notice' | 'rate-limited' | null> {
  const recent = await tx.inbound.recentFrom(message.talkerId, new Date(message.receivedAt.getTime() - 60_000));
  if (recent.count <= limit) return null;
  if (recent.warned) return 'rate-limited';
  outbox.toResident(message.residentId!, replies.slowDown());
  return 'rate-limit-notice';
}
