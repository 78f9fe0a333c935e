/**
 * Opening a case and putting it in the hands of the cadre on duty; adding a resident's later
 * messages to it. Runs inside the caller's transaction and writes replies to its outbox.
 */
import type { Config, DepartmentConfig, VillageConfig } from '../config/schema.js';
import type { Repositories } from '../db/database.js';
import type { Case } from '../db/entities/case.entity.js';
import type { InboundMessage } from '../db/entities/inbound-message.entity.js';
import type { Resident } from '../db/entities/resident.entity.js';
import type { WorkCalendar } from '../domain/calendar.js';
import { isUrgent } from '../domain/classify.js';
import { pickAssignee, routingCandidates, type Assignment } from '../domain/routing.js';
import { unknownVillageId, type ActorType } from '../domain/case.js';
import type { Cadre } from '../db/entities/cadre.entity.js';
import { computeDueTimes, workingMinutesPerDay, type Priority, type WorkingTime } from '../domain/sla.js';
import { localDate } from '../domain/slots.js';
import { asksProgress, asksToBook, cleanText, matterText, parseMenuNumber, splitQuote } from '../domain/text.js';
import { wordsTo } from '../domain/commands.js';
import { recentSince } from './cadre-context.js';
import type { Outbox } from './outbox.js';
import { formatDay, formatTime, mediaKinds, quote, replies, unknownVillageName } from './replies.js';
import { cadreReplies } from './cadre-replies.js';
import { heldForMorning, sentAtOnce } from './night-replies.js';

/** What a reply needs to say about a cadre. */
export type CadreName = Pick<Cadre, 'id' | 'name' | 'title'>;

/** A new holder's 【新案件】 and what follows it, for a caller who writes them itself (see `reassign`). */
export interface HolderNotice {
  holder: CadreName;
  /** The 【新案件】 message. */
  text: string;
  /** The holder is to place the case (派单) or do it himself, as the office's dispatchers are. */
  dispatcher: boolean;
  /** Writes what comes after the notice: the resident's words and files added to the case so far. */
  followUps: (outbox: Outbox) => Promise<void>;
}

/** A matter told again within this many days after the same department's case of hers was done: its holder hears of that case. */
const earlierMatterDays = 30;
/** Since when a case of hers done counts as an earlier matter (see {@link earlierMatterDays}). */
export const earlierMatterSince = (now: Date) => new Date(now.getTime() - earlierMatterDays * 86_400_000);

export interface OpenCaseInput {
  resident: Resident;
  /**
   * The resident's messages that make up the matter, oldest first; the one being handled is
   * linked to the case when it is finished, the others here.
   */
  messages: InboundMessage[];
  departmentId: string;
  /** The resident did not know the department: the office dispatcher is to place it. */
  unclear: boolean;
  /** lianxin failed on the message (see UnhandledMessages): the office is to read and place it. */
  unhandled?: boolean;
  /** The department menu the resident was shown and never answered (department ids, in order). */
  offeredMenu?: string[];
  /** Her words of this matter when the messages told more than one (default: all their words). */
  description?: string;
  outbox: Outbox;
  now: Date;
}

/** A resident's later message about an open case. */
export interface FollowUp {
  kase: Case;
  resident: Resident;
  message: InboundMessage;
  outbox: Outbox;
  now: Date;
  /** What the holder reads for a text message, when not its own words ("7（村菜单第 7 项：东台村）"). */
  words?: string;
  /** By when the holder will contact her, as the resident is told it now (kept with the event). */
  contactBy?: Date;
  /** She has other cases open: the answer to "咋样了" points to 查询 for them. */
  otherOpenCases?: boolean;
}

export class DispatchService {
  readonly departments: Map<string, DepartmentConfig>;
  readonly villages: Map<string, VillageConfig>;
  readonly workingTime: WorkingTime;
  /** One working day in minutes (延期 is asked in working days). */
  readonly workingMinutesPerDay: number;
  /** Configured cadres: every active cadre is one (the cadres table is synced from config). */
  private readonly cadres: Map<string, CadreName>;
  /** Office dispatchers: what they hold is theirs to place (派单) or to handle. */
  private readonly dispatchers: Set<string>;
  /** Department heads: what routing gives them for want of anyone on duty is theirs to place. */
  private readonly heads: Set<string>;
  private readonly candidatesByDepartment = new Map<string, string[]>();

