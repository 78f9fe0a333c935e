/**
 * The township's own holiday dates (township.yaml `calendar:`) reach the SLA clocks, and a start
 * without next year's holidays says so.
 */
import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let dir: string;
const logLines: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lianxin-calendar-'));
  await cp(path.resolve(import.meta.dirname, '../fixtures/qingshan'), dir, { recursive: true });
  // Thursday 26 Nov 2026 declared a holiday by the township: not in the package's tables.
  await appendFile(path.join(dir, 'township.yaml'), '\ncalendar:\n  holidays: ["2026-11-26"]\n');
  h = await startHarness({ configDir: dir, logger: createLogger('warn', { write: (line: string) => void logLines.push(line) }) });
  for (const id of ['q-office', 'q-farm-head', 'q-farm-a', 'q-farm-b']) await h.cadre(id); // their phones
});
afterAll(async () => {
  await h?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("the township's calendar", () => {
  it('stops the SLA clock on a holiday the township added', async () => {
    h.clock.set('2026-11-26T10:00:00+08:00');
    const resident = h.resident('甲');
    resident.say('我家柑橘树得了黄龙病');
    await resident.waitForMessages(1);
    resident.say('青山村');
    await resident.waitForMessages(3);
    await h.settle();
    const [row] = await h.query<{ accept_due_at: Date }>(`SELECT accept_due_at FROM cases`);
    // On a working day 10:00 + 120 working minutes is 12:00 the same day (routing.test.ts); on
    // the holiday the clock starts Friday at 09:00: due at 11:00.
    expect(row!.accept_due_at.toISOString()).toBe('2026-11-27T03:00:00.000Z');
  });

  it('warns at start that 2027 has no holidays yet (it is November 2026)', () => {
    const warnings = logLines.map((line) => JSON.parse(line) as { missingYear?: number; msg: string });
    expect(warnings).toContainEqual(expect.objectContaining({ missingYear: 2027, msg: expect.stringContaining('calendar:') }));
  });
});
