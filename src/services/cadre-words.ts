/**
 * A cadre's words that are no command, read for what they most likely mean: a head's 同意 to a
 * 【延期申请】, 派单 in words ("让小易去看一下"), "办好了", words quoting a case or led by its number,
 * words for the resident just dealt with, a nod to the case just sent. What they get is mostly the
 * command to send, spelled out (a guess sends nothing to a resident); where the words leave no doubt
 * (同意 quoting a 【延期申请】, words quoting his own case), the command they stand for is run.
 * Runs inside the inbound message's transaction, as the cadre commands do.
 */
import type { Config } from '../config/schema.js';
import type { Repositories } from '../db/database.js';
import type { Cadre } from '../db/entities/cadre.entity.js';
import type { Case } from '../db/entities/case.entity.js';
import { openCaseStatuses, unknownVillageId } from '../domain/case.js';
import { extensionDecision, isQuestion, leadingCaseNumber, startsWithVerb, wordsTo, type CadreCommand, type CaseCommand } from '../domain/commands.js';
import { cleanText, isPleasantry, sendsCadre, tidyWords, withoutLeadingNod, type QuoteReply } from '../domain/text.js';
import type { VillageMatcher } from '../domain/village-match.js';
import { mayAct, movedAwayReply, notYoursReply, recentCase, recentSince, waitingFor } from './cadre-context.js';
import type { CaseViews } from './case-views.js';
import type { Outbox } from './outbox.js';
import { extensionRequestTag, isFollowUpNotice, replies, urgedBy } from './replies.js';
import { cadreReplies } from './cadre-replies.js';
import { bookingReplies } from './booking-replies.js';

/** "办好了", "已经修好了", "搞定": a cadre saying a case is done, without 办结 and its number. */
const doneWords = /^(?:已经?|都)?(?:办好|办完|弄好|搞好|搞定|修好|处理好|处理完|解决|做好|干完)了?(?:了|啦)?$/;

/**
 * A head's answer to a 【延期申请】 in plain words. `sure`: 同意 / 不同意, which answer nothing else;
 * 可以 and 行 are also a nod to whatever came last. `text`: the words for the cadre, or the reason.
 */
type ExtensionAnswer = Extract<CadreCommand, { kind: 'decide-waiting-extension' }> & { sure: boolean };

function extensionAnswer(text: string): ExtensionAnswer | null {
  const bare = text.replace(/[。！!~～]+$/, '');
  // "驳回了", "不批吧": the particle is no reason.
  const refused = /^(?:不同意|驳回|不批准?)(?:了|吧|啦)?[\s,，:：。]*([\s\S]*)$/.exec(bare);
  if (refused) return { kind: 'decide-waiting-extension', approve: false, text: tidyWords(refused[1]!.trim()), sure: true };
  const agreed = /^(?:同意|批准|准了)了?(?:[\s,，:：。]+([\s\S]*))?$/.exec(bare);
  if (agreed) return { kind: 'decide-waiting-extension', approve: true, text: tidyWords((agreed[1] ?? '').trim()), sure: true };
  return /^(?:可以|行|可以的|行吧|没问题)$/.test(bare) ? { kind: 'decide-waiting-extension', approve: true, text: '', sure: false } : null;
}

/** A cadre's nod: 收到, 好的, 👍, or "1", how a WeChat work chat says 收到. */
export const nods = (text: string) => isPleasantry(text) || /^[1１][。.！!]?$/.test(text);

/** A cadre's message that parsed as no command. */
export interface PlainWords {
  /** What he typed, trimmed, without the message a quote reply (引用) quotes. */
  text: string;
  quote: QuoteReply | null;
  /** The case the quoted message is about. */
  quoted: number | null;
  /** A case asked after ("1030怎么样了") that does not exist: said so when the words are nobody's. */
  missingCase: number | null;
  /** The cadre's WeChat id. */
  talkerId: string;
}

