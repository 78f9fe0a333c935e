/**
 * The statistics in Chinese: names of the figures and their definitions (口径), numbers as people
 * read them, the chat summary for `统计`, and case events on the dashboard's timeline. Every
 * Chinese word of the statistics — chat, report and dashboard — is here or in a template.
 */
import { DateTime } from 'luxon';
import type { CaseFigures, CaseFlag, Lapse } from '../db/repositories/stats.repository.js';
import { workingMinutesBetween, workingMinutesPerDay, type WorkingTime } from '../domain/sla.js';
import { leadingCharacters } from '../domain/text.js';
import { limitNames, ratingNames, statusNames } from './replies.js';

export { limitNames, ratingNames, statusNames };

// ── Numbers ────────────────────────────────────────────────────────────────────────────────

/**
 * A rate in percent to one decimal, as every page and file shows it: 0.9234 → 92.3. The chart, the
 * CSV files and {@link percent} all round here, so no two of them differ by a rounding.
 */
export const percentOf = (rate: number) => Math.round(rate * 1000) / 10;

/** 0.923 → "92.3%"; null (nothing to divide by) → "—". */
export function percent(rate: number | null): string {
  return rate === null ? '—' : `${percentOf(rate).toFixed(1)}%`;
}

/**
 * A rate beside the month before, as the review says it: "上月 50.0%，↑16.7 个百分点", "上月 50.0%，持平".
 * The change is taken between the two figures as shown, so it adds up on the page.
 */
export function versusLastMonth(now: number | null, before: number | null): string {
  if (before === null) return '上月 —';
  const change = pointsChange(now, before);
  return `上月 ${percent(before)}${change === '—' ? '' : `，${change}`}`;
}

/** "增加 3 件", "减少 3 件", "持平". */
function countChange(difference: number): string {
  return difference === 0 ? '持平' : `${difference > 0 ? '增加' : '减少'} ${Math.abs(difference)} 件`;
}

/**
 * The 统计 reply's 较上月, as the review tables count it (`monthChanges`: rates only when both months
 * have `minCasesForRanking` cases): "响应率 ↑3.2 个百分点，解决率 —，满意率 持平；派单增加 5 件".
 */
function chatChanges(change: FigureChanges): string {
  return (
    `响应率 ${pointsText(change.responseRate)}，解决率 ${pointsText(change.resolutionRate)}，满意率 ${pointsText(change.satisfactionRate)}；` +
    `派单${countChange(change.dispatched ?? 0)}`
  );
}

/** "↑16.7 个百分点", "↓1.0 个百分点", "持平", or "—" when either month has no such rate. */
export function pointsChange(now: number | null, before: number | null): string {
  return pointsText(pointsBetween(now, before));
}

/** A change in points as words: "↑16.7 个百分点", "持平", "—" (nothing to compare). */
const pointsText = (change: number | null) => (change === null ? '—' : change === 0 ? '持平' : `${arrow(change, 1)} 个百分点`);

/** A change with its direction: "↑3.2", "↓8". */
const arrow = (change: number, digits: number) => `${change > 0 ? '↑' : '↓'}${Math.abs(change).toFixed(digits)}`;

/**
 * The change between two rates in percentage points, taken between the figures as shown (to a tenth
 * of a percent), so it adds up on the page: 66.7% against 75.0% is -8.3. Null when either is missing.
 */
export function pointsBetween(now: number | null, before: number | null): number | null {
  return now === null || before === null ? null : (Math.round(now * 1000) - Math.round(before * 1000)) / 10;
}

/** One decimal, none when it is 0: 3.2, 5. */
const tenths = (value: number) => value.toFixed(1).replace(/\.0$/, '');

/** Wall-clock minutes as people say them: "35分钟", "3.2小时", "5小时", "1.5天". */
export function duration(minutes: number | null): string {
  if (minutes === null) return '—';
  if (minutes < 60) return `${Math.round(minutes)}分钟`;
  if (minutes < 24 * 60) return `${tenths(minutes / 60)}小时`;
  return `${tenths(minutes / 1440)}天`;
}

