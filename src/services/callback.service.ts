/**
 * The resident's side after 办结: the callback (回访) — 1 满意, 2 基本满意, 3 不满意 — and
 * what follows from it; plus `查询`, the resident's own list of cases.
 */
import type { Config } from '../config/schema.js';
import type { Repositories } from '../db/database.js';
import type { Case } from '../db/entities/case.entity.js';
import type { InboundMessage } from '../db/entities/inbound-message.entity.js';
import type { Resident } from '../db/entities/resident.entity.js';
import type { Rating } from '../domain/case.js';
import { computeDueTimes } from '../domain/sla.js';
import { relayedBy, type DispatchService } from './dispatch.service.js';
import type { Outbox } from './outbox.js';
import { bareWords, closeGaps, isPleasantry, isThanks, parseMenuNumber } from '../domain/text.js';
import { formatTime, ratingNames, replies } from './replies.js';

/** After this many 不满意, the office reviews the case instead of the same cadre. */
const reviewAfterUnsatisfied = 2;

/** "1", "１ 很好", "一", "满意", "很满意", "不太满意", "3 没修好" → rating and comment; null when it is not an answer. */
/**
 * `everyday`: also the everyday words of {@link plainRatings} ("还行", "不好"), which are an answer
 * only to the question itself — elsewhere they are as likely an answer to a cadre's question.
 */
export function parseRating(text: string, everyday = true): { rating: Exclude<Rating, 'no-answer'>; comment: string } | null {
  // "满 意", "不 满 意": typed with one finger, a space between the characters — closed up only when
  // the text as typed is no answer, so that a comment keeps its spaces ("3 还是不行 人没来").
  return readRating(text.trim(), everyday) ?? readRating(closeGaps(text.trim()), everyday);
}

function readRating(typed: string, everyday: boolean): { rating: Exclude<Rating, 'no-answer'>; comment: string } | null {
  // "回复 1" is how some read "回复 1 满意" in the question; "评价1", "评价：满意" how others do.
  const original = typed.replace(/^(?:回复|评价)[\s\u3000:：,，、]*/, '');
  // Read in half-width forms; the comment keeps the resident's own characters.
  const ascii = original.normalize('NFKC');
  // "满意的", "不满意的 还是没修好": a particle right after the rating word is no comment.
  const comment = (headLength: number) =>
    (ascii.length === original.length ? original : ascii).slice(headLength).replace(/^[的了啊呀吧哈呢嘛哦啦]+(?![\p{L}\p{N}])|^的/u, '').trim();
  // "3个", "第三" are counts and places, not answers.
  const alone = /^第|[个项]$/.test(ascii) ? null : parseMenuNumber(ascii);
  if (alone !== null) return alone >= 1 && alone <= 3 ? { rating: ratings[alone - 1]!, comment: '' } : null;
  // "3楼漏水" is not a rating: the digit stands alone, or is followed by a separator or the word.
  const numbered = /^([123])(?:[\s.。、,:!]+|$)/.exec(ascii) ?? /^([123])(?=基本满意|不满意|满意)/.exec(ascii);
  // "2 楼道灯坏了", "3 亩地": a number of something, not a rating with a comment.
  if (numbered && /^\s*[楼层号栋组亩斤元块天岁个点]/.test(ascii.slice(numbered[0].length))) return null;
  if (numbered) {
    const word = ratingWord.exec(ascii.slice(numbered[0].length));
    return { rating: ratings[Number(numbered[1]) - 1]!, comment: comment(numbered[0].length + (word?.[0].length ?? 0)) };
  }
  const worded = ratingWord.exec(ascii);
  if (!worded) {
    const plain = everyday ? plainRatings.find(([, words]) => words.test(ascii)) : undefined;
    return plain ? { rating: plain[0], comment: '' } : null;
  }
  const rating = worded[1]!.includes('不') ? 'unsatisfied' : worded[1]!.includes('基本') ? 'basically-satisfied' : 'satisfied';
  // "满意满意", "满意，满意！": the word said twice is no comment.
  const rest = comment(worded[0].length);
  const again = rest.normalize('NFKC');
  return { rating, comment: ratingWord.exec(again)?.[0] === again ? '' : rest };
}

