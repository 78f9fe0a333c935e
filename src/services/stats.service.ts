/**
 * The statistics the office reviews (一月一讲评): figures per cadre, department, village and
 * month, rankings, bookings, the overdue list, a case's history and the month's hotspots.
 * Figures come from the stats repository (one SQL source); this file adds names, rankings
 * and months, and answers the chat command `统计`.
 */
import { DateTime } from 'luxon';
import { dashboardSettings, findDepartment, type Config } from '../config/schema.js';
import type { Repositories } from '../db/database.js';
import {
  StatsRepository,
  caseFlags,
  caseOrders,
  type BookingFigures,
  type BookingGrouping,
  type CaseDetail,
  type CaseFacts,
  type CaseFigures,
  type CaseFlag,
  type CaseListFilter,
  type CaseOrder,
  type CaseScope,
  type OverdueCase,
} from '../db/repositories/stats.repository.js';
import { chatText, type ChatSummaryInput } from './stats-format.js';
import { unknownVillageId } from '../domain/case.js';
import { workingMinutesPerDay } from '../domain/sla.js';
import { formatTime, unknownVillageName } from './replies.js';

export { caseFlags, caseOrders };
export type { CaseFigures, CaseFacts, CaseFlag, CaseListFilter, CaseOrder, OverdueCase, CaseDetail, BookingFigures, BookingGrouping };

/** The groupings the office reviews by. */
export const groupings = ['cadre', 'department', 'village'] as const;
export type Grouping = (typeof groupings)[number];

/** Whose figures: all departments (office), or some (a head's). */
export interface Scope {
  departmentIds: readonly string[] | null;
}
export const wholeTownship: Scope = { departmentIds: null };

export interface GroupRow {
  key: string;
  name: string;
  figures: CaseFigures;
  /** Place in the ranking; null when not ranked (too few cases, or not a cadre grouping). */
  rank: number | null;
  /**
   * The same group's figures the month before, counted the same way (empty without cases), to show
   * the change (`monthChanges`); null when not read (`byGroup` with `compare` false).
   */
  previous: CaseFigures | null;
}

export interface GroupStats {
  month: string;
  /** Whose figures, as people say it: 全乡镇, or the departments (农技站). */
  scopeName: string;
  grouping: Grouping;
  rows: GroupRow[];
  total: CaseFigures;
  /** The month before and its total; null when not read (`byGroup` with `compare` false). */
  previous: { month: string; total: CaseFigures } | null;
  minCasesForRanking: number;
}

export interface Hotspot {
  villageId: string;
  villageName: string;
  cases: number;
  departments: { name: string; count: number }[];
  topics: { word: string; count: number; departmentName: string; examples: number[] }[];
}

// ── Months ─────────────────────────────────────────────────────────────────────────────────

const monthPattern = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(text: string): boolean {
  return monthPattern.test(text);
}

/** The township-local calendar month of an instant, "YYYY-MM". */
export function monthOf(at: Date, timezone: string): string {
  return DateTime.fromJSDate(at, { zone: timezone }).toFormat('yyyy-MM');
}

export function addMonths(month: string, delta: number): string {
  return DateTime.fromFormat(month, 'yyyy-MM', { zone: 'UTC' }).plus({ months: delta }).toFormat('yyyy-MM');
}

/** [from, to) of a township-local month. */
export function monthBounds(month: string, timezone: string): { from: Date; to: Date } {
  if (!isMonth(month)) throw new RangeError(`not a month "YYYY-MM": ${JSON.stringify(month)}`);
  const start = DateTime.fromFormat(month, 'yyyy-MM', { zone: timezone }).startOf('month');
  return { from: start.toJSDate(), to: start.plus({ months: 1 }).toJSDate() };
}

/**
 * A month as people write it: 本月, 上月, 2026-10, 2026-1, 2026年10月, 10月 (this year, or last
 * year when that month has not come yet), 202610. Null when it is not a month.
 */
