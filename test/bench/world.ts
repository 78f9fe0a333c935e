/**
 * The WeChat side of a benchmark or fault run: wechaty-puppet-mock with the bot's account
 * logged in, residents and cadres as mock contacts with ids we choose, and one listener on the
 * bot's own contact that sees every message the bot sends (so 10 000 residents cost no
 * per-contact listener).
 */
import { performance } from 'node:perf_hooks';
import { types } from 'wechaty';
import { PuppetMock, mock } from 'wechaty-puppet-mock';

type MessagePayload = Parameters<mock.Mocker['MessageMock']['create']>[0];

/** One message the bot delivered, as the recipient's phone saw it. */
export interface Delivery {
  /** The puppet's id of the delivered message. */
  id: string;
  /** WeChat id of the recipient. */
  to: string;
  /** Text, or "[file] name" for a file. */
  text: string;
  /** performance.now() when it arrived. */
  at: number;
}

export interface World {
  readonly mocker: mock.Mocker;
  readonly puppet: PuppetMock;
  readonly botUser: mock.ContactMock;
  /** Logs the bot's account in; call after the app (bot role) has started. */
  login(): void;
  /** Creates mock contacts (once per id). */
  addContacts(contacts: readonly { wechatId: string; name: string }[]): void;
  /**
   * `from` writes `text` to the bot. `messageId` defaults to a fresh one; a message id this
   * world has already seen is delivered again (as WeChat sometimes does). Returns the id.
   */
  say(from: string, text: string, options?: { messageId?: string; at?: Date }): string;
  /** The message with this id, delivered to the bot again. */
  redeliver(messageId: string): void;
  /** Called for every message the bot sends, in the order they arrive. */
  onDelivery(listener: (delivery: Delivery) => void): void;
}

let sequence = 0;

export function createWorld(options: { botName?: string; messageIdPrefix?: string } = {}): World {
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const botUser = mocker.createContact({ id: 'wxid_bench_bot', name: options.botName ?? '连心服务号' });
  const listeners: ((delivery: Delivery) => void)[] = [];
  const prefix = options.messageIdPrefix ?? `m${process.pid}-${Date.now().toString(36)}-`;

  // ContactMock is an EventEmitter; its typings lean on a package that is not installed.
  (botUser as unknown as NodeJS.EventEmitter).on('message', (message: mock.MessageMock) => {
    const payload = message.payload as { talkerId: string; listenerId?: string; text?: string };
    if (payload.talkerId !== botUser.id || !payload.listenerId) return;
    const text = payload.text ?? `[file] ${mocker.cacheFileBoxPayload.get(message.id)?.name ?? ''}`;
    const delivery = { id: message.id, to: payload.listenerId, text, at: performance.now() };
    for (const listener of listeners) listener(delivery);
  });

  const MessageMock = mocker.MessageMock as unknown as { pool: Map<string, unknown>; create(payload: MessagePayload): mock.MessageMock };

  return {
    mocker,
    puppet,
    botUser,
    login: () => mocker.login(botUser),
    addContacts(contacts) {
      for (const c of contacts) {
        if (c.wechatId.includes('@')) throw new Error(`mock contact id "${c.wechatId}" must not contain "@"`);
        if (!mocker.cacheContactPayload.has(c.wechatId)) mocker.createContact({ id: c.wechatId, name: c.name });
      }
    },
    say(from, text, { messageId, at } = {}) {
      const id = messageId ?? `${prefix}${(sequence += 1)}`;
      if (!MessageMock.pool.has(id)) {
        MessageMock.create({
          id,
          talkerId: from,
          listenerId: botUser.id,
          timestamp: (at ?? new Date()).getTime(),
          type: types.Message.Text,
          text,
        } as MessagePayload);
      }
      puppet.emit('message', { messageId: id });
      return id;
    },
    redeliver(messageId) {
      puppet.emit('message', { messageId });
    },
    onDelivery(listener) {
      listeners.push(listener);
    },
  };
}