const ratings = ['satisfied', 'basically-satisfied', 'unsatisfied'] as const;

/**
 * "5", "五星", "5星好评", "100分", "满分": a score on a scale other than 1–3 (read after {@link parseRating}: 1–3 are answers).
 * Other bare numbers are words ("110", "120": she may mean the police or the ambulance).
 */
function isScore(text: string): boolean {
  return /^(?:(?:[4-9]|10|100|[四五六七八九十]|一百)(?:分|星|颗星|个星)?(?:好评)?|\d{1,3}(?:分|星|颗星|个星)(?:好评)?|满分)$/.test(bareWords(text));
}

/**
 * Everyday words for the three answers, when they are all the resident wrote ("挺好的", "还行吧",
 * "不好"); longer words ("还行，就是还漏一点") go to the case's holder as words, not as a rating.
 */
const plainRatings: [Exclude<Rating, 'no-answer'>, RegExp][] = [
  ['satisfied', /^(?:挺好|很好|非常好|蛮好|真好|不错|挺不错|很不错|好评)[的了啊呀吧哦]{0,2}[\s\p{P}]*$/u],
  ['basically-satisfied', /^(?:还行|还可以|还好|一般|凑合|马马虎虎|过得去)[的了啊呀吧哦]{0,2}[\s\p{P}]*$/u],
  ['unsatisfied', /^(?:不好|不行|很差|太差|差|差评|不怎么样)[的了啊呀吧哦]{0,2}[\s\p{P}]*$/u],
];

/** 满意, 很满意, 非常满意, 基本满意, 不满意, 不太满意, 很不满意 — and the separator after it. */
const ratingWord = /^((?:很|非常|挺|比较|还算|十分)?(?:基本满意|满意)|(?:很|非常|十分)?不(?:太|很)?满意)[\s.。、,:!]*/;

/**
 * A question in front of the resident was just settled (answered, left or lapsed): a resolved
 * case still waiting for its rating — held back meanwhile, or overtaken — asks for it now.
 * The caller saves the resident.
 */
export async function askPendingRating(tx: Repositories, resident: Resident, outbox: Outbox): Promise<void> {
  const waiting = await tx.cases.awaitingRating(resident.id);
  if (!waiting) return;
  resident.dialog = { kind: 'callback', caseId: waiting.id };
  outbox.toResident(resident.id, replies.askRating({ number: waiting.number, relayed: relayedName(resident) }), waiting.id);
}

/**
 * The cadres of `departmentId` whose 办结 of a case under review (after two 不满意) the resident
 * found 不满意: 派单 to the department passes them by, or the review would only hand it back to
 * them. Empty otherwise.
 */
export async function unsatisfiedWith(tx: Repositories, kase: Case, departmentId: string): Promise<{ id: string; name: string }[]> {
  if (kase.reopenCount < reviewAfterUnsatisfied) return [];
  const rounds = (await tx.cases.closings(kase.id)).slice(-reviewAfterUnsatisfied).filter((r) => r.comment !== null);
  const ids = [...new Set(rounds.flatMap((r) => (r.cadreId ? [r.cadreId] : [])))];
  const cadres = ids.length > 0 ? await tx.cadres.findByIds(ids) : [];
  return cadres.filter((c) => c.departmentIds.includes(departmentId)).map((c) => ({ id: c.id, name: c.name }));
}

/** The name of a resident reached through a cadre (代办), who is asked in the cadre's words; null for others. */
export function relayedName(resident: Pick<Resident, 'name' | 'relayCadreId'>): string | null {
  return resident.relayCadreId ? resident.name : null;
}

export class CallbackService {
  constructor(
    private readonly config: Config,
    private readonly dispatch: DispatchService,
  ) {}

