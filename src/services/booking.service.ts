/**
 * Service bookings (预约) in chat: the resident's numbered dialog (service → day → slot →
 * address → confirm), 我的预约 / 取消预约 / 改约; the visit given to the cadre on duty for that
 * village, department and slot time; 今日预约 (明日预约) / 完成 / 未到 / 改约 for cadres; reminders and the
 * morning digest from the sweep. Capacity is held by the database (booking_slots). Her words are
 * read in booking-words.ts, the dialog's questions asked in booking-questions.ts, what is open to
 * book found in booking-slots.ts, and the notices sent by booking-notices.ts.
 */
import { DateTime } from 'luxon';
import type { Config, DepartmentConfig, ServiceConfig } from '../config/schema.js';
import type { Database, Repositories } from '../db/database.js';
import type { Booking } from '../db/entities/booking.entity.js';
import type { Cadre } from '../db/entities/cadre.entity.js';
import type { Resident } from '../db/entities/resident.entity.js';
import type { Delivery } from '../db/repositories/outbox.repository.js';
import type { WorkCalendar } from '../domain/calendar.js';
import type { BookingDialog } from '../domain/dialog.js';
import { localDate, type OpenSlot } from '../domain/slots.js';
import { bareWords, clauseBreaks, isNewProblem, matterText, parseMenuNumber } from '../domain/text.js';
import { pickSlot, readWhen, saysWhen, startsAt, whenIn } from '../domain/when-words.js';
import { BookingConversation } from './booking-conversation.js';
import { BookingNotices, type BookingNames } from './booking-notices.js';
import { bookingReplies as say, slotLabel } from './booking-replies.js';
import { BookingQuestions, withoutWhen } from './booking-questions.js';
import { BookingSlots } from './booking-slots.js';
import { mayAct } from './cadre-context.js';
import { asksAfterBooking, asksAfterVisit, backWord, confirmWords, leaveWords, parseBookingWord, type BookingWord } from './booking-words.js';
import type { Clock } from './clock.js';
import { askPendingRating } from './callback.service.js';
import { Outbox } from './outbox.js';
import { visitAsked } from './booking-visit-asked.js';

const clauseBreak = new RegExp(`[${clauseBreaks}]`);

/**
 * Words that tell a matter rather than name a place: a clause ending in 了 ("…不吃东西了", "灯坏了吧") or
 * a question ("…吗", "怎么办", "？"). An address has 了 inside a clause ("到了打电话", "过了桥第三家") and
 * may end in 呢 ("我天天在家呢"); read as a matter, it would end the booking and open a case with a place's name.
 */
function toldAsMatter(text: string): boolean {
  return /[?？]/.test(text) || text.split(clauseBreak).some((clause) => /了[啊呀吧哦啦]*$|吗|怎么|咋|为啥|为什么/.test(bareWords(clause)));
}

/** A booking as the cadre going on leave reads it. */
export interface BookingLine {
  number: number;
  when: string;
  service: string;
  resident: string;
}

/** What {@link BookingService.handOver} did: visits moved (with the new cadre's name) and those left with him. */
export interface HandOver {
  moved: (BookingLine & { to: string })[];
  kept: BookingLine[];
  /** Tells each new cadre and resident; called after the leave's own confirmation. */
  tell(outbox: Outbox): void;
}

export class BookingService {
  private readonly slots: BookingSlots;
  private readonly questions: BookingQuestions;
  private readonly services: Map<string, { service: ServiceConfig; department: DepartmentConfig }>;
  private readonly tz: string;
  private readonly names: BookingNames;
  /** Reminders, the morning list and 今日预约. */
  readonly notices: BookingNotices;
  /** A cadre's words to a visit's resident, and her answer back. */
  readonly conversation: BookingConversation;

  constructor(
    private readonly config: Config,
    calendar: WorkCalendar,
    /**
     * The department whose matter the text is ("路灯坏了": 城建办), if one is clear: typed into a
     * menu, it ends the dialog; said with 预约 and a time, it may tell the service.
     */
    private readonly departmentOf: (text: string) => string | null = () => null,
  ) {
    this.slots = new BookingSlots(config, calendar);
    this.questions = new BookingQuestions(config, this.slots, departmentOf);
    this.services = this.slots.services;
    this.tz = config.township.timezone;
    this.names = { serviceName: (id) => this.slots.serviceName(id), villageName: (resident) => this.slots.villageName(resident) };
    this.notices = new BookingNotices(config, this.names);
    this.conversation = new BookingConversation(config, this.names, departmentOf);
  }