/**
 * Working minutes: "35分钟", "2.5工作小时", "1.5个工作日" (a working day = `minutesPerDay`).
 * `labelled`: the line already says they are working time, so hours are plain "2.5小时", as minutes are.
 */
export function workingDuration(minutes: number | null, minutesPerDay: number, labelled = false): string {
  if (minutes === null) return '—';
  if (minutes < 60) return `${Math.round(minutes)}分钟`;
  if (minutes < minutesPerDay) return `${tenths(minutes / 60)}${labelled ? '' : '工作'}小时`;
  return `${tenths(minutes / minutesPerDay)}个工作日`;
}

/**
 * How far past its limit a case is at `now`, counted as the limit is: working time ("2.5工作小时"),
 * wall-clock for urgent cases ("35分钟"). The 超时 page and the chat 超时 list say the same.
 */
export function lateness(dueAt: Date, priority: string, now: Date, workingTime: WorkingTime): string {
  return priority === 'urgent'
    ? duration((now.getTime() - dueAt.getTime()) / 60_000)
    : workingDuration(workingMinutesBetween(dueAt, now, workingTime), workingMinutesPerDay(workingTime.workingHours));
}

/** "2026-10" → "2026年10月". */
export function monthName(month: string): string {
  const [year, m] = month.split('-');
  return `${year}年${Number(m)}月`;
}

/**
 * A resident's words shortened for a table or a file: at most `length` characters as she sees them
 * (see {@link leadingCharacters}), `…` after a cut.
 */
export function cut(text: string, length: number): string {
  if (text.length <= length) return text;
  const { head, more } = leadingCharacters(text, length);
  return more ? `${head}…` : text;
}

export function dateTime(at: Date | null, timezone: string): string {
  return at ? DateTime.fromJSDate(at, { zone: timezone }).toFormat('yyyy-MM-dd HH:mm') : '';
}

// ── Figures: names, kinds and definitions ──────────────────────────────────────────────────

export type FigureKey = Exclude<keyof CaseFigures, 'key'>;
export type FigureKind = 'count' | 'rate' | 'minutes';

