/**
 * The new-matter question: words of another department while a case of hers is open ("我家稻子倒伏了"
 * while the pig case is open) may be a new matter or more about the case, and she is asked once
 * ("请问这是一件新的事，还是 #1003 的补充？"). Her words wait on the question (`messageIds`); 1 or 新的 makes
 * them a case of their own, 2 or 补充 — or no answer by its expiry (the sweep) — adds them to the case.
 */
import type { Config, DepartmentConfig } from '../config/schema.js';
import type { Database, Repositories } from '../db/database.js';
import type { Case } from '../db/entities/case.entity.js';
import type { InboundMessage } from '../db/entities/inbound-message.entity.js';
import type { Resident } from '../db/entities/resident.entity.js';
import type { Delivery } from '../db/repositories/outbox.repository.js';
import { openCaseStatuses } from '../domain/case.js';
import type { ClassifyResult, DepartmentClassifier } from '../domain/classify.js';
import type { Dialog } from '../domain/dialog.js';
import { asksProgress, bareWords, isPleasantry, isThanks, parseMenuNumber, saysSettled, withoutLeadingNod } from '../domain/text.js';
import { askPendingRating } from './callback.service.js';
import type { Clock } from './clock.js';
import type { DispatchService } from './dispatch.service.js';
import type { IntakeOutcome } from './intake.service.js';
import { Outbox } from './outbox.js';
import { replies } from './replies.js';

/** How long after her holder wrote to her a resident's words are taken as her answer, not asked about as a new matter. */
const answerMinutes = 120;

/** Her answer to the new-matter question in words: "新的", "是新的事" → 1; "补充", "不是新的" → 2. */
function newMatterAnswer(text: string): 1 | 2 | null {
  const bare = bareWords(text);
  if (/^(?:是)?新的?(?:事情?|问题)?[吧啊呀]?$/.test(bare)) return 1;
  if (/^(?:是)?(?:补充|原来的|不是新的?(?:事情?|问题)?)[吧啊呀]?$/.test(bare)) return 2;
  return null;
}

type NewMatterQuestion = Extract<Dialog, { kind: 'ask-new-matter' }>;

export class NewMatters {
  constructor(private readonly deps: { db: Database; config: Config; clock: Clock; classifier: DepartmentClassifier; dispatch: DispatchService }) {}

  /**
   * Whether words of another department (`classified`) are asked about: they may be a new matter, and
   * no holder of hers wrote to her just before (they would be her answer).
   */
  async mayBeNew(tx: Repositories, text: string, open: readonly Case[], classified: ClassifyResult, now: Date): Promise<boolean> {
    return this.mayBeNewMatter(text, open, classified) && !(await this.answersHolder(tx, open, now));
  }

  /** Asks whether her words are a new matter of `department` or more about `kase`; they wait on the answer. */
  ask(resident: Resident, message: InboundMessage, kase: Case, department: DepartmentConfig, outbox: Outbox, now: Date): IntakeOutcome {
    const minutes = this.deps.config.township.caseRules.newMatterQuestionMinutes;
    resident.dialog = {
      kind: 'ask-new-matter', messageIds: [message.id], caseId: kase.id, departmentId: department.id, expiresAt: new Date(now.getTime() + minutes * 60_000).toISOString(),
    };
    outbox.toResident(resident.id, replies.askNewMatter({ number: kase.number, matter: kase.description, department: department.name }));
    return 'asked-new-matter';
  }

  /**
   * Her message while asked whether her words are a new matter: 1 makes them a case of their own, 2
   * adds them to the open case (the outcome is returned). Anything else — or anything after the
   * question lapsed — adds them to the case as 2 would, and null lets this message be taken as it comes.
   */
  async answer(
    tx: Repositories,
    resident: Resident,
    dialog: NewMatterQuestion,
    message: InboundMessage,
    text: string,
    outbox: Outbox,
    now: Date,
  ): Promise<IntakeOutcome | null> {
    const live = message.kind === 'text' && Date.parse(dialog.expiresAt) > now.getTime();
    const choice = live ? (newMatterAnswer(text) ?? parseMenuNumber(text)) : null;
    // More of the same matter, typed before she read the question: kept with it, the question stands.
    if (live && choice === null && this.deps.classifier.classify(text).departmentId === dialog.departmentId) {
      resident.dialog = { ...dialog, messageIds: [...dialog.messageIds, message.id] };
      outbox.toResident(resident.id, replies.answerNewMatterFirst());
      return 'asked-new-matter';
    }
    const outcome = await this.settle(tx, resident, dialog, choice === 1, outbox, now);
    return choice === 1 || choice === 2 ? outcome : null;
  }