  /**
   * Handles a resident's booking word or the next answer of a booking dialog. Returns false
   * when the message has nothing to do with bookings (or the dialog lapsed): the caller goes on.
   */
  async residentMessage(tx: Repositories, resident: Resident, said: string, outbox: Outbox, now: Date): Promise<boolean> {
    const dialog = resident.dialog?.kind === 'booking' ? resident.dialog : null;
    if (dialog && Date.parse(dialog.expiresAt) <= now.getTime()) resident.dialog = null;
    const active = dialog && resident.dialog !== null ? dialog : null;
    // "新问题 取消预约" (新问题 taken from the menu's example, or typed by habit): the words after it are
    // about bookings, no matter for a department; in a booking dialog "新问题 算了" leaves it, as "算了" does.
    const after = isNewProblem(said) ? matterText(said) : '';
    const text = after && (parseBookingWord(after) || (active && leaveWords.test(bareWords(after)))) ? after : said;
    // "新问题 …" with her words, at any question of the dialog: she has moved on to another matter,
    // which is taken up (as one typed into a menu is), not read as an answer or an address.
    if (active && isNewProblem(text) && matterText(text)) {
      resident.dialog = null;
      outbox.toResident(resident.id, say.left());
      return false;
    }
    const word = parseBookingWord(text);
    const which = word?.kind === 'cancel-which' || word?.kind === 'reschedule-which';
    const hasBooking = async () => (await tx.bookings.bookedForResident(resident.id, now)).length > 0;
    const hasCase = async () => (await tx.cases.findOpenForResident(resident.id)) !== null;
    // "取消预约", "不约了", "不去了" while changing a booking's time: the resident has decided against
    // the visit, not against the change: as outside the dialog, the booking is cancelled (which one is asked).
    if (active?.rescheduleOf !== undefined && word?.kind === 'cancel-which') {
      resident.dialog = null;
      await this.word(tx, resident, word, outbox, now);
      return true;
    }
    // "取消预约" inside a new booking leaves it; "改到后天" changes the day being booked.
    if (active && (!word || which || word.kind === 'move')) return this.answer(tx, resident, active, text.trim(), outbox, now);
    // "取消1001" without 预约 is a booking word only for the number of the resident's own booking:
    // residents see their cases as "#1001" too.
    if (word?.kind === 'cancel' && !bareWords(text).includes('预约')) {
      const booking = await tx.bookings.lockByNumber(word.number);
      if (booking?.residentId !== resident.id) return false;
    }
    // "约上了吗" from someone with no booking and a case open is about the visit its cadre spoke of
    // ("我帮您约县里的专家"): the holder's to answer. "我的预约" says what it asks.
    if (word?.kind === 'mine' && !active && asksAfterBooking(bareWords(text)) && !(await hasBooking()) && (await hasCase())) return false;
    // "几点来", "怎么还没来" from someone who holds a booking and has no case open: a visit due now, its
    // cadre hears she waits; one to come, when it is, as 我的预约 says it. With a case open they may ask
    // after the visit its cadre spoke of: his to answer.
    if (!word && !active && asksAfterVisit(text) && !(await hasCase())) {
      const asked = await visitAsked(tx, { resident, words: text, outbox, now, timezone: this.tz, names: this.names });
      if (asked === 'list') await this.word(tx, resident, { kind: 'mine' }, outbox, now);
      if (asked) return true;
    }
    // "能不能换个时间", "改到后天下午": her visit's, when she holds one — unless a case is open and the
    // words do not say 预约: then they may answer its cadre, who said when he would come.
    if (word?.kind === 'move' && (!(await hasBooking()) || (!bareWords(text).includes('预约') && (await hasCase())))) return false;
    // Another question in front of her (the department menu of a matter she told) keeps its place and
    // the words that only read as about a visit in longer words ("明天的不去了", "想预约明天上午请农技站的人来"):
    // they are for it, as before. Booking words proper ("取消预约", "改约") are answered, and the menu waits
    // behind the booking's questions (the intake holds it: BookingDialog.heldMenu).
    const otherQuestion = resident.dialog !== null && resident.dialog.kind !== 'booking' && resident.dialog.kind !== 'callback';
    if (otherQuestion && (word?.kind === 'cancel-named' || (word?.kind === 'start' && word.said))) return false;
    // "明天的不去了": the visit booked for that day (at the time of day said: "明天上午的"), if she holds
    // one; "那个预约不要了": her one visit (of several, with a case open, it may be the one its cadre
    // spoke of). Otherwise words as any.
    if (word?.kind === 'cancel-named') {
      const named = await this.visitsNamed(tx, resident, word, now);
      if (named.length === 0 || (word.day === null && named.length > 1 && (await hasCase()))) return false;
      await this.word(tx, resident, { kind: 'cancel-which', only: named }, outbox, now);
      return true;
    }
    if (this.questions.bookingElsewhere(word)) {
      // Typed into a booking menu, that department's matter ends the dialog, as any matter does.
      if (active) {
        resident.dialog = null;
        outbox.toResident(resident.id, say.left());
      }
      return false;
    }
    if (word && !which) {
      await this.word(tx, resident, word, outbox, now);
      return true;
    }
    if (!word && !leaveWords.test(bareWords(text))) return false;
    // "取消", "算了" alone at another question (the department menu) leave that question, not her visit.
    if (!word && otherQuestion) return false;
    // "取消预约", "不约了" without a number are about bookings, unless the resident has none and a
    // case to say them to; "取消", "算了" alone only for someone with a booking and no case open.
    if (word ? !(await hasBooking()) && (await hasCase()) : !(await hasBooking()) || (await hasCase())) return false;
    await this.word(tx, resident, word ?? { kind: 'cancel-which' }, outbox, now);
    return true;
  }