/** Runs a command on one case as if the cadre had typed it. */
export type ActOnCase = (tx: Repositories, command: CaseCommand, cadre: Cadre, outbox: Outbox, now: Date) => Promise<void>;

export class CadreWords {
  constructor(
    private readonly config: Config,
    private readonly views: CaseViews,
    private readonly villages: VillageMatcher,
    private readonly act: ActOnCase,
  ) {}

  /** What the words most likely mean: the command they stand for, run, or the line to send; else how to write a command. */
  async handle(tx: Repositories, words: PlainWords, cadre: Cadre, outbox: Outbox, now: Date): Promise<void> {
    const { text, quote, quoted } = words;
    const supervisor = cadre.role !== 'cadre';
    const answer = supervisor ? extensionAnswer(text) : null;
    // "同意" / "不同意 太久了" quoting a 【延期申请】: 同意延期 / 驳回延期 for that case (one decided
    // already is said to be so). Quoting a resident's question about a case with no request ("明天上午来行吗"),
    // it is the head's answer to the resident; 可以 and 行 decide only quoting the request itself.
    const quotesRequest = quote?.quoted.startsWith(extensionRequestTag) === true;
    if (answer && quoted !== null && (quotesRequest || (answer.sure && (await tx.cases.lockByNumber(quoted))?.extensionRequest))) {
      return this.act(tx, extensionDecision(answer, quoted), cadre, outbox, now);
    }
    // Not quoting: the 【延期申请】 just received, when nothing came to the head after it.
    if (answer && quoted === null && (await this.answerRequests(tx, answer, cadre, outbox, now))) return;
    // "让小易去看一下", "1001叫小易去一趟": 派单 in words — the line to send, nothing to anyone.
    const sending = supervisor ? await this.sendingHow(tx, text, quoted, cadre) : null;
    if (sending) return outbox.toCadre(cadre.id, sending);
    // "办好了" — quoting a case, about that one — gets the 办结 line to send, not its resident the words.
    if (doneWords.test(text.replace(/[\p{P}\s]+$/u, ''))) return outbox.toCadre(cadre.id, await this.resolveHow(tx, cadre, text, quoted, now));
    if (quoted !== null && (await this.onQuotedCase(tx, quoted, quote!.quoted, text, cadre, outbox, now))) return;
    // "1001 明天上午到", "1001办好了": words about the case whose number leads them.
    const lead = quoted === null ? leadingCaseNumber(text) : null;
    const led = lead ? await tx.cases.lockByNumber(lead.caseNumber) : null;
    if (led && mayAct(cadre, led)) return outbox.toCadre(cadre.id, await this.wordsAbout(tx, led, lead!.rest, cadre, now), led.id);
    // "101 路上堵了": no case of his, but a visit he may act on — the 预约 line that sends the words.
    const visit = lead ? await tx.bookings.findByNumber(lead.caseNumber) : null;
    if (visit && mayAct(cadre, visit)) return outbox.toCadre(cadre.id, bookingReplies.visitWordsNotSent({ number: visit.number, text: lead!.rest }));
    const nod = nods(text);
    const wordsFor = !text || startsWithVerb(text) ? null : await this.wordsFor(tx, cadre, words.talkerId, now);
    // "可以" after the resident asked is for the resident; "好的" after lianxin's own confirmation is not.
    const forResident = wordsFor?.kind === 'case' && (!nod || wordsFor.residentWrote) ? wordsFor : null;
    if (forResident) return outbox.toCadre(cadre.id, replies.wordsNotSent({ number: forResident.number, text }));
    if (wordsFor?.kind === 'relayed') return outbox.toCadre(cadre.id, replies.relayedWordsNotSent({ resident: wordsFor.name, text }));
    // "收到", "好的", 👍 with no resident in front — often meant as taking the case just sent: say how.
    if (nod) {
      const waiting = await waitingFor(tx, cadre);
      if (waiting.length > 0) return outbox.toCadre(cadre.id, await this.views.acceptPrompt(tx, waiting, now));
    }
    // Residents of his cases wrote just now, and which one he answers is unclear: say which wrote what.
    const asked = wordsFor || !text || startsWithVerb(text) ? [] : await this.residentWords(tx, cadre, recentSince(this.config, now));
    if (asked.length > 0) return outbox.toCadre(cadre.id, replies.wordsWhichCase({ text, cases: asked }));
    if (nod) return;
    // "收到，明天上午过去" in answer to a 【新案件】: the line that takes it and sends the words.
    const waiting = text && !startsWithVerb(text) && !isQuestion(text) ? await waitingFor(tx, cadre) : [];
    if (waiting.length > 0) {
      return outbox.toCadre(cadre.id, replies.acceptWithWords({ text: withoutLeadingNod(text), cases: await this.views.choices(tx, waiting) }));
    }
    // Nobody's words after all: "1030怎么样了" asked after a number mistyped.
    if (words.missingCase !== null) return outbox.toCadre(cadre.id, replies.noSuchCase(words.missingCase));
    return outbox.toCadre(cadre.id, replies.unknownCommand(supervisor));
  }

