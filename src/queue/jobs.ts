/**
 * Every queue, job name and payload in one place. A job carries ids and the facts of a
 * message, never state that lives in Postgres.
 */
import type { Recipient } from '../db/repositories/outbox.repository.js';

export type MessageKind = 'text' | 'voice' | 'image' | 'video' | 'file' | 'location' | 'other';

/** What a photo, voice or file from a cadre may wait for its case as (a sticker is no answer to anyone). */
export const holdableKinds: readonly MessageKind[] = ['image', 'voice', 'video', 'file', 'location'];

/** A WeChat message as the worker sees it: plain data, no wechaty types. */
export interface InboundMessageDto {
  /** The puppet's message id; the job id and the database's uniqueness come from it. */
  messageId: string;
  talkerId: string;
  talkerName: string;
  roomId: string | null;
  kind: MessageKind;
  /** Text as sent; for media a short description. */
  text: string;
  /** For media: what forwarding needs (file name, location name, address, coordinates). */
  media: Record<string, unknown> | null;
  /** When WeChat says it was sent (ISO 8601). */
  sentAt: string;
  /** When the bot received it (ISO 8601). */
  receivedAt: string;
}

export const queueNames = {
  inbound: 'inbound',
  outbound: 'outbound',
  maintenance: 'maintenance',
} as const;
export type QueueName = (typeof queueNames)[keyof typeof queueNames];

/** Job name → payload, per queue. */
export interface JobPayloads {
  'handle-message': InboundMessageDto;
  /** `recipient` ("r:<residentId>" / "c:<cadreId>") lets the bot pace before it reads the row. */
  'deliver-message': { outboxId: number; recipient: Recipient };
  'relay-outbox': Record<string, never>;
  'sla-sweep': Record<string, never>;
}
export type JobName = keyof JobPayloads;

export const jobQueue: { [N in JobName]: QueueName } = {
  'handle-message': 'inbound',
  'deliver-message': 'outbound',
  'relay-outbox': 'maintenance',
  'sla-sweep': 'maintenance',
};

/** Deterministic job ids: a redelivered message or a re-relayed outbox row is the same job. */
export const jobIds = {
  inbound: (messageId: string) => `in-${safeIdPart(messageId)}`,
  outbound: (outboxId: number, attempts: number) => `out-${outboxId}-${attempts}`,
};

/** BullMQ rejects ":" in custom ids, and a bare integer would clash with its own counters. */
function safeIdPart(value: string): string {
  return value.replace(/[^A-Za-z0-9_.@-]/g, (c) => `_${c.codePointAt(0)!.toString(16)}_`);
}
