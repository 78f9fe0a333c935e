/**
 * A resident asking after one case by its number — "1001", "#1001", "1001号", "查询 1001", "1001怎么样了"
 * (see `caseAsked`) — is answered as 查询 answers, for that case; a number that is none of her cases
 * gets her 查询 list, and never another resident's case. Asked only for a message of such a form:
 * an ordinary message runs no query here.
 */
import type { Config } from '../config/schema.js';
import type { Repositories } from '../db/database.js';
import type { Case } from '../db/entities/case.entity.js';
import type { Resident } from '../db/entities/resident.entity.js';
import { openCaseStatuses } from '../domain/case.js';
import type { caseAsked } from '../domain/text.js';
import { relayedName, type CallbackService } from './callback.service.js';
import type { DispatchService } from './dispatch.service.js';
import type { Outbox } from './outbox.js';
import { formatTime, replies } from './replies.js';

export type CaseAsked = NonNullable<ReturnType<typeof caseAsked>>;

export class CasesAsked {
  constructor(private readonly deps: { config: Config; dispatch: DispatchService; callbacks: CallbackService }) {}

  /**
   * The answer to `asked`; null where the message goes on as before: "1001怎么样了" about her open case
   * (its holder hears she asked), a number alone that is none of hers while a case of hers is open
   * (words for its holder: an amount he asked for, maybe), or the number of one of her visits.
   */
  async answer(tx: Repositories, resident: Resident, asked: CaseAsked, outbox: Outbox, now: Date): Promise<'status-listed' | null> {
    const kase = await tx.cases.ofResident(resident.id, asked.caseNumber);
    if (kase) {
      if (asked.form === 'progress' && openCaseStatuses.includes(kase.status)) return null;
      outbox.toResident(resident.id, await this.oneCase(tx, resident, kase, now));
      return 'status-listed';
    }
    if (asked.form === 'number' && (await tx.cases.findOpenForResident(resident.id))) return null;
    if ((await tx.bookings.findByNumber(asked.caseNumber))?.residentId === resident.id) return null;
    outbox.toResident(resident.id, `${replies.noSuchCaseOfHers(asked.caseNumber)}\n${await this.deps.callbacks.statusList(tx, resident)}`);
    return 'status-listed';
  }

  /** Her case's 查询 line, with by when its holder answers, the rating question she has in front of her, or that it is done. */
  private async oneCase(tx: Repositories, resident: Resident, kase: Case, now: Date): Promise<string> {
    const holder = kase.assigneeId ? (await tx.cadres.get(kase.assigneeId)).name : '';
    const due = !kase.firstResponseAt && kase.firstResponseDueAt && kase.firstResponseDueAt > now ? kase.firstResponseDueAt : null;
    return replies.caseAsked({
      line: this.deps.dispatch.residentLine(kase, holder),
      contactBy: due && openCaseStatuses.includes(kase.status) ? formatTime(due, this.deps.config.township.timezone) : null,
      askRating: resident.dialog?.kind === 'callback' && resident.dialog.caseId === kase.id,
      relayed: relayedName(resident),
      done: kase.status === 'closed',
    });
  }
}