  private async word(tx: Repositories, resident: Resident, word: Exclude<BookingWord, { kind: 'cancel-named' }>, outbox: Outbox, now: Date): Promise<void> {
    // "取消预约 101" written out in full answers the question which one, too.
    if (resident.dialog?.kind === 'booking' && resident.dialog.step === 'pick') resident.dialog = null;
    switch (word.kind) {
      case 'start':
        if (resident.dialog && resident.dialog.kind !== 'booking' && resident.dialog.kind !== 'callback') {
          return outbox.toResident(resident.id, say.answerFirst());
        }
        return word.said ? this.questions.startSaid(tx, resident, word.said, outbox, now) : this.questions.askService(resident, outbox, now);
      case 'mine': {
        const lines = await this.slots.mineLines(tx, resident, now);
        // Asked in the middle of booking (the confirmation forgotten): what is not booked yet is said, and asked again.
        const dialog = resident.dialog?.kind === 'booking' && resident.dialog.step !== 'pick' ? resident.dialog : null;
        if (!dialog) return outbox.toResident(resident.id, say.mine(lines));
        resident.dialog = { ...dialog, expiresAt: this.questions.expiry(now) };
        const pending = `${say.notBookedYet(dialog.step === 'confirm')}\n${await this.questions.question(tx, resident, dialog, now)}`;
        return outbox.toResident(resident.id, lines.length > 0 ? `${say.mine(lines)}\n\n${pending}` : pending);
      }
      case 'cancel-which':
      case 'reschedule-which':
      case 'move': {
        const lines = await this.slots.mineLines(tx, resident, now, word.kind === 'cancel-which' ? word.only : undefined);
        const numbers = lines.map((line) => Number(/^(\d+)/.exec(line)![1]));
        if (numbers.length === 0) return outbox.toResident(resident.id, say.mine(lines));
        const pickFor = word.kind === 'cancel-which' ? 'cancel' : 'reschedule';
        const when = word.kind === 'move' && word.when ? { when: word.when } : {};
        // One booking: nothing to choose. A change of time keeps it until the new time is booked, so it
        // starts at once; cancelling is only confirmed.
        if (numbers.length === 1 && pickFor === 'reschedule') return this.word(tx, resident, { kind: 'reschedule', number: numbers[0]!, ...when }, outbox, now);
        // The answer may be just the number ("101", "101号").
        resident.dialog = { kind: 'booking', step: 'pick', options: numbers, pickFor, ...when, expiresAt: this.questions.expiry(now) };
        return outbox.toResident(resident.id, say.which(lines, pickFor, String(numbers[0])));
      }
      case 'cancel': {
        const booking = await tx.bookings.lockByNumber(word.number);
        if (booking?.residentId === resident.id && booking.status === 'cancelled') return outbox.toResident(resident.id, say.cancelled(booking.number));
        if (booking && this.anotherAccounts(booking, resident, now)) return outbox.toResident(resident.id, say.anotherAccountsBooking(booking.number, true));
        if (!booking || booking.residentId !== resident.id || booking.status !== 'booked') {
          return outbox.toResident(resident.id, say.noSuchBooking(word.number));
        }
        if (booking.endsAt <= now) return outbox.toResident(resident.id, say.bookingPast(booking.number));
        const cutoff = this.config.township.bookings.cancelCutoffMinutes;
        if (now.getTime() > booking.startsAt.getTime() - cutoff * 60_000) {
          // Too late to free the place, not too late to spare the cadre the trip: they are told and decide.
          const cadre = booking.assigneeId ? await tx.cadres.get(booking.assigneeId) : null;
          if (!cadre) return outbox.toResident(resident.id, say.tooLateToCancel(cutoff));
          const when = slotLabel(booking.startsAt, booking.endsAt, this.tz);
          outbox.toCadre(cadre.id, say.cadreLateCancel({ number: booking.number, when, service: this.slots.serviceName(booking.serviceId), resident: resident.name }));
          return outbox.toResident(resident.id, say.lateCancelPassedOn({ number: booking.number, cadre: cadre.name }));
        }
        await this.cancel(tx, booking, resident, outbox, now);
        // Nothing is left to move.
        if (resident.dialog?.kind === 'booking' && resident.dialog.rescheduleOf === booking.id) resident.dialog = null;
        return outbox.toResident(resident.id, say.cancelled(booking.number));
      }
      case 'reschedule': {
        const booking = await tx.bookings.lockByNumber(word.number);
        if (booking && this.anotherAccounts(booking, resident, now)) return outbox.toResident(resident.id, say.anotherAccountsBooking(booking.number, false));
        if (!booking || booking.residentId !== resident.id || booking.status !== 'booked') {
          return outbox.toResident(resident.id, say.noSuchBooking(word.number));
        }
        // Moving a visit frees its slot: the same cut-off as cancelling.
        const cutoff = this.config.township.bookings.cancelCutoffMinutes;
        if (now.getTime() > booking.startsAt.getTime() - cutoff * 60_000) return outbox.toResident(resident.id, say.tooLateToCancel(cutoff));
        const base: BookingDialog = { kind: 'booking', step: 'service', options: [], expiresAt: '', rescheduleOf: booking.id, address: booking.address };
        const lead = say.rescheduleStart(booking.number);
        const said = word.when ? readWhen(word.when, (await this.slots.openDays(tx, booking.serviceId, now)).map((d) => d.date), localDate(now, this.tz)) : null;
        if (!said) return this.questions.askDay(tx, resident, base, booking.serviceId, outbox, now, lead);
        // "改到下午": the visit's own day, another time.
        const day = said.day ?? localDate(booking.startsAt, this.tz);
        return this.questions.toDay(tx, resident, { ...base, serviceId: booking.serviceId }, day, said.time, outbox, now, lead);
      }
    }
  }

