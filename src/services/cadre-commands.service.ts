/**
 * What cadres do in chat: accept, reply, resolve, transfer, send back, ask for more time,
 * and — heads and the office — assign, list overdue work, urge, decide on extensions.
 * Runs inside the inbound message's transaction; every change is a case event. Words that are no
 * command are read for what they most likely mean by {@link CadreWords}.
 */
import { findDepartment, type Config } from '../config/schema.js';
import type { Repositories } from '../db/database.js';
import type { Cadre } from '../db/entities/cadre.entity.js';
import type { Case } from '../db/entities/case.entity.js';
import type { InboundMessage } from '../db/entities/inbound-message.entity.js';
import type { Resident } from '../db/entities/resident.entity.js';
import { openCaseStatuses, unknownVillageId } from '../domain/case.js';
import type { VillageMatcher } from '../domain/village-match.js';
import { quietUntil } from '../domain/quiet-hours.js';
import { addressesCadre, splitQuote } from '../domain/text.js';
import { commandOnQuotedBooking, commandOnQuotedCase, quotedBookingNumber, quotedCaseNumber } from '../domain/quote.js';
import {
  copiedPlaceholder, extensionDecision, officeCommands, parseCadreCommand, replyMarksCase, supervisorCommands, type CadreCommand, type CaseCommand,
} from '../domain/commands.js';
import { issueBindCode } from './bind-code.service.js';
import { CaseViews } from './case-views.js';
import { mayAct, notYoursReply, recentCase, remember, waitingFor } from './cadre-context.js';
import { CadreWords } from './cadre-words.js';
import { CadreMedia } from './cadre-media.js';
import { markAccepted, markResponded, minutesBetween } from './case-progress.js';
import { namesSomeone, unknownName } from './cadre-names.js';
import { LeaveService } from './leave.service.js';
import type { BookingService } from './booking.service.js';
import type { WordsOutcome } from './booking-conversation.js';
import { relayedName, unsatisfiedWith } from './callback.service.js';
import { statsReply } from './stats.service.js';
import { addWorkingMinutes, workingMinutesBetween } from '../domain/sla.js';
import type { DispatchService } from './dispatch.service.js';
import { awakeSince, Outbox } from './outbox.js';
import { exampleVillage, extensionRequestTag, formatTime, replies } from './replies.js';
import { cadreReplies } from './cadre-replies.js';

export class CadreCommandService {
  private readonly leave: LeaveService;
  private readonly views: CaseViews;
  private readonly words: CadreWords;
  /** Photos and voices from cadres; the sweep lapses those held too long. */
  readonly media: CadreMedia;

  constructor(
    private readonly config: Config,
    private readonly dispatch: DispatchService,
    private readonly bookings: BookingService,
    private readonly villages: VillageMatcher,
  ) {
    this.leave = new LeaveService(config, dispatch.workingTime.calendar, bookings);
    this.views = new CaseViews(config, dispatch);
    this.media = new CadreMedia(config, dispatch, this.views);
    this.words = new CadreWords(config, this.views, villages, (tx, command, cadre, outbox, now) => this.onCase(tx, command, cadre, outbox, now));
  }