/** Each figure: its column header, how it is shown, and its definition (口径). */
export const figures: { key: FigureKey; label: string; kind: FigureKind; definition: string }[] = [
  { key: 'dispatched', label: '派单数', kind: 'count', definition: '当月派出的案件数（按首次派单时间计入月份，乡镇时间）。' },
  { key: 'open', label: '在办', kind: 'count', definition: '其中仍待接单或办理中的案件。' },
  { key: 'respondedInTime', label: '按时响应', kind: 'count', definition: '首次回复群众的时间不晚于回复时限的案件。' },
  { key: 'responsesDue', label: '应响应', kind: 'count', definition: '已回复群众的案件，加上超过回复时限仍未回复的案件；还在时限内、尚未回复的不计。' },
  { key: 'responseRate', label: '响应率', kind: 'rate', definition: '按时响应 ÷ 应响应。超过时限仍未回复的算作未按时响应；还在时限内的不计。' },
  { key: 'responseMedianMinutes', label: '响应时长中位数（分钟）', kind: 'minutes', definition: '派单到首次回复群众的自然时长，已回复案件的中位数。' },
  { key: 'responseP90Minutes', label: '响应时长P90（分钟）', kind: 'minutes', definition: '同上，第90百分位（线性插值，同 Excel PERCENTILE.INC）。' },
  { key: 'responseMedianWorkingMinutes', label: '响应工作时长中位数（分钟）', kind: 'minutes', definition: '派单到首次回复的工作时间（只计工作日的上班时段，节假日不计、调休上班日计入）。' },
  { key: 'responseP90WorkingMinutes', label: '响应工作时长P90（分钟）', kind: 'minutes', definition: '同上，第90百分位。' },
  { key: 'resolved', label: '已办结', kind: 'count', definition: '已办结的案件（含已评价结案和未回访结案）。重开后尚未再次办结的不算。' },
  { key: 'resolvedOnTime', label: '按时办结', kind: 'count', definition: '办结时间不晚于当时有效的办结时限（含批准的延期）。' },
  { key: 'resolutionsDue', label: '应办结', kind: 'count', definition: '已办结的案件，加上超过办结时限仍未办结的案件；还在时限内、尚未办结的不计。' },
  { key: 'onTimeClosureRate', label: '按时办结率', kind: 'rate', definition: '按时办结 ÷ 应办结。超过时限仍未办结的算作未按时办结。' },
  { key: 'resolutionMedianMinutes', label: '办结时长中位数（分钟）', kind: 'minutes', definition: '派单到办结的自然时长，已办结案件的中位数。' },
  { key: 'resolutionP90Minutes', label: '办结时长P90（分钟）', kind: 'minutes', definition: '同上，第90百分位。' },
  { key: 'resolutionMedianWorkingMinutes', label: '办结工作时长中位数（分钟）', kind: 'minutes', definition: '派单到办结的工作时间，中位数。' },
  { key: 'resolutionP90WorkingMinutes', label: '办结工作时长P90（分钟）', kind: 'minutes', definition: '同上，第90百分位。' },
  { key: 'satisfied', label: '满意', kind: 'count', definition: '回访回答“满意”的案件（以最近一次回答为准）。' },
  { key: 'basicallySatisfied', label: '基本满意', kind: 'count', definition: '回访回答“基本满意”的案件。' },
  { key: 'unsatisfied', label: '不满意', kind: 'count', definition: '回访回答“不满意”的案件。答了“不满意”、重新办理后再次回访没有回答的，仍计不满意。' },
  { key: 'noAnswer', label: '未回访', kind: 'count', definition: '回访期限内群众未回答、此前也没有答过“不满意”的案件。' },
  { key: 'answered', label: '回访应答', kind: 'count', definition: '满意 + 基本满意 + 不满意。' },
  { key: 'resolutionRate', label: '解决率', kind: 'rate', definition: '回访应答中未答“不满意”的 ÷ 回访应答。回访问题只有满意/基本满意/不满意三个选项，故目前与满意率相同。' },
  { key: 'satisfactionRate', label: '满意率', kind: 'rate', definition: '（满意 + 基本满意）÷ 回访应答。未回访不计入分母。' },
  { key: 'unsatisfiedShare', label: '不满意率', kind: 'rate', definition: '不满意 ÷ 回访应答。' },
  { key: 'callbackResponseRate', label: '回访应答率', kind: 'rate', definition: '回访应答 ÷（回访应答 + 未回访）。等待回访中的案件不计。' },
  { key: 'sentBack', label: '退单', kind: 'count', definition: '曾被退单（退回办公室重新分派）的案件。' },
  { key: 'sendBackRate', label: '退单率', kind: 'rate', definition: '退单 ÷ 派单数。' },
  { key: 'reopened', label: '重开', kind: 'count', definition: '群众答“不满意”后重新打开过的案件。' },
  { key: 'reopenRate', label: '重开率', kind: 'rate', definition: '重开 ÷ 派单数。' },
  { key: 'overdue', label: '超时', kind: 'count', definition: '当前标记为超时，或曾超过接单、回复、办结任一时限的案件。' },
  { key: 'repeat', label: '重复诉求', kind: 'count', definition: '同一群众当月已向同一部门反映过、又再次反映的案件（当月第二件起计）。' },
];

/**
 * The figures the review talks about, in this order: the dashboard's tables, the terminal table,
 * and the first columns of the downloads (the other figures follow there, folded away in Excel).
 * The 三率 side by side, then the 不满意 cases (their rate is 100% less 满意率: not shown twice).
 */
export const reviewKeys: FigureKey[] = [
  'dispatched', 'open', 'responseRate', 'resolutionRate', 'satisfactionRate', 'unsatisfied', 'callbackResponseRate',
  'onTimeClosureRate', 'responseMedianWorkingMinutes', 'resolutionMedianWorkingMinutes', 'sendBackRate', 'reopenRate', 'overdue', 'repeat',
];

/** The review's figures ({@link reviewKeys}), in its order: the columns of its tables. */
export const reviewColumns = reviewKeys.map((key) => figures.find((f) => f.key === key)!);

/** Every figure as a column of the downloads: the review's first, then the others as `figures` has them. */
export const everyColumn = [...reviewColumns, ...figures.filter((f) => !reviewKeys.includes(f.key))];

