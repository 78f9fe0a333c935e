/**
 * The worker role: handles inbound messages, keeps the outbox flowing and sweeps time limits.
 * Any number of these may run against one Redis and Postgres.
 */
import { DelayedError, type JobsOptions, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Database } from '../db/database.js';
import { passes } from '../db/failures.js';
import type { Logger } from '../logger.js';
import type { InboundMessageDto, JobName } from '../queue/jobs.js';
import { enqueueDeliveries, jobOptions, maxRetryDelayMs, startWorker, type Queues } from '../queue/queues.js';
import type { Clock } from './clock.js';
import { releaseDue } from './outbox.js';
import type { IntakeService } from './intake.service.js';
import type { SlaService } from './sla.service.js';
import type { BookingService } from './booking.service.js';
import type { CadreCommandService } from './cadre-commands.service.js';
import type { UnhandledMessages } from './unhandled.service.js';

/**
 * Tries of a message (about 15 s of backoff) after which a failure while Postgres answers — not a
 * lost connection, a deadlock or another that passes (see `passes`) — is taken for a fault of
 * lianxin's own: the message is recorded as it came and handed to the office.
 */
export const triesBeforeHandingOver = 5;

export interface WorkerRoleDeps {
  db: Database;
  queues: Queues;
  intake: IntakeService;
  sla: SlaService;
  bookings: BookingService;
  cadreCommands: CadreCommandService;
  unhandled: UnhandledMessages;
  clock: Clock;
  logger: Logger;
  connection: Redis;
  prefix: string;
  /** Inbound messages handled at once. Default 8. */
  concurrency?: number;
  /** How often undelivered outbox rows are put (back) on the queue. Default 5000. */
  relayEveryMs?: number;
  /** How often time limits are checked. Default 60000. */
  sweepEveryMs?: number;
  /** How often this process makes sure the schedules above exist (a flushed Redis loses them). Default 30000. */
  watchdogEveryMs?: number;
}

export interface WorkerRole {
  /** Puts every undelivered outbox row on the outbound queue (idempotent). */
  relayOutbox(): Promise<number>;
  /** Checks every time limit, booking reminder, lapsed dialog and lapsed held photo now, as the schedule does. */
  sweep(): Promise<void>;
  stop(): Promise<void>;
}

export async function startWorkerRole(deps: WorkerRoleDeps): Promise<WorkerRole> {
  const { db, queues, intake, sla, clock, connection, prefix } = deps;
  const logger = deps.logger.child({ role: 'worker' });

  const relayOutbox = async () => {
    const now = clock();
    // What waited for the end of the quiet hours, or for a cadre who is up now, is pending from then on.
    await releaseDue(db, now);
    const ids = await db.outbox.findUndelivered(now);
    await enqueueDeliveries(queues, ids);
    return ids.length;
  };
  // A message whose job failed for good anyway (the worker killed with it more times in a row
  // than BullMQ allows, which a message that crashes the process does) is recorded as it came and
  // handed to the office, as one failing while Postgres answers is: kept failed, it had no row and
  // no reply. The row's uniqueness makes a second worker doing the same a no-op.
  const recordFailedMessages = async () => {
    for (const job of await queues.inbound.getFailed(0, 99)) {
      logger.error({ job: job.id, err: job.failedReason }, 'message whose job failed for good: recording it as it came, for the office');
      try {
        await enqueueDeliveries(queues, await deps.unhandled.record(job.data as InboundMessageDto));
        await queues.inbound.remove(job.id!);
      } catch (error) {
        // Kept failed: the next relay tries again; one that cannot be recorded holds up no other.
        logger.warn({ job: job.id, err: error }, 'failed message not recorded yet; will retry');
      }
    }
  };
  const sweep = async () => {
    await enqueueDeliveries(queues, await sla.sweep());
    await enqueueDeliveries(queues, await deps.bookings.sweep(db, clock));
    await enqueueDeliveries(queues, await intake.placeUnansweredMatters());
    await enqueueDeliveries(queues, await intake.settleUnansweredNewMatters());
    await enqueueDeliveries(queues, await deps.cadreCommands.media.lapse(db, clock));
  };

  const workers: Worker[] = [
    startWorker(
      'inbound',
      {
        'handle-message': async (job, token) => {
          const deliveries = await intake.handle(job.data).catch(async (error: unknown) => {
            // Postgres away, a deadlock, a serialization failure: retry (50 tries, about eight
            // minutes). Failing otherwise again and again while Postgres answers — or still failing
            // at the last try — is handed over, not retried until the message is lost.
            const tries = job.attemptsMade + 1;
            const last = tries >= (job.opts.attempts ?? 1);
            if (!last && (tries < triesBeforeHandingOver || passes(error))) throw error;
            const away = !(await db.answers());
            // The last try does not fail for good while Postgres is away, however long: it waits
            // for it without counting. Nor at once for a failure that passes (a connection lost as
            // an outage ends, a full disk): a few more waits first. Failed for good, the message
            // would be lost with nothing to tell.
            const waits = job.attemptsStarted - tries;
            if (last && (away || (passes(error) && waits < triesBeforeHandingOver))) {
              logger.warn({ job: job.id, tries, waits, err: error }, 'last try of a message failed while Postgres is away or troubled; waiting for it');
              await job.moveToDelayed(Date.now() + maxRetryDelayMs, token);
              throw new DelayedError();
            }
            if (away) throw error;
            logger.error({ job: job.id, tries, err: error }, 'message not handled after several tries: recording it as it came, for the office');
            return deps.unhandled.record(job.data);
          });
          await enqueueDeliveries(queues, deliveries);
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
          await recordFailedMessages();
        },
        'sla-sweep': sweep,
      },
      { connection, prefix, logger, concurrency: 1 },
    ),
  ];

  // One schedule per queue, whatever the number of workers; upserting is idempotent.
  const schedules: [JobName, number][] = [
    ['relay-outbox', deps.relayEveryMs ?? 5000],
    ['sla-sweep', deps.sweepEveryMs ?? 60_000],
  ];
  const ensureSchedules = () =>
    Promise.all(
      schedules.map(([name, every]) =>
        queues.maintenance.upsertJobScheduler(name, { every }, { name, data: {}, opts: jobOptions[name] as Omit<JobsOptions, 'jobId'> }),
      ),
    );

  // A worker that died between commit and enqueue left rows behind: pick them up now.
  await relayOutbox();
  await recordFailedMessages();
  await ensureSchedules();
  const watchdog = setInterval(() => {
    ensureSchedules().catch((error: unknown) => logger.warn({ err: String(error) }, 'schedules not ensured; will retry'));
  }, deps.watchdogEveryMs ?? 30_000);

  return {
    relayOutbox,
    sweep,
    async stop() {
      clearInterval(watchdog);
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