  /**
   * `media-held`: a photo or voice waits for the number of its case (see {@link CadreMedia.handle});
   * `booking-words`: words went to a visit's resident (see {@link BookingConversation}).
   */
  async handle(tx: Repositories, message: InboundMessage, cadre: Cadre, outbox: Outbox, now: Date): Promise<'media-held' | WordsOutcome | void> {
    if (message.kind !== 'text') return this.media.handle(tx, message, cadre, outbox, now);
    const supervisor = cadre.role !== 'cadre';
    // A quote reply (引用) to a message about one case is about that case: its number may be left out.
    const quote = splitQuote(message.text);
    const quoted = quote ? quotedCaseNumber(quote.quoted) : null;
    const text = (quote?.reply ?? message.text).trim();
    const booking = quote && quoted === null ? quotedBookingNumber(quote.quoted) : null;
    const parsed = quoted !== null ? commandOnQuotedCase(text, quoted) : booking !== null ? commandOnQuotedBooking(text, booking) : parseCadreCommand(text);
    // A number alone that is no case ("200", the price a resident asked for) is words, not a case
    // number; so is one asked after ("300怎么样").
    const byNumber = parsed?.kind === 'case-number' || parsed?.kind === 'case-status';
    const numbered = byNumber ? await tx.cases.lockByNumber(parsed.caseNumber) : null;
    // "1001给他回过电话了" is words, unless it names whom to give the case to and the sender may 派单.
    const loose = parsed?.kind === 'assign' && parsed.loose && !(supervisor && namesSomeone(this.config, parsed.cadre));
    const command = (byNumber && !numbered) || loose ? null : parsed;
    if (command?.kind === 'malformed') return outbox.toCadre(cadre.id, replies.malformed(command.verb, exampleVillage(this.config.villages, cadre.villageIds)));
    if (!command) {
      // Words quoting a notice about one visit ("路上堵了，晚半小时到"): for its resident.
      const visit = booking !== null ? { number: booking, quotedText: quote!.quoted, text } : null;
      const forVisit = visit ? await this.bookings.conversation.quoted(tx, cadre, visit, message, outbox, now) : null;
      if (forVisit) return forVisit;
      // "1030怎么样了" with no case 1030 is words too; said so when they are nobody's.
      const missingCase = parsed?.kind === 'case-status' ? parsed.caseNumber : null;
      return this.words.handle(tx, { text, quote, quoted, missingCase, talkerId: message.talkerId }, cadre, outbox, now);
    }
    if (supervisorCommands.includes(command.kind) && !supervisor) return outbox.toCadre(cadre.id, replies.supervisorsOnly());
    if (officeCommands.includes(command.kind) && cadre.role !== 'office') return outbox.toCadre(cadre.id, replies.officeOnly());
    // "回复 1001 内容", copied from an example: the word is not sent; the cadre is asked for the real ones.
    const copied = copiedPlaceholder(command);
    if (copied) return outbox.toCadre(cadre.id, replies.placeholderCopied(copied));

    switch (command.kind) {
      case 'help':
        return outbox.toCadre(cadre.id, replies.cadreHelp(supervisor, exampleVillage(this.config.villages, cadre.villageIds)));
      case 'bind':
        return outbox.toCadre(cadre.id, replies.bound(cadre.name));
      case 'file-for':
        // Intake takes 代办 up before it comes here (it opens cases like a resident's message).
        return outbox.toCadre(cadre.id, replies.malformed('代办', exampleVillage(this.config.villages, cadre.villageIds)));
      case 'tasks':
        return outbox.toCadre(cadre.id, await this.views.tasks(tx, cadre, now));
      case 'accept-waiting': {
        const waiting = await waitingFor(tx, cadre);
        const caseNumber = waiting[0]?.number;
        if (caseNumber && waiting.length === 1) {
          return this.onCase(tx, command.text ? { kind: 'accept', caseNumber, text: command.text } : { kind: 'accept', caseNumber }, cadre, outbox, now);
        }
        // "接单 下午到" after the case was taken: the words were for its resident; say they did not go.
        const recent = waiting.length === 0 && command.text ? await recentCase(tx, this.config, cadre, now) : null;
        if (recent) return outbox.toCadre(cadre.id, replies.wordsNotSent({ number: recent.number, text: command.text! }), recent.id);
        return outbox.toCadre(cadre.id, waiting.length === 0 ? replies.nothingToAccept() : await this.views.acceptPrompt(tx, waiting, now));
      }
      case 'close-or-accept':
        return outbox.toCadre(cadre.id, await this.words.closeOrAccept(tx, command, cadre, now));
      case 'accept-several':
        return this.acceptSeveral(tx, command.caseNumbers, cadre, outbox, now, command.text);
      case 'on-several':
        return this.onSeveral(tx, command, cadre, outbox, now);
      case 'assign-several': {
        // Each as 派单 N would give it; the confirmations read as one message (a hint they share once).
        await tx.cases.lockByNumbers(command.caseNumbers);
        const mark = outbox.mark();
        for (const caseNumber of command.caseNumbers) {
          await this.onCase(tx, { kind: 'assign', caseNumber, cadre: command.cadre, note: command.note }, cadre, outbox, now, true);
        }
        return outbox.joinSince(mark, cadre.id);
      }
      case 'case-number':
        return this.caseNumber(tx, message, numbered!, cadre, outbox, now);
      case 'decide-waiting-extension': {
        const waiting = await tx.cases.extensionRequestsFor(cadre.id, extensionRequestTag);
        if (waiting.length === 1) return this.onCase(tx, extensionDecision(command, waiting[0]!.number), cadre, outbox, now);
        if (waiting.length === 0) return outbox.toCadre(cadre.id, replies.noExtensionRequests());
        return outbox.toCadre(cadre.id, await this.views.requestsWaiting(tx, waiting, command.approve ? undefined : command.text));
      }
      case 'stats':
        // Read in the message's own transaction: the embedded database has one connection.
        return outbox.toCadre(cadre.id, await statsReply(tx, this.config, cadre, command.args, now));
      case 'day-bookings':
        return outbox.toCadre(cadre.id, await this.bookings.notices.dayList(tx, cadre, command.daysAhead, now));
      case 'complete-booking': {
        // "1001完成了": a case's number, when no booking has it: the 办结 line for that case.
        const kase = (await tx.bookings.findByNumber(command.bookingNumber)) ? null : await tx.cases.lockByNumber(command.bookingNumber);
        if (kase && mayAct(cadre, kase)) return outbox.toCadre(cadre.id, await this.words.resolveHow(tx, cadre, command.note || '办好了', kase.number, now));
        return this.bookings.close(tx, cadre, { number: command.bookingNumber, outcome: 'completed', note: command.note }, outbox, now);
      }
      case 'no-show':
        return this.bookings.close(tx, cadre, { number: command.bookingNumber, outcome: 'no-show', note: '' }, outbox, now);
      case 'move-booking':
        return this.bookings.move(tx, cadre, { number: command.bookingNumber, reason: command.reason }, outbox, now);
      case 'booking-words':
        return this.bookings.conversation.send(tx, cadre, { number: command.bookingNumber, text: command.text }, message, outbox, now);
      case 'reply': {
        // "回复 101 …": a visit's number, when it is no case of his (see BookingConversation.reply).
        const words = { number: command.caseNumber, text: command.text, quotedBooking: booking, marksCase: replyMarksCase(text) };
        const forVisit = quoted === null ? await this.bookings.conversation.reply(tx, cadre, words, message, outbox, now) : null;
        return forVisit ?? this.onCase(tx, command, cadre, outbox, now);
      }
      case 'overdue':
        return outbox.toCadre(cadre.id, await this.views.overdueList(tx, cadre, now));
      case 'open-cases':
        return outbox.toCadre(cadre.id, await this.views.openCases(tx, cadre, now));
      case 'waiting-cases':
        return outbox.toCadre(cadre.id, await this.views.waitingList(tx, cadre, now));
      case 'leave':
      case 'end-leave':
        return this.leave.handle(tx, command, cadre, outbox, now);
      case 'issue-bind-code': {
        const target = await tx.cadres.findByIdOrName(command.cadre);
        if (!target) return outbox.toCadre(cadre.id, unknownName(this.config, command.cadre, { line: (name) => `绑定码 ${name}`, newCadre: true }));
        const { code, expiresAt } = await issueBindCode(tx, target.id, now, this.config.township.caseRules.bindCodeMinutes);
        const until = formatTime(expiresAt, this.config.township.timezone);
        return outbox.toCadre(cadre.id, replies.bindCodeIssued({ cadre: target.name, code, until, bound: target.wechatId !== null }));
      }
      default:
        return this.onCase(tx, command, cadre, outbox, now);
    }
  }

