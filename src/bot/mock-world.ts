/**
 * A small simulated WeChat for demos and rehearsals: wechaty-puppet-mock with a logged-in bot
 * account and people who write to it and keep what it sends them. Nothing here is used by
 * the real bot; it only stands in for WeChat.
 */
import { randomUUID } from 'node:crypto';
import { types } from 'wechaty';
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
  /** WeChat delivers the message with this id to the bot again. */
  redeliver(messageId: string): void;
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

    const p: MockPerson = {
      id: contact.id,
      name,
      contact,
      received,
      say(text, at = new Date()) {
        // As ContactMock.say().to() does, but with the sender's own timestamp.
        const payload = {
          id: randomUUID(),
          talkerId: contact.id,
          listenerId: botUser.id,
          timestamp: at.getTime(),
          type: types.Message.Text,
          text,
        } as MessagePayload;
        const message = mocker.MessageMock.create(payload);
        puppet.emit('message', { messageId: message.id });
        return message.id;
      },
      redeliver(messageId) {
        puppet.emit('message', { messageId });
      },
    };

    // ContactMock is an EventEmitter; its typings lean on a typed-emitter version not installed.
    (contact as unknown as NodeJS.EventEmitter).on('message', (message: mock.MessageMock) => {
      if (message.talker().id !== botUser.id) return;
      const text = message.text() ?? `[文件] ${mocker.cacheFileBoxPayload.get(message.id)?.name ?? ''}`;
      received.push(text);
      options.onDelivered?.(p, text);
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
