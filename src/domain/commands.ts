/**
 * Parses what cadres type in chat into commands. Case numbers come with or without "#", in
 * half- or full-width digits; spaces (also full-width), a colon or a comma may follow the verb,
 * and a trailing "。" or "！" does not spoil a command that takes no words.
 */
import { startsWithLeaveDays } from './leave.js';
import { chineseNumber, isPleasantry, tidyWords } from './text.js';

export type CadreCommand =
  | { kind: 'bind'; code: string }
  /** The office makes a binding code for a cadre. */
  | { kind: 'issue-bind-code'; cadre: string }
  /** `text`: words for the resident sent with the acceptance ("接单 1001 马上到"). */
  | { kind: 'accept'; caseNumber: number; text?: string }
  /**
   * `接单` without a number: the one case waiting for this cadre, if there is just one. `text`: words
   * for its resident ("接单，明天上午过去"), as after a number.
   */
  | { kind: 'accept-waiting'; text?: string }
  /**
   * `接单 1001 1002`: several cases at once, each number once, in the order written; `text`: words for
   * each of their residents ("接单 1001 1002 明天上午过去").
   */
  | { kind: 'accept-several'; caseNumbers: number[]; text?: string }
  /**
   * `回复 1001 1003 明天上午过去`, `办结 1001、1003 已指导打药`: the same words for each case, when the
   * numbers after the first are cases (checked by whoever runs it); `single`: the command read as
   * one case with the rest as its words ("回复 1001 2000 块": a price), for when they are not.
   */
  | { kind: 'on-several'; verb: 'reply' | 'resolve'; caseNumbers: number[]; text: string; single: CadreCommand | null }
  /**
   * A case number alone ("1001", "#1001号"): which case a photo or voice just sent is for, or, with
   * none waiting to be placed, the case waiting for the cadre's acceptance.
   */
  | { kind: 'case-number'; caseNumber: number }
  /** "1003怎么样了": where a case stands (a head asking after a cadre's case). */
  | { kind: 'case-status'; caseNumber: number }
  | { kind: 'reply'; caseNumber: number; text: string }
  | { kind: 'resolve'; caseNumber: number; note: string }
  /** 撤销办结: a 办结 sent for the wrong case, taken back before the resident rated it. */
  | { kind: 'undo-resolve'; caseNumber: number }
  | { kind: 'transfer'; caseNumber: number; department: string; reason: string }
  | { kind: 'send-back'; caseNumber: number; reason: string }
  | { kind: 'extend'; caseNumber: number; days: number; reason: string }
  /** `note`: words for the cadre who asked ("同意延期 1001 抓紧"). */
  | { kind: 'approve-extension'; caseNumber: number; note: string }
  | { kind: 'reject-extension'; caseNumber: number; reason: string }
  /**
   * `同意延期` / `驳回延期` without a number: the one request waiting for this head or the office;
   * `text`: the words for the cadre, or the reason.
   */
  | { kind: 'decide-waiting-extension'; approve: boolean; text: string }
  /**
   * `note`: words for the new holder ("派单 1001 贺建军 请今天上门"). `loose`: written as "1001给贺建军",
   * which from a cadre who may not 派单 is more likely words ("1001给他打过电话了") than a command.
   */
  | { kind: 'assign'; caseNumber: number; cadre: string; note: string; loose?: true }
  /** `派单 1001 1002 易春林`, `把1001和1002交给易春林`: several cases to one cadre (a head moving the work of one on leave). */
  | { kind: 'assign-several'; caseNumbers: number[]; cadre: string; note: string }
  | { kind: 'urge'; caseNumber: number; text: string }
  /** 定村: the village of a case (and its resident) the resident never said, found out by the office. */
  | { kind: 'set-village'; caseNumber: number; village: string }
  | { kind: 'complete-booking'; bookingNumber: number; note: string }
  | { kind: 'no-show'; bookingNumber: number }
  /** 改约: the visit cannot happen at its time (rain); the resident is asked to choose another. */
  | { kind: 'move-booking'; bookingNumber: number; reason: string }
  /** `预约 101 路上堵了，晚半小时到`: words for the resident of a visit (as `回复` is for a case's). */
  | { kind: 'booking-words'; bookingNumber: number; text: string }
  /** `今日预约` (`daysAhead` 0), or tomorrow's (`明天的预约`, 1). */
  | { kind: 'day-bookings'; daysAhead: 0 | 1 }
  /** 统计 [本月|上月|YYYY-MM] [部门] — the rest is read by the statistics. */
  | { kind: 'stats'; args: string }
  /** 代办: a cadre files for a resident without WeChat; `text` is the village (optional) and the matter. */
  | { kind: 'file-for'; resident: string; text: string }
  | { kind: 'tasks' }
  | { kind: 'overdue' }
  /** "我们站现在有多少件": the open cases of one's departments, counted per holder. */
  | { kind: 'open-cases' }
  /** "都有哪些没接的", "谁还没接单": the cases of one's departments waiting to be accepted, with their holders. */
  | { kind: 'waiting-cases' }
  | { kind: 'help' }
  /**
   * 请假 [姓名] 日期 [原因]: `cadre` the name written, null for oneself; `when` the days and the
   * reason, as written ("今天到周五 感冒"; read with the date by `readLeave`).
   */
  | { kind: 'leave'; cadre: string | null; when: string }
  /** 销假 [姓名]: back from leave today; `cadre` null for oneself. */
  | { kind: 'end-leave'; cadre: string | null }
  /**
   * 结单: 办结 as work-order systems say it, or 接单 as pinyin input writes it (jiēdān, jiédān) —
   * which one is unclear, so nothing is done; `caseNumber` null when left out, `text` any words after.
   */
  | { kind: 'close-or-accept'; caseNumber: number | null; text: string }
  /** A command word with missing or wrong parts. */
  | { kind: 'malformed'; verb: string };

export type CommandKind = CadreCommand['kind'];

/** A command on one case, named by its number (a number alone is read otherwise: `case-number`). */
export type CaseCommand = Exclude<Extract<CadreCommand, { caseNumber: number }>, { kind: 'case-number' }>;

/** Commands only heads and the office may give. */
export const supervisorCommands: readonly CommandKind[] = [
  'assign', 'assign-several', 'overdue', 'open-cases', 'waiting-cases', 'urge', 'approve-extension', 'reject-extension', 'decide-waiting-extension', 'stats',
];

/** Commands only the office may give. */
export const officeCommands: readonly CommandKind[] = ['issue-bind-code'];

