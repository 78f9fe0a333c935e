/**
 * What the chat tests share (cadre-loop, heads, leave): a harness per describe with the SLA
 * sweep hourly, so moving the clock escalates nothing behind a test's back; what each person
 * received since it was last read; and sending that returns once the message is handled and
 * every reply it caused is delivered. Also, for any harness: a resident's cases and what became
 * of her messages.
 */
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { startHarness, type Harness, type Person } from './harness.js';

/** A township-local time, e.g. t('2026-11-26T11:00'). */
export const t = (local: string) => new Date(`${local}:00+08:00`);

/** A case row as the tests read it. */
interface CaseRow {
  number: number;
  department_id: string;
  description: string;
  assignee_id: string | null;
}

/**
 * The cases of the resident called `name`, oldest first: number, department and what she wrote,
 * and the `more` columns named.
 */
export function casesOf<K extends keyof CaseRow = never>(
  h: Harness,
  name: string,
  ...more: K[]
): Promise<Pick<CaseRow, 'number' | 'department_id' | 'description' | K>[]> {
  const columns = ['number', 'department_id', 'description', ...more].map((c) => `c.${c}`).join(', ');
  return h.query(`SELECT ${columns} FROM cases c JOIN residents r ON r.id = c.resident_id WHERE r.name = $1 ORDER BY c.id`, [name]);
}

/** The outcomes of what the resident called `name` sent, oldest first. */
export async function outcomesOf(h: Harness, name: string): Promise<string[]> {
  const rows = await h.query<{ outcome: string }>(
    `SELECT m.outcome FROM inbound_messages m JOIN residents r ON r.id = m.resident_id WHERE r.name = $1 ORDER BY m.id`,
    [name],
  );
  return rows.map((r) => r.outcome);
}

/**
 * The helpers, bound to the test file's harness: `started` hands each describe's new harness to
 * the file (which keeps it as `h`).
 */
export function chat(started: (h: Harness) => void) {
  let h: Harness;
  /** Everyone created in the current harness, so each test starts with empty inboxes. */
  let everyone: Person[] = [];
  const seen = new WeakMap<Person, number>();

  /** What `p` received since the last call. */
  const news = (p: Person): string[] => {
    const from = seen.get(p) ?? 0;
    seen.set(p, p.received.length);
    return p.received.slice(from);
  };

  const until = async (check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  const handled = () => h.count(`SELECT count(*) FROM inbound_messages WHERE handled_at IS NOT NULL`);

  /** Waits until the message is handled by the worker and every reply it caused is delivered. */
  const deliver = async (action: () => void): Promise<void> => {
    const before = await handled();
    action();
    await until(async () => (await handled()) > before, 'the message to be handled');
    await h.settle();
  };

  /** `p` says `text` at the current test time; returns when all is delivered. */
  const send = (p: Person, text: string) => deliver(() => p.say(text));

  return {
    t,
    news,
    until,
    deliver,
    send,
    sendPhoto: (p: Person, name: string) => deliver(() => p.sendFile(name)),

    /** Starts a harness for the enclosing describe. */
    useHarness(): void {
      beforeAll(async () => {
        h = await startHarness({ schedules: { sweepEveryMs: 3_600_000, watchdogEveryMs: 3_600_000 } });
        started(h);
        everyone = [];
      });
      afterAll(async () => {
        await h?.stop();
      });
      beforeEach(() => {
        for (const p of everyone) news(p);
      });
    },

    /** A mock contact bound to a configured cadre. */
    async bind(cadreId: string): Promise<Person> {
      const p = await h.cadre(cadreId);
      everyone.push(p);
      return p;
    },

    /** A resident already registered in a village (no village question). */
    async resident(name: string, villageId: string): Promise<Person> {
      const p = await h.registered(name, villageId);
      everyone.push(p);
      return p;
    },

    /** A contact that is not a resident yet (e.g. a cadre's new phone). */
    contact(name: string): Person {
      const p = h.resident(name);
      everyone.push(p);
      return p;
    },

    /** `p` says `text` at `local` time. */
    async sendAt(local: string, p: Person, text: string): Promise<void> {
      h.clock.set(t(local));
      await send(p, text);
    },

    /** The resident writes a matter and gets the acknowledgement; returns the case number. */
    async openCase(p: Person, text: string): Promise<number> {
      await send(p, text);
      const got = news(p);
      expect(got).toHaveLength(1);
      expect(got[0]).toContain('已受理');
      return Number(/编号 #(\d+)/.exec(got[0]!)![1]);
    },
  };
}