  /**
   * The resident's answer to the callback of `caseId`. False when the text is no rating: the
   * resident is asked again and the message is kept with the case. Another question in front of her
   * (a booking's, the department menu: words to the case by its number) stays, and the rating is
   * asked once it is done: "1" would answer that question.
   */
  async answer(
    tx: Repositories,
    resident: Resident,
    caseId: number,
    message: InboundMessage,
    text: string,
    outbox: Outbox,
    now: Date,
  ): Promise<boolean> {
    const kase = await tx.cases.lockById(caseId);
    // The rating question is in front of her, or nothing is.
    const asking = resident.dialog === null || resident.dialog.kind === 'callback';
    if (!kase || kase.status !== 'resolved') {
      // Closed meanwhile (timed out): nothing to rate any more.
      if (asking) resident.dialog = null;
      return false;
    }
    message.caseId = kase.id;
    const parsed = parseRating(text);
    // "5", "五星", "100分": a score as apps ask for it, on another scale. No words for the holder,
    // and no guess at what it means here: the three answers again.
    const asksThis = resident.dialog === null || (resident.dialog.kind === 'callback' && resident.dialog.caseId === kase.id);
    if (!parsed && asksThis && message.kind === 'text' && isScore(text)) {
      outbox.toResident(resident.id, replies.ratingScale({ number: kase.number, relayed: relayedName(resident) }), kase.id);
      return false;
    }
    if (!parsed) {
      // "还没修好", a voice: the holder hears it; thanks stay with the case, and are thanked back. The
      // question is asked again — once for a run of photos.
      const thanks = message.kind === 'text' && isPleasantry(text);
      const thanked = thanks && isThanks(text);
      const cadre = thanks ? null : await this.dispatch.passToHolder(tx, { kase, resident, message, outbox, now });
      if (cadre?.continuesRun) return false;
      const relayed = relayedName(resident);
      // Another case's rating question in front of her takes the next 1/2/3: this case's is not asked now.
      outbox.toResident(
        resident.id,
        !asksThis
          ? thanks ? replies.youAreWelcome() : replies.followUpForwarded({ number: kase.number, cadre: cadre?.name ?? '办公室', contactBy: null })
          : cadre
            ? replies.passedOnAskRating({ number: kase.number, cadre: cadre.name, relayed })
            : thanks && !relayed
              ? replies.thanksAskRating({ number: kase.number, thanked })
              : replies.askRatingAgain({ number: kase.number, relayed }),
        kase.id,
      );
      return false;
    }
    if (asking) resident.dialog = null;
    kase.rating = parsed.rating;
    kase.ratingComment = parsed.comment || null;
    kase.ratedAt = now;
    kase.callbackDueAt = null;
    await tx.cases.appendEvent({
      caseId: kase.id, at: now, actorType: 'resident', actorId: String(resident.id), type: 'rated',
      data: { rating: parsed.rating, comment: parsed.comment, ...relayedBy(message) },
    });
    const holder = kase.assigneeId;
    // A first 不满意 reopens the case to its holder, who is told that with the comment.
    const reopensToHolder = parsed.rating === 'unsatisfied' && kase.reopenCount + 1 < reviewAfterUnsatisfied;
    if (holder && !reopensToHolder) {
      outbox.toCadre(holder, replies.ratingForCadre({ number: kase.number, rating: ratingNames[parsed.rating], comment: parsed.comment }), kase.id);
    }

    if (parsed.rating !== 'unsatisfied') {
      await this.close(tx, kase, now, 'rated');
      outbox.toResident(resident.id, replies.thanksForRating(resident.relayCadreId !== null), kase.id);
      return true;
    }
    await this.reopen(tx, kase, resident, parsed.comment, outbox, now);
    return true;
  }