  constructor(
    private readonly config: Config,
    private readonly calendar: WorkCalendar,
  ) {
    this.departments = new Map(config.departments.map((d) => [d.id, d]));
    this.villages = new Map(config.villages.map((v) => [v.id, v]));
    this.workingTime = { timezone: config.township.timezone, workingHours: config.township.workingHours, calendar };
    this.workingMinutesPerDay = workingMinutesPerDay(config.township.workingHours);
    this.cadres = new Map(config.cadres.map((c) => [c.id, c]));
    this.dispatchers = new Set(config.cadres.filter((c) => c.role === 'office').map((c) => c.id));
    this.heads = new Set(config.cadres.filter((c) => c.role === 'head').map((c) => c.id));
  }

  /** The cadres whose open cases decide who gets a case of this department (see pickAssignee). */
  private candidates(departmentId: string): string[] {
    let ids = this.candidatesByDepartment.get(departmentId);
    if (!ids) {
      ids = routingCandidates(this.config, departmentId);
      this.candidatesByDepartment.set(departmentId, ids);
    }
    return ids;
  }

  /**
   * Whether the case is its holder's to place (派单) or to handle: an office dispatcher's, or a
   * head's whom routing gave it for want of anyone on duty (as his 【新案件】 said).
   */
  async holderPlaces(tx: Repositories, kase: Case): Promise<boolean> {
    if (!kase.assigneeId) return false;
    if (this.dispatchers.has(kase.assigneeId)) return true;
    return this.heads.has(kase.assigneeId) && (await tx.cases.routedToHead(kase.id, kase.assigneeId));
  }

  /** The name of a case's village as cadres read it; the unknown one says so. */
  villageName(villageId: string): string {
    return villageId === unknownVillageId ? unknownVillageName : (this.villages.get(villageId)?.name ?? villageId);
  }

  /**
   * Whom the roster has on duty for a department and village at `at` (else backup, head, office), not
   * one in `exclude` nor one on leave.
   */
  async onDuty(tx: Repositories, departmentId: string, villageId: string, at: Date, exclude?: ReadonlySet<string>): Promise<string> {
    const leaves = await tx.leaves.on(this.candidates(departmentId), localDate(at, this.config.township.timezone));
    return pickAssignee({ config: this.config, villageId, departmentId, at, openCases: new Map(), calendar: this.calendar, exclude, leaves }).cadreId;
  }

  /** Open cases and leave (请假) of a department's routing candidates on the day of `at`, in one statement. */
  private routingState(tx: Repositories, departmentId: string, at: Date) {
    return tx.cadres.routingState(this.candidates(departmentId), localDate(at, this.config.township.timezone));
  }

