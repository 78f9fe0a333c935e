/**
 * One fault run: a fresh database and queue prefix, a generated township, N residents registered
 * in their villages, each writing ONE message that opens a case — and the processes of lianxin
 * (in this process, or children that the test kills and restarts) on real Postgres and Redis.
 *
 * At the end {@link FaultRun.check} lists every broken promise: a message without exactly one
 * inbound row, a case without exactly one assignment, a resident without exactly one
 * acknowledgement, a cadre without exactly one notification per assignment — counted both in
 * the outbox and in what the simulated phones actually received.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { pino, type Logger } from 'pino';
import { createApp, type App, type AppOptions, type Role } from '../../../src/app.js';
import { removeQueues } from '../../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { generateTownship, registerResidents, residentIds, type Township } from '../../bench/township.js';
import { createWorld, type World } from '../../bench/world.js';
import type { ChildMessage, ParentMessage, ProcessSettings } from '../app-process.js';

export const defaultRedisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const appProcessScript = path.resolve(import.meta.dirname, '../app-process.ts');

/** A working Thursday morning in Shanghai, moving with real time, shared by every process of a run. */
const businessStart = Date.parse('2026-11-26T09:00:00+08:00');

/** Seeded random numbers (mulberry32), so a failing run can be replayed with FAULT_SEED. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seedFor(name: string): number {
  const fromEnv = process.env.FAULT_SEED;
  const seed = fromEnv ? Number(fromEnv) : Math.floor(Math.random() * 2 ** 31);
  console.log(`[faults] ${name}: FAULT_SEED=${seed}`);
  return seed;
}

export interface Message {
  /** The puppet's message id. */
  id: string;
  from: string;
  text: string;
  token: string;
}

/** What a phone received: recipient WeChat id and text. */
export interface Receipt {
  to: string;
  text: string;
}

export interface ChildApp {
  child: ChildProcess;
  roles: Role[];
  /** Resolves when the process has exited (any way). */
  exited: Promise<void>;
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Only for bot processes: a resident writes. */
  say(message: Message): void;
}

export class FaultRun {
  readonly messages: Message[];
  private readonly inProcessReceipts: Receipt[] = [];
  private readonly apps: App[] = [];
  private readonly children = new Set<ChildApp>();
  private world: World | undefined;
  private admin: pg.Pool;
  private queues: { redis: Redis; inbound: Queue; outbound: Queue } | undefined;
  /** Set when settle() or check() found a problem: stop() then keeps the logs and says where. */
  private failed = false;
  /** Outbox rows a SIGKILLed bot had claimed (see {@link allowResend}). */
  private readonly resendable = new Set<number>();

  private constructor(
    readonly name: string,
    readonly database: TestDatabase,
    readonly township: Township,
    readonly residents: { wechatId: string; name: string }[],
    readonly prefix: string,
    readonly redisUrl: string,
    readonly workDir: string,
    readonly logger: Logger,
  ) {
    this.admin = new pg.Pool({ connectionString: database.url, max: 2 });
    // Idle clients die when a test cuts the database off: that is expected, not a crash.
    this.admin.on('error', () => {});
    const templates = township.templates;
    this.messages = residents.map((r, i) => {
      const token = `k${i + 1}`;
      return { id: `msg-${prefix}-${i + 1}`, from: r.wechatId, token, text: `${templates[i % templates.length]!.text}（序号 ${token}）` };
    });
  }

  /** Database, township, residents (registered), prefix. Nothing runs yet. */
  static async create(name: string, options: { residents: number; redisUrl?: string }): Promise<FaultRun> {
    const database = await createTestDatabase();
    const township = await generateTownship();
    const workDir = await mkdtemp(path.join(os.tmpdir(), `lianxin-fault-${name.replace(/\W+/g, '-')}-`));
    const logger = pino({ level: 'warn', base: { pid: process.pid } }, pino.destination({ dest: path.join(workDir, 'test-process.log'), sync: true }));
    const run = new FaultRun(
      name,
      database,
      township,
      residentIds(options.residents),
      `f-${randomBytes(4).toString('hex')}`,
      options.redisUrl ?? defaultRedisUrl,
      workDir,
      logger,
    );
    // Migrations run when the first app starts; a short-lived app with no roles does that here.
    const migrator = createApp({ ...run.appOptions(), roles: [] });
    await migrator.start();
    await registerResidents((sql, params) => migrator.db.dataSource.query(sql, params), run.residents, township.config.villages.map((v) => v.id));
    await migrator.stop();
    return run;
  }

