import type { Repositories } from '../db/database.js';
import type { Delivery, NewOutboundMessage } from '../db/repositories/outbox.repository.js';

/**
 * Collects the messages one unit of work sends. `flush()` writes them in its transaction, in
 * the order they were added, and returns what to enqueue once the transaction has committed.
 */
export class Outbox {
  private readonly pending: NewOutboundMessage[] = [];
  /** Existing rows released for another attempt. */
  private readonly released: Delivery[] = [];

  constructor(
    private readonly tx: Repositories,
    private readonly now: Date,
    private readonly inboundMessageId: number | null,
  ) {}

  toResident(residentId: number, text: string, caseId: number | null = null): void {
    this.add({ to: { residentId }, text, caseId });
  }

  toCadre(cadreId: string, text: string, caseId: number | null = null): void {
    this.add({ to: { cadreId }, text, caseId });
  }

  /** Passes a photo, voice or location message on as it is. */
  forwardToCadre(cadreId: string, sourceMessageId: string, description: string, caseId: number): void {
    this.add({ to: { cadreId }, text: description, caseId, kind: 'forward', forwardMessageId: sourceMessageId });
  }

  forwardToResident(residentId: number, sourceMessageId: string, description: string, caseId: number): void {
    this.add({ to: { residentId }, text: description, caseId, kind: 'forward', forwardMessageId: sourceMessageId });
  }

  /** Rows written earlier that are to be sent (again) with this unit of work. */
  release(deliveries: readonly Delivery[]): void {
    this.released.push(...deliveries);
  }

  /** Writes the messages added so far; returns them and the released rows, for the outbound queue. */
  async flush(): Promise<Delivery[]> {
    const written = await this.tx.outbox.addAll(this.pending.splice(0), this.now);
    return [...this.released.splice(0), ...written];
  }

  private add(message: NewOutboundMessage): void {
    this.pending.push({ ...message, inboundMessageId: this.inboundMessageId });
  }
}