/** The case list's filters as its heading names them: 共 2 件（干部：林技术员，在办）. */
export const caseFlagNames: Record<CaseFlag, string> = {
  open: '在办',
  lateResponse: '未按时响应',
  lateResolution: '未按时办结',
  unsatisfied: '不满意',
  sentBack: '退单',
  reopened: '重开',
  overdue: '超时',
  repeat: '重复诉求',
};

/**
 * The figures of the review's tables that open their cases, with the case list's filter and how
 * many cases it lists: a count its own cases; a rate those that hold it down (响应率: 未按时响应)
 * or make it (退单率: 退单).
 */
export const drillDowns: Partial<Record<FigureKey, { flag: CaseFlag; cases: (f: CaseFigures) => number }>> = {
  open: { flag: 'open', cases: (f) => f.open },
  responseRate: { flag: 'lateResponse', cases: (f) => f.responsesDue - f.respondedInTime },
  unsatisfied: { flag: 'unsatisfied', cases: (f) => f.unsatisfied },
  onTimeClosureRate: { flag: 'lateResolution', cases: (f) => f.resolutionsDue - f.resolvedOnTime },
  sendBackRate: { flag: 'sentBack', cases: (f) => f.sentBack },
  reopenRate: { flag: 'reopened', cases: (f) => f.reopened },
  overdue: { flag: 'overdue', cases: (f) => f.overdue },
  repeat: { flag: 'repeat', cases: (f) => f.repeat },
};

/**
 * The figures of the review tables shown with their change against the month before (较上月), each
 * in a small line under it on the page and in a column after it in the files: 派单数 in cases, the
 * 三率 and 按时办结率 in percentage points.
 */
export const changeKeys = ['dispatched', 'responseRate', 'resolutionRate', 'satisfactionRate', 'onTimeClosureRate'] as const satisfies readonly FigureKey[];
export type ChangeKey = (typeof changeKeys)[number];
/** A group's change against the month before, per figure of {@link changeKeys}; null: nothing to compare ("—"). */
export type FigureChanges = Record<ChangeKey, number | null>;

export const hasChange = (key: FigureKey): key is ChangeKey => (changeKeys as readonly FigureKey[]).includes(key);

/**
 * A group's change against the same group the month before (`before`; null: not read). 派单数: the
 * difference in cases, when the month before had any. A rate: the difference in points
 * ({@link pointsBetween}) when both months have at least `minCases` cases — the ranking's threshold:
 * a rate of a few cases swings by tens of points from one case — and the rate.
 */
export function monthChanges(now: CaseFigures, before: CaseFigures | null, minCases: number): FigureChanges {
  const enough = before !== null && enoughToCompare(now, before, minCases);
  const points = (key: Exclude<ChangeKey, 'dispatched'>) => (enough ? pointsBetween(now[key], before[key]) : null);
  return {
    dispatched: before && before.dispatched > 0 ? now.dispatched - before.dispatched : null,
    responseRate: points('responseRate'),
    resolutionRate: points('resolutionRate'),
    satisfactionRate: points('satisfactionRate'),
    onTimeClosureRate: points('onTimeClosureRate'),
  };
}

/** Whether both months have enough cases to compare their rates: `minCases` each (at least one). */
const enoughToCompare = (now: CaseFigures, before: CaseFigures, minCases: number) =>
  Math.min(now.dispatched, before.dispatched) >= Math.max(1, minCases);

/** A change as the tables show it: "↑3.2", "↓8.0" (points), "↑3" (cases), "持平", or "—" with nothing to compare. */
export function changeText(key: ChangeKey, change: number | null): string {
  if (change === null) return '—';
  return change === 0 ? '持平' : arrow(change, key === 'dispatched' ? 0 : 1);
}

/** What a change stands for, in words (the page's hover text): "上月 58.0%，↓8.0 个百分点", "上月 2 件、本月 5 件，两个月都满 3 件才比较". */
export function changeTitle(key: ChangeKey, now: CaseFigures, before: CaseFigures | null, minCases: number): string {
  if (!before || before.dispatched === 0) return '上月无派单';
  if (key === 'dispatched') return `上月 ${before.dispatched} 件`;
  if (!enoughToCompare(now, before, minCases)) {
    return `上月 ${before.dispatched} 件、本月 ${now.dispatched} 件，两个月都满 ${Math.max(1, minCases)} 件才比较`;
  }
  return versusLastMonth(now[key], before[key]);
}

