/**
 * Composition: config, database, queues and the three roles, started and stopped in order.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { WechatyOptions } from 'wechaty';
import type { Bot } from './bot/bot.js';
import type { IntakeClientOptions } from './bot/intake-client.js';
import type { PaceOptions } from './bot/sender.js';
import { configWarnings, loadConfig } from './config/load.js';
import type { Config } from './config/schema.js';
import { Database } from './db/database.js';
import { openDataSource } from './db/data-source.js';
import { createChineseCalendar, missingHolidayYear, type WorkCalendar } from './domain/calendar.js';
import { DepartmentClassifier } from './domain/classify.js';
import { localDate } from './domain/slots.js';
import { VillageMatcher } from './domain/village-match.js';
import { createLogger, type Logger } from './logger.js';
import { closeQueues, createQueues, createRedis, type Queues } from './queue/queues.js';
import { resolveRedis } from './queue/redis-server.js';
import { systemClock, type Clock } from './services/clock.js';
import { DispatchService } from './services/dispatch.service.js';
import { IntakeService } from './services/intake.service.js';
import { UnhandledMessages } from './services/unhandled.service.js';
import { startWorkerRole, type WorkerRole, type WorkerRoleDeps } from './services/worker.js';
import { CadreCommandService } from './services/cadre-commands.service.js';
import { CallbackService } from './services/callback.service.js';
import { SlaService } from './services/sla.service.js';
import { BookingService } from './services/booking.service.js';
import type { Web } from './web/server.js';

export const roles = ['bot', 'worker', 'web'] as const;

/** How long one part of the app may take to stop before the next one is stopped anyway. */
const stopTimeoutMs = 10_000;
export type Role = (typeof roles)[number];

type Puppet = NonNullable<WechatyOptions['puppet']>;
export type PuppetInstance = Exclude<Puppet, string>;

export interface AppOptions {
  /** Folder with township.yaml, villages.yaml, departments.yaml, cadres.yaml, roster.yaml. Default `./config`. */
  configDir?: string;
  /** Where the embedded database and a private Redis keep their files. Default `./data`. */
  dataDir?: string;
  /** Postgres URL. Default: an embedded Postgres (PGlite) under `<dataDir>/pg`. */
  databaseUrl?: string;
  /** Redis URL. Default `redis://127.0.0.1:6379`, or a private redis-server under `<dataDir>/redis`. */
  redisUrl?: string;
  /** A puppet instance (tests: wechaty-puppet-mock), or a puppet's npm name. Default wechaty's own choice. */
  puppet?: Puppet;
  /** For puppet-service style puppets: `{ token, endpoint }`. */
  puppetOptions?: { token?: string; endpoint?: string; [option: string]: unknown };
  /** Wechaty session name (saved as `<name>.memory-card.json`). Default: none saved. */
  botName?: string;
  /** Prefix of every Redis key: isolates tests, or several townships on one Redis. Default `lianxin`. */
  queuePrefix?: string;
  /** Which roles this process runs. Default all three. */
  roles?: readonly Role[];
  /** The business clock. Default: system time. */
  clock?: Clock;
  logger?: Logger;
  /** Web role address. Default 127.0.0.1:8080 (port 0 = any free port). */
  webHost?: string;
  webPort?: number;
  /** Inbound messages a worker handles at once. Default 8. */
  workerConcurrency?: number;
  /** Overrides of `township.outbound` (tests and benchmarks turn the pace off). */
  pace?: Partial<PaceOptions>;
  intake?: IntakeClientOptions;
  /** Periodic work, e.g. faster in tests: `{ sweepEveryMs, relayEveryMs, watchdogEveryMs }`. */
  schedules?: Pick<WorkerRoleDeps, 'sweepEveryMs' | 'relayEveryMs' | 'watchdogEveryMs'>;
  /** Work calendar. Default: Chinese public holidays and 调休 from chinese-days. */
  calendar?: WorkCalendar;
}

export interface App {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Available after start(). */
  readonly config: Config;
  readonly db: Database;
  readonly queues: Queues;
  readonly bot: Bot | undefined;
  readonly worker: WorkerRole | undefined;
  readonly web: Web | undefined;
}

