import type { Repositories } from '../db/database.js';
import type { Delivery } from '../db/repositories/outbox.repository.js';

/**
 * Collects the messages one unit of work sends, written in its transaction. `ids` are
 * enqueued for delivery once the transaction has committed.
 */
export class Outbox {
  /** Rows written here (new rows: attempt 0), and rows released for another attempt. */
  readonly ids: Delivery[] = [];

  constructor(
    private readonly tx: Repositories,
    private readonly now: Date,
    private readonly inboundMessageId: number | null,
  ) {}

  toResident(residentId: number, text: string, caseId: number | null = null): Promise<void> {
    return this.add({ to: { residentId }, text, caseId });
  }

  toCadre(cadreId: string, text: string, caseId: number | null = null): Promise<void> {
    return this.add({ to: { cadreId }, text, caseId });
  }

  /** Passes a photo, voice or location message on as it is. */
  forwardToCadre(cadreId: string, sourceMessageId: string, description: string, caseId: number): Promise<void> {
    return this.add({ to: { cadreId }, text: description, caseId, kind: 'forward', forwardMessageId: sourceMessageId });
  }

  forwardToResident(residentId: number, sourceMessageId: string, description: string, caseId: number): Promise<void> {
    return this.add({ to: { residentId }, text: description, caseId, kind: 'forward', forwardMessageId: sourceMessageId });
  }

  private async add(message: Parameters<Repositories['outbox']['add']>[0]): Promise<void> {
    const id = await this.tx.outbox.add({ ...message, inboundMessageId: this.inboundMessageId }, this.now);
    this.ids.push({ id, attempts: 0 });
  }
}
