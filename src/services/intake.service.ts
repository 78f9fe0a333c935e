/**
 * What happens to one inbound message: recorded exactly once, then — inside the same
 * transaction — the resident's dialog moves on, a case is opened or extended, and every
 * reply is written to the outbox. The caller enqueues the outbox rows after commit. The
 * department menu is asked in department-menu.ts, the new-matter question in new-matter-question.ts.
 */
import type { Config, VillageConfig } from '../config/schema.js';
import type { Database, Repositories } from '../db/database.js';
import type { Cadre } from '../db/entities/cadre.entity.js';
import type { Case } from '../db/entities/case.entity.js';
import type { InboundMessage } from '../db/entities/inbound-message.entity.js';
import type { Resident } from '../db/entities/resident.entity.js';
import { openCaseStatuses, unknownVillageId } from '../domain/case.js';
import { isUrgent, type DepartmentClassifier } from '../domain/classify.js';
import {
  asksProgress, asksToBook, asksWhoWeAre, bareWords, caseAsked, cleanText, isBlank, isEmojiOnly, isGreeting, isNewProblem, isPleasantry, isThanks, matterParts, matterText, parseMenuNumber, saysNotFixed, saysOnlyWhoSheIs, splitQuote,
} from '../domain/text.js';
import { quotedCaseNumber, quotedVisitWords } from '../domain/quote.js';
import { saysOnlyGroup, selfIntroduction, villageClaim } from '../domain/village-claim.js';
import type { VillageMatcher } from '../domain/village-match.js';
import type { InboundMessageDto } from '../queue/jobs.js';
import type { Delivery } from '../db/repositories/outbox.repository.js';
import { fileForWithoutSpaces, isPlaceholder, looksLikeCommand, parseCadreCommand, type CadreCommand, type CommandKind } from '../domain/commands.js';
import type { CadreCommandService } from './cadre-commands.service.js';
import { recentSince } from './cadre-context.js';
import { askPendingRating, parseRating, type CallbackService } from './callback.service.js';
import type { BookingService } from './booking.service.js';
import { answersCadre } from './booking-conversation.js';
import { CasesAsked } from './case-asked.js';
import { parseBookingWord } from './booking-words.js';
import type { Clock } from './clock.js';
import { DepartmentMenus, matterMessages } from './department-menu.js';
import { filedFor } from './filed-for.js';
import { overFloodLimit } from './flood.js';
import { describe, earlierMatterSince, type DispatchService } from './dispatch.service.js';
import { NewMatters } from './new-matter-question.js';
import { Outbox } from './outbox.js';
import { exampleVillage, replies } from './replies.js';

/** Cadre commands a resident may type by mistake; they get a polite refusal. */
const residentRefused = new Set<CommandKind>([
  'accept', 'reply', 'resolve', 'transfer', 'send-back', 'extend', 'approve-extension', 'reject-extension', 'assign', 'urge',
  'tasks', 'overdue', 'issue-bind-code', 'complete-booking', 'no-show', 'day-bookings', 'stats', 'set-village',
]);

/** Wrong `绑定` codes one contact may send in a day. */
const maxWrongBindCodes = 5;

export type IntakeOutcome =
  | 'room-ignored'
  | 'cadre-message'
  /** A cadre's photo or voice waiting for its case number; `media-lapsed` once the sweep found nobody gave it. */
  | 'media-held'
  | 'media-lapsed'
  | 'empty'
  | 'asked-village'
  | 'village-registered'
  | 'asked-department'
  /** Another department's matter while a case is open: new, or more about the case? (See NewMatterQuestion.) */
  | 'asked-new-matter'
  | 'case-opened'
  | 'added-to-case'
  | 'bound'
  | 'bind-refused'
  | 'command-refused'
  | 'menu'
  | 'pleasantry'
  | 'greeting'
  | 'other-noted'
  | 'no-question'
  | 'status-listed'
  | 'rated'
  | 'asked-rating'
  | 'booking'
  /** A cadre's words to a visit's resident; her answer to them, passed on to him (see BookingConversation). */
  | 'booking-words'
  | 'booking-answer'
  | 'rate-limit-notice'
  | 'rate-limited';

export interface IntakeDeps {
  db: Database;
  config: Config;
  clock: Clock;
  classifier: DepartmentClassifier;
  villages: VillageMatcher;
  dispatch: DispatchService;
  cadreCommands: CadreCommandService;
  callbacks: CallbackService;
  bookings: BookingService;
}

export class IntakeService {
  private readonly newMatters: NewMatters;
  private readonly menus: DepartmentMenus;
  private readonly casesAsked: CasesAsked;

  constructor(private readonly deps: IntakeDeps) {
    this.newMatters = new NewMatters(deps);
    this.menus = new DepartmentMenus(deps);
    this.casesAsked = new CasesAsked(deps);
  }

  /** Returns the outbox rows to enqueue; none when the message was handled before. */
  async handle(dto: InboundMessageDto): Promise<Delivery[]> {
    return this.deps.db.transaction(async (tx) => {
      const message = await tx.inbound.recordAndLock(dto);
      if (message.handledAt) return [];
      const now = this.deps.clock();
      const outbox = new Outbox(tx, now, message.id, this.deps.config.township);
      message.outcome = await this.route(tx, message, outbox, now);
      message.handledAt = now;
      await tx.inbound.finish(message);
      return outbox.flush(message.cadreId);
    });
  }