  /**
   * A visit still to come that another resident booked: a relative writing from her own WeChat about
   * the visit booked from her mother's ("取消预约 101"). Not "no such booking": it is there, and the
   * WeChat that booked it can change it.
   */
  private anotherAccounts(booking: Booking, resident: Resident, now: Date): boolean {
    return booking.residentId !== resident.id && booking.status === 'booked' && booking.endsAt > now;
  }

  /** The next answer of the dialog; false when it was a matter for a department instead (the dialog ends). */
  private async answer(tx: Repositories, resident: Resident, dialog: BookingDialog, text: string, outbox: Outbox, now: Date): Promise<boolean> {
    const compact = bareWords(text);
    // "1号" at a list of services or times is its first line, as "第1个" is (at the day list, a date).
    const itemNo = dialog.step === 'service' || dialog.step === 'slot' ? /^(\d{1,2})号$/.exec(compact) : null;
    const number = compact === backWord ? 0 : itemNo && Number(itemNo[1]) <= dialog.options.length ? Number(itemNo[1]) : parseMenuNumber(text);
    // "农技站", "田间技术指导" at the service menu: the service as the menu writes it, no matter.
    const named = dialog.step === 'service' && number === null ? this.questions.serviceNamedIn(text) : null;
    // "路灯坏了" typed into a menu: the resident has moved on; the matter is taken up, not dropped. At the
    // address question only another department's matter, said as one ("猪好几天不吃东西了" when booking the
    // agronomist): the service's own ("稻子倒伏了") is a note for the visit, and "移民新村5栋" an address.
    const department = number === null && named === null && !leaveWords.test(compact) ? this.departmentOf(text) : null;
    const matter =
      department !== null &&
      (dialog.step !== 'address' || (department !== this.services.get(dialog.serviceId!)?.department.id && toldAsMatter(text)));
    if (matter) {
      resident.dialog = null;
      outbox.toResident(resident.id, say.left());
      return false;
    }
    await this.step(tx, resident, dialog, text, compact, number, named, outbox, now);
    return true;
  }