/** A cadre's place as the page, the files and the terminal table give it; why not, when not ranked. */
export function rankText(rank: number | null, minCases: number): number | string {
  return rank ?? `不排名（不足${minCases}件）`;
}

/** Definitions that are not a column. */
export const otherDefinitions: [string, string][] = [
  ['计入哪位干部', '已办结（含结案）的案件计入办结它的干部；未办结的计入当前负责人。退单、超时转派的案件计入接手办理的干部。'],
  [
    '回访评价计入哪位干部',
    '按干部统计时，群众每次回访的回答计入被评价的那次办结的干部，同一干部同一案件以最近一次回答为准：甲办结后群众答“不满意”，案件改由乙办结、群众答“满意”，则甲计不满意 1 件、乙计满意 1 件，该案件也列在甲的不满意案件中。对甲的办结答过“不满意”、乙办结后未回答的，甲计不满意，乙计未回访。按部门、按村和合计，每件案件只按最后一次回答计一次，所以各干部的回访件数相加可能多于合计。',
  ],
  ['超时环节', '超时的案件，在案件列表和案件明细中注明超过的时限（接单、回复群众、办结）和当时的负责人。案件计入后来接手的干部时，也能看出超时的是谁。'],
  ['计入哪个部门', '案件当前所属部门（转派后计入新部门；退单不改变部门）。'],
  ['计入哪个村', '群众登记的村（社区）。群众没说是哪个村、办公室还没定村的，计入“（村未知）”。'],
  ['排名', '当月案件数达到最少件数（默认 10 件）的干部参加排名：依次比较满意率、响应率、按时办结率（高者在前），再比较响应工作时长中位数（短者在前）。回访应答不足 3 件的干部，排名时满意率按本范围（全乡镇或本部门）的满意率计，不因群众没有回答而排在最后。不足件数的干部照常列出，但不排名。'],
  [
    '较上月',
    '各表中派单数、响应率、解决率、满意率、按时办结率之后（页面上在它下方）是与同一干部、部门或村（社区）上月相比的变化：派单数为增减的件数，各率为增减的百分点（按显示的一位小数相减），↑ 上升、↓ 下降。上月没有派单的为“—”；两个月的案件都达到排名的最少件数（默认 10 件）才比较各率，否则也为“—”，几件案件的起落不算趋势。干部上月的数字与本月口径相同（回访评价计入被评价的那次办结的干部）。',
  ],
  ['预约', '按预约上门/到站时间计入月份：已约（尚未办理或未登记结果）、已完成、爽约、已取消。'],
  ['热点', '当月群众诉求中出现的部门关键词，按村统计出现的案件数，供民情恳谈会选题参考。'],
];

export const groupingNames = { cadre: '干部', department: '部门', village: '村（社区）' } as const;

export const bookingLabels = { total: '预约数', booked: '已约', completed: '已完成', noShow: '爽约', cancelled: '已取消' } as const;
export const bookingGroupingNames = { service: '服务项目', department: '部门', village: '村（社区）', cadre: '干部' } as const;

/** A figure's value as text: counts as they are, rates as percentages, minutes rounded. */
export function figureText(kind: FigureKind, value: number | null): string {
  if (kind === 'rate') return percent(value);
  if (kind === 'minutes') return value === null ? '—' : String(Math.round(value));
  return String(value ?? 0);
}

/** Headers of the per-case list (monthly workbook, CSV). */
export const caseColumns = [
  '编号', '派单时间', '村（社区）', '部门', '计入干部', '当前负责人', '状态', '紧急', '首次回复时间', '响应时长（分钟）',
  '响应工作时长（分钟）', '按时响应', '办结时间', '办结时长（分钟）', '办结工作时长（分钟）', '按时办结', '回访评价',
  '评价意见', '重开次数', '退单', '超时', '超时环节（当时负责人）', '重复诉求', '代办干部', '群众诉求',
] as const;

