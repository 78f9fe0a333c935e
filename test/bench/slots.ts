/**
 * The booking slot search (BookingService.availability, "the slot search the benchmark
 * measures"): open slots of 20 services over a 30-day horizon, with half the slots already
 * partly booked, against the run's database. Target: < 20 ms.
 */
import type { Config, ServiceConfig } from '../../src/config/schema.js';
import { Database } from '../../src/db/database.js';
import { openDataSource } from '../../src/db/data-source.js';
import { chineseCalendar } from '../../src/domain/calendar.js';
import { BookingService } from '../../src/services/booking.service.js';
import { summarize, type LatencySummary } from './metrics.js';

export interface SlotSearchReport {
  services: number;
  days: number;
  /** Open slots found by one search. */
  slots: number;
  coldMs: number;
  /** Warm runs. */
  ms: number;
  latencyMs: LatencySummary;
}

export async function benchSlotSearch(options: { config: Config; db: Database; now: Date; services?: number; days?: number; runs?: number }): Promise<SlotSearchReport> {
  const count = options.services ?? 20;
  const days = options.days ?? 30;
  const runs = options.runs ?? 30;
  const departments = options.config.departments.filter((d) => d.id !== options.config.township.officeDepartment);
  const services: ServiceConfig[] = Array.from({ length: count }, (_, i) => ({
    id: `bench-svc-${i + 1}`,
    name: `上门服务${i + 1}`,
    where: 'home',
    durationMinutes: 30,
    capacity: 2,
    bufferMinutes: 0,
    minNoticeMinutes: 120,
    horizonDays: days,
    plan: [{ days: 'workdays', hours: ['08:30-12:00', '14:30-17:30'] }],
    exceptions: [],
  }));
  // The 20 services spread over the departments, replacing the sample's own.
  const config: Config = {
    ...options.config,
    departments: options.config.departments.map((d) => ({
      ...d,
      services: services.filter((_, i) => departments[i % departments.length]!.id === d.id),
    })),
  };
  const bookings = new BookingService(config, chineseCalendar);
  const ids = services.map((s) => s.id);

  // Every other slot of the horizon holds one booking already.
  const first = await bookings.availability(options.db, ids, options.now);
  const serviceOf = [...first].flatMap(([id, slots]) => slots.map((s) => ({ id, startsAt: s.startsAt }))).filter((_, i) => i % 2 === 0);
  await options.db.dataSource.query(
    `INSERT INTO booking_slots (service_id, starts_at, capacity, booked)
     SELECT s, t, 2, 1 FROM unnest($1::text[], $2::timestamptz[]) AS x(s, t) ON CONFLICT DO NOTHING`,
    [serviceOf.map((r) => r.id), serviceOf.map((r) => r.startsAt)],
  );
  // As autovacuum would after such an insert, before the timings rather than during them.
  await options.db.dataSource.query(`ANALYZE booking_slots`);

  const time = async () => {
    const started = performance.now();
    const result = await bookings.availability(options.db, ids, options.now);
    return { ms: performance.now() - started, slots: [...result.values()].reduce((n, s) => n + s.length, 0) };
  };
  const cold = await time();
  const warm: number[] = [];
  let slots = cold.slots;
  for (let i = 0; i < runs; i++) {
    const t = await time();
    warm.push(t.ms);
    slots = t.slots;
  }
  const latencyMs = summarize(warm);
  await options.db.dataSource.query(`DELETE FROM booking_slots WHERE service_id = ANY($1)`, [ids]);
  return { services: count, days, slots, coldMs: Math.round(cold.ms * 10) / 10, ms: latencyMs.p50, latencyMs };
}

/**
 * Waits (up to `maxMs`) until no autovacuum worker is busy in this database; returns the
 * milliseconds waited. The runs before a micro-benchmark leave thousands of fresh rows behind.
 */
export async function untilAutovacuumIdle(db: Database, maxMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < maxMs) {
    const [row] = (await db.dataSource.query(
      `SELECT count(*)::int AS busy FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND datname = current_database()`,
    )) as { busy: number }[];
    if (row!.busy === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return Math.round(performance.now() - started);
}

/** A migrated Database on `url` for `work`, closed afterwards. */
export async function withDatabase<T>(url: string, work: (db: Database) => Promise<T>): Promise<T> {
  const dataSource = await openDataSource({ url, poolSize: 2 });
  try {
    return await work(new Database(dataSource));
  } finally {
    await dataSource.destroy();
  }
}
