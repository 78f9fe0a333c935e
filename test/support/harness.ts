/**
 * A whole lianxin (bot + worker) on real Postgres and Redis, with WeChat simulated by
 * wechaty-puppet-mock. Residents and cadres are mock contacts that `say` things and collect
 * what the bot sends them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { PuppetMock, mock } from 'wechaty-puppet-mock';
import { createMockWorld, type MockPerson } from '../../src/bot/mock-world.js';
import { createApp, type App, type AppOptions } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { removeQueueKeys } from '../../src/queue/queues.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { testClock, type TestClock } from './clock.js';
import { sampleConfigDir } from './paths.js';

export const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export { sampleConfigDir };

/** Thursday 26 Nov 2026, 09:00 in Shanghai: a working day. */
export const aWorkingMorning = '2026-11-26T09:00:00+08:00';

/** A WeChat user in the test: a mock contact that says things and keeps what the bot sends it. */
export interface Person extends MockPerson {
  /** Sends text, stamped with the test clock. */
  say(text: string): string;
  /** Sends a file (a photo: `.jpg`; a voice message: `.silk`), stamped with the test clock. */
  sendFile(name: string): string;
  /** The puppet id of the last message this person sent. */
  lastMessageId: string | undefined;
}

export interface Harness {
  app: App;
  clock: TestClock;
  database: TestDatabase;
  mocker: mock.Mocker;
  puppet: PuppetMock;
  prefix: string;
  /** The app's data folder (a temporary one): the bot's intake journal lives here. */
  dataDir: string;
  resident(name: string): Person;
  /** A resident already registered in a village (default 东山村): no village question. */
  registered(name: string, villageId?: string): Promise<Person>;
  /** A mock contact for a configured cadre, bound to the cadre's row. */
  cadre(cadreId: string): Promise<Person>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** `SELECT count(*) …` as a number. */
  count(sql: string, params?: unknown[]): Promise<number>;
  /** Another process of the same township (same database, Redis and prefix), e.g. a restarted worker. */
  startApp(options: Partial<AppOptions>): Promise<App>;
  /** Logs the bot's account in on the puppet made last on `mocker` (a bot started again on a new PuppetMock). */
  login(): void;
  /** Waits until every inbound message is handled and every outbox row delivered. */
  settle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startHarness(options: Partial<AppOptions> & { start?: string } = {}): Promise<Harness> {
  const database = await createTestDatabase();
  const clock = testClock(options.start ?? aWorkingMorning);
  const world = createMockWorld({ botName: '东山办事处连心' });
  const { mocker, puppet } = world;
  const prefix = `t-${randomBytes(5).toString('hex')}`;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lianxin-data-'));
  const base: AppOptions = {
    configDir: sampleConfigDir,
    dataDir,
    databaseUrl: database.url,
    redisUrl,
    puppet,
    queuePrefix: prefix,
    roles: ['bot', 'worker'],
    clock: clock.now,
    logger: createLogger(process.env.LOG_LEVEL ?? 'silent'),
    pace: { perRecipientIntervalMs: 0, globalPerSecond: 0 },
    ...options,
  };
  const app = createApp(base);
  const extraApps: App[] = [];
  await app.start();
  world.login();

  /** WeChat's time in a test is the test clock's. */
  const person = (name: string, id?: string): Person => {
    const base = world.person(name, id);
    const p: Person = {
      ...base,
      lastMessageId: undefined,
      say: (text) => (p.lastMessageId = base.say(text, clock.now())),
      sendFile: (file) => (p.lastMessageId = base.sendFile(file, clock.now())),
    };
    return p;
  };

  const query = <T,>(sql: string, params: unknown[] = []) => app.db.dataSource.query(sql, params) as Promise<T[]>;

  return {
    app,
    clock,
    database,
    mocker,
    puppet,
    prefix,
    dataDir,
    query,
    count: async (sql, params) => Number((await query<{ count: string }>(sql, params))[0]!.count),
    resident: (name) => person(name),
    async registered(name, villageId = 'dongshan') {
      const p = person(name);
      await query(`INSERT INTO residents (wechat_id, name, village_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)`, [
        p.contact.id,
        name,
        villageId,
        clock.now(),
      ]);
      return p;
    },
    async cadre(cadreId) {
      const configured = app.config.cadres.find((c) => c.id === cadreId);
      if (!configured) throw new Error(`no cadre ${cadreId} in config`);
      if (configured.wechatId) return person(configured.name, configured.wechatId);
      // No stable id in config: bind the mock contact's id, as the binding command would.
      const cadre = person(configured.name);
      await query(`UPDATE cadres SET wechat_id = $1 WHERE id = $2`, [cadre.id, cadreId]);
      return cadre;
    },
    login: () => world.login(),
    async startApp(overrides) {
      const extra = createApp({ ...base, puppet: undefined, ...overrides });
      extraApps.push(extra);
      await extra.start();
      return extra;
    },
    async settle(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [row] = await query<{ busy: string }>(
          `SELECT (SELECT count(*) FROM outbound_messages WHERE status IN ('pending', 'sending'))
                + (SELECT count(*) FROM inbound_messages WHERE handled_at IS NULL) AS busy`,
        );
        const waiting = await app.queues.inbound.getJobCountByTypes('waiting', 'active', 'delayed');
        if (Number(row!.busy) === 0 && waiting === 0) return;
        if (Date.now() > deadline) {
          const stuck = await query(
            `SELECT 'out' AS what, id, status, attempts, cadre_id, resident_id, left(text, 40) AS text FROM outbound_messages WHERE status IN ('pending', 'sending')
             UNION ALL SELECT 'in', id, outcome, 0, cadre_id, resident_id, left(text, 40) FROM inbound_messages WHERE handled_at IS NULL`,
          );
          throw new Error(`not settled: ${waiting} jobs; ${JSON.stringify(stuck)}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      for (const extra of extraApps) await extra.stop();
      await app.stop();
      await removeQueues(prefix);
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Deletes every Redis key of a test's queue prefix. */
export function removeQueues(prefix: string): Promise<void> {
  return removeQueueKeys(redisUrl, prefix);
}
