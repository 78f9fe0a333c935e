/**
 * What cadres read beyond replies.ts (which is big enough): the lines to send when shorthand leaves
 * the command unclear (结单: 接单 or 办结?), what a resident did not hear, answers to a 督办, and
 * what a new holder is told of a case given to him.
 */
import { caseChoices, excerpt } from './replies.js';

type Choice = { number: number; resident: string; text: string };

export const cadreReplies = {
  /**
   * 结单 for one case: still waiting, it may be 接单 (pinyin jiedan) or 办结 — both lines; accepted,
   * only 办结 is left to mean. `text`: his words after it, put where the lines take words.
   */
  closeOrAccept: (p: { kase: Choice; waiting: boolean; text: string }) => {
    const { number } = p.kase;
    const resolve = `办结 ${number} ${p.text || '办理说明'}`;
    return p.waiting
      ? `“结单”是要接单还是办结？#${number}（${p.kase.resident}）还没有接单。\n接单请发：接单 ${number}${p.text ? ` ${p.text}` : ''}\n已经办好了请发：${resolve}`
      : `要办结 #${number}（${p.kase.resident}）请发：\n${resolve}`;
  },
  /** 结单 without a number and several cases it may be about. */
  closeOrAcceptWhich: (p: { cases: readonly Choice[] }) =>
    `“结单”是哪一件，要接单还是办结？\n${caseChoices(p.cases)}\n` +
    `接单请发：接单 ${p.cases[0]!.number}\n办结请发：办结 ${p.cases[0]!.number} 办理说明`,
  /**
   * After a 办结 with no note of a case whose resident nobody wrote to: all she read is 已办结. A
   * note sent now still reaches her (see `办结 N 说明` after `办结 N`).
   */
  resolvedWithoutWords: (p: { number: number; resident: string }) =>
    `\n${p.resident}之前没有收到过回复，这次只看到“已办结”。补一句怎么办的，请发：办结 ${p.number} 办理说明`,
  /** To whoever urged (督办) a case: the holder's answer, written quoting the 【督办】. */
  urgeAnswered: (p: { number: number; holder: string; text: string }) => `【#${p.number} 督办回复】${p.holder}：${p.text}`,
  /** The holder's confirmation: it went to whoever urged, not to the resident. */
  urgeAnswerSent: (p: { number: number; to: string; text: string }) =>
    `已转告${p.to}。要转告群众请发：回复 ${p.number} ${excerpt(p.text, 30)}`,
  /**
   * To the new holder of a case given on: the last thing its resident was told, and by whom, so he
   * knows what she waits for (the follow-ups she wrote come after it).
   */
  lastToldResident: (p: { number: number; by: string; at: string; what: string }) => `【#${p.number} 此前回复群众】${p.by}（${p.at}）：${p.what}`,
};