  private async route(tx: Repositories, message: InboundMessage, outbox: Outbox, now: Date): Promise<IntakeOutcome> {
    // Group chats are recorded but not answered: the bot serves one-to-one conversations.
    if (message.roomId) return 'room-ignored';

    const text = message.kind === 'text' ? cleanText(message.text) : '';
    const command = text ? parseCadreCommand(text) : null;
    if (command?.kind === 'bind') return this.bind(tx, message, command.code, outbox, now);

    const cadre = await tx.cadres.findActiveByWechatId(message.talkerId);
    if (cadre) {
      message.cadreId = cadre.id;
      if (command?.kind === 'file-for') return this.fileFor(tx, message, cadre, command, outbox, now);
      // "代办张大爷东山村家里漏水": one word, taken apart at the village when that is clear.
      const glued = command?.kind === 'malformed' ? fileForWithoutSpaces(text) : null;
      if (glued) return this.fileFor(tx, message, cadre, glued, outbox, now);
      const relayed = message.kind === 'text' || message.kind === 'other' ? null : await this.relayedMedia(tx, message, cadre, outbox, now);
      if (relayed) return relayed;
      return (await this.deps.cadreCommands.handle(tx, message, cadre, outbox, now)) ?? 'cadre-message';
    }

    const resident = await tx.residents.lockOrCreate(message.talkerId, message.talkerName, now);
    message.residentId = resident.id;
    const flood = await overFloodLimit(tx, message, this.deps.config.township.residentMessagesPerMinute, outbox);
    if (flood) return flood;
    if (message.kind === 'text' && isBlank(text)) {
      outbox.toResident(resident.id, replies.emptyMessage());
      return 'empty';
    }
    // "回复 1 满意" follows the rating question's own words: a rating, not a cadre command; and
    // "回复1001 明天在家" about the resident's own case is a follow-up.
    // "回复1001 139 1234 5678": her case's number and her words (several numbers are a cadre's list).
    const asOne = command?.kind === 'on-several' ? command.single : command;
    const refusable = asOne !== null && residentRefused.has(asOne.kind) && looksLikeCommand(text) && !parseRating(text);
    const own = asOne && (refusable || asOne.kind === 'reply') ? await ownCase(tx, asOne, resident) : null;
    if (refusable && !own) {
      outbox.toResident(resident.id, replies.commandForCadres());
      return 'command-refused';
    }
    // "回复1001 在家等着呢", copied from a cadre's form, to a case of hers still being worked on or
    // waiting for her rating: her words are for that case, without the prefix.
    if (asOne?.kind === 'reply' && own && own.status !== 'closed') {
      return this.conversation(tx, resident, message, asOne.text, outbox, now, own.number);
    }
    return this.conversation(tx, resident, message, text, outbox, now);
  }

  /**
   * The resident's message in the conversation; the resident row is written when it changed.
   * `addressed`: the number of her case she wrote to as a cadre would ("回复1001 …"; `text` is then
   * her words after it).
   */
  private async conversation(
    tx: Repositories,
    resident: Resident,
    message: InboundMessage,
    text: string,
    outbox: Outbox,
    now: Date,
    addressed?: number,
  ): Promise<IntakeOutcome> {
    const before = residentState(resident);
    const asked = resident.dialog;
    const outcome = await this.converse(tx, resident, message, text, outbox, now, addressed);
    if (asked?.kind === 'booking' && asked.heldMenu && resident.dialog?.kind !== 'booking') await this.menus.again(tx, resident, asked.heldMenu, outbox, now);
    if (asked && !resident.dialog) await askPendingRating(tx, resident, outbox);
    if (residentState(resident) !== before) await tx.residents.save(resident, now);
    return outcome;
  }