/**
 * The limits a case passed and who held it then, e.g. "接单（林技术员）；回复群众（吴技术员）":
 * who was slow, whoever the case counts for.
 */
export function lapsesText(lapses: readonly Lapse[], cadreName: (id: string) => string): string {
  return lapses.map((l) => `${limitNames[l.limit]}（${l.cadreId ? cadreName(l.cadreId) : '无人'}）`).join('；');
}

// ── Case events (timeline) ─────────────────────────────────────────────────────────────────

export const eventNames: Record<string, string> = {
  created: '群众反映',
  assigned: '派单',
  'resident-message': '群众补充',
  accepted: '接单',
  replied: '回复群众',
  resolved: '办结',
  'resolve-undone': '撤销办结',
  transferred: '转派',
  'sent-back': '退单',
  'extension-requested': '申请延期',
  'extension-approved': '同意延期',
  'extension-rejected': '驳回延期',
  urged: '督办',
  warned: '时限提醒',
  escalated: '超时催办',
  rated: '群众评价',
  reopened: '重新打开',
  closed: '结案',
  'village-set': '定村',
};

const assignReasons: Record<string, string> = {
  'on-duty': '在岗值班',
  backup: '备岗接手',
  head: '部门负责人接手',
  office: '办公室接手',
  transfer: '转派',
  'send-back': '退单后重新分派',
  escalation: '超时未接单，转由下一位',
  assign: '指定派单',
  review: '两次不满意，交办公室复核',
  'take-over': '负责人或办公室接手',
  named: '指定',
};

const closeReasons: Record<string, string> = { rated: '群众已评价', 'no-callback': '回访期限内未回答（未回访）' };

type EventNames = { cadre: (id: string) => string; department: (id: string) => string; village: (id: string) => string; timezone: string };

/** One line about what an event did, with names looked up; a resident's words a cadre passed on (代办) say so. */
export function eventDetail(type: string, data: Record<string, unknown>, names: EventNames): string {
  const detail = eventWhat(type, data, names);
  const relay = typeof data.relayedBy === 'string' ? `由${names.cadre(data.relayedBy)}代办` : '';
  return [detail, relay].filter(Boolean).join(' · ');
}

function eventWhat(type: string, data: Record<string, unknown>, names: EventNames): string {
  const s = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : '');
  switch (type) {
    case 'created':
      return [names.village(s('villageId')), names.department(s('departmentId')), data.priority === 'urgent' ? '紧急' : '', data.unclear ? '群众不清楚部门' : '']
        .filter(Boolean)
        .join(' · ');
    case 'assigned': {
      const reason = assignReasons[s('reason')] ?? s('reason');
      return `交给 ${names.cadre(s('cadreId'))}${reason ? `（${reason}）` : ''}${s('words') ? `：${s('words')}` : ''}`;
    }
    case 'replied':
      return s('text') || (s('kind') ? '发送了图片/语音' : '');
    case 'resolved':
      return s('note');
    case 'village-set':
      return `${names.village(s('from'))} → ${names.village(s('to'))}`;
    case 'transferred':
      return `${names.department(s('from'))} → ${names.department(s('to'))}${s('reason') ? `：${s('reason')}` : ''}`;
    case 'sent-back':
    case 'extension-rejected':
      return s('reason');
    case 'extension-requested':
      return `${String(data.days ?? '')} 个工作日：${s('reason')}`;
    case 'extension-approved':
      return `${String(data.days ?? '')} 个工作日，新时限 ${s('resolveDueAt') ? dateTime(new Date(s('resolveDueAt')), names.timezone) : ''}${s('words') ? `：${s('words')}` : ''}`;
    case 'urged':
      return s('text');
    case 'warned':
    case 'escalated': {
      const limit = limitNames[s('limit') as keyof typeof limitNames] ?? s('limit');
      return `${limit}时限${type === 'warned' ? '将到' : '已过'}${s('from') ? `，负责人 ${names.cadre(s('from'))}` : ''}`;
    }
    case 'rated': {
      const rating = ratingNames[s('rating') as keyof typeof ratingNames] ?? s('rating');
      return `${rating}${s('comment') ? `：${s('comment')}` : ''}`;
    }
    case 'reopened':
      return s('comment') ? `意见：${s('comment')}` : '';
    case 'closed':
      return closeReasons[s('reason')] ?? s('reason');
    default:
      return '';
  }
}