  /**
   * `回复 1001 1003 …`, `办结 1001 1003 …`: when the numbers after the first are cases of his not
   * closed, or held once, each is done as `回复 N …` / `办结 N …` would do it, and he reads their confirmations
   * as one message; what follows is for whom is unclear then (no case in front of him). Otherwise
   * the numbers were words ("回复 1001 2000 块"): the command on the first case, as written.
   */
  private async onSeveral(
    tx: Repositories, command: Extract<CadreCommand, { kind: 'on-several' }>, cadre: Cadre, outbox: Outbox, now: Date,
  ): Promise<void> {
    const verb = command.verb === 'reply' ? '回复' : '办结';
    const cases = await tx.cases.lockByNumbers(command.caseNumbers);
    // His own, not any a head or the office may act on, nor one closed long ago: "回复 1001 1500 已到账"
    // must not reach the resident of #1500 because the clerk may act on it.
    const meant = async (number: number) => {
      const kase = cases.get(number);
      if (!kase || kase.status === 'closed') return false;
      return kase.assigneeId === cadre.id || (await tx.cases.wasAssignedTo(kase.id, cadre.id));
    };
    let several = true;
    for (const number of command.caseNumbers.slice(1)) several &&= await meant(number);
    if (!several) {
      const single = command.single;
      if (single?.kind !== 'reply' && single?.kind !== 'resolve') return outbox.toCadre(cadre.id, replies.malformed(verb));
      return this.onCase(tx, single, cadre, outbox, now);
    }
    if (command.verb === 'reply' && !command.text) return outbox.toCadre(cadre.id, replies.malformed(verb));
    const mark = outbox.mark();
    for (const caseNumber of command.caseNumbers) {
      const one: CaseCommand = command.verb === 'reply' ? { kind: 'reply', caseNumber, text: command.text } : { kind: 'resolve', caseNumber, note: command.text };
      await this.onCase(tx, one, cadre, outbox, now, true);
    }
    outbox.joinSince(mark, cadre.id);
    await tx.cadres.setContext(cadre.id, null);
  }

