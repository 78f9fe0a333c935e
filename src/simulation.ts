/**
 * lianxin on a throw-away store with a simulated WeChat: what `npm run demo` (a fixed script on the
 * sample township) and `npm run try` (a rehearsal typed by hand on the township's own
 * configuration) share. The real bot and worker run on an embedded Postgres in a folder of their
 * own (never DATABASE_URL), on Redis under a queue prefix of their own, with wechaty-puppet-mock
 * as WeChat; every configured cadre has a simulated contact, bound before the first message.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import stringWidth from 'string-width';
import { createApp, type App } from './app.js';
import { createMockWorld, type MockPerson, type MockWorld } from './bot/mock-world.js';
import type { Env } from './config/env.js';
import type { CadreConfig, Config } from './config/schema.js';
import type { WorkCalendar } from './domain/calendar.js';
import type { Logger } from './logger.js';
import { removeQueueKeys } from './queue/queues.js';
import { resolveRedis } from './queue/redis-server.js';
import type { Clock } from './services/clock.js';

/** A problem the person running the simulation reads as a message, without a stack. */
export class SimulationError extends Error {}

// ── clean-up, run once, last registered first ────────────────────────────────

const cleanups: { name: string; run: () => Promise<unknown> }[] = [];
let cleaning: Promise<boolean> | undefined;
/** A start in progress: an interrupt during it cleans up once it has registered all it started. */
let starting: Promise<unknown> = Promise.resolve();

/** Registers a clean-up step; {@link cleanUp} runs the steps last registered first. */
export function onCleanUp(name: string, run: () => Promise<unknown>): void {
  cleanups.push({ name, run });
}

/** Runs every registered step once, each given 15 s; resolves false when one failed (already said on stderr). */
export function cleanUp(): Promise<boolean> {
  cleaning ??= (async () => {
    let ok = true;
    await withTimeout(starting, 60_000, 'the start in progress').catch(() => (ok = false));
    while (cleanups.length > 0) {
      const step = cleanups.pop()!;
      try {
        await withTimeout(step.run(), 15_000, `clean-up "${step.name}"`);
      } catch (error) {
        ok = false;
        console.error(`清理失败（${step.name}）：${errorText(error)}`);
      }
    }
    return ok;
  })();
  return cleaning;
}

// ── the simulated township ───────────────────────────────────────────────────

/** The sample township shipped with lianxin, beside src/. */
export const sampleConfigDir = path.resolve(import.meta.dirname, '..', 'config');

export interface SimulationOptions {
  env: Env;
  configDir: string;
  /** Folder of the embedded Postgres (and of a private Redis, if one is started); emptied first. */
  dataDir: string;
  /** Redis key prefix of this run; its keys are removed at clean-up. */
  prefix: string;
  clock: Clock;
  logger: Logger;
  calendar?: WorkCalendar;
  /** Every message the bot delivers, as it arrives, with how the recipient is named ({@link Simulation.label}). */
  onDelivered: (to: MockPerson, text: string, label: string) => void;
}

export interface Simulation {
  app: App;
  world: MockWorld;
  redisUrl: string;
  /** The configured cadres' simulated contacts by cadre id, bound to their rows. */
  cadres: Map<string, MockPerson>;
  /** A new resident's simulated contact. */
  resident(name: string): MockPerson;
  /** How a person is named in the conversation: a resident's name, a cadre's name and departments. */
  label(person: MockPerson): string;
}

/**
 * Starts the bot and worker on an emptied `dataDir` with a simulated WeChat, and binds every
 * configured cadre's contact. Everything started is registered for {@link cleanUp}.
 */
export function startSimulation(options: SimulationOptions): Promise<Simulation> {
  const started = start(options);
  starting = started.catch(() => undefined);
  return started;
}