const space = '[\\s\\u3000]';
/** What may stand between a verb and the rest, or a number and words: a space, a colon, a comma. */
const separator = '[\\s\\u3000:：,，、]';
/** One word up to the next separator (a name, a village). */
const token = '([^\\s\\u3000:：,，、]+)';
/**
 * A unit right after a number makes the number words: "3点到", "5个人", "2楼", "12号楼" (a building).
 */
const plainUnit = `(?:[点天日月年周个斤亩元块米楼层组岁头只户次]|小时|公斤|公里|号[楼院栋室])`;
/** A further number in a list is words with a unit, or with 号 and words ("1002号灯坏了"). */
const unit = `(?:${plainUnit}|号(?!${space}*(?:[\\s\\u3000:：,，、。]|$)))`;
/**
 * Digits that are words, not a case number: with a unit after them ("3点到"), and one or two with 号
 * and words ("3号来": a day), not more ("1001号明天到").
 */
const numberAsWords = `[0-9０-９]+${plainUnit}|[0-9０-９]{1,2}号(?!${space}*(?:[\\s\\u3000:：,，、。]|$))`;
/** 号 that belongs to the number before it: before a separator or the end, or right after three digits or more. */
const numberSign = `(?:${space}*号(?=[\\s\\u3000:：,，、。]|$)|(?<=[0-9０-９]{3})号)`;
/**
 * A case number, "1001号" too; never ends inside a longer run of digits ("退单 10011" is not #1001 + "1").
 * Digits that are words (see {@link numberAsWords}) are none, unless "#" says they are. Its 号, when
 * there, is taken: "回复 1001号" is the number alone, never the number and the words "号".
 */
const num = `(?:[#＃]\\s*|\\s*(?!${numberAsWords}))([0-9０-９]{1,9})(?![0-9０-９])${numberSign}?(?!${numberSign})`;
/** A case number in a list of several: three digits at least. */
const caseNumberAt = `[#＃]?${space}*[0-9０-９]{3,9}(?:${space}*号)?`;
/** Words that begin with a further case number ("1002 马上到" after "接单 1001"). */
const anotherCaseNumber = new RegExp(`^${caseNumberAt}(?:${separator}|$)`);
/** Days: "3", "３", "三", "十五"; a unit after them ("天", "个工作日") is no part of the reason. */
const days = `([0-9０-９]{1,2}|[一二两三四五六七八九十]{1,3})${space}*(?:个?工作日|天|日)?(?![天日个工周月到至-])`;
const afterVerb = new RegExp(`^${separator}+`);
/**
 * No case number at all, then words or nothing ("同意延期", "驳回延期 先电话联系"). Any digit means a
 * number written wrongly ("3天太长", "第1002号"): the example, rather than a guess at which case.
 */
const withoutNumber = `(?![\\s\\S]*[#＃0-9０-９])([\\s\\S]*)`;
/** What a phone puts at the end of a message: "接单 1001。" */
const trailingPunctuation = /[\s。.！!~～]+$/;

const caseNumberFirst = new RegExp(`^(?:[#＃]|(?!${numberAsWords})[0-9０-９])`);

/** Whether `text` starts with what is meant as a case number ("#3", "1001 …"), not words ("3点到"). */
export function startsWithCaseNumber(text: string): boolean {
  return caseNumberFirst.test(text);
}

/** "１００１" → 1001. */
const number = (digits: string | undefined) => Number(digits!.normalize('NFKC'));

/** A cadre's words for the resident, without the separator before them, tidied; "。" alone is no words. */
/** Sentence-final particles alone ("接单了", "1001办结了呀"): no words for anyone. */
const particlesOnly = /^[了啦吧呀啊哈喽咯哦噢嘞]*$/u;

const words = (text: string | undefined) => {
  const trimmed = tidyWords((text ?? '').replace(afterVerb, '').trim());
  return particlesOnly.test(trimmed.replace(/[\p{P}\s]+/gu, '')) ? '' : trimmed;
};

/** A name (cadre, department, period) without the "。" a phone put after it. */
const name = (text: string | undefined) => (text ?? '').replace(trailingPunctuation, '');
/** Whom a case is given to: "易春林处理一下", "交给易春林办理" name 易春林 (the request is no note). */
const assignee = (text: string | undefined) => name(text).replace(/(?<=.)(?:处理一下|处理下|处理|办理一下|办理|办一下|去办|跟进一下|跟进|看一下|看看)$/, '');

/**
 * Verb → pattern for the rest and a builder; `only`: 'spaced', the verb is a command only alone or
 * followed by a space (统计 yes, 统计局 no); 'numbered', only with a case number after it (改派 1001
 * yes; 派给我的那件… is words); 'apart', alone, followed by a space or by a case number (结单1001 yes,
 * 结单率 no). Longer verbs first (同意延期 before 延期).
 */
type Rule = [verb: string, rest: RegExp, build: (m: RegExpExecArray) => CadreCommand | null, only?: 'spaced' | 'numbered' | 'apart'];

/** 代办 张大爷 [东山村] 话: who it is for, and the rest (read by intake). */
const fileFor = (verb: string): Rule => [
  verb,
  new RegExp(`^${token}${separator}+([\\s\\S]+)$`),
  (m) => ({ kind: 'file-for', resident: m[1]!, text: words(m[2]) }),
];

/** 督办 1001 [words for the holder]. */
const urge = (verb: string): Rule => [
  verb,
  new RegExp(`^${num}(?:${space}*([\\s\\S]*))?$`),
  (m) => ({ kind: 'urge', caseNumber: number(m[1]), text: words(m[2]) }),
];

/** "给", "交给", "派给", "到" between a case number and whom it goes to ("派单 1001 给贺建军"). */
const handedTo = `(?:(?:交给|派给|转给|给|到)${space}*)?`;

/** Another verb for 派单 ("改派 1001 易春林"), read the same way. */
const assignAs = (verb: string): Rule => [
  verb,
  new RegExp(`^${num}${separator}*${handedTo}(?!号)${token}(?:${separator}+([\\s\\S]*))?$`),
  (m) => ({ kind: 'assign', caseNumber: number(m[1]), cadre: assignee(m[2]), note: words(m[3]) }),
  'numbered',
];

/**
 * "1001 派给 贺建军", "1001交给农技站 今天要回话", "把1001派给易春林": 派单 with the number first. The
 * number has three digits at least, so "3个给贺建军" is no case.
 */