  /** Her words kept at the new-matter question become a case of their own (`asNew`), else a follow-up of the case asked about. */
  private async settle(tx: Repositories, resident: Resident, dialog: NewMatterQuestion, asNew: boolean, outbox: Outbox, now: Date): Promise<IntakeOutcome> {
    resident.dialog = null;
    const words = (await tx.inbound.findByIds(dialog.messageIds)).sort((a, b) => a.id - b.id);
    const kase = await tx.cases.lockById(dialog.caseId);
    if (words.length === 0) return 'no-question';
    // The case asked about closed meanwhile, or the department left the configuration: a case of its own (the office's).
    const open = kase !== null && openCaseStatuses.includes(kase.status);
    if (asNew || !open) {
      const known = this.deps.dispatch.departments.has(dialog.departmentId);
      const departmentId = known ? dialog.departmentId : this.deps.config.township.officeDepartment;
      await this.deps.dispatch.openCase(tx, { resident, messages: words, departmentId, unclear: !known, outbox, now });
      return 'case-opened';
    }
    for (const message of words) await this.deps.dispatch.addToCase(tx, { kase, resident, message, outbox, now });
    await tx.inbound.linkToCase(words.map((w) => w.id), kase.id);
    return 'added-to-case';
  }

  /**
   * New-matter questions nobody answered by their expiry (`newMatterQuestionMinutes`): her words
   * join the open case, as 2 would, and its holder reads them. Run by the sweep; returns the outbox rows to enqueue.
   */
  async settleUnanswered(): Promise<Delivery[]> {
    const { db, config, clock } = this.deps;
    const now = clock();
    return db.transaction(async (tx) => {
      const outbox = new Outbox(tx, now, null, config.township);
      for (const resident of await tx.residents.withLapsedNewMatterQuestion(now)) {
        if (resident.dialog?.kind !== 'ask-new-matter') continue;
        await this.settle(tx, resident, resident.dialog, false, outbox, now);
        await askPendingRating(tx, resident, outbox);
        await tx.residents.save(resident, now);
      }
      return outbox.flush();
    });
  }

  /** A holder of hers wrote to her within {@link answerMinutes}: her words are most likely her answer ("种了水稻，叶子有点发黄"). */
  private async answersHolder(tx: Repositories, open: readonly Case[], now: Date): Promise<boolean> {
    for (const kase of open) {
      const reply = await tx.cases.lastReply(kase.id);
      if (reply !== null && now.getTime() - reply.at.getTime() <= answerMinutes * 60_000) return true;
    }
    return false;
  }

  /**
   * Words another department is sure of (`classified`), while her open cases are elsewhere, that may
   * be a new matter ("我家稻子倒伏了" while the pig case is open) — not when they read as about an open
   * case: a word of its department is in them ("稻子叶子黄了，猪也不爱吃"), thanks, a nod or news that
   * it is over ("猪好了，谢谢", "收到，明天在家"), a question where it stands; nor while the office is
   * placing a matter of hers (more words may be that matter, told better).
   */
  private mayBeNewMatter(text: string, open: readonly Case[], classified: ClassifyResult): boolean {
    if (open.some((c) => c.departmentId === this.deps.config.township.officeDepartment)) return false;
    if (classified.scores.some((s) => open.some((c) => c.departmentId === s.departmentId))) return false;
    return !(isPleasantry(text) || isThanks(text) || withoutLeadingNod(text) !== text || saysSettled(text) || asksProgress(text));
  }
}
