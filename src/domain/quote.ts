/**
 * A cadre's quote reply (引用, see `splitQuote`) to lianxin's message about a case is about that
 * case: "收到" quoting 【新案件 #1003】 needs no number.
 */
import { extensionDecision, parseCadreCommand, startsWithCaseNumber, type CadreCommand } from './commands.js';

/** The case a quoted message of lianxin is about: its one "#N"; null for none or several (a 任务 list). */
export function quotedCaseNumber(quoted: string): number | null {
  const numbers = new Set([...quoted.matchAll(/[#＃]([0-9]{1,9})(?![0-9])/g)].map((m) => Number(m[1])));
  return numbers.size === 1 ? [...numbers][0]! : null;
}

/** Where lianxin's notices to a cadre name one booking: 【新预约 101】, 【预约提醒】…（预约号 101）, 【预约变动】101, 【预约 101】群众在等. */
const bookingNamed = /【新预约 ([0-9]{1,9})】|（预约号 ([0-9]{1,9})）|^【预约(?:变动|取消)】([0-9]{1,9})|^【预约 ([0-9]{1,9})】/g;

/** The booking a quoted message of lianxin is about; null for none or several (a day's list). */
export function quotedBookingNumber(quoted: string): number | null {
  const numbers = new Set([...quoted.matchAll(bookingNamed)].map((m) => Number(m[1] ?? m[2] ?? m[3] ?? m[4])));
  return numbers.size === 1 ? [...numbers][0]! : null;
}

/** A cadre's words to a resident about her visit as she reads them: 【农技站 贺建军】…（您预约的…，预约号 101）. */
const visitWords = /^【[^【】\s]+ ([^【】\s]+)】[\s\S]*（您预约的[^（）]*预约号 ([0-9]{1,9})）$/;

/** Whose words about which visit a resident quotes (see `visitWords`); null for any other quote. */
export function quotedVisitWords(quoted: string): { cadre: string; bookingNumber: number } | null {
  const match = visitWords.exec(quoted.trim());
  return match ? { cadre: match[1]!, bookingNumber: Number(match[2]) } : null;
}

/**
 * A cadre's words quoting a notice about booking `bookingNumber`, the number left out: "完成",
 * "已完成 指导了施肥", "没来", "改约 下雨"; a command written out in full as it is.
 */
export function commandOnQuotedBooking(reply: string, bookingNumber: number): CadreCommand | null {
  const written = parseCadreCommand(reply);
  if (written && written.kind !== 'malformed') return written;
  const numbered = parseCadreCommand(`${bookingNumber} ${reply.trim()}`);
  return numbered && 'bookingNumber' in numbered ? numbered : written;
}

/** "这个谁在办", "在谁手上", "派给谁了？": asked of a case, who holds it. */
const whoHolds = /^(?:这个|这件|这事)?(?:是|现在|目前)?(?:谁在办|谁负责|谁在管|在谁(?:手上|手里|那里?|那儿)|(?:派|交|转)给谁了?)[吗呢啊]?[?？]?$/;

/**
 * A cadre's command quoting a message about case `caseNumber`, the number left out as the quote
 * says it: "接单" → 接单 N, "办结 已修好" → 办结 N 已修好, "同意延期" → 同意延期 N. A number written
 * out after a verb wins; null when the words are no command — a number alone among them, or asked
 * after ("300怎么样" quoting "打一次药多少钱"), unless it is the quoted case's own ("302" quoting a
 * resident's "门牌号多少" answers the resident).
 */
export function commandOnQuotedCase(reply: string, caseNumber: number): CadreCommand | null {
  // "这个谁在办": who holds the case quoted — no words for its resident.
  if (whoHolds.test(reply.trim())) return { kind: 'case-status', caseNumber };
  const command = parseCadreCommand(reply);
  if (!command) return null;
  switch (command.kind) {
    case 'accept-waiting':
      return command.text ? { kind: 'accept', caseNumber, text: command.text } : { kind: 'accept', caseNumber };
    case 'case-number':
    case 'case-status':
      return command.caseNumber === caseNumber ? command : null;
    case 'decide-waiting-extension':
      return extensionDecision(command, caseNumber);
    case 'close-or-accept':
      return command.caseNumber === null ? { ...command, caseNumber } : command;
    case 'malformed': {
      const rest = reply.trim().slice(command.verb.length).replace(/^[\s\u3000:：,，、]+/, '');
      // Digits right after the verb: a number meant, and written wrongly — except 延期's days, and
      // digits with a unit ("回复 3点到"), which are words.
      if (command.verb !== '延期' && startsWithCaseNumber(rest)) return command;
      const numbered = parseCadreCommand(`${command.verb} ${caseNumber} ${rest}`);
      return numbered && 'caseNumber' in numbered ? numbered : command;
    }
    default:
      return command;
  }
}
