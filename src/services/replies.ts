/**
 * Everything residents and cadres read, in one place: short, polite, plain Chinese.
 * Functions take plain values and return text; no decisions are made here.
 */
import { DateTime } from 'luxon';
import type { DepartmentConfig, VillageConfig } from '../config/schema.js';
import type { PlaceholderFor } from '../domain/commands.js';
import { leadingCharacters } from '../domain/text.js';

/** Longest text quoted into a notification; the full text stays in the case. */
const quoteLimit = 500;

export function formatTime(at: Date, timezone: string): string {
  return DateTime.fromJSDate(at, { zone: timezone }).toFormat('M月d日 HH:mm');
}

/** The township's day of `at`: "12月1日". */
export function formatDay(at: Date, timezone: string): string {
  return DateTime.fromJSDate(at, { zone: timezone }).toFormat('M月d日');
}

/**
 * A time in a case's line of a list: "12:00" when it is on the day of `now` and of `readsAt` (a
 * list held for the end of the quiet hours may be read then, or at once by a cadre who is up),
 * else as `formatTime` has it, with its date.
 */
export function formatTimeInLine(at: Date, now: Date, timezone: string, readsAt: Date = now): string {
  const local = DateTime.fromJSDate(at, { zone: timezone });
  const onDayOf = (day: Date) => local.hasSame(DateTime.fromJSDate(day, { zone: timezone }), 'day');
  return onDayOf(now) && onDayOf(readsAt) ? local.toFormat('HH:mm') : formatTime(at, timezone);
}

/** "2026-12-07" → "12月7日". */
function monthDay(date: string): string {
  return DateTime.fromISO(date).toFormat('M月d日');
}

/** A note or comment in a line of its own: at most 30 characters, no full stop or comma at its end. */
function brief(text: string): string {
  return excerpt(text.replace(/[\s。.，,；;、~～…]+$/u, ''), 30);
}

/** A case's matter in a list, a cadre's words in a hint: on one line, its first `length` characters. */
export function excerpt(text: string, length: number): string {
  const line = text.replace(/\s+/g, ' ');
  if (line.length <= length) return line;
  const { head, more } = leadingCharacters(line, length);
  // Not half a "[图片]".
  return more ? `${head.replace(/\s*\[[^\]]*$/, '')}……` : line;
}

/**
 * At most {@link quoteLimit} characters as she sees them (see {@link leadingCharacters}), and how
 * long the whole is (in code points: counting clusters is slow on a long text).
 */
export function quote(text: string): string {
  if (text.length <= quoteLimit) return text;
  const { head, more } = leadingCharacters(text, quoteLimit);
  return more ? `${head}……（全文共 ${[...text].length} 字）` : text;
}

export const numbered = (lines: string[]) => lines.map((line, i) => `${i + 1} ${line}`).join('\n');

/** Before 预计 … on a day off: "今天是周末，", "正值国庆节假期，", "正值假期，". */
const restDayLead = (restDay: string) => (restDay === '周末' ? '今天是周末，' : `正值${restDay === '假期' ? '' : restDay}假期，`);

/** The department menu's lines, and 0 for the office. */
const departmentChoices = (menu: readonly DepartmentConfig[]) =>
  `${numbered(menu.map((d) => (d.description ? `${d.name}（${d.description}）` : d.name)))}\n0 不清楚，请办公室帮我转`;

/**
 * How to answer the rating question. `relayed`: the name of a resident without WeChat, whose
 * cadre asks and sends the answer (代办).
 */
const ratingAnswers = (relayed: string) => `代办 ${relayed} 1（满意）、2（基本满意）或 3（不满意）`;
/** After a case done or all her cases done: how to say a matter is not over. */
const noneOpenHint = `如果还没办好，请直接说说情况，我们会转给负责的同志。`;

const ratingQuestion = (relayed: string | null) =>
  relayed
    ? `请问${relayed}是否满意，然后发：${ratingAnswers(relayed)}，可附意见。`
    : `请您评价：回复 1 满意，2 基本满意，3 不满意（可附上意见）。`;

/** Cases a cadre picks from by number, one a line: "#1001 王大妈：我家秧苗发黄…". */
export const caseChoices = (cases: readonly { number: number; resident: string; text: string }[]) =>
  cases.map((c) => `#${c.number} ${c.resident}：${excerpt(c.text, 12)}`).join('\n');

/** The line telling whoever gave a case on at night when its new holder reads it; '' by day. */
const quietNote = (holder: string, readsAt: string | null) => (readsAt ? `\n现为夜间免打扰时段，${holder}将于 ${readsAt} 收到。` : '');

/** The line telling whoever gave a case on that its new holder sees nothing until they bind a WeChat; the office makes the codes. */
const unboundNote = (holder: string, office: boolean) =>
  `\n${holder}还没有绑定微信，暂时收不到派单。${office ? `生成绑定码请发：绑定码 ${holder}` : '请联系办公室发绑定码。'}`;

/**
 * "11月26日 11:00 前接单，11月26日 15:00 前回复群众，…前办结"; "尽快…（原时限已过）" for a limit
 * passed. `acceptWithReply`: the reply is due first, so "…前接单并回复群众".
 */
function limitsLine(acceptBy: string | null, respondBy: string | null, resolveBy: string | null, acceptWithReply: boolean, taking = false): string {
  const limits: [string | null, string][] = taking
    ? [[respondBy, '回复群众'], [resolveBy, '办结']]
    : acceptWithReply
      ? [[respondBy, '接单并回复群众'], [resolveBy, '办结']]
      : [[acceptBy, '接单'], [respondBy, '回复群众'], [resolveBy, '办结']];
  return limits.map(([by, what]) => (by ? `${by} 前${what}` : `尽快${what}（原时限已过）`)).join('，');
}

/** For a resident who speaks rather than types, at the village question: the next voice reaches a person. */
const voiceVillageHint = '不方便打字的话，发语音说村名也行，办公室的同志会听。';

/** How a case's village reads while the resident has not said it (see `unknownVillageId`). */
export const unknownVillageName = '（村未知）';

/** How a 延期 request put to a head or the office begins: the numberless 同意延期 finds it by this. */
export const extensionRequestTag = '【延期申请】';

/** How a resident's words or photo passed on to the holder begin: 【#1001 群众补充】. */
const followUpLabel = '群众补充';
const followUpTag = (number: number) => `【#${number} ${followUpLabel}】`;

/** Whether a quoted message of lianxin's is a resident's words or photo passed on to the holder (a quote of it answers the resident). */
export function isFollowUpNotice(quoted: string): boolean {
  return new RegExp(`^【#\\d+ ${followUpLabel}】`).test(quoted);
}

/** Who urged the case a quoted 【督办】 notice is about ("【督办】#1001 彭德明请您抓紧办理。" → 彭德明); null for other messages. */
export function urgedBy(quoted: string): string | null {
  return /^【督办】#\d+ (\S+?)请您抓紧办理/.exec(quoted)?.[1] ?? null;
}