  /** `inList`: one of several cases of one command (see {@link onSeveral}); its confirmation is a line of one message. */
  private async onCase(tx: Repositories, command: CaseCommand, cadre: Cadre, outbox: Outbox, now: Date, inList = false): Promise<void> {
    const kase = await tx.cases.lockByNumber(command.caseNumber);
    if (!kase) return outbox.toCadre(cadre.id, replies.noSuchCase(command.caseNumber));
    if (!mayAct(cadre, kase)) return outbox.toCadre(cadre.id, await notYoursReply(tx, cadre, kase, carriesWords(command)));
    const isOpen = openCaseStatuses.includes(kase.status);
    // A village found out after the case was done still counts, in the statistics.
    const anyStatus = command.kind === 'reply' || command.kind === 'undo-resolve' || command.kind === 'set-village' || command.kind === 'case-status';
    if (!isOpen && !anyStatus && !addsResolutionNote(command, kase, cadre)) return outbox.toCadre(cadre.id, replies.caseIsDone(kase.number));
    const event = (type: Parameters<Repositories['cases']['appendEvent']>[0]['type'], data: Record<string, unknown> = {}) =>
      tx.cases.appendEvent({ caseId: kase.id, at: now, actorType: 'cadre', actorId: cadre.id, type, data });
    const department = this.dispatch.departments.get(kase.departmentId)!;
    /** How the resident knows the cadre acting: by the cadre's own department (an office dispatcher is 党政办). */
    const actingAs = this.dispatch.departments.get(cadre.departmentIds.includes(kase.departmentId) ? kase.departmentId : cadre.departmentIds[0]!)!;
    const tz = this.config.township.timezone;
    let caseResident: Resident | undefined;
    const resident = async () => (caseResident ??= await tx.residents.get(kase.residentId));
    /** The resident, to change her row: locked, so what her own message at this moment wrote stays. */
    const residentToChange = async () => (caseResident = await tx.residents.lock(kase.residentId));
    /** Confirmations name the resident, so a cadre who typed the wrong number notices. */
    const residentName = async () => (await resident()).name;
    /** The cadre's words to the resident: the first one is the case's response time. */
    const tellResident = async (text: string) => {
      markResponded(kase, now, this.dispatch.workingTime);
      await tx.cases.save(kase, now);
      await event('replied', { text });
      const relayed = relayedName(await resident());
      outbox.toResident(kase.residentId, replies.residentReply({ number: kase.number, department: actingAs.name, cadre: cadre.name, text, relayed }), kase.id);
    };

    switch (command.kind) {
      case 'case-status':
        return outbox.toCadre(cadre.id, await this.views.status(tx, kase, cadre, now), kase.id);
      case 'accept': {
        const already = kase.status === 'accepted' && kase.assigneeId === cadre.id;
        if (already && !command.text) return outbox.toCadre(cadre.id, replies.alreadyAccepted(kase.number));
        // A head's or the office's 接单 takes over a case still waiting; one its holder is working on moves only by 派单.
        if (kase.status === 'accepted' && kase.assigneeId && !already) {
          const holder = await tx.cadres.get(kase.assigneeId);
          return outbox.toCadre(cadre.id, replies.acceptedByHolder({ number: kase.number, holder: holder.name, self: cadre.name, text: command.text }), kase.id);
        }
        if (!already) await this.take(tx, kase, cadre, outbox, now);
        // "接单 1001 马上到": the words go to the resident as a reply.
        if (command.text) await tellResident(command.text);
        await remember(tx, cadre, kase, now);
        const confirmation = { number: kase.number, resident: await residentName() };
        return outbox.toCadre(cadre.id, command.text ? (already ? replies.replySent(confirmation) : replies.acceptedAndSent(confirmation)) : replies.accepted(confirmation), kase.id);
      }
      case 'reply': {
        // "回复 1001 小贺你下午去看一下": words for the holder, sent with the command for the resident
        // ("老贺，您放心" to 贺大爷 calls her as much as 贺建军: hers).
        const holding = kase.assigneeId !== cadre.id && kase.assigneeId ? await tx.cadres.get(kase.assigneeId) : null;
        const resident = await residentName();
        if (holding && addressesCadre(command.text, holding.name) && !addressesCadre(command.text, resident)) {
          return outbox.toCadre(cadre.id, replies.wordsForHolder({ number: kase.number, holder: holding.name, text: command.text }), kase.id);
        }
        if (kase.status === 'assigned') markAccepted(kase, now);
        await tellResident(command.text);
        // A head or the office answering a cadre's resident: the holder reads what his resident was
        // told (and words meant for him, sent with the wrong command, show at once).
        if (holding) outbox.toCadre(holding.id, replies.repliedByOther({ number: kase.number, by: cadre.name, resident, text: command.text }), kase.id);
        await remember(tx, cadre, kase, now);
        const held = await this.media.heldNote(tx, cadre, kase, now);
        return outbox.toCadre(cadre.id, replies.replySent({ number: kase.number, resident, holder: holding?.name }) + held, kase.id);
      }
      case 'resolve': {
        // "办结 1001 已指导打药" right after "办结 1001": the note the resident has not read yet, passed on.
        if (kase.status === 'resolved') {
          kase.resolutionNote = kase.resolutionNote ? `${kase.resolutionNote}；${command.note}` : command.note;
          await tx.cases.save(kase, now);
          await event('replied', { text: command.note, resolutionNote: true });
          const told = await resident();
          const note = { number: kase.number, department: actingAs.name, cadre: cadre.name, note: command.note };
          outbox.toResident(kase.residentId, replies.residentResolutionNote(note), kase.id);
          await remember(tx, cadre, kase, now);
          return outbox.toCadre(cadre.id, replies.resolutionNoteSent({ number: kase.number, resident: told.name }), kase.id);
        }
        // Nobody wrote to her before and no note now: she reads only 已办结 (the cadre may have phoned; he is told).
        const bare = !command.note && !kase.firstResponseAt;
        if (kase.status === 'assigned') markAccepted(kase, now);
        markResponded(kase, now, this.dispatch.workingTime);
        kase.status = 'resolved';
        kase.resolvedAt = now;
        kase.resolutionNote = command.note || null;
        kase.resolutionMinutes = minutesBetween(kase.dispatchedAt!, now);
        kase.resolutionWorkingMinutes = workingMinutesBetween(kase.dispatchedAt!, now, this.dispatch.workingTime);
        kase.callbackDueAt = new Date(now.getTime() + this.config.township.caseRules.callbackTimeoutMinutes * 60_000);
        kase.extensionRequest = null;
        await tx.cases.save(kase, now);
        await event('resolved', { note: command.note });
        // A resident in the middle of another question ("1" would answer it) is asked to rate once it is settled.
        const rated = await residentToChange();
        // A resident without WeChat whose relaying cadre held the case is rated through someone else.
        const byOthers = rated.relayCadreId !== null && rated.relayCadreId === kase.assigneeId;
        const askRating = !rated.dialog && !byOthers;
        if (askRating) {
          rated.dialog = { kind: 'callback', caseId: kase.id };
          await tx.residents.save(rated, now);
        }
        outbox.toResident(
          rated.id,
          replies.residentResolved({
            number: kase.number, department: actingAs.name, cadre: cadre.name, note: command.note, askRating, relayed: relayedName(rated),
          }),
          kase.id,
        );
        await remember(tx, cadre, kase, now);
        const rating = byOthers ? 'by-others' : askRating ? 'asked' : 'held';
        const held = await this.media.heldNote(tx, cadre, kase, now);
        const unexplained = bare ? cadreReplies.resolvedWithoutWords({ number: kase.number, resident: rated.name }) : '';
        return outbox.toCadre(cadre.id, replies.resolvedForCadre({ number: kase.number, resident: rated.name, rating, inList }) + unexplained + held, kase.id);
      }
      case 'undo-resolve': {
        // Resolved and waiting for the rating (a rating of an earlier round, before a reopen, is no obstacle).
        if (kase.status !== 'resolved') {
          const why = kase.status !== 'closed' ? 'open' : kase.rating === 'no-answer' ? 'closed' : 'rated';
          return outbox.toCadre(cadre.id, replies.cannotUndoResolve({ number: kase.number, why }));
        }
        kase.status = 'accepted';
        // The mistaken 办结 was no answer to this resident: a first response it made is taken back too.
        if (kase.firstResponseAt?.getTime() === kase.resolvedAt?.getTime()) {
          kase.firstResponseAt = null;
          kase.responseMinutes = null;
          kase.responseWorkingMinutes = null;
        }
        kase.resolvedAt = null;
        kase.resolutionNote = null;
        kase.resolutionMinutes = null;
        kase.resolutionWorkingMinutes = null;
        kase.callbackDueAt = null;
        await tx.cases.save(kase, now);
        await event('resolve-undone');
        const asked = await residentToChange();
        if (asked.dialog?.kind === 'callback' && asked.dialog.caseId === kase.id) {
          asked.dialog = null;
          await tx.residents.save(asked, now);
        }
        outbox.toResident(kase.residentId, replies.resolveUndoneForResident(kase.number), kase.id);
        await remember(tx, cadre, kase, now);
        return outbox.toCadre(cadre.id, replies.resolveUndone({ number: kase.number, resident: asked.name }), kase.id);
      }
      case 'transfer': {
        const target = findDepartment(this.config.departments, command.department);
        if (!target) return outbox.toCadre(cadre.id, replies.noSuchDepartment(command.department, this.config.departments.map((d) => d.name)));
        if (target.id === kase.departmentId) return outbox.toCadre(cadre.id, replies.sameDepartment(kase.number));
        // The roster is per village: without one the case would only reach the department's head.
        if (kase.villageId === unknownVillageId) return outbox.toCadre(cadre.id, replies.villageFirst(kase.number), kase.id);
        await event('transferred', { from: kase.departmentId, to: target.id, reason: command.reason });
        const holder = await this.dispatch.reassign(tx, {
          kase, now, outbox, departmentId: target.id, restartLimits: true,
          note: replies.transferNote({ from: `${department.name}${cadre.name}`, reason: command.reason }),
          actor: { type: 'cadre', id: cadre.id }, reason: 'transfer', exclude: new Set([cadre.id]),
        });
        const taker = await tx.cadres.get(holder.id);
        const readsAt = await this.readsAt(tx, kase, taker, now);
        return outbox.toCadre(
          cadre.id,
          replies.transferred({ number: kase.number, department: target.name, cadre: holder.name, readsAt, unbound: !taker.wechatId, office: cadre.role === 'office' }),
          kase.id,
        );
      }
      case 'send-back': {
        const windowMinutes = this.config.township.caseRules.sendBackWindowMinutes;
        if (now.getTime() - kase.assignedAt!.getTime() > windowMinutes * 60_000) {
          return outbox.toCadre(cadre.id, replies.sendBackTooLate(windowMinutes));
        }
        await event('sent-back', { reason: command.reason });
        // The matter stays with its department (and its statistics); the office places it again.
        await this.dispatch.reassign(tx, {
          kase, now, outbox, routeDepartmentId: this.config.township.officeDepartment,
          note: replies.sendBackNote({ from: `${department.name}${cadre.name}`, reason: command.reason }),
          actor: { type: 'cadre', id: cadre.id }, reason: 'send-back', exclude: new Set([cadre.id]),
        });
        return outbox.toCadre(cadre.id, replies.sentBack(kase.number), kase.id);
      }
      case 'extend': {
        if (kase.extensionRequest) return outbox.toCadre(cadre.id, replies.extensionPending(kase.number));
        kase.extensionRequest = { cadreId: cadre.id, days: command.days, reason: command.reason, at: now.toISOString() };
        await tx.cases.save(kase, now);
        await event('extension-requested', { days: command.days, reason: command.reason });
        for (const supervisor of await tx.cadres.supervisorsOf(kase.departmentId, cadre.id)) {
          outbox.toCadre(
            supervisor.id,
            replies.extensionForSupervisor({ number: kase.number, cadre: cadre.name, days: command.days, reason: command.reason }),
            kase.id,
          );
        }
        return outbox.toCadre(cadre.id, replies.extensionRequested(kase.number), kase.id);
      }
      case 'approve-extension':
      case 'reject-extension': {
        const request = kase.extensionRequest;
        if (!request) return outbox.toCadre(cadre.id, replies.noExtensionRequest(kase.number));
        if (request.cadreId === cadre.id) return outbox.toCadre(cadre.id, replies.notOwnExtension());
        kase.extensionRequest = null;
        if (command.kind === 'approve-extension') {
          const workdayMinutes = this.dispatch.workingMinutesPerDay;
          // Days from now when the limit has already passed: an extension never ends in the past.
          const from = kase.resolveDueAt! > now ? kase.resolveDueAt! : now;
          kase.resolveDueAt = addWorkingMinutes(from, request.days * workdayMinutes, this.dispatch.workingTime);
          if (kase.resolveDueAt > now) kase.slaStatus = 'on-time';
          await event('extension-approved', { days: request.days, resolveDueAt: kase.resolveDueAt.toISOString(), ...(command.note ? { words: command.note } : {}) });
          outbox.toCadre(
            request.cadreId,
            replies.extensionApproved({ number: kase.number, days: request.days, resolveBy: formatTime(kase.resolveDueAt, tz), note: command.note, by: cadre.name }),
            kase.id,
          );
        } else {
          await event('extension-rejected', { reason: command.reason });
          outbox.toCadre(request.cadreId, replies.extensionRejected({ number: kase.number, reason: command.reason }), kase.id);
        }
        await tx.cases.save(kase, now);
        const approved = command.kind === 'approve-extension';
        return outbox.toCadre(cadre.id, replies.decisionSent({ number: kase.number, approved, resolveBy: formatTime(kase.resolveDueAt!, tz) }), kase.id);
      }
      case 'assign': {
        const target = await tx.cadres.findByIdOrName(command.cadre);
        if (!target) {
          // "派单 1001 综治办": the office knows the department, the roster knows who covers the village.
          const to = findDepartment(this.config.departments, command.cadre);
          const line = (name: string) => `派单 ${kase.number} ${name}${command.note ? ` ${command.note}` : ''}`;
          if (!to) return outbox.toCadre(cadre.id, unknownName(this.config, command.cadre, { line, departments: true }));
          if (kase.villageId === unknownVillageId) return outbox.toCadre(cadre.id, replies.villageFirst(kase.number), kase.id);
          // Already with a cadre of that department: nothing to place.
          const holding = kase.assigneeId ? await tx.cadres.get(kase.assigneeId) : null;
          if (to.id === kase.departmentId && holding?.departmentIds.includes(to.id)) {
            return outbox.toCadre(cadre.id, replies.alreadyHolds({ number: kase.number, cadre: `${to.name}${holding.name}` }), kase.id);
          }
          const moves = to.id !== kase.departmentId;
          // Under review: not back to whom the resident was twice unhappy with (named, it still goes).
          const passedOver = await unsatisfiedWith(tx, kase, to.id);
          const exclude = new Set([cadre.id, ...passedOver.map((c) => c.id)]);
          if (passedOver.length > 0 && (await this.onlyPassedOver(tx, kase, to.id, exclude, passedOver, cadre, now))) {
            return outbox.toCadre(cadre.id, replies.onlyPassedOver({ number: kase.number, department: to.name, cadres: passedOver.map((c) => c.name) }), kase.id);
          }
          if (moves) await event('transferred', { from: kase.departmentId, to: to.id, reason: command.note });
          const holder = await this.dispatch.reassign(tx, {
            kase, now, outbox, departmentId: to.id, note: replies.assignNote(cadre.name, command.note),
            actor: { type: 'cadre', id: cadre.id }, reason: 'assign', words: command.note, exclude,
            ...(moves ? { restartLimits: true } : {}),
          });
          const assigned = await this.assigned(tx, kase, `${to.name}${holder.name}`, await tx.cadres.get(holder.id), cadre, now);
          return outbox.toCadre(cadre.id, assigned + replies.passedOver({ number: kase.number, cadres: passedOver.map((c) => c.name) }), kase.id);
        }
        if (target.id === kase.assigneeId) return outbox.toCadre(cadre.id, replies.alreadyHolds({ number: kase.number, cadre: target.name }), kase.id);
        // On leave (the roster's or 请假): a case given to someone away would only wait for its escalation.
        const leave = await this.leave.leaveOn(tx, target.id, now);
        if (leave) return outbox.toCadre(cadre.id, replies.cadreOnLeave({ cadre: target.name, from: leave.from, to: leave.to }));
        // A cadre of another department (the office placing an unclear matter) takes the case
        // into that department, on its clock; the office may hold any department's case.
        const office = this.config.township.officeDepartment;
        const moves = !target.departmentIds.includes(kase.departmentId) && !target.departmentIds.includes(office);
        if (moves) await event('transferred', { from: kase.departmentId, to: target.departmentIds[0], reason: command.note });
        await this.dispatch.reassign(tx, {
          kase, now, outbox, cadreId: target.id, note: replies.assignNote(cadre.name, command.note),
          actor: { type: 'cadre', id: cadre.id }, reason: 'assign', words: command.note,
          ...(moves ? { departmentId: target.departmentIds[0]!, restartLimits: true } : {}),
        });
        return outbox.toCadre(cadre.id, await this.assigned(tx, kase, target.name, target, cadre, now), kase.id);
      }
      case 'set-village': {
        const village = this.villages.matchName(command.village);
        if (!village) return outbox.toCadre(cadre.id, replies.noSuchVillage(command.village, this.config.villages.map((v) => v.name)));
        // For a village nobody knew; a known one is the resident's to correct ("我是东台村的"), which also reroutes.
        if (kase.villageId !== unknownVillageId) {
          return outbox.toCadre(cadre.id, replies.villageAlreadySet({ number: kase.number, village: this.dispatch.villageName(kase.villageId) }), kase.id);
        }
        const owner = await residentToChange();
        // 代办: the village is part of who the resident is (one per village and name), named by their cadre.
        if (owner.wechatId === null) return outbox.toCadre(cadre.id, replies.villageOfRelayed(kase.number), kase.id);
        const registered = await this.dispatch.setVillage(tx, { kase, resident: owner, villageId: village.id, actor: { type: 'cadre', id: cadre.id }, now });
        if (registered) {
          await tx.residents.save(owner, now);
          const other = this.config.villages.find((v) => v.id !== village.id)?.name ?? village.name;
          outbox.toResident(owner.id, replies.villageRegistered(village, other), kase.id);
        }
        await remember(tx, cadre, kase, now);
        return outbox.toCadre(
          cadre.id,
          replies.villageSet({ number: kase.number, resident: owner.name, village: village.name, residentTold: registered, office: cadre.role !== 'cadre' }),
          kase.id,
        );
      }
      case 'urge': {
        await event('urged', { text: command.text });
        const holder = kase.assigneeId ? await tx.cadres.get(kase.assigneeId) : null;
        if (holder) {
          outbox.toCadre(holder.id, replies.urge({ number: kase.number, by: cadre.name, text: command.text, accepted: kase.status !== 'assigned' }), kase.id);
        }
        // At night the holder reads it in the morning, and without a WeChat not at all: whoever urged is told.
        const readsAt = holder ? await this.readsAt(tx, kase, holder, now) : null;
        return outbox.toCadre(cadre.id, replies.urged({ number: kase.number, holder: holder?.name ?? null, readsAt, unbound: holder !== null && !holder.wechatId, office: cadre.role === 'office' }), kase.id);
      }
    }
  }