export function parseMonth(text: string, now: Date, timezone: string): string | null {
  const current = monthOf(now, timezone);
  const t = text.trim().normalize('NFKC');
  if (t === '本月' || t === '这个月') return current;
  if (t === '上月' || t === '上个月') return addMonths(current, -1);
  let m = /^(\d{4})[-/.年](\d{1,2})月?$/.exec(t) ?? /^(\d{4})(\d{2})$/.exec(t);
  if (m) {
    const month = `${m[1]}-${m[2]!.padStart(2, '0')}`;
    return isMonth(month) ? month : null;
  }
  m = /^(\d{1,2})月$/.exec(t);
  if (m) {
    const n = Number(m[1]);
    if (n < 1 || n > 12) return null;
    const year = Number(current.slice(0, 4));
    const month = `${year}-${String(n).padStart(2, '0')}`;
    return month > current ? `${year - 1}-${String(n).padStart(2, '0')}` : month;
  }
  return null;
}

// ── Rankings ───────────────────────────────────────────────────────────────────────────────

/** Higher first, nulls last. */
const desc = (a: number | null, b: number | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : b - a);
/** Lower first, nulls last. */
const asc = (a: number | null, b: number | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a - b);

/** Fewer answered callbacks than this say little of a cadre: their 满意率 ranks as the scope's own. */
export const minAnsweredForRanking = 3;

/** The 满意率 a cadre is ranked by: their own, or with too few answers the whole scope's (`scope`). */
function rankingSatisfaction(figures: CaseFigures, scope: CaseFigures | null): number | null {
  return figures.answered >= minAnsweredForRanking || !scope ? figures.satisfactionRate : scope.satisfactionRate;
}

/**
 * The ranking order: 满意率 (see {@link rankingSatisfaction}), 响应率, 按时办结率 (higher first),
 * then median working response time (shorter first).
 */
export function compareForRanking(a: CaseFigures, b: CaseFigures, scope: CaseFigures | null = null): number {
  return (
    desc(rankingSatisfaction(a, scope), rankingSatisfaction(b, scope)) ||
    desc(a.responseRate, b.responseRate) ||
    desc(a.onTimeClosureRate, b.onTimeClosureRate) ||
    asc(a.responseMedianWorkingMinutes, b.responseMedianWorkingMinutes)
  );
}

/**
 * Ranks the rows with at least `minCases` dispatched cases (ties share a place); the others
 * keep rank null. Returns ranked rows first in ranking order, then the others by cases.
 */
export function rankRows<T extends { name: string; figures: CaseFigures; rank: number | null }>(
  rows: T[],
  minCases: number,
  scope: CaseFigures | null = null,
): T[] {
  const compare = (a: CaseFigures, b: CaseFigures) => compareForRanking(a, b, scope);
  const eligible = rows.filter((r) => r.figures.dispatched >= Math.max(1, minCases)).sort((a, b) => compare(a.figures, b.figures));
  eligible.forEach((row, i) => {
    const previous = eligible[i - 1];
    row.rank = previous && compare(previous.figures, row.figures) === 0 ? previous.rank : i + 1;
  });
  const others = rows
    .filter((r) => !eligible.includes(r))
    .map((r) => Object.assign(r, { rank: null }))
    .sort((a, b) => b.figures.dispatched - a.figures.dispatched || a.name.localeCompare(b.name, 'zh'));
  return [...eligible, ...others];
}

/** Figures of a group without cases. */
export function emptyFigures(key: string): CaseFigures {
  return {
    key, dispatched: 0, open: 0, responded: 0, respondedInTime: 0, responsesDue: 0, responseRate: null, responseMedianMinutes: null,
    responseP90Minutes: null, responseMedianWorkingMinutes: null, responseP90WorkingMinutes: null, resolved: 0,
    resolvedOnTime: 0, resolutionsDue: 0, onTimeClosureRate: null, resolutionMedianMinutes: null, resolutionP90Minutes: null,
    resolutionMedianWorkingMinutes: null, resolutionP90WorkingMinutes: null, satisfied: 0, basicallySatisfied: 0,
    unsatisfied: 0, noAnswer: 0, answered: 0, resolutionRate: null, satisfactionRate: null, unsatisfiedShare: null,
    callbackResponseRate: null, sentBack: 0, sendBackRate: null, reopened: 0, reopenRate: null, overdue: 0, repeat: 0,
  };
}