  async openCase(tx: Repositories, input: OpenCaseInput): Promise<Case> {
    const { resident, now, outbox } = input;
    // A resident who never said the village (voice only, or the question left unanswered) reaches
    // the office, which finds the village out (定村): the roster is per village. So does a new
    // matter of hers a department is clear for (路灯又坏了 at the rating question).
    const villageId = resident.villageId ?? unknownVillageId;
    const department = this.departments.get(villageId === unknownVillageId ? this.config.township.officeDepartment : input.departmentId)!;
    const { messages } = input;
    const messageIds = messages.map((m) => m.id);
    const description = input.description ?? messages.map(describe).join('\n');
    const priority: Priority = isUrgent(department, description) ? 'urgent' : 'normal';
    const due = computeDueTimes(now, department, priority, this.workingTime);

    const { openCases, leaves } = await this.routingState(tx, department.id, now);
    const assignment: Assignment = pickAssignee({
      config: this.config,
      villageId,
      departmentId: department.id,
      at: now,
      openCases,
      leaves,
      calendar: this.calendar,
    });

    // The same department's matter told again after it was done ("猪还是拉稀" a week on): maybe it
    // was not put right. Its holder hears which case came before, and who did it.
    const doneSince = department.id === this.config.township.officeDepartment ? null : earlierMatterSince(now);
    const { kase, earlier: before } = await tx.cases.create({
      residentId: resident.id,
      villageId,
      departmentId: department.id,
      status: 'assigned',
      priority,
      assigneeId: assignment.cadreId,
      description,
      createdAt: now,
      assignedAt: now,
      dispatchedAt: now,
      ...due,
    }, doneSince);
    for (const message of messages) message.caseId = kase.id;
    await tx.inbound.linkToCase(messages.filter((m) => m.handledAt !== null).map((m) => m.id), kase.id);
    await tx.cases.appendEvents([
      {
        caseId: kase.id, at: now, actorType: 'resident', actorId: String(resident.id), type: 'created',
        data: {
          messageIds, departmentId: department.id, villageId, priority, unclear: input.unclear, ...relayedBy(messages.at(-1)),
          ...(input.unhandled ? { unhandled: true } : {}),
          ...(input.offeredMenu ? { offeredMenu: input.offeredMenu } : {}),
        },
      },
      {
        caseId: kase.id, at: now, actorType: 'system', actorId: null, type: 'assigned',
        data: { cadreId: assignment.cadreId, reason: assignment.reason },
      },
    ]);

    const note = villageId === unknownVillageId
      ? replies.villageUnknownNote(kase.number)
      : input.unhandled
        ? replies.notesForCadre.unhandled
      : input.unclear
        ? replies.notesForCadre.unclear
      : assignment.reason === 'on-duty' ? null : replies.notesForCadre[assignment.reason];
    const earlier = before
      ? replies.earlierMatterNote({
        number: before.number,
        text: before.description,
        day: formatDay(before.resolvedAt, this.config.township.timezone),
        cadre: before.assigneeId ? (this.cadres.get(before.assigneeId)?.name ?? '') : '',
      })
      : null;
    const notes = [note, earlier].filter((n) => n !== null);
    const cadre = await this.notifyHolder(
      tx, kase, resident, notes.length > 0 ? notes.join('\n') : null, outbox, messages[0]?.sentAt ?? now, now, assignment.reason === 'head',
    );
    for (const media of messages.filter((m) => m.kind !== 'text')) {
      outbox.forwardToCadre(cadre.id, media.sourceMessageId, describe(media), kase.id);
    }
    const acknowledged = (night: string | null) =>
      replies.caseAcknowledged({
        number: kase.number,
        department: department.name,
        cadre: cadre.name,
        title: cadre.title,
        contactBy: formatTime(due.firstResponseDueAt, this.config.township.timezone),
        restDay: this.restDay(now, due.firstResponseDueAt),
        relayed: resident.relayCadreId !== null,
        bookable: resident.relayCadreId === null && asksToBook(description) ? this.bookable(department) : null,
        night,
      });
    // At night: when the holder sees it, or that it reached them at once, being urgent.
    outbox.toResidentAbout(resident.id, acknowledged(null), kase.id, cadre.id, (heldUntil) =>
      acknowledged(heldUntil ? heldForMorning(cadre.name, heldUntil, now, this.config.township.timezone) : priority === 'urgent' ? sentAtOnce(cadre.name) : null),
    );
    return kase;
  }

  /**
   * Why the first answer is days away, when she writes on a day off and it falls on a later day
   * (the limits count working time): "国庆节" (a holiday's name), "假期" (one named nowhere), "周末"; else null.
   */
  private restDay(now: Date, contactBy: Date): string | null {
    const today = localDate(now, this.config.township.timezone);
    if (this.calendar.isWorkday(today) || localDate(contactBy, this.config.township.timezone) === today) return null;
    const holiday = this.calendar.holidayName?.(today) ?? null;
    return holiday === null ? '周末' : holiday || '假期';
  }

  /**
   * What a resident asking for a visit can book: the services of the case's department; any
   * service when the matter went to the office unplaced. `home` when a visit is among them.
   */
  private bookable(department: DepartmentConfig): 'home' | 'station' | null {
    const services =
      department.id === this.config.township.officeDepartment && department.services.length === 0
        ? this.config.departments.flatMap((d) => d.services)
        : department.services;
    if (services.length === 0) return null;
    return services.some((s) => s.where === 'home') ? 'home' : 'station';
  }

