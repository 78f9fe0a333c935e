/**
 * Puts inbound messages on the queue. Redis may be down: `Queue.add` then hangs, so each try
 * has a time limit, and a message that could not be added is kept and retried with backoff
 * until it is. The job id comes from the message id, so a retry that raced a late success
 * adds nothing twice.
 *
 * Every message is written to a journal file (one JSON line) before it is added, and the file
 * is emptied whenever nothing is waiting or being added (removed at a stop that leaves nothing):
 * a bot that dies while Redis is away — also while an add still hangs, before its time limit says
 * it failed — does not take residents' messages with it. The next bot on the same file queues
 * them first. A message queued twice that way is still handled once (job id, and the inbound
 * table's unique message id). The file stays open: a write and an emptying cost a few
 * microseconds, where creating and removing it for every message would cost a hundred.
 */
import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
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
  /** The journal of messages not yet queued; none: kept in memory only. The app sets `<dataDir>/intake-backlog-<prefix>.jsonl`. */
  journalPath?: string;
}

export class IntakeClient {
  private readonly waiting = new Map<string, InboundMessageDto>();
  /** Adds under way outside the backlog (a message that found nothing waiting). */
  private adding = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelayMs: number;
  private stopped = false;
  private readonly options: Required<Omit<IntakeClientOptions, 'journalPath'>>;
  private readonly journalPath: string | undefined;
  /** The journal, open for appending once the first message is written; null before. */
  private journalFd: number | null = null;

  constructor(
    private readonly queue: Queue,
    private readonly logger: Logger,
    options: IntakeClientOptions = {},
  ) {
    const { journalPath, ...rest } = options;
    this.options = { addTimeoutMs: 3000, retryDelayMs: 500, maxRetryDelayMs: 30_000, ...rest };
    this.retryDelayMs = this.options.retryDelayMs;
    this.journalPath = journalPath;
    this.replayJournal();
  }

  /** Messages not yet on the queue. */
  get backlog(): number {
    return this.waiting.size;
  }

  /** Never throws: a message that cannot be queued now is kept for a retry. */
  async enqueue(dto: InboundMessageDto): Promise<void> {
    // On disk first: the add may hang for its whole time limit, and the process die meanwhile.
    this.journal(dto);
    if (this.waiting.size > 0) {
      // Keep arrival order: behind those already waiting.
      this.waiting.set(dto.messageId, dto);
      return;
    }
    this.adding += 1;
    const added = await this.tryAdd(dto);
    this.adding -= 1;
    if (!added) {
      this.waiting.set(dto.messageId, dto);
      this.scheduleRetry();
    } else if (this.waiting.size === 0 && this.adding === 0) {
      this.clearJournal();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.waiting.size > 0) await this.flush();
    if (this.waiting.size > 0) {
      this.logger.error(
        { count: this.waiting.size, messageIds: [...this.waiting.keys()], journal: this.journalPath ?? null },
        this.journalPath ? 'stopping with messages not queued: the next start queues them from the journal' : 'stopping with messages not queued',
      );
    }
    this.closeJournal();
  }

  /** Writes the message to the journal; a message that cannot be written is still kept in memory. */
  private journal(dto: InboundMessageDto): void {
    if (!this.journalPath) return;
    try {
      if (this.journalFd === null) {
        mkdirSync(path.dirname(this.journalPath), { recursive: true });
        this.journalFd = openSync(this.journalPath, 'a');
      }
      writeSync(this.journalFd, `${JSON.stringify(dto)}\n`);
    } catch (error) {
      this.logger.error({ err: error, messageId: dto.messageId, journal: this.journalPath }, 'message not written to the intake journal; kept in memory');
    }
  }

  /** Messages a previous bot could not queue wait first, in the order they came. */
  private replayJournal(): void {
    if (!this.journalPath) return;
    let text: string;
    try {
      text = readFileSync(this.journalPath, 'utf8');
    } catch {
      return; // no journal: nothing was left waiting
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const dto = JSON.parse(line) as InboundMessageDto;
        this.waiting.set(dto.messageId, dto);
      } catch {
        // A line cut short by a crash mid-write: its message arrived while that bot died.
        this.logger.error({ journal: this.journalPath, line: line.slice(0, 200) }, 'unreadable line in the intake journal skipped');
      }
    }
    if (this.waiting.size === 0) return this.clearJournal();
    this.logger.warn({ count: this.waiting.size, journal: this.journalPath }, 'queueing messages a previous bot could not queue');
    this.scheduleRetry();
  }

  /** Nothing is waiting or being added: the journal holds nothing to queue. */
  private clearJournal(): void {
    if (!this.journalPath) return;
    try {
      if (this.journalFd !== null) ftruncateSync(this.journalFd, 0);
      else rmSync(this.journalPath, { force: true });
    } catch (error) {
      // Left as it is: the next bot queues its messages again, and they are still handled once.
      this.logger.warn({ err: error, journal: this.journalPath }, 'intake journal not emptied');
    }
  }

  /** At a stop: the file goes when it holds nothing. */
  private closeJournal(): void {
    if (this.journalFd === null) return;
    closeSync(this.journalFd);
    this.journalFd = null;
    if (this.waiting.size === 0 && this.adding === 0) this.clearJournal();
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
    // Everything is on the queue; messages that arrive meanwhile go straight to it.
    if (this.adding === 0) this.clearJournal();
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
