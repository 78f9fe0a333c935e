import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the statistics (src/db/repositories/stats.repository.ts) need to answer a month of a
 * million-case township in well under 300 ms:
 *
 * - `ix_cases_dispatched_at`: a month is a range of dispatch times.
 * - Three facts about a case that otherwise live in other tables, kept on the case row by
 *   triggers so a month's figures read one table: `resolved_by` (the cadre of the latest
 *   'resolved' event: whom a resolved case counts for), `was_sent_back` (a 'sent-back' event
 *   exists) and `was_overdue` (an overdue alert for the accept, first-response or resolve limit
 *   exists; `sla_status` alone forgets it after a reopen or an extension). They are derived from
 *   the append-only history and never written by the application; the history stays the truth
 *   (`down` drops them, `up` rebuilds them from it).
 * - `ix_bookings_starts_at`: a month of bookings by visit time.
 */
export class Statistics1764170000000 implements MigrationInterface {
  name = 'Statistics1764170000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_cases_dispatched_at ON cases (dispatched_at)`);
    await q.query(`CREATE INDEX ix_bookings_starts_at ON bookings (starts_at)`);

    await q.query(`
      ALTER TABLE cases
        ADD COLUMN resolved_by text,
        ADD COLUMN was_sent_back boolean NOT NULL DEFAULT false,
        ADD COLUMN was_overdue boolean NOT NULL DEFAULT false`);
    await q.query(`
      UPDATE cases c SET
        resolved_by = (SELECT e.actor_id FROM case_events e
                       WHERE e.case_id = c.id AND e.type = 'resolved' AND e.actor_type = 'cadre'
                       ORDER BY e.at DESC, e.id DESC LIMIT 1),
        was_sent_back = EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.type = 'sent-back'),
        was_overdue = EXISTS (SELECT 1 FROM sla_alerts a
                              WHERE a.case_id = c.id AND a.stage = 'overdue' AND a.sla_limit <> 'callback')`);

    await q.query(`
      CREATE FUNCTION cases_stats_from_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.type = 'resolved' AND NEW.actor_type = 'cadre' THEN
          UPDATE cases SET resolved_by = NEW.actor_id WHERE id = NEW.case_id;
        ELSIF NEW.type = 'sent-back' THEN
          UPDATE cases SET was_sent_back = true WHERE id = NEW.case_id AND NOT was_sent_back;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_case_events_stats AFTER INSERT ON case_events
      FOR EACH ROW WHEN (NEW.type IN ('resolved', 'sent-back')) EXECUTE FUNCTION cases_stats_from_event()`);

    await q.query(`
      CREATE FUNCTION cases_stats_from_alert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE cases SET was_overdue = true WHERE id = NEW.case_id AND NOT was_overdue;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_sla_alerts_stats AFTER INSERT ON sla_alerts
      FOR EACH ROW WHEN (NEW.stage = 'overdue' AND NEW.sla_limit <> 'callback') EXECUTE FUNCTION cases_stats_from_alert()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER tr_sla_alerts_stats ON sla_alerts`);
    await q.query(`DROP FUNCTION cases_stats_from_alert`);
    await q.query(`DROP TRIGGER tr_case_events_stats ON case_events`);
    await q.query(`DROP FUNCTION cases_stats_from_event`);
    await q.query(`ALTER TABLE cases DROP COLUMN resolved_by, DROP COLUMN was_sent_back, DROP COLUMN was_overdue`);
    await q.query(`DROP INDEX ix_bookings_starts_at`);
    await q.query(`DROP INDEX ix_cases_dispatched_at`);
  }
}
