/**
 * `npm run bench [-- --quick] [--messages M] [--residents N] [--rate R] [--seconds S] [--json out.json] [--md out.md]`
 *
 * Measures lianxin end to end on this machine, beside the limit of its own parts:
 * 1. the pipeline (bot + worker in this process, pace off) under a burst of M messages: cases
 *    routed per second, backlog, latencies;
 * 2. the same pipeline under an open-loop arrival of R messages per second for S seconds, then
 *    at half the rate the burst sustained: latency from the resident's message to the
 *    acknowledgement and to the cadre's notification;
 * 3. the baseline: BullMQ jobs that each do one plain INSERT via pg (same Redis, Postgres,
 *    concurrency), and the ratio pipeline / baseline;
 * 4. the pace on: the outbound backlog drains at the configured `globalPerSecond`;
 * plus peak RSS, the booking slot search (20 services × 30 days), and the statistics queries
 * when test/bench/stats.bench.ts exists.
 * A fresh database (on TEST_DATABASE_URL's server) and queue prefix per run, dropped after.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { Redis } from 'ioredis';
import pg from 'pg';
import { pino } from 'pino';
import 'reflect-metadata';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { runBaseline, type BaselineReport } from './baseline.js';
import { runWechatAlone, type WechatAloneReport } from './wechat-alone.js';
import { countStatements, cpuPerItem, PeakSampler, readCpu, readRoundTrips, round, roundTripsPerItem, rssMb, type CpuPerItem, type RoundTrips } from './metrics.js';
import { runBurst, runOpenLoop, runPaced, startPipeline, type PhaseReport, type Pipeline } from './pipeline.js';
import { benchSlotSearch, untilAutovacuumIdle, withDatabase, type SlotSearchReport } from './slots.js';
import { generateTownship, registerResidents, residentIds, type Township } from './township.js';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Thursday 26 Nov 2026, 09:00 in Shanghai, moving with real time: a working morning whatever the hour of the run. */
const businessStart = Date.parse('2026-11-26T09:00:00+08:00');
const clockOffset = businessStart - Date.now();
const clock = () => new Date(Date.now() + clockOffset);

const usage = `usage: npm run bench -- [--quick] [--messages M] [--residents N] [--rate R] [--seconds S]
                        [--concurrency C] [--paced P] [--json out.json] [--md out.md]
  --quick        a smaller run, under a minute
  --messages     burst size for the throughput run and the baseline (default 5000; quick 1500)
  --residents    residents writing (default 2000; quick 500)
  --rate         arrival rate of the open-loop latency run, messages/s (default 200)
  --seconds      length of each open-loop run (default 15; quick 4)
  --concurrency  inbound worker concurrency, also the baseline's (default 8, the app's default)
  --paced        messages in the paced run (each makes 2 deliveries; default 40; quick 12)`;

interface Options {
  quick: boolean;
  messages: number;
  residents: number;
  rate: number;
  seconds: number;
  concurrency: number;
  paced: number;
  json?: string;
  md?: string;
}

