import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 响应率 and 按时办结率 judge only cases whose limit has come: a case still within its limit is
 * neither on time nor late yet (the monthly review, held on the 1st, no longer counts the cases of
 * the 30th against their cadres), and a case left open past its limit counts as late (sitting on
 * it no longer keeps it out of the rate).
 *
 * - `response_missed` / `resolve_missed` on `cases`: the sweep found the first-response / resolve
 *   limit in force passed unmet (an overdue alert for that due time exists). Set by the alert
 *   trigger, like `was_overdue`, and worked out again by a trigger when a limit moves (转派 with
 *   fresh limits, 延期, a reopen): a new limit is judged when it comes. Derived from the history,
 *   never written by the application.
 * - `case_stats_hourly` counts `responses_due` (answered, or the limit missed) and
 *   `resolutions_due` (resolved, or the limit missed), the rates' denominators, and
 *   `case_stats_counts()` / `case_stats_rollup()` carry them; the rollup is rebuilt.
 */
export class LimitsDue1764210000000 implements MigrationInterface {
  name = 'LimitsDue1764210000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE cases
        ADD COLUMN response_missed boolean NOT NULL DEFAULT false,
        ADD COLUMN resolve_missed boolean NOT NULL DEFAULT false`);
    // Before the counts change, so the rollup trigger sees nothing to add.
    await q.query(`
      UPDATE cases c SET
        response_missed = EXISTS (SELECT 1 FROM sla_alerts a WHERE a.case_id = c.id AND a.stage = 'overdue'
                                  AND a.sla_limit = 'first-response' AND a.due_at = c.first_response_due_at),
        resolve_missed = EXISTS (SELECT 1 FROM sla_alerts a WHERE a.case_id = c.id AND a.stage = 'overdue'
                                 AND a.sla_limit = 'resolve' AND a.due_at = c.resolve_due_at)
      WHERE EXISTS (SELECT 1 FROM sla_alerts a WHERE a.case_id = c.id AND a.stage = 'overdue' AND a.sla_limit IN ('first-response', 'resolve'))`);
    await q.query(`
      CREATE OR REPLACE FUNCTION cases_stats_from_alert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE cases SET was_overdue = true,
          response_missed = response_missed OR (NEW.sla_limit = 'first-response' AND NEW.due_at = first_response_due_at),
          resolve_missed = resolve_missed OR (NEW.sla_limit = 'resolve' AND NEW.due_at = resolve_due_at)
        WHERE id = NEW.case_id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION cases_missed_limits() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.response_missed := EXISTS (SELECT 1 FROM sla_alerts a WHERE a.case_id = NEW.id AND a.stage = 'overdue'
                                       AND a.sla_limit = 'first-response' AND a.due_at = NEW.first_response_due_at);
        NEW.resolve_missed := EXISTS (SELECT 1 FROM sla_alerts a WHERE a.case_id = NEW.id AND a.stage = 'overdue'
                                      AND a.sla_limit = 'resolve' AND a.due_at = NEW.resolve_due_at);
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_cases_missed_limits BEFORE UPDATE OF first_response_due_at, resolve_due_at ON cases
      FOR EACH ROW WHEN (OLD.first_response_due_at IS DISTINCT FROM NEW.first_response_due_at
                         OR OLD.resolve_due_at IS DISTINCT FROM NEW.resolve_due_at)
      EXECUTE FUNCTION cases_missed_limits()`);
    await q.query(`
      ALTER TABLE case_stats_hourly
        ADD COLUMN responses_due integer NOT NULL DEFAULT 0,
        ADD COLUMN resolutions_due integer NOT NULL DEFAULT 0`);
    await this.counts(q, [
      `(c.first_response_at IS NOT NULL OR c.response_missed)::int`,
      `(c.resolved_at IS NOT NULL OR c.resolve_missed)::int`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER tr_cases_missed_limits ON cases`);
    await q.query(`DROP FUNCTION cases_missed_limits`);
    await q.query(`
      CREATE OR REPLACE FUNCTION cases_stats_from_alert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE cases SET was_overdue = true WHERE id = NEW.case_id AND NOT was_overdue;
        RETURN NULL;
      END $$`);
    await this.counts(q, []);
    await q.query(`ALTER TABLE case_stats_hourly DROP COLUMN responses_due, DROP COLUMN resolutions_due`);
    await q.query(`ALTER TABLE cases DROP COLUMN response_missed, DROP COLUMN resolve_missed`);
  }

  /**
   * Replaces the per-case counts with the twelve of migration 1764170000000 plus `extra`, the
   * rollup trigger's function with one that writes them all, and rebuilds the rollup.
   */
  private async counts(q: QueryRunner, extra: string[]): Promise<void> {
    const columns = [
      'dispatched', 'open', 'responded_in_time', 'resolved', 'resolved_on_time', 'satisfied', 'basically_satisfied',
      'unsatisfied', 'no_answer', 'sent_back', 'reopened', 'overdue', ...(extra.length > 0 ? ['responses_due', 'resolutions_due'] : []),
    ];
    const n = columns.length;
    const each = (f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i + 1)).join(', ');
    // Keep in step with `counts` in src/db/repositories/stats.repository.ts.
    await q.query(`
      CREATE OR REPLACE FUNCTION case_stats_counts(c cases) RETURNS integer[] LANGUAGE sql IMMUTABLE AS $$
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
          (c.sla_status = 'overdue' OR c.was_overdue)::int${extra.map((e) => `,\n          ${e}`).join('')}]
      $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION case_stats_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
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
          INSERT INTO case_stats_hourly (hour, department_id, ${columns.join(', ')})
          SELECT date_trunc('hour', NEW.dispatched_at), NEW.department_id, ${each((i) => `d[${i}]`)}
          FROM (SELECT ARRAY(SELECT n - o FROM unnest(new_counts, old_counts) AS x(n, o)) AS d) diff;
          RETURN NULL;
        END IF;
        IF old_counts IS NOT NULL THEN
          INSERT INTO case_stats_hourly (hour, department_id, ${columns.join(', ')})
          VALUES (date_trunc('hour', OLD.dispatched_at), OLD.department_id, ${each((i) => `-old_counts[${i}]`)});
        END IF;
        IF new_counts IS NOT NULL THEN
          INSERT INTO case_stats_hourly (hour, department_id, ${columns.join(', ')})
          VALUES (date_trunc('hour', NEW.dispatched_at), NEW.department_id, ${each((i) => `new_counts[${i}]`)});
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`DELETE FROM case_stats_hourly`);
    await q.query(`
      INSERT INTO case_stats_hourly (hour, department_id, ${columns.join(', ')})
      SELECT hour, department_id, ${each((i) => `sum(k[${i}])`)}
      FROM (SELECT date_trunc('hour', c.dispatched_at) AS hour, c.department_id, case_stats_counts(c) AS k
            FROM cases c WHERE c.dispatched_at IS NOT NULL) x
      GROUP BY hour, department_id`);
  }
}