  private async converse(
    tx: Repositories,
    resident: Resident,
    message: InboundMessage,
    text: string,
    outbox: Outbox,
    now: Date,
    addressed?: number,
  ): Promise<IntakeOutcome> {
    const answered = resident.dialog?.kind === 'ask-new-matter' ? await this.newMatters.answer(tx, resident, resident.dialog, message, text, outbox, now) : null;
    if (answered) return answered;
    const { config, villages } = this.deps;
    const dialog = resident.dialog;
    const word = bareWords(text);
    // A quote reply (引用) to lianxin's message about one of the resident's cases (a cadre's
    // reply, the rating question) is about that case, whichever case is newest; so are words she
    // wrote to one of her cases by its number ("回复1001 …").
    const quote = message.kind === 'text' ? splitQuote(message.text) : null;
    const quoted = addressed ?? (quote ? quotedCaseNumber(quote.quoted) : null);

    if (word === '菜单' || word === '帮助') {
      outbox.toResident(resident.id, replies.residentMenu());
      return 'menu';
    }
    // "我是东山村的": the village registered from a mention was someone else's (a relative's) — said
    // with nothing else asked, or at the department menu right after the village was registered.
    // With a case open its holder reads it too; "我在东山村" (where one is now) then answers them only.
    // (Not for a resident without WeChat: the cadre who files for them names the village.)
    const mayClaim = resident.villageId && !resident.relayCadreId && message.kind === 'text' && (!dialog || dialog.kind === 'ask-department');
    const claimed = mayClaim ? villageClaim(text) : null;
    const moved = claimed ? villages.matchNameAndGroup(claimed.village) : null;
    // Locked: a holder's 接单 at this moment is seen before the case is moved to another village.
    const openCase = moved ? await tx.cases.lockOpenForResident(resident.id) : null;
    if (moved && (claimed!.identity || !openCase)) {
      const changed = moved.id !== resident.villageId;
      resident.villageId = moved.id;
      outbox.toResident(resident.id, changed ? replies.villageChanged(moved) : replies.villageAlready(moved));
      if (openCase && openCase.status === 'assigned' && openCase.villageId !== moved.id) {
        // Nobody has taken it yet: it goes to the cadre of the right village, and its history says
        // whose word moved it (village-set, as the office's 定村 writes).
        const actor = { type: 'resident', id: String(resident.id) } as const;
        await this.deps.dispatch.setVillage(tx, { kase: openCase, resident, villageId: moved.id, actor, now });
        message.caseId = openCase.id;
        await this.deps.dispatch.reassign(tx, {
          kase: openCase, now, outbox, note: replies.notesForCadre.villageCorrected, actor, reason: 'village-corrected',
        });
      } else if (openCase) {
        await this.deps.dispatch.passToHolder(tx, { kase: openCase, resident, message, outbox, now });
      }
      return 'village-registered';
    }
    if (word === '查询') {
      outbox.toResident(resident.id, await this.deps.callbacks.statusList(tx, resident));
      return 'status-listed';
    }
    // A photo or voice is no answer to a booking menu: with a case open it is for the case's
    // holder, and the booking question stays; otherwise the dialog asks for words — until a second
    // voice in a row at the question: whoever cannot type is not made to; the office listens.
    if (message.kind !== 'text' && dialog?.kind === 'booking' && Date.parse(dialog.expiresAt) > now.getTime()) {
      const open = await tx.cases.findOpenForResident(resident.id);
      if (open) {
        await this.deps.dispatch.addToCase(tx, { kase: open, resident, message, outbox, now });
        return 'added-to-case';
      }
      if (message.kind === 'voice' && dialog.voiceIds?.length) {
        resident.dialog = null;
        outbox.toResident(resident.id, replies.voiceLeftBooking());
        const voices = await matterMessages(tx, dialog.voiceIds, message);
        await this.deps.dispatch.openCase(tx, { resident, messages: voices, departmentId: config.township.officeDepartment, unclear: true, outbox, now });
        return 'case-opened';
      }
    }
    // Her case named by its number ("回复1001 …") or by the message quoted, while it is not closed.
    const named = quoted !== null ? await tx.cases.lockByNumber(quoted) : null;
    const namedCase = named?.residentId === resident.id && named.status !== 'closed' ? named : null;
    // Words to a case of hers ("回复1001 明天不去了", "回复1001 满意") are that case's, not her bookings'. With
    // another question in front of her (a booking's, the department menu), they go to the case now and the
    // question stays (another case's rating question is asked again); so do words to a resolved case with
    // nothing asked. Words to an open case with nothing asked, and to the case whose rating is asked, go below.
    const itsRatingAsked = dialog?.kind === 'callback' && dialog.caseId === namedCase?.id;
    if (namedCase && !itsRatingAsked && (dialog !== null || namedCase.status === 'resolved')) {
      return this.toNamedCase(tx, resident, namedCase, message, text, outbox, now);
    }
    if (resident.villageId && !namedCase && (await this.deps.bookings.residentMessage(tx, resident, text, outbox, now))) {
      // A booking question in front of the department menu of a matter she told ("取消预约", "改约" there)
      // holds the menu, and so does each question of that booking after it (see DepartmentMenus.again).
      const held = dialog?.kind === 'ask-department' ? dialog : dialog?.kind === 'booking' ? dialog.heldMenu : undefined;
      if (held && resident.dialog?.kind === 'booking') resident.dialog = { ...resident.dialog, heldMenu: held };
      // Voices in a row at one question are counted (above); anything else, or another question, starts anew.
      const asked = resident.dialog?.kind === 'booking' ? resident.dialog : null;
      if (asked && (message.kind === 'voice' || asked.voiceIds)) {
        const { voiceIds, ...rest } = asked;
        const inRow = dialog?.kind === 'booking' && dialog.step === asked.step ? (voiceIds ?? []) : [];
        resident.dialog = message.kind === 'voice' ? { ...rest, voiceIds: [...inRow, message.id] } : rest;
      }
      return 'booking';
    }
    // Right after a cadre wrote to her about her visit ("好的，牛已经圈好了"), or later quoting his words: his
    // to read, not a new matter — with nothing asked of her but maybe the rating, which a clear rating
    // answers. Read from her row and the quote: an ordinary message runs no query for it.
    const visitWords = quote && quoted === null ? quotedVisitWords(quote.quoted) : null;
    const answering = (visitWords !== null || answersCadre(resident, config, now)) && !namedCase && !isNewProblem(text);
    const question = resident.dialog;
    if (answering && (!question || (question.kind === 'callback' && !parseRating(text, false)))) {
      if (await this.deps.bookings.conversation.answer(tx, resident, message, text, outbox, now, visitWords)) return 'booking-answer';
    }
    if (isNewProblem(text) && resident.villageId) {
      if (!matterText(text)) {
        outbox.toResident(resident.id, replies.newProblemEmpty());
        return 'menu';
      }
      const pending = dialog?.kind === 'ask-department' ? dialog.pendingMessageIds : [];
      // The menu's matter is taken up with this one: the menu is no longer in front of the resident.
      if (dialog?.kind === 'ask-department') resident.dialog = null;
      return this.takeUp(tx, resident, await matterMessages(tx, pending, message), outbox, now);
    }
    // "1001", "#1001", "查询 1001": one of her cases asked after by its number (at the rating question or
    // the department menu too, which stay in front of her). Read on the text first: no query otherwise.
    const askedAfter = resident.villageId && quoted === null && (!dialog || dialog.kind === 'callback' || dialog.kind === 'ask-department') ? caseAsked(text) : null;
    const listed = askedAfter ? await this.casesAsked.answer(tx, resident, askedAfter, outbox, now) : null;
    if (listed) return listed;
    if (dialog?.kind === 'callback') {
      // "不行" may answer the newer case's cadre; "3" or "不满意" answers the question.
      if (!parseRating(text, false)) {
        const rated = await tx.cases.lockById(dialog.caseId);
        // A case opened after the rating question was asked is what the resident is talking about,
        // unless they quote a message about the rated one.
        const open = quoted !== null && quoted === rated?.number ? null : await tx.cases.findOpenForResident(resident.id);
        if (open && rated?.resolvedAt && open.createdAt > rated.resolvedAt) {
          await this.deps.dispatch.addToCase(tx, { kase: open, resident, message, outbox, now });
          return 'added-to-case';
        }
        // A new matter of another department ("路灯又坏了" after the rice case) is taken up; the
        // rating stays asked. The same department's words are likely about the case just rated.
        const departmentId = text ? this.deps.classifier.classify(text).departmentId : null;
        if (departmentId && rated && rated.departmentId !== departmentId) {
          await this.deps.dispatch.openCase(tx, { resident, messages: [message], departmentId, unclear: false, outbox, now });
          return 'case-opened';
        }
      }
      // Otherwise the rating question was the last thing asked: a reply is read as its answer first.
      const answered = await this.deps.callbacks.answer(tx, resident, dialog.caseId, message, text, outbox, now);
      return answered ? 'rated' : 'asked-rating';
    }

    if (dialog?.kind === 'ask-village' && resident.villageId) {
      // The office set her village (定村 on an earlier case) while the question was open, and told
      // her so: the question is answered, and what she said meanwhile is her matter.
      resident.dialog = null;
      const matter = (await matterMessages(tx, dialog.pendingMessageIds, message)).filter((m) => !saysNothing(m));
      if (matter.length > 0) return this.takeUp(tx, resident, matter, outbox, now);
      outbox.toResident(resident.id, replies.greeting());
      return 'greeting';
    }
    if (dialog?.kind === 'ask-village') {
      const village = text ? villages.match(text) : null;
      if (!village && message.kind === 'text' && asksWhoWeAre(text)) {
        outbox.toResident(resident.id, replies.whoWeAreAskVillage(config.township.name, dialog.attempts > 0 ? config.villages : []));
        return 'asked-village';
      }
      // "谢谢", "好的", "在吗" while the village is asked: a short nudge, not the menu again, and no
      // part of her matter.
      if (!village && message.kind === 'text' && (isPleasantry(text) || isGreeting(text))) {
        outbox.toResident(resident.id, replies.villageNudge(!isPleasantry(text) ? 'greeting' : isThanks(text) ? 'thanks' : 'nod'));
        return isPleasantry(text) ? 'pleasantry' : 'greeting';
      }
      if (!village && (await this.aboutBookings(tx, resident, message, text, outbox, now))) return 'booking';
      // A second voice message while the village is asked: the number is not coming. Whoever
      // cannot type is not made to: the office listens, finds the village out and places the matter.
      if (!village && message.kind === 'voice') {
        const told = await matterMessages(tx, dialog.pendingMessageIds, message);
        if (told.filter((m) => m.kind === 'voice').length >= 2) {
          resident.dialog = null;
          outbox.toResident(resident.id, replies.voiceToOffice());
          await this.deps.dispatch.openCase(tx, {
            resident, messages: told.filter((m) => !saysNothing(m)), departmentId: config.township.officeDepartment, unclear: true, outbox, now,
          });
          return 'case-opened';
        }
      }
      if (!village) {
        // Not an answer (often the matter, typed on in several messages): keep it and ask again;
        // the menu is right above the first time, so it is repeated from the second time on.
        resident.dialog = { ...dialog, pendingMessageIds: [...dialog.pendingMessageIds, message.id], attempts: dialog.attempts + 1 };
        outbox.toResident(resident.id, replies.reaskVillage(dialog.attempts > 0 ? config.villages : [], message.kind === 'voice'));
        return 'asked-village';
      }
      resident.villageId = village.id;
      resident.dialog = null;
      outbox.toResident(resident.id, this.registered(village));
      // "东山村，我家的猪发烧了" answers the question and adds to the matter; a "你好" before it is none.
      const saysMore = text.length > village.name.length + 4;
      // Nor are tries at the village's name before the one understood ("冬山", then "1"), nor a sticker.
      const matter = (await matterMessages(tx, dialog.pendingMessageIds, saysMore ? message : null)).filter(
        (m) => !(saysNothing(m) || (m.kind === 'text' && (villages.triedToName(describe(m), village) || saysOnlyGroup(describe(m))))),
      );
      if (matter.length === 0) outbox.toResident(resident.id, replies.greeting());
      else await this.takeUp(tx, resident, matter, outbox, now);
      return 'village-registered';
    }

    if (!resident.villageId) {
      // The office holds the matter of a resident who never said the village: what she sends
      // next is for it, not a new village question; naming the village now registers it.
      const open = await tx.cases.findOpenForResident(resident.id);
      if (open && isNewProblem(text)) {
        if (!matterText(text)) {
          outbox.toResident(resident.id, replies.newProblemEmpty());
          return 'menu';
        }
        // Another matter: the office's too, as long as her village is unknown.
        await this.deps.dispatch.openCase(tx, { resident, messages: [message], departmentId: config.township.officeDepartment, unclear: true, outbox, now });
        return 'case-opened';
      }
      if (open) return this.toCaseWithoutVillage(tx, resident, open, message, text, outbox, now);
      if (await this.aboutBookings(tx, resident, message, text, outbox, now)) return 'booking';
      // "俺是东胜村的，低保咋停了", or the village alone: she said it herself, so it is not asked.
      const introduced = message.kind === 'text' ? selfIntroduction(text, villages) : null;
      if (introduced) {
        resident.villageId = introduced.village.id;
        outbox.toResident(resident.id, this.registered(introduced.village));
        if (!introduced.saysMore) {
          outbox.toResident(resident.id, replies.greeting());
          return 'village-registered';
        }
        await this.takeUp(tx, resident, [message], outbox, now);
        return 'village-registered';
      }
      resident.dialog = { kind: 'ask-village', pendingMessageIds: [message.id], attempts: 0, askedAt: now.toISOString() };
      // "你好", 🙏 or a sticker tells nothing: nothing is "noted", and the matter is asked for once the village is known.
      // "俺是上湾组的": her group, not yet her village, and no matter either.
      const noMatter = saysNothing(message) || (message.kind === 'text' && saysOnlyGroup(text));
      outbox.toResident(resident.id, replies.askVillage(config.township.name, config.villages, noMatter, message.kind === 'voice'));
      return 'asked-village';
    }

    if (dialog?.kind === 'ask-department') return this.menus.answer(tx, resident, dialog, message, text, outbox, now);

    // A rating sent without the question in front (it was overtaken by another one): the case
    // waiting for it takes it.
    // Written to one of her open cases ("回复1001 满意"), they are its words (below).
    if (!dialog && parseRating(text, false) && !namedCase) {
      const waiting = await tx.cases.awaitingRating(resident.id);
      if (waiting) {
        const rated = await this.deps.callbacks.answer(tx, resident, waiting.id, message, text, outbox, now);
        if (rated) return 'rated';
      }
    }

    const open = await tx.cases.openForResident(resident.id);
    if (open.length > 0) {
      // Words quoting a message about one open case go to it; words of one open case's department,
      // to that case; others to the newest. An emergency of another department ("猪病死了好几头"
      // while a street-light case is open) must not wait with the wrong cadre: it is a case of its own.
      const classified = text ? this.deps.classifier.classify(text) : null;
      const same = open.find((c) => c.departmentId === classified?.departmentId);
      const department = classified?.departmentId && !same ? this.deps.dispatch.departments.get(classified.departmentId) : undefined;
      if (department && isUrgent(department, text)) {
        await this.deps.dispatch.openCase(tx, { resident, messages: [message], departmentId: department.id, unclear: false, outbox, now });
        return 'case-opened';
      }
      // "1001咋样了": the case asked about, by its number; a number not among her open cases gets
      // all of hers (查询), not another case's answer.
      const asked = message.kind === 'text' ? asksProgress(text)?.caseNumber : null;
      const named = open.find((c) => c.number === (quoted ?? asked));
      if (asked && !named && quoted === null) {
        outbox.toResident(resident.id, await this.deps.callbacks.statusList(tx, resident));
        return 'status-listed';
      }
      const kase = named ?? same ?? open[0]!;
      // Another department's matter that does not read as about her cases: she is asked once, and
      // her words wait on the question.
      if (
        department && !named && !resident.dialog && !resident.relayCadreId && message.kind === 'text' &&
        (await this.newMatters.mayBeNew(tx, text, open, classified!, now))
      ) {
        return this.newMatters.ask(resident, message, kase, department, outbox, now);
      }
      await this.deps.dispatch.addToCase(tx, { kase, resident, message, outbox, now, otherOpenCases: open.length > 1 });
      return 'added-to-case';
    }
    // "谢谢", "好的" after a case is closed: nothing to take up.
    if (message.kind === 'text' && isPleasantry(text)) {
      outbox.toResident(resident.id, replies.youAreWelcome());
      return 'pleasantry';
    }
    if (message.kind === 'text' && asksWhoWeAre(text)) {
      outbox.toResident(resident.id, replies.whoWeAre(config.township.name));
      return 'greeting';
    }
    // "我的事怎么样了" days after her case was done: where her cases stand, not a department menu
    // for the question (and no case of it for the office). Without any case here she may mean a
    // matter told elsewhere (a phone call): taken up below, it reaches a cadre.
    if (message.kind === 'text' && asksProgress(text) && (await tx.cases.forResident(resident.id, 1)).length > 0) {
      outbox.toResident(resident.id, await this.deps.callbacks.statusList(tx, resident, true));
      return 'status-listed';
    }
    // "你好", "有人吗": the matter is still to come; no department menu for a greeting.
    if (message.kind === 'text' && isGreeting(text)) {
      outbox.toResident(resident.id, replies.greeting());
      return 'greeting';
    }
    // A sticker, a shared link or card with no case open, or emoji alone: nothing to take up, and no menu for it.
    if (message.kind === 'other' || (message.kind === 'text' && isEmojiOnly(text))) {
      outbox.toResident(resident.id, replies.otherNoted());
      return 'other-noted';
    }
    // A bare "2" answers a question no longer in front of the resident (a booking dialog that
    // lapsed, a menu long gone): no matter to take up.
    if (parseMenuNumber(text) !== null) {
      outbox.toResident(resident.id, replies.noQuestion());
      return 'no-question';
    }
    // A photo or file shortly after a case was done (the invoice its cadre asked for) is for that
    // cadre; a sticker is no such thing.
    if (message.kind === 'image' || message.kind === 'file' || message.kind === 'video' || message.kind === 'location') {
      const since = new Date(now.getTime() - this.deps.config.township.caseRules.callbackTimeoutMinutes * 60_000);
      const done = await tx.cases.resolvedSince(resident.id, since);
      if (done) {
        await this.deps.dispatch.addToCase(tx, { kase: done, resident, message, outbox, now });
        return 'added-to-case';
      }
    }
    return this.takeUp(tx, resident, [message], outbox, now);
  }

