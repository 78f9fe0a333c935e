import type { Clock } from '../../src/services/clock.js';

/** A clock the test moves by hand. */
export interface TestClock {
  now: Clock;
  set(at: Date | string): void;
  advance(minutes: number): void;
}

export function testClock(start: Date | string): TestClock {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (at) => {
      current = new Date(at);
    },
    advance: (minutes) => {
      current = new Date(current.getTime() + minutes * 60_000);
    },
  };
}