  private async step(
    tx: Repositories,
    resident: Resident,
    dialog: BookingDialog,
    text: string,
    compact: string,
    number: number | null,
    /** At the service menu: the service she named instead of its number. */
    named: string | null,
    outbox: Outbox,
    now: Date,
  ): Promise<void> {
    // "不约了", "改约" while asked which booking: which one is still the question.
    const again = dialog.step === 'pick' ? parseBookingWord(text) : null;
    if (again?.kind === 'cancel-which' || again?.kind === 'reschedule-which') {
      return this.word(tx, resident, again, outbox, now);
    }
    if (leaveWords.test(compact)) return this.questions.leave(tx, resident, dialog, outbox);
    if (number === 0) return this.questions.back(tx, resident, dialog, outbox, now);
    if (number === null && (await this.questions.changedWhen(tx, resident, dialog, text, outbox, now))) return;

    switch (dialog.step) {
      case 'service': {
        const when = number === null ? whenIn(text) : null;
        // "农技站" (with a day: "农技站，明天上午"), or a day or time before the service ("明天"): kept for after it.
        if (named) return this.questions.atWhenSaid(tx, resident, when ? { ...dialog, when } : dialog, named, outbox, now, true);
        if (when && saysWhen(when)) return this.questions.startSaid(tx, resident, { when, words: text }, outbox, now);
        const serviceId = number !== null ? dialog.options[number - 1] : undefined;
        if (typeof serviceId !== 'string') return this.questions.reask(resident, dialog, this.questions.serviceMenu(), outbox, now, text ? undefined : say.typeTheNumber());
        return this.questions.atWhenSaid(tx, resident, dialog, serviceId, outbox, now);
      }
      case 'day': {
        if (number !== null) {
          const day = dialog.options[number - 1];
          if (typeof day !== 'string') return this.questions.reask(resident, dialog, await this.questions.dayMenu(tx, dialog.serviceId!, now), outbox, now);
          // "预约上午" said first: the day's morning, without the slot menu.
          if (dialog.when) return this.questions.toDay(tx, resident, withoutWhen(dialog), day, dialog.when, outbox, now);
          return this.questions.askSlot(tx, resident, { ...dialog, day }, outbox, now);
        }
        const when = readWhen(text, dialog.options as string[], localDate(now, this.tz));
        if (!when?.day) return this.questions.reask(resident, dialog, await this.questions.dayMenu(tx, dialog.serviceId!, now), outbox, now, text ? undefined : say.typeTheNumber());
        return this.questions.toDay(tx, resident, withoutWhen(dialog), when.day, when.time || (dialog.when ?? ''), outbox, now);
      }
      case 'slot': {
        if (number !== null) {
          const slotStart = dialog.options[number - 1];
          if (typeof slotStart !== 'number') return this.questions.reask(resident, dialog, await this.questions.slotMenu(tx, dialog, now), outbox, now);
          return this.questions.toAddress(resident, dialog, slotStart, outbox, now);
        }
        const slotStart = pickSlot(text, dialog.options as number[], this.tz);
        if (slotStart !== null) return this.questions.toAddress(resident, dialog, slotStart, outbox, now, this.questions.slotChosen(dialog, slotStart));
        // A time the day has no slot for is told so; anything else gets the numbers asked for.
        const lead = !text ? say.typeTheNumber() : readWhen(text, [], localDate(now, this.tz))?.time ? say.timeUnavailable() : say.notUnderstood();
        return this.questions.reask(resident, dialog, await this.questions.slotMenu(tx, dialog, now), outbox, now, lead);
      }
      case 'address': {
        // A voice or a photo (no text) carries no address we can write down.
        if (text === '') return this.questions.reask(resident, dialog, this.questions.addressQuestion(dialog, resident), outbox, now, say.typeTheAddress());
        const address = number === 1 ? this.questions.defaultAddress(dialog, resident) : text;
        const next: BookingDialog = { ...dialog, step: 'confirm', address, options: [], expiresAt: this.questions.expiry(now) };
        resident.dialog = next;
        return outbox.toResident(resident.id, this.questions.confirmText(next));
      }
      case 'confirm': {
        // There is no list here to pick from: only 1 is asked for.
        if (number !== 1 && !confirmWords.test(compact)) {
          return this.questions.reask(resident, dialog, this.questions.confirmText(dialog), outbox, now, say.confirmFirst(number === null));
        }
        return this.book(tx, resident, dialog, outbox, now);
      }
      case 'pick': {
        // "101", "101号", or the line's place in the list ("1").
        const typed = /^(\d{3,9})号?$/.exec(compact)?.[1];
        // "好的" to cancelling the only booking.
        const only = dialog.options.length === 1 && confirmWords.test(compact) ? dialog.options[0] : undefined;
        const picked = typed ? Number(typed) : number !== null ? dialog.options[number - 1] : only;
        if (typeof picked !== 'number' || !dialog.options.includes(picked)) {
          const lines = await this.slots.mineLines(tx, resident, now, dialog.options);
          return this.questions.reask(resident, dialog, say.which(lines, dialog.pickFor!, String(dialog.options[0])), outbox, now);
        }
        resident.dialog = null;
        return this.word(tx, resident, { kind: dialog.pickFor!, number: picked, ...(dialog.when ? { when: dialog.when } : {}) }, outbox, now);
      }
    }
  }

