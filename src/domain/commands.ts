/**
 * Parses what cadres type in chat into commands. Case numbers come with or without "#";
 * spaces (also full-width) between parts are optional where the parts cannot run together.
 */
export type CadreCommand =
  | { kind: 'bind'; code: string }
  /** The office makes a binding code for a cadre. */
  | { kind: 'issue-bind-code'; cadre: string }
  | { kind: 'accept'; caseNumber: number }
  | { kind: 'reply'; caseNumber: number; text: string }
  | { kind: 'resolve'; caseNumber: number; note: string }
  | { kind: 'transfer'; caseNumber: number; department: string; reason: string }
  | { kind: 'send-back'; caseNumber: number; reason: string }
  | { kind: 'extend'; caseNumber: number; days: number; reason: string }
  | { kind: 'approve-extension'; caseNumber: number }
  | { kind: 'reject-extension'; caseNumber: number; reason: string }
  | { kind: 'assign'; caseNumber: number; cadre: string }
  | { kind: 'urge'; caseNumber: number; text: string }
  | { kind: 'complete-booking'; bookingNumber: number; note: string }
  | { kind: 'no-show'; bookingNumber: number }
  | { kind: 'today-bookings' }
  /** 统计 [本月|上月|YYYY-MM] [部门] — the rest is read by the statistics. */
  | { kind: 'stats'; args: string }
  | { kind: 'tasks' }
  | { kind: 'overdue' }
  | { kind: 'help' }
  /** A command word with missing or wrong parts. */
  | { kind: 'malformed'; verb: string };

export type CommandKind = CadreCommand['kind'];

/** Commands only heads and the office may give. */
export const supervisorCommands: readonly CommandKind[] = ['assign', 'overdue', 'urge', 'approve-extension', 'reject-extension', 'stats'];

/** Commands only the office may give. */
export const officeCommands: readonly CommandKind[] = ['issue-bind-code'];

const space = '[\\s\\u3000]';
/** A case number; never ends inside a longer run of digits ("退单 10011" is not #1001 + "1"). */
const num = `[#＃]?\\s*(\\d{1,9})(?!\\d)`;

/**
 * Verb → pattern for the rest and a builder; `spaced`: the verb is a command only alone or
 * followed by a space (统计 yes, 统计局 no). Longer verbs first (同意延期 before 延期).
 */
const grammar: [verb: string, rest: RegExp, build: (m: RegExpExecArray) => CadreCommand | null, spaced?: boolean][] = [
  ['绑定码', /^(\S+)$/, (m) => ({ kind: 'issue-bind-code', cadre: m[1]! })],
  ['绑定', /^([0-9A-Za-z]{4,12})$/, (m) => ({ kind: 'bind', code: m[1]!.toUpperCase() })],
  ['同意延期', new RegExp(`^${num}$`), (m) => ({ kind: 'approve-extension', caseNumber: Number(m[1]) })],
  ['驳回延期', new RegExp(`^${num}(?:${space}+([\\s\\S]*))?$`), (m) => ({ kind: 'reject-extension', caseNumber: Number(m[1]), reason: (m[2] ?? '').trim() })],
  ['接单', new RegExp(`^${num}$`), (m) => ({ kind: 'accept', caseNumber: Number(m[1]) })],
  ['回复', new RegExp(`^${num}${space}*([\\s\\S]+)$`), (m) => ({ kind: 'reply', caseNumber: Number(m[1]), text: m[2]!.trim() })],
  ['办结', new RegExp(`^${num}(?:${space}*([\\s\\S]*))?$`), (m) => ({ kind: 'resolve', caseNumber: Number(m[1]), note: (m[2] ?? '').trim() })],
  [
    '转派',
    new RegExp(`^${num}${space}+(\\S+)(?:${space}+([\\s\\S]*))?$`),
    (m) => ({ kind: 'transfer', caseNumber: Number(m[1]), department: m[2]!, reason: (m[3] ?? '').trim() }),
  ],
  ['退单', new RegExp(`^${num}${space}*([\\s\\S]+)$`), (m) => ({ kind: 'send-back', caseNumber: Number(m[1]), reason: m[2]!.trim() })],
  [
    '延期',
    new RegExp(`^${num}${space}+(\\d{1,2})${space}*天?${space}*([\\s\\S]+)$`),
    (m) => {
      const days = Number(m[2]);
      return days >= 1 && days <= 30 ? { kind: 'extend', caseNumber: Number(m[1]), days, reason: m[3]!.trim() } : null;
    },
  ],
  ['派单', new RegExp(`^${num}${space}+(\\S+)$`), (m) => ({ kind: 'assign', caseNumber: Number(m[1]), cadre: m[2]! })],
  ['督办', new RegExp(`^${num}(?:${space}*([\\s\\S]*))?$`), (m) => ({ kind: 'urge', caseNumber: Number(m[1]), text: (m[2] ?? '').trim() })],
  ['今日预约', /^$/, () => ({ kind: 'today-bookings' })],
  ['完成', new RegExp(`^${num}(?:${space}*([\\s\\S]*))?$`), (m) => ({ kind: 'complete-booking', bookingNumber: Number(m[1]), note: (m[2] ?? '').trim() })],
  ['未到', new RegExp(`^${num}$`), (m) => ({ kind: 'no-show', bookingNumber: Number(m[1]) })],
  ['任务', /^$/, () => ({ kind: 'tasks' })],
  ['统计', /^([\s\S]*)$/, (m) => ({ kind: 'stats', args: m[1]!.trim() }), true],
  ['超时', /^$/, () => ({ kind: 'overdue' })],
  ['帮助', /^$/, () => ({ kind: 'help' })],
];

/** The command in `text`, `malformed` for a known verb used wrongly, or null for no command. */
export function parseCadreCommand(text: string): CadreCommand | null {
  const trimmed = text.trim();
  for (const [verb, rest, build, spaced] of grammar) {
    if (!trimmed.startsWith(verb)) continue;
    const after = trimmed.slice(verb.length);
    if (spaced && after !== '' && !/^[\s\u3000:：]/.test(after)) continue;
    const tail = after.replace(/^[\s\u3000:：]+/, '');
    const match = rest.exec(tail);
    const command = match ? build(match) : null;
    if (command && (command.kind !== 'reply' || command.text) && (command.kind !== 'send-back' || command.reason)) {
      return command;
    }
    return { kind: 'malformed', verb };
  }
  return null;
}