// ── Chat summary (`统计`) ───────────────────────────────────────────────────────────────────

export interface ChatSummaryInput {
  month: string;
  /** "全乡镇", "农技站", "农技站、合医站". */
  scopeName: string;
  /** "11月26日 09:00". */
  asOf: string;
  total: CaseFigures;
  /** The same scope the month before; no comparison when it had no case. */
  previous: CaseFigures;
  /** Lines of the breakdown: departments (office) or cadres (one department). */
  breakdownTitle: string;
  breakdown: { name: string; figures: CaseFigures; rank: number | null }[];
  unrankedCount: number;
  minCasesForRanking: number;
  bookings: { total: number; booked: number; completed: number; noShow: number; cancelled: number };
  minutesPerDay: number;
}

export const chatText = {
  supervisorsOnly: () => `统计只有部门负责人和办公室可以查看。`,
  /** `department`: a department of the township's own for the example. */
  usage: (what: string, department: string) =>
    `没看懂“${what}”。用法：统计、统计 上月、统计 2026-10、统计 ${department}（部门名称），也可以合起来：统计 ${department} 上月。`,
  notYourDepartment: (name: string, own: string) => `您只能查看本部门（${own}）的统计，不能查看${name}。`,
  /** `lastMonth`: this month is empty (early in it, last month's figures are what one is after): the command for those. */
  noCases: (month: string, scope: string, lastMonth: string | null) =>
    `${monthName(month)} · ${scope}：没有派单。${lastMonth ? `看上月请发“${lastMonth}”。` : ''}`,

  summary(p: ChatSummaryInput): string {
    const t = p.total;
    const working = (minutes: number | null) => workingDuration(minutes, p.minutesPerDay, true);
    const lines = [
      `【统计】${monthName(p.month)} · ${p.scopeName}（截至 ${p.asOf}）`,
      `派单 ${t.dispatched} 件，在办 ${t.open}，已办结 ${t.resolved}，超时 ${t.overdue}`,
      `三率：响应率 ${percent(t.responseRate)}，解决率 ${percent(t.resolutionRate)}，满意率 ${percent(t.satisfactionRate)}`,
      ...(p.previous.dispatched > 0 ? [`较上月：${chatChanges(monthChanges(t, p.previous, p.minCasesForRanking))}`] : []),
      `回访：应答 ${t.answered}，未回访 ${t.noAnswer}（应答率 ${percent(t.callbackResponseRate)}），不满意 ${percent(t.unsatisfiedShare)}`,
      // Both figures are working time: the label says so once, the units do not mix (40分钟 with 3.5工作小时).
      `响应用时（工作时间）：中位 ${working(t.responseMedianWorkingMinutes)}，P90 ${working(t.responseP90WorkingMinutes)}`,
      `办结用时（工作时间）：中位 ${working(t.resolutionMedianWorkingMinutes)}，P90 ${working(t.resolutionP90WorkingMinutes)}`,
      `按时办结 ${percent(t.onTimeClosureRate)}，退单 ${percent(t.sendBackRate)}，重开 ${percent(t.reopenRate)}，重复诉求 ${t.repeat} 件`,
    ];
    if (p.breakdown.length > 0) {
      lines.push(`${p.breakdownTitle}（派单/响应率/满意率）：`);
      for (const row of p.breakdown) {
        const rank = row.rank !== null ? `${row.rank}. ` : '';
        lines.push(`${rank}${row.name} ${row.figures.dispatched}件 ${percent(row.figures.responseRate)} ${percent(row.figures.satisfactionRate)}`);
      }
      if (p.unrankedCount > 0) lines.push(`（${p.unrankedCount} 人不足 ${p.minCasesForRanking} 件，不排名）`);
    }
    const b = p.bookings;
    if (b.total > 0) lines.push(`预约 ${b.total}：已约 ${b.booked}，完成 ${b.completed}，爽约 ${b.noShow}，取消 ${b.cancelled}`);
    return lines.join('\n');
  },
};
