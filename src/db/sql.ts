import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Rows of an `UPDATE … RETURNING` (or `DELETE … RETURNING`). TypeORM's postgres driver gives
 * these statements back as `[rows, rowCount]`, unlike SELECT and INSERT, which give the rows.
 */
export async function updateReturning<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const [rows] = (await em.query(sql, params)) as [T[], number];
  return rows;
}

/**
 * An entity from a raw row (`RETURNING *`, a hand-written SELECT): columns mapped to properties
 * and values converted the way TypeORM's own queries would.
 */
export function hydrate<T extends ObjectLiteral>(em: EntityManager, target: EntityTarget<T>, row: Record<string, unknown>): T {
  const metadata = em.dataSource.getMetadata(target);
  const entity = metadata.create() as T;
  for (const column of metadata.columns) {
    if (column.databaseName in row) {
      column.setEntityValue(entity, em.dataSource.driver.prepareHydratedValue(row[column.databaseName], column));
    }
  }
  return entity;
}
