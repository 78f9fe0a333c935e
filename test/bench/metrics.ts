/** Small measuring tools shared by the benchmark phases. */
import { readdir, readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles of milliseconds, rounded to 0.1 ms. */
export function summarize(samples: readonly number[]): LatencySummary {
  if (samples.length === 0) return { count: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN, mean: NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    count: sorted.length,
    p50: round(at(50)),
    p95: round(at(95)),
    p99: round(at(99)),
    max: round(sorted.at(-1)!),
    mean: round(sorted.reduce((a, b) => a + b, 0) / sorted.length),
  };
}

/**
 * Completions per second between the moments 10 % and 90 % of the work was done: the
 * sustained rate, without the ramp-up and the tail of the last stragglers.
 */
export function steadyRate(completionTimesMs: readonly number[]): number {
  const sorted = [...completionTimesMs].sort((a, b) => a - b);
  if (sorted.length < 10) return NaN;
  const lo = Math.floor(sorted.length * 0.1);
  const hi = Math.floor(sorted.length * 0.9);
  const seconds = (sorted[hi]! - sorted[lo]!) / 1000;
  return seconds > 0 ? (hi - lo) / seconds : NaN;
}

/** Samples something every `everyMs` and keeps the maximum. */
export class PeakSampler {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  peak = 0;

  constructor(
    private readonly sample: () => number | Promise<number>,
    private readonly everyMs: number,
  ) {}

  start(): this {
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      Promise.resolve()
        .then(this.sample)
        .then((value) => {
          if (value > this.peak) this.peak = value;
        })
        .catch(() => {})
        .finally(() => (this.busy = false));
    }, this.everyMs);
    this.timer.unref();
    return this;
  }

  /** Takes one last sample and stops. */
  async stop(): Promise<number> {
    clearInterval(this.timer);
    try {
      const value = await this.sample();
      if (value > this.peak) this.peak = value;
    } catch {
      // the last sample is optional
    }
    return this.peak;
  }
}

export const rssMb = () => process.memoryUsage.rss() / 1024 / 1024;

export const now = () => performance.now();

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it holds; throws with `what` after `timeoutMs`. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** CPU time used so far, in ms: per process name (all processes of that name summed) and the whole machine. */
export interface CpuReading {
  byProcess: Map<string, number>;
  machine: number;
}

/** CPU ms per item between two readings: the parts of the pipeline, and the whole machine (kernel included). */
export interface CpuPerItem {
  node: number;
  postgres: number;
  redis: number;
  machine: number;
}

/** /proc reports CPU times in USER_HZ ticks, 100 per second on Linux. */
const msPerTick = 10;

/**
 * Reads every process's CPU time from /proc (Linux; null elsewhere). Rates on a shared VM
 * drift with its neighbours; CPU time per item drifts much less, so phases and builds compare.
 */
export async function readCpu(): Promise<CpuReading | null> {
  const stat = await readFile('/proc/stat', 'utf8').catch(() => null);
  if (stat === null) return null;
  // cpu  user nice system idle iowait irq softirq steal …: busy = all but idle, iowait and steal.
  const [user, nice, system, , , irq, softirq] = stat.split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const byProcess = new Map<string, number>();
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const raw = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
    if (raw === null) continue; // exited meanwhile
    // "pid (comm) state …": comm may hold spaces and parentheses. utime, stime, cutime, cstime are
    // fields 14–17; the last two hold children that exited (Postgres backends of a closed pool
    // end up in the postmaster's).
    const name = raw.slice(raw.indexOf('(') + 1, raw.lastIndexOf(')'));
    const fields = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    byProcess.set(name, (byProcess.get(name) ?? 0) + ticks * msPerTick);
  }
  return { byProcess, machine: (user! + nice! + system! + irq! + softirq!) * msPerTick };
}

export function cpuPerItem(before: CpuReading | null, after: CpuReading | null, items: number): CpuPerItem | null {
  if (!before || !after || items <= 0) return null;
  const used = (name: string) => round(((after.byProcess.get(name) ?? 0) - (before.byProcess.get(name) ?? 0)) / items, 2);
  // Node 24 names its process after its main thread.
  const node = round(used('node') + used('MainThread'), 2);
  return { node, postgres: used('postgres'), redis: used('redis-server'), machine: round((after.machine - before.machine) / items, 2) };
}

/** Round trips to the two servers, counted so far. */
export interface RoundTrips {
  /** Statements this process sent through pg: each is one round trip (pg does not pipeline). */
  postgres: number;
  /**
   * Lua scripts the Redis server ran (EVALSHA calls, from every client: run the bench on a quiet
   * machine). Each BullMQ operation — add a job, take it, finish it and take the next — is one.
   */
  redisScripts: number;
}

let statementsSent = 0;
let counting = false;

/**
 * Counts every statement sent through pg's Client in this process from now on: the app's pool
 * (TypeORM) and the baseline's share the one module. Call once, before any query is measured.
 */
export function countStatements(client: { prototype: { query: (...args: never[]) => unknown } }): void {
  if (counting) return;
  counting = true;
  const query = client.prototype.query;
  client.prototype.query = function (this: unknown, ...args: never[]) {
    statementsSent++;
    return query.apply(this, args);
  };
}

export async function readRoundTrips(redis: { info(section: 'commandstats'): Promise<string> }): Promise<RoundTrips> {
  const stats = await redis.info('commandstats');
  return { postgres: statementsSent, redisScripts: Number(/^cmdstat_evalsha:calls=(\d+)/m.exec(stats)?.[1] ?? 0) };
}

/** Round trips per item between two readings. */
export function roundTripsPerItem(before: RoundTrips, after: RoundTrips, items: number): RoundTrips {
  const per = (k: keyof RoundTrips) => round((after[k] - before[k]) / items, 2);
  return { postgres: per('postgres'), redisScripts: per('redisScripts') };
}
