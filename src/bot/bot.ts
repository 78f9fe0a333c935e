/**
 * The wechaty edge: one bot per WeChat account. Inbound messages become DTOs on the inbound
 * queue; the outbound queue is sent by `sender.ts`. Every event handler catches: a throw
 * out of a wechaty event would take the process down.
 */
import type { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import qrcodeTerminal from 'qrcode-terminal';
import { log as wechatyLog, ScanStatus, types, WechatyBuilder, type Wechaty } from 'wechaty';
import type { WechatyOptions } from 'wechaty';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../services/clock.js';
import { IntakeClient, type IntakeClientOptions } from './intake-client.js';
import { RepeatCounter } from './repeat-counter.js';
import { toInboundDto } from './message-mapper.js';
import { startSender, type PaceOptions } from './sender.js';

export interface BotDeps {
  wechatyOptions: WechatyOptions;
  inboundQueue: Queue;
  db: Database;
  clock: Clock;
  logger: Logger;
  connection: Redis;
  prefix: string;
  pace: PaceOptions;
  intake?: IntakeClientOptions;
  /** Where sends whose record failed are written down for the next bot (see UnrecordedSends). */
  unrecordedSendsPath?: string;
  /** Where the login QR code is drawn. Default: stdout. */
  printQr?: (text: string) => void;
}

export interface Bot {
  wechaty: Wechaty;
  intake: IntakeClient;
  stop(): Promise<void>;
}

/** brolog's level titles, as pino levels. */
const wechatyLevels: Record<string, 'error' | 'warn' | 'info' | 'debug' | 'trace'> = { ERR: 'error', WARN: 'warn', INFO: 'info', VERB: 'debug', SILL: 'trace' };

export async function startBot(deps: BotDeps): Promise<Bot> {
  const { logger } = deps;
  const log = logger.child({ role: 'bot' });
  // wechaty and its puppet log through brolog, straight to the console: through this logger
  // instead, their lines are JSON on stderr like the others, phone and ID numbers masked.
  const wechatyLines = logger.child({ component: 'wechaty' });
  // pino has the time and the level: brolog's "15:18:26 WARN " goes.
  wechatyLog.timestamp(false);
  wechatyLog.enableLogging((level, text) => wechatyLines[wechatyLevels[level] ?? 'info']((text ?? '').slice(level.length + 1)));
  const wechaty = WechatyBuilder.build(deps.wechatyOptions);
  const intake = new IntakeClient(deps.inboundQueue, log, { recorded: (ids) => deps.db.inbound.recordedAmong(ids), ...deps.intake });
  const printQr = deps.printQr ?? ((text: string) => process.stdout.write(text));

  /** Runs an event handler so that nothing it throws escapes into wechaty. */
  const guarded =
    <A extends unknown[]>(event: string, handler: (...args: A) => unknown) =>
    (...args: A): void => {
      Promise.resolve()
        .then(() => handler(...args))
        .catch((error: unknown) => log.error({ err: error, event }, 'bot event handler failed'));
    };

  wechaty.on(
    'scan',
    guarded('scan', (qrcode: string, status: ScanStatus) => {
      if (status !== ScanStatus.Waiting && status !== ScanStatus.Timeout) return;
      // The link too: where stdout is a log file (a service), any QR tool draws it from the link.
      log.info({ status: ScanStatus[status], qrcode }, 'scan the QR code with the township WeChat account');
      qrcodeTerminal.generate(qrcode, { small: true }, (art) => printQr(`${art}\n`));
    }),
  );
  wechaty.on('login', guarded('login', (user) => log.info({ user: user.id }, 'logged in')));
  wechaty.on('logout', guarded('logout', (user) => log.info({ user: user.id }, 'logged out')));
  // A puppet that cannot reach WeChat retries at once and fails the same way, thousands of times
  // a minute: the first is logged in full, repeats as a count once a minute.
  const errors = new RepeatCounter(60_000);
  wechaty.on(
    'error',
    guarded('error', (error) => {
      const text = String((error as Error | undefined)?.message ?? error);
      const verdict = errors.seen(text);
      if (verdict.log === 'full') log.error({ err: error, ...(verdict.earlier ? { repeatedBefore: verdict.earlier } : {}) }, 'wechaty error');
      else if (verdict.log === 'count') log.error({ message: text, times: verdict.repeats }, 'wechaty error repeated');
    }),
  );
  // The township's account is a personal one: residents and cadres add it as a friend first.
  wechaty.on(
    'friendship',
    guarded('friendship', async (friendship) => {
      if (friendship.type() !== types.Friendship.Receive) return;
      await friendship.accept();
      log.info({ contact: friendship.contact().id }, 'friend request accepted');
    }),
  );
  wechaty.on(
    'message',
    guarded('message', async (message) => {
      const dto = await toInboundDto(message, deps.clock());
      if (dto) await intake.enqueue(dto);
    }),
  );

  await wechaty.start();
  const sender: Worker = await startSender({ ...deps, wechaty, logger: log });

  return {
    wechaty,
    intake,
    async stop() {
      await sender.close();
      await intake.stop();
      await wechaty.stop();
    },
  };
}
