/**
 * A small simulated WeChat for demos and rehearsals: wechaty-puppet-mock with a logged-in bot
 * account and people who write to it and keep what it sends them. Nothing here is used by
 * the real bot; it only stands in for WeChat.
 */
import { randomUUID } from 'node:crypto';
import { types } from 'wechaty';
import { FileBox } from 'file-box';
import { PuppetMock, mock } from 'wechaty-puppet-mock';

type MessagePayload = Parameters<mock.Mocker['MessageMock']['create']>[0];

/** One WeChat user on the other side of the bot. */
export interface MockPerson {
  readonly id: string;
  readonly name: string;
  readonly contact: mock.ContactMock;
  /** Everything the bot has sent this person, oldest first (files as "[文件] name"). */
  readonly received: string[];
  /** Sends a text to the bot, stamped `at` (default now); returns the puppet message id. */
  say(text: string, at?: Date): string;
  /** Sends a file (a photo: `.jpg`; a voice message: `.silk`) to the bot; returns the puppet message id. */
  sendFile(name: string, at?: Date): string;
  /** WeChat delivers the message with this id to the bot again. */
  redeliver(messageId: string): void;
  /** Resolves with everything received once there are at least `count` messages. */
  waitForMessages(count: number, timeoutMs?: number): Promise<string[]>;
}

export interface MockWorld {
  readonly mocker: mock.Mocker;
  readonly puppet: PuppetMock;
  /** The bot's own account (logged in by `login()`). */
  readonly botUser: mock.ContactMock;
  /** Logs the bot account in; call after the wechaty bot has started. */
  login(): void;
  /** A new person; `id` must not contain "@" (the mock takes such ids for rooms). */
  person(name: string, id?: string): MockPerson;
}

export function createMockWorld(options: {
  botName: string;
  /** Called for every message the bot delivers to a person, in arrival order. */
  onDelivered?: (to: MockPerson, text: string) => void;
}): MockWorld {
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const botUser = mocker.createContact({ name: options.botName });

  const person = (name: string, id?: string): MockPerson => {
    if (id?.includes('@')) throw new Error(`mock contact id "${id}" must not contain "@"`);
    const contact: mock.ContactMock = mocker.createContact({ name, ...(id ? { id } : {}) });
    const received: string[] = [];
    const waiters = new Set<() => void>();

    /** As ContactMock.say().to() does, but with the sender's own timestamp. */
    const send = (fields: Partial<MessagePayload>, at: Date) => {
      const payload = { id: randomUUID(), talkerId: contact.id, listenerId: botUser.id, timestamp: at.getTime(), ...fields } as MessagePayload;
      const message = mocker.MessageMock.create(payload);
      puppet.emit('message', { messageId: message.id });
      return message.id;
    };

    const p: MockPerson = {
      id: contact.id,
      name,
      contact,
      received,
      say: (text, at = new Date()) => send({ type: types.Message.Text, text }, at),
      sendFile(fileName, at = new Date()) {
        const id = randomUUID();
        mocker.cacheFileBoxPayload.set(id, FileBox.fromBase64(Buffer.from(fileName).toString('base64'), fileName).toJSON());
        const type = /\.(jpe?g|png)$/i.test(fileName) ? types.Message.Image : /\.(silk|amr|mp3)$/i.test(fileName) ? types.Message.Audio : types.Message.Attachment;
        const payload = { id, talkerId: contact.id, listenerId: botUser.id, timestamp: at.getTime(), type } as MessagePayload;
        mocker.MessageMock.create(payload);
        puppet.emit('message', { messageId: id });
        return id;
      },
      redeliver(messageId) {
        puppet.emit('message', { messageId });
      },
      waitForMessages(count, timeoutMs = 10_000) {
        return new Promise((resolve, reject) => {
          const check = () => {
            if (received.length < count) return;
            waiters.delete(check);
            clearTimeout(timer);
            resolve([...received]);
          };
          const timer = setTimeout(() => {
            waiters.delete(check);
            reject(new Error(`${name} got ${received.length} of ${count} messages: ${JSON.stringify(received)}`));
          }, timeoutMs);
          waiters.add(check);
          check();
        });
      },
    };

    // ContactMock is an EventEmitter; its typings lean on a typed-emitter version not installed.
    (contact as unknown as NodeJS.EventEmitter).on('message', (message: mock.MessageMock) => {
      if (message.talker().id !== botUser.id) return;
      const text = message.text() ?? `[文件] ${mocker.cacheFileBoxPayload.get(message.id)?.name ?? ''}`;
      received.push(text);
      options.onDelivered?.(p, text);
      for (const wake of waiters) wake();
    });
    return p;
  };

  return {
    mocker,
    puppet,
    botUser,
    login: () => mocker.login(botUser),
    person,
  };
}