  /** New-matter questions nobody answered by their expiry (see {@link NewMatters.settleUnanswered}). Run by the sweep. */
  settleUnansweredNewMatters(): Promise<Delivery[]> {
    return this.newMatters.settleUnanswered();
  }

  /**
   * Matters waiting at a department menu or a village question nobody answered for
   * `departmentMenuMinutes` (an elderly resident who gave up on the list) go to the office
   * dispatcher, as 不清楚 would: nothing stays with no one. Without a village the office finds it
   * out (定村). Run by the sweep; returns the outbox rows to enqueue.
   */
  async placeUnansweredMatters(): Promise<Delivery[]> {
    const { db, config, clock, dispatch } = this.deps;
    const now = clock();
    const askedBefore = new Date(now.getTime() - config.township.caseRules.departmentMenuMinutes * 60_000);
    return db.transaction(async (tx) => {
      const outbox = new Outbox(tx, now, null, config.township);
      for (const resident of await tx.residents.withUnansweredQuestion(askedBefore)) {
        const dialog = resident.dialog;
        if (dialog?.kind !== 'ask-department' && dialog?.kind !== 'ask-village') continue;
        resident.dialog = null;
        const messages = await matterMessages(tx, dialog.pendingMessageIds, null);
        const office = config.township.officeDepartment;
        if (dialog.kind === 'ask-village') {
          // A greeting or a sticker alone ("你好", then nothing) is no matter for anyone.
          const matter = messages.filter((m) => !saysNothing(m));
          if (matter.length > 0) {
            outbox.toResident(resident.id, replies.villageQuestionClosed());
            await dispatch.openCase(tx, { resident, messages: matter, departmentId: office, unclear: true, outbox, now });
          }
        } else {
          await this.menus.toOffice(tx, resident, dialog, outbox, now);
        }
        await askPendingRating(tx, resident, outbox);
        await tx.residents.save(resident, now);
      }
      return outbox.flush();
    });
  }

