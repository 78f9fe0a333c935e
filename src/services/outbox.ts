import type { TownshipConfig } from '../config/schema.js';
import type { Database, Repositories } from '../db/database.js';
import type { CaseList } from '../db/entities/outbound-message.entity.js';
import type { Delivery, NewOutboundMessage, ShortenedList } from '../db/repositories/outbox.repository.js';
import { quietEndedWithin, quietUntil } from '../domain/quiet-hours.js';
import { withoutCases } from './sla-notices.js';

/**
 * For this long after the quiet hours end, a unit of work first lets go what waited for the chats
 * it writes to (the relay may not have run yet).
 */
const catchUpMinutes = 10;

/** A cadre who wrote to lianxin this recently is awake: nothing of theirs waits for the morning. */
export const awakeMinutes = 10;

/** Since when a cadre who wrote counts as awake at `now`. */
export function awakeSince(now: Date): Date {
  return new Date(now.getTime() - awakeMinutes * 60_000);
}

/** Held lists released with cases their cadre is no longer to hear of: written again without them, before anyone claims them. */
async function shorten(tx: Repositories, lists: readonly ShortenedList[]): Promise<void> {
  for (const { id, list, gone } of lists) await tx.outbox.rewriteList(id, withoutCases(list, gone));
}

/**
 * Lets go what waited for the end of the quiet hours, or for a cadre who is up now (see
 * OutboxRepository.releaseDue), for the relay to enqueue; returns how many rows.
 */
export function releaseDue(db: Database, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const { released, shortened } = await tx.outbox.releaseDue(now, awakeSince(now));
    await shorten(tx, shortened);
    return released;
  });
}

/**
 * What a resident reads about her words passed on to a cadre, when the unit of work is in the quiet
 * hours: `heldUntil`, when what goes to that cadre waits for the morning; null when it goes now
 * (an urgent case, the cadre awake).
 */
export type AtNight = (heldUntil: Date | null) => string;

/**
 * Collects the messages one unit of work sends. `flush()` writes them in its transaction, in
 * the order they were added, and returns what to enqueue once the transaction has committed.
 *
 * In the township's quiet hours, messages to a cadre wait for the morning (held rows), and so do
 * those to a resident without WeChat, which reach the cadre who relays for them — unless that
 * cadre is writing to lianxin now or did a few minutes ago, or one of the messages for their chat
 * is about an urgent case: then they get everything, what waited included, in order. In the first
 * minutes after the quiet hours, what waited also goes before anything new in the same chat.
 */
export class Outbox {
  private readonly pending: NewOutboundMessage[] = [];
  /** Existing rows released for another attempt. */
  private readonly released: Delivery[] = [];
  /** Messages to residents whose words in the quiet hours depend on whether a cadre's messages wait (see {@link toResidentAbout}). */
  private readonly atNight = new Map<NewOutboundMessage, { cadreId: string; words: AtNight }>();

  constructor(
    private readonly tx: Repositories,
    private readonly now: Date,
    private readonly inboundMessageId: number | null,
    /** Quiet hours and time zone; none: everything goes now. */
    private readonly township: Pick<TownshipConfig, 'quietHours' | 'timezone'> | null = null,
  ) {}

  toResident(residentId: number, text: string, caseId: number | null = null): void {
    this.add({ to: { residentId }, text, caseId });
  }

  /**
   * A message to a resident about what this unit of work passes on to `cadreId`: `text`, but in the
   * quiet hours `atNight`'s, once {@link flush} has decided whether that cadre's messages wait
   * (`text` still when the cadre has no WeChat linked: nobody is to say when he sees it).
   */
  toResidentAbout(residentId: number, text: string, caseId: number | null, cadreId: string, atNight: AtNight): void {
    this.atNight.set(this.add({ to: { residentId }, text, caseId }), { cadreId, words: atNight });
  }

  /** `list`: the text lists several cases, kept as it was written from (see OutboundMessage.list). */
  toCadre(cadreId: string, text: string, caseId: number | null = null, list: CaseList | null = null): void {
    this.add({ to: { cadreId }, text, caseId, list });
  }

  /** Passes a photo, voice or location message on as it is. */
  forwardToCadre(cadreId: string, sourceMessageId: string, description: string, caseId: number | null = null): void {
    this.add({ to: { cadreId }, text: description, caseId, kind: 'forward', forwardMessageId: sourceMessageId });
  }

  forwardToResident(residentId: number, sourceMessageId: string, description: string, caseId: number): void {
    this.add({ to: { residentId }, text: description, caseId, kind: 'forward', forwardMessageId: sourceMessageId });
  }