/** The worker's services, with their domain parts built once from config. */
export function createServices(deps: { config: Config; db: Database; clock: Clock; calendar: WorkCalendar }): {
  intake: IntakeService;
  sla: SlaService;
  bookings: BookingService;
  cadreCommands: CadreCommandService;
  unhandled: UnhandledMessages;
} {
  const { config } = deps;
  const dispatch = new DispatchService(config, deps.calendar);
  const callbacks = new CallbackService(config, dispatch);
  const classifier = new DepartmentClassifier(config.departments, config.township.classification);
  const bookings = new BookingService(config, deps.calendar, (text) => classifier.classify(text).departmentId);
  const villages = new VillageMatcher(config.villages);
  const cadreCommands = new CadreCommandService(config, dispatch, bookings, villages);
  const intake = new IntakeService({ ...deps, classifier, villages, dispatch, cadreCommands, callbacks, bookings });
  const unhandled = new UnhandledMessages({ ...deps, dispatch });
  return { intake, sla: new SlaService({ ...deps, dispatch, callbacks }), bookings, cadreCommands, unhandled };
}

export function createApp(options: AppOptions = {}): App {
  const logger = options.logger ?? createLogger();
  const clock = options.clock ?? systemClock;
  const dataDir = path.resolve(options.dataDir ?? 'data');
  const prefix = options.queuePrefix ?? 'lianxin';
  const activeRoles = new Set(options.roles ?? roles);
  const stack: { name: string; stop: () => Promise<unknown> }[] = [];
  const state: { -readonly [K in keyof Omit<App, 'start' | 'stop'>]?: App[K] } & { started: boolean } = { started: false };
  const must = <K extends keyof typeof state>(key: K) => {
    if (!state[key]) throw new Error(`app not started: ${String(key)} unavailable`);
    return state[key]!;
  };

  async function start(): Promise<void> {
    if (state.started) throw new Error('app already started');
    state.started = true;
    try {
      await startAll();
    } catch (error) {
      await stopAll();
      throw error;
    }
  }

  async function startAll(): Promise<void> {
    const config = loadConfig(path.resolve(options.configDir ?? 'config'));
    state.config = config;

    let databaseUrl = options.databaseUrl;
    let poolSize = 10;
    if (!databaseUrl) {
      // Loaded only when no server is given: PGlite and its WebAssembly build.
      const { startEmbeddedPostgres } = await import('./db/embedded.js');
      const embedded = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pg'), logger });
      stack.push({ name: 'embedded postgres', stop: embedded.stop });
      databaseUrl = embedded.url;
      poolSize = 1;
    }
    const dataSource = await openDataSource({ url: databaseUrl, poolSize });
    stack.push({ name: 'database', stop: () => dataSource.destroy() });
    const db = new Database(dataSource);
    state.db = db;
    await db.cadres.sync(config.cadres, clock());
    await reportCadres(db, config, logger);

    const redis = await resolveRedis({ url: options.redisUrl, dataDir: path.join(dataDir, 'redis'), logger });
    stack.push({ name: 'redis server', stop: redis.stop });
    const connection = createRedis(redis.url);
    stack.push({ name: 'redis connection', stop: () => connection.quit().catch(() => connection.disconnect()) });
    const queues = createQueues(connection, prefix, logger);
    stack.push({ name: 'queues', stop: () => closeQueues(queues) });
    state.queues = queues;

    // One calendar for time limits, bookings and the dashboard's working-time figures.
    const calendar = options.calendar ?? townshipCalendar(config, clock(), logger);

    if (activeRoles.has('worker')) {
      const services = createServices({ config, db, clock, calendar });
      const worker = await startWorkerRole({
        ...services, db, queues, clock, logger, connection, prefix,
        concurrency: options.workerConcurrency,
        sweepEveryMs: config.township.caseRules.sweepEverySeconds * 1000,
        ...options.schedules,
      });
      stack.push({ name: 'worker', stop: worker.stop });
      state.worker = worker;
    }

    if (activeRoles.has('bot')) {
      // Loaded only where the bot runs: wechaty is the heaviest part of the process.
      const { startBot } = await import('./bot/bot.js');
      await mkdir(dataDir, { recursive: true });
      const bot = await startBot({
        wechatyOptions: {
          // The login session (<name>.memory-card.json) is kept with the rest of the data.
          ...(options.botName ? { name: path.join(dataDir, options.botName) } : {}),
          ...(options.puppet ? { puppet: options.puppet } : {}),
          ...(options.puppetOptions ? { puppetOptions: options.puppetOptions } : {}),
        } as WechatyOptions,
        inboundQueue: queues.inbound,
        db,
        clock,
        logger,
        connection,
        prefix,
        pace: { ...config.township.outbound, ...options.pace },
        // Messages Redis could not take yet survive a restart of the bot in this file.
        intake: { journalPath: path.join(dataDir, `intake-backlog-${prefix}.jsonl`), ...options.intake },
        // So do messages sent whose delivery Postgres could not record yet: recorded, not sent again.
        unrecordedSendsPath: path.join(dataDir, `unrecorded-sends-${prefix}.txt`),
      });
      stack.push({ name: 'bot', stop: bot.stop });
      state.bot = bot;
    }

    if (activeRoles.has('web')) {
      // Loaded only where the dashboard runs: fastify, its plugins and the Excel export (~50 MB).
      const { startWeb } = await import('./web/server.js');
      const web = await startWeb({
        host: options.webHost ?? '127.0.0.1',
        port: options.webPort ?? 8080,
        logger,
        checks: {
          database: async () => (await dataSource.query('SELECT 1')).length === 1,
          redis: async () => (await connection.ping()) === 'PONG',
        },
        dashboard: { db, config, clock, calendar },
      });
      stack.push({ name: 'web', stop: web.stop });
      state.web = web;
    }
    logger.info({ roles: [...activeRoles], prefix }, 'lianxin started');
  }

  /**
   * Stops what was started, last first. One part failing or hanging (a Redis that went away)
   * does not keep the others running: each gets `stopTimeoutMs`.
   */
  async function stopAll(): Promise<void> {
    while (stack.length > 0) {
      const part = stack.pop()!;
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          part.stop(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`did not stop within ${stopTimeoutMs} ms`)), stopTimeoutMs);
          }),
        ]);
      } catch (error) {
        logger.warn({ err: String(error), part: part.name }, 'stop failed');
      } finally {
        clearTimeout(timer);
      }
    }
  }

  return {
    start,
    stop: stopAll,
    get config() { return must('config'); },
    get db() { return must('db'); },
    get queues() { return must('queues'); },
    get bot() { return state.bot; },
    get worker() { return state.worker; },
    get web() { return state.web; },
  };
}