  /** "办好了" without 办结: the line that closes the case — the one quoted or just acted on, or one of the cadre's. */
  async resolveHow(tx: Repositories, cadre: Cadre, text: string, quoted: number | null, now: Date): Promise<string> {
    const named = quoted === null ? null : await tx.cases.lockByNumber(quoted);
    const recent = named?.assigneeId === cadre.id ? named : await recentCase(tx, this.config, cadre, now);
    const cases = recent && openCaseStatuses.includes(recent.status) ? [recent] : await tx.cases.openForAssignee(cadre.id);
    if (cases.length === 0) return replies.noTasks();
    return replies.resolveHow({ text, cases: await this.views.choices(tx, cases) });
  }

  /**
   * 结单 (see the command): nothing is done, and the line to send comes back — for a case still
   * waiting both 接单 and 办结, for one accepted 办结. Without a number: the case just acted on, or
   * the one open, else the cadre's open cases to choose from.
   */
  async closeOrAccept(tx: Repositories, command: Extract<CadreCommand, { kind: 'close-or-accept' }>, cadre: Cadre, now: Date): Promise<string> {
    let cases: Case[];
    if (command.caseNumber !== null) {
      const kase = await tx.cases.lockByNumber(command.caseNumber);
      if (!kase) return replies.noSuchCase(command.caseNumber);
      if (!mayAct(cadre, kase)) return notYoursReply(tx, cadre, kase);
      if (!openCaseStatuses.includes(kase.status)) return replies.caseIsDone(kase.number);
      cases = [kase];
    } else {
      const recent = await recentCase(tx, this.config, cadre, now);
      cases = recent && openCaseStatuses.includes(recent.status) ? [recent] : await tx.cases.openForAssignee(cadre.id);
    }
    if (cases.length === 0) return replies.noTasks();
    const choices = await this.views.choices(tx, cases);
    if (cases.length > 1) return cadreReplies.closeOrAcceptWhich({ cases: choices });
    return cadreReplies.closeOrAccept({ kase: choices[0]!, waiting: cases[0]!.status === 'assigned', text: command.text });
  }

