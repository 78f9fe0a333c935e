/**
 * A message lianxin's own code keeps failing on while Postgres answers (a fault of ours, not an
 * outage): after a few tries it is recorded as it came and handed to the office as a case, and its
 * sender gets the usual answer — instead of being retried until its job fails for good and the
 * message is gone without a row or a reply.
 */
import type { Config } from '../config/schema.js';
import type { Database, Repositories } from '../db/database.js';
import type { InboundMessage } from '../db/entities/inbound-message.entity.js';
import type { Delivery } from '../db/repositories/outbox.repository.js';
import type { Dialog } from '../domain/dialog.js';
import type { InboundMessageDto } from '../queue/jobs.js';
import type { Clock } from './clock.js';
import type { DispatchService } from './dispatch.service.js';
import { matterMessages } from './department-menu.js';
import { overFloodLimit } from './flood.js';
import { Outbox } from './outbox.js';
import { replies } from './replies.js';

/** The outcome of such a message: recorded, handed to the office (its case) or only answered. */
export const unhandledOutcome = 'unhandled';

/** The messages a question keeps back until it is answered. */
function heldBy(dialog: Dialog | null): number[] {
  if (dialog?.kind === 'ask-village' || dialog?.kind === 'ask-department') return dialog.pendingMessageIds;
  if (dialog?.kind === 'ask-new-matter') return dialog.messageIds;
  return [];
}

export class UnhandledMessages {
  constructor(private readonly deps: { db: Database; config: Config; clock: Clock; dispatch: DispatchService }) {}

  /**
   * Records `dto` without handling it, a resident's words as an office case; returns what to
   * enqueue. If the case cannot be opened either, the message is recorded and its sender told
   * that it did not go through. Throws when Postgres does not answer (the job retries).
   */
  async record(dto: InboundMessageDto): Promise<Delivery[]> {
    try {
      return await this.recordWith(dto, true);
    } catch (error) {
      if (!(await this.deps.db.answers())) throw error;
      return this.recordWith(dto, false);
    }
  }

  private recordWith(dto: InboundMessageDto, toOffice: boolean): Promise<Delivery[]> {
    const { db, config, clock } = this.deps;
    return db.transaction(async (tx) => {
      const message = await tx.inbound.recordAndLock(dto);
      if (message.handledAt) return [];
      const now = clock();
      const outbox = new Outbox(tx, now, message.id, config.township);
      message.outcome = unhandledOutcome;
      message.handledAt = now;
      if (!message.roomId) await this.answer(tx, message, toOffice, outbox, now);
      await tx.inbound.finish(message);
      return outbox.flush(message.cadreId);
    });
  }

  private async answer(
    tx: Repositories,
    message: InboundMessage,
    toOffice: boolean,
    outbox: Outbox,
    now: Date,
  ): Promise<void> {
    const cadre = await tx.cadres.findActiveByWechatId(message.talkerId);
    if (cadre) {
      message.cadreId = cadre.id;
      outbox.toCadre(cadre.id, replies.notHandledForCadre());
      return;
    }
    const resident = await tx.residents.lockOrCreate(message.talkerId, message.talkerName, now);
    message.residentId = resident.id;
    // Its tries had no row: the flood limit of the usual path did not count it, nor those of a
    // flood that failed with it. Now it does, as it would have then.
    const flood = await overFloodLimit(tx, message, this.deps.config.township.residentMessagesPerMinute, outbox);
    if (flood) {
      message.outcome = flood;
      return;
    }
    if (!toOffice) {
      outbox.toResident(resident.id, replies.notHandled());
      return;
    }
    // The question in front of her may be what fails: it is dropped, and the words it held back
    // (a matter waiting for its village or department, or for "new, or more?") go with this one.
    const held = heldBy(resident.dialog);
    resident.dialog = null;
    await tx.residents.save(resident, now);
    // What failed on her words most likely fails on her next ones too: they join the case the
    // first one opened, so the office reads one case, not one a message.
    const opened = held.length === 0 ? await tx.cases.lockOpenUnhandledForResident(resident.id) : null;
    if (opened) {
      await this.deps.dispatch.addToCase(tx, { kase: opened, resident, message, outbox, now });
      return;
    }
    const messages = await matterMessages(tx, held, message);
    const departmentId = this.deps.config.township.officeDepartment;
    const kase = await this.deps.dispatch.openCase(tx, { resident, messages, departmentId, unclear: false, unhandled: true, outbox, now });
    message.caseId = kase.id;
  }
}