  /** Takes the place (or learns it is gone), records the booking and tells both sides. */
  private async book(tx: Repositories, resident: Resident, dialog: BookingDialog, outbox: Outbox, now: Date): Promise<void> {
    const { service, department } = this.services.get(dialog.serviceId!)!;
    const startsAt = new Date(dialog.slotStart!);
    const endsAt = new Date(startsAt.getTime() + service.durationMinutes * 60_000);
    // Booked already and forgotten: one place is enough.
    const same = (await tx.bookings.bookedForResident(resident.id, now)).find(
      (b) => b.serviceId === service.id && b.startsAt.getTime() === startsAt.getTime() && b.id !== dialog.rescheduleOf,
    );
    if (same) {
      resident.dialog = null;
      return outbox.toResident(resident.id, say.alreadyBooked(same.number));
    }
    const stillOffered = startsAt.getTime() >= now.getTime() + service.minNoticeMinutes * 60_000;
    if (!stillOffered || !(await tx.bookings.takePlace(service.id, startsAt, service.capacity))) {
      // Gone while the resident was choosing: offer what is left that day, or other days.
      return this.questions.askSlot(tx, resident, { ...dialog, step: 'slot' }, outbox, now, say.slotTaken());
    }
    const village = resident.villageId!;
    const assignment = await this.slots.assigneeFor(tx, village, department.id, startsAt);
    const booking = await tx.bookings.create({
      residentId: resident.id,
      villageId: village,
      departmentId: department.id,
      serviceId: service.id,
      startsAt,
      endsAt,
      address: dialog.address ?? this.slots.villageName(resident),
      assigneeId: assignment.cadreId,
      rescheduledFrom: dialog.rescheduleOf ?? null,
      createdAt: now,
    });
    let replaced: number | null = null;
    if (dialog.rescheduleOf) {
      const old = await tx.bookings.lockById(dialog.rescheduleOf);
      if (old && old.status === 'booked') {
        await this.cancel(tx, old, resident, outbox, now);
        replaced = old.number;
      }
    }
    resident.dialog = null;
    const cadre = await tx.cadres.get(assignment.cadreId);
    const when = slotLabel(startsAt, endsAt, this.tz);
    outbox.toCadre(
      cadre.id,
      say.cadreNew({
        number: booking.number, when, service: service.name, village: this.slots.villageName(resident), resident: resident.name,
        address: booking.address, flagged: await this.slots.noShowFlag(tx, resident.id),
      }),
    );
    outbox.toResident(
      resident.id,
      say.booked({ number: booking.number, service: service.name, when, department: department.name, cadre: cadre.name, replaced }),
    );
  }

  private async cancel(tx: Repositories, booking: Booking, resident: Resident, outbox: Outbox, now: Date): Promise<void> {
    booking.status = 'cancelled';
    booking.cancelledAt = now;
    await tx.bookings.save(booking, now);
    await tx.bookings.freePlace(booking.serviceId, booking.startsAt);
    if (booking.assigneeId) {
      outbox.toCadre(
        booking.assigneeId,
        say.cadreCancelled({ number: booking.number, when: slotLabel(booking.startsAt, booking.endsAt, this.tz), service: this.slots.serviceName(booking.serviceId), resident: resident.name }),
      );
    }
  }

  /** Her upcoming visits on the day said ("明天"; at the time of day said, "上午"), or all of them (`day` null), by number. */
  private async visitsNamed(tx: Repositories, resident: Resident, { day, time }: { day: string | null; time?: string }, now: Date): Promise<number[]> {
    const upcoming = await tx.bookings.bookedForResident(resident.id, now);
    const date = day ? readWhen(day, [], localDate(now, this.tz))?.day : null;
    const at = time ? startsAt(time, this.tz) : null;
    if ((day && !date) || (time && !at)) return [];
    return upcoming
      .filter((b) => (!date || localDate(b.startsAt, this.tz) === date) && (!at || at(b.startsAt.getTime())))
      .map((b) => b.number);
  }

  /** Open slots of several services (see {@link BookingSlots.availability}). */
  availability(tx: Repositories, serviceIds: readonly string[], now: Date): Promise<Map<string, OpenSlot[]>> {
    return this.slots.availability(tx, serviceIds, now);
  }

