/**
 * WeChat quote replies (引用): a long press on a message, 引用, and a few words about it. The puppet
 * gives one as text — the quoted message in 「」 after its sender's name, a dashed line, then what
 * was written (wechaty-puppet-wechat4u's refermsg parser; padlocal writes the same):
 *
 *   「东山镇连心：【新案件 #1003】东山村 · 农业站 …」
 *   - - - - - - - - - - - - - - -
 *   收到
 */
import { parseCadreCommand, type CadreCommand } from './commands.js';

const quoteReply = /^「[^：:\n]*[：:]([\s\S]*)」\n-(?: -){3,}\n([\s\S]*)$/;

export interface QuoteReply {
  /** The quoted message's text (a photo's is "图片"). */
  quoted: string;
  /** What the person wrote. */
  reply: string;
}

/** The quoted message and the words written about it; null for a message that quotes nothing. */
export function splitQuote(text: string): QuoteReply | null {
  const match = quoteReply.exec(text.replace(/\r\n?/g, '\n'));
  return match ? { quoted: match[1]!, reply: match[2]! } : null;
}

/** What was written, without the message it quotes. */
export function withoutQuote(text: string): string {
  return splitQuote(text)?.reply ?? text;
}

/** The case a quoted message of lianxin is about: its one "#N"; null for none or several (a 任务 list). */
export function quotedCaseNumber(quoted: string): number | null {
  const numbers = new Set([...quoted.matchAll(/[#＃]([0-9]{1,9})(?![0-9])/g)].map((m) => Number(m[1])));
  return numbers.size === 1 ? [...numbers][0]! : null;
}

/**
 * A cadre's command quoting a message about case `caseNumber`, the number left out as the quote
 * says it: "接单" → 接单 N, "办结 已修好" → 办结 N 已修好, "同意延期" → 同意延期 N. A number written
 * out wins; null when the words are no command.
 */
export function commandOnQuotedCase(reply: string, caseNumber: number): CadreCommand | null {
  const command = parseCadreCommand(reply);
  if (!command) return null;
  switch (command.kind) {
    case 'accept-waiting':
      return { kind: 'accept', caseNumber };
    case 'decide-waiting-extension':
      return command.approve
        ? { kind: 'approve-extension', caseNumber, note: command.text }
        : { kind: 'reject-extension', caseNumber, reason: command.text };
    case 'malformed': {
      const rest = reply.trim().slice(command.verb.length).replace(/^[\s\u3000:：,，、]+/, '');
      // Digits right after the verb: a number meant, and written wrongly — except 延期's days.
      if (command.verb !== '延期' && /^[#＃0-9０-９]/.test(rest)) return command;
      const numbered = parseCadreCommand(`${command.verb} ${caseNumber} ${rest}`);
      return numbered && 'caseNumber' in numbered ? numbered : command;
    }
    default:
      return command;
  }
}
