import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A 不满意 stays the case's answer when the callback after the reopen goes unanswered (the
 * sweep used to close such a case as 未回访, taking the resident's 不满意 out of 满意率). Every
 * reopen comes from a 不满意, and a case is only reopened by one, so a case closed as 未回访
 * after a reopen last answered 不满意. The rollup's trigger counts the change.
 */
export class UnsatisfiedKept1764270000000 implements MigrationInterface {
  name = 'UnsatisfiedKept1764270000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE cases SET rating = 'unsatisfied' WHERE rating = 'no-answer' AND reopen_count > 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    // A closed case rated 不满意 was closed by the sweep: a 不满意 reopens the case, it never closes it.
    await q.query(`UPDATE cases SET rating = 'no-answer' WHERE status = 'closed' AND rating = 'unsatisfied'`);
  }
}