const numberFirstAssign = new RegExp(
  `^(?:把${space}*)?[#＃]?${space}*([0-9０-９]{3,9})(?:${space}*号)?${space}*(?:派给|交给|派单给|改派给|改派)${space}*${token}(?:${separator}+([\\s\\S]*))?$`,
);

/**
 * "1001给农技站", "１００１ 给 贺建军": the same with 给 alone, and nothing after the name — with words
 * after it ("1001给他回过电话了, 在等材料") it is a sentence, not a command.
 */
const numberFirstGive = new RegExp(`^(?:把${space}*)?[#＃]?${space}*([0-9０-９]{3,9})(?:${space}*号)?${space}*给${space}*([^\\s\\u3000:：,，、0-9０-９]{2,8})$`);

/** Where a name would stand, a question ("1001派给我的吗", "1001给钱了吗？"): words, not 派单. */
const askedName = /^(?:谁|了)|[吗呢么嘛？?]$/;

/** A month as 统计 takes it, written into other words: 上月, 本月, 10月, 2026年10月, 2026-10. */
const statsMonth = '(?:上个?月|本月|这个月|[0-9０-９]{4}(?:年[0-9０-９]{1,2}月|[-/.][0-9０-９]{1,2})|[0-9０-９]{1,2}月)';
/** A department's name as it usually ends (农技站, 司法所, 民政办), so 统计局 stays no command. */
const statsDepartment = '(?:[^\\s\\u3000:：,，、的]{1,8}?(?:站|所|办|中心))';
/** What a clerk puts around 统计: 一下, 数据, 看看. */
const statsFiller = '(?:一下|下|数据|情况|报表|表)?';
/**
 * 统计 written without the space ("统计上月", "统计农技站上月"), or in words ("统计一下", "上月的统计",
 * "看看农技站本月统计"): the month and department, as `统计 农技站 上月` would give them.
 */
const statsWritten = [
  new RegExp(`^统计${statsFiller}(${statsMonth})(${statsDepartment})?(?:的?${statsFiller})$`),
  new RegExp(`^统计${statsFiller}(${statsDepartment})?(${statsMonth})?(?:的?${statsFiller})$`),
  new RegExp(`^(?:看看|看一下|查查|查一下|发一下|发下)?(${statsDepartment})?(${statsMonth})?的?统计${statsFiller}$`),
];

/** 请假's words: the days first ("请假 今天"), or a name and then the days ("请假 贺建军 今天"). */
function leave(text: string): CadreCommand | null {
  if (startsWithLeaveDays(text)) return { kind: 'leave', cadre: null, when: text };
  const [cadre, when] = firstWord(text);
  return when && startsWithLeaveDays(when) ? { kind: 'leave', cadre: name(cadre), when } : null;
}

