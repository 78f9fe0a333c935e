/**
 * Outbox rows WeChat has taken but whose delivery could not be recorded (Postgres away just
 * after the send). They are recorded later, never sent again — also by the next bot process:
 * a bot stopped or restarted while Postgres is still away, or before its retry came, would
 * otherwise find the row still `sending`, release it and send it a second time.
 *
 * Kept in memory and, when a path is given, in a small file (one row id a line) written only
 * when a record fails: the usual send costs nothing here.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger.js';

export class UnrecordedSends {
  private readonly ids = new Set<number>();

  constructor(
    private readonly filePath: string | undefined,
    private readonly logger: Logger,
  ) {
    if (!filePath) return;
    let text: string;
    try {
      text = readFileSync(filePath, 'utf8');
    } catch {
      return; // no file: every send of the previous bot was recorded
    }
    for (const line of text.split('\n')) {
      const id = Number(line);
      if (line.trim() && Number.isInteger(id)) this.ids.add(id);
    }
    if (this.ids.size > 0) logger.warn({ outboxIds: [...this.ids], file: filePath }, 'messages a previous bot sent are recorded, not sent again');
  }

  /** Row ids sent and not yet recorded, oldest first. */
  get all(): number[] {
    return [...this.ids];
  }

  has(id: number): boolean {
    return this.ids.has(id);
  }

  /** Sent; the record failed. */
  add(id: number): void {
    this.ids.add(id);
    this.save();
  }

  /** Recorded at last. */
  delete(id: number): void {
    if (this.ids.delete(id)) this.save();
  }

  private save(): void {
    if (!this.filePath) return;
    try {
      if (this.ids.size === 0) return rmSync(this.filePath, { force: true });
      mkdirSync(path.dirname(this.filePath), { recursive: true });
      // Whole or not at all: a write cut short ("12" of "123") would record a row never sent.
      writeFileSync(`${this.filePath}.new`, `${[...this.ids].join('\n')}\n`);
      renameSync(`${this.filePath}.new`, this.filePath);
    } catch (error) {
      // Still in memory: only a restart of this bot before the record would send them again.
      this.logger.error({ err: error, file: this.filePath, outboxIds: [...this.ids] }, 'sent messages not written down; kept in memory');
    }
  }
}