  get clockOffsetMs(): number {
    return businessStart - this.createdAt;
  }
  private readonly createdAt = Date.now();

  appOptions(overrides: Partial<AppOptions> = {}): AppOptions {
    const offset = this.clockOffsetMs;
    return {
      configDir: this.township.configDir,
      databaseUrl: this.database.url,
      redisUrl: this.redisUrl,
      queuePrefix: this.prefix,
      dataDir: path.join(this.workDir, 'data'),
      clock: () => new Date(Date.now() + offset),
      logger: this.logger,
      pace: { perRecipientIntervalMs: 0, globalPerSecond: 0 },
      ...overrides,
    };
  }

  /** lianxin in this process; with the bot role, the simulated WeChat is here too. */
  async startInProcess(roles: Role[], overrides: Partial<AppOptions> = {}): Promise<App> {
    let world: World | undefined;
    if (roles.includes('bot')) {
      world = createWorld({ messageIdPrefix: `${this.prefix}-t` });
      world.addContacts(this.township.cadres);
      world.addContacts(this.residents);
      world.onDelivery((d) => this.inProcessReceipts.push({ to: d.to, text: d.text }));
      this.world = world;
    }
    const app = createApp(this.appOptions({ roles, ...(world ? { puppet: world.puppet } : {}), ...overrides }));
    this.apps.push(app);
    await app.start();
    world?.login();
    return app;
  }

  /** Stops one in-process app (as a graceful shutdown would). */
  async stopInProcess(app: App): Promise<void> {
    await app.stop();
    this.apps.splice(this.apps.indexOf(app), 1);
  }

  /** A lianxin process of its own (worker, or bot with its simulated WeChat). Resolves when started. */
  async spawn(roles: Role[], extra: Partial<ProcessSettings> = {}): Promise<ChildApp> {
    const { handle, ready } = this.launch(roles, extra);
    await ready;
    return handle;
  }