  /**
   * A message from a resident without a village whose matter the office holds: naming the village
   * ("东台村", "我是东台村的") registers it and gives the case its village; anything else joins the case.
   */
  private async toCaseWithoutVillage(
    tx: Repositories,
    resident: Resident,
    kase: Case,
    message: InboundMessage,
    text: string,
    outbox: Outbox,
    now: Date,
  ): Promise<IntakeOutcome> {
    const { villages, dispatch } = this.deps;
    const said = message.kind === 'text' ? (villageClaim(text)?.village ?? text) : '';
    // A number alone answers the village menu she was shown last ("7" once the office took the
    // matter); once a cadre asked her something ("您家几口人？"), it is her answer to that.
    const number = said ? parseMenuNumber(said) : null;
    const menuNumber = number !== null && !(await tx.cases.lastReply(kase.id)) ? number : null;
    const village = menuNumber !== null ? villages.match(said) : said ? villages.matchNameAndGroup(said) : null;
    // Locked before its village is written: a 派单 committed meanwhile is not written back over.
    const locked = village && kase.villageId === unknownVillageId ? await tx.cases.lockById(kase.id) : null;
    if (!village || locked?.villageId !== unknownVillageId) {
      await dispatch.addToCase(tx, { kase: locked ?? kase, resident, message, outbox, now });
      return 'added-to-case';
    }
    await dispatch.setVillage(tx, { kase: locked, resident, villageId: village.id, actor: { type: 'resident', id: String(resident.id) }, now });
    outbox.toResident(resident.id, this.registered(village));
    // Its holder reads it as her words, under the village now known; a number with the village it stood for.
    const words = menuNumber !== null ? replies.villageMenuChoice(text, menuNumber, village.name) : undefined;
    await dispatch.passToHolder(tx, { kase: locked, resident, message, outbox, now, words });
    return 'village-registered';
  }

