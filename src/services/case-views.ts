/**
 * What cadres read about cases, without changing any: 任务, the 接单 prompt, 超时, 我们站有多少件,
 * where one case stands (1001怎么样了), cases to choose from by number, and 延期 requests waiting.
 * Each case is one line (see {@link CaseViews.line}).
 */
import type { Config } from '../config/schema.js';
import type { Repositories } from '../db/database.js';
import type { Cadre } from '../db/entities/cadre.entity.js';
import type { Case } from '../db/entities/case.entity.js';
import { openCaseStatuses } from '../domain/case.js';
import type { DispatchService } from './dispatch.service.js';
import { lateness } from './stats-format.js';
import { excerpt, formatTime, limitNames, mediaKinds, ratingNames, replies, statusNames } from './replies.js';

export class CaseViews {
  constructor(
    private readonly config: Config,
    private readonly dispatch: DispatchService,
  ) {}

  /** 任务: the cadre's open cases, each with its next limit and who wrote what. */
  async tasks(tx: Repositories, cadre: Cadre, now: Date): Promise<string> {
    const cases = await tx.cases.openForAssignee(cadre.id);
    if (cases.length === 0) return replies.noTasks();
    const residents = await tx.residents.names(cases.map((c) => c.residentId));
    return [`您的待办（${cases.length} 件）：`, ...cases.map((c) => this.line(c, residents, now))].join('\n');
  }

  /** How to accept the waiting cases: `接单` alone for one, the list and `接单 编号` for several. */
  async acceptPrompt(tx: Repositories, waiting: Case[], now: Date): Promise<string> {
    const residents = await tx.residents.names(waiting.map((c) => c.residentId));
    return replies.acceptPrompt(waiting.map((c) => ({ number: c.number, line: this.line(c, residents, now) })));
  }

  /**
   * How many cases a head's departments have open, per holder (the office: every department, per
   * department), with those waiting for acceptance and those overdue.
   */
  async openCases(tx: Repositories, cadre: Cadre, now: Date): Promise<string> {
    const office = cadre.role === 'office';
    const counts = await tx.cases.openCounts(now, office ? null : cadre.departmentIds);
    const holders = new Map((await tx.cadres.findByIds(counts.flatMap((c) => (c.assigneeId ? [c.assigneeId] : [])))).map((c) => [c.id, c.name]));
    const groups = new Map<string, { name: string; open: number; waiting: number; overdue: number }>();
    for (const row of counts) {
      const key = office ? row.departmentId : (row.assigneeId ?? '');
      const name = office ? (this.dispatch.departments.get(row.departmentId)?.name ?? row.departmentId) : (holders.get(row.assigneeId ?? '') ?? '无人');
      const group = groups.get(key) ?? { name, open: 0, waiting: 0, overdue: 0 };
      group.open += row.open;
      group.waiting += row.waiting;
      group.overdue += row.overdue;
      groups.set(key, group);
    }
    const scope = office ? '全镇' : cadre.departmentIds.map((id) => this.dispatch.departments.get(id)?.name ?? id).join('、');
    return replies.openCases({ scope, groups: [...groups.values()].sort((a, b) => b.open - a.open) });
  }

  /**
   * 超时: the open cases of a head's departments (the office: all) past a limit, with their holders
   * and how late they are, the first {@link listShown}; then how to nudge one.
   */
  async overdueList(tx: Repositories, cadre: Cadre, now: Date): Promise<string> {
    const departments = cadre.role === 'office' ? null : cadre.departmentIds;
    const found = await tx.cases.overdue(now, departments, listShown + 1);
    if (found.length === 0) return replies.noOverdue();
    const cases = found.slice(0, listShown);
    const holders = new Map((await tx.cadres.findByIds(cases.flatMap((c) => (c.assigneeId ? [c.assigneeId] : [])))).map((c) => [c.id, c.name]));
    const residents = await tx.residents.names(cases.map((c) => c.residentId));
    const line = (c: Case) => this.line(c, residents, now, { holder: holders.get(c.assigneeId ?? '') ?? '无人' });
    return replies.overdueList({ lines: cases.map(line), more: found.length > cases.length, example: cases[0]!.number });
  }

  /** "都有哪些没接的": the cases of a head's departments (the office: all) waiting to be accepted, with their holders. */
  async waitingList(tx: Repositories, cadre: Cadre, now: Date): Promise<string> {
    const cases = await tx.cases.waiting(cadre.role === 'office' ? null : cadre.departmentIds, listShown);
    if (cases.length === 0) return replies.noneWaiting();
    const holders = new Map((await tx.cadres.findByIds(cases.flatMap((c) => (c.assigneeId ? [c.assigneeId] : [])))).map((c) => [c.id, c.name]));
    const residents = await tx.residents.names(cases.map((c) => c.residentId));
    return replies.waitingList({ lines: cases.map((c) => this.line(c, residents, now, { holder: holders.get(c.assigneeId ?? '') ?? '无人' })), example: cases[0]!.number });
  }

  /** Cases for the cadre to choose from by number: who wrote, and what. */
  async choices(tx: Repositories, cases: readonly Case[]): Promise<{ number: number; resident: string; text: string }[]> {
    const residents = await tx.residents.names(cases.map((c) => c.residentId));
    return cases.map((c) => ({ number: c.number, resident: residents.get(c.residentId) || '群众', text: c.description }));
  }

