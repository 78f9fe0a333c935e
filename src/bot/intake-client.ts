/**
 * Puts inbound messages on the queue. Redis may be down: `Queue.add` then hangs, so each try
 * has a time limit, and a message that could not be added is kept and retried with backoff
 * until it is. The job id comes from the message id, so a retry that raced a late success
 * adds nothing twice.
 *
 * Every message is written to a journal file (one JSON line) before it is added, and stays
 * there until Postgres has it (`recorded`): a bot that dies while Redis is away — also while an
 * add still hangs, before its time limit says it failed — does not take residents' messages with
 * it, and a Redis that comes back without the jobs it had taken (restarted without persistence)
 * gets them again: a message Postgres still lacks a while after it was queued is added once more,
 * a no-op where its job is still there. The next bot on the same file queues what is left first.
 * A message queued twice that way is still handled once (job id, and the inbound table's unique
 * message id). The file stays open for appending; what Postgres has is taken out of it every
 * few seconds, in one query for all, and the file is emptied when nothing is left.
 */
import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
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
  /** The journal of messages Postgres does not have yet; none: kept in memory only. The app sets `<dataDir>/intake-backlog-<prefix>.jsonl`. */
  journalPath?: string;
  /**
   * Which of these messages Postgres has recorded. None: a message counts as safe once queued
   * (a Redis that loses its data loses what it held). The bot asks the inbound table.
   */
  recorded?: (messageIds: string[]) => Promise<string[]>;
  /** How often queued messages are looked up in Postgres. Default 10000. */
  confirmEveryMs?: number;
  /** A message Postgres still lacks this long after it was queued is added again. Default 60000. */
  requeueAfterMs?: number;
}

/** A message written to the journal: not queued yet (`queuedAt` null), or queued at that time. */
interface Journaled {
  dto: InboundMessageDto;
  queuedAt: number | null;
}

export class IntakeClient {
  private readonly waiting = new Map<string, InboundMessageDto>();
  /** What the journal holds: every message Postgres is not known to have, queued or not. */
  private readonly journaled = new Map<string, Journaled>();
  private retryTimer: NodeJS.Timeout | null = null;
  private confirmTimer: NodeJS.Timeout | null = null;
  /** A look-up in Postgres under way: the next is scheduled when it is over. */
  private confirming = false;
  private retryDelayMs: number;
  private stopped = false;
  private readonly options: Required<Omit<IntakeClientOptions, 'journalPath' | 'recorded'>>;
  private readonly journalPath: string | undefined;
  private readonly recorded: IntakeClientOptions['recorded'];
  /** The journal, open for appending once the first message is written; null before. */
  private journalFd: number | null = null;

  constructor(
    private readonly queue: Queue,
    private readonly logger: Logger,
    options: IntakeClientOptions = {},
  ) {
    const { journalPath, recorded, ...rest } = options;
    this.options = { addTimeoutMs: 3000, retryDelayMs: 500, maxRetryDelayMs: 30_000, confirmEveryMs: 10_000, requeueAfterMs: 60_000, ...rest };
    this.retryDelayMs = this.options.retryDelayMs;
    this.journalPath = journalPath;
    this.recorded = recorded;
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
    if (await this.tryAdd(dto)) this.queued(dto.messageId);
    else {
      this.waiting.set(dto.messageId, dto);
      this.scheduleRetry();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.confirmTimer) clearTimeout(this.confirmTimer);
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
    this.journaled.set(dto.messageId, { dto, queuedAt: null });
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
        this.journaled.set(dto.messageId, { dto, queuedAt: null });
      } catch {
        // A line cut short by a crash mid-write: its message arrived while that bot died.
        this.logger.error({ journal: this.journalPath, line: line.slice(0, 200) }, 'unreadable line in the intake journal skipped');
      }
    }
    if (this.waiting.size === 0) return this.clearJournal();
    this.logger.warn({ count: this.waiting.size, journal: this.journalPath }, 'queueing messages a previous bot could not queue');
    this.scheduleRetry();
  }

  /** The message is on the queue: safe, or (with `recorded`) safe once Postgres has it. */
  private queued(messageId: string): void {
    const entry = this.journaled.get(messageId);
    if (!entry) return;
    if (this.recorded) {
      entry.queuedAt = Date.now();
      this.scheduleConfirm();
    } else {
      this.journaled.delete(messageId);
      if (this.journaled.size === 0) this.clearJournal();
    }
  }

  private scheduleConfirm(): void {
    if (this.confirmTimer || this.confirming || this.stopped) return;
    this.confirmTimer = setTimeout(() => {
      this.confirmTimer = null;
      this.confirming = true;
      this.confirm()
        .catch((error: unknown) => this.logger.error({ err: error }, 'intake journal not checked against Postgres'))
        .finally(() => {
          this.confirming = false;
          if ([...this.journaled.values()].some((e) => e.queuedAt !== null)) this.scheduleConfirm();
        });
    }, this.options.confirmEveryMs);
  }

  /**
   * Takes what Postgres has recorded out of the journal, and adds again what it still lacks a
   * while after it was queued: Redis may have lost its job (restarted without persistence).
   */
  private async confirm(): Promise<void> {
    if (!this.recorded) return;
    const queued = [...this.journaled.values()].filter((e) => e.queuedAt !== null);
    if (queued.length === 0) return;
    let recorded: Set<string>;
    try {
      recorded = new Set(await this.recorded(queued.map((e) => e.dto.messageId)));
    } catch (error) {
      // Postgres away: nothing is recorded meanwhile either; the journal keeps all.
      this.logger.warn({ err: error }, 'intake journal not checked against Postgres; will retry');
      return;
    }
    // Stopped meanwhile: the file is the next bot's now, which may have written to it already.
    if (this.stopped) return;
    const due = Date.now() - this.options.requeueAfterMs;
    const lacking: Journaled[] = [];
    for (const entry of queued) {
      if (recorded.has(entry.dto.messageId)) this.journaled.delete(entry.dto.messageId);
      else if (entry.queuedAt! <= due && this.journaled.get(entry.dto.messageId) === entry) lacking.push(entry);
    }
    // Written anew only when it lost a line: a worker away for long would have it copied whole every few seconds.
    if (recorded.size > 0) this.rewriteJournal();
    if (lacking.length === 0) return;
    this.logger.warn({ count: lacking.length }, 'messages queued a while ago and not in Postgres yet: queued again (a no-op where their job is still there)');
    for (const entry of lacking) {
      if (this.waiting.size === 0 && (await this.tryAdd(entry.dto))) entry.queuedAt = Date.now();
      else {
        entry.queuedAt = null;
        this.waiting.set(entry.dto.messageId, entry.dto);
        this.scheduleRetry();
      }
    }
  }

  /** The journal written anew with what it still has to hold (whole or not at all), or emptied. */
  private rewriteJournal(): void {
    if (!this.journalPath) return;
    if (this.journaled.size === 0) return this.clearJournal();
    try {
      const next = `${this.journalPath}.new`;
      writeFileSync(next, [...this.journaled.values()].map((e) => `${JSON.stringify(e.dto)}\n`).join(''));
      renameSync(next, this.journalPath);
      if (this.journalFd !== null) closeSync(this.journalFd);
      this.journalFd = openSync(this.journalPath, 'a');
    } catch (error) {
      // Left longer than it need be: the next bot queues those messages again, still handled once.
      this.logger.warn({ err: error, journal: this.journalPath }, 'intake journal not rewritten');
    }
  }

  /** Nothing is left to queue or to find in Postgres: the journal holds nothing. */
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
    if (this.journaled.size === 0) this.clearJournal();
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
      this.queued(id);
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