  /**
   * As {@link spawn}, but returns at once: `ready` resolves when the process has started and
   * rejects when it exits before (a test that kills it while it starts expects that).
   */
  launch(roles: Role[], extra: Partial<ProcessSettings> = {}): { handle: ChildApp; ready: Promise<void> } {
    const settings: ProcessSettings = {
      roles,
      configDir: this.township.configDir,
      databaseUrl: this.database.url,
      redisUrl: this.redisUrl,
      queuePrefix: this.prefix,
      dataDir: path.join(this.workDir, 'data'),
      clockOffsetMs: this.clockOffsetMs,
      logFile: path.join(this.workDir, `${roles.join('-')}.log`),
      pace: { perRecipientIntervalMs: 0, globalPerSecond: 0 },
      ...(roles.includes('bot') ? { receiptsFile: this.receiptsFile, contacts: [...this.township.cadres, ...this.residents] } : {}),
      ...extra,
    };
    const child = fork(appProcessScript, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, LIANXIN_FAULT_APP: JSON.stringify(settings) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const handle: ChildApp = {
      child,
      roles,
      exited,
      async kill(signal) {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        await exited;
      },
      say(message) {
        if (child.connected) child.send({ type: 'say', from: message.from, text: message.text, messageId: message.id } satisfies ParentMessage);
      },
    };
    this.children.add(handle);
    void exited.then(() => this.children.delete(handle));
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${roles.join('+')} process did not start in 60 s: ${stderr}`)), 60_000);
      child.on('message', (message: ChildMessage) => {
        if (message.type === 'ready') {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`${roles.join('+')} process exited before it was ready (${child.exitCode ?? child.signalCode}): ${stderr}`));
      });
    });
    // Not every caller waits for it (a process killed while it starts): no unhandled rejection.
    ready.catch(() => {});
    return { handle, ready };
  }

  get receiptsFile(): string {
    return path.join(this.workDir, 'receipts.jsonl');
  }

  /** Everything delivered so far: by the in-process bot, and by bot processes (from their file). */
  receipts(): Receipt[] {
    const fromFile = existsSync(this.receiptsFile)
      ? readFileSync(this.receiptsFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Receipt)
      : [];
    return [...this.inProcessReceipts, ...fromFile];
  }

  /** The in-process simulated WeChat (after startInProcess with the bot role). */
  get inProcessWorld(): World {
    if (!this.world) throw new Error('no in-process bot');
    return this.world;
  }

  /**
   * Rows a bot had claimed (`sending`) when it was SIGKILLed: sent and not yet recorded, they go
   * again from the next bot — at least once, by design. check() then takes one extra copy of
   * exactly such a row (same recipient, same text) for no fault; any other copy still is one.
   */
  allowResend(outboxIds: readonly number[]): void {
    for (const id of outboxIds) this.resendable.add(id);
  }

  /** For testing the checker itself: a delivery the phones did not really get. */
  recordReceipt(receipt: Receipt): void {
    this.inProcessReceipts.push(receipt);
  }

  /** A resident writes through the in-process simulated WeChat. */
  say(message: Message): void {
    if (!this.world) throw new Error('no in-process bot');
    this.world.say(message.from, message.text, { messageId: message.id });
  }

  /** WeChat delivers the same message again (in-process bot). */
  redeliver(message: Message): void {
    if (!this.world) throw new Error('no in-process bot');
    this.world.redeliver(message.id);
  }

  /** Sends `messages` at `perSecond`, calling `send` for each; `during(elapsedMs)` runs between batches. */
  async pace(messages: readonly Message[], perSecond: number, send: (m: Message) => void): Promise<void> {
    const start = Date.now();
    for (let i = 0; i < messages.length; i++) {
      const due = start + (i * 1000) / perSecond;
      if (due > Date.now()) await sleep(due - Date.now());
      send(messages[i]!);
    }
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.admin.query(sql, params)).rows as T[];
  }

  /** Jobs not finished on the inbound and outbound queues (waiting, active, delayed). */
  async jobsInFlight(): Promise<number> {
    this.queues ??= (() => {
      const redis = new Redis(this.redisUrl, { maxRetriesPerRequest: null });
      redis.on('error', () => {});
      return { redis, inbound: new Queue('inbound', { connection: redis, prefix: this.prefix }), outbound: new Queue('outbound', { connection: redis, prefix: this.prefix }) };
    })();
    const { inbound, outbound } = this.queues;
    const counts = Promise.all([inbound, outbound].map((q) => q.getJobCountByTypes('waiting', 'active', 'delayed', 'prioritized')));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('Redis not answering')), 2000)));
    try {
      return (await Promise.race([counts, timeout])).reduce((a, b) => a + b, 0);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Progress as Postgres, Redis and the phones see it. */
  async progress(): Promise<{ inboundHandled: number; outboxOpen: number; outboxTotal: number; receipts: number; jobs: number }> {
    const [row] = await this.query<{ handled: number; open: number; total: number }>(
      `SELECT (SELECT count(*) FROM inbound_messages WHERE handled_at IS NOT NULL)::int AS handled,
              (SELECT count(*) FROM outbound_messages WHERE status IN ('pending', 'sending'))::int AS open,
              (SELECT count(*) FROM outbound_messages)::int AS total`,
    );
    const jobs = await this.jobsInFlight();
    return { inboundHandled: row!.handled, outboxOpen: row!.open, outboxTotal: row!.total, receipts: this.receipts().length, jobs };
  }

  /**
   * Waits until every message is handled and its two deliveries arrived, then a quiet
   * `quietMs` more (a late duplicate would show). Errors on timeout, with the progress.
   */
  async settle(timeoutMs: number, quietMs = 2000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const expected = this.messages.length;
    let last = '';
    for (;;) {
      let p: Awaited<ReturnType<FaultRun['progress']>> | undefined;
      try {
        p = await this.progress();
      } catch (error) {
        last = `database not answering: ${String(error)}`;
      }
      if (p) {
        last = JSON.stringify(p);
        if (p.inboundHandled >= expected && p.outboxOpen === 0 && p.receipts >= 2 * expected && p.jobs === 0) break;
      }
      if (Date.now() > deadline) {
        this.failed = true;
        throw new Error(`not settled after ${timeoutMs} ms: ${last} (expected ${expected} messages)`);
      }
      await sleep(250);
    }
    await sleep(quietMs);
  }

  /** Every broken exactly-once promise, as readable lines; empty when all hold. */
  async check(): Promise<string[]> {
    const problems: string[] = [];
    const limit = (list: string[], what: string) => {
      if (list.length > 0) problems.push(`${list.length} ${what}: ${list.slice(0, 5).join('; ')}${list.length > 5 ? ' …' : ''}`);
    };
    const byId = new Map(this.messages.map((m) => [m.id, m]));

    // 1. Every message: exactly one inbound row, handled, which opened a case.
    const inbound = await this.query<{ source_message_id: string; handled: boolean; outcome: string | null; case_id: number | null }>(
      `SELECT source_message_id, handled_at IS NOT NULL AS handled, outcome, case_id FROM inbound_messages`,
    );
    const inboundCount = new Map<string, number>();
    for (const row of inbound) inboundCount.set(row.source_message_id, (inboundCount.get(row.source_message_id) ?? 0) + 1);
    limit(this.messages.filter((m) => (inboundCount.get(m.id) ?? 0) !== 1).map((m) => `${m.id} ×${inboundCount.get(m.id) ?? 0}`), 'messages without exactly one inbound row');
    limit(inbound.filter((r) => !byId.has(r.source_message_id)).map((r) => r.source_message_id), 'inbound rows of messages never sent');
    limit(inbound.filter((r) => !r.handled || r.outcome !== 'case-opened' || r.case_id === null).map((r) => `${r.source_message_id}: ${r.outcome}`), 'inbound rows not handled into a case');

    // 2. Every case: one per message, exactly one 'created' and one 'assigned' event, to its assignee.
    const cases = await this.query<{ id: number; number: number; resident: string; assignee_id: string; created: number; assigned: number; assigned_to: string | null }>(
      `SELECT c.id, c.number, r.wechat_id AS resident, c.assignee_id,
              count(*) FILTER (WHERE e.type = 'created')::int AS created,
              count(*) FILTER (WHERE e.type = 'assigned')::int AS assigned,
              max(e.data->>'cadreId') FILTER (WHERE e.type = 'assigned') AS assigned_to
       FROM cases c JOIN residents r ON r.id = c.resident_id LEFT JOIN case_events e ON e.case_id = c.id
       GROUP BY c.id, r.wechat_id`,
    );
    if (cases.length !== this.messages.length) problems.push(`${cases.length} cases for ${this.messages.length} messages`);
    const casesPerResident = new Map<string, number>();
    for (const c of cases) casesPerResident.set(c.resident, (casesPerResident.get(c.resident) ?? 0) + 1);
    limit([...casesPerResident].filter(([, n]) => n !== 1).map(([r, n]) => `${r} ×${n}`), 'residents with more than one case');
    limit(cases.filter((c) => c.created !== 1 || c.assigned !== 1 || c.assigned_to !== c.assignee_id).map((c) => `#${c.number} created ×${c.created}, assigned ×${c.assigned}`), 'cases without exactly one assignment chain');

    // 3. The outbox: per resident one acknowledgement, per case one notification to its assignee; all delivered.
    const outbox = await this.query<{ id: number; resident: string | null; cadre_id: string | null; case_id: number | null; text: string; status: string; attempts: number }>(
      `SELECT o.id, r.wechat_id AS resident, o.cadre_id, o.case_id, o.text, o.status, o.attempts
       FROM outbound_messages o LEFT JOIN residents r ON r.id = o.resident_id`,
    );
    limit(outbox.filter((o) => o.status !== 'delivered').map((o) => `#${o.id} ${o.status}`), 'outbox rows not delivered');
    const acksInOutbox = new Map<string, number>();
    const notesInOutbox = new Map<number, { count: number; cadre: string | null }>();
    for (const o of outbox) {
      if (o.resident) acksInOutbox.set(o.resident, (acksInOutbox.get(o.resident) ?? 0) + 1);
      else if (o.case_id !== null && o.text.startsWith('【新案件')) {
        const n = notesInOutbox.get(o.case_id);
        notesInOutbox.set(o.case_id, { count: (n?.count ?? 0) + 1, cadre: o.cadre_id });
      } else problems.push(`unexpected outbox row #${o.id} to ${o.cadre_id}: ${o.text.slice(0, 40)}`);
    }
    limit(this.residents.filter((r) => acksInOutbox.get(r.wechatId) !== 1).map((r) => `${r.wechatId} ×${acksInOutbox.get(r.wechatId) ?? 0}`), 'residents without exactly one acknowledgement in the outbox');
    limit(cases.filter((c) => notesInOutbox.get(c.id)?.count !== 1 || notesInOutbox.get(c.id)?.cadre !== c.assignee_id).map((c) => `#${c.number} ×${notesInOutbox.get(c.id)?.count ?? 0}`), 'cases without exactly one notification in the outbox');

    // 4. The phones: what residents and cadres really received.
    const cadreIdByWechat = new Map(this.township.cadres.map((c) => [c.wechatId, c.id]));
    const caseByNumber = new Map(cases.map((c) => [c.number, c]));
    const acksReceived = new Map<string, string[]>();
    const notesReceived = new Map<number, { cadre: string | undefined; text: string }[]>();
    const receipts = await this.withoutAllowedResends(this.receipts());
    for (const receipt of receipts) {
      const note = /^【新案件 #(\d+)】/.exec(receipt.text);
      if (cadreIdByWechat.has(receipt.to) && note) {
        const number = Number(note[1]);
        notesReceived.set(number, [...(notesReceived.get(number) ?? []), { cadre: cadreIdByWechat.get(receipt.to), text: receipt.text }]);
      } else if (!cadreIdByWechat.has(receipt.to)) {
        acksReceived.set(receipt.to, [...(acksReceived.get(receipt.to) ?? []), receipt.text]);
      } else problems.push(`unexpected message to cadre ${receipt.to}: ${receipt.text.slice(0, 40)}`);
    }
    limit(
      this.residents
        .filter((r) => {
          const got = acksReceived.get(r.wechatId) ?? [];
          return got.length !== 1 || !got[0]!.startsWith('已受理');
        })
        .map((r) => `${r.wechatId} got ${JSON.stringify((acksReceived.get(r.wechatId) ?? []).map((t) => t.slice(0, 12)))}`),
      'residents who did not receive exactly one acknowledgement',
    );
    limit(
      cases
        .filter((c) => {
          const got = notesReceived.get(c.number) ?? [];
          return got.length !== 1 || got[0]!.cadre !== c.assignee_id;
        })
        .map((c) => `#${c.number} ×${notesReceived.get(c.number)?.length ?? 0}`),
      'cases whose cadre did not receive exactly one notification',
    );
    // The notification quotes the resident's own words: it is this message's case.
    const tokenOf = new Map(inbound.map((r) => [r.case_id, byId.get(r.source_message_id)?.token]));
    limit(
      cases
        .filter((c) => !(notesReceived.get(c.number)?.[0]?.text ?? '').includes(`序号 ${tokenOf.get(c.id)}）`))
        .map((c) => `#${c.number}`),
      'notifications that do not quote their message',
    );
    for (const number of notesReceived.keys()) if (!caseByNumber.has(number)) problems.push(`notification for unknown case #${number}`);
    if (problems.length > 0) this.failed = true;
    return problems;
  }

  /** The receipts less one second copy of each row allowed to go twice (see {@link allowResend}). */
  private async withoutAllowedResends(receipts: Receipt[]): Promise<Receipt[]> {
    if (this.resendable.size === 0) return receipts;
    const rows = await this.query<{ id: number; to: string; text: string }>(
      `SELECT o.id, COALESCE(r.wechat_id, c.wechat_id) AS to, o.text
       FROM outbound_messages o LEFT JOIN residents r ON r.id = o.resident_id LEFT JOIN cadres c ON c.id = o.cadre_id
       WHERE o.id = ANY($1)`,
      [[...this.resendable]],
    );
    const kept = [...receipts];
    for (const row of rows) {
      const copies = kept.flatMap((r, i) => (r.to === row.to && r.text === row.text ? [i] : []));
      if (copies.length !== 2) continue;
      kept.splice(copies[1]!, 1);
      console.log(`[faults] ${this.name}: outbox row #${row.id} was sent again after the SIGKILL (at least once, by design)`);
    }
    return kept;
  }

  /** Stops every app and child, drops the database and the queues. Keeps the logs of a failed run. */
  async stop(keepLogs = this.failed || process.env.FAULT_KEEP_LOGS === '1'): Promise<void> {
    for (const child of [...this.children]) await child.kill('SIGKILL');
    for (const app of this.apps.splice(0).reverse()) await app.stop().catch(() => {});
    await this.admin.end().catch(() => {});
    if (this.queues) {
      await Promise.all([this.queues.inbound.close(), this.queues.outbound.close()]).catch(() => {});
      this.queues.redis.disconnect();
    }
    await removeQueuesAt(this.redisUrl, this.prefix).catch(() => {});
    await this.database.drop().catch(() => {});
    await this.township.remove();
    if (keepLogs) console.log(`[faults] ${this.name}: logs kept in ${this.workDir}`);
    else await rm(this.workDir, { recursive: true, force: true });
  }
}

async function removeQueuesAt(redisUrl: string, prefix: string): Promise<void> {
  if (redisUrl === defaultRedisUrl) return removeQueues(prefix);
  // A private Redis of the test goes away with it.
}

/** Polls until `check` holds. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await sleep(100);
  }
}