  /**
   * A case number alone (`kase`, locked): the photos and voices waiting for it (sent when the case was unclear)
   * go to its resident; with none waiting, the case waiting for this cadre's acceptance is
   * accepted; otherwise the cadre is told how to act on it.
   */
  private async caseNumber(tx: Repositories, message: InboundMessage, kase: Case, cadre: Cadre, outbox: Outbox, now: Date): Promise<void> {
    if (!mayAct(cadre, kase)) return outbox.toCadre(cadre.id, await notYoursReply(tx, cadre, kase));
    const held = await this.media.heldFor(tx, message.talkerId, kase, now);
    if (held.length > 0) {
      if (kase.status === 'closed') return outbox.toCadre(cadre.id, replies.caseIsDone(kase.number));
      await tx.inbound.linkToCase(held.map((m) => m.id), kase.id);
      return this.media.forward(tx, held, kase, cadre, outbox, now);
    }
    // A head or the office asking after someone else's case: where it stands.
    if (kase.assigneeId !== cadre.id) return outbox.toCadre(cadre.id, await this.views.status(tx, kase, cadre, now), kase.id);
    if (kase.status === 'assigned') return this.onCase(tx, { kind: 'accept', caseNumber: kase.number }, cadre, outbox, now);
    if (!openCaseStatuses.includes(kase.status)) return outbox.toCadre(cadre.id, replies.caseIsDone(kase.number));
    return outbox.toCadre(cadre.id, replies.caseNumberAlone({ number: kase.number, resident: (await tx.residents.get(kase.residentId)).name }));
  }