// ── Hotspots ───────────────────────────────────────────────────────────────────────────────

const escapeRegExp = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Village names by id. Cases whose resident never said the village count under a row of their own
 * until the office sets it (定村).
 */
function villageNames(config: Pick<Config, 'villages'>): Map<string, string> {
  return new Map([...config.villages.map((v) => [v.id, v.name] as const), [unknownVillageId, unknownVillageName] as const]);
}

/**
 * The month's topics per village: which department keywords (and urgent words) the residents'
 * words contain, counted once per case, most frequent first; plus the departments asked most.
 * Overlapping words count as the longest (非洲猪瘟, not also 猪瘟 and 猪).
 */
export function findHotspots(
  texts: readonly { number: number; villageId: string; departmentId: string; description: string }[],
  config: Pick<Config, 'departments' | 'villages'>,
  topics = 5,
): Hotspot[] {
  const owner = new Map<string, string>();
  for (const d of config.departments) {
    for (const word of [...d.keywords.map((k) => k.word), ...d.urgentKeywords]) {
      const key = word.normalize('NFKC').toLowerCase().trim();
      if (key && !owner.has(key)) owner.set(key, d.id);
    }
  }
  const words = [...owner.keys()].sort((a, b) => b.length - a.length);
  const pattern = words.length > 0 ? new RegExp(words.map(escapeRegExp).join('|'), 'g') : null;
  const departmentName = new Map(config.departments.map((d) => [d.id, d.name]));

  const byVillage = new Map<string, { cases: number; departments: Map<string, number>; topics: Map<string, { count: number; examples: number[] }> }>();
  for (const text of texts) {
    let village = byVillage.get(text.villageId);
    if (!village) byVillage.set(text.villageId, (village = { cases: 0, departments: new Map(), topics: new Map() }));
    village.cases += 1;
    village.departments.set(text.departmentId, (village.departments.get(text.departmentId) ?? 0) + 1);
    if (!pattern) continue;
    const found = new Set(text.description.normalize('NFKC').toLowerCase().match(pattern) ?? []);
    for (const word of found) {
      const topic = village.topics.get(word) ?? { count: 0, examples: [] };
      topic.count += 1;
      if (topic.examples.length < 3) topic.examples.push(text.number);
      village.topics.set(word, topic);
    }
  }
  const villageName = villageNames(config);
  const order = new Map(config.villages.map((v, i) => [v.id, i]));
  return [...byVillage.entries()]
    .sort(([a, x], [b, y]) => y.cases - x.cases || (order.get(a) ?? 99) - (order.get(b) ?? 99))
    .map(([villageId, v]) => ({
      villageId,
      villageName: villageName.get(villageId) ?? villageId,
      cases: v.cases,
      departments: [...v.departments.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([id, count]) => ({ name: departmentName.get(id) ?? id, count })),
      topics: [...v.topics.entries()]
        .sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0], 'zh'))
        .slice(0, topics)
        .map(([word, t]) => ({ word, count: t.count, departmentName: departmentName.get(owner.get(word)!) ?? '', examples: t.examples })),
    }));
}

// ── The service ────────────────────────────────────────────────────────────────────────────

export class StatsService {
  readonly repo: StatsRepository;
  readonly timezone: string;
  readonly minCasesForRanking: number;
  /** One working day in minutes, for showing working time in days. */
  readonly workingMinutesPerDay: number;
  private readonly departmentNames: Map<string, string>;
  private readonly villageNames: Map<string, string>;