export const replies = {
  /**
   * `greeted`: the first message was only a greeting, so there is no matter yet to say was kept.
   * `voice`: it was a voice message; a second one goes to the office, who listen.
   */
  askVillage: (township: string, villages: readonly VillageConfig[], greeted = false, voice = false) =>
    `您好！这里是${township}“连心”服务号${greeted ? '。' : '，您的事我们记下了。'}\n` +
    `请先告诉我们您是哪个村（社区）的，回复数字或名称：\n${numbered(villages.map((v) => v.name))}` +
    (voice ? `\n${voiceVillageHint}` : ''),

  /** "你是谁" while the village is asked; without `villages`, no menu: it was sent just above. */
  whoWeAreAskVillage: (township: string, villages: readonly VillageConfig[]) =>
    `这里是${township}“连心”服务号，有事可以在这里说，我们会转给负责的同志。请先告诉我们您是哪个村（社区）的，回复村名前面的数字，如 1。` +
    (villages.length ? `\n${numbered(villages.map((v) => v.name))}` : ''),
  whoWeAreAskDepartment: (township: string) =>
    `这里是${township}“连心”服务号，您说的事我们会转给负责的同志。请回复上面部门前面的数字；不清楚就回复 0。`,
  whoWeAre: (township: string) =>
    `这里是${township}“连心”服务号。有什么事请直接说，打字、发语音或照片都可以，我们会转给负责的同志。`,

  /** Without `villages`, no menu: it was sent just above. `voice`: the message was one (see askVillage). */
  reaskVillage: (villages: readonly VillageConfig[], voice = false) =>
    `您说的我们都记下了。还不知道您是哪个村（社区）的，请回复村名前面的数字，如 1。` +
    (voice ? voiceVillageHint : '') +
    (villages.length ? `\n${numbered(villages.map((v) => v.name))}` : ''),

  /** Thanks, a nod or a greeting at the village question: the question, without the menu sent just above. */
  /** Thanks, a nod or a greeting at the village question. */
  villageNudge: (said: 'thanks' | 'nod' | 'greeting') =>
    `${{ thanks: '不客气！', nod: '好的。', greeting: '您好！' }[said]}请先告诉我们您是哪个村（社区）的，回复上面村名前面的数字就行，如 1。`,

  /**
   * A second voice message at the village question: whoever cannot type is not made to. The
   * office listens (the acknowledgement follows).
   */
  voiceToOffice: () => `不方便打字也没关系，您的语音已转给办公室的同志，他们听了会联系您。`,
  /** A second voice message in a row at a booking's question, no case open: the booking ends, the office listens. */
  voiceLeftBooking: () => `不方便打字也没关系，这次预约先不办了。您的语音已转给办公室的同志，他们听了会联系您。`,
  /** A village question nobody answered for `departmentMenuMinutes`: the office takes the matter (the acknowledgement follows). */
  villageQuestionClosed: () => `还不知道您是哪个村（社区）的，您说的事我们已请办公室的同志帮您转，他们会联系您。`,

  /** `other`: another village's name, for the example of how to correct it. */
  villageRegistered: (village: VillageConfig, other: string) => `好的，已登记您是${village.name}的。不对的话，请告诉我们，如“我是${other}的”。`,
  villageChanged: (village: VillageConfig) => `好的，已改为${village.name}。以后您反映的事，会转给负责${village.name}的同志。`,
  villageAlready: (village: VillageConfig) => `您登记的就是${village.name}。有事请直接留言。`,

  askDepartment: (menu: readonly DepartmentConfig[]) => `请问这件事找哪个部门？回复数字：\n${departmentChoices(menu)}`,
  /** "还没修好" after her case was done: that case's department is the menu's first line. */
  askDepartmentAfterDone: (earlier: { number: number; text: string; department: string }, menu: readonly DepartmentConfig[]) =>
    `您说的是 #${earlier.number}（${excerpt(earlier.text, 12)}）这件事吗？是的话回复 1，交给${earlier.department}；不是的话请回复下面部门前面的数字：\n${departmentChoices(menu)}`,
  /** A photo (a file…) with no words yet: what it is about comes first, the menu is there too. */
  askWhatMediaShows: (what: string, menu: readonly DepartmentConfig[]) =>
    `收到您的${what}。请说说是什么事，打字或发语音都行；也可以回复数字选部门：\n${departmentChoices(menu)}`,
  reaskDepartment: (menu: readonly DepartmentConfig[]) => `没看懂您的选择。请回复部门前面的数字；不清楚就回复 0：\n${departmentChoices(menu)}`,
  /** The menu of a matter she told, asked again after a booking question came in front of it. */
  menuAgain: (matter: string, menu: readonly DepartmentConfig[]) =>
    `还有您刚才说的“${excerpt(matter, 20)}”，请问这件事找哪个部门？回复数字：\n${departmentChoices(menu)}`,

  /** A late menu answer as the office reads it: "5（部门菜单第 5 项：财政所）". */
  menuChoice: (text: string, number: number, department: string) => `${text}（部门菜单第 ${number} 项：${department}）`,
  /** The same for the village menu: "7（村菜单第 7 项：东台村）". */
  villageMenuChoice: (text: string, number: number, village: string) => `${text}（村菜单第 ${number} 项：${village}）`,
  /** A department menu nobody answered: the office takes the matter (the acknowledgement follows). */
  menuClosed: () => `您还没有选部门，我们已请办公室帮您转给负责的同志。`,
  /** "算了" at the department menu: the list is gone, the matter is not (the acknowledgement follows). */
  menuLeft: (matter: string) => `好的，不用选了。您说的“${excerpt(matter, 20)}”已请办公室帮您转给负责的同志。`,
  wordsKeptAskDepartment: () => `您说的已记下。请回复上面部门前面的数字；不清楚就回复 0。`,
  mediaKeptAskDepartment: (what: string) => `收到${what}，已一并记下。请回复上面部门前面的数字；不清楚就回复 0。`,

  /** The flood limit: what she sends in the rest of the minute is recorded, and read by nobody. */
  slowDown: () => `您一分钟内发了很多条消息，请稍等一分钟再发，谢谢！这期间发的消息不会转给工作人员。`,

  /** A message lianxin failed on again and again (see UnhandledMessages), and could not even pass to the office. */
  notHandled: () => `抱歉，这条消息我们没能处理好，请稍后再发一次；急事请直接打电话到镇办公室。`,
  /** The same to a cadre: a command sent again fails again; said another way, or by phone. */
  notHandledForCadre: () => `抱歉，这条消息没能处理，已记下。请换个说法再发，急事请打电话给办公室。`,
  emptyMessage: () => `您好，这条消息是空的。请直接打字或发语音，说说您要反映的事情。`,

  /**
   * `relayed`: to a resident without WeChat, whose cadre is told how to answer instead.
   * `bookable`: the resident asked for a visit; `home` when one can be booked, `station` when only services at the station can.
   */
  caseAcknowledged: (p: {
    number: number; department: string; cadre: string; title: string; contactBy: string; relayed: boolean; bookable: 'home' | 'station' | null;
    /** Written on a day off with the answer on a later day: "国庆节", "假期", "周末" (why it is days away). */
    restDay?: string | null;
    /** Written in the quiet hours: when the holder sees it (see night-replies.ts). */
    night?: string | null;
  }) =>
    `已受理，编号 #${p.number}。\n由${p.department}${p.cadre}${p.title ? `（${p.title}）` : ''}负责，` +
    (p.restDay ? restDayLead(p.restDay) : '') +
    `预计 ${p.contactBy} 前联系您。${p.night ? `\n${p.night}` : ''}${p.relayed ? '' : '\n有补充请直接留言。'}` +
    (p.bookable === 'home' ? '\n如需预约上门服务，可发“预约”。' : p.bookable === 'station' ? '\n如需预约时间到站所办理，可发“预约”。' : ''),

  /** Before the acknowledgements of the matters one message told ("路灯坏了，还有低保的事"). */
  mattersSeparated: (count: number) => `您说了${['两', '三', '四', '五'][count - 2] ?? count}件事，我们分开登记了：`,
  /** A case as its resident reads it in 查询: "#1001 秧苗发黄是不是病虫害\n  农技站贺建军 · 等待处理". */
  residentCaseLine: (p: { number: number; text: string; department: string; holder: string; status: keyof typeof residentStatusNames }) =>
    `#${p.number} ${excerpt(p.text, 12)}\n  ${p.department}${p.holder} · ${residentStatusNames[p.status]}`,
  /**
   * "咋样了" with a case open: its 查询 line, by when the holder will contact her while they have not
   * answered, and that they were told she asked. `more`: other cases of hers are open (查询 lists them).
   * `night`: in the quiet hours, when they see that she asked, in the place of "已提醒".
   */
  progressForResident: (p: { line: string; contactBy: string | null; cadre: string; more: boolean; night?: string | null }) =>
    `${p.line}\n${p.contactBy ? `预计 ${p.contactBy} 前联系您。` : ''}${p.night ?? `已提醒${p.cadre}尽快回复您。`}${p.more ? '\n您的全部事项请发“查询”。' : ''}`,
  /** The holder reads her progress question as words marked as one. */
  progressAsked: (text: string) => `${text}（在问进度）`,

  /**
   * `contactBy`: while the holder has not answered yet, by when they will, when that is news to her.
   * `night`: in the quiet hours, when the holder sees it.
   */
  followUpForwarded: (p: { number: number; cadre: string; contactBy: string | null; night?: string | null }) =>
    `收到，已转给负责 #${p.number} 的${p.cadre}。${p.contactBy ? `预计 ${p.contactBy} 前联系您。` : ''}${p.night ?? ''}`,

  cadreNewCase: (p: {
    number: number;
    village: string;
    department: string;
    urgent: boolean;
    resident: string;
    text: string;
    receivedAt: string;
    /** Each limit as a time, or null when it has already passed (an escalated case keeps its accept limit). */
    acceptBy: string | null;
    respondBy: string | null;
    /** The reply is due before the acceptance (a case given anew keeps its reply limit): one time for both. */
    acceptWithReply: boolean;
    resolveBy: string | null;
    note: string | null;
    /** An office dispatcher, or a head with nobody on duty: placing the matter with 派单 comes first. */
    dispatcher: boolean;
    /** The holder is taking it with the 接单 this answers (a head taking a cadre's case over): nothing to accept. */
    taking?: boolean;
  }) =>
    `【新案件 #${p.number}】${p.urgent ? '【紧急】' : ''}${p.village} · ${p.department}\n` +
    (p.note ? `${p.note}\n` : '') +
    `群众：${p.resident}\n内容：${quote(p.text)}\n收到：${p.receivedAt}\n` +
    `时限：${limitsLine(p.acceptWithReply ? null : p.acceptBy, p.respondBy, p.resolveBy, p.acceptWithReply, p.taking)}。` +
    (p.taking ? '' : p.dispatcher ? `\n派单请发：派单 ${p.number} 干部姓名或部门；自己办理请发：接单 ${p.number}` : `\n接单请发：接单 ${p.number}`),

  /** `quoted`: the earlier message the resident's reply quotes (WeChat's 引用), shown cut short. */
  cadreFollowUp: (p: { number: number; village: string; resident: string; text: string; quoted?: string | null }) =>
    `${followUpTag(p.number)}${p.village} ${p.resident}：${quote(p.text)}` +
    (p.quoted ? `\n（引用：${excerpt(p.quoted, 30)}）` : ''),

  cadreMediaFollows: (p: { number: number; village: string; resident: string; what: string }) =>
    `${followUpTag(p.number)}${p.village} ${p.resident}发来${p.what}，见下条。`,

  notesForCadre: {
    unclear: '（群众不清楚该找哪个部门，请办公室分派）',
    unhandled: '（系统没能自动处理这条消息，请办公室看后分派）',
    backup: '（值班干部不在岗，由您作为备岗接手）',
    head: '（值班和备岗干部都不在岗，由您安排：自己办理，或派给其他同志）',
    office: '（该部门此时无人在岗，请办公室安排）',
    villageCorrected: '（群众更正了所在村，案件改由本村负责）',
  },
  /** The same department's matter of hers, done (办结) not long ago: maybe it was not put right. */
  earlierMatterNote: (p: { number: number; text: string; day: string; cadre: string }) =>
    `（此前同类事项 #${p.number}（${excerpt(p.text, 12)}）${p.day} ${p.cadre ? `由${p.cadre}` : ''}办结，请留意是否没解决好）`,
  /** A matter whose resident never said the village: the office finds out, then places it. */
  villageUnknownNote: (number: number) => `（群众还没说是哪个村的：请听留言或回电问清，发“定村 ${number} 村名”，再派单）`,

  relayNote: (cadre: string) => `（群众没有微信，由${cadre}代办，回复会由他转告）`,

  caseReassigned: (p: { number: number; department: string; cadre: string; title: string }) =>
    `您的事项 #${p.number} 现由${p.department}${p.cadre}${p.title ? `（${p.title}）` : ''}负责。`,

  // ── Cadre commands ──────────────────────────────────────────────
  /** `village`: one the cadre covers, for the 代办 example (see {@link exampleVillage}). */
  cadreHelp: (supervisor: boolean, village: string) =>
    `干部指令（编号前的 # 可省略）：\n` +
    `接单 1001\n回复 1001 内容（转告群众）\n办结 1001 办理说明（可随后发现场照片）\n撤销办结 1001（办结发错时用，群众评价前可撤回）\n` +
    `转派 1001 部门 原因\n退单 1001 原因\n延期 1001 天数 原因\n任务（我手上的事项）\n` +
    `今日预约 / 明日预约\n预约 101 内容（转告预约的群众，也可引用预约通知直接写）\n完成 101 说明（预约办完）\n未到 101（群众没来）\n改约 101 原因（去不了，请群众另约时间）\n代办 张大爷 ${village} 内容（替没有微信的群众反映）\n请假 今天 / 请假 今天到周五 原因\n销假（提前回来）` +
    (supervisor ? `\n统计 / 统计 上月 / 统计 2026-10 / 统计 部门\n派单 1001 干部姓名或部门\n定村 1001 村名（群众没说是哪个村时）\n超时（超时案件）\n1001怎么样了（案件进展）\n督办 1001\n同意延期 1001 / 驳回延期 1001 原因\n请假 干部姓名 日期 / 销假 干部姓名（本部门同志）\n绑定码 干部姓名（办公室）` : ''),
  /** A command sent with an example's placeholder for its words ("回复 1001 内容"): nothing went; where to write the real ones. */
  placeholderCopied: (p: { words: string; line: string; what: readonly PlaceholderFor[] }) =>
    `“${brief(p.words)}”是示例里的字，这条没有发出。请在“${p.line}”后面写上${p.what.map((w) => placeholderNames[w]).join('和')}再发。`,
  /** `village`: for 代办's example, one the cadre covers (see {@link exampleVillage}). */
  malformed: (verb: string, village = '村名') =>
    `“${verb}”的写法：${fileForVerbs.has(verb) ? fileForExample(village) : (commandExamples[verb] ?? spokenExample(verb) ?? verb)}\n发“帮助”查看全部指令。`,
  /** Anything not understood: the few commands used every day, short enough to read in the field; the rest under 帮助. */
  /** Words that are no command; `supervisor` (a head, the office) reads his everyday commands instead of a cadre's. */
  unknownCommand: (supervisor = false) =>
    `没有看懂这条指令。常用的有：\n` +
    (supervisor
      ? `超时（超时案件）\n督办 1001 要说的话\n派单 1001 干部姓名\n1001怎么样了（案件进展）\n`
      : `接单 1001\n回复 1001 要转告群众的话\n办结 1001 办理说明\n任务（我手上的事项）\n`) +
    `全部指令请发“帮助”。`,
  /** "1001让小易去看一下": 派单 said in words; nothing went. */
  sendCadreHow: (p: { number: number; name: string }) => `这条没有发出。要交给${p.name}办理，请发：派单 ${p.number} ${p.name}`,
  /** "让小易去看一下" with no case named. */
  sendCadreWhich: (name: string) => `要把哪一件交给${name}？请发：派单 编号 ${name}，如：派单 1001 ${name}`,
  /** A head's or the office's words quoting a case someone else holds: for the holder, or the resident? */
  quotedWordsNotSent: (p: { number: number; text: string }) =>
    `这条没有发出。督促办理请发：督办 ${p.number} ${excerpt(p.text, 30)}\n转告群众请发：回复 ${p.number} ${excerpt(p.text, 30)}`,
  /** Plain words from a cadre who just acted on a case: they were meant for its resident, most likely. */
  wordsNotSent: (p: { number: number; text: string }) =>
    `这条没有转给群众。要转告 #${p.number} 的群众，请发：\n回复 ${p.number} ${excerpt(p.text, 30)}\n发“帮助”查看全部指令。`,
  /** Plain words from a cadre while residents of several of his cases wrote (or one, after he acted on another). */
  wordsWhichCase: (p: { text: string; cases: readonly { number: number; resident: string; text: string }[] }) =>
    `这条没有转给群众，是回谁的？\n` +
    caseChoices(p.cases) +
    `\n请发“回复 编号 内容”，如：回复 ${p.cases[0]!.number} ${excerpt(p.text, 30)}`,
  /**
   * Plain words ("收到，明天上午过去") from a cadre with cases waiting for acceptance and nothing else
   * in front of him: an answer to the 【新案件】, most likely. The line that takes it and sends them.
   */
  acceptWithWords: (p: { text: string; cases: readonly { number: number; resident: string; text: string }[] }) =>
    p.cases.length === 1
      ? `这条没有转给群众：#${p.cases[0]!.number}（${p.cases[0]!.resident}）还没有接单。接单并转告群众请发：\n接单 ${p.cases[0]!.number} ${excerpt(p.text, 30)}`
      : `这条没有转给群众。您有 ${p.cases.length} 件还没有接单：\n` +
        caseChoices(p.cases) +
        `\n接单并转告群众请发“接单 编号 内容”，如：\n接单 ${p.cases[0]!.number} ${excerpt(p.text, 30)}`,
  /** Plain words from a cadre who files for a resident without WeChat: most likely that resident's. */
  relayedWordsNotSent: (p: { resident: string; text: string }) =>
    `这条没有转出。如果是${p.resident}的话，请发：\n代办 ${p.resident} ${excerpt(p.text, 30)}\n发“帮助”查看全部指令。`,
  bound: (name: string) => `绑定成功，${name}同志。今后派给您的事项会发到这里。发“帮助”查看指令。`,
  /** `rebound`: the cadre had another WeChat bound (a new phone), which gets nothing from now on. */
  boundForOffice: (p: { cadre: string; title: string; rebound: boolean }) =>
    `【绑定】${p.cadre}${p.title ? `（${p.title}）` : ''}` +
    (p.rebound ? `已换用新微信，今后派单都发到新微信，原来的微信不再收到。` : `已绑定微信，从现在起能收到派单了。`),
  badBindCode: () => `绑定码无效或已过期，请向办公室重新索取。`,
  noSuchCase: (number: number) => `没有找到 #${number}，请核对编号。`,
  notYours: (number: number) => `#${number} 不由您负责，不能办理。如需调整，请联系部门负责人或办公室。`,
  supervisorsOnly: () => `这条指令只有部门负责人和办公室可以使用。`,
  officeOnly: () => `这条指令只有办公室可以使用。`,
  /** `bound`: the cadre has a WeChat bound already (a new phone, most likely): the code moves him to the one that sends it. */
  bindCodeIssued: (p: { cadre: string; code: string; until: string; bound: boolean }) =>
    `${p.cadre}的绑定码：${p.code}（${p.until} 前有效，只能用一次）。\n请${p.cadre}用自己的微信给本号发送：绑定 ${p.code}` +
    (p.bound ? `\n${p.cadre}已经绑定过微信：用哪个微信发，今后派单就发到哪个微信，原来的不再收到。` : ''),
  caseIsDone: (number: number) => `#${number} 已办结，无需再办理。`,
  accepted: (p: { number: number; resident: string }) => `已接单 #${p.number}${p.resident ? `（${p.resident}）` : ''}。转告群众请发：回复 ${p.number} 内容`,
  alreadyAccepted: (number: number) => `#${number} 您已接单。`,
  /**
   * A head's or the office's 接单 of a case its holder has accepted already: nothing changes (派单 moves
   * it); words written after the number did not go either.
   */
  acceptedByHolder: (p: { number: number; holder: string; self: string; text: string | undefined }) =>
    `#${p.number} ${p.holder}已接单在办，这次没有改派。要改由您自己办理，请发：派单 ${p.number} ${p.self}` +
    (p.text ? `\n转告群众请发：回复 ${p.number} ${excerpt(p.text, 30)}` : ''),
  /**
   * `接单 1001 1002`: what was taken, and each number that was not, with why; `told`: the cases whose
   * residents got the words written after the numbers.
   */
  acceptedSeveral: (p: {
    taken: readonly { number: number; resident: string }[];
    skipped: readonly { number: number; why: 'missing' | 'not-yours' | 'moved' | 'accepted' | 'done'; holder?: string | undefined }[];
    told?: readonly number[];
  }) =>
    [
      p.taken.length > 0 ? `已接单 ${p.taken.map((c) => `#${c.number}${c.resident ? `（${c.resident}）` : ''}`).join('、')}。` : '',
      p.told?.length ? `已转告 ${p.told.map((n) => `#${n}`).join('、')} 的群众。` : '',
      p.skipped.length > 0
        ? `${p.taken.length > 0 || p.told?.length ? '未接' : '都没有接'}：${p.skipped.map((c) => `#${c.number} ${c.why === 'moved' ? `已改由${c.holder}负责，您无需再办理` : skippedNames[c.why]}`).join('；')}。`
        : '',
      p.taken.length > 0 && !p.told?.length ? `转告群众请发：回复 ${p.taken.length === 1 ? p.taken[0]!.number : '编号'} 内容` : '',
    ].filter(Boolean).join('\n'),
  /** `holder`: the case's holder, when someone else answered the resident; he is told too. */
  replySent: (p: { number: number; resident: string; holder?: string | undefined }) =>
    `已转告 #${p.number} 的群众${p.resident}${p.holder ? `，办理人${p.holder}也会收到这条` : ''}。`,
  /** A head's 回复 whose words call the case's holder by name: not sent to the resident. */
  wordsForHolder: (p: { number: number; holder: string; text: string }) =>
    `这条没有转给群众，看起来是对${p.holder}说的。\n要督促${p.holder}请发：督办 ${p.number} ${excerpt(p.text, 30)}\n如果是对群众说的，请去掉称呼后再发“回复 ${p.number} 内容”。`,
  /** To the holder: a head or the office answered his resident. */
  repliedByOther: (p: { number: number; by: string; resident: string; text: string }) =>
    `【#${p.number}】${p.by}已回复群众${p.resident}：${quote(p.text)}`,
  /** After 回复 or 办结: a photo sent before, whose case was unclear, still waits for its number. */
  mediaStillHeld: (p: { what: string; number: number }) => `\n您刚才发的${p.what}还没有转出，是给这位群众的请发：${p.number}`,
  acceptedAndSent: (p: { number: number; resident: string }) => `已接单 #${p.number}${p.resident ? `（${p.resident}）` : ''}，并已转告群众。`,
  /**
   * `held`: the resident is answering another question; the rating is asked after it.
   * `by-others`: a resident without WeChat whose messages go to this very cadre.
   */
  resolvedForCadre: (p: { number: number; resident: string; rating: 'asked' | 'held' | 'by-others'; inList?: boolean }) =>
    p.rating === 'by-others'
      ? `已办结 #${p.number}（${p.resident}）。您是办理人，评价请其他同志问${p.resident}后发：代办 ${p.resident} 1、2 或 3。`
      : `已办结 #${p.number}${p.resident ? `（${p.resident}）` : ''}，${p.rating === 'asked' ? '已请群众评价' : '群众正在回答另一个问题，答完后再请其评价'}。` +
        // One of several closed by one message: which case a photo after it is for is asked then.
        `${p.inList ? '' : '有现场照片可直接发来，会转给群众。'}误发了请发：撤销办结 ${p.number}`,
  /** A 办结's note sent after it ("办结 1001" then "办结 1001 已指导打药"). */
  resolutionNoteSent: (p: { number: number; resident: string }) => `已把办结说明转告 #${p.number} 的群众${p.resident}。`,
  resolveUndone: (p: { number: number; resident: string }) => `已撤销 #${p.number}（${p.resident}）的办结，案件回到办理中。`,
  /** Too late (rated, or closed without an answer), or not resolved at all. */
  cannotUndoResolve: (p: { number: number; why: 'rated' | 'closed' | 'open' }) =>
    p.why === 'open'
      ? `#${p.number} 还没有办结。`
      : `#${p.number} ${p.why === 'rated' ? '群众已评价' : '已结案'}，不能再撤销办结。如需处理请联系办公室。`,
  resolveUndoneForResident: (number: number) => `抱歉，刚才 #${number} 的办结通知发错了，这件事还在办理中，暂时不用评价。`,
  /** What lianxin says to a resident without WeChat, as the cadre who passes it on reads it. */
  relayed: (resident: string, text: string) => `【代办·${resident}】请转告：\n${text}\n（${resident}的回话请发：代办 ${resident} 内容）`,
  fileForVillage: (village: string) => `请写明是哪个村的，村名后空一格再写事情，例如：${fileForExample(village)}`,
  /** The resident without WeChat is now reached through another cadre (who filed for them last). */
  relayMoved: (p: { resident: string; village: string; cadre: string }) =>
    `今后给${p.village}${p.resident}的话改由${p.cadre}转告，不再发给您。`,
  /** A cadre may not pass on the rating of a case they held. */
  relayOwnCase: (number: number) => `#${number} 是您办理的，评价不能由您转达，请其他同志问后再发。`,
  mediaForwarded: (p: { number: number; resident: string }) => `已转给 #${p.number} 的群众${p.resident}。`,
  /** A photo or voice whose file WeChat no longer gives out. */
  mediaNotForwarded: (label: string) => `${label}（没能转过来，需要的话请让对方再发一次）`,
  mediaWithoutCase: () => `这条没有转给群众：不清楚是哪个案件的。请先发“回复 编号 内容”或“办结 编号 说明”，再发照片或语音。`,
  /**
   * A photo or voice from a cadre when which case it is for is unclear: it waits for the number.
   * `what` as `mediaKinds` names it (a run of several waits); 发编号, as "回复 1001" is 回复 written wrongly.
   */
  mediaWhichCase: (p: { what: string; cases: readonly { number: number; resident: string; text: string }[] }) =>
    `${p.what}还没有转出，是给哪位群众的？\n` +
    caseChoices(p.cases) +
    `\n请发编号，如：${p.cases[0]!.number}`,
  /**
   * Held photos or voices (`what`: 图片, 图片和语音) whose case number never came within
   * `photoFollowsMinutes`: not sent; `at`: when the first was. To send them: act on the case, then send again.
   */
  mediaLapsed: (p: { what: string; at: string }) =>
    `您 ${p.at} 发的${p.what}，因为没收到编号，还没有转给群众。要转的话，请先发“回复 编号 内容”，再把${p.what}重发一次。`,
  /**
   * Where a case stands ("1003怎么样了", or a head's bare number): `head` is its 任务 line, then who
   * holds it, the last word to the resident, a 延期 waiting, and what the asker may send about it.
   */
  caseStatus: (p: {
    number: number;
    head: string;
    holder: string;
    acceptedAt: string | null;
    reply: { at: string; by: string; what: string } | null;
    resolved: { at: string; note: string; rating: string | null } | null;
    extension: { days: number; reason: string } | null;
    asker: 'holder' | 'supervisor' | null;
  }) =>
    [
      p.head,
      p.resolved
        ? `${p.holder} ${p.resolved.at} 办结${p.resolved.note ? `：${brief(p.resolved.note)}` : ''}` + (p.resolved.rating ? `\n群众评价：${p.resolved.rating}` : '')
        : `办理人：${p.holder}${p.acceptedAt ? `（${p.acceptedAt} 接单）` : '，还没接单'}`,
      p.resolved ? '' : p.reply ? `最近回复群众：${p.reply.at} ${p.reply.by}${p.reply.what}` : '还没回复过群众。',
      p.extension ? `延期申请待审批：${p.extension.days} 个工作日，${brief(p.extension.reason)}` : '',
      p.asker === 'holder'
        ? `转告群众请发“回复 ${p.number} 内容”，办完请发“办结 ${p.number} 说明”。`
        : p.asker === 'supervisor'
          ? `督办请发：督办 ${p.number} 要说的话；派单请发：派单 ${p.number} 干部姓名或部门`
          : '',
    ].filter(Boolean).join('\n'),
  /** A case number alone, with nothing waiting for it: how to act on the case. */
  caseNumberAlone: (p: { number: number; resident: string }) =>
    `#${p.number}（${p.resident}）：转告群众请发“回复 ${p.number} 内容”，办完请发“办结 ${p.number} 说明”。`,
  /** "办好了" without 办结: the line to send, for the case just acted on or each of the cadre's. */
  resolveHow: (p: { text: string; cases: readonly { number: number; resident: string; text: string }[] }) =>
    p.cases.length === 1
      ? `要办结 #${p.cases[0]!.number}（${p.cases[0]!.resident}）请发：\n办结 ${p.cases[0]!.number} ${p.text}\n只转告群众请发：回复 ${p.cases[0]!.number} ${p.text}`
      : `办结哪一件？\n` +
        caseChoices(p.cases) +
        `\n请发“办结 编号 说明”，如：办结 ${p.cases[0]!.number} ${p.text}`,
  noSuchDepartment: (name: string, departments: readonly string[]) => `没有找到“${name}”这个部门。现有部门：${departments.join('、')}`,
  sameDepartment: (number: number) => `#${number} 已在这个部门。`,
  /** `readsAt`: when the new holder gets it, at night (quiet hours). */
  /** `unbound`: the new holder has not linked a WeChat yet (see `assigned`). */
  transferred: (p: { number: number; department: string; cadre: string; readsAt: string | null; unbound: boolean; office: boolean }) =>
    `已将 #${p.number} 转派给${p.department}${p.cadre}。` + quietNote(p.cadre, p.readsAt) + (p.unbound ? unboundNote(p.cadre, p.office) : ''),
  transferNote: (p: { from: string; reason: string }) => `（由${p.from}转派${p.reason ? `：${p.reason}` : ''}）`,
  sendBackTooLate: (minutes: number) => `已超过退单时限（派单后 ${minutes} 分钟内可退单）。如需调整，请转派或联系部门负责人。`,
  sentBack: (number: number) => `#${number} 已退回办公室重新分派。`,
  sendBackNote: (p: { from: string; reason: string }) => `（${p.from}退单：${p.reason}，请办公室重新分派）`,
  extensionRequested: (number: number) => `已提交 #${number} 的延期申请，等待审批。`,
  extensionPending: (number: number) => `#${number} 已有延期申请在等审批。`,
  extensionForSupervisor: (p: { number: number; cadre: string; days: number; reason: string }) =>
    `${extensionRequestTag}#${p.number} ${p.cadre}申请延期 ${p.days} 个工作日：${p.reason}\n同意请回复“同意延期 ${p.number}”，不同意回复“驳回延期 ${p.number} 原因”。`,
  notOwnExtension: () => `自己的延期申请要由部门负责人或办公室审批。`,
  noExtensionRequest: (number: number) => `#${number} 没有待审批的延期申请。`,
  noExtensionRequests: () => `目前没有待审批的延期申请。`,
  /**
   * 同意延期 without a number while several requests wait (or 同意 with only older ones): which one.
   * `refusal`: the reason of a 不同意 asked, for the example.
   */
  extensionRequestsWaiting: (requests: readonly { number: number; cadre: string; days: number; reason: string }[], refusal?: string) =>
    `有 ${requests.length} 件延期申请在等审批：\n` +
    requests.map((r) => `#${r.number} ${r.cadre} ${r.days} 个工作日：${brief(r.reason)}`).join('\n') +
    `\n请发“同意延期 编号”或“驳回延期 编号 原因”，如：` +
    (refusal === undefined ? `同意延期 ${requests[0]!.number}` : `驳回延期 ${requests[0]!.number} ${brief(refusal) || '原因'}`),
  extensionApproved: (p: { number: number; days: number; resolveBy: string; note: string; by: string }) =>
    `#${p.number} 延期 ${p.days} 个工作日已同意，新的办结时限：${p.resolveBy}。${p.note ? `\n${p.by}：${p.note}` : ''}`,
  extensionRejected: (p: { number: number; reason: string }) => `#${p.number} 的延期申请未同意${p.reason ? `：${p.reason}` : ''}。`,
  decisionSent: (p: { number: number; approved: boolean; resolveBy: string }) =>
    p.approved ? `已同意 #${p.number} 延期，新的办结时限：${p.resolveBy}。` : `已驳回 #${p.number} 的延期申请。`,
  /** `departments`: a department's name would have done too (派单). */
  noSuchCadre: (name: string, departments: boolean) => `没有找到${departments ? '叫' : '干部'}“${name}”${departments ? '的干部或部门' : ''}，请核对名字。`,
  /** A name nobody has, close to one or a few: the command again with each (one line each, to copy). */
  didYouMean: (p: { typed: string; names: readonly string[]; lines: readonly string[] }) =>
    p.lines.length === 1
      ? `没有找到“${p.typed}”，您要找的是${p.names[0]}吗？是的话请发：\n${p.lines[0]}`
      : `没有找到“${p.typed}”，您要找的是${p.names.join('、')}中的哪个？请发对应的一行：\n${p.lines.join('\n')}`,
  /** Two cadres with the same name: their ids tell them apart. */
  sameNameCadres: (p: { name: string; ids: readonly string[]; line: (name: string) => string }) =>
    `叫“${p.name}”的干部有 ${p.ids.length} 位，请用干部编号：\n${p.ids.map(p.line).join('\n')}`,
  /** 绑定码 for a name not in cadres.yaml: a new colleague is added there first. */
  notACadreYet: (p: { name: string; line: string }) =>
    `干部名单里还没有“${p.name}”。新来的同志要先请系统管理员加进干部名单（cadres.yaml），重启后再发：${p.line}`,
  cadreOnLeave: (p: { cadre: string; from: string; to: string }) =>
    `${p.cadre}正在休假（${p.from === p.to ? monthDay(p.from) : `${monthDay(p.from)}至${monthDay(p.to)}`}），请派给其他同志。`,
  /**
   * `outside`: the case's village, when the holder does not cover it. `readsAt`: when the holder gets
   * it, at night (quiet hours). `unbound`: the holder has not linked a WeChat yet and sees nothing
   * until then; the office makes the codes.
   */
  assigned: (p: {
    number: number; cadre: string; holder: string; outside: string | null; readsAt: string | null; unbound: string | null; office: boolean;
  }) =>
    `已将 #${p.number} 派给${p.cadre}。` +
    (p.outside ? `\n提示：${p.outside}不在${p.holder}的包片范围内。` : '') +
    quietNote(p.holder, p.readsAt) +
    (p.unbound ? unboundNote(p.unbound, p.office) : ''),
  /** 派单 to a department of a case under review: who it was not given to again, and how to, all the same. */
  passedOver: (p: { number: number; cadres: readonly string[] }) =>
    p.cadres.length === 0
      ? ''
      : `\n群众对${p.cadres.join('、')}的办理两次不满意，这次没有再派给${p.cadres.length > 1 ? '他们' : '他'}。仍要派给${p.cadres.length > 1 ? '其中一位' : '他'}请发：派单 ${p.number} ${p.cadres[0]}`,
  /** 派单 to a department under review where only whom the resident was twice unhappy with could take it: nothing moved. */
  onlyPassedOver: (p: { number: number; department: string; cadres: readonly string[] }) =>
    `#${p.number} 没有派出：${p.department}现在只有${p.cadres.join('、')}能接，群众对${p.cadres.length > 1 ? '他们' : '他'}的办理两次不满意。` +
    `仍要派给${p.cadres.length > 1 ? '其中一位' : '他'}请发：派单 ${p.number} ${p.cadres[0]}`,
  /** 定村 done: the case (and the resident, when `residentTold`) now has its village. */
  villageSet: (p: { number: number; resident: string; village: string; residentTold: boolean; office: boolean }) =>
    `已将 #${p.number}（${p.resident}）定为${p.village}${p.residentTold ? '，并告诉了群众' : ''}。` +
    (p.office ? `\n派单请发：派单 ${p.number} 干部姓名或部门` : ''),
  /** 定村 on a case whose village is known: only the resident corrects it ("我是东台村的"). */
  villageAlreadySet: (p: { number: number; village: string }) =>
    `#${p.number} 已是${p.village}的，无需定村。村不对的话，请群众发“我是某某村的”更正。`,
  noSuchVillage: (name: string, villages: readonly string[]) => `没有找到“${name}”这个村（社区）。现有：${villages.join('、')}`,
  /** A resident without WeChat: the cadre who files for them names the village (代办). */
  villageOfRelayed: (number: number) => `#${number} 是代办的群众，村由代办的同志写明，这里不能改。`,
  /** 派单 or 转派 to a department needs the village: the roster is per village. */
  villageFirst: (number: number) => `#${number} 还不知道是哪个村的，没法按村找值班干部。请先问清后发：定村 ${number} 村名`,
  alreadyHolds: (p: { number: number; cadre: string }) => `#${p.number} 本来就由${p.cadre}负责，无需再派。`,
  assignNote: (by: string, note: string) => `（${by}派单${note ? `：${note}` : ''}）`,
  /**
   * `lapsed`: it went on because nobody accepted it within the accept limit. `wordsHeld`: he wrote words
   * for its resident (回复, 办结's note) as it went: they did not go.
   */
  movedAway: (p: { number: number; cadre: string; lapsed: boolean; wordsHeld?: boolean }) =>
    `${p.wordsHeld ? '这条没有转给群众。' : ''}#${p.number} ${p.lapsed ? '超过接单时限，' : ''}已改由${p.cadre}负责，您无需再办理。`,
  urge: (p: { number: number; by: string; text: string; accepted: boolean }) =>
    `【督办】#${p.number} ${p.by}请您抓紧办理。${p.text}${p.accepted ? '' : `\n接单请发：接单 ${p.number}`}`,
  /** `readsAt`: when the holder reads it, urged at night; `unbound`: the holder has no WeChat yet. */
  urged: (p: { number: number; holder: string | null; readsAt: string | null; unbound: boolean; office: boolean }) =>
    `已督办 #${p.number}。` +
    (p.holder ? quietNote(p.holder, p.readsAt) : '') +
    (p.holder && p.unbound ? `\n${p.holder}还没有绑定微信，收不到督办。${p.office ? `生成绑定码请发：绑定码 ${p.holder}` : '请联系办公室发绑定码。'}` : ''),
  noTasks: () => `您目前没有待办事项。`,
  nothingToAccept: () => `您目前没有待接单的事项。发“任务”查看手上的事项。`,
  /** Cases waiting for acceptance, each as its 任务 line. */
  acceptPrompt: (cases: { number: number; line: string }[]) =>
    cases.length === 1
      ? `${cases[0]!.line}\n这件还没有接单，发“接单”两个字即可。`
      : `您有 ${cases.length} 件还没有接单：\n${cases.map((c) => c.line).join('\n')}\n接单请发“接单 编号”，如：接单 ${cases[0]!.number}；几件一起接：接单 ${cases.slice(0, 2).map((c) => c.number).join(' ')}`,
  noOverdue: () => `目前没有超时的事项。`,
  noneWaiting: () => `目前没有待接单的事项。`,
  /** "都有哪些没接的": one line per case waiting to be accepted, the longest waiting first. */
  waitingList: (p: { lines: readonly string[]; example: number }) =>
    `待接单事项（${p.lines.length} 件）：\n${p.lines.join('\n')}\n催办请发：督办 ${p.example} 要说的话`,
  /** 超时: one line per case, by resolve limit; `more`: there are more than these (the dashboard lists all). */
  overdueList: (p: { lines: readonly string[]; more: boolean; example: number }) =>
    `超时事项${p.more ? `（最早的 ${p.lines.length} 件，全部请看网页“超时”页）` : `（${p.lines.length} 件）`}：\n${p.lines.join('\n')}\n催办请发：督办 ${p.example} 要说的话`,
  /** "我们站现在有多少件": `scope` (a head's departments, or 全镇) and its open cases per holder or department. */
  openCases: (p: { scope: string; groups: readonly { name: string; open: number; waiting: number; overdue: number }[] }) => {
    if (p.groups.length === 0) return `${p.scope}目前没有在办的事项。`;
    const sum = (pick: (g: (typeof p.groups)[number]) => number) => p.groups.reduce((n, g) => n + pick(g), 0);
    const overdue = sum((g) => g.overdue);
    const details = (g: (typeof p.groups)[number]) =>
      [g.waiting ? `待接单 ${g.waiting}` : '', g.overdue ? `超时 ${g.overdue}` : ''].filter(Boolean).join('，');
    return (
      `${p.scope}在办 ${sum((g) => g.open)} 件${overdue ? `，其中超时 ${overdue} 件` : ''}：\n` +
      p.groups.map((g) => `${g.name} ${g.open} 件${details(g) ? `（${details(g)}）` : ''}`).join('\n') +
      `\n${overdue ? '看超时的请发“超时”，' : ''}看某一件的进展请发编号。`
    );
  },

  // ── Telling the resident ────────────────────────────────────────
  residentAccepted: (p: { number: number; department: string; cadre: string }) =>
    `您的事项 #${p.number} 已由${p.department}${p.cadre}接单，会尽快和您联系。`,
  residentReply: (p: { number: number; department: string; cadre: string; text: string; relayed: string | null }) =>
    `【${p.department} ${p.cadre}】${p.text}\n（#${p.number}${p.relayed ? '' : '，直接留言即可回复'}）`,
  /** `askRating` false while the resident is answering another question: the rating is asked after it. */
  residentResolved: (p: { number: number; department: string; cadre: string; note: string; askRating: boolean; relayed: string | null }) =>
    `您的事项 #${p.number} 已由${p.department}${p.cadre}办结${p.note ? `：${p.note}` : '。'}` +
    (p.askRating ? `\n${ratingQuestion(p.relayed)}` : ''),
  /** The note of a 办结 sent after it: the rating question came with the 办结 itself. */
  residentResolutionNote: (p: { number: number; department: string; cadre: string; note: string }) =>
    `【${p.department} ${p.cadre}】#${p.number} 办结说明：${p.note}\n（评价请回复 1 满意，2 基本满意，3 不满意）`,
  askRating: (p: { number: number; relayed: string | null }) => `#${p.number} 已办结，${ratingQuestion(p.relayed)}`,
  residentMedia: (p: { number: number; department: string; cadre: string; what: string }) =>
    `【${p.department} ${p.cadre}】发来${p.what}（#${p.number}）：`,
  /** A cadre command from a WeChat that is no cadre's: a resident's, or a new cadre's not bound yet, who is told how. */
  commandForCadres: () => `这是干部办理用的指令。群众有事请直接留言，我们会转给负责的同志；干部请先向办公室要绑定码，再发“绑定 绑定码”。`,
  residentMenu: () =>
    `您可以：\n直接留言反映问题（文字、语音、照片都可以）\n发“查询”看办理进度\n发“新问题 内容”另外反映一件事\n` +
    `发“预约”预约上门服务，“我的预约”查看`,
  noCases: () => `您还没有反映过问题。有事请直接留言。`,
  /** After her cases, all done, when she asked where her matter stands. */
  noneOpenHint: () => noneOpenHint,
  /**
   * One case of hers asked after by its number ("1001", "查询 1001"): its 查询 line; by when its holder
   * will contact her, while they have not answered; the rating question, while it is asked of her; for
   * a case done, how to say it is not.
   */
  caseAsked: (p: { line: string; contactBy: string | null; askRating: boolean; relayed: string | null; done: boolean }) =>
    [p.line, p.contactBy && `预计 ${p.contactBy} 前联系您。`, p.askRating && ratingQuestion(p.relayed), p.done && noneOpenHint].filter(Boolean).join('\n'),
  /** A case number that is none of hers, before her 查询 list. */
  noSuchCaseOfHers: (number: number) => `没有找到您编号为 #${number} 的事项。`,
  /** Another department's matter told while case `number` is open: a new case, or more about that one? */
  askNewMatter: (p: { number: number; matter: string; department: string }) =>
    `请问这是一件新的事，还是 #${p.number}（${excerpt(p.matter, 12)}）的补充？\n回复 1：新的事，交给${p.department}\n回复 2：补充到 #${p.number}`,
  /** More words of the new matter before she answered the question. */
  answerNewMatterFirst: () => `收到，都记下了。请回复 1（新的事）或 2（补充到原来的事）。`,
  newProblemEmpty: () => `请在“新问题”后面写上您的事情，例如：新问题 路灯坏了。`,
  passedOnAskRating: (p: { number: number; cadre: string; relayed: string | null }) =>
    p.relayed
      ? `收到，已转给${p.cadre}。也请问${p.relayed}对 #${p.number} 是否满意，然后发：${ratingAnswers(p.relayed)}。`
      : `收到，已转给${p.cadre}。也请为 #${p.number} 评价：回复 1 满意，2 基本满意，3 不满意。`,
  askRatingAgain: (p: { number: number; relayed: string | null }) =>
    p.relayed
      ? `请先问${p.relayed}对 #${p.number} 是否满意，然后发：${ratingAnswers(p.relayed)}。有新问题请发：代办 ${p.relayed} 新问题 内容`
      : `请先为 #${p.number} 评价：回复 1 满意，2 基本满意，3 不满意。有新问题请发“新问题 内容”。`,
  /** A score on another scale ("5", "五星") at the rating question. */
  ratingScale: (p: { number: number; relayed: string | null }) =>
    p.relayed
      ? `评价只有三种，请问${p.relayed}对 #${p.number} 是否满意，然后发：${ratingAnswers(p.relayed)}。`
      : `评价只用 1、2、3 就行：#${p.number} 满意回复 1，基本满意回复 2，不满意回复 3。`,
  /** Thanks (`thanked`: "谢谢", "辛苦了") or a nod ("好的") at the rating question. */
  thanksAskRating: (p: { number: number; thanked: boolean }) =>
    `${p.thanked ? '不客气！' : ''}麻烦您给 #${p.number} 评价一下：回复 1 满意，2 基本满意，3 不满意。`,
  thanksForRating: (relayed: boolean) => (relayed ? `谢谢您的评价！` : `谢谢您的评价！有事随时留言。`),
  otherNoted: () => `收到。有事请直接打字或发语音说说，我们会转给负责的同志。`,
  greeting: () => `您好！有什么事请直接说，打字、发语音或照片都可以，我们会转给负责的同志。`,
  youAreWelcome: () => `不客气！有事随时留言，我们会转给负责的同志。`,
  noQuestion: () => `这个数字没有对应的问题了。要预约请发“预约”；有事请直接留言，说说是什么事。`,
  reopenedForResident: (p: { number: number; cadre: string }) => `已把 #${p.number} 重新交给${p.cadre}办理，我们会跟进。`,
  reviewForResident: (number: number) => `#${number} 已交办公室复核，我们会尽快联系您。`,
  ratingForCadre: (p: { number: number; rating: string; comment: string }) =>
    `#${p.number} 群众评价：${p.rating}${p.comment ? `，意见：${p.comment}` : ''}`,
  reopenedForCadre: (p: { number: number; comment: string; resolveBy: string }) =>
    `【#${p.number} 群众不满意，已重新打开】${p.comment ? `意见：${p.comment}。` : ''}请在 ${p.resolveBy} 前办结。`,
  /** Each 办结 (who, the note) and the resident's 不满意 comment to it, briefly. */
  reviewNote: (rounds: readonly { cadre: string; note: string; comment: string }[]) =>
    [
      '（群众两次不满意，请办公室复核）',
      ...rounds.map(
        (r, i) =>
          `${['第一次', '第二次', '第三次'][i] ?? `第 ${i + 1} 次`}办结${r.cadre ? `（${r.cadre}）` : ''}：${brief(r.note) || '未写说明'}` +
          (brief(r.comment) ? `；群众意见：${brief(r.comment)}` : ''),
      ),
    ].join('\n'),

};