  /**
   * "同意", "可以", "不同意 太久了" not quoting anything: the 【延期申请】 put to this head within
   * `photoFollowsMinutes` is decided when nothing came in front of it since (a resident's words, a
   * case of the head's own acted on or given to him); with several, they are listed. 同意 or
   * 不同意 — which answer nothing else — with only older requests waiting lists those. False: the
   * words are left to be read otherwise.
   */
  private async answerRequests(
    tx: Repositories,
    answer: ExtensionAnswer,
    cadre: Cadre,
    outbox: Outbox,
    now: Date,
  ): Promise<boolean> {
    const recent = await tx.cases.extensionRequestsFor(cadre.id, extensionRequestTag, recentSince(this.config, now));
    const waiting = recent.length > 0 || !answer.sure ? recent : await tx.cases.extensionRequestsFor(cadre.id, extensionRequestTag);
    if (waiting.length === 0) return false;
    const newest = Math.max(...waiting.map((c) => Date.parse(c.extensionRequest!.at)));
    const since = Math.max(newest, recentSince(this.config, now).getTime());
    const context = cadre.context;
    const acted = context && Date.parse(context.at) > since;
    const given = (await waitingFor(tx, cadre)).some((c) => c.assignedAt!.getTime() > newest);
    // Asked directly: the context does not say it when residents of two of his cases are in play (it is cleared).
    const wrote = (await tx.inbound.residentWordsTo(cadre.id, new Date(since))).length > 0;
    if (acted || given || wrote) return false;
    if (waiting === recent && waiting.length === 1) {
      await this.act(tx, extensionDecision(answer, waiting[0]!.number), cadre, outbox, now);
      return true;
    }
    outbox.toCadre(cadre.id, await this.views.requestsWaiting(tx, waiting, answer.approve ? undefined : answer.text));
    return true;
  }

  /**
   * A head's words sending one of his cadres (not the holder: those are 督办's) to the case quoted or
   * whose number leads them, or to a case not named: the 派单 line for it; null for other words.
   */
  private async sendingHow(tx: Repositories, text: string, quoted: number | null, cadre: Cadre): Promise<string | null> {
    const led = quoted === null ? leadingCaseNumber(text) : null;
    const number = quoted ?? led?.caseNumber ?? null;
    const kase = number === null ? null : await tx.cases.lockByNumber(number);
    if (number !== null && (!kase || !mayAct(cadre, kase) || !openCaseStatuses.includes(kase.status))) return null;
    const departments = kase ? [kase.departmentId] : cadre.departmentIds;
    const names = this.config.cadres
      .filter((c) => c.id !== cadre.id && c.id !== kase?.assigneeId && c.departments.some((d) => departments.includes(d)))
      .map((c) => c.name);
    const name = sendsCadre(led?.rest ?? text, names);
    if (!name) return null;
    return kase ? replies.sendCadreHow({ number: kase.number, name }) : replies.sendCadreWhich(name);
  }

  /**
   * Words quoting a message about a case not closed. Its holder: "收到" or "1" takes it while it
   * waits, anything else (not a nod) goes to its resident as 回复 would — also while the rating is
   * awaited ("还是黄的" after 办结). Quoting the resident's own words passed on (`fromResident`:
   * 【#1001 群众补充】"明天上午在家吗？"), a nod ("好的") answers the resident too, as an unquoted one
   * right after the resident wrote is read as words for them. Quoting a 【督办】, his words (a nod
   * too, once he has the case) answer whoever urged: they go to them. A head or the office, on an
   * open case: asked whom the words are for. A case given to him once and to someone else since:
   * whose it is now. False: not such words, or a case that is none of theirs.
   */
  private async onQuotedCase(
    tx: Repositories,
    caseNumber: number,
    quotedText: string,
    text: string,
    cadre: Cadre,
    outbox: Outbox,
    now: Date,
  ): Promise<boolean> {
    if (!text || startsWithVerb(text)) return false;
    const fromResident = isFollowUpNotice(quotedText);
    const kase = await tx.cases.lockByNumber(caseNumber);
    if (!kase || kase.status === 'closed') return false;
    // A village's name quoting a case whose village nobody knew: 定村, for whoever may act on it.
    const village = text.replace(/[。！!]$/, '');
    if (kase.villageId === unknownVillageId && mayAct(cadre, kase) && this.villages.matchName(village)) {
      await this.act(tx, { kind: 'set-village', caseNumber, village }, cadre, outbox, now);
      return true;
    }
    const nod = nods(text);
    // His case once, given to someone else since (while he typed, maybe): whose it is now, and his words kept.
    const moved = mayAct(cadre, kase) ? null : await movedAwayReply(tx, cadre, kase, !nod);
    if (moved) {
      outbox.toCadre(cadre.id, moved, kase.id);
      return true;
    }
    if (kase.assigneeId === cadre.id) {
      // Quoting his head's 【督办】 ("好的马上", "这户情况特殊，明天一早去"): the answer is the head's, not the resident's.
      const urger = nod && kase.status === 'assigned' ? null : await this.urger(tx, quotedText, cadre);
      if (urger) {
        const said = tidyWords(text);
        outbox.toCadre(urger.id, cadreReplies.urgeAnswered({ number: kase.number, holder: cadre.name, text: said }), kase.id);
        outbox.toCadre(cadre.id, cadreReplies.urgeAnswerSent({ number: kase.number, to: urger.name, text: said }), kase.id);
        return true;
      }
      if (nod && kase.status === 'assigned') await this.act(tx, { kind: 'accept', caseNumber }, cadre, outbox, now);
      else if (!nod || fromResident) await this.act(tx, { kind: 'reply', caseNumber, text: tidyWords(text) }, cadre, outbox, now);
      else return false;
      return true;
    }
    if (nod || !openCaseStatuses.includes(kase.status) || !mayAct(cadre, kase)) return false;
    outbox.toCadre(cadre.id, replies.quotedWordsNotSent({ number: kase.number, text }), kase.id);
    return true;
  }

