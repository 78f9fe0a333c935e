import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the statistics (src/db/repositories/stats.repository.ts), sized for a township with
 * a million cases: a month is a range on `dispatched_at`, and the per-case facts that live in
 * other tables (who 办结'd it, was it sent back, did it ever pass a limit) are each one probe
 * into a small partial index instead of a scan of the event log.
 */
export class Statistics1764170000000 implements MigrationInterface {
  name = 'Statistics1764170000000';

  async up(q: QueryRunner): Promise<void> {
    // A month's cases (and 12 months for the trend) by dispatch time.
    await q.query(`CREATE INDEX ix_cases_dispatched_at ON cases (dispatched_at)`);
    // The cadre a resolved case counts for: the actor of its latest 'resolved' event.
    await q.query(`
      CREATE INDEX ix_case_events_resolved ON case_events (case_id, at DESC, id DESC) INCLUDE (actor_id)
      WHERE type = 'resolved' AND actor_type = 'cadre'`);
    // 退单: whether a case was ever sent back.
    await q.query(`CREATE INDEX ix_case_events_sent_back ON case_events (case_id) WHERE type = 'sent-back'`);
    // Whether a case ever passed a working limit (sla_status is reset by a reopen or an extension).
    await q.query(`
      CREATE INDEX ix_sla_alerts_overdue ON sla_alerts (case_id)
      WHERE stage = 'overdue' AND sla_limit <> 'callback'`);
    // Bookings of a month by visit time.
    await q.query(`CREATE INDEX ix_bookings_starts_at ON bookings (starts_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_bookings_starts_at`);
    await q.query(`DROP INDEX ix_sla_alerts_overdue`);
    await q.query(`DROP INDEX ix_case_events_sent_back`);
    await q.query(`DROP INDEX ix_case_events_resolved`);
    await q.query(`DROP INDEX ix_cases_dispatched_at`);
  }
}