  /** Where the messages added from now on begin (see {@link joinSince}). */
  mark(): number {
    return this.pending.length;
  }

  /**
   * The confirmations to `cadreId` added since `mark`, one a line, as one message in the place of
   * the first: a command on several cases is confirmed once, a line they share (a hint) once.
   */
  joinSince(mark: number, cadreId: string): void {
    const mine = this.confirmationsSince(mark, cadreId);
    if (mine.length < 2) return;
    const [first, ...rest] = mine;
    first!.text = [...new Set(mine.flatMap((m) => m.text.split('\n')))].join('\n');
    first!.caseId = null;
    for (const m of rest) this.pending.splice(this.pending.indexOf(m), 1);
  }

  /** Drops the confirmations to `cadreId` added since `mark`: one written after them stands for them. */
  dropSince(mark: number, cadreId: string): void {
    for (const m of this.confirmationsSince(mark, cadreId)) this.pending.splice(this.pending.indexOf(m), 1);
  }

  /**
   * Plain messages to `cadreId` since `mark`, but not a notice of one case (【新案件 #1001】, 【#1001 群众补充】…):
   * a head who gives cases to himself gets each as its own message, to quote.
   */
  private confirmationsSince(mark: number, cadreId: string): NewOutboundMessage[] {
    return this.pending.slice(mark).filter((m) => 'cadreId' in m.to && m.to.cadreId === cadreId && !m.kind && !m.list && !m.text.startsWith('【'));
  }

  /** Rows written earlier that are to be sent (again) with this unit of work. */
  release(deliveries: readonly Delivery[]): void {
    this.released.push(...deliveries);
  }

  /**
   * Writes the messages added so far; returns them and the released rows, for the outbound queue.
   * `awakeCadreId`: the cadre whose message this unit of work answers; nothing of theirs waits.
   */
  async flush(awakeCadreId: string | null = null): Promise<Delivery[]> {
    const messages = this.pending.splice(0);
    const { township } = this;
    const atNight = new Map(this.atNight);
    this.atNight.clear();
    const holdUntil = township ? quietUntil(this.now, township.quietHours, township.timezone) : null;
    // The morning's first minutes, maybe before the relay has let the night's messages go.
    const catchUp = !holdUntil && township !== null && quietEndedWithin(this.now, township.quietHours, township.timezone, catchUpMinutes);
    let woken: Delivery[] = [];
    if (holdUntil || catchUp) {
      const chat = await this.chatOf(messages);
      const chats = [...new Set(messages.flatMap((m) => (chat(m) ? [chat(m)!] : [])))];
      const wake = new Set(catchUp ? chats : []);
      if (holdUntil) {
        const urgent = new Set(await this.tx.cases.urgentAmong(messages.flatMap((m) => (m.caseId ? [m.caseId] : []))));
        const about = [...atNight.values()].map((n) => n.cadreId);
        const { bound, awake } = await this.tx.cadres.reachable([...new Set([...chats, ...about])], awakeSince(this.now));
        // Writing to lianxin now, or a moment ago (in the middle of a conversation at night): awake.
        for (const id of [...(awakeCadreId ? [awakeCadreId] : []), ...awake]) wake.add(id);
        for (const m of messages) if (m.caseId && urgent.has(m.caseId) && chat(m)) wake.add(chat(m)!);
        for (const m of messages) if (chat(m) && !wake.has(chat(m)!)) m.notBefore = holdUntil;
        // A cadre with no WeChat linked sees nothing, tonight or in the morning: she reads the day's words.
        for (const [m, { cadreId, words }] of atNight) if (bound.includes(cadreId)) m.text = words(wake.has(cadreId) ? null : holdUntil);
      }
      // Written before this unit's rows: their ids come first, and so does their turn.
      const held = await this.tx.outbox.releaseHeld([...wake]);
      await shorten(this.tx, held.shortened);
      woken = held.deliveries;
    }
    const written = await this.tx.outbox.addAll(messages, this.now);
    return [...this.released.splice(0), ...woken, ...written];
  }

  /** Whose chat a message lands in: the cadre's, or for a resident without WeChat, their relaying cadre's; null for others. */
  private async chatOf(messages: readonly NewOutboundMessage[]): Promise<(m: NewOutboundMessage) => string | null> {
    const relays = await this.tx.residents.relayCadres(messages.flatMap((m) => ('residentId' in m.to ? [m.to.residentId] : [])));
    return (m) => ('cadreId' in m.to ? m.to.cadreId : (relays.get(m.to.residentId) ?? null));
  }

  private add(message: NewOutboundMessage): NewOutboundMessage {
    const added = { ...message, inboundMessageId: this.inboundMessageId };
    this.pending.push(added);
    return added;
  }
}
