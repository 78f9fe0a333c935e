/**
 * Which database failures pass on their own: the next try of the same work may well succeed.
 * Anything else that keeps failing while Postgres answers is a fault of lianxin's own.
 */

/**
 * SQLSTATE classes and codes of failures that pass: a connection lost or refused (08), a
 * deadlock or serialization failure (40), Postgres short of connections, memory or disk (53),
 * shutting down, restarting or cancelling a statement (57), an I/O error (58), a lock not
 * available (55P03), a standby or read-only server during a failover (25006).
 */
const passingClasses = new Set(['08', '40', '53', '57', '58']);
const passingCodes = new Set(['55P03', '25006']);

/**
 * The pool and the socket fail without a SQLSTATE: a refused or reset connection (a Node
 * system error code) or pg's own words for a connection that ended or never came; a database
 * closed to connections (55000, ALLOW_CONNECTIONS false) says so only in words.
 */
const connectionWords = /Connection terminated|timeout exceeded when trying to connect|connection error|Connection ended|not queryable|not currently accepting connections/i;

/**
 * TypeORM's words for a transaction whose connection was ended under it (Postgres restarting
 * while the transaction waited between two statements): TypeORM let the connection go, and the
 * next statement fails without reaching Postgres. lianxin never uses a query runner it released.
 */
const releasedRunner = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError']);

export function passes(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (releasedRunner.has(error.name)) return true;
  const driverError = (error as { driverError?: unknown }).driverError;
  const code = (error as { code?: unknown }).code ?? (driverError as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    return passingClasses.has(code.slice(0, 2)) || passingCodes.has(code) || connectionWords.test(error.message);
  }
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true;
  return connectionWords.test(error.message) || (driverError instanceof Error && passes(driverError));
}