/** 督办 as a head says it ("催一下", "帮我催催") without the number: the number goes before or after it. */
const spokenExample = (verb: string) => (/^(?:帮[我忙])?(?:催|督)/.test(verb) ? `督办 1001（或：1001${verb}）` : undefined);

/** 代办 as voice input and pinyin often write it too. */
const fileForVerbs = new Set(['代办', '待办']);
const fileForExample = (village: string) => `代办 张大爷 ${village} 家里的猪不吃食`;

/**
 * The village lianxin's examples name to a cadre: the first one they cover, else the township's
 * first — never a village of another township's sample.
 */
export function exampleVillage(villages: readonly { id: string; name: string }[], covered: readonly string[]): string {
  return (villages.find((v) => v.id === covered[0]) ?? villages[0])?.name ?? '村名';
}

/** How each command is written, for a cadre who wrote one wrongly. */
const commandExamples: Record<string, string> = {
  接单: '接单 1001（几件一起接：接单 1001 1002）',
  结单: '接单 1001；已经办好了请发：办结 1001 办理说明',
  回复: '回复 1001 要转告群众的话',
  办结: '办结 1001 办理说明',
  撤销办结: '撤销办结 1001',
  取消办结: '撤销办结 1001',
  转派: '转派 1001 部门 原因',
  退单: '退单 1001 原因',
  延期: '延期 1001 3 原因（1 到 30 个工作日）',
  派单: '派单 1001 干部姓名或部门；几件一起派：派单 1001 1002 干部姓名',
  改派: '派单 1001 干部姓名或部门（派错了再发一次就行）',
  重新派单: '派单 1001 干部姓名或部门',
  派给: '派单 1001 干部姓名或部门',
  定村: '定村 1001 村名',
  督办: '督办 1001',
  督促: '督办 1001',
  催办: '督办 1001',
  同意延期: '同意延期 1001',
  驳回延期: '驳回延期 1001 原因',
  完成: '完成 101 说明',
  未到: '未到 101',
  改约: '改约 101 原因（如：下雨）',
  预约: '预约 101 要转告群众的话',
  绑定: '绑定 绑定码（向办公室索取）',
  绑定码: '绑定码 干部姓名',
  请假: '请假 今天（或：请假 明天、请假 今天到周五、请假 12月3日到12月5日、请假 3天），后面可写原因',
  销假: '销假（提前回来时发）',
};

