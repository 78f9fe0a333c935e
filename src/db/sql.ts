import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Rows of an `UPDATE … RETURNING` (or `DELETE … RETURNING`). TypeORM's postgres driver gives
 * these statements back as `[rows, rowCount]`, unlike SELECT and INSERT, which give the rows.
 */
export async function updateReturning<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const [rows] = (await prepared(em, sql, params)) as [T[], number];
  return rows;
}

/** Statement names by text: `s1`, `s2`, … in the order first used; `s1_1` once `s1` was refused. */
const statementNames = new Map<string, string>();
let renamed = 0;

/**
 * `em.query` as a named prepared statement: Postgres parses and plans the text once per
 * connection instead of on every call (on the message path: ~20 % more cases per second in
 * the benchmark). Only for fixed texts: each distinct text stays prepared on every pooled
 * connection for as long as the connection lives.
 */
export async function prepared<T = any>(em: EntityManager, sql: string, params: unknown[]): Promise<T> {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `s${statementNames.size + 1}`;
    statementNames.set(sql, name);
  }
  try {
    // TypeORM hands the query on to pg untouched; pg reads `{ name, text }` (with the values
    // passed beside it) as a prepared statement. TypeORM still shapes results and errors.
    return await em.query({ name, text: sql } as unknown as string, params);
  } catch (error) {
    // Another process migrated a table this statement reads with `*`: Postgres refuses the
    // old plan on every connection that holds it. The failed job is retried; the retry
    // prepares the text afresh under a new name.
    if ((error as { code?: string }).code === '0A000' && statementNames.get(sql) === name) {
      statementNames.set(sql, `${name.split('_')[0]}_${++renamed}`);
    }
    throw error;
  }
}

/**
 * Fixed values — a domain constant such as the open case statuses, never input — as the SQL list
 * of an `IN (…)`. Written into a prepared statement's text, they let its generic plan use a partial
 * index whose predicate names them; passed as a parameter (`= ANY($2)`) they cannot, and the plan
 * reads the whole table.
 */
export function literalList(values: readonly string[]): string {
  return values.map((value) => `'${value.replaceAll("'", "''")}'`).join(', ');
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