  /**
   * Gives a case to another cadre: `cadreId` when named (派单, review), else whoever the roster
   * says for the case's village and `departmentId` (转派, escalation), never one in `exclude`.
   * The new holder gets the case; the resident is told who has it now.
   */
  async reassign(
    tx: Repositories,
    p: {
      kase: Case;
      now: Date;
      outbox: Outbox;
      /** A line for the new holder saying why it came to them. */
      note: string | null;
      actor: { type: ActorType; id: string | null };
      reason: string;
      cadreId?: string;
      /** The case moves to this department (转派). */
      departmentId?: string;
      /** Pick from this department's roster, the case staying where it is (退单, review: the office). */
      routeDepartmentId?: string;
      exclude?: ReadonlySet<string>;
      /** Fresh limits from now (a new department's clock); default keeps the case's limits. */
      restartLimits?: boolean;
      /**
       * Escalation: the next cadre inherits the running accept limit, so a limit escalates once.
       * Otherwise the new holder accepts anew within a fresh accept limit.
       */
      keepAcceptLimit?: boolean;
      /** False when the caller tells the resident itself (a head taking over says 接单 at once). */
      tellResident?: boolean;
      /** The new holder takes the case with the 接单 being handled (a head taking over): his notice asks no 接单 of him. */
      taking?: boolean;
      /** The words of whoever gave the case (派单 … 请今天上门), kept with the event. */
      words?: string;
      /**
       * The caller tells the new holder: his 【新案件】 and the resident's additions after it come
       * here instead of the outbox (the sweep writes a cadre's several in one message).
       */
      holderNotice?: (notice: HolderNotice) => void;
    },
  ): Promise<CadreName> {
    const { kase, now, outbox } = p;
    const departmentId = p.departmentId ?? kase.departmentId;
    const assignment: Assignment = p.cadreId
      ? { cadreId: p.cadreId, reason: 'on-duty' }
      : pickAssignee({
          config: this.config,
          villageId: kase.villageId,
          departmentId: p.routeDepartmentId ?? departmentId,
          at: now,
          ...(await this.routingState(tx, p.routeDepartmentId ?? departmentId, now)),
          calendar: this.calendar,
          exclude: p.exclude,
        });
    const from = kase.assigneeId;
    kase.departmentId = departmentId;
    kase.assigneeId = assignment.cadreId;
    kase.assignedAt = now;
    const fresh = computeDueTimes(now, this.departments.get(departmentId)!, kase.priority, this.workingTime);
    if (p.restartLimits) {
      // A response already given was judged against the limit it had: that stays.
      const answered = kase.firstResponseAt !== null;
      Object.assign(kase, fresh, answered ? { firstResponseDueAt: kase.firstResponseDueAt } : {});
      kase.slaStatus = 'on-time';
    } else if (!p.keepAcceptLimit) {
      kase.acceptDueAt = fresh.acceptDueAt;
    }
    // The new holder has not accepted yet.
    kase.status = 'assigned';
    kase.acceptedAt = null;
    await tx.cases.save(kase, now);
    await tx.cases.appendEvent({
      caseId: kase.id, at: now, actorType: p.actor.type, actorId: p.actor.id, type: 'assigned',
      data: {
        cadreId: assignment.cadreId, from, reason: p.reason, routing: p.cadreId ? 'named' : assignment.reason, departmentId,
        ...(p.words ? { words: p.words } : {}),
      },
    });
    const resident = await tx.residents.get(kase.residentId);
    const notice = await this.newCaseNotice(tx, kase, resident, p.note, kase.createdAt, now, !p.cadreId && assignment.reason === 'head', p.taking);
    const cadre = notice.holder;
    const followUps = async (o: Outbox) => {
      if (cadre.id === from) return;
      await this.passOnLastReply(tx, kase, cadre, o);
      await this.passOnFollowUps(tx, kase, resident, cadre, o);
    };
    if (p.holderNotice) {
      p.holderNotice({ ...notice, followUps });
    } else {
      outbox.toCadre(cadre.id, notice.text, kase.id);
      await followUps(outbox);
    }
    if (from && from !== cadre.id && from !== p.actor.id) {
      outbox.toCadre(from, replies.movedAway({ number: kase.number, cadre: cadre.name, lapsed: p.reason === 'escalation' }), kase.id);
    }
    const holderDepartment = this.departments.get(p.routeDepartmentId ?? departmentId)!;
    if (p.tellResident === false) return cadre;
    outbox.toResident(
      resident.id,
      replies.caseReassigned({ number: kase.number, department: holderDepartment.name, cadre: cadre.name, title: cadre.title }),
      kase.id,
    );
    return cadre;
  }