/** What an example's placeholder stands for, as the cadre is asked for it. */
const placeholderNames: Record<PlaceholderFor, string> = { words: '要说的话', note: '办理情况', reason: '原因', number: '编号' };

/** Limits as people name them. */
export const limitNames = { accept: '接单', 'first-response': '回复群众', resolve: '办结', callback: '回访' } as const;

/** Why a number of `接单 1001 1002` was not taken. */
const skippedNames = { missing: '没有这个编号', 'not-yours': '不是派给您的', accepted: '您已接过', done: '已办结' } as const;

/** Case statuses as cadres and the office read them (residents: `residentStatusNames`). */
export const statusNames = { assigned: '待接单', accepted: '办理中', resolved: '已办结（待评价）', closed: '已办结' } as const;
/** The same statuses as a resident reads them in `查询`: no 接单, the cadres' word. */
export const residentStatusNames = { assigned: '等待处理', accepted: '正在办理', resolved: '已办完，等您评价', closed: '已办完' } as const;

/** Callback answers as people read them. */
export const ratingNames = { satisfied: '满意', 'basically-satisfied': '基本满意', unsatisfied: '不满意', 'no-answer': '未回访' } as const;

/** How a media message is named in chat. */
/**
 * What a header above forwarded media calls it, whether one or a run of several follows
 * ("发来图片，见下条", not "一张图片" above three).
 */
export const mediaKinds: Record<string, string> = {
  voice: '语音',
  image: '图片',
  video: '视频',
  file: '文件',
  location: '位置',
  other: '消息',
};

export const mediaNames: Record<string, string> = {
  voice: '一条语音',
  image: '一张图片',
  video: '一段视频',
  file: '一个文件',
  location: '一个位置',
  other: '一条消息',
};