/**
 * What whoever starts lianxin should do about its configuration and cadres: duty slots missing
 * for some villages, a cadre taken out of cadres.yaml who still holds open cases (nobody is
 * reminded of them), cadres who have not bound a WeChat yet (they see none of their cases).
 */
async function reportCadres(db: Database, config: Config, logger: Logger): Promise<void> {
  for (const warning of configWarnings(config)) logger.warn(warning);
  for (const gone of await db.cadres.inactiveHolders()) {
    logger.warn(
      { cadre: gone.id, cases: gone.numbers },
      `${gone.name} (${gone.id}) is no longer in cadres.yaml but holds open cases ${gone.numbers.map((n) => `#${n}`).join(', ')}: ` +
        `nobody is reminded of them. A head or the office gives each to someone else in WeChat: 派单 ${gone.numbers[0]} 干部姓名`,
    );
  }
  const unbound = await db.cadres.unbound();
  if (unbound.length > 0) {
    logger.info(
      { cadres: unbound.map((c) => c.id) },
      `${unbound.length} of ${config.cadres.length} cadres have no WeChat bound yet and see none of their cases until they do: ` +
        `${unbound.map((c) => c.name).join(', ')}. Make each a code with: npm run cli -- bind-code 姓名`,
    );
  }
}

/** The Chinese calendar with the township's own dates; says so when next year's holidays are missing. */
function townshipCalendar(config: Config, now: Date, logger: Logger): WorkCalendar {
  const calendar = createChineseCalendar(config.township.calendar);
  const year = missingHolidayYear(calendar.lastKnownYear, localDate(now, config.township.timezone));
  if (year !== null) {
    logger.warn(
      { lastKnownYear: calendar.lastKnownYear, missingYear: year },
      `no public holidays known for ${year}: SLA clocks and rosters will treat its holidays as working days. ` +
        `Add ${year}'s holidays and 调休 days under calendar: in township.yaml (or update chinese-days)`,
    );
  }
  return calendar;
}
