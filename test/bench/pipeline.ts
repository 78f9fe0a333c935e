/**
 * The whole lianxin in one process (bot + worker), driven through wechaty-puppet-mock:
 * residents write, the bot queues, the worker opens and routes cases in Postgres, the outbox
 * goes back through the bot to the resident (acknowledgement) and the cadre (notification).
 *
 * Every message carries a token (`序号 m123`) that the cadre's notification quotes back, and the
 * notification names the case number that the resident's acknowledgement names too: so each
 * message is matched to both of its deliveries without relying on order.
 */
import { randomBytes } from 'node:crypto';
import { setImmediate as tick } from 'node:timers/promises';
import type { Logger } from 'pino';
import { createApp, type App } from '../../src/app.js';
import type { PaceOptions } from '../../src/bot/sender.js';
import type { Clock } from '../../src/services/clock.js';
import { removeQueues } from '../support/harness.js';
import { now, PeakSampler, sleep, steadyRate, summarize, type LatencySummary } from './metrics.js';
import type { Township } from './township.js';
import { createWorld, type Delivery, type World } from './world.js';
import { chineseCalendar } from '../../src/domain/calendar.js';

export interface PipelineOptions {
  township: Township;
  residents: readonly { wechatId: string; name: string }[];
  databaseUrl: string;
  redisUrl: string;
  clock: Clock;
  logger: Logger;
  workerConcurrency: number;
  /** Outbound pace; `{0, 0}` = off. */
  pace: PaceOptions;
}

export interface Pipeline {
  app: App;
  world: World;
  prefix: string;
  /** Messages sent so far whose acknowledgement and notification both arrived. */
  readonly completed: number;
  /** Every delivery the bot made, in arrival order (for the paced run). */
  readonly deliveries: Delivery[];
  /** A resident writes one message that should open a case; returns its token. */
  send(residentIndex: number, intendedAt?: number): string;
  /** Resolves when every message sent so far is complete, or rejects after `timeoutMs`. */
  drain(timeoutMs: number): Promise<void>;
  /** Latencies and completion times of the tokens given (default all). */
  results(tokens?: readonly string[]): MessageResults;
  stop(): Promise<void>;
}

export interface MessageResults {
  sent: number;
  completed: number;
  ackMs: number[];
  notifyMs: number[];
  completedAt: number[];
  firstSentAt: number;
  lastCompletedAt: number;
}

interface Sent {
  at: number;
  number?: number;
  notifiedAt?: number;
  completedAt?: number;
}

const ackPattern = /^已受理，编号 #(\d+)/;
const notePattern = /^【新案件 #(\d+)】[\s\S]*序号 (m\d+)/;