  /**
   * "取消预约 101", "改约 101", "我的预约" before her village is known (a daughter's own WeChat, about the
   * visit booked from her mother's): about bookings, which need no village; answered now, and no part
   * of a matter. (预约 itself waits for the village: the services are the village's.)
   */
  private async aboutBookings(tx: Repositories, resident: Resident, message: InboundMessage, text: string, outbox: Outbox, now: Date): Promise<boolean> {
    const kind = message.kind === 'text' ? parseBookingWord(text)?.kind : undefined;
    if (kind !== 'cancel' && kind !== 'reschedule' && kind !== 'mine') return false;
    return this.deps.bookings.residentMessage(tx, resident, text, outbox, now);
  }

  /** "好的，已登记您是东台村的。…", with another village as the example of a correction. */
  private registered(village: VillageConfig): string {
    const other = this.deps.config.villages.find((v) => v.id !== village.id)?.name ?? village.name;
    return replies.villageRegistered(village, other);
  }

  /** Her words to one of her cases by name: its holder's while it is worked on; once resolved, an answer to its rating question. */
  private async toNamedCase(
    tx: Repositories,
    resident: Resident,
    kase: Case,
    message: InboundMessage,
    text: string,
    outbox: Outbox,
    now: Date,
  ): Promise<IntakeOutcome> {
    if (openCaseStatuses.includes(kase.status)) {
      await this.deps.dispatch.addToCase(tx, { kase, resident, message, outbox, now });
      return 'added-to-case';
    }
    return (await this.deps.callbacks.answer(tx, resident, kase.id, message, text, outbox, now)) ? 'rated' : 'asked-rating';
  }

