/**
 * Two transactions on one row, in a fixed order: the race a lock must win, made deterministic.
 */
import pg from 'pg';
import { expect, vi } from 'vitest';
import type { Harness } from './harness.js';

/**
 * Another transaction holds `table`'s row `id` locked (as a resident's own message being handled
 * holds her row); `act` starts the app's side (a cadre's command, a sweep); once the app waits
 * for that row, `meanwhile` changes it in the holding transaction, which then commits. Resolves
 * when `act` has. `waiting`: how many of the app's transactions `act` sets waiting for the row
 * (two workers sweeping at once: 2).
 */
export async function whileRowHeld(
  h: Pick<Harness, 'database' | 'count'>,
  row: { table: 'residents' | 'cases' | 'cadres'; id: number | string },
  act: () => unknown,
  meanwhile: (query: (sql: string, params?: unknown[]) => Promise<unknown>) => Promise<unknown>,
  waiting = 1,
): Promise<void> {
  const holder = new pg.Client({ connectionString: h.database.url });
  await holder.connect();
  let acting: unknown;
  try {
    await holder.query('BEGIN');
    await holder.query(`SELECT 1 FROM ${row.table} WHERE id = $1 FOR UPDATE`, [row.id]);
    acting = act();
    await vi.waitFor(
      async () => expect(await h.count(`SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`)).toBe(waiting),
      { timeout: 10_000, interval: 20 },
    );
    await meanwhile((sql, params) => holder.query(sql, params));
    await holder.query('COMMIT');
  } finally {
    await holder.end();
  }
  await acting;
}