  /**
   * The callback went unanswered: closed, counted as 未回访 — unless the resident answered 不满意
   * before (the case was reopened and done again): silence after that is no change of mind, and
   * the 不满意 stays the case's answer rather than leaving 满意率. A rating held back behind it is asked now.
   */
  async expire(tx: Repositories, kase: Case, outbox: Outbox, now: Date): Promise<void> {
    kase.rating ??= 'no-answer';
    kase.callbackDueAt = null;
    await this.close(tx, kase, now, 'no-callback');
    // Locked: her own message at this moment may have moved her on from the rating question.
    const resident = await tx.residents.lock(kase.residentId);
    if (resident.dialog?.kind === 'callback' && resident.dialog.caseId === kase.id) {
      resident.dialog = null;
      await askPendingRating(tx, resident, outbox);
      await tx.residents.save(resident, now);
    }
  }

  /**
   * `查询`: the resident's cases, newest first, with status and who has them. `noneOpen`: she asked where
   * her matter stands with none open (all done): the list ends by inviting her to say what is still wrong.
   */
  async statusList(tx: Repositories, resident: Resident, noneOpen = false): Promise<string> {
    const cases = await tx.cases.forResident(resident.id);
    if (cases.length === 0) return replies.noCases();
    const holders = new Map((await tx.cadres.findByIds(cases.flatMap((c) => (c.assigneeId ? [c.assigneeId] : [])))).map((c) => [c.id, c.name]));
    const lines = cases.map((c) => this.dispatch.residentLine(c, holders.get(c.assigneeId ?? '') ?? ''));
    return `您的事项：\n${lines.join('\n')}${noneOpen ? `\n${replies.noneOpenHint()}` : ''}`;
  }

  private async close(tx: Repositories, kase: Case, now: Date, reason: string): Promise<void> {
    kase.status = 'closed';
    kase.closedAt = now;
    await tx.cases.save(kase, now);
    await tx.cases.appendEvent({ caseId: kase.id, at: now, actorType: 'system', actorId: null, type: 'closed', data: { reason, rating: kase.rating } });
  }

  /** 不满意: back to the same cadre with fresh limits; the second time, to the office for review. */
  private async reopen(tx: Repositories, kase: Case, resident: Resident, comment: string, outbox: Outbox, now: Date): Promise<void> {
    kase.reopenCount += 1;
    kase.resolvedAt = null;
    kase.resolutionMinutes = null;
    kase.resolutionWorkingMinutes = null;
    await tx.cases.appendEvent({
      caseId: kase.id, at: now, actorType: 'resident', actorId: String(resident.id), type: 'reopened',
      data: { comment, reopenCount: kase.reopenCount },
    });
    if (kase.reopenCount >= reviewAfterUnsatisfied) {
      // What the office needs to judge: each 办结 note and what the resident answered to it.
      const rounds = (await tx.cases.closings(kase.id)).slice(-reviewAfterUnsatisfied);
      const names = new Map((await tx.cadres.findByIds(rounds.flatMap((r) => (r.cadreId ? [r.cadreId] : [])))).map((c) => [c.id, c.name]));
      const note = replies.reviewNote(rounds.map((r) => ({ cadre: names.get(r.cadreId ?? '') ?? '', note: r.note, comment: r.comment ?? '' })));
      await this.dispatch.reassign(tx, {
        kase, now, outbox, routeDepartmentId: this.config.township.officeDepartment, restartLimits: true,
        note, actor: { type: 'system', id: null }, reason: 'review', tellResident: false,
      });
      // One message: the office reviews it (not also who at the office holds it now).
      outbox.toResident(resident.id, replies.reviewForResident(kase.number), kase.id);
      return;
    }
    const department = this.dispatch.departments.get(kase.departmentId)!;
    const due = computeDueTimes(now, department, kase.priority, this.dispatch.workingTime);
    kase.status = 'accepted';
    kase.resolveDueAt = due.resolveDueAt;
    kase.slaStatus = 'on-time';
    await tx.cases.save(kase, now);
    const cadre = await tx.cadres.get(kase.assigneeId!);
    outbox.toCadre(
      cadre.id,
      replies.reopenedForCadre({ number: kase.number, comment, resolveBy: formatTime(due.resolveDueAt, this.config.township.timezone) }),
      kase.id,
    );
    outbox.toResident(resident.id, replies.reopenedForResident({ number: kase.number, cadre: cadre.name }), kase.id);
  }
}
