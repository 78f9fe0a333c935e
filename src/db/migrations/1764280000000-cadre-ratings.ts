import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each callback answer (回访) counts for the cadre whose 办结 it answered, not for whoever closes the
 * case last: 林 resolves, the resident answers 不满意, 吴 resolves again and gets 满意 — 林 has the
 * 不满意, 吴 the 满意 (the case itself stays 满意, as `cases.rating` says).
 *
 * `cadre_ratings`: per case and cadre, the latest answer to that cadre's own 办结 of it. The 办结
 * answered is the latest `resolved` event before the `rated` event (a 办结 taken back, 撤销办结,
 * ends its callback, so it is never the one answered). A callback left unanswered (event `closed`,
 * reason `no-callback`) is 未回访 for the cadre whose 办结 it followed — unless that cadre's 办结 of
 * the case was answered before (a 不满意: silence is no change of mind, as for the case).
 * Derived from the append-only history by a trigger and never written by the application; `up`
 * builds it from the history, `down` drops it.
 */
export class CadreRatings1764280000000 implements MigrationInterface {
  name = 'CadreRatings1764280000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE cadre_ratings (
        case_id integer NOT NULL CONSTRAINT fk_cadre_ratings_case REFERENCES cases (id),
        cadre_id text NOT NULL,
        rating text NOT NULL CONSTRAINT ck_cadre_ratings_rating
          CHECK (rating IN ('satisfied', 'basically-satisfied', 'unsatisfied', 'no-answer')),
        comment text,
        CONSTRAINT pk_cadre_ratings PRIMARY KEY (case_id, cadre_id)
      )`);
    await q.query(`
      CREATE FUNCTION cadre_ratings_from_event() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        answer text := CASE WHEN NEW.type = 'rated' THEN NEW.data->>'rating' ELSE 'no-answer' END;
        resolver text;
      BEGIN
        SELECT e.actor_id INTO resolver FROM case_events e
        WHERE e.case_id = NEW.case_id AND e.type = 'resolved' AND e.actor_type = 'cadre' AND e.id < NEW.id
        ORDER BY e.id DESC LIMIT 1;
        IF resolver IS NULL OR answer IS NULL THEN RETURN NULL; END IF;
        INSERT INTO cadre_ratings (case_id, cadre_id, rating, comment)
        VALUES (NEW.case_id, resolver, answer, NULLIF(NEW.data->>'comment', ''))
        ON CONFLICT (case_id, cadre_id) DO UPDATE SET rating = EXCLUDED.rating, comment = EXCLUDED.comment
        WHERE EXCLUDED.rating <> 'no-answer';
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_case_events_cadre_ratings AFTER INSERT ON case_events
      FOR EACH ROW WHEN (NEW.type = 'rated' OR (NEW.type = 'closed' AND NEW.data->>'reason' = 'no-callback'))
      EXECUTE FUNCTION cadre_ratings_from_event()`);
    // The same from the history so far, so past months count each answer for the 办结 it answered.
    await q.query(`
      INSERT INTO cadre_ratings (case_id, cadre_id, rating, comment)
      SELECT DISTINCT ON (a.case_id, a.resolver) a.case_id, a.resolver, a.answer, a.comment
      FROM (
        SELECT e.id, e.case_id, NULLIF(e.data->>'comment', '') AS comment,
          CASE WHEN e.type = 'rated' THEN e.data->>'rating' ELSE 'no-answer' END AS answer,
          (SELECT r.actor_id FROM case_events r
           WHERE r.case_id = e.case_id AND r.type = 'resolved' AND r.actor_type = 'cadre' AND r.id < e.id
           ORDER BY r.id DESC LIMIT 1) AS resolver
        FROM case_events e
        WHERE e.type = 'rated' OR (e.type = 'closed' AND e.data->>'reason' = 'no-callback')
      ) a
      WHERE a.resolver IS NOT NULL AND a.answer IS NOT NULL
      -- An answer before 未回访, the latest answer first.
      ORDER BY a.case_id, a.resolver, a.answer = 'no-answer', a.id DESC`);
  }

  async down(q: QueryRunner): Promise<void> {
    // The older version counts a case's latest answer for whoever resolved it last.
    await q.query(`DROP TRIGGER tr_case_events_cadre_ratings ON case_events`);
    await q.query(`DROP FUNCTION cadre_ratings_from_event`);
    await q.query(`DROP TABLE cadre_ratings`);
  }
}
