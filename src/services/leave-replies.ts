/**
 * What cadres read about leave (请假 / 销假): short and polite, the dates with their weekdays.
 */
import { dayLabel } from './booking-replies.js';
import type { HandOver } from './booking.service.js';

/** Days of a leave: "11月27日 周五", or "11月26日 周四 至 11月30日 周一"; the year only when it is not this one. */
export function leaveDays(p: { from: string; to: string }, today: string, timezone: string): string {
  const day = (date: string) => `${date.slice(0, 4) === today.slice(0, 4) ? '' : `${date.slice(0, 4)}年`}${dayLabel(date, timezone)}`;
  return p.from === p.to ? day(p.from) : `${day(p.from)} 至 ${day(p.to)}`;
}

/** A cadre's open cases, by number: "#1001、#1002", the first five and "等". */
const caseNumbers = (numbers: readonly number[]) =>
  `${numbers.slice(0, 5).map((n) => `#${n}`).join('、')}${numbers.length > 5 ? ' 等' : ''}`;

/** The line that gives them all to someone else at once: "派单 1001 1002 干部姓名" (sent as written, none is left behind). */
const assignLine = (numbers: readonly number[]) => `派单 ${numbers.join(' ')} 干部姓名`;

/** What waits for a cadre back at work: his open cases by number, and how to see them; '' for none. */
const openLine = (numbers: readonly number[]) =>
  numbers.length === 0 ? '' : `\n您手上还有 ${numbers.length} 件未办结（${caseNumbers(numbers)}），发“任务”查看。`;

/** Who takes the new cases meanwhile (the reader himself: 您); nobody named when routing cannot say. */
const standInNames = (standIns: readonly string[], reader: string) => standIns.map((n) => (n === reader ? '您' : n)).join('、');
const standInLine = (standIns: readonly string[], whose: '您' | '他', reader: string) =>
  standIns.length > 0 ? `期间${whose}的新事项由${standInNames(standIns, reader)}接办。` : '期间新事项会派给其他同志。';

/** Names of the cadres who took the visits: "吴技术员、黄站长"; the reader himself is 您. */
const takers = (handedOver: HandOver, reader: string) => [...new Set(handedOver.moved.map((v) => (v.to === reader ? '您' : v.to)))].join('、');

/**
 * The visits of the leave's days, for whoever put the leave in: those handed over, each with who
 * takes it, and those nobody else could take, to move with 改约. Empty when there were none.
 */
function handOverLines(handedOver: HandOver, whose: '您' | '他', reader: string): string {
  const line = (v: HandOver['kept'][number]) => `${v.number} ${v.when} ${v.service}（${v.resident}）`;
  const first = <T>(list: readonly T[]) => list.slice(0, 5);
  const more = (list: readonly unknown[]) => (list.length > 5 ? `\n……共 ${list.length} 个` : '');
  const moved =
    handedOver.moved.length === 0
      ? ''
      : `\n${whose}这几天的 ${handedOver.moved.length} 个预约已转交，时间不变，已通知群众：\n` +
        first(handedOver.moved).map((v) => `${line(v)} → ${v.to === reader ? '您' : v.to}`).join('\n') + more(handedOver.moved);
  const kept =
    handedOver.kept.length === 0
      ? ''
      : `\n以下预约没有别人能接，请发“改约 ${handedOver.kept[0]!.number}”请群众另约时间：\n` + first(handedOver.kept).map(line).join('\n') + more(handedOver.kept);
  return moved + kept;
}

