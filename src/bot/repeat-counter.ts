/** Quiets a log that would repeat the same line thousands of times. */
/**
 * Counts repeats of the same text. `seen` returns 0 for a text not seen in the last window (log
 * it), the number of repeats once a window has passed since the last report (log the count), and
 * -1 otherwise (stay quiet).
 */
export class RepeatCounter {
  private text = '';
  private repeats = 0;
  private reportedAt = 0;

  constructor(private readonly windowMs: number) {}

  seen(text: string, now = Date.now()): number {
    if (text !== this.text || now - this.reportedAt > 2 * this.windowMs) {
      this.text = text;
      this.repeats = 0;
      this.reportedAt = now;
      return 0;
    }
    this.repeats += 1;
    if (now - this.reportedAt < this.windowMs) return -1;
    const repeats = this.repeats;
    this.repeats = 0;
    this.reportedAt = now;
    return repeats;
  }
}