  /** Whoever urged the case of a quoted 【督办】 (another cadre, with WeChat or not); null for other quotes. */
  private async urger(tx: Repositories, quoted: string, cadre: Cadre): Promise<Cadre | null> {
    const name = urgedBy(quoted);
    const found = name ? await tx.cadres.findByIdOrName(name) : null;
    return found && found.id !== cadre.id ? found : null;
  }

  /**
   * The line to send words written after a case number: 办结 for "办好了", 接单 for a case waiting for
   * the cadre, 回复 for one he holds; a head's or the office's on someone else's case, 督办 or 回复.
   */
  private async wordsAbout(tx: Repositories, kase: Case, text: string, cadre: Cadre, now: Date): Promise<string> {
    if (doneWords.test(text.replace(/[\p{P}\s]+$/u, ''))) return this.resolveHow(tx, cadre, text, kase.number, now);
    if (kase.assigneeId !== cadre.id && openCaseStatuses.includes(kase.status)) return replies.quotedWordsNotSent({ number: kase.number, text });
    if (kase.status === 'assigned') return replies.acceptWithWords({ text: withoutLeadingNod(text), cases: await this.views.choices(tx, [kase]) });
    return replies.wordsNotSent({ number: kase.number, text });
  }

  /**
   * Whom plain words from a cadre were most likely meant for: the resident of the case they
   * acted on, or else the resident without WeChat they filed for (代办), within `photoFollowsMinutes`.
   */
  private async wordsFor(
    tx: Repositories,
    cadre: Cadre,
    talkerId: string,
    now: Date,
  ): Promise<{ kind: 'case'; number: number; residentWrote: boolean } | { kind: 'relayed'; name: string } | null> {
    const recent = await recentCase(tx, this.config, cadre, now);
    if (recent) return { kind: 'case', number: recent.number, residentWrote: cadre.context?.followUp === true };
    const relayed = await tx.inbound.lastRelayedFrom(talkerId, cadre.id, recentSince(this.config, now));
    return relayed ? { kind: 'relayed', name: relayed.name } : null;
  }

  /** What residents of the cadre's cases wrote since `since`, as they typed it (a quote reply without the message it quotes). */
  private async residentWords(tx: Repositories, cadre: Cadre, since: Date): Promise<{ number: number; resident: string; text: string }[]> {
    return (await tx.inbound.residentWordsTo(cadre.id, since)).map((w) => ({ ...w, text: wordsTo(cleanText(w.text), w.number) }));
  }
}