  constructor(
    db: Repositories,
    readonly config: Config,
  ) {
    this.repo = new StatsRepository(db.manager);
    this.timezone = config.township.timezone;
    this.minCasesForRanking = dashboardSettings(config.township).minCasesForRanking;
    this.workingMinutesPerDay = workingMinutesPerDay(config.township.workingHours);
    this.departmentNames = new Map(config.departments.map((d) => [d.id, d.name]));
    this.villageNames = villageNames(config);
  }

  departmentName = (id: string) => this.departmentNames.get(id) ?? id;
  villageName = (id: string) => this.villageNames.get(id) ?? id;
  /** 全乡镇, or the scope's departments: 农技站、卫生院. */
  scopeName = (scope: Scope) => (scope.departmentIds ? scope.departmentIds.map(this.departmentName).join('、') : '全乡镇');

  /** Cadre id → name, for cadres in config and those only in the database (left since). */
  async cadreNames(): Promise<Map<string, string>> {
    const names = await this.repo.cadreNames();
    for (const c of this.config.cadres) names.set(c.id, c.name);
    return names;
  }

  /** The boundaries of `count` months from `first`, in township time. */
  monthBoundaries(first: string, count = 1): Date[] {
    return Array.from({ length: count + 1 }, (_, i) => monthBounds(addMonths(first, i), this.timezone).from);
  }

  scopeOf(month: string, scope: Scope): CaseScope {
    return { months: this.monthBoundaries(month), departmentIds: scope.departmentIds };
  }

  /** The month's figures for the whole scope. */
  async total(month: string, scope: Scope = wholeTownship): Promise<CaseFigures> {
    const [row] = await this.repo.caseFigures('total', this.scopeOf(month, scope));
    return row ?? emptyFigures('all');
  }

  /**
   * The month's figures by cadre, department or village. Every configured cadre, department and
   * village of the scope is listed, also without cases; cadres are ranked (see `rankRows`). With
   * `compare` (the default), each row and the total also carry the month before's figures, read the
   * same way: one more query per table, not one per row.
   */
  async byGroup(month: string, grouping: Grouping, scope: Scope = wholeTownship, { compare = true } = {}): Promise<GroupStats> {
    const caseScope = this.scopeOf(month, scope);
    const previousMonth = addMonths(month, -1);
    const previousScope = this.scopeOf(previousMonth, scope);
    const reads = [
      () => this.repo.caseFigures(grouping, caseScope),
      () => this.repo.caseFigures('total', caseScope),
      ...(compare ? [() => this.repo.caseFigures(grouping, previousScope), () => this.repo.caseFigures('total', previousScope)] : []),
    ];
    // From the pool the reads run side by side, so the month before adds little waiting on two
    // cores; inside a transaction (统计 in chat) they share one connection, one after the other.
    const results: CaseFigures[][] = [];
    if (this.repo.inTransaction) for (const read of reads) results.push(await read());
    else results.push(...(await Promise.all(reads.map((read) => read()))));
    const [figures, [total], before = null, [previousTotal] = []] = results as [CaseFigures[], CaseFigures[], CaseFigures[]?, CaseFigures[]?];
    const byKey = new Map(figures.map((f) => [f.key, f]));
    const previousByKey = new Map(before?.map((f) => [f.key, f]));
    const previous = (key: string) => (before ? (previousByKey.get(key) ?? emptyFigures(key)) : null);
    const inScope = (departments: readonly string[]) => !scope.departmentIds || departments.some((d) => scope.departmentIds!.includes(d));
    let rows: GroupRow[];
    if (grouping === 'cadre') {
      const names = await this.cadreNames();
      const keys = new Set([...this.config.cadres.filter((c) => inScope(c.departments)).map((c) => c.id), ...byKey.keys()]);
      rows = [...keys].map((key) => ({
        key,
        name: key === '' ? '（无人）' : (names.get(key) ?? key),
        figures: byKey.get(key) ?? emptyFigures(key),
        rank: null,
        previous: previous(key),
      }));
      rows = rankRows(rows, this.minCasesForRanking, total ?? null);
    } else {
      const configured =
        grouping === 'department'
          ? this.config.departments.filter((d) => inScope([d.id])).map((d) => d.id)
          : this.config.villages.map((v) => v.id);
      const keys = [...configured, ...[...byKey.keys()].filter((k) => !configured.includes(k))];
      const name = grouping === 'department' ? this.departmentName : this.villageName;
      rows = keys.map((key) => ({ key, name: name(key), figures: byKey.get(key) ?? emptyFigures(key), rank: null, previous: previous(key) }));
    }
    return {
      month,
      scopeName: this.scopeName(scope),
      grouping,
      rows,
      total: total ?? emptyFigures('all'),
      previous: compare ? { month: previousMonth, total: previousTotal ?? emptyFigures('all') } : null,
      minCasesForRanking: this.minCasesForRanking,
    };
  }

