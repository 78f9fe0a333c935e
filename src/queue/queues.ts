/**
 * BullMQ wiring: the queues of one township (isolated by prefix), job options per job name,
 * and a worker bootstrap that refuses a queue whose jobs lack a handler.
 */
import { Queue, Worker, type BackoffStrategy, type ConnectionOptions, type Job, type JobsOptions, type WorkerOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { Delivery } from '../db/repositories/outbox.repository.js';
import type { Logger } from '../logger.js';
import { jobIds, jobQueue, queueNames, type JobName, type JobPayloads, type QueueName } from './jobs.js';

/** Longest wait between two tries: after an outage, work resumes within this. */
export const maxRetryDelayMs = 10_000;

/** Doubling delays from the job's `backoff.delay`, capped (BullMQ's exponential has no cap). */
const cappedBackoff: BackoffStrategy = (attemptsMade, _type, _error, job) => {
  const first = (job?.opts.backoff as { delay?: number } | undefined)?.delay ?? 1000;
  return Math.min(first * 2 ** Math.max(0, attemptsMade - 1), maxRetryDelayMs);
};

/** Retries with backoff per job type; completed jobs are kept an hour so a redelivery within it is a no-op. */
export const jobOptions: { [N in JobName]: JobsOptions } = {
  'handle-message': {
    // With delays capped at 10 s: about eight minutes of trouble before the last try, which, while
    // Postgres is away, waits for it instead (src/services/worker.ts); a message's row is written
    // only when its transaction commits.
    attempts: 50,
    backoff: { type: 'capped', delay: 1000 },
    removeOnComplete: { age: 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  'deliver-message': {
    attempts: 6,
    backoff: { type: 'capped', delay: 2000 },
    removeOnComplete: { age: 3600, count: 10_000 },
    // Gone once failed for good: a row still pending then (Postgres away for longer than the six
    // tries, about 35 s) is queued again by the relay under the same job id, which a kept failed
    // job would make a no-op for good — the row never sent, and every later message to its
    // recipient waiting behind it. What went wrong stays in the log and the row's `last_error`.
    removeOnFail: true,
  },
  'relay-outbox': { removeOnComplete: true, removeOnFail: { count: 100 } },
  'sla-sweep': { removeOnComplete: true, removeOnFail: { count: 100 } },
};

/** A Redis client as BullMQ workers need it. The caller closes it. */
export function createRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, connectionName: 'lianxin' });
}

export type Queues = { [Q in QueueName]: Queue };

export function createQueues(connection: Redis, prefix: string, logger: Logger): Queues {
  const make = (name: QueueName) => {
    const queue = new Queue(name, { connection, prefix });
    // Redis going away is operational: log it (ioredis reconnects on its own).
    queue.on('error', (error) => logger.warn({ queue: name, err: error.message }, 'queue connection error'));
    return queue;
  };
  return { inbound: make('inbound'), outbound: make('outbound'), maintenance: make('maintenance') };
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}

/** Puts outbox rows on the outbound queue; the job id makes a second add of a row a no-op. */
export async function enqueueDeliveries(queues: Queues, deliveries: readonly Delivery[]): Promise<void> {
  if (deliveries.length === 0) return;
  await queues.outbound.addBulk(
    deliveries.map(({ id, attempts, recipient }) => ({
      name: 'deliver-message',
      data: { outboxId: id, recipient },
      opts: { ...jobOptions['deliver-message'], jobId: jobIds.outbound(id, attempts) },
    })),
  );
}

export type Handlers<Q extends QueueName> = {
  [N in JobName as (typeof jobQueue)[N] extends Q ? N : never]: (job: Job<JobPayloads[N], void, N>, token?: string) => Promise<void>;
};

/**
 * Starts a worker for one queue. Every job name of the queue must have exactly one handler
 * (the type says so; the check below catches a handler map built at run time).
 */
export function startWorker<Q extends QueueName>(
  queue: Q,
  handlers: Handlers<Q>,
  options: { connection: ConnectionOptions | Redis; prefix: string; logger: Logger } & Partial<WorkerOptions>,
): Worker {
  const expected = (Object.keys(jobQueue) as JobName[]).filter((n) => jobQueue[n] === queue).sort();
  const given = Object.keys(handlers).sort();
  if (expected.join() !== given.join()) {
    throw new Error(`Queue "${queue}" needs handlers for [${expected.join(', ')}], got [${given.join(', ')}]`);
  }
  const { logger, ...workerOptions } = options;
  const table = handlers as unknown as Record<string, (job: Job, token?: string) => Promise<void>>;
  const worker = new Worker(
    queue,
    async (job: Job, token?: string) => {
      const handler = table[job.name];
      if (!handler) throw new Error(`No handler for job "${job.name}" on queue "${queue}"`);
      await handler(job, token);
    },
    // A job caught by a few worker crashes in a row is still retried, not failed for good.
    { autorun: true, maxStalledCount: 5, settings: { backoffStrategy: cappedBackoff }, ...workerOptions },
  );
  worker.on('failed', (job, error) => {
    const final = job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1);
    const fields = { queue, job: job?.id, attempt: job?.attemptsMade, err: error };
    if (final) logger.error(fields, 'job failed for good: its work is not done');
    else logger.warn(fields, 'job failed; will retry');
  });
  worker.on('error', (error) => logger.warn({ queue, err: error.message }, 'worker connection error'));
  return worker;
}

export { queueNames };

/**
 * Deletes every Redis key of one queue prefix: the demo and the tests clean up after
 * themselves with it. Never pointed at a township's own prefix in production.
 */
export async function removeQueueKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