  /**
   * Whether, passing by `passedOver`, nobody of `departmentId` is left to take `kase` now while one
   * of them is: routing would give it to the office instead, which asked for the department.
   */
  private async onlyPassedOver(
    tx: Repositories, kase: Case, departmentId: string, exclude: ReadonlySet<string>, passedOver: readonly { id: string }[], by: Cadre, now: Date,
  ): Promise<boolean> {
    const member = (id: string) => this.config.cadres.some((c) => c.id === id && c.departments.includes(departmentId));
    if (member(await this.dispatch.onDuty(tx, departmentId, kase.villageId, now, exclude))) return false;
    const usual = await this.dispatch.onDuty(tx, departmentId, kase.villageId, now, new Set([by.id]));
    return passedOver.some((c) => c.id === usual);
  }

  /**
   * 派单 done. Whoever gave it is told when the holder has no WeChat linked yet (they see nothing of
   * it), when the case's village is not among those the holder covers (包片): a slip, or on purpose,
   * and when the holder reads it only in the morning (quiet hours).
   */
  private async assigned(tx: Repositories, kase: Case, named: string, holder: Cadre, by: Cadre, now: Date): Promise<string> {
    const unbound = holder.wechatId ? null : holder.name;
    const outside = holder.villageIds.length > 0 && kase.villageId !== unknownVillageId && !holder.villageIds.includes(kase.villageId)
      ? this.dispatch.villageName(kase.villageId)
      : null;
    const readsAt = await this.readsAt(tx, kase, holder, now);
    return replies.assigned({ number: kase.number, cadre: named, holder: holder.name, unbound, outside, office: by.role === 'office', readsAt });
  }