  /**
   * The counts and rates (三率 …) of the `months` months up to `lastMonth`, oldest first, empty
   * months included; times and 重复诉求 are left out (null, 0).
   */
  async trend(lastMonth: string, months = 12, scope: Scope = wholeTownship): Promise<{ month: string; figures: CaseFigures }[]> {
    const first = addMonths(lastMonth, -(months - 1));
    const caseScope: CaseScope = { months: this.monthBoundaries(first, months), departmentIds: scope.departmentIds };
    // The hourly rollup answers for townships whose months begin on a whole UTC hour (all of China).
    const rows = caseScope.months.every((at) => at.getTime() % 3_600_000 === 0)
      ? await this.repo.monthlyCountsFromRollup(caseScope)
      : await this.repo.caseFigures('month', caseScope);
    // Keys are month numbers: 1 = the first month.
    const byMonth = new Map(rows.map((r) => [addMonths(first, Number(r.key) - 1), r]));
    return Array.from({ length: months }, (_, i) => {
      const month = addMonths(first, i);
      const figures = byMonth.get(month);
      return { month, figures: figures ? { ...figures, key: month } : emptyFigures(month) };
    });
  }

  /** Bookings of the month (by visit time) by service, department, village or cadre, with names. */
  async bookings(month: string, grouping: BookingGrouping, scope: Scope = wholeTownship): Promise<(BookingFigures & { name: string })[]> {
    const rows = await this.repo.bookingFigures(grouping, this.scopeOf(month, scope));
    const services = new Map(this.config.departments.flatMap((d) => d.services.map((s) => [s.id, `${s.name}（${d.name}）`] as const)));
    const cadres = grouping === 'cadre' ? await this.cadreNames() : new Map<string, string>();
    const name = (key: string) =>
      grouping === 'service' ? (services.get(key) ?? key)
      : grouping === 'department' ? this.departmentName(key)
      : grouping === 'village' ? this.villageName(key)
      : key === '' ? '（未指定）' : (cadres.get(key) ?? key);
    return rows.map((r) => ({ ...r, name: name(r.key) }));
  }

  /** The month's cases with their facts, oldest first. */
  cases(month: string, filter: CaseListFilter = {}, scope: Scope = wholeTownship): Promise<{ total: number; cases: CaseFacts[] }> {
    return this.repo.caseFacts(this.scopeOf(month, scope), filter);
  }

  overdueNow(now: Date, scope: Scope = wholeTownship): Promise<OverdueCase[]> {
    return this.repo.overdueNow(now, scope.departmentIds);
  }

  caseDetail(number: number): Promise<CaseDetail | null> {
    return this.repo.caseDetail(number, (dispatchedAt) => this.monthBoundaries(monthOf(dispatchedAt, this.timezone)));
  }

  async hotspots(month: string, scope: Scope = wholeTownship): Promise<Hotspot[]> {
    return findHotspots(await this.repo.caseTexts(this.scopeOf(month, scope)), this.config);
  }
}

