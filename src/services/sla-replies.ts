/**
 * What the time-limit sweep tells cadres and heads: 【提醒】 before a limit, 【超时】 past it, 【催办】 to
 * the head, and 【新案件】 given anew; one case in a message of its own, several a line each.
 */
import { excerpt, limitNames } from './replies.js';

export const slaReplies = {
  slaWarning: (p: { number: number; limits: readonly { limit: string; due: string }[] }) =>
    `【提醒】#${p.number} 将于 ${p.limits.map((l) => `${l.due} 到${l.limit}时限`).join('、')}，请及时处理。`,
  /** Several of a holder's cases near a limit in one sweep: a line each, then what to send. */
  slaWarningSeveral: (cases: readonly WarningLine[]) =>
    `【提醒】${cases.length} 件快到时限，请及时处理：\n` +
    cases.map((c) => caseLine(c, c.limits.map((l) => `${l.due} 前${limitNames[l.limit]}`).join('、'))).join('\n') +
    `\n${actionLine(cases.flatMap((c) => c.limits.map((l) => ({ number: c.number, limit: l.limit, dispatcher: c.dispatcher }))))}`,
  slaOverdueHolder: (p: { number: number; limit: string }) => `【超时】#${p.number} 已超过${p.limit}时限，请尽快处理。`,
  /** Several of a holder's cases past a limit in one sweep: a line each, then what to send. */
  slaOverdueHolderSeveral: (cases: readonly OverdueLine[]) =>
    `【超时】${cases.length} 件已超过时限，请尽快处理：\n` +
    cases.map((c) => caseLine(c, `${limitNames[c.limit]}超时（时限 ${c.due}）`)).join('\n') +
    `\n${actionLine(cases)}`,
  /** `resident`, `text`: whose matter and its start, so a head reading on the road knows which case it is. */
  slaEscalated: (p: EscalationNotice) =>
    `【催办】#${p.number} ${p.village} · ${p.department}：${p.from}${p.limit}超时` +
    (p.to ? `，已转由${p.to}办理。` : '。') +
    `\n${p.resident || '群众'}：${excerpt(p.text, 30)}` +
    `\n督办请发：督办 ${p.number}；派单请发：派单 ${p.number} 干部姓名或部门`,
  /** Several cases of one department late in one sweep: one message, a line each, for a head reading on a phone. */
  slaEscalatedSeveral: (cases: readonly EscalationNotice[]) =>
    `【催办】${cases[0]!.department} ${cases.length} 件超时：\n` +
    cases.map((p) => caseLine(p, `${p.from}${p.limit}超时${p.to ? `，已转由${p.to}办理` : ''}`)).join('\n') +
    `\n督办请发：督办 ${cases[0]!.number}；派单请发：派单 ${cases[0]!.number} 干部姓名或部门`,
  escalationNote: (from: string) => `（原负责人${from}超时未接单，转由您办理）`,
  /** Several cases given anew to one cadre in one sweep, nobody having accepted them in time: a line each, then how to take them. */
  cadreNewCases: (cases: readonly NewCaseLine[]) =>
    `【新案件】${cases.length} 件超时未接单，转由您办理：\n` +
    cases.map((c) => caseLine(c, `原${c.from}，${c.next.due ? `${c.next.due} 前` : '尽快'}${limitNames[c.next.limit]}`)).join('\n') +
    `\n${actionLine(cases.map((c) => ({ number: c.number, limit: 'accept', dispatcher: c.dispatcher })))}`,
};

/** A case in a sweep's list of several: its number, village, whose matter and its start. */
interface CaseLine {
  number: number; village: string; resident: string; text: string;
}

/** "#1001 东岸村 12:00 前接单 · 赵叔：水稻纹枯病怎么治": `what` is what the list is about. */
const caseLine = (p: CaseLine, what: string) => `#${p.number} ${p.village} ${what} · ${p.resident || '群众'}：${excerpt(p.text, 12)}`;

/** A limit a cadre works against, as the sweep names it. */
type WorkLimitName = Exclude<keyof typeof limitNames, 'callback'>;

/**
 * What a holder sends about a list's cases, by the limit each runs against, on one line:
 * "接单请发：接单 1001 1002；转告群众请发：回复 1003 内容". A case its holder is to place (the
 * office's, or a head's whom routing gave it for want of anyone on duty) offers 派单 before 接单,
 * as its 【新案件】 did; the 派单 example names such a case.
 */
function actionLine(cases: readonly { number: number; limit: WorkLimitName; dispatcher?: boolean }[]): string {
  const numbers = (limit: WorkLimitName) => [...new Set(cases.filter((c) => c.limit === limit).map((c) => c.number))];
  const accept = numbers('accept');
  const [respond] = numbers('first-response');
  const [resolve] = numbers('resolve');
  const toPlace = cases.find((c) => c.limit === 'accept' && c.dispatcher);
  return [
    accept.length > 0 ? `${toPlace ? `派单请发：派单 ${toPlace.number} 干部姓名或部门；自己办理请发：` : '接单请发：'}接单 ${accept.join(' ')}` : '',
    respond !== undefined ? `转告群众请发：回复 ${respond} 内容` : '',
    resolve !== undefined ? `办结请发：办结 ${resolve} 办理说明` : '',
  ].filter(Boolean).join('；');
}

/** A case given anew to a cadre at its accept limit: from whom, and the next limit it runs against (due null: passed). */
export interface NewCaseLine extends CaseLine {
  from: string;
  next: { limit: WorkLimitName; due: string | null };
  /** Whoever got it is to place it (派单) or do it himself. */
  dispatcher: boolean;
}

/** A holder's case near its limits: each limit with its due time. */
export interface WarningLine extends CaseLine {
  limits: readonly { limit: WorkLimitName; due: string }[];
  /** The holder is to place it (派单) or do it himself, as the office's dispatchers are. */
  dispatcher: boolean;
}

/** A holder's case past a limit, and when that was. */
export interface OverdueLine extends CaseLine {
  limit: WorkLimitName;
  due: string;
}

/** What a head's 【催办】 says about one case: where, whose lateness, which limit, whose matter. */
export interface EscalationNotice extends CaseLine {
  department: string; limit: string; from: string; to: string | null;
}