  /** The resident's matter is complete: open a case if the department is clear, else ask. */
  private async takeUp(
    tx: Repositories,
    resident: Resident,
    messages: InboundMessage[],
    outbox: Outbox,
    now: Date,
  ): Promise<IntakeOutcome> {
    // "预约" sent before the village was known, alone or after words asking for a visit ("我想给我儿子
    // 约个上门的", then "预约"): the booking starts now. After a matter some department is clear
    // for, that matter becomes a case first; words that place nothing keep the word with them.
    const bookingWord = messages.find((m) => m.kind === 'text' && parseBookingWord(describe(m))?.kind === 'start');
    if (bookingWord) {
      const rest = messages.filter((m) => m !== bookingWord);
      const restText = rest.filter((m) => m.kind === 'text').map(describe).join('\n');
      const aboutTheVisit = rest.every((m) => m.kind === 'text' && (asksToBook(describe(m)) || isGreeting(describe(m)) || isPleasantry(describe(m))));
      if (aboutTheVisit || this.deps.classifier.classify(restText).departmentId) {
        const outcome = aboutTheVisit ? null : await this.takeUp(tx, resident, rest, outbox, now);
        if (await this.deps.bookings.residentMessage(tx, resident, describe(bookingWord), outbox, now)) return outcome ?? 'booking';
        if (outcome) return outcome;
      }
    }
    const text = messages.filter((m) => m.kind === 'text').map(describe).join('\n');
    const result = this.deps.classifier.classify(text);
    // "路灯坏了，还有低保的事": two matters, each clear for another department, which together
    // place none. A menu would send both to one department; each becomes a case of its own.
    const parts = result.departmentId || messages.some((m) => m.kind !== 'text') ? [] : this.separateMatters(text);
    if (parts.length > 1) {
      outbox.toResident(resident.id, replies.mattersSeparated(parts.length));
      for (const part of parts) {
        await this.deps.dispatch.openCase(tx, { resident, messages, departmentId: part.departmentId, unclear: false, description: part.text, outbox, now });
      }
      return 'case-opened';
    }
    if (result.departmentId) {
      await this.deps.dispatch.openCase(tx, { resident, messages, departmentId: result.departmentId, unclear: false, outbox, now });
      return 'case-opened';
    }
    const office = this.deps.config.township.officeDepartment;
    // Told by voice, with no words that place it (often only tries at the village's name): a menu
    // to type into is the wrong answer; the office listens and assigns.
    if (messages.some((m) => m.kind === 'voice')) {
      await this.deps.dispatch.openCase(tx, { resident, messages, departmentId: office, unclear: true, outbox, now });
      return 'case-opened';
    }
    // "还没修好", "灯又坏了" after a case of hers was done: most likely that matter, not over. Its
    // department comes first on the menu, the case named, so one "1" gives it back to them.
    const done = saysNotFixed(text) ? await tx.cases.resolvedSince(resident.id, earlierMatterSince(now)) : null;
    return this.menus.ask(resident, messages, result, outbox, now, done?.departmentId !== office ? done : null);
  }

  /** The matters of `text` (see {@link matterParts}) when each is clear for a department of its own; none otherwise. */
  private separateMatters(text: string): { text: string; departmentId: string }[] {
    const parts = matterParts(text).map((part) => ({ text: part, departmentId: this.deps.classifier.classify(part).departmentId }));
    const departments = new Set(parts.map((p) => p.departmentId));
    if (parts.length < 2 || departments.has(null) || departments.size < parts.length) return [];
    if (parts.some((p) => saysOnlyWhoSheIs(p.text))) return [];
    return parts as { text: string; departmentId: string }[];
  }