export async function startPipeline(options: PipelineOptions): Promise<Pipeline> {
  const { township, residents } = options;
  const world = createWorld();
  world.addContacts(township.cadres);
  world.addContacts(residents);
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const app = createApp({
    configDir: township.configDir,
    databaseUrl: options.databaseUrl,
    redisUrl: options.redisUrl,
    puppet: world.puppet,
    queuePrefix: prefix,
    roles: ['bot', 'worker'],
    clock: options.clock,
    logger: options.logger,
    workerConcurrency: options.workerConcurrency,
    pace: options.pace,
    // The package's holiday tables as they are: no township dates, and no warning about next
    // year's in the run's count of warnings.
    calendar: chineseCalendar,
  });
  await app.start();
  world.login();

  const sent = new Map<string, Sent>();
  const ackAt = new Map<number, number>();
  const byNumber = new Map<number, string>();
  const deliveries: Delivery[] = [];
  let sequence = 0;
  let completed = 0;
  let wake: (() => void) | undefined;

  /** A message is complete once both of its deliveries arrived. */
  const complete = (entry: Sent) => {
    if (entry.completedAt !== undefined || entry.notifiedAt === undefined || entry.number === undefined) return;
    const ack = ackAt.get(entry.number);
    if (ack === undefined) return;
    entry.completedAt = Math.max(ack, entry.notifiedAt);
    completed += 1;
    wake?.();
  };

  world.onDelivery((delivery) => {
    deliveries.push(delivery);
    const ack = ackPattern.exec(delivery.text);
    if (ack) {
      const number = Number(ack[1]);
      ackAt.set(number, delivery.at);
      const token = byNumber.get(number);
      if (token) complete(sent.get(token)!);
      return;
    }
    const note = notePattern.exec(delivery.text);
    if (note) {
      const token = note[2]!;
      const entry = sent.get(token);
      if (!entry) return;
      entry.number = Number(note[1]);
      entry.notifiedAt = delivery.at;
      byNumber.set(entry.number, token);
      complete(entry);
    }
  });

  const { templates } = township;
  return {
    app,
    world,
    prefix,
    deliveries,
    get completed() {
      return completed;
    },
    send(residentIndex, intendedAt) {
      sequence += 1;
      const token = `m${sequence}`;
      const resident = residents[residentIndex % residents.length]!;
      const template = templates[sequence % templates.length]!;
      // "新问题" opens a further case for a resident who already has one open.
      const text = `新问题 ${template.text}（序号 ${token}）`;
      sent.set(token, { at: intendedAt ?? now() });
      world.say(resident.wechatId, text, { at: options.clock() });
      return token;
    },
    async drain(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (completed < sent.size) {
        if (Date.now() > deadline) throw new Error(`${sent.size - completed} of ${sent.size} messages not acknowledged and notified within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 200);
        });
        wake = undefined;
      }
    },
    results(tokens) {
      const entries = tokens ? tokens.map((t) => sent.get(t)!) : [...sent.values()];
      const done = entries.filter((e) => e.completedAt !== undefined);
      return {
        sent: entries.length,
        completed: done.length,
        ackMs: done.map((e) => ackAt.get(e.number!)! - e.at),
        notifyMs: done.map((e) => e.notifiedAt! - e.at),
        completedAt: done.map((e) => e.completedAt!),
        firstSentAt: Math.min(...entries.map((e) => e.at)),
        lastCompletedAt: Math.max(...done.map((e) => e.completedAt!)),
      };
    },
    async stop() {
      await app.stop();
      await removeQueues(prefix);
    },
  };
}

export interface PhaseReport {
  messages: number;
  completed: number;
  seconds: number;
  /** Cases routed (acknowledged and notified) per second over the whole phase. */
  casesPerSecond: number;
  /** The same between 10 % and 90 % done. */
  steadyCasesPerSecond: number;
  ackLatencyMs: LatencySummary;
  notifyLatencyMs: LatencySummary;
  maxInboundWaiting: number;
  maxOutboundWaiting: number;
}

function report(results: MessageResults, backlog: { inbound: number; outbound: number }): PhaseReport {
  const seconds = (results.lastCompletedAt - results.firstSentAt) / 1000;
  return {
    messages: results.sent,
    completed: results.completed,
    seconds: Math.round(seconds * 100) / 100,
    casesPerSecond: Math.round(results.completed / seconds),
    steadyCasesPerSecond: Math.round(steadyRate(results.completedAt)),
    ackLatencyMs: summarize(results.ackMs),
    notifyLatencyMs: summarize(results.notifyMs),
    maxInboundWaiting: backlog.inbound,
    maxOutboundWaiting: backlog.outbound,
  };
}

function backlogSamplers(pipeline: Pipeline) {
  const { inbound, outbound } = pipeline.app.queues;
  return {
    inbound: new PeakSampler(() => inbound.getWaitingCount(), 100).start(),
    outbound: new PeakSampler(() => outbound.getJobCountByTypes('waiting', 'delayed', 'prioritized'), 100).start(),
  };
}

/**
 * Closed burst: all `count` messages arrive as fast as the mock can produce them (in slices,
 * so the event loop keeps serving the bot and the worker); measures how fast they are worked off.
 */
export async function runBurst(
  pipeline: Pipeline,
  count: number,
  progress: (done: number, backlog: number) => void,
  timeoutMs: number,
): Promise<PhaseReport> {
  const samplers = backlogSamplers(pipeline);
  const before = pipeline.completed;
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    tokens.push(pipeline.send(i));
    if (i % 100 === 99) await tick();
  }
  const ticker = setInterval(() => progress(pipeline.completed - before, samplers.inbound.peak), 250);
  try {
    await pipeline.drain(timeoutMs);
  } finally {
    clearInterval(ticker);
  }
  progress(pipeline.completed - before, 0);
  const backlog = { inbound: await samplers.inbound.stop(), outbound: await samplers.outbound.stop() };
  return report(pipeline.results(tokens), backlog);
}

/**
 * Open loop: messages arrive at a fixed rate whatever the system does (as residents do), for
 * `seconds`. Latency counts from when each message was due, so a stalled event loop shows.
 */
export async function runOpenLoop(
  pipeline: Pipeline,
  ratePerSecond: number,
  seconds: number,
  residentOffset: number,
  progress: (done: number, backlog: number) => void,
  timeoutMs: number,
): Promise<PhaseReport & { ratePerSecond: number; achievedArrivalPerSecond: number }> {
  const samplers = backlogSamplers(pipeline);
  const before = pipeline.completed;
  const total = Math.round(ratePerSecond * seconds);
  const tokens: string[] = [];
  const start = now();
  const ticker = setInterval(() => progress(pipeline.completed - before, samplers.inbound.peak), 250);
  try {
    while (tokens.length < total) {
      const due = Math.min(total, Math.floor(((now() - start) * ratePerSecond) / 1000) + 1);
      while (tokens.length < due) {
        const i = tokens.length;
        tokens.push(pipeline.send(residentOffset + i, start + (i * 1000) / ratePerSecond));
      }
      await sleep(2);
    }
    const arrivalSeconds = (now() - start) / 1000;
    await pipeline.drain(timeoutMs);
    progress(pipeline.completed - before, 0);
    const backlog = { inbound: await samplers.inbound.stop(), outbound: await samplers.outbound.stop() };
    return {
      ...report(pipeline.results(tokens), backlog),
      ratePerSecond,
      achievedArrivalPerSecond: Math.round(total / arrivalSeconds),
    };
  } finally {
    clearInterval(ticker);
  }
}

/**
 * The pace on: `count` residents write at once; their acknowledgements and the cadres'
 * notifications (2 × count messages) leave the bot at the configured rate.
 */
export async function runPaced(
  pipeline: Pipeline,
  count: number,
  pace: PaceOptions,
  progress: (done: number, backlog: number) => void,
  timeoutMs: number,
): Promise<{
  messages: number;
  deliveries: number;
  configuredPerSecond: number;
  deliveredPerSecond: number;
  /** Most deliveries in any one 1-second window. */
  maxInOneSecond: number;
  drainSeconds: number;
  maxOutboundBacklog: number;
}> {
  const samplers = backlogSamplers(pipeline);
  const first = pipeline.deliveries.length;
  for (let i = 0; i < count; i++) pipeline.send(i);
  const ticker = setInterval(() => progress(pipeline.deliveries.length - first, samplers.outbound.peak), 250);
  try {
    await pipeline.drain(timeoutMs);
  } finally {
    clearInterval(ticker);
  }
  await samplers.inbound.stop();
  const maxOutboundBacklog = await samplers.outbound.stop();
  const times = pipeline.deliveries.slice(first).map((d) => d.at);
  progress(times.length, 0);
  const span = (times.at(-1)! - times[0]!) / 1000;
  // The rate is the least-squares slope of deliveries over time: a limiter with fixed 1-second
  // windows sends in steps, and (n − 1) / span would overstate it on a short run.
  const n = times.length;
  const mean = times.reduce((a, b) => a + b, 0) / n;
  const slope = times.reduce((acc, t, i) => acc + (t - mean) * (i - (n - 1) / 2), 0) / times.reduce((acc, t) => acc + (t - mean) ** 2, 0);
  let maxInOneSecond = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 1000) j++;
    maxInOneSecond = Math.max(maxInOneSecond, i - j + 1);
  }
  return {
    messages: count,
    deliveries: times.length,
    configuredPerSecond: pace.globalPerSecond,
    deliveredPerSecond: Math.round(slope * 1000 * 100) / 100,
    maxInOneSecond,
    drainSeconds: Math.round(span * 10) / 10,
    maxOutboundBacklog,
  };
}
