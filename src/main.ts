/**
 * `npm start [-- --role bot|worker|web ...]`: runs the chosen roles (default all) until
 * SIGINT/SIGTERM. Settings come from the environment (see README).
 */
import { parseArgs } from 'node:util';
import { createApp, roles, type Role } from './app.js';
import { ConfigError } from './config/load.js';
import { EnvError, loadEnv } from './config/env.js';
import { createLogger, logUncaughtExceptions } from './logger.js';

const usage = 'usage: npm start [-- --role bot|worker|web ...]   (default: all roles in one process)';

async function main(): Promise<void> {
  let values: { role?: string[]; help?: boolean };
  try {
    ({ values } = parseArgs({ options: { role: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    // A mistyped option ("--roles"): say what was wrong and how it is written.
    throw new UsageError(`${(error as Error).message}\n${usage}`);
  }
  if (values.help) {
    console.log(usage);
    return;
  }
  const chosen = (values.role ?? [...roles]).flatMap((r) => r.split(','));
  const unknown = chosen.filter((r) => !(roles as readonly string[]).includes(r));
  if (unknown.length > 0) throw new UsageError(`unknown role "${unknown.join(', ')}"; choose from ${roles.join(', ')}`);

  const env = loadEnv();
  showStacks = env.LOG_LEVEL === 'debug' || env.LOG_LEVEL === 'trace';
  const logger = createLogger(env.LOG_LEVEL);
  const app = createApp({
    configDir: env.LIANXIN_CONFIG_DIR,
    dataDir: env.LIANXIN_DATA_DIR,
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    queuePrefix: env.LIANXIN_QUEUE_PREFIX,
    roles: chosen as Role[],
    logger,
    webHost: env.LIANXIN_WEB_HOST,
    webPort: env.LIANXIN_WEB_PORT,
    botName: env.WECHATY_NAME,
    ...(env.WECHATY_PUPPET ? { puppet: env.WECHATY_PUPPET as never } : {}),
    ...(env.WECHATY_PUPPET_SERVICE_TOKEN
      ? { puppetOptions: { token: env.WECHATY_PUPPET_SERVICE_TOKEN, endpoint: env.WECHATY_PUPPET_SERVICE_ENDPOINT } }
      : {}),
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  await app.start();
  // The puppet is loaded: what it set for uncaught exceptions goes through the logger instead.
  logUncaughtExceptions(logger);
}

class UsageError extends Error {}

/** LOG_LEVEL=debug: a start-up failure is printed with its stack. */
let showStacks = false;

/** What to look at for the start-up failures a person can fix (codes from Node, pg and Postgres). */
function startupHint(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE') return 'another program uses this port: stop it, or set LIANXIN_WEB_PORT';
  // 3D000 no such database, 28P01/28000 authentication, 42501 permission.
  if (code === '3D000' || code === '28P01' || code === '28000' || code === '42501') return 'check DATABASE_URL';
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'check DATABASE_URL and REDIS_URL, and that those servers run';
  return null;
}

main().catch((error: unknown) => {
  // Start-up problems a person can fix get a plain message (and what to check); anything else is
  // a bug and keeps its stack.
  const hint = startupHint(error);
  if (error instanceof ConfigError || error instanceof EnvError || error instanceof UsageError) console.error(error.message);
  else if (hint) console.error(`${(error as Error).message}\n(${hint})`);
  else console.error(error);
  if (hint && showStacks) console.error(error);
  process.exit(1);
});
