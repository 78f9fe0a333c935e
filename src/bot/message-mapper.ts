/**
 * wechaty Message → plain DTO. The only place that knows wechaty's message types; no
 * business rule here, only facts of the message.
 */
import { types, type Message } from 'wechaty';
import type { InboundMessageDto, MessageKind } from '../queue/jobs.js';

const kinds: Partial<Record<types.Message, MessageKind>> = {
  [types.Message.Text]: 'text',
  [types.Message.Audio]: 'voice',
  [types.Message.Image]: 'image',
  [types.Message.Video]: 'video',
  [types.Message.Attachment]: 'file',
  [types.Message.Location]: 'location',
};

/** How a media message reads as text: its case description, and what is sent when the file cannot be. */
export const mediaLabels: Record<Exclude<MessageKind, 'text'>, string> = {
  voice: '[语音]',
  image: '[图片]',
  video: '[视频]',
  file: '[文件]',
  location: '[位置]',
  other: '[其他消息]',
};

/** Null for the bot's own messages, which come back as `message` events. */
export async function toInboundDto(message: Message, receivedAt: Date): Promise<InboundMessageDto | null> {
  if (message.self()) return null;
  const talker = message.talker();
  const kind = kinds[message.type()] ?? 'other';
  const base = {
    messageId: message.id,
    talkerId: talker.id,
    talkerName: talker.name() || talker.id,
    roomId: message.room()?.id ?? null,
    kind,
    sentAt: message.date().toISOString(),
    receivedAt: receivedAt.toISOString(),
  };
  if (kind === 'text') return { ...base, text: message.text(), media: null };
  try {
    return { ...base, ...(await describeMedia(message, kind)) };
  } catch (error) {
    // Whatever the puppet cannot describe is still a resident's message: keep it, labelled.
    return { ...base, text: mediaLabels[kind], media: { wechatType: message.type(), unreadable: String(error).slice(0, 200) } };
  }
}

async function describeMedia(
  message: Message,
  kind: Exclude<MessageKind, 'text'>,
): Promise<Pick<InboundMessageDto, 'text' | 'media'>> {
  if (kind === 'location') {
    // From the puppet directly: wechaty 1.20's Message.toLocation() throws (its Location class
    // refuses to be built that way).
    const { name, address, latitude, longitude } = await message.wechaty.puppet.messageLocation(message.id);
    return {
      text: `${mediaLabels.location} ${[name, address].filter(Boolean).join(' ')}`.trim(),
      media: { name, address, latitude, longitude },
    };
  }
  // Stored by reference: the puppet keeps the file; the bot forwards it by message id.
  return { text: mediaLabels[kind], media: { wechatType: message.type(), text: message.text() || null } };
}
