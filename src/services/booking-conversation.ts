/**
 * A cadre's words to the resident of a visit (预约) — quoting one of its notices, `预约 101 …`, or
 * `回复 101 …` where 101 is no case of his — and her answer back: what she writes within
 * `photoFollowsMinutes` of his words goes to him, not into a new case. Runs inside the inbound
 * message's transaction; the words are recorded on the message (its `booking_id`), and her row keeps
 * who wrote to her about which visit (`context`).
 */
import type { Config } from '../config/schema.js';
import type { Repositories } from '../db/database.js';
import type { Booking } from '../db/entities/booking.entity.js';
import type { Cadre } from '../db/entities/cadre.entity.js';
import type { InboundMessage } from '../db/entities/inbound-message.entity.js';
import type { Resident } from '../db/entities/resident.entity.js';
import { startsWithVerb } from '../domain/commands.js';
import { mayAct, recentSince } from './cadre-context.js';
import { nods } from './cadre-words.js';
import type { BookingNames } from './booking-notices.js';
import { fromResident, bookingReplies as say, slotLabel } from './booking-replies.js';
import type { Outbox } from './outbox.js';
import { heldForMorning } from './night-replies.js';
import { mediaKinds } from './replies.js';

/**
 * Whether what the resident writes now may answer a cadre's words about her visit: he wrote within
 * `photoFollowsMinutes`. Read from her row, which her message has loaded already: no query.
 */
export function answersCadre(resident: Resident, config: Config, now: Date): boolean {
  return resident.context !== null && Date.parse(resident.context.at) >= recentSince(config, now).getTime();
}

/** What became of a cadre's message, as the inbound message records it. */
export type WordsOutcome = 'booking-words' | 'cadre-message';

/** How a visit that takes no more words ended, as the cadre reads it. */
const endedAs: Record<Booking['status'], string> = {
  booked: '的时间早已过了',
  completed: '已经办完了',
  'no-show': '已记为群众未到',
  cancelled: '已经取消了',
};

export class BookingConversation {
  constructor(
    private readonly config: Config,
    private readonly names: BookingNames,
    /** The department whose matter words are, if one is clear. */
    private readonly departmentOf: (text: string) => string | null,
  ) {}

  /**
   * `回复 N …` with no case quoted: the visit's words when N is a visit the cadre may act on and no
   * case he may act on — with both, a case he holds or may act on wins, unless the visit is his own
   * and still takes words: then he is asked which (nothing goes). `回复 #N` names the case. Null: the
   * case's to take (also no visit N, one that is none of his with a case N, or a case N that was his).
   */
  async reply(
    tx: Repositories,
    cadre: Cadre,
    p: { number: number; text: string; quotedBooking: number | null; marksCase: boolean },
    message: InboundMessage,
    outbox: Outbox,
    now: Date,
  ): Promise<WordsOutcome | null> {
    if (p.marksCase) return null;
    const booking = await tx.bookings.findByNumber(p.number);
    if (!booking) return null;
    // Quoting the visit's own notice, the number is the visit's.
    if (p.quotedBooking !== p.number) {
      const kase = await tx.cases.lockByNumber(p.number);
      if (kase && mayAct(cadre, kase)) {
        if (booking.assigneeId !== cadre.id || !this.takesWords(booking, now)) return null;
        const caseResident = (await tx.residents.get(kase.residentId)).name;
        const bookingResident = (await tx.residents.get(booking.residentId)).name;
        outbox.toCadre(cadre.id, say.caseOrBooking({ number: p.number, caseResident, bookingResident, text: p.text }));
        return 'cadre-message';
      }
      // Neither is his: the case's refusal, as before. A case he held once (moved to another since,
      // maybe without his noticing) is what he most likely means: he hears where it went, and the
      // words reach nobody — not the resident of his visit with that number.
      if (kase && (!mayAct(cadre, booking) || (await tx.cases.wasAssignedTo(kase.id, cadre.id)))) return null;
    }
    return this.send(tx, cadre, p, message, outbox, now, booking);
  }

  /**
   * Words, no command, quoting a notice about visit `number` (`quotedText`): for its resident. A nod
   * ("好的") only when the notice carries her own words (【预约 101】群众…): to lianxin's notices it is
   * none. Null: not words for her.
   */
  async quoted(
    tx: Repositories,
    cadre: Cadre,
    p: { number: number; quotedText: string; text: string },
    message: InboundMessage,
    outbox: Outbox,
    now: Date,
  ): Promise<WordsOutcome | null> {
    if (!p.text || startsWithVerb(p.text) || (nods(p.text) && !fromResident(p.quotedText, p.number))) return null;
    return this.send(tx, cadre, p, message, outbox, now);
  }

