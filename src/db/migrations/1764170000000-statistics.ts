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
 * - `case_stats_hourly`: a rollup for the 12-month trend, so it need not aggregate half a million
 *   cases: per UTC hour of dispatch and department, the counts of `case_stats_counts()` — the
 *   same per-case conditions as the `counts` of stats.repository.ts (a test holds them equal).
 *   A trigger on `cases` appends the difference each insert or update makes (rows are never
 *   updated in place, so concurrent writers never wait for each other); `StatsRepository.compactRollup()`
 *   folds the rows of one key into one. Reading = summing, always exact. Hours map onto
 *   township months for any time zone whose offset is whole hours (China: +8).
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
    await q.query(`
      CREATE TABLE case_stats_hourly (
        hour timestamptz NOT NULL,
        department_id text NOT NULL,
        dispatched integer NOT NULL,
        open integer NOT NULL,
        responded_in_time integer NOT NULL,
        resolved integer NOT NULL,
        resolved_on_time integer NOT NULL,
        satisfied integer NOT NULL,
        basically_satisfied integer NOT NULL,
        unsatisfied integer NOT NULL,
        no_answer integer NOT NULL,
        sent_back integer NOT NULL,
        reopened integer NOT NULL,
        overdue integer NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_case_stats_hourly_hour ON case_stats_hourly (hour, department_id)`);
    // Keep in step with `counts` in src/db/repositories/stats.repository.ts.
    await q.query(`
      CREATE FUNCTION case_stats_counts(c cases) RETURNS integer[] LANGUAGE sql IMMUTABLE AS $$
        SELECT ARRAY[
          1,
          (c.status IN ('assigned', 'accepted'))::int,
          COALESCE(c.first_response_at <= c.first_response_due_at, false)::int,
          (c.resolved_at IS NOT NULL)::int,
          COALESCE(c.resolved_at <= c.resolve_due_at, false)::int,
          (c.rating IS NOT DISTINCT FROM 'satisfied')::int,
          (c.rating IS NOT DISTINCT FROM 'basically-satisfied')::int,
          (c.rating IS NOT DISTINCT FROM 'unsatisfied')::int,
          (c.rating IS NOT DISTINCT FROM 'no-answer')::int,
          c.was_sent_back::int,
          (c.reopen_count > 0)::int,
          (c.sla_status = 'overdue' OR c.was_overdue)::int]
      $$`);
    await q.query(`
      CREATE FUNCTION case_stats_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        old_counts integer[];
        new_counts integer[];
      BEGIN
        IF TG_OP <> 'INSERT' AND OLD.dispatched_at IS NOT NULL THEN old_counts := case_stats_counts(OLD); END IF;
        IF TG_OP <> 'DELETE' AND NEW.dispatched_at IS NOT NULL THEN new_counts := case_stats_counts(NEW); END IF;
        IF old_counts IS NOT NULL AND new_counts IS NOT NULL
           AND date_trunc('hour', OLD.dispatched_at) = date_trunc('hour', NEW.dispatched_at)
           AND OLD.department_id = NEW.department_id THEN
          IF old_counts = new_counts THEN RETURN NULL; END IF;
          INSERT INTO case_stats_hourly SELECT date_trunc('hour', NEW.dispatched_at), NEW.department_id,
            d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12]
          FROM (SELECT ARRAY(SELECT n - o FROM unnest(new_counts, old_counts) AS x(n, o)) AS d) diff;
          RETURN NULL;
        END IF;
        IF old_counts IS NOT NULL THEN
          INSERT INTO case_stats_hourly VALUES (date_trunc('hour', OLD.dispatched_at), OLD.department_id,
            -old_counts[1], -old_counts[2], -old_counts[3], -old_counts[4], -old_counts[5], -old_counts[6],
            -old_counts[7], -old_counts[8], -old_counts[9], -old_counts[10], -old_counts[11], -old_counts[12]);
        END IF;
        IF new_counts IS NOT NULL THEN
          INSERT INTO case_stats_hourly VALUES (date_trunc('hour', NEW.dispatched_at), NEW.department_id,
            new_counts[1], new_counts[2], new_counts[3], new_counts[4], new_counts[5], new_counts[6],
            new_counts[7], new_counts[8], new_counts[9], new_counts[10], new_counts[11], new_counts[12]);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_cases_stats_rollup AFTER INSERT OR UPDATE OR DELETE ON cases
      FOR EACH ROW EXECUTE FUNCTION case_stats_rollup()`);
    await q.query(`
      INSERT INTO case_stats_hourly
      SELECT hour, department_id, sum(k[1]), sum(k[2]), sum(k[3]), sum(k[4]), sum(k[5]), sum(k[6]), sum(k[7]),
        sum(k[8]), sum(k[9]), sum(k[10]), sum(k[11]), sum(k[12])
      FROM (SELECT date_trunc('hour', c.dispatched_at) AS hour, c.department_id, case_stats_counts(c) AS k
            FROM cases c WHERE c.dispatched_at IS NOT NULL) x
      GROUP BY hour, department_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER tr_cases_stats_rollup ON cases`);
    await q.query(`DROP FUNCTION case_stats_rollup`);
    await q.query(`DROP FUNCTION case_stats_counts`);
    await q.query(`DROP TABLE case_stats_hourly`);
    await q.query(`DROP TRIGGER tr_sla_alerts_stats ON sla_alerts`);
    await q.query(`DROP FUNCTION cases_stats_from_alert`);
    await q.query(`DROP TRIGGER tr_case_events_stats ON case_events`);
    await q.query(`DROP FUNCTION cases_stats_from_event`);
    await q.query(`ALTER TABLE cases DROP COLUMN resolved_by, DROP COLUMN was_sent_back, DROP COLUMN was_overdue`);
    await q.query(`DROP INDEX ix_bookings_starts_at`);
    await q.query(`DROP INDEX ix_cases_dispatched_at`);
  }
}