  /**
   * `代办 张大爷 东山村 事项`: a cadre files for a resident without WeChat. The words are taken
   * up as the resident's own would be — a new case, a follow-up, an answer to a menu, a rating,
   * 查询 — and what lianxin says to the resident goes to this cadre to pass on. The village may
   * be left out once the cadre has filed for the person, or by a cadre who covers one village.
   */
  private async fileFor(
    tx: Repositories,
    message: InboundMessage,
    cadre: Cadre,
    command: Extract<CadreCommand, { kind: 'file-for' }>,
    outbox: Outbox,
    now: Date,
  ): Promise<IntakeOutcome> {
    const { name, villageId, words } = await filedFor(tx, this.deps.villages, cadre, command);
    // No words, or a case number where the name goes ("代办 1001 …" meant as 回复).
    if (!bareWords(words) || /^[#＃]?[0-9０-９]+$/.test(name)) {
      outbox.toCadre(cadre.id, replies.malformed('代办', exampleVillage(this.deps.config.villages, cadre.villageIds)));
      return 'cadre-message';
    }
    if (!villageId) {
      outbox.toCadre(cadre.id, replies.fileForVillage(exampleVillage(this.deps.config.villages, cadre.villageIds)));
      return 'cadre-message';
    }
    // "代办 张大爷 东山村 内容", "代办 张大爷 新问题 内容", copied from an example: no matter for anyone.
    if (isPlaceholder(matterText(words))) {
      const line = `代办 ${name} ${this.deps.dispatch.villages.get(villageId)?.name ?? ''}`.trim();
      outbox.toCadre(cadre.id, replies.placeholderCopied({ words: matterText(words), line, what: ['words'] }));
      return 'cadre-message';
    }
    const { resident, previousRelayCadreId } = await tx.residents.lockOrCreateRelayed(name, villageId, cadre.id, now);
    if (previousRelayCadreId && previousRelayCadreId !== cadre.id) {
      const village = this.deps.dispatch.villages.get(villageId)?.name ?? '';
      outbox.toCadre(previousRelayCadreId, replies.relayMoved({ resident: resident.name, village, cadre: cadre.name }));
    }
    message.residentId = resident.id;
    message.relayedText = words;
    // Whoever held the case does not pass on its rating ("1" at another question answers that).
    const dialog = resident.dialog;
    if (parseRating(words) && (dialog === null || dialog.kind === 'callback')) {
      const rated = dialog ? await tx.cases.lockById(dialog.caseId) : await tx.cases.awaitingRating(resident.id);
      if (rated?.assigneeId === cadre.id) {
        outbox.toCadre(cadre.id, replies.relayOwnCase(rated.number));
        return 'cadre-message';
      }
    }
    return this.conversation(tx, resident, message, cleanText(words), outbox, now);
  }

  /**
   * A photo or voice a cadre sends right after a 代办 (the sick pig, photographed for 张大爷) is
   * that resident's, unless the cadre acted on a case of their own since.
   */
  private async relayedMedia(tx: Repositories, message: InboundMessage, cadre: Cadre, outbox: Outbox, now: Date): Promise<IntakeOutcome | null> {
    const last = await tx.inbound.lastRelayedFrom(message.talkerId, cadre.id, recentSince(this.deps.config, now));
    if (!last) return null;
    // A resident's follow-up since does not take the photo away from the person the cadre filed for.
    if (cadre.context && !cadre.context.followUp && Date.parse(cadre.context.at) > last.at.getTime()) return null;
    const { resident } = await tx.residents.lockOrCreateRelayed(last.name, last.villageId, cadre.id, now);
    message.residentId = resident.id;
    message.relayedText = '';
    return this.conversation(tx, resident, message, '', outbox, now);
  }

  /** `绑定 码`: links this WeChat contact to the cadre the office made the code for. */
  private async bind(tx: Repositories, message: InboundMessage, code: string, outbox: Outbox, now: Date): Promise<IntakeOutcome> {
    // Six digits can be guessed: a few wrong codes a day per contact, then no more tries.
    const wrong = await tx.inbound.countOutcome(message.talkerId, 'bind-refused', new Date(now.getTime() - 24 * 3600_000));
    const cadreId = wrong >= maxWrongBindCodes ? null : await tx.cadres.useBindCode(code, message.talkerId, now);
    if (!cadreId) {
      const known = await tx.cadres.findActiveByWechatId(message.talkerId);
      if (known) {
        message.cadreId = known.id;
        outbox.toCadre(known.id, replies.badBindCode());
        return 'bind-refused';
      }
      const resident = await tx.residents.lockOrCreate(message.talkerId, message.talkerName, now);
      message.residentId = resident.id;
      outbox.toResident(resident.id, replies.badBindCode());
      return 'bind-refused';
    }
    // A new phone: the WeChat bound before gets nothing from now on, and the office hears so.
    const before = (await tx.cadres.get(cadreId)).wechatId;
    await tx.cadres.bindWechat(cadreId, message.talkerId, now);
    message.cadreId = cadreId;
    const cadre = await tx.cadres.get(cadreId);
    outbox.toCadre(cadreId, replies.bound(cadre.name));
    // Notifications that waited for this binding go out now.
    outbox.release(await tx.outbox.releaseUnboundFor(cadreId));
    // The office made the code, and may have given this cadre cases meanwhile: it hears the news.
    for (const office of await tx.cadres.officeWithWechat()) {
      if (office.id !== cadreId) outbox.toCadre(office.id, replies.boundForOffice({ cadre: cadre.name, title: cadre.title, rebound: before !== null && before !== message.talkerId }));
    }
    return 'bound';
  }
}

/** The resident's own case the command names ("回复1001 …" typed by its resident), or null. */
async function ownCase(tx: Repositories, command: CadreCommand, resident: Resident): Promise<Case | null> {
  const kase = 'caseNumber' in command && command.caseNumber !== null ? await tx.cases.lockByNumber(command.caseNumber) : null;
  return kase?.residentId === resident.id ? kase : null;
}

/** What {@link ResidentRepository.save} writes, to skip the write when a message changed nothing. */
function residentState(resident: Resident): string {
  return JSON.stringify([resident.villageId, resident.dialog]);
}

/**
 * A message that tells no matter: a greeting, thanks, "你是谁", emoji alone, or a sticker, link or card. Before
 * the village is known it is kept with no "记下了", and once it is known the matter is asked for.
 */
function saysNothing(message: InboundMessage): boolean {
  if (message.kind === 'other') return true;
  if (message.kind !== 'text') return false;
  const text = describe(message);
  return isGreeting(text) || isPleasantry(text) || asksWhoWeAre(text) || isEmojiOnly(text);
}
