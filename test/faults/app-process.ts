/**
 * One lianxin process of a fault run, started by the test as a child: `node --import tsx
 * test/faults/app-process.ts`, settings in LIANXIN_FAULT_APP (JSON, see {@link ProcessSettings}).
 *
 * - roles ['worker'] (or more): a worker process that the test may SIGKILL at any moment.
 * - roles ['bot']: a bot process; the simulated WeChat (wechaty-puppet-mock) lives inside it, as
 *   it lives inside any bot. The test makes residents write by IPC (`{ type: 'say', … }`), and
 *   every message the bot delivers is appended to `receiptsFile` with a synchronous write, so
 *   what a resident's phone received survives a SIGKILL of this process.
 *
 * Tells the parent `{ type: 'starting' }` when lianxin's own start begins (code loaded) and
 * `{ type: 'ready' }` once started; stops cleanly on SIGTERM.
 */
import { appendFileSync } from 'node:fs';
import { pino } from 'pino';
import 'reflect-metadata';
import { createApp, type Role } from '../../src/app.js';
import type { PaceOptions } from '../../src/bot/sender.js';
import { createWorld } from '../bench/world.js';

export interface ProcessSettings {
  roles: Role[];
  configDir: string;
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  /** The run's data folder: a bot's intake journal survives its restart there. */
  dataDir: string;
  /** Business time = real time + this (all processes of a run share it). */
  clockOffsetMs: number;
  logFile: string;
  workerConcurrency?: number;
  pace?: PaceOptions;
  schedules?: { relayEveryMs?: number; sweepEveryMs?: number; watchdogEveryMs?: number };
  /** Bot: where deliveries are appended (JSON lines `{ to, text }`). */
  receiptsFile?: string;
  /** Bot: residents and cadres to create as mock contacts. */
  contacts?: { wechatId: string; name: string }[];
  /** Bot: the delivery whose text contains this never completes (the send hangs), to be killed mid-send. */
  hangOnSendContaining?: string;
}

export type ParentMessage =
  | { type: 'say'; from: string; text: string; messageId: string }
  | { type: 'stop' };

export type ChildMessage = { type: 'starting' } | { type: 'ready'; pid: number } | { type: 'hung'; text: string };

async function main(): Promise<void> {
  const settings = JSON.parse(process.env.LIANXIN_FAULT_APP ?? '') as ProcessSettings;
  const logger = pino({ level: 'warn', base: { pid: process.pid } }, pino.destination({ dest: settings.logFile, sync: true, append: true }));
  const send = (message: ChildMessage) => process.send?.(message);

  const isBot = settings.roles.includes('bot');
  const world = isBot ? createWorld({ messageIdPrefix: `p${process.pid}-` }) : undefined;
  if (world) {
    world.addContacts(settings.contacts ?? []);
    world.onDelivery((delivery) => {
      appendFileSync(settings.receiptsFile!, `${JSON.stringify({ to: delivery.to, text: delivery.text, pid: process.pid })}\n`);
    });
    if (settings.hangOnSendContaining) {
      const needle = settings.hangOnSendContaining;
      const original = world.puppet.messageSendText.bind(world.puppet);
      world.puppet.messageSendText = async (to: string, text: string) => {
        if (text.includes(needle)) {
          send({ type: 'hung', text });
          return new Promise<void>(() => {});
        }
        return original(to, text);
      };
    }
  }

  const app = createApp({
    configDir: settings.configDir,
    databaseUrl: settings.databaseUrl,
    redisUrl: settings.redisUrl,
    queuePrefix: settings.queuePrefix,
    dataDir: settings.dataDir,
    roles: settings.roles,
    clock: () => new Date(Date.now() + settings.clockOffsetMs),
    logger,
    ...(world ? { puppet: world.puppet } : {}),
    ...(settings.workerConcurrency ? { workerConcurrency: settings.workerConcurrency } : {}),
    ...(settings.pace ? { pace: settings.pace } : {}),
    ...(settings.schedules ? { schedules: settings.schedules } : {}),
  });

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stop') stop();
    else if (message.type === 'say' && world && !stopping) world.say(message.from, message.text, { messageId: message.messageId });
  });
  process.on('disconnect', stop);

  send({ type: 'starting' });
  await app.start();
  world?.login();
  send({ type: 'ready', pid: process.pid });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
