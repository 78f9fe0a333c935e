/**
 * Puts inbound messages on the queue. Redis may be down: `Queue.add` then hangs, so each try
 * has a time limit, and a message that could not be added is kept and retried with backoff
 * until it is. The job id comes from the message id, so a retry that raced a late success
 * adds nothing twice.
 */
import type { Queue } from 'bullmq';
import type { Logger } from '../logger.js';
import { jobIds, type InboundMessageDto } from '../queue/jobs.js';
import { jobOptions } from '../queue/queues.js';

export interface IntakeClientOptions {
  /** Give up one try after this long. Default 3000. */
  addTimeoutMs?: number;
  /** First retry delay; doubles up to `maxRetryDelayMs`. Default 500. */
  retryDelayMs?: number;
  /** Default 30000. */
  maxRetryDelayMs?: number;
}

export class IntakeClient {
  private readonly waiting = new Map<string, InboundMessageDto>();
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelayMs: number;
  private stopped = false;
  private readonly options: Required<IntakeClientOptions>;

  constructor(
    private readonly queue: Queue,
    private readonly logger: Logger,
    options: IntakeClientOptions = {},
  ) {
    this.options = { addTimeoutMs: 3000, retryDelayMs: 500, maxRetryDelayMs: 30_000, ...options };
    this.retryDelayMs = this.options.retryDelayMs;
  }

  /** Messages not yet on the queue. */
  get backlog(): number {
    return this.waiting.size;
  }

  /** Never throws: a message that cannot be queued now is kept for a retry. */
  async enqueue(dto: InboundMessageDto): Promise<void> {
    if (this.waiting.size > 0) {
      // Keep arrival order: behind those already waiting.
      this.waiting.set(dto.messageId, dto);
      return;
    }
    if (!(await this.tryAdd(dto))) {
      this.waiting.set(dto.messageId, dto);
      this.scheduleRetry();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.waiting.size > 0) await this.flush();
    if (this.waiting.size > 0) {
      this.logger.error({ count: this.waiting.size, messageIds: [...this.waiting.keys()] }, 'stopping with messages not queued');
    }
  }

  private async tryAdd(dto: InboundMessageDto): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.queue.add('handle-message', dto, { ...jobOptions['handle-message'], jobId: jobIds.inbound(dto.messageId) }),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`queue add timed out after ${this.options.addTimeoutMs} ms`)), this.options.addTimeoutMs);
        }),
      ]);
      return true;
    } catch (error) {
      this.logger.warn({ err: error, messageId: dto.messageId }, 'inbound message not queued yet; will retry');
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  private async flush(): Promise<void> {
    for (const [id, dto] of this.waiting) {
      if (!(await this.tryAdd(dto))) return;
      this.waiting.delete(id);
    }
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.flush()
        .then(() => {
          if (this.waiting.size === 0) {
            this.retryDelayMs = this.options.retryDelayMs;
            this.logger.info('inbound queue reachable again; backlog sent');
          } else {
            this.retryDelayMs = Math.min(this.retryDelayMs * 2, this.options.maxRetryDelayMs);
            this.scheduleRetry();
          }
        })
        .catch((error: unknown) => this.logger.error({ err: error }, 'inbound retry failed'));
    }, this.retryDelayMs);
  }
}