  /**
   * When the new holder of a case given on at night reads it: the end of the quiet hours; null
   * when it goes now (urgent, daytime, a holder writing to lianxin just then) or never (no WeChat).
   */
  private async readsAt(tx: Repositories, kase: Case, holder: Cadre, now: Date): Promise<string | null> {
    const { quietHours, timezone } = this.config.township;
    const morning = kase.priority === 'urgent' || !holder.wechatId ? null : quietUntil(now, quietHours, timezone);
    if (!morning || (await tx.cadres.wroteSince([holder.id], awakeSince(now))).length > 0) return null;
    return formatTime(morning, timezone);
  }

  /** 接单: the case is this cadre's and accepted, and its resident is told by whom. */
  private async take(tx: Repositories, kase: Case, cadre: Cadre, outbox: Outbox, now: Date): Promise<void> {
    if (kase.assigneeId !== cadre.id) {
      // A head or the office accepting someone else's case takes it over.
      await this.dispatch.reassign(tx, {
        kase, now, outbox, cadreId: cadre.id, note: null, actor: { type: 'cadre', id: cadre.id }, reason: 'take-over',
        keepAcceptLimit: true, tellResident: false, taking: true,
      });
    }
    markAccepted(kase, now);
    await tx.cases.save(kase, now);
    await tx.cases.appendEvent({ caseId: kase.id, at: now, actorType: 'cadre', actorId: cadre.id, type: 'accepted', data: {} });
    /** The resident knows the cadre by the cadre's own department (an office dispatcher is 党政办). */
    const actingAs = this.dispatch.departments.get(cadre.departmentIds.includes(kase.departmentId) ? kase.departmentId : cadre.departmentIds[0]!)!;
    outbox.toResident(kase.residentId, replies.residentAccepted({ number: kase.number, department: actingAs.name, cadre: cadre.name }), kase.id);
  }