  /**
   * A new holder of a case someone answered reads the last thing its resident was told (what she
   * may be waiting for), unless he said it himself. Read only for a case answered: none is on the
   * path of a resident's message.
   */
  private async passOnLastReply(tx: Repositories, kase: Case, cadre: CadreName, outbox: Outbox): Promise<void> {
    if (!kase.firstResponseAt) return;
    const reply = await tx.cases.lastReply(kase.id);
    if (!reply || reply.actorId === cadre.id) return;
    const by = reply.actorId ? (await tx.cadres.get(reply.actorId)).name : '';
    const what = reply.text ? quote(reply.text) : `发了${mediaKinds[reply.kind ?? ''] ?? '消息'}`;
    const at = formatTime(reply.at, this.config.township.timezone);
    outbox.toCadre(cadre.id, cadreReplies.lastToldResident({ number: kase.number, by, at, what }), kase.id);
  }

  /** A new holder gets what the resident added to the case after telling it: the words, then each photo and voice. */
  private async passOnFollowUps(tx: Repositories, kase: Case, resident: Resident, cadre: CadreName, outbox: Outbox): Promise<void> {
    const additions = await tx.inbound.residentFollowUps(kase.id, resident.id);
    const words = additions.filter((m) => m.kind === 'text').map((m) => describeFor(m, kase));
    const village = this.villageName(kase.villageId);
    if (words.length > 0) {
      outbox.toCadre(cadre.id, replies.cadreFollowUp({ number: kase.number, village, resident: resident.name, text: words.join('\n') }), kase.id);
    }
    // Each file with the line saying whose and which case, as when it first came.
    for (const media of additions.filter((m) => m.kind !== 'text')) {
      const what = mediaKinds[media.kind] ?? '消息';
      outbox.toCadre(cadre.id, replies.cadreMediaFollows({ number: kase.number, village, resident: resident.name, what }), kase.id);
      outbox.forwardToCadre(cadre.id, media.sourceMessageId, describe(media), kase.id);
    }
  }

  /**
   * "5" from a resident whose department menu closed unanswered (the office took the matter): the
   * number with the department it stood for, so the office can place the case without a call.
   */
  private async withMenuChoice(tx: Repositories, kase: Case, text: string): Promise<string> {
    const number = parseMenuNumber(text);
    if (number === null || number < 1 || kase.departmentId !== this.config.township.officeDepartment) return text;
    const menu = await tx.cases.offeredMenu(kase.id);
    const department = menu?.[number - 1] ? this.departments.get(menu[number - 1]!) : undefined;
    return department ? replies.menuChoice(text, number, department.name) : text;
  }

  /** Tells the case's holder everything needed to act (see `newCaseNotice`). */
  private async notifyHolder(
    tx: Repositories,
    kase: Case,
    resident: Pick<Resident, 'name' | 'relayCadreId'>,
    note: string | null,
    outbox: Outbox,
    receivedAt: Date,
    now: Date,
    toPlace = false,
  ): Promise<CadreName> {
    const notice = await this.newCaseNotice(tx, kase, resident, note, receivedAt, now, toPlace);
    outbox.toCadre(notice.holder.id, notice.text, kase.id);
    return notice.holder;
  }

