/**
 * The worker role: handles inbound messages and keeps the outbox flowing. Any number of
 * these may run against one Redis and Postgres.
 */
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import { enqueueDeliveries, startWorker, type Queues } from '../queue/queues.js';
import type { Clock } from './clock.js';
import type { IntakeService } from './intake.service.js';

export interface WorkerRoleDeps {
  db: Database;
  queues: Queues;
  intake: IntakeService;
  clock: Clock;
  logger: Logger;
  connection: Redis;
  prefix: string;
  /** Inbound messages handled at once. Default 8. */
  concurrency?: number;
  /** How often undelivered outbox rows are put (back) on the queue. Default 5000. */
  relayEveryMs?: number;
}

export interface WorkerRole {
  /** Puts every undelivered outbox row on the outbound queue (idempotent). */
  relayOutbox(): Promise<number>;
  stop(): Promise<void>;
}

export async function startWorkerRole(deps: WorkerRoleDeps): Promise<WorkerRole> {
  const { db, queues, intake, clock, connection, prefix } = deps;
  const logger = deps.logger.child({ role: 'worker' });

  const relayOutbox = async () => {
    const ids = await db.outbox.findUndelivered(clock());
    await enqueueDeliveries(queues, ids);
    return ids.length;
  };

  const workers: Worker[] = [
    startWorker(
      'inbound',
      {
        'handle-message': async (job) => {
          const outboxIds = await intake.handle(job.data);
          await enqueueDeliveries(queues, outboxIds);
        },
      },
      { connection, prefix, logger, concurrency: deps.concurrency ?? 8 },
    ),
    startWorker(
      'maintenance',
      {
        'relay-outbox': async () => {
          const count = await relayOutbox();
          if (count > 0) logger.debug({ count }, 'outbox rows relayed');
        },
      },
      { connection, prefix, logger, concurrency: 1 },
    ),
  ];

  // A worker that died between commit and enqueue left rows behind: pick them up now, then
  // on a schedule (the scheduler is one per queue, whatever the number of workers).
  await relayOutbox();
  await queues.maintenance.upsertJobScheduler(
    'relay-outbox',
    { every: deps.relayEveryMs ?? 5000 },
    { name: 'relay-outbox', data: {}, opts: { removeOnComplete: true, removeOnFail: { count: 100 } } },
  );

  return {
    relayOutbox,
    async stop() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
