/**
 * The WeChat side alone, beside the pipeline: wechaty-puppet-mock carries each resident's message
 * into a wechaty bot, which at once sends the two messages a case makes (the acknowledgement, the
 * cadre's notification) — no queue, no database. What the simulation costs of a case, so that the
 * pipeline's own cost can be read off the difference.
 */
import { setImmediate as tick } from 'node:timers/promises';
import { WechatyBuilder } from 'wechaty';
import { toInboundDto } from '../../src/bot/message-mapper.js';
import { now } from './metrics.js';
import { createWorld } from './world.js';

export interface WechatAloneReport {
  cases: number;
  casesPerSecond: number;
}

export async function runWechatAlone(options: {
  residents: readonly { wechatId: string; name: string }[];
  cadre: { wechatId: string; name: string };
  cases: number;
}): Promise<WechatAloneReport> {
  const world = createWorld({ messageIdPrefix: 'alone-' });
  world.addContacts([...options.residents, options.cadre]);
  const wechaty = WechatyBuilder.build({ puppet: world.puppet });
  let deliveries = 0;
  let done: (() => void) | undefined;
  world.onDelivery(() => {
    deliveries += 1;
    if (deliveries === 2 * options.cases) done?.();
  });
  wechaty.on('message', async (message) => {
    const dto = await toInboundDto(message, new Date());
    if (!dto) return;
    await wechaty.puppet.messageSendText(dto.talkerId, `已受理，编号 #${dto.messageId}。我们已转给农技站贺建军，一般 2 小时内联系您。`);
    await wechaty.puppet.messageSendText(options.cadre.wechatId, `【新案件 #${dto.messageId}】东台村 ${dto.talkerName}：${dto.text}`);
  });
  await wechaty.start();
  world.login();
  try {
    const finished = new Promise<void>((resolve) => (done = resolve));
    const start = now();
    for (let i = 0; i < options.cases; i++) {
      const resident = options.residents[i % options.residents.length]!;
      world.say(resident.wechatId, `新问题 稻瘟病的事想请你们看一下（序号 a${i}）`);
      if (i % 100 === 99) await tick();
    }
    await finished;
    const seconds = (now() - start) / 1000;
    return { cases: options.cases, casesPerSecond: Math.round(options.cases / seconds) };
  } finally {
    await wechaty.stop();
  }
}
