/**
 * Quiets a log that would repeat the same lines thousands of times (a puppet that cannot reach
 * WeChat retries at once and fails the same way). Per text: the first time, and again after a
 * quiet spell, it is logged in full; repeats are logged as a count once a window.
 */
export type Verdict =
  /** Log it in full; `earlier`: repeats of it not yet reported before the quiet spell. */
  | { log: 'full'; earlier: number }
  /** Log that it came `repeats` times more since the last report. */
  | { log: 'count'; repeats: number }
  | { log: 'none' };

export class RepeatCounter {
  private readonly texts = new Map<string, { repeats: number; reportedAt: number; lastAt: number }>();

  constructor(
    private readonly windowMs: number,
    /** Texts remembered at once; the oldest is forgotten beyond. */
    private readonly keep = 20,
  ) {}

  seen(text: string, now = Date.now()): Verdict {
    const entry = this.texts.get(text);
    if (!entry || now - entry.lastAt > 2 * this.windowMs) {
      this.texts.delete(text);
      this.texts.set(text, { repeats: 0, reportedAt: now, lastAt: now });
      if (this.texts.size > this.keep) this.texts.delete(this.texts.keys().next().value!);
      return { log: 'full', earlier: entry?.repeats ?? 0 };
    }
    entry.repeats += 1;
    entry.lastAt = now;
    if (now - entry.reportedAt < this.windowMs) return { log: 'none' };
    const repeats = entry.repeats;
    entry.repeats = 0;
    entry.reportedAt = now;
    return { log: 'count', repeats };
  }
}