  /**
   * The 【新案件】 for the case's holder: everything needed to act — who, where, what, and the
   * limits. `toPlace`: a head who got it because nobody else was on duty, to do or to hand on
   * (派单), as the office's dispatchers always are.
   */
  private async newCaseNotice(
    tx: Repositories,
    kase: Case,
    resident: Pick<Resident, 'name' | 'relayCadreId'>,
    note: string | null,
    receivedAt: Date,
    now: Date,
    toPlace: boolean,
    taking = false,
  ): Promise<Omit<HolderNotice, 'followUps'>> {
    const cadre = this.cadres.get(kase.assigneeId!) ?? (await tx.cadres.get(kase.assigneeId!));
    const tz = this.config.township.timezone;
    const by = (due: Date | null) => (due && due > now ? formatTime(due, tz) : null);
    // A resident without WeChat: whoever holds the case knows who passes messages on.
    const relay = resident.relayCadreId ? (this.cadres.get(resident.relayCadreId)?.name ?? null) : null;
    const notes = [relay ? replies.relayNote(relay) : null, note].filter((n) => n !== null);
    const dispatcher = toPlace || this.dispatchers.has(cadre.id);
    return {
      holder: cadre,
      dispatcher,
      text: replies.cadreNewCase({
        number: kase.number,
        village: this.villageName(kase.villageId),
        department: this.departments.get(kase.departmentId)!.name,
        urgent: kase.priority === 'urgent',
        resident: resident.name,
        text: kase.description,
        receivedAt: formatTime(receivedAt, tz),
        acceptBy: by(kase.acceptDueAt),
        acceptWithReply:
          !kase.firstResponseAt && kase.firstResponseDueAt !== null && kase.firstResponseDueAt > now && kase.acceptDueAt !== null && kase.firstResponseDueAt <= kase.acceptDueAt,
        respondBy: by(kase.firstResponseDueAt),
        resolveBy: by(kase.resolveDueAt),
        note: notes.length > 0 ? notes.join('\n') : null,
        dispatcher,
        taking,
      }),
    };
  }

  /**
   * The case's village, found out after it was opened (定村 by the office, or the resident naming
   * it later): the case counts for that village from now on, and the resident is registered there
   * when they had no village yet or had the case's old one. Nobody is told here; the holder stays.
   * Returns whether the resident's registered village changed (the caller saves the resident).
   */
  async setVillage(
    tx: Repositories,
    p: { kase: Case; resident: Resident; villageId: string; actor: { type: ActorType; id: string | null }; now: Date },
  ): Promise<boolean> {
    const { kase, resident, now } = p;
    const from = kase.villageId;
    kase.villageId = p.villageId;
    await tx.cases.save(kase, now);
    await tx.cases.appendEvent({ caseId: kase.id, at: now, actorType: p.actor.type, actorId: p.actor.id, type: 'village-set', data: { from, to: p.villageId } });
    if (resident.villageId !== null && resident.villageId !== from) return false;
    if (resident.villageId === p.villageId) return false;
    resident.villageId = p.villageId;
    return true;
  }

  /**
   * A message from a resident whose case is still open: into the case, on to its holder. Until
   * the holder has answered, she is told by when they will — when that is news: the first time,
   * or the time changed since she was last told (a new department's limit); not on every message.
   * A question where the case stands ("咋样了") is answered with its 查询 line, and the time.
   */
  async addToCase(tx: Repositories, p: FollowUp): Promise<void> {
    const { kase, now, message } = p;
    const progress = message.kind === 'text' && asksProgress(describeFor(message, kase)) !== null;
    const due = !kase.firstResponseAt && kase.firstResponseDueAt && kase.firstResponseDueAt > now ? kase.firstResponseDueAt : null;
    const told = due && (progress || (await tx.cases.lastToldContactBy(kase.id))?.getTime() !== due.getTime()) ? due : null;
    const cadre = await this.passToHolder(tx, { ...p, contactBy: told ?? undefined, words: progress ? replies.progressAsked(describeFor(message, kase)) : p.words });
    // The second and third photo of a run were received with the first: no "收到" for each.
    if (cadre?.continuesRun) return;
    const contactBy = told ? formatTime(told, this.config.township.timezone) : null;
    const holder = cadre?.name ?? '办公室';
    const answer = (night: string | null) =>
      progress
        ? replies.progressForResident({ line: this.residentLine(kase, holder), contactBy, cadre: holder, more: p.otherOpenCases ?? false, night })
        : replies.followUpForwarded({ number: kase.number, cadre: holder, contactBy, night });
    if (!cadre) {
      p.outbox.toResident(p.resident.id, answer(null), kase.id);
      return;
    }
    // At night she is not to think the holder reads it now ("有人吗" at 23:10): he may not until morning.
    p.outbox.toResidentAbout(p.resident.id, answer(null), kase.id, cadre.id, (heldUntil) =>
      answer(heldUntil ? heldForMorning(holder, heldUntil, now, this.config.township.timezone) : null),
    );
  }