  /**
   * `接单 1001 1002`: each of the cadre's own cases still waiting is accepted as by `接单 N`; one
   * confirmation names them, and every number that was not taken with why. Someone else's case is
   * not taken over in a list (a head takes one over with `接单 N`). `text`: words for the residents of
   * those taken and of his own accepted before, each sent as `回复 N` would.
   */
  private async acceptSeveral(tx: Repositories, numbers: readonly number[], cadre: Cadre, outbox: Outbox, now: Date, text?: string): Promise<void> {
    const taken: Case[] = [];
    const skipped: { number: number; why: 'missing' | 'not-yours' | 'moved' | 'accepted' | 'done'; holder?: string }[] = [];
    for (const [number, kase] of await tx.cases.lockByNumbers(numbers)) {
      const why = !kase ? 'missing' : kase.assigneeId !== cadre.id ? 'not-yours' : kase.status === 'accepted' ? 'accepted' : kase.status !== 'assigned' ? 'done' : null;
      // One given to him once and to someone else since: who holds it now, as for one number.
      if (why === 'not-yours' && kase!.assigneeId && (await tx.cases.wasAssignedTo(kase!.id, cadre.id))) {
        skipped.push({ number, why: 'moved', holder: (await tx.cadres.get(kase!.assigneeId)).name });
      } else if (why) skipped.push({ number, why });
      else taken.push(kase!);
    }
    for (const kase of taken) await this.take(tx, kase, cadre, outbox, now);
    const order = new Map(numbers.map((n, i) => [n, i]));
    const byOrder = <T extends { number: number }>(list: T[]) => list.sort((a, b) => order.get(a.number)! - order.get(b.number)!);
    // His words go to each of his own (taken now or before), as 回复 would send them; this confirmation stands for theirs.
    const told = text ? byOrder([...taken.map((c) => c.number), ...skipped.filter((c) => c.why === 'accepted').map((c) => c.number)].map((number) => ({ number }))) : [];
    const mark = outbox.mark();
    for (const { number } of told) await this.onCase(tx, { kind: 'reply', caseNumber: number, text: text! }, cadre, outbox, now, true);
    outbox.dropSince(mark, cadre.id);
    // One case taken is the case in front of the cadre; with several, what follows is for whom is unclear.
    const front = told.length > 0 ? told.length : taken.length;
    if (front === 1 && taken.length === 1) await remember(tx, cadre, taken[0]!, now);
    else if (front > 1) await tx.cadres.setContext(cadre.id, null);
    const residents = await tx.residents.names(taken.map((c) => c.residentId));
    outbox.toCadre(
      cadre.id,
      replies.acceptedSeveral({
        taken: byOrder(taken.map((c) => ({ number: c.number, resident: residents.get(c.residentId) ?? '' }))),
        skipped: byOrder(skipped.filter((c) => !(text && c.why === 'accepted'))),
        told: told.map((c) => c.number),
      }),
      taken.length === 1 ? taken[0]!.id : null,
    );
  }
}

/**
 * A second 办结 with words from the holder, while the resident has not rated yet: the note the first
 * one left out ("办结 1001", then "办结 1001 已指导打药"). The same note again, or none, is a repeat.
 */
function addsResolutionNote(command: CaseCommand, kase: Case, cadre: Cadre): boolean {
  if (command.kind !== 'resolve' || !command.note || kase.status !== 'resolved' || kase.assigneeId !== cadre.id) return false;
  return !(kase.resolutionNote ?? '').split('；').includes(command.note);
}

/** Whether the command carries words for the case's resident: 回复, 接单 with words, 办结 with its note. */
function carriesWords(command: CaseCommand): boolean {
  return command.kind === 'reply' || (command.kind === 'accept' && !!command.text) || (command.kind === 'resolve' && !!command.note);
}