  // ── Cadres ─────────────────────────────────────────────────────────

  /** `完成 N 说明` / `未到 N`. */
  async close(
    tx: Repositories,
    cadre: Cadre,
    p: { number: number; outcome: 'completed' | 'no-show'; note: string },
    outbox: Outbox,
    now: Date,
  ): Promise<void> {
    const booking = await this.cadresBooking(tx, cadre, p.number, outbox);
    if (!booking) return;
    if (p.outcome === 'no-show' && now < booking.startsAt) {
      return outbox.toCadre(cadre.id, say.noShowTooEarly({ number: booking.number, when: slotLabel(booking.startsAt, booking.endsAt, this.tz) }));
    }
    booking.status = p.outcome;
    booking.completedAt = now;
    booking.outcomeNote = p.note || null;
    await tx.bookings.save(booking, now);
    if (p.outcome === 'completed') {
      outbox.toResident(booking.residentId, say.residentCompleted({ number: booking.number, service: this.slots.serviceName(booking.serviceId), note: p.note }));
      return outbox.toCadre(cadre.id, say.completed(booking.number));
    }
    outbox.toResident(booking.residentId, say.residentNoShow({ number: booking.number, service: this.slots.serviceName(booking.serviceId) }));
    const resident = await tx.residents.get(booking.residentId);
    return outbox.toCadre(cadre.id, say.noShowRecorded({ number: booking.number, resident: resident.name }));
  }

  /**
   * `改约 N 原因`: the cadre cannot come at the booked time (rain). The visit is cancelled at once —
   * nobody is reminded of a visit that will not happen — and the resident is asked for another
   * time, with the address kept; one in the middle of another question is told to send 预约.
   * Its place stays taken: the time does not work for the cadre, so it is offered to nobody.
   */
  async move(tx: Repositories, cadre: Cadre, p: { number: number; reason: string }, outbox: Outbox, now: Date): Promise<void> {
    // Her row is locked first, as her own messages lock it before her booking (取消预约 at this
    // moment waits, rather than deadlocking), and a question her message sets now stays: she is
    // then told to book again after it. A booking's resident never changes.
    const owner = await tx.bookings.findByNumber(p.number);
    const resident = owner ? await tx.residents.lock(owner.residentId) : null;
    const booking = await this.cadresBooking(tx, cadre, p.number, outbox);
    if (!booking || !resident) return;
    if (booking.endsAt <= now) return outbox.toCadre(cadre.id, say.moveTooLate(booking.number));
    booking.status = 'cancelled';
    booking.cancelledAt = now;
    booking.outcomeNote = p.reason || null;
    await tx.bookings.save(booking, now);
    const when = slotLabel(booking.startsAt, booking.endsAt, this.tz);
    const service = this.slots.serviceName(booking.serviceId);
    // A head or the office moving it: its cadre is told; the cadre who moves it needs no notice.
    if (booking.assigneeId && booking.assigneeId !== cadre.id) {
      outbox.toCadre(booking.assigneeId, say.cadreCancelled({ number: booking.number, when, service, resident: resident.name }));
    }
    const lead = say.movedByCadre({ number: booking.number, when, service, cadre: cadre.name, reason: p.reason });
    if (resident.dialog === null) {
      const base: BookingDialog = { kind: 'booking', step: 'service', options: [], expiresAt: '', rescheduleOf: booking.id, address: booking.address };
      await this.questions.askDay(tx, resident, base, booking.serviceId, outbox, now, lead);
      await tx.residents.save(resident, now);
    } else {
      outbox.toResident(resident.id, `${lead}\n${say.bookAgainLater()}`);
    }
    return outbox.toCadre(cadre.id, say.moved({ number: booking.number, resident: resident.name }));
  }