  /** A case as its resident reads it in 查询: number, matter, who has it, where it stands. */
  residentLine(kase: Case, holder: string): string {
    const department = this.departments.get(kase.departmentId)?.name ?? '';
    return replies.residentCaseLine({ number: kase.number, text: kase.description, department, holder, status: kase.status });
  }

  /**
   * The message joins the case and goes to its holder (text quoted, media forwarded); returns the
   * holder, and whether the message is a second (third…) photo of a run (see `mediaRunSeconds`),
   * which its sender needs no word about either.
   */
  async passToHolder(tx: Repositories, p: FollowUp): Promise<{ id: string; name: string; continuesRun: boolean } | null> {
    const { kase, resident, message, outbox, now } = p;
    message.caseId = kase.id;
    await tx.cases.appendEvent({
      caseId: kase.id, at: now, actorType: 'resident', actorId: String(resident.id), type: 'resident-message',
      data: { messageId: message.id, kind: message.kind, ...relayedBy(message), ...(p.contactBy ? { contactBy: p.contactBy } : {}) },
    });
    const cadre = kase.assigneeId ? (this.cadres.get(kase.assigneeId) ?? (await tx.cadres.get(kase.assigneeId))) : null;
    if (!cadre) return null;
    const continuesRun =
      message.kind !== 'text' &&
      (await tx.inbound.continuesMediaRun(message, kase.id, { cadreId: cadre.id }, this.config.township.caseRules.mediaRunSeconds));
    // What the holder sends next (a voice answer, a photo) is most likely for this resident.
    await tx.cadres.followUpContext(cadre.id, { caseId: kase.id, at: now.toISOString(), followUp: true }, recentSince(this.config, now));
    const village = this.villageName(kase.villageId);
    if (message.kind === 'text') {
      outbox.toCadre(
        cadre.id,
        replies.cadreFollowUp({
          number: kase.number, village, resident: resident.name, text: p.words ?? (await this.withMenuChoice(tx, kase, describeFor(message, kase))),
          quoted: message.relayedText === null ? (splitQuote(message.text)?.quoted ?? null) : null,
        }),
        kase.id,
      );
    } else {
      // A run of photos is announced once; each is forwarded.
      if (!continuesRun) {
        outbox.toCadre(
          cadre.id,
          replies.cadreMediaFollows({ number: kase.number, village, resident: resident.name, what: mediaKinds[message.kind] ?? '消息' }),
          kase.id,
        );
      }
      outbox.forwardToCadre(cadre.id, message.sourceMessageId, describe(message), kase.id);
    }
    return { id: cadre.id, name: cadre.name, continuesRun };
  }
}

/**
 * A message as one line of a case description: the resident's words (of a 代办, those after the
 * name; of a quote reply, those written, not the message quoted).
 */
export function describe(message: InboundMessage): string {
  if (message.kind !== 'text') return message.text;
  return matterText(cleanText(message.relayedText ?? message.text));
}

/**
 * A message as the holder of `kase` reads it: as {@link describe}, without "回复 1001" when she wrote
 * it to this case as a cadre would ("回复1001 在家等着呢", copied from a cadre's form).
 */
export function describeFor(message: InboundMessage, kase: Pick<Case, 'number'>): string {
  return message.kind === 'text' ? wordsTo(describe(message), kase.number) : describe(message);
}

/** For case events: the cadre who passed a resident's words on (代办), if one did. */
export function relayedBy(message: Pick<InboundMessage, 'relayedText' | 'cadreId'> | undefined): { relayedBy: string } | Record<string, never> {
  return message?.relayedText != null && message.cadreId ? { relayedBy: message.cadreId } : {};
}