// ── Chat: 统计 ──────────────────────────────────────────────────────────────────────────────

/**
 * The answer to `统计 [本月|上月|YYYY-MM] [部门]` (words in any order): a compact summary of
 * the month (default this month). Heads see their departments (or one of them by name), the
 * office sees the township (or a department). Plain cadres are refused.
 */
export async function statsReply(
  db: Repositories,
  config: Config,
  cadre: { id: string; role: 'cadre' | 'head' | 'office'; departmentIds: string[] },
  args: string,
  now: Date,
): Promise<string> {
  if (cadre.role === 'cadre') return chatText.supervisorsOnly();
  const timezone = config.township.timezone;
  let month = monthOf(now, timezone);
  let department: Config['departments'][number] | undefined;
  for (const word of args.normalize('NFKC').trim().split(/[\s,，、]+/).filter(Boolean)) {
    const asMonth = parseMonth(word, now, timezone);
    if (asMonth) {
      month = asMonth;
      continue;
    }
    const found = findDepartment(config.departments, word);
    if (!found) {
      // The example names a department of this township: the head's own, else the first that is not the office.
      const example =
        config.departments.find((d) => cadre.role === 'head' && cadre.departmentIds.includes(d.id)) ??
        config.departments.find((d) => d.id !== config.township.officeDepartment) ??
        config.departments[0]!;
      return chatText.usage(word, example.name);
    }
    department = found;
  }

  const own = cadre.role === 'office' ? null : cadre.departmentIds;
  const nameOf = (id: string) => config.departments.find((d) => d.id === id)?.name ?? id;
  if (department && own && !own.includes(department.id)) {
    return chatText.notYourDepartment(department.name, own.map(nameOf).join('、'));
  }
  const departmentIds = department ? [department.id] : own;
  const scope: Scope = { departmentIds };
  const stats = new StatsService(db, config);
  const scopeName = stats.scopeName(scope);

  // One department: its cadres; several or all: the departments.
  const grouping: Grouping = departmentIds && departmentIds.length === 1 ? 'cadre' : 'department';
  // One after the other: a chat command runs in the message's transaction, on one connection.
  const groups = await stats.byGroup(month, grouping, scope);
  const bookingRows = await stats.bookings(month, 'department', scope);
  if (groups.total.dispatched === 0 && bookingRows.length === 0) {
    const lastMonth = month === monthOf(now, timezone) ? `统计 ${department ? `${department.name} ` : ''}上月` : null;
    return chatText.noCases(month, scopeName, lastMonth);
  }
  // Read with the breakdown (byGroup compares by default).
  const previous = groups.previous!.total;
  // A cadre none of whose cases counts for them may still have answers to their 办结 (a case closed by another).
  const shown = groups.rows.filter((r) => r.figures.dispatched > 0 || r.figures.answered > 0);
  const bookings = bookingRows.reduce(
    (sum, r) => ({ total: sum.total + r.total, booked: sum.booked + r.booked, completed: sum.completed + r.completed, noShow: sum.noShow + r.noShow, cancelled: sum.cancelled + r.cancelled }),
    { total: 0, booked: 0, completed: 0, noShow: 0, cancelled: 0 },
  );
  const input: ChatSummaryInput = {
    month,
    scopeName,
    asOf: formatTime(now, timezone),
    total: groups.total,
    previous,
    breakdownTitle: grouping === 'cadre' ? '干部' : '部门',
    breakdown: (grouping === 'department' ? [...shown].sort((a, b) => b.figures.dispatched - a.figures.dispatched) : shown).map((r) => ({
      name: r.name,
      figures: r.figures,
      rank: r.rank,
    })),
    unrankedCount: grouping === 'cadre' ? shown.filter((r) => r.rank === null).length : 0,
    minCasesForRanking: groups.minCasesForRanking,
    bookings,
    minutesPerDay: stats.workingMinutesPerDay,
  };
  return chatText.summary(input);
}