function parseOptions(): Options {
  const parse = () =>
    parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        messages: { type: 'string' },
        residents: { type: 'string' },
        rate: { type: 'string' },
        seconds: { type: 'string' },
        concurrency: { type: 'string' },
        paced: { type: 'string' },
        json: { type: 'string' },
        md: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse());
  } catch (error) {
    // A mistyped option: its message and the usage, not a stack trace.
    console.error(`${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const quick = values.quick ?? false;
  const int = (name: string, value: string | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) {
      console.error(`--${name} must be a positive integer, got "${value}"\n${usage}`);
      process.exit(2);
    }
    return n;
  };
  return {
    quick,
    messages: int('messages', values.messages, quick ? 1500 : 5000),
    residents: int('residents', values.residents, quick ? 500 : 2000),
    rate: int('rate', values.rate, 200),
    seconds: int('seconds', values.seconds, quick ? 4 : 15),
    concurrency: int('concurrency', values.concurrency, 8),
    paced: int('paced', values.paced, quick ? 12 : 40),
    json: values.json,
    md: values.md,
  };
}

/** One progress bar per phase, on stderr. */
function bar(phase: string, total: number, unit: string) {
  const b = new cliProgress.SingleBar(
    {
      format: `${phase.padEnd(22)} [{bar}] {value}/{total} ${unit} | {rate}/s | backlog {backlog} | rss {rss} MB | {duration}s`,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
      // Piped (CI, a log file): a plain line every 5 s instead of a redrawn bar.
      noTTYOutput: true,
      notTTYSchedule: 5000,
    },
    cliProgress.Presets.shades_classic,
  );
  const start = Date.now();
  b.start(total, 0, { rate: 0, backlog: 0, rss: Math.round(rssMb()) });
  return {
    update(done: number, backlog: number) {
      const seconds = (Date.now() - start) / 1000;
      b.update(Math.min(done, total), { rate: seconds > 0 ? Math.round(done / seconds) : 0, backlog, rss: Math.round(rssMb()) });
    },
    stop: () => b.stop(),
  };
}

interface Results {
  when: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; postgres: string; redis: string };
  options: Options;
  throughput: PhaseReport;
  latency: PhaseReport & { ratePerSecond: number; achievedArrivalPerSecond: number };
  latencyAtHalf: PhaseReport & { ratePerSecond: number; achievedArrivalPerSecond: number };
  baseline: BaselineReport;
  /** The simulated WeChat alone (one message in, two out per case; no queue, no database), with its CPU per case. */
  wechatAlone: WechatAloneReport & { cpu: CpuPerItem | null };
  /** Pipeline cases/s ÷ baseline jobs/s, whole runs. */
  ratio: number;
  /** The same with the 10–90 % steady rates. */
  steadyRatio: number;
  /** CPU ms per case of the burst and per baseline job (Linux /proc; null elsewhere): steadier than rates on a shared VM. */
  cpu: { perCase: CpuPerItem; perBaselineJob: CpuPerItem; ratio: number } | null;
  /** Statements to Postgres and BullMQ scripts in Redis, per case of the burst and per baseline job. */
  roundTrips: { perCase: RoundTrips; perBaselineJob: RoundTrips };
  peakRssMb: number;
  /** The kernel's high-water mark (VmHWM) after the pipeline runs: start-up included. */
  highWaterRssMb: number | null;
  /** tsx (transpiling at load, ~85 MB more) or plain node on compiled output. */
  runtime: string;
  /** Right after start (app, simulated WeChat and residents loaded), before any message. */
  startedRssMb: number;
  peakHeapMb: number;
  paced: Awaited<ReturnType<typeof runPaced>>;
  check: { cases: number; messagesSent: number; outboxNotDelivered: number; logWarnings: number };
  stats: { name: string; ms: number }[] | string;
  bookings: SlotSearchReport & { waitedMs: number };
  targets: { target: string; measured: string; met: boolean | null }[];
}

async function main(): Promise<void> {
  const options = parseOptions();
  const cleanups: (() => Promise<unknown>)[] = [];
  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
    console.error('\ninterrupted: cleaning up');
    void runCleanups(cleanups).finally(() => process.exit(130));
  });

  const logDir = await mkdtemp(path.join(os.tmpdir(), 'lianxin-bench-log-'));
  const logFile = path.join(logDir, 'app.log');
  const logger = pino({ level: 'warn', base: undefined }, pino.destination({ dest: logFile, sync: false, mkdir: true }));

  let database: TestDatabase | undefined;
  let township: Township | undefined;
  try {
    database = await createTestDatabase();
    cleanups.push(() => database!.drop());
    // Simulated residents write in bulk; the flood limit (its query still runs for every message)
    // must not turn them away. The abuse tests check the limit itself.
    township = await generateTownship({
      outbound: { perRecipientIntervalMs: 1500, globalPerSecond: 5 },
      verifyTemplates: false,
      residentMessagesPerMinute: 1_000_000,
    });
    cleanups.push(() => township!.remove());
    const residents = residentIds(options.residents);
    const machine = await describeMachine(database.url);
    console.error(
      `lianxin bench: ${options.messages} messages burst, ${options.rate}/s for ${options.seconds} s, ${options.residents} residents, ` +
        `${township.config.villages.length} villages, ${township.config.departments.length} departments, ${township.cadres.length} cadres; ` +
        `${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, PostgreSQL ${machine.postgres}, Redis ${machine.redis}`,
    );

    const common = { township, databaseUrl: database.url, redisUrl, clock, logger, workerConcurrency: options.concurrency };
    countStatements(pg.Client);
    const probe = new Redis(redisUrl);
    cleanups.push(async () => probe.disconnect());
    const rss = new PeakSampler(rssMb, 50).start();
    const heap = new PeakSampler(() => process.memoryUsage().heapUsed / 1024 / 1024, 250).start();
    let pipeline: Pipeline | undefined = await startPipeline({ ...common, residents, pace: { perRecipientIntervalMs: 0, globalPerSecond: 0 } });
    cleanups.unshift(() => pipeline?.stop() ?? Promise.resolve());
    await registerResidents((sql, params) => pipeline!.app.db.dataSource.query(sql, params), residents, township.config.villages.map((v) => v.id));
    const startedRssMb = round(rssMb(), 0);

    // Warm-up: JIT, connection pools, jieba, prepared Lua scripts.
    const warm = bar('warm-up', 200, 'cases');
    await runBurst(pipeline, 200, warm.update, 60_000);
    warm.stop();

    const burstBar = bar('throughput (burst)', options.messages, 'cases');
    const burstTrips = await readRoundTrips(probe);
    const burstCpu = await readCpu();
    const throughput = await runBurst(pipeline, options.messages, burstBar.update, 600_000);
    const cpuPerCase = cpuPerItem(burstCpu, await readCpu(), options.messages);
    const tripsPerCase = roundTripsPerItem(burstTrips, await readRoundTrips(probe), options.messages);
    burstBar.stop();

    const total = options.rate * options.seconds;
    const openBar = bar(`latency (${options.rate}/s)`, total, 'cases');
    const latency = await runOpenLoop(pipeline, options.rate, options.seconds, 0, openBar.update, 300_000);
    openBar.stop();

    // The same, at half the throughput the burst measured: the latency of a pipeline that keeps up.
    const halfRate = Math.max(1, Math.floor(throughput.casesPerSecond / 2));
    const halfBar = bar(`latency (${halfRate}/s)`, halfRate * options.seconds, 'cases');
    const latencyAtHalf = await runOpenLoop(pipeline, halfRate, options.seconds, total, halfBar.update, 300_000);
    halfBar.stop();

    const messagesSent = 200 + options.messages + total + halfRate * options.seconds;
    // The last delivery is seen by the resident a moment before the bot records it.
    let counts: { cases: number; not_delivered: number } | undefined;
    for (let i = 0; i < 50; i++) {
      [counts] = (await pipeline.app.db.dataSource.query(
        `SELECT (SELECT count(*) FROM cases)::int AS cases,
                (SELECT count(*) FROM outbound_messages WHERE status <> 'delivered')::int AS not_delivered`,
      )) as { cases: number; not_delivered: number }[];
      if (counts!.not_delivered === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const peakRssMb = round(await rss.stop(), 0);
    const highWaterRssMb = await kernelPeakRssMb();
    await pipeline.stop();
    pipeline = undefined;
    const peakHeapMb = round(await heap.stop(), 0);

    // The slot search on its own: the pipeline stopped, and autovacuum done with the thousands
    // of rows the runs above wrote (it otherwise shares the two cores with the timed runs).
    const bookings = await withDatabase(database.url, async (db) => {
      const waitedMs = await untilAutovacuumIdle(db, 60_000);
      return { ...(await benchSlotSearch({ config: township!.config, db, now: clock(), runs: options.quick ? 10 : 30 })), waitedMs };
    });

    // Statistics queries on a database that now holds every case of this run.
    const stats = await benchStatsHook(database.url);

    const baseBar = bar('baseline (INSERT jobs)', options.messages, 'jobs');
    const baselineTrips = await readRoundTrips(probe);
    const baselineCpu = await readCpu();
    const baseline = await runBaseline({
      databaseUrl: database.url, redisUrl, jobs: options.messages, concurrency: options.concurrency, poolSize: 10, progress: baseBar.update,
    });
    const cpuPerJob = cpuPerItem(baselineCpu, await readCpu(), options.messages);
    const tripsPerJob = roundTripsPerItem(baselineTrips, await readRoundTrips(probe), options.messages);
    baseBar.stop();

    const aloneCpu = await readCpu();
    const alone = await runWechatAlone({ residents, cadre: township.cadres[0]!, cases: options.messages });
    const wechatAlone = { ...alone, cpu: cpuPerItem(aloneCpu, await readCpu(), options.messages) };

    const pace = township.config.township.outbound;
    const paceResidents = residents.slice(0, Math.max(options.paced, 1));
    const paceBar = bar(`paced (${pace.globalPerSecond}/s)`, options.paced * 2, 'sent');
    pipeline = await startPipeline({ ...common, residents: paceResidents, pace });
    const paced = await runPaced(pipeline, options.paced, pace, paceBar.update, 120_000 + (options.paced * 2 * 1000) / pace.globalPerSecond);
    paceBar.stop();
    await pipeline.stop();
    pipeline = undefined;

    logger.flush();
    await new Promise((r) => setTimeout(r, 200));
    const logWarnings = (await readFile(logFile, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;

    const ratio = throughput.casesPerSecond / baseline.jobsPerSecond;
    const steadyRatio = throughput.steadyCasesPerSecond / baseline.steadyJobsPerSecond;
    const results: Results = {
      when: new Date().toISOString(),
      machine,
      options,
      throughput,
      latency,
      latencyAtHalf,
      baseline,
      wechatAlone,
      ratio: round(ratio, 3),
      steadyRatio: round(steadyRatio, 3),
      cpu: cpuPerCase && cpuPerJob ? { perCase: cpuPerCase, perBaselineJob: cpuPerJob, ratio: round(cpuPerJob.machine / cpuPerCase.machine, 3) } : null,
      roundTrips: { perCase: tripsPerCase, perBaselineJob: tripsPerJob },
      peakRssMb,
      highWaterRssMb,
      runtime: process.execArgv.join(' ').includes('tsx') ? 'tsx' : 'node',
      startedRssMb,
      peakHeapMb,
      paced,
      check: { cases: counts!.cases, messagesSent, outboxNotDelivered: counts!.not_delivered, logWarnings },
      stats,
      bookings,
      targets: [
        {
          target: 'throughput ≥ 0.4 × baseline',
          measured: `${throughput.casesPerSecond} / ${baseline.jobsPerSecond} = ${ratio.toFixed(3)}`,
          met: ratio >= 0.4,
        },
        {
          target: `p99 acknowledgement < 50 ms at ${options.rate}/s`,
          measured: `${latency.ackLatencyMs.p99} ms`,
          met: options.rate >= 200 ? latency.ackLatencyMs.p99 < 50 : null,
        },
        { target: 'peak RSS < 300 MB (bot + worker, one process)', measured: `${peakRssMb} MB (${startedRssMb} MB after start; ${process.execArgv.join(' ').includes('tsx') ? 'tsx' : 'node'})`, met: peakRssMb < 300 },
        {
          target: `paced backlog drains at globalPerSecond = ${pace.globalPerSecond}/s`,
          measured: `${paced.deliveredPerSecond}/s (max ${paced.maxInOneSecond} in any sliding 1 s)`,
          met: Math.abs(paced.deliveredPerSecond - pace.globalPerSecond) <= pace.globalPerSecond * 0.15,
        },
        {
          target: `slot search, ${bookings.days} days × ${bookings.services} services < 20 ms`,
          measured:
            `${bookings.ms} ms median of warm runs (p95 ${bookings.latencyMs.p95} ms, first ${bookings.coldMs} ms; ${bookings.slots} open slots; ` +
            `measured after the pipeline stopped and ${round(bookings.waitedMs / 1000, 1)} s of waiting for autovacuum)`,
          met: bookings.ms < 20,
        },
      ],
    };
    if (logWarnings > 0) console.error(`${logWarnings} warnings or errors were logged: ${logFile}`);
    else cleanups.push(() => rm(logDir, { recursive: true, force: true }));

    const markdown = toMarkdown(results);
    process.stdout.write(`\n${markdown}\n`);
    if (options.json) await writeFile(options.json, `${JSON.stringify(results, null, 2)}\n`);
    if (options.md) await writeFile(options.md, markdown);
  } finally {
    if (!interrupted) await runCleanups(cleanups);
  }
}

/** VmHWM from /proc (Linux); null elsewhere. */
async function kernelPeakRssMb(): Promise<number | null> {
  const status = await readFile('/proc/self/status', 'utf8').catch(() => '');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return kb ? Math.round(Number(kb) / 1024) : null;
}

async function runCleanups(cleanups: (() => Promise<unknown>)[]): Promise<void> {
  for (const cleanup of cleanups.splice(0)) {
    try {
      await cleanup();
    } catch (error) {
      console.error(`cleanup failed: ${String(error)}`);
    }
  }
}

async function describeMachine(databaseUrl: string): Promise<Results['machine']> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const postgres = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
  await client.end();
  const redis = new Redis(redisUrl);
  const info = await redis.info('server');
  redis.disconnect();
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.versions.node,
    postgres: postgres.split(' ')[0]!,
    redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
  };
}

// ── Other parts' micro-benchmarks ────────────────────────────────────────────────────────────
// The booking slot search is measured by ./slots.ts. The statistics queries belong to the
// statistics work (./stats.bench.ts); loaded by path at run time so the bench runs either way.

/**
 * Statistics queries (test/bench/stats.bench.ts, written with the statistics work):
 * `benchStats(databaseUrl): Promise<{ name, ms }[]>`, run on the database this run filled.
 */
async function benchStatsHook(databaseUrl: string): Promise<Results['stats']> {
  // stats.bench.js when running compiled.
  const file = path.join(import.meta.dirname, `stats.bench${path.extname(import.meta.filename)}`);
  if (!existsSync(file)) return 'not measured: test/bench/stats.bench.ts does not exist yet';
  const module = (await import(pathToFileURL(file).href)) as { benchStats?: (url: string) => Promise<{ name: string; ms: number }[]> };
  if (typeof module.benchStats !== 'function') return 'not measured: stats.bench.ts exports no benchStats()';
  return module.benchStats(databaseUrl);
}

const sumTrips = (t: RoundTrips) => t.postgres + t.redisScripts;

function toMarkdown(r: Results): string {
  const l = (s: { p50: number; p95: number; p99: number; max: number }) => `${s.p50} / ${s.p95} / ${s.p99} / ${s.max}`;
  const lines = [
    `### lianxin bench — ${r.when.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGb} GB; Node ${r.machine.node}; PostgreSQL ${r.machine.postgres}; Redis ${r.machine.redis}. ` +
      `Bot + worker in one process, inbound concurrency ${r.options.concurrency}, ${r.options.residents} residents.`,
    '',
    '| Run | Messages | Cases/s (whole) | Cases/s (10–90 %) | Ack p50 / p95 / p99 / max ms | Notification p50 / p95 / p99 / max ms | Max inbound waiting |',
    '|---|---:|---:|---:|---|---|---:|',
    `| Burst (pace off) | ${r.throughput.messages} | ${r.throughput.casesPerSecond} | ${r.throughput.steadyCasesPerSecond} | ${l(r.throughput.ackLatencyMs)} | ${l(r.throughput.notifyLatencyMs)} | ${r.throughput.maxInboundWaiting} |`,
    `| Open loop ${r.latency.ratePerSecond}/s × ${r.options.seconds} s (pace off) | ${r.latency.messages} | ${r.latency.casesPerSecond} | — | ${l(r.latency.ackLatencyMs)} | ${l(r.latency.notifyLatencyMs)} | ${r.latency.maxInboundWaiting} |`,
    `| Open loop ${r.latencyAtHalf.ratePerSecond}/s (half the burst rate) × ${r.options.seconds} s | ${r.latencyAtHalf.messages} | ${r.latencyAtHalf.casesPerSecond} | — | ${l(r.latencyAtHalf.ackLatencyMs)} | ${l(r.latencyAtHalf.notifyLatencyMs)} | ${r.latencyAtHalf.maxInboundWaiting} |`,
    '',
    '| Baseline: BullMQ job → one pg INSERT | Jobs | Jobs/s (whole) | Jobs/s (10–90 %) | add → done p50 / p95 / p99 / max ms |',
    '|---|---:|---:|---:|---|',
    `| same Redis, Postgres, concurrency ${r.baseline.concurrency} | ${r.baseline.jobs} | ${r.baseline.jobsPerSecond} | ${r.baseline.steadyJobsPerSecond} | ${l(r.baseline.latencyMs)} |`,
    '',
    `The simulated WeChat alone (wechaty-puppet-mock → a wechaty bot that sends a case's two messages at once; no queue, no database): ` +
      `${r.wechatAlone.cases} cases at ${r.wechatAlone.casesPerSecond}/s` +
      `${r.wechatAlone.cpu ? `, ${r.wechatAlone.cpu.machine} ms of machine CPU per case` : ''}.`,
    '',
    `**Pipeline / baseline: ${r.ratio}** (10–90 %: ${r.steadyRatio}). Peak RSS ${r.peakRssMb} MB sampled (kernel high-water mark ${r.highWaterRssMb ?? '—'} MB, heap ${r.peakHeapMb} MB); ` +
      `${r.startedRssMb} MB right after start. RSS is the whole bench process under ${r.runtime}: bot, worker, the simulated WeChat with every resident and message, and the driver.`,
    '',
    ...(r.cpu
      ? [
          `CPU per case in the burst: Node ${r.cpu.perCase.node} ms (bot, worker, simulated WeChat, driver), Postgres ${r.cpu.perCase.postgres} ms, ` +
            `Redis ${r.cpu.perCase.redis} ms; whole machine ${r.cpu.perCase.machine} ms. Per baseline job: Node ${r.cpu.perBaselineJob.node} ms, ` +
            `Postgres ${r.cpu.perBaselineJob.postgres} ms, Redis ${r.cpu.perBaselineJob.redis} ms; machine ${r.cpu.perBaselineJob.machine} ms. ` +
            `**Baseline job ÷ case, machine CPU: ${r.cpu.ratio}** (the throughput ratio as the machine's work, steadier than rates on a shared VM).`,
          '',
        ]
      : []),
    `Round trips per case in the burst: ${r.roundTrips.perCase.postgres} Postgres statements, ${r.roundTrips.perCase.redisScripts} BullMQ scripts in Redis; ` +
      `per baseline job: ${r.roundTrips.perBaselineJob.postgres} and ${r.roundTrips.perBaselineJob.redisScripts}. ` +
      `**Baseline job ÷ case, round trips: ${round(sumTrips(r.roundTrips.perBaselineJob) / sumTrips(r.roundTrips.perCase), 3)}** ` +
      `(Redis counts every client's scripts: run on a quiet machine).`,
    '',
    `Paced: ${r.paced.messages} messages → ${r.paced.deliveries} deliveries in ${r.paced.drainSeconds} s: **${r.paced.deliveredPerSecond}/s** delivered, ` +
      `at most ${r.paced.maxInOneSecond} in any second, configured ${r.paced.configuredPerSecond}/s; outbound backlog peaked at ${r.paced.maxOutboundBacklog}.`,
    '',
    `Check: ${r.check.cases} cases for ${r.check.messagesSent} messages; ${r.check.outboxNotDelivered} outbox rows not delivered; ${r.check.logWarnings} warnings logged.`,
    '',
    '| Target | Measured | Met |',
    '|---|---|:---:|',
    ...r.targets.map((t) => `| ${t.target} | ${t.measured} | ${t.met === null ? '—' : t.met ? 'yes' : '**no**'} |`),
  ];
  if (Array.isArray(r.stats)) {
    lines.push('', '| Statistics query | ms |', '|---|---:|', ...r.stats.map((s) => `| ${s.name} | ${s.ms} |`));
  } else {
    lines.push('', `Statistics queries: ${r.stats}.`);
  }
  return `${lines.join('\n')}\n`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