const grammar: Rule[] = [
  ['绑定码', /^(\S+)$/, (m) => ({ kind: 'issue-bind-code', cadre: name(m[1]) })],
  ['绑定', /^([0-9A-Za-z０-９Ａ-Ｚａ-ｚ]{4,12})$/, (m) => ({ kind: 'bind', code: m[1]!.normalize('NFKC').toUpperCase() })],
  [
    '同意延期',
    new RegExp(`^(?:${num}(?:${separator}+([\\s\\S]*))?|${withoutNumber})$`),
    (m) => (m[1] ? { kind: 'approve-extension', caseNumber: number(m[1]), note: words(m[2]) } : { kind: 'decide-waiting-extension', approve: true, text: words(m[3]) }),
  ],
  [
    '驳回延期',
    new RegExp(`^(?:${num}(?:${space}+([\\s\\S]*))?|${withoutNumber})$`),
    (m) => (m[1] ? { kind: 'reject-extension', caseNumber: number(m[1]), reason: words(m[2]) } : { kind: 'decide-waiting-extension', approve: false, text: words(m[3]) }),
  ],
  [
    '接单',
    new RegExp(`^(?:${num}(?:${separator}*([\\s\\S]*))?|${withoutNumber})$`),
    (m) => {
      if (!m[1]) {
        // "接单，明天上午过去": the case waiting, with words for its resident; a nod is none. "接单了吗" asks.
        const text = words(m[3]);
        if (askedAfter.test(text.replace(trailingPunctuation, ''))) return null;
        return text && !isPleasantry(text) ? { kind: 'accept-waiting', text } : { kind: 'accept-waiting' };
      }
      const text = words(m[2]);
      // "接单 1001 1002" is two numbers, not words for the resident of #1001 ("接单 1001 1002 马上到":
      // whose words are they?).
      if (/^[\d０-９#＃\s,，、]+$/.test(text) || anotherCaseNumber.test(text)) return null;
      // "接单 1001 收到", "接单1001👍": a nod to the notice, not words for the resident.
      return text && !isPleasantry(text) ? { kind: 'accept', caseNumber: number(m[1]), text } : { kind: 'accept', caseNumber: number(m[1]) };
    },
  ],
  [
    '结单',
    new RegExp(`^(?:${num}(?:${separator}*([\\s\\S]*))?|${withoutNumber})$`),
    (m) => ({ kind: 'close-or-accept', caseNumber: m[1] ? number(m[1]) : null, text: words(m[1] ? m[2] : m[3]) }),
    'apart',
  ],
  ['回复', new RegExp(`^${num}${space}*([\\s\\S]+)$`), (m) => ({ kind: 'reply', caseNumber: number(m[1]), text: words(m[2]) })],
  ['撤销办结', new RegExp(`^${num}$`), (m) => ({ kind: 'undo-resolve', caseNumber: number(m[1]) })],
  ['取消办结', new RegExp(`^${num}$`), (m) => ({ kind: 'undo-resolve', caseNumber: number(m[1]) })],
  ['办结', new RegExp(`^${num}(?:${space}*([\\s\\S]*))?$`), (m) => ({ kind: 'resolve', caseNumber: number(m[1]), note: words(m[2]) })],
  [
    '转派',
    new RegExp(`^${num}${separator}+${token}(?:${separator}+([\\s\\S]*))?$`),
    (m) => ({ kind: 'transfer', caseNumber: number(m[1]), department: name(m[2]), reason: words(m[3]) }),
  ],
  ['退单', new RegExp(`^${num}${space}*([\\s\\S]+)$`), (m) => ({ kind: 'send-back', caseNumber: number(m[1]), reason: words(m[2]) })],
  [
    '延期',
    new RegExp(`^${num}${separator}+${days}${separator}*([\\s\\S]+)$`),
    (m) => {
      const count = /^[0-9０-９]+$/.test(m[2]!) ? number(m[2]) : chineseNumber(m[2]!);
      return count && count >= 1 && count <= 30 ? { kind: 'extend', caseNumber: number(m[1]), days: count, reason: words(m[3]) } : null;
    },
  ],
  [
    '派单',
    // "派单1002易春林": a name cannot be read as part of the number; "派单 1001 给贺建军": 给 is no part of it;
    // "派单 1001 1002": a second number is no name (the example).
    new RegExp(`^${num}${space}*${handedTo}(?![号0-9０-９#＃])${token}(?:${separator}+([\\s\\S]*))?$`),
    (m) => ({ kind: 'assign', caseNumber: number(m[1]), cadre: assignee(m[2]), note: words(m[3]) }),
  ],
  ['定村', new RegExp(`^${num}${separator}*(?!号)${token}$`), (m) => ({ kind: 'set-village', caseNumber: number(m[1]), village: name(m[2]) })],
  urge('督办'),
  // As a head says it, and as the escalation notice (【催办】) names it.
  urge('督促'),
  urge('催办'),
  fileFor('代办'),
  // The same word as pinyin or voice input often writes it, one hand in the field.
  fileFor('待办'),
  ['今日预约', /^$/, () => ({ kind: 'day-bookings', daysAhead: 0 })],
  ['完成', new RegExp(`^${num}(?:${space}*([\\s\\S]*))?$`), (m) => ({ kind: 'complete-booking', bookingNumber: number(m[1]), note: words(m[2]) })],
  ['未到', new RegExp(`^${num}$`), (m) => ({ kind: 'no-show', bookingNumber: number(m[1]) })],
  ['改约', new RegExp(`^${num}(?:${separator}*([\\s\\S]*))?$`), (m) => ({ kind: 'move-booking', bookingNumber: number(m[1]), reason: words(m[2]) })],
  // Only with a visit's number (three digits at least: "预约 2 个人" is words), then the words — not about the
  // visit ("预约101的时间…"); "预约" alone is the day's visits, "预约明天上午" words. "预约101完成了" is 完成 101.
  [
    '预约',
    new RegExp(`^[#＃]?${space}*([0-9０-９]{3,9})(?![0-9０-９])(?:${space}*号)?(?!${numberSign})${separator}*(?!${separator}|的)([\\s\\S]+)$`),
    (m) => {
      const verb = numberFirst(`${m[1]} ${m[2]}`);
      return verb && 'bookingNumber' in verb ? verb : { kind: 'booking-words', bookingNumber: number(m[1]), text: words(m[2]) };
    },
    'numbered',
  ],
  ['任务', /^[?？]*$/, () => ({ kind: 'tasks' })],
  ['统计', /^([\s\S]*)$/, (m) => ({ kind: 'stats', args: name(m[1]!.trim()) }), 'spaced'],
  ['超时', /^[?？]*$/, () => ({ kind: 'overdue' })],
  ['帮助', /^[?？]*$/, () => ({ kind: 'help' })],
  // 派单 as a busy clerk also writes it: "改派 1001 易春林" (placed wrongly first), "派给 1001 贺建军".
  assignAs('改派'),
  assignAs('重新派单'),
  assignAs('派给'),
  ['请假', /^([\s\S]+)$/, (m) => leave(m[1]!)],
  ['销假', new RegExp(`^(?:${token})?$`), (m) => ({ kind: 'end-leave', cadre: name(m[1]) || null })],
];

/**
 * Whether a resident's text is written the way cadre commands are ("接单 1001", "任务"), not
 * words that happen to start with a verb ("回复，3点以后在家", "完成，3天了"): a case or booking
 * number of three digits or more right after the verb, or a command that takes nothing, alone.
 */
export function looksLikeCommand(text: string): boolean {
  const t = text.trim();
  return (
    /^\p{Script=Han}{2,4}[\s\u3000]*[#＃]?[0-9０-９]{3,}(?![0-9０-９])/u.test(t) ||
    /^(任务|超时|今日预约|统计)[。.!！]*$/.test(t) ||
    /^绑定码[\s\u3000]/.test(t)
  );
}

/** The first word of `text` and what follows it ("东山村，猪不吃食" → ["东山村", "猪不吃食"]). */
export function firstWord(text: string): [first: string, rest: string] {
  const match = new RegExp(`^${token}(?:${separator}+([\\s\\S]*))?$`).exec(text.trim());
  return match ? [match[1]!, (match[2] ?? '').trim()] : ['', text.trim()];
}

/**
 * "代办张大爷东山村家里漏水": a 代办 typed without any separator, as the one word after the verb (the
 * name, village and matter are told apart with the villages, by intake); null for anything else.
 */
export function fileForWithoutSpaces(text: string): Extract<CadreCommand, { kind: 'file-for' }> | null {
  const trimmed = text.trim();
  const verb = ['代办', '待办'].find((v) => trimmed.startsWith(v));
  if (!verb) return null;
  const rest = trimmed.slice(verb.length).replace(afterVerb, '').replace(trailingPunctuation, '');
  return new RegExp(`^${token}$`).test(rest) ? { kind: 'file-for', resident: rest, text: '' } : null;
}

/** Whether a case number follows `verb` at the start of `text` ("改派 1001 …", "改派#1001"). */
function numberAfter(text: string, verb: string): boolean {
  return startsWithCaseNumber(text.slice(verb.length).replace(afterVerb, ''));
}

/**
 * Whether what follows a verb leaves it a word of its own: nothing, a particle, a separator, or a case
 * number ("结单了", "结单1001"; "结单率" is a word).
 */
function standsApart(after: string): boolean {
  const rest = after.replace(trailingPunctuation, '');
  return particlesOnly.test(rest) || afterVerb.test(rest) || startsWithCaseNumber(rest);
}

/** Whether `text` begins with a command verb ("统计局来检查": a command written wrongly, not words for a resident). */
export function startsWithVerb(text: string): boolean {
  const trimmed = text.trim();
  return grammar.some(
    ([verb, , , only]) =>
      trimmed.startsWith(verb) && (only !== 'numbered' || numberAfter(trimmed, verb)) && (only !== 'apart' || standsApart(trimmed.slice(verb.length))),
  );
}

/** Words for the 任务 list, which is headed "您的待办". */
const tasksWords = new Set(['待办', '我的待办', '我的任务', '任务列表']);

/**
 * "我手上有几件", "还有啥没办", "还剩几件没办完", "我有哪些", "还有哪些", "我手上的": a cadre asking for
 * the 任务 list in words. Short questions only, no digits: anything longer is words for a resident.
 */
const tasksQuestions = [
  /^(?:我|俺)?(?:手上|手里|现在|目前)?还?(?:有|剩)?(?:几|多少)[件个单](?:事|案子|案件|任务)?(?:没办完?|没弄完?|要办|没处理)?了?[吗呢啊]?$/,
  /^(?:我|俺)?(?:手上|手里)?还(?:有|剩)?(?:啥|什么|哪些|哪几件)(?:事)?(?:没办完?|没弄完?|要办|没处理)的?了?[吗呢啊]?$/,
  /^(?:我|俺)(?:手上|手里)?还?有(?:哪些|哪几件|什么|啥)(?:事情?|案子|案件|任务|单子?)?(?:要办|没办完?)?[吗呢啊]?$/,
  /^(?:我|俺)?(?:手上|手里)?还(?:有|剩)(?:哪些|哪几件)(?:事情?|案子|案件|任务|单子?)?[吗呢啊]?$/,
  /^(?:我|俺)(?:手上|手里)的(?:事情?|案子|案件|任务|单子?)?(?:呢|有哪些)?$/,
  /^(?:我|俺)的(?:事情?|案子|案件|单子?)(?:呢|有哪些)$/,
];

/**
 * "今天的预约", "预约", "今天有几个预约", "明天的预约": a cadre asking for the day's visits in words
 * (today's, or tomorrow's to plan ahead).
 */
const bookingsQuestion = /^(?:我的?)?(今天|今日|明天|明日)?(?:的|有)?(?:几个|哪些|什么|啥)?预约(?:列表)?(?:有哪些|有几个)?$/;

/**
 * "有哪些超时的", "超时的有几件", "有没有超时的", "看看超时": a head or the office asking for the
 * 超时 list in words. Short questions only, no digits.
 */
const overdueQuestion = new RegExp(
  '^(?:现在|目前|今天)?(?:我们站|我们|站里)?(?:还)?' +
    '(?:(?:有没有|有)?(?:哪些|哪几件|几件|多少件?)?(?:事情?|案子|件)?超时(?:了|的)?(?:事情?|案子|件)?' +
    '|超时(?:的|了)(?:还)?(?:有)?(?:哪些|哪几件|几件|多少件?)' +
    '|(?:看看|看一下|查查?|查一下)超时的?(?:事情?|案子|件)?)' +
    '(?:了)?[吗呢啊吧]?$',
);

/**
 * "我们站现在有多少件", "站里还有几件没办完", "全所一共多少件": a head or the office asking how many
 * cases their department has open. Short questions only, no digits; a department word is needed
 * ("我手上有几件" is 任务).
 */
const openCasesQuestion = new RegExp(
  '^(?:(?:我们|咱们|俺们|全)(?:站|所|办|部门|单位|镇)|(?:站|所|部门|单位|镇)里)(?:上)?(?:现在|目前|一共|总共|还)*' +
    '(?:有|在办|剩)?的?(?:几|多少)件(?:事情?|案子|案件)?(?:没办完?|在办|要办|没处理)?了?[吗呢啊]?$',
);

/** 督办 as a busy head says it: "催一下", "催催", "督促一下" (帮我 before it, 吧 after it). */
const spokenUrge = '((?:帮我|帮忙)?(?:催一下|催一催|催催|催下|督促一下|督办一下))';
/**
 * "1001催一下", "催一下 1001 今天要回话", "#1001 催催": 督办 with the number before or after the words;
 * "催一下" alone is 督办 written without its number (quoting a 【催办】, the quote gives it).
 */
const spokenUrgeNumbered = new RegExp(
  `^(?:[#＃]?${space}*([0-9０-９]{3,9})(?:${space}*号)?${separator}*${spokenUrge}|${spokenUrge}${separator}*[#＃]?${space}*([0-9０-９]{3,9})(?:${space}*号)?)` +
    `(?![0-9０-９])(?:${separator}*([\\s\\S]*))?$`,
);
const spokenUrgeAlone = new RegExp(`^${spokenUrge}[了吧啊]?$`);

/** "都有哪些没接的", "谁还没接单", "还有几件没接", "没接单的有哪些": a head asking which cases wait to be accepted. */
const waitingQuestion =
  /^(?:现在|目前)?(?:都|还)?(?:有)?(?:哪些|哪几件|几件|多少件?|谁|谁们)(?:还|都)?(?:没|没有)接(?:单)?(?:的)?(?:案子|事情?|案件)?[吗呢啊]?$|^(?:还)?(?:没|没有)接(?:单)?的(?:都)?有(?:哪些|几件|多少件?|谁)[吗呢啊]?$/;

/** "小贺手上有几件", "贺建军手里还有多少件": a head asking one cadre's load — the counts per holder answer it ("我手上…" is 任务). */
const cadreLoadQuestion = /^(?:小|老)?\p{Script=Han}{1,3}手(?:上|里|头)(?:现在|目前|一共|还)*有(?:几|多少)件(?:事情?|案子|案件)?(?:没办完?|在办)?了?[吗呢啊]?$/u;

/** "接", "接了", "接1002", "接 1002": 接单 as one hand types it. */
const shortAccept = new RegExp(`^接了?(?:${separator}*${num})?$`);

/**
 * "接单 1001 1002", "接单 1001，1002号", "接 #1001、#1002": several numbers (a cadre back in signal
 * taking what waited), and what follows them, if anything: only a nod ("收到") may, as after one number.
 */
const severalAccept = new RegExp(
  `^接单?${separator}*(${caseNumberAt}(?:(?:${separator}|和)+${caseNumberAt})+)(?![0-9０-９]|${space}*${unit})(?:${separator}*([^0-9０-９#＃\\s\\u3000][\\s\\S]*))?$`,
);

/** "回复 1001 1003 明天上午过去", "办结 1001、1003，已指导打药": one verb for several numbers, then its words. */
const severalOnCases = new RegExp(
  `^(回复|办结)${separator}*(${caseNumberAt}(?:(?:${separator}|和)+${caseNumberAt})+)(?![0-9０-９]|${space}*${unit})(?:${separator}*([\\s\\S]*))?$`,
);

/** Several case numbers, each once, as written ("1001、1002和1003"), then where the list ends. */
const caseList = `(${caseNumberAt}(?:(?:${separator}|和)+${caseNumberAt})+)(?![0-9０-９])`;
const listed = (list: string) => [...new Set([...list.matchAll(/[0-9０-９]+/g)].map((m) => number(m[0])))];

/** "派单 1001 1002 易春林 小贺请假了", "改派 1001、1002 给易春林": 派单 of several numbers. */
const severalAssign = new RegExp(`^(?:派单|改派|重新派单)${separator}*${caseList}${separator}*${handedTo}(?![0-9０-９#＃号])${token}(?:${separator}+([\\s\\S]*))?$`);
/** "把1001和1002交给易春林", "1001 1002 派给易春林": the same, the numbers first. */
const severalAssignFirst = new RegExp(
  `^(?:把${space}*)?${caseList}${space}*(?:派给|交给|派单给|改派给|改派)${space}*${token}(?:${separator}+([\\s\\S]*))?$`,
);

/** A case number and nothing else ("1001", "#1001", "１００１号"); three digits at least, so "1" stays a nod. */
const bareNumber = /^[#＃]?\s*([0-9０-９]{3,9})(?:\s*号)?$/;

/** "1003怎么样了", "#1003 进展如何", "1003号办了没": where a case stands, asked in words. */
const caseQuestion = new RegExp(
  `^[#＃]?\\s*([0-9０-９]{3,9})(?:\\s*号)?\\s*(?:现在|目前)?\\s*` +
    '(?:怎么样|咋样|怎样|如何|办得怎么样|进展如何|进展怎么样|进展|进度|情况如何|情况怎么样|什么情况|啥情况|办了没有?|办好了没有?|办完了没有?|办结了没有?' +
    // "1001派给谁了", "1001改派了吗": who holds it, asked — no 派单.
    '|(?:转派给|转办给|派给|交给|转给|给)了?谁|谁在办|在谁(?:手上|手里|那里?|那儿)|改派了没有?|改派了)' +
    '了?[吗呢啊呀]?$',
);

/**
 * "1001接单", "1001 办结 已修好", "1001办结了", "101完成了", "102号没来": the number first, as one
 * hand types it, then the verb (没来 for 未到). 回复 only with words after a separator: "1001回复了"
 * says it was done. A question after the verb ("1001办结了吗") is no command. Voice input's 恢复 and
 * 半截, and 结案 and 转办 (see `heardVerbs`), are 回复, 办结 and 转派 here too; 结案报告 or 转办单 after
 * the number names the case's papers (see `papers`).
 */
/** The papers of a case, named by its verb ("1001结案报告写好了", "1001转办单填好了"): no command. */
const papers = '报告|材料|单|表|率|手续';
const verbAfterNumber = new RegExp(
  `^[#＃]?${space}*([0-9０-９]{3,9})(?:${space}*号)?${separator}*(?:已经?|都)?` +
    `(接单|结单|撤销办结|办结|半截|结案|转派|转办|退单|延期|完成|未到|没来|没到|改约|(?:回复|恢复)(?=${separator}))(?!${papers})了?([\\s\\S]*)$`,
);
/** A question or a check at the end ("1001办结了吗", "办结了吧？"): asked, not commanded. */
const askedAfter = /(?:[吗呢么嘛吧？?]|没有?)$/;

/** "怎么接单", "这个咋弄？": a question, which is no words for a resident waiting on a case. */
export function isQuestion(text: string): boolean {
  const bare = text.trim().replace(trailingPunctuation, '');
  return askedAfter.test(bare) || /^(?:请问|怎么|怎样|如何|咋|为什么|为啥|什么|啥|哪)/.test(bare);
}

/** A case number, then words ("1001 明天上午到", "#1001好的"). */
const numberThenWords = /^[#＃]?\s*([0-9０-９]{3,9})(?:\s*号)?[\s\u3000:：,，、]*([\s\S]+)$/;

/**
 * The case number leading words that are no command ("1001 明天上午到": about #1001), and the words
 * after it; null when they do not start with one ("3点到", "1500斤稻谷" are words).
 */
export function leadingCaseNumber(text: string): { caseNumber: number; rest: string } | null {
  const led = startsWithCaseNumber(text.trim()) ? numberThenWords.exec(text.trim()) : null;
  return led ? { caseNumber: number(led[1]), rest: led[2]!.trim() } : null;
}

/** The command written with its number first ("1001办结了" → 办结 1001), or null for words. */
function numberFirst(text: string): CadreCommand | null {
  // "1001 收到": the number alone, as far as a command goes.
  const nodded = numberThenWords.exec(text);
  if (nodded && isPleasantry(nodded[2]!)) return { kind: 'case-number', caseNumber: number(nodded[1]) };
  const late = verbAfterNumber.exec(text);
  if (!late) return null;
  // "1001办结了吗": where the case stands, asked.
  if (askedAfter.test(late[3]!.replace(trailingPunctuation, ''))) return { kind: 'case-status', caseNumber: number(late[1]) };
  const verb = late[2] === '没来' || late[2] === '没到' ? '未到' : late[2]!;
  return parseCadreCommand(`${verb} ${late[1]} ${late[3]!.trim()}`.trim());
}

/**
 * A resident's words to case `caseNumber` as she reads them: without "回复 1001" when she wrote them as
 * a cadre would ("回复1001 在家等着呢", copied from a cadre's form, → "在家等着呢"); other words as they are.
 */
export function wordsTo(text: string, caseNumber: number): string {
  const parsed = parseCadreCommand(text);
  const command = parsed?.kind === 'on-several' ? parsed.single : parsed;
  return command?.kind === 'reply' && command.caseNumber === caseNumber ? command.text : text;
}

/**
 * "回复 #1001 …": the number written with "#", as lianxin shows a case's; a visit's it shows without
 * ("预约 101"). Where a case and a visit share a number, it names the case.
 */
export function replyMarksCase(text: string): boolean {
  return /^(?:回复|恢复)[\s\u3000:：,，、]*[#＃]/.test(text.trim());
}

/** 同意延期 / 驳回延期 written without the number, once it is known which case's request it answers. */
export function extensionDecision(
  command: Extract<CadreCommand, { kind: 'decide-waiting-extension' }>,
  caseNumber: number,
): Extract<CadreCommand, { kind: 'approve-extension' | 'reject-extension' }> {
  return command.approve
    ? { kind: 'approve-extension', caseNumber, note: command.text }
    : { kind: 'reject-extension', caseNumber, reason: command.text };
}

/**
 * The everyday verbs as voice input (and pinyin) often writes them — 恢复 (huīfù) for 回复, 半截
 * (bànjié) for 办结, 人物 (rénwù) for 任务, 接但 (jiēdàn) for 接单 — and as government offices say them —
 * 结案 for 办结, 转办 for 转派 —, where a cadre can mean nothing else by them: with a case number right
 * after them ("恢复1001 明天去", "结案 1001 已处理"; "恢复供电了", "转办的事" stay words), 人物 alone, 接但 however
 * written ("接但", "接但，明天去").
 */
const heardVerbs: readonly { heard: string; verb: string; only: 'numbered' | 'alone' | 'any' }[] = [
  { heard: '恢复', verb: '回复', only: 'numbered' },
  { heard: '半截', verb: '办结', only: 'numbered' },
  { heard: '结案', verb: '办结', only: 'numbered' },
  { heard: '转办', verb: '转派', only: 'numbered' },
  { heard: '接但', verb: '接单', only: 'any' },
  { heard: '人物', verb: '任务', only: 'alone' },
];

/** A case number after a heard verb: no count of something after it ("半截 2000 米水渠", "恢复 1001 户供电了"). */
const heardNumber = new RegExp(`^${separator}*[#＃]?[0-9０-９]{3,9}(?![0-9０-９]|${space}*${plainUnit})`);

/**
 * 请假 as people say it: "我明天请假", "贺建军请假两天", "我请一天假，孩子发烧", "小贺请假了" — the
 * name (none for oneself), then the days and the reason, as `请假 贺建军 两天 …` has them.
 */
const leaveSaid = /^(?:我|俺)?(\p{Script=Han}{2,4}?)?(今天|明天|后天|大后天)?请(?:([一二两三四五六七八九十\d]+)天)?假了?(?![条单])[\s,，。：:]*([\s\S]*)$/u;
const dayWords = /^(?:今天|明天|后天|大后天)$/;

function leaveInWords(text: string): string | null {
  const m = leaveSaid.exec(text);
  if (!m || text.startsWith('请假') || isQuestion(text)) return null;
  const [, who, dayAfter, count, rest] = m;
  const day = who && dayWords.test(who) ? who : (dayAfter ?? '');
  const name = who && !dayWords.test(who) ? who : '';
  const when = [day, count ? `${count}天` : '', rest!.trim()].filter(Boolean).join(' ');
  return ['请假', name, when].filter(Boolean).join(' ');
}

/** `text` with a verb voice input wrote for another (see `heardVerbs`) put right. */
function asMeant(text: string): string {
  for (const { heard, verb, only } of heardVerbs) {
    if (!text.startsWith(heard)) continue;
    const rest = text.slice(heard.length);
    const meant = only === 'any' || (only === 'alone' ? rest.replace(trailingPunctuation, '') === '' : heardNumber.test(rest));
    if (meant) return verb + rest;
  }
  return text;
}

/** The command in `text`, `malformed` for a known verb used wrongly, or null for no command. */
export function parseCadreCommand(text: string): CadreCommand | null {
  const trimmed = leaveInWords(text.trim()) ?? asMeant(text.trim());
  const several = severalOnCases.exec(trimmed);
  if (several) {
    const caseNumbers = listed(several[2]!);
    const verb = several[1] === '回复' ? 'reply' : 'resolve';
    if (caseNumbers.length > 1) return { kind: 'on-several', verb, caseNumbers, text: words(several[3]), single: parseOne(trimmed) };
  }
  const assigned = severalAssign.exec(trimmed) ?? severalAssignFirst.exec(trimmed);
  if (assigned && !askedName.test(assigned[2]!)) {
    const caseNumbers = listed(assigned[1]!);
    if (caseNumbers.length > 1) return { kind: 'assign-several', caseNumbers, cadre: assignee(assigned[2]), note: words(assigned[3]) };
  }
  return parseOne(trimmed);
}

/** The command in `trimmed` (see {@link parseCadreCommand}), read as about one case at most. */
function parseOne(trimmed: string): CadreCommand | null {
  const bare = trimmed.replace(trailingPunctuation, '');
  if (tasksWords.has(bare)) return { kind: 'tasks' };
  if (tasksQuestions.some((q) => q.test(bare.replace(/[?？]+$/, '')))) return { kind: 'tasks' };
  const bookings = bookingsQuestion.exec(bare.replace(/[?？]+$/, ''));
  if (bookings) return { kind: 'day-bookings', daysAhead: bookings[1]?.startsWith('明') ? 1 : 0 };
  if (overdueQuestion.test(bare.replace(/[?？]+$/, ''))) return { kind: 'overdue' };
  if (openCasesQuestion.test(bare.replace(/[?？]+$/, ''))) return { kind: 'open-cases' };
  if (waitingQuestion.test(bare.replace(/[?？]+$/, ''))) return { kind: 'waiting-cases' };
  if (cadreLoadQuestion.test(bare.replace(/[?？]+$/, ''))) return { kind: 'open-cases' };
  const several = severalAccept.exec(bare);
  // "接单 1001 1002 收到": the nod is no words, as in "接单 1001 收到"; other words are for each resident, as
  // 回复 of several sends them ("接单 1001 300米外": one number, and words).
  if (several) {
    const text = several[2] && !isPleasantry(several[2]) ? words(several[2]) : '';
    const caseNumbers = listed(several[1]!);
    if (caseNumbers.length === 1) return text ? { kind: 'accept', caseNumber: caseNumbers[0]!, text } : { kind: 'accept', caseNumber: caseNumbers[0]! };
    return text ? { kind: 'accept-several', caseNumbers, text } : { kind: 'accept-several', caseNumbers };
  }
  const accept = shortAccept.exec(bare);
  if (accept) return accept[1] ? { kind: 'accept', caseNumber: number(accept[1]) } : { kind: 'accept-waiting' };
  const urged = spokenUrgeNumbered.exec(bare);
  if (urged) return { kind: 'urge', caseNumber: number(urged[1] ?? urged[4]), text: words(urged[5]) };
  const urgedAlone = spokenUrgeAlone.exec(bare);
  if (urgedAlone) return { kind: 'malformed', verb: urgedAlone[1]! };
  const asked = caseQuestion.exec(bare.replace(/[?？]+$/, ''));
  if (asked) return { kind: 'case-status', caseNumber: number(asked[1]) };
  const alone = bareNumber.exec(bare);
  if (alone) return { kind: 'case-number', caseNumber: number(alone[1]) };
  const reordered = numberFirst(trimmed);
  if (reordered) return reordered;
  for (const [verb, rest, build, only] of grammar) {
    if (!trimmed.startsWith(verb)) continue;
    const after = trimmed.slice(verb.length);
    if (only === 'spaced' && after !== '' && !afterVerb.test(after)) continue;
    if (only === 'numbered' && !numberAfter(trimmed, verb)) continue;
    if (only === 'apart' && !standsApart(after)) continue;
    const tail = after.replace(afterVerb, '');
    const match = rest.exec(tail) ?? rest.exec(tail.replace(trailingPunctuation, ''));
    const command = match ? build(match) : null;
    if (command && !missingWords(command)) {
      return command;
    }
    return { kind: 'malformed', verb };
  }
  const stats = statsWritten.map((r) => r.exec(bare.replace(/[?？]+$/, ''))).find(Boolean);
  if (stats) return { kind: 'stats', args: stats.slice(1).filter(Boolean).join(' ') };
  const handed = numberFirstAssign.exec(trimmed) ?? numberFirstAssign.exec(bare);
  if (handed && !askedName.test(handed[2]!)) return { kind: 'assign', caseNumber: number(handed[1]), cadre: assignee(handed[2]), note: words(handed[3]) };
  const given = numberFirstGive.exec(bare);
  if (given && !askedName.test(given[2]!)) return { kind: 'assign', caseNumber: number(given[1]), cadre: given[2]!, note: '', loose: true };
  return null;
}

/**
 * What lianxin's own examples put where a cadre's words go — `回复 1001 内容`, `回复 1001 要转告群众的话`,
 * `办结 1001 办理说明`, `完成 101 说明`, `退单 1001 原因`, `督办 1001 要说的话`, `驳回延期 编号 原因`,
 * `代办 张大爷 东山村 内容`: copied as they stand, they are no words for anyone.
 */
const placeholders = new Set(['内容', '说明', '办理说明', '原因', '要转告群众的话', '要说的话', '编号']);

/**
 * Whether `words` are only the placeholders of an example, its note in brackets too, as 帮助 lists
 * it ("内容（转告群众）", "原因（如：下雨）", "编号 原因"), or only such a note when it is the example's
 * own ("接单 1001（几件一起接：接单 1001 1002）", "（如：下雨）"); "（明天上午到）", "（已和1001一起处理）" are a cadre's words.
 */
export function isPlaceholder(words: string): boolean {
  const note = /[（(][^（）()]*[）)][\s。.]*$/u;
  const bare = words.replace(note, '').replace(/[\s\p{P}]+$/u, '');
  if (bare === '') return /^[（(](?:如|例如|比如|几件一起接)[:：]/.test(words.trim());
  const parts = bare.split(/[\s\u3000,，、:：]+/).filter(Boolean);
  return parts.length > 0 && parts.every((part) => placeholders.has(part));
}

/** What copied placeholder words stood for: words for someone, a 办结's (完成's) note, a reason, a case number. */
export type PlaceholderFor = 'words' | 'note' | 'reason' | 'number';

/**
 * A command whose words are an example's placeholder ("回复 1001 内容", "办结 1001 办理说明"): the
 * words, the command without them (to write the real words after) and what they stood for, in
 * order ("驳回延期 编号 原因": the number and the reason); null for any other command.
 */
export function copiedPlaceholder(command: CadreCommand): { words: string; line: string; what: PlaceholderFor[] } | null {
  const [words, line, what] = forwardedWords(command) ?? [];
  if (!words || !isPlaceholder(words)) return null;
  const number = words.startsWith('编号');
  const more = words.replace(/^编号[\s\u3000]*/, '') !== '';
  return { words, line: line!, what: [...(number ? ['number' as const] : []), ...(more ? [what!] : [])] };
}

/** The words of a command that go to someone else (a resident, the holder, a head), and the command without them. */
function forwardedWords(c: CadreCommand): [words: string | undefined, line: string, what: PlaceholderFor] | null {
  switch (c.kind) {
    case 'accept':
      return [c.text, `接单 ${c.caseNumber}`, 'words'];
    case 'accept-waiting':
      return [c.text, '接单', 'words'];
    case 'accept-several':
      return [c.text, `接单 ${c.caseNumbers.join(' ')}`, 'words'];
    case 'assign-several':
      return [c.note, `派单 ${c.caseNumbers.join(' ')} ${c.cadre}`, 'words'];
    case 'reply':
      return [c.text, `回复 ${c.caseNumber}`, 'words'];
    case 'urge':
      return [c.text, `督办 ${c.caseNumber}`, 'words'];
    case 'assign':
      return [c.note, `派单 ${c.caseNumber} ${c.cadre}`, 'words'];
    case 'approve-extension':
      return [c.note, `同意延期 ${c.caseNumber}`, 'words'];
    case 'decide-waiting-extension':
      return [c.text, c.approve ? '同意延期' : '驳回延期', c.approve ? 'words' : 'reason'];
    case 'resolve':
      return [c.note, `办结 ${c.caseNumber}`, 'note'];
    case 'on-several':
      return [c.text, `${c.verb === 'reply' ? '回复' : '办结'} ${c.caseNumbers.join(' ')}`, c.verb === 'reply' ? 'words' : 'note'];
    case 'complete-booking':
      return [c.note, `完成 ${c.bookingNumber}`, 'note'];
    case 'transfer':
      // "转派 1001 部门 原因": the department's name is missing too; the list of names answers that first.
      return c.department === '部门' ? null : [c.reason, `转派 ${c.caseNumber} ${c.department}`, 'reason'];
    case 'send-back':
      return [c.reason, `退单 ${c.caseNumber}`, 'reason'];
    case 'extend':
      return [c.reason, `延期 ${c.caseNumber} ${c.days}`, 'reason'];
    case 'reject-extension':
      return [c.reason, `驳回延期 ${c.caseNumber}`, 'reason'];
    case 'move-booking':
      return [c.reason, `改约 ${c.bookingNumber}`, 'reason'];
    case 'booking-words':
      return [c.text, `预约 ${c.bookingNumber}`, 'words'];
    default:
      return null;
  }
}

/** A command whose words are the point, sent without them ("回复 1001", "代办 张大爷 。"). */
function missingWords(command: CadreCommand): boolean {
  return (
    ((command.kind === 'reply' || command.kind === 'file-for' || command.kind === 'booking-words') && !command.text) ||
    (command.kind === 'send-back' && !command.reason)
  );
}
