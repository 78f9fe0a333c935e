import type { EntityManager } from 'typeorm';

/**
 * Rows of an `UPDATE … RETURNING` (or `DELETE … RETURNING`). TypeORM's postgres driver gives
 * these statements back as `[rows, rowCount]`, unlike SELECT and INSERT, which give the rows.
 */
export async function updateReturning<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const [rows] = (await em.query(sql, params)) as [T[], number];
  return rows;
}