export const leaveReplies = {
  /**
   * The confirmation of 请假. `cadre`: the one on leave when someone else (a head, the office) asked;
   * `workdays`: "3天" counted as working days; `replaced`: an earlier leave of these days was changed;
   * `supervisors`: who may 派单 his open cases, for a cadre asking for himself; `reader`: the name of
   * whoever reads it.
   */
  leaveSet: (p: {
    days: string; workdays: number | null; cadre: string | null; replaced: boolean; standIns: readonly string[];
    openCases: readonly number[]; supervisors: string; reader: string; handedOver: HandOver;
  }) => {
    const whose = p.cadre ? '他' : '您';
    const what = p.replaced ? `${p.cadre ? `${p.cadre}的` : ''}请假已改为` : `已${p.cadre ? `为${p.cadre}` : ''}登记请假`;
    const count = p.workdays ? `（按工作日算，共 ${p.workdays} 天）` : '';
    const open =
      p.openCases.length === 0
        ? ''
        : `\n${whose}手上还有 ${p.openCases.length} 件未办结（${caseNumbers(p.openCases)}），` +
          (p.cadre ? `可发“${assignLine(p.openCases)}”交给其他同志。` : `需要转给别人的，可请${p.supervisors}派单。`);
    return `${what}：${p.days}${count}。${standInLine(p.standIns, whose, p.reader)}${open}${handOverLines(p.handedOver, whose, p.reader)}${p.cadre ? '' : '\n提前回来请发“销假”。'}`;
  },
  /** The cadre whose leave a head or the office put in. */
  leaveSetForYou: (p: { by: string; days: string; standIns: readonly string[]; handedOver: HandOver }) =>
    `【请假】${p.by}已为您登记请假：${p.days}。${standInLine(p.standIns, '您', '')}` +
    `${p.handedOver.moved.length > 0 ? `这几天的 ${p.handedOver.moved.length} 个预约已转给${takers(p.handedOver, '')}。` : ''}提前回来请发“销假”。`,
  /**
   * The head, in one line (and the 派单 line for the cases he left open), when a cadre of his puts
   * himself (or the office puts him) on leave; `reader`: the head's name, who reads "由您接办" when he
   * is the one taking the cases.
   */
  leaveNotice: (p: {
    cadre: string; days: string; reason: string; standIns: readonly string[]; openCases: readonly number[]; reader: string; handedOver: HandOver;
  }) =>
    `【请假】${p.cadre}请假 ${p.days}${p.reason ? `（${p.reason}）` : ''}，` +
    `${p.standIns.length > 0 ? `新事项由${standInNames(p.standIns, p.reader)}接办` : '新事项会派给其他同志'}` +
    `${p.openCases.length > 0 ? `，他手上还有 ${p.openCases.length} 件未办结（${caseNumbers(p.openCases)}）` : ''}` +
    `${p.handedOver.moved.length > 0 ? `，${p.handedOver.moved.length} 个预约已转给${takers(p.handedOver, p.reader)}` : ''}` +
    `${p.handedOver.kept.length > 0 ? `，${p.handedOver.kept.length} 个预约没有别人能接（${p.handedOver.kept.map((v) => v.number).join('、')}）` : ''}。` +
    `${p.openCases.length > 0 ? `\n要交给别人请发：${assignLine(p.openCases)}` : ''}`,
  /**
   * 销假: `ended` the leave that ran until today, `cancelled` one not begun yet; `cadre` as for leaveSet;
   * `openCases`: the cases waiting for a cadre back from his own leave.
   */
  leaveEnded: (p: { cadre: string | null; ended: boolean; cancelled: string | null; openCases: readonly number[] }) => {
    if (!p.ended) return `已取消${p.cadre ? `${p.cadre} ` : ''}${p.cancelled}的请假。`;
    return p.cadre ? `已为${p.cadre}销假，今天起新事项照常派给他。` : `已销假，欢迎回来！今天起新事项照常派给您。${openLine(p.openCases)}`;
  },
  /** The cadre whose leave a head or the office ended. */
  leaveEndedForYou: (p: { by: string; ended: boolean; cancelled: string | null }) =>
    p.ended ? `【销假】${p.by}已为您销假，今天起新事项照常派给您。` : `【请假】${p.by}已取消您${p.cancelled}的请假。`,
  /** The head, when a cadre of his is back before his leave ended. */
  backNotice: (cadre: string) => `【销假】${cadre}已销假，今天起新事项照常派给他。`,
  /** 销假 with no leave in chat from today on; `roster`: the days of a leave in the roster today, which only the office changes. */
  noLeave: (p: { cadre: string | null; roster: string | null; openCases: readonly number[] }) =>
    p.roster
      ? `${p.cadre ?? '您'}${p.roster}的休假是排班表里登记的，提前销假请联系办公室修改排班表。`
      : `${p.cadre ?? '您'}现在没有请假，不用销假${p.cadre ? '' : '，新事项照常派给您'}。${openLine(p.openCases)}`,
  /** A cadre naming another in 请假 / 销假. */
  leaveOwnOnly: (verb: string) => `您只能为自己${verb}。为其他同志${verb}，请找部门负责人或办公室。`,
  /** A head naming a cadre of another department. */
  leaveOwnDepartment: (p: { verb: string; cadre: string }) => `${p.cadre}不是本部门的同志，为他${p.verb}请找他所在部门的负责人或办公室。`,
};
