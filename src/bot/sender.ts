/**
 * The bot's outbound side: takes outbox rows off the outbound queue, sends them through the
 * puppet at a pace WeChat tolerates, and records each delivery.
 */
import { DelayedError, type Job, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Wechaty } from 'wechaty';
import type { Database } from '../db/database.js';
import { noWechatId, type Claim, type Recipient } from '../db/repositories/outbox.repository.js';
import type { Logger } from '../logger.js';
import { startWorker } from '../queue/queues.js';
import type { Clock } from '../services/clock.js';
import { replies } from '../services/replies.js';
import { mediaLabels } from './message-mapper.js';
import { UnrecordedSends } from './unrecorded-sends.js';

/** How long a message waits for an earlier one to the same recipient before looking again. */
const orderWaitMs = 100;

/** How often a message waiting for the WeChat login looks again. */
const loginWaitMs = 5000;

export interface PaceOptions {
  /** Minimum gap between two messages to one recipient; 0 = no gap. */
  perRecipientIntervalMs: number;
  /** Messages per second for the whole bot; 0 = no cap. */
  globalPerSecond: number;
}

/** Remembers when each recipient may next receive a message. One bot process per account. */
export class RecipientPacer {
  private readonly nextAt = new Map<string, number>();

  constructor(private readonly intervalMs: number) {}

  /** Milliseconds until `recipient` may receive the next message; 0 = now. */
  wait(recipient: string, nowMs: number): number {
    if (this.intervalMs <= 0) return 0;
    return Math.max(0, (this.nextAt.get(recipient) ?? 0) - nowMs);
  }

  /** A message to `recipient` goes out now: the next one waits the interval. */
  take(recipient: string, nowMs: number): void {
    if (this.intervalMs <= 0) return;
    this.nextAt.set(recipient, nowMs + this.intervalMs);
    if (this.nextAt.size > 10_000) this.forgetPast(nowMs);
  }

  private forgetPast(nowMs: number): void {
    for (const [key, at] of this.nextAt) if (at <= nowMs) this.nextAt.delete(key);
  }
}

export async function startSender(deps: {
  wechaty: Wechaty;
  db: Database;
  clock: Clock;
  logger: Logger;
  connection: Redis;
  prefix: string;
  pace: PaceOptions;
  /** Where sends not yet recorded are written down for the next bot (see {@link UnrecordedSends}); none: in memory only. */
  unrecordedSendsPath?: string;
}): Promise<Worker> {
  const { wechaty, db, clock, logger, pace } = deps;
  const pacer = new RecipientPacer(pace.perRecipientIntervalMs);
  /** Sent, but the database was gone before the delivery could be recorded: record, never resend. */
  const unrecorded = new UnrecordedSends(deps.unrecordedSendsPath, logger);
  /**
   * Rows this bot is sending or recording now. A send slower than a claim is trusted (a slow
   * WeChat) makes its row look abandoned, and the relay queues it again: not to be sent twice.
   */
  const sending = new Set<number>();

  async function deliver(job: Job<{ outboxId: number; recipient: Recipient }>, token?: string): Promise<void> {
    const { outboxId, recipient } = job.data;
    if (unrecorded.has(outboxId)) {
      await db.outbox.markDelivered(outboxId, clock());
      unrecorded.delete(outboxId);
      return;
    }
    /** Puts the job back for `ms` without spending an attempt (BullMQ always passes the token). */
    const retryIn = async (ms: number): Promise<never> => {
      if (token) await job.moveToDelayed(Date.now() + ms, token);
      throw new DelayedError();
    };
    // Logged out (or not yet logged in): wait for the login.
    if (!wechaty.isLoggedIn) await retryIn(loginWaitMs);
    const paceMs = pacer.wait(recipient, Date.now());
    if (paceMs > 0) await retryIn(paceMs);
    if (sending.has(outboxId)) return; // its own job records it
    const delivery = await db.outbox.claim(outboxId, clock());
    // One recipient's messages go out in the order they were written.
    if (delivery === 'behind') return retryIn(orderWaitMs);
    if (!delivery) return; // delivered, being sent by someone else, or failed for good
    pacer.take(recipient, Date.now());
    sending.add(outboxId);
    try {
      await sendAndRecord(job, delivery);
    } finally {
      sending.delete(outboxId);
    }
  }

  /** Sends a claimed row and records it: delivered, failed (to try again or for good), or written down to record later. */
  async function sendAndRecord(job: Job, delivery: Claim): Promise<void> {
    const { message, wechatId, relayedResident } = delivery;
    // A resident without WeChat: the cadre who passes it on reads whom it is for.
    const addressed = (text: string) => (relayedResident ? replies.relayed(relayedResident, text) : text);
    if (!wechatId) {
      await db.outbox.markFailed(message.id, noWechatId, false);
      logger.warn({ outboxId: message.id, cadreId: message.cadreId }, 'message not sent: recipient has no WeChat id');
      return;
    }
    try {
      if (message.kind === 'forward' && message.forwardMessageId) {
        if (!(await forwardFile(wechaty, wechatId, message.forwardMessageId))) {
          // A place has no file: its name and address say it. A photo or voice WeChat no longer
          // gives out is said to be missing, so the reader asks for it again instead of waiting.
          const place = message.text.startsWith(mediaLabels.location);
          if (!place) logger.warn({ outboxId: message.id, caseId: message.caseId }, 'media not forwarded: the puppet could not fetch the file');
          await wechaty.puppet.messageSendText(wechatId, addressed(place ? message.text : replies.mediaNotForwarded(message.text)));
        }
      } else {
        await wechaty.puppet.messageSendText(wechatId, addressed(message.text));
      }
    } catch (error) {
      // The row counts its own attempts (one per claim): after the last one it fails for good
      // and stops holding back later messages to the same recipient.
      const retry = message.attempts < (job.opts.attempts ?? 1);
      await db.outbox.markFailed(message.id, String(error), retry);
      throw error;
    }
    try {
      await db.outbox.markDelivered(message.id, clock());
    } catch (error) {
      unrecorded.add(message.id);
      throw error;
    }
  }

  // What the previous bot sent and could not record is recorded now, before its claims are
  // released (its rows are still `sending`); one that fails here is recorded when its job comes.
  for (const id of unrecorded.all) {
    try {
      await db.outbox.markDelivered(id, clock());
      unrecorded.delete(id);
    } catch (error) {
      logger.warn({ outboxId: id, err: error }, 'a message sent by the previous bot not recorded yet; its next job records it');
    }
  }
  const released = await db.outbox.releaseClaims();
  if (released > 0) logger.warn({ released }, 'messages left mid-send by the previous bot will be sent again');
  return startWorker(
    'outbound',
    { 'deliver-message': deliver },
    {
      connection: deps.connection,
      prefix: deps.prefix,
      logger,
      concurrency: 4,
      // One message per 1/n second, not n per fixed second (which lets 2n through in a burst).
      ...(pace.globalPerSecond > 0 ? { limiter: { max: 1, duration: Math.ceil(1000 / pace.globalPerSecond) } } : {}),
    },
  );
}

/** Sends on the file of a photo, voice or file message; false when the puppet has none to give. */
async function forwardFile(wechaty: Wechaty, to: string, sourceMessageId: string): Promise<boolean> {
  let file;
  try {
    file = await wechaty.puppet.messageFile(sourceMessageId);
  } catch {
    return false;
  }
  await wechaty.puppet.messageSendFile(to, file);
  return true;
}