  /** 延期 requests waiting for a head's decision, listed with how to decide each. */
  async requestsWaiting(tx: Repositories, waiting: readonly Case[], refusal?: string): Promise<string> {
    const askers = new Map((await tx.cadres.findByIds(waiting.map((c) => c.extensionRequest!.cadreId))).map((c) => [c.id, c.name]));
    const requests = waiting.map((c) => ({ number: c.number, ...c.extensionRequest!, cadre: askers.get(c.extensionRequest!.cadreId) ?? '' }));
    return replies.extensionRequestsWaiting(requests, refusal);
  }

  /** Where `kase` stands, for `cadre` (who may act on it): see `replies.caseStatus`. */
  async status(tx: Repositories, kase: Case, cadre: Cadre, now: Date): Promise<string> {
    const tz = this.config.township.timezone;
    const residents = await tx.residents.names([kase.residentId]);
    const open = openCaseStatuses.includes(kase.status);
    const head = open
      ? this.line(kase, residents, now)
      : `#${kase.number} ${this.dispatch.villageName(kase.villageId)} ${this.dispatch.departments.get(kase.departmentId)?.name ?? kase.departmentId} ` +
        `${statusNames[kase.status]}\n  ${residents.get(kase.residentId) || '群众'}：${excerpt(kase.description, excerptLength)}`;
    const reply = open ? await tx.cases.lastReply(kase.id) : null;
    const request = kase.extensionRequest;
    return replies.caseStatus({
      number: kase.number,
      head,
      holder: kase.assigneeId ? (await tx.cadres.get(kase.assigneeId)).name : '无人',
      acceptedAt: kase.acceptedAt && kase.status !== 'assigned' ? formatTime(kase.acceptedAt, tz) : null,
      reply: reply
        ? {
            at: formatTime(reply.at, tz),
            by: reply.actorId ? (await tx.cadres.get(reply.actorId)).name : '',
            what: reply.text ? `：${excerpt(reply.text, 20)}` : `发了${mediaKinds[reply.kind ?? ''] ?? '消息'}`,
          }
        : null,
      resolved: kase.resolvedAt && !open
        ? { at: formatTime(kase.resolvedAt, tz), note: kase.resolutionNote ?? '', rating: kase.rating ? ratingNames[kase.rating] : null }
        : null,
      extension: request && open ? { days: request.days, reason: request.reason } : null,
      asker: !open ? null : kase.assigneeId === cadre.id ? 'holder' : 'supervisor',
    });
  }

  /**
   * "#1001 东山村 农技站 待接单 · 接单时限 11月26日 10:00", and below it who wrote and the
   * start of what they wrote, so cases of one village and department can be told apart. The
   * limit shown is the next one the holder has to meet, marked when it has passed by `now`;
   * in the 超时 list (`overdue`), the first one that has passed, unmarked — a case given anew
   * (派单) waits for a fresh acceptance while its reply to the resident is already late.
   */
  line(kase: Case, residents: Map<number, string>, now: Date, overdue?: { holder: string }): string {
    const tz = this.config.township.timezone;
    const village = this.dispatch.villageName(kase.villageId);
    const department = this.dispatch.departments.get(kase.departmentId)?.name ?? kase.departmentId;
    const next =
      kase.status === 'assigned'
        ? (['accept', kase.acceptDueAt] as const)
        : !kase.firstResponseAt && kase.firstResponseDueAt && (!kase.resolveDueAt || kase.firstResponseDueAt < kase.resolveDueAt)
          ? (['first-response', kase.firstResponseDueAt] as const)
          : (['resolve', kase.resolveDueAt] as const);
    const [limit, due] = (overdue && passedLimit(kase, now)) || next;
    const urgent = kase.priority === 'urgent' ? '【紧急】' : '';
    const late = !due || due > now ? '' : overdue ? `（已超 ${lateness(due, kase.priority, now, this.dispatch.workingTime)}）` : '（已超时）';
    const head = `#${kase.number} ${urgent}${village} ${department} ${statusNames[kase.status]} · ${limitNames[limit]}时限 ${due ? formatTime(due, tz) : '—'}${late}`;

    return `${head}${overdue ? ` · ${overdue.holder}` : ''}\n  ${residents.get(kase.residentId) || '群众'}：${excerpt(kase.description, excerptLength)}`;
  }
}

/** How many cases the 超时 and 待接单 lists show; the dashboard has them all. */
const listShown = 30;

/** The earliest limit of an open case that has passed by `now`, if any. */
function passedLimit(kase: Case, now: Date): readonly ['accept' | 'first-response' | 'resolve', Date] | undefined {
  const running = [
    ['accept', kase.status === 'assigned' ? kase.acceptDueAt : null],
    ['first-response', kase.firstResponseAt ? null : kase.firstResponseDueAt],
    ['resolve', kase.resolveDueAt],
  ] as const;
  return running
    .filter((entry): entry is readonly [(typeof entry)[0], Date] => entry[1] !== null && entry[1] <= now)
    .sort((a, b) => a[1].getTime() - b[1].getTime())[0];
}

/** Characters of a case's text shown in 任务 and 超时 lists. */
const excerptLength = 14;