  /**
   * `预约 N …`: the words go to the visit's resident, framed with the visit, when the cadre may act on
   * it and it is not long over (done, missed or cancelled more than `callbackTimeoutMinutes` ago, as a
   * resolved case stops taking words); a head's or the office's reach its cadre too. Her row remembers
   * who wrote (see {@link answer}).
   */
  async send(
    tx: Repositories,
    cadre: Cadre,
    p: { number: number; text: string },
    message: InboundMessage,
    outbox: Outbox,
    now: Date,
    found?: Booking,
  ): Promise<WordsOutcome> {
    // Read, not locked: her own messages lock her row, then her booking; this writes her row only.
    const booking = found ?? (await tx.bookings.findByNumber(p.number));
    if (!booking || !mayAct(cadre, booking) || !this.takesWords(booking, now)) {
      const refusal = !booking
        ? say.noSuchBookingForWords(p.number)
        : !mayAct(cadre, booking)
          ? say.wordsNotYours(p.number)
          : say.wordsTooLate({ number: p.number, state: endedAs[booking.status] });
      outbox.toCadre(cadre.id, refusal);
      return 'cadre-message';
    }
    const resident = await tx.residents.get(booking.residentId);
    const departmentId = cadre.departmentIds.includes(booking.departmentId) ? booking.departmentId : cadre.departmentIds[0];
    const department = this.config.departments.find((d) => d.id === departmentId)?.name ?? '';
    const service = this.names.serviceName(booking.serviceId);
    const when = slotLabel(booking.startsAt, booking.endsAt, this.config.township.timezone);
    outbox.toResident(resident.id, say.cadreWords({ number: booking.number, service, when, department, cadre: cadre.name, text: p.text }));
    const holder = booking.assigneeId && booking.assigneeId !== cadre.id ? await tx.cadres.get(booking.assigneeId) : null;
    if (holder) outbox.toCadre(holder.id, say.wordsByOther({ number: booking.number, by: cadre.name, resident: resident.name, text: p.text }));
    await tx.inbound.linkToBooking(message.id, booking.id);
    await tx.residents.setContext(resident.id, { bookingId: booking.id, cadreId: cadre.id, at: now.toISOString() });
    // What he types next is not for the resident of a case he acted on before.
    await tx.cadres.setContext(cadre.id, null);
    outbox.toCadre(cadre.id, say.wordsSent({ number: booking.number, resident: resident.name, holder: holder?.name }));
    return 'booking-words';
  }

  /**
   * What the resident writes right after a cadre's words about her visit (see {@link answersCadre}),
   * or, later, quoting them (`quoted`, see `quotedVisitWords`) while the visit still takes words: her
   * words, or a photo or voice, go to that cadre, and she is told so (at night, when he sees them).
   * False — the message goes where it would — for another department's matter in words ("我家低保的事"),
   * a sticker, a cadre gone from config, or a quote of words about a visit not hers.
   */
  async answer(
    tx: Repositories,
    resident: Resident,
    message: InboundMessage,
    text: string,
    outbox: Outbox,
    now: Date,
    quoted: { cadre: string; bookingNumber: number } | null = null,
  ): Promise<boolean> {
    const what = message.kind === 'text' ? undefined : mediaKinds[message.kind];
    if (message.kind === 'other' || (message.kind === 'text' && !text)) return false;
    const department = message.kind === 'text' ? this.departmentOf(text) : null;
    const booking = quoted ? await tx.bookings.lockByNumber(quoted.bookingNumber) : await tx.bookings.lockById(resident.context!.bookingId);
    if (quoted && (booking?.residentId !== resident.id || !this.takesWords(booking, now))) return false;
    const cadre = !booking ? null : quoted ? await this.named(tx, quoted.cadre, booking) : await tx.cadres.get(resident.context!.cadreId);
    if (!booking || !cadre?.active || (department && department !== booking.departmentId)) return false;
    await tx.inbound.linkToBooking(message.id, booking.id);
    const visit = {
      number: booking.number, when: slotLabel(booking.startsAt, booking.endsAt, this.config.township.timezone),
      service: this.names.serviceName(booking.serviceId), village: this.names.villageName(resident), resident: resident.name,
    };
    outbox.toCadre(cadre.id, say.residentAnswered({ ...visit, text, ...(what ? { what } : {}) }));
    if (what) outbox.forwardToCadre(cadre.id, message.sourceMessageId, message.text);
    // At night he may read it only in the morning, as a case's holder: she is told when.
    const passedOn = (night: string | null) => say.answerPassedOn({ number: booking.number, cadre: cadre.name, night });
    outbox.toResidentAbout(resident.id, passedOn(null), null, cadre.id, (heldUntil) =>
      passedOn(heldUntil ? heldForMorning(cadre.name, heldUntil, now, this.config.township.timezone) : null),
    );
    return true;
  }

  /** The cadre a quote of words about `booking` names: its own cadre by that name, else the one cadre so called. */
  private async named(tx: Repositories, name: string, booking: Booking): Promise<Cadre | null> {
    const own = booking.assigneeId ? await tx.cadres.get(booking.assigneeId) : null;
    return own?.name === name ? own : tx.cadres.findByIdOrName(name);
  }

  /** Whether the visit still takes words: over (its time past, or done, missed, cancelled) less than `callbackTimeoutMinutes` ago. */
  private takesWords(booking: Booking, now: Date): boolean {
    const over = booking.status === 'booked' ? booking.endsAt : (booking.completedAt ?? booking.cancelledAt ?? booking.updatedAt);
    return now.getTime() - over.getTime() < this.config.township.caseRules.callbackTimeoutMinutes * 60_000;
  }
}