  /**
   * 请假: the cadre's visits still to come on the days `from`–`to` (local dates) go to whom routing
   * has on each visit's day, as if it were booked now (his leave is written already, so he is passed
   * by). The new cadre gets the visit as a new one, the resident hears who comes instead, same time.
   * A visit nobody of the department can take (routing falls back to the office, or to him) stays
   * his, to move with 改约.
   */
  async handOver(tx: Repositories, cadre: Cadre, days: { from: string; to: string }, now: Date): Promise<HandOver> {
    // A booking being made for him right now commits first, or sees his leave (see assigneeFor).
    await tx.cadres.lock(cadre.id);
    const from = DateTime.fromISO(days.from, { zone: this.tz });
    const to = DateTime.fromISO(days.to, { zone: this.tz }).plus({ days: 1 });
    const notices: ((outbox: Outbox) => void)[] = [];
    const result: HandOver = { moved: [], kept: [], tell: (outbox) => notices.forEach((notice) => notice(outbox)) };
    for (const { id } of await tx.bookings.forAssignee(cadre.id, from.toJSDate(), to.toJSDate())) {
      // Locked, then looked at again: a resident cancelling at this moment goes first or after.
      const booking = await tx.bookings.lockById(id);
      if (!booking || booking.status !== 'booked' || booking.assigneeId !== cadre.id || booking.startsAt <= now) continue;
      const resident = await tx.residents.get(booking.residentId);
      const visit = { number: booking.number, when: slotLabel(booking.startsAt, booking.endsAt, this.tz), service: this.slots.serviceName(booking.serviceId), resident: resident.name };
      const { cadreId, reason } = await this.slots.assigneeFor(tx, booking.villageId, booking.departmentId, booking.startsAt);
      // Nobody of the department free that day: a visit is not the office clerk's to make.
      if (cadreId === cadre.id || reason === 'office') {
        result.kept.push(visit);
        continue;
      }
      booking.assigneeId = cadreId;
      await tx.bookings.save(booking, now);
      const taker = await tx.cadres.get(cadreId);
      result.moved.push({ ...visit, to: taker.name });
      const toCadre = say.cadreNew({ ...visit, village: this.slots.villageName(resident), address: booking.address, flagged: await this.slots.noShowFlag(tx, resident.id), from: cadre.name });
      const toResident = say.handedOver({ ...visit, department: this.services.get(booking.serviceId)?.department.name ?? '', cadre: taker.name });
      notices.push((outbox) => {
        outbox.toCadre(taker.id, toCadre);
        outbox.toResident(resident.id, toResident);
      });
    }
    return result;
  }

  /** The booking a cadre acts on, when it is theirs to act on (holder, the department's head, the office) and still booked. */
  private async cadresBooking(tx: Repositories, cadre: Cadre, number: number, outbox: Outbox): Promise<Booking | null> {
    const booking = await tx.bookings.lockByNumber(number);
    if (!booking) {
      outbox.toCadre(cadre.id, say.noSuchBookingForCadre(number));
      return null;
    }
    if (!mayAct(cadre, booking)) {
      outbox.toCadre(cadre.id, say.notYourBooking(number));
      return null;
    }
    if (booking.status !== 'booked') {
      outbox.toCadre(cadre.id, say.bookingClosed(number));
      return null;
    }
    return booking;
  }

  // ── The sweep ──────────────────────────────────────────────────────

  /** Lapsed dialogs, reminders and morning digests; each notice once. Returns outbox rows. */
  async sweep(db: Database, clock: Clock): Promise<Delivery[]> {
    const now = clock();
    return db.transaction(async (tx) => {
      const outbox = new Outbox(tx, now, null, this.config.township);
      await this.expireDialogs(tx, outbox, now);
      // The morning list first: a cadre's reminder due in the same sweep is already in it.
      const listed = await this.notices.digest(tx, outbox, now);
      await this.notices.remind(tx, outbox, now, listed);
      return outbox.flush();
    });
  }

  private async expireDialogs(tx: Repositories, outbox: Outbox, now: Date): Promise<void> {
    for (const resident of await tx.residents.withLapsedBookingDialog(now)) {
      const dialog = resident.dialog as BookingDialog;
      // The department menu it came in front of is back as it was: unanswered, its matter goes to the
      // office once `departmentMenuMinutes` have passed since it was asked (the intake's sweep).
      resident.dialog = dialog.heldMenu ?? null;
      outbox.toResident(resident.id, await this.lapsed(tx, dialog));
      if (!resident.dialog) await askPendingRating(tx, resident, outbox);
      await tx.residents.save(resident, now);
    }
  }

  /**
   * What a resident is told when the dialog lapses: a confirmation left unanswered names what is
   * not booked (the resident may think it was), a change of time that the booking stays as it was.
   */
  private async lapsed(tx: Repositories, dialog: BookingDialog): Promise<string> {
    const old = dialog.rescheduleOf ? await tx.bookings.lockById(dialog.rescheduleOf) : null;
    if (old?.status === 'booked') return say.rescheduleLapsed(old.number, slotLabel(old.startsAt, old.endsAt, this.tz));
    if (dialog.step !== 'confirm') return say.expired();
    const { service } = this.services.get(dialog.serviceId!)!;
    const startsAt = new Date(dialog.slotStart!);
    return say.notConfirmed(slotLabel(startsAt, new Date(startsAt.getTime() + service.durationMinutes * 60_000), this.tz), service.name);
  }
}