async function start(options: SimulationOptions): Promise<Simulation> {
  const { env, dataDir, prefix, logger } = options;
  // `npm run demo | head`: the reader went away. Stop as if interrupted, leaving nothing behind.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    void cleanUp().then(() => process.exit(0));
  });
  await rm(dataDir, { recursive: true, force: true });

  // Redis is resolved here (not inside the app) so this run's keys can be removed after the
  // app has stopped and before a private server it started goes away.
  const redis = await resolveRedis({ url: env.REDIS_URL, dataDir: path.join(dataDir, 'redis'), logger });
  onCleanUp('redis server', () => redis.stop());
  onCleanUp('redis keys', () => removeQueueKeys(redis.url, prefix));

  const labels = new Map<string, string>();
  const label = (person: MockPerson) => labels.get(person.id) ?? person.name;
  const world = createMockWorld({ botName: '连心', onDelivered: (to, text) => options.onDelivered(to, text, label(to)) });
  const app = createApp({
    configDir: options.configDir,
    dataDir,
    redisUrl: redis.url,
    puppet: world.puppet,
    queuePrefix: prefix,
    roles: ['bot', 'worker'],
    clock: options.clock,
    logger,
    pace: { perRecipientIntervalMs: 0, globalPerSecond: 0 },
    ...(options.calendar ? { calendar: options.calendar } : {}),
  });
  onCleanUp('app', () => app.stop());
  await app.start();
  world.login();

  // Bound to the cadre's row before the first message, as `绑定 码` would, without the codes.
  const cadres = new Map<string, MockPerson>();
  for (const cadre of app.config.cadres) {
    const person = world.person(cadre.name, `wxid_sim_${cadre.id}`);
    await app.db.dataSource.query(`UPDATE cadres SET wechat_id = $2 WHERE id = $1`, [cadre.id, person.id]);
    labels.set(person.id, cadreLabel(app.config, cadre));
    cadres.set(cadre.id, person);
  }

  return {
    app,
    world,
    redisUrl: redis.url,
    cadres,
    resident(name) {
      const person = world.person(name);
      labels.set(person.id, name);
      return person;
    },
    label,
  };
}

/** A cadre as the conversation names them: `彭德明（农技站）`. */
export function cadreLabel(config: Config, cadre: CadreConfig): string {
  const departments = cadre.departments.map((id) => config.departments.find((d) => d.id === id)?.name ?? id);
  return `${cadre.name}（${departments.join('、')}）`;
}

/** One chat message as printed: `李大爷 → 连心：…`, further lines aligned under the first. */
export function formatSaid(who: string, to: string, text: string): string {
  const [first, ...rest] = text.split('\n');
  const head = `${who} → ${to}：`;
  const pad = ' '.repeat(stringWidth(head));
  return [head + first, ...rest.map((line) => pad + line)].join('\n');
}

/** Waits until nothing is queued, unhandled or undelivered (held for the quiet hours does not count). */
export function settle(app: App, timeoutMs: number): Promise<void> {
  return waitFor(
    async () => {
      const [row]: { busy: string }[] = await app.db.dataSource.query(
        `SELECT (SELECT count(*) FROM outbound_messages WHERE status IN ('pending', 'sending'))
              + (SELECT count(*) FROM inbound_messages WHERE handled_at IS NULL) AS busy`,
      );
      const jobs = await app.queues.inbound.getJobCountByTypes('waiting', 'active', 'delayed', 'prioritized');
      return Number(row!.busy) === 0 && jobs === 0;
    },
    timeoutMs,
    () => 'messages still queued or undelivered',
  );
}

// ── helpers ──────────────────────────────────────────────────────────────────

/** Polls `done` every 25 ms; on timeout calls `onTimeout`, then throws what is missing. */
export async function waitFor(
  done: () => Promise<boolean>,
  timeoutMs: number,
  missing: () => string,
  onTimeout?: () => void,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await done()) return;
    if (Date.now() > deadline) {
      onTimeout?.();
      throw new SimulationError(`等待超时（${timeoutMs / 1000} 秒）：${missing()}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SimulationError(`timed out after ${ms / 1000} s waiting for ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
