/**
 * The dashboard's pages and downloads, each a thin read of the statistics service (the 概览's
 * 请假 list: of leave) rendered by an eta template in ./views. Every page takes `?month=YYYY-MM`
 * (default: this month).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import type { CadreRole, Config } from '../config/schema.js';
import type { Repositories } from '../db/database.js';
import { missingHolidayYear, type WorkCalendar } from '../domain/calendar.js';
import type { WorkingTime } from '../domain/sla.js';
import { localDate } from '../domain/slots.js';
import type { Clock } from '../services/clock.js';
import { leaveDays } from '../services/leave-replies.js';
import { leavesBetween, standInsFor } from '../services/leave.service.js';
import {
  asOfText,
  casesCsv,
  groupCsv,
  groupWorkbook,
  monthlyWorkbook,
  reportFileName,
} from '../services/report.service.js';
import {
  caseFlagNames,
  changeText,
  changeTitle,
  cut,
  dateTime,
  drillDowns,
  duration,
  eventDetail,
  eventNames,
  figures,
  figureText,
  groupingNames,
  hasChange,
  lapsesText,
  lateness,
  limitNames,
  monthChanges,
  monthName,
  otherDefinitions,
  percent,
  percentOf,
  rankText,
  ratingNames,
  reviewColumns,
  reviewKeys,
  statusNames,
  versusLastMonth,
  workingDuration,
  type FigureKey,
} from '../services/stats-format.js';
import {
  addMonths,
  caseFlags,
  caseOrders,
  groupings,
  parseMonth,
  monthOf,
  wholeTownship,
  type CaseFigures,
  type CaseFlag,
  type CaseListFilter,
  type CaseOrder,
  type Grouping,
  type GroupRow,
  type StatsService,
} from '../services/stats.service.js';

export interface PageContext {
  stats: StatsService;
  config: Config;
  clock: Clock;
  calendar: WorkCalendar;
  /** The leave in chat (`cadre_leaves`), for the 请假 list, and who takes a cadre's new cases meanwhile. */
  db: Repositories;
  render: (reply: FastifyReply, view: string, data: Record<string, unknown>, code?: number) => FastifyReply;
}

type Query = {
  month?: string; sort?: string; dir?: string; cadre?: string; department?: string; village?: string;
  page?: string; format?: string; by?: string; number?: string;
} & Partial<Record<CaseFlag, string>>;
type Request = FastifyRequest<{ Querystring: Query; Params: Record<string, string> }>;

/** Shorter headers where the download's would crowd a screen. */
const screenLabels: Partial<Record<FigureKey, string>> = {
  responseMedianWorkingMinutes: '响应用时（中位）',
  resolutionMedianWorkingMinutes: '办结用时（中位）',
};

/**
 * Where a figure of a table opens its cases: `cases`, the list of the row (or of 合计), with the
 * figure's filter; null when it opens none, or has none to open.
 */
function drillDown(figures: CaseFigures, key: FigureKey, cases: string): { href: string; title: string } | null {
  const drill = drillDowns[key];
  const count = drill?.cases(figures) ?? 0;
  return drill && count > 0 ? { href: `${cases}&${drill.flag}=1`, title: `看${caseFlagNames[drill.flag]}的 ${count} 件` } : null;
}

const casesPerPage = 50;

/** The overview's 请假 list: today and this many days after. */
const leaveDaysAhead = 7;

/** Who put a leave in, as the 请假 list says it: the roster's has no one. */
const setByRole: Partial<Record<CadreRole, string>> = { head: '负责人', office: '办公室' };

/** The case list's filters in the query (a flag as `open=1`); its pages, its download and other months keep them. */
const caseFilterKeys = ['cadre', 'department', 'village', ...caseFlags] as const;

/** The given query parameters that are set, in order, for a link that keeps them. */
function pick(q: Query, keys: readonly (keyof Query)[]): [string, string][] {
  return keys.flatMap((k) => (typeof q[k] === 'string' ? [[k, q[k]] as [string, string]] : []));
}

function caseFilter(q: Query): CaseListFilter {
  return {
    // `cadre=` (empty): the cases nobody is on, as the 干部 table's （无人） row links them.
    ...(q.cadre !== undefined ? { cadreId: q.cadre } : {}),
    ...(q.department ? { departmentId: q.department } : {}),
    ...(q.village ? { villageId: q.village } : {}),
    flags: caseFlags.filter((flag) => q[flag] === '1'),
    ...(caseOrders.includes(q.sort as CaseOrder) ? { order: q.sort as CaseOrder } : {}),
  };
}

export function registerPages(app: FastifyInstance, ctx: PageContext): void {
  const { stats, config, clock, calendar } = ctx;
  const tz = config.township.timezone;
  const currentMonth = () => monthOf(clock(), tz);
  /** The month asked for, as in chat and the report command (2026-10, 上月, 10月); else this month. */
  const monthParam = (request: Request) => {
    const month = request.query.month;
    return (month && parseMonth(month, clock(), tz)) || currentMonth();
  };
  const workingTime: WorkingTime = { timezone: tz, workingHours: config.township.workingHours, calendar };
  /** What every page says at the top until it is put right. */
  const notices = (request: Request) => {
    const shown: string[] = [];
    // From November on, while next year's holidays are unknown.
    const year = calendar.lastKnownYear === undefined ? null : missingHolidayYear(calendar.lastKnownYear, localDate(clock(), tz));
    if (year !== null) shown.push(`${year}年的法定节假日安排还没有录入：录入前，节假日会按工作日计算办理时限。请联系系统管理员补充。`);
    if (request.session.user?.samplePassword) shown.push('这个账号还在使用说明书里公开的示例密码，请尽快联系系统管理员更换。');
    const month = request.query.month;
    if (month && !parseMonth(month, clock(), tz)) shown.push(`没看懂月份“${month}”，下面是本月的数据。月份请写成 2026-10 这样。`);
    return shown;
  };
  /**
   * Why a month's page is empty, said above it (null: it has cases): a month to come has none yet;
   * this month on its first days has none yet either, and the review is of the month before.
   */
  const emptyMonth = (month: string, dispatched: number, department?: string) => {
    const current = currentMonth();
    if (month <= current && dispatched > 0) return null;
    const text = `${month > current ? '' : (department ?? '')}${noneIn(month, '派单')}`;
    const before = addMonths(month, -1);
    return { text, link: month === current ? { href: `?month=${before}`, text: `看上月（${monthName(before)}）›` } : null };
  };
  /**
   * A list with nothing in the month shown: "本月还没有派单。" for this month, "2026年9月没有派单。"
   * for one past, "2027年1月还没有到，没有数据。" for one to come.
   */
  const noneIn = (month: string, what: string) => {
    const current = currentMonth();
    if (month > current) return `${monthName(month)}还没有到，没有数据。`;
    return month === current ? `本月还没有${what}。` : `${monthName(month)}没有${what}。`;
  };
  /**
   * The month shown, as a label, a button or a sentence names it: 本月, "10月" (this year), "2025年12月": a past
   * month is never 本月 (下载10月案件, 10月派单超时).
   */
  const monthShort = (month: string) => {
    const current = currentMonth();
    if (month === current) return '本月';
    return month.slice(0, 4) === current.slice(0, 4) ? `${Number(month.slice(5))}月` : monthName(month);
  };
  /** What every page's layout needs. */
  const base = (request: Request, page: string, month: string) => {
    // Another month of the same view: filters and order stay, the page number does not.
    const kept = pick(request.query, [...caseFilterKeys, 'sort', 'dir']);
    const monthLink = (m: string) => `?${new URLSearchParams([...kept, ['month', m]]).toString()}`;
    return {
      user: request.session.user,
      township: config.township.name,
      notices: notices(request),
      page,
      month,
      monthLabel: monthName(month),
      monthShort: monthShort(month),
      kept,
      previousMonthLink: monthLink(addMonths(month, -1)),
      nextMonthLink: month < currentMonth() ? monthLink(addMonths(month, 1)) : null,
      // A month's figures keep moving while its cases are worked and rated: paper says when it was taken.
      asOf: asOfText(clock(), tz),
      fmt: { percent, versusLastMonth, duration, working: (m: number | null) => workingDuration(m, stats.workingMinutesPerDay), dateTime: (d: Date | null) => dateTime(d, tz), monthName, cut },
    };
  };

  /**
   * Who is away today and in the next days: the roster's leave and chat's, earliest first, with
   * who put it in and who takes the cadre's new cases from today (as the 请假 confirmation says).
   */
  const leaveAhead = async (now: Date) => {
    const today = localDate(now, tz);
    const last = DateTime.fromISO(today).plus({ days: leaveDaysAhead }).toISODate()!;
    const [leaves, names] = await Promise.all([leavesBetween(ctx.db, config, today, last), stats.cadreNames()]);
    const cadreOf = (id: string) => config.cadres.find((c) => c.id === id);
    const setBy = (l: (typeof leaves)[number]) => {
      if (l.setBy === null) return '排班表';
      if (l.setBy === l.cadre) return '本人';
      const role = setByRole[cadreOf(l.setBy)?.role ?? 'cadre'];
      return `${names.get(l.setBy) ?? l.setBy}${role ? `（${role}）` : ''}`;
    };
    return Promise.all(
      leaves.map(async (l) => ({
        cadre: names.get(l.cadre) ?? l.cadre,
        departments: (cadreOf(l.cadre)?.departments ?? []).map(stats.departmentName).join('、'),
        days: leaveDays(l, today, tz),
        today: l.from <= today,
        note: l.note ?? '',
        setBy: setBy(l),
        standIns: (await standInsFor(ctx.db, config, ctx.calendar, l.cadre, { from: l.from < today ? today : l.from, to: l.to })).join('、'),
      })),
    );
  };

  /** The cadre table (and its download) for one department: its cadres, ranked among themselves on its cases. */
  const cadresOf = (grouping: Grouping, request: Request) =>
    grouping === 'cadre' ? config.departments.find((d) => d.id === request.query.department) : undefined;

  app.get('/', async (request: Request, reply) => {
    const month = monthParam(request);
    const now = clock();
    const [total, trend, departments, overdue, leave] = await Promise.all([
      stats.total(month),
      stats.trend(month, 12),
      // Its list of departments shows no change against the month before: not read.
      stats.byGroup(month, 'department', wholeTownship, { compare: false }),
      stats.overdueNow(now),
      leaveAhead(now),
    ]);
    const chart = {
      months: trend.map((t) => monthName(t.month).replace(/^\d{4}年/, (y) => (t.month.endsWith('-01') ? y : ''))),
      dispatched: trend.map((t) => t.figures.dispatched),
      responseRate: trend.map((t) => ratio(t.figures.responseRate)),
      resolutionRate: trend.map((t) => ratio(t.figures.resolutionRate)),
      satisfactionRate: trend.map((t) => ratio(t.figures.satisfactionRate)),
    };
    return ctx.render(reply, 'overview', {
      ...base(request, 'overview', month),
      title: '概览',
      emptyMonth: emptyMonth(month, total.dispatched),
      noDepartments: noneIn(month, '派单'),
      total,
      // The trend's month before this one: the figures its chart shows.
      previous: trend.at(-2)!.figures,
      // As the 超时 page counts them: past a limit now, and marked overdue inside their limits now.
      overdueNow: { pastNow: overdue.filter((o) => o.pastNow).length, marked: overdue.filter((o) => !o.pastNow).length },
      leave,
      leaveDaysAhead,
      departments: departments.rows.filter((r) => r.figures.dispatched > 0).sort((a, b) => b.figures.dispatched - a.figures.dispatched),
      chartJson: JSON.stringify(chart).replace(/</g, '\\u003c'),
    });
  });

  for (const grouping of groupings) {
    app.get(`/${grouping === 'cadre' ? 'cadres' : grouping === 'department' ? 'departments' : 'villages'}`, async (request: Request, reply) => {
      const month = monthParam(request);
      const department = cadresOf(grouping, request);
      const result = await stats.byGroup(month, grouping, { departmentIds: department ? [department.id] : null });
      const defaultSort = grouping === 'cadre' ? 'rank' : 'dispatched';
      const sort = request.query.sort && (request.query.sort === 'rank' || request.query.sort === 'name' || reviewKeys.includes(request.query.sort as FigureKey))
        ? request.query.sort
        : defaultSort;
      const dir = request.query.dir === 'asc' || request.query.dir === 'desc' ? request.query.dir : sort === 'rank' || sort === 'name' ? 'asc' : 'desc';
      const columns = reviewColumns;
      // Carried by the table's links and downloads.
      const scopeQuery = department ? `&department=${encodeURIComponent(department.id)}` : '';
      /**
       * A row's figures as the table shows them, those that open cases with their link to `cases`, and
       * under those of `changeKeys` their change against the month before (`previous`), which opens nothing.
       */
      const cells = (figures: CaseFigures, previous: CaseFigures | null, cases: string) => {
        const changes = monthChanges(figures, previous, result.minCasesForRanking);
        return columns.map((f) => ({
          text: f.kind === 'minutes' ? workingDuration(figures[f.key], stats.workingMinutesPerDay) : figureText(f.kind, figures[f.key]),
          ...drillDown(figures, f.key, cases),
          ...(hasChange(f.key)
            ? {
                change: {
                  text: changeText(f.key, changes[f.key]),
                  title: changeTitle(f.key, figures, previous, result.minCasesForRanking),
                  // Rates rise for the better; more cases are neither better nor worse.
                  trend: f.kind !== 'rate' || !changes[f.key] ? '' : changes[f.key]! > 0 ? 'rise' : 'fall',
                },
              }
            : {}),
        }));
      };
      return ctx.render(reply, 'groups', {
        ...base(request, grouping, month),
        // One department's cadres: its name in the heading, so the page (and its printout) is not read as the township's.
        title: `按${groupingNames[grouping]}${department ? ` · ${department.name}` : ''}`,
        grouping,
        emptyMonth: emptyMonth(month, result.total.dispatched, department?.name),
        groupingName: groupingNames[grouping],
        columns: columns.map((f) => ({ key: f.key, label: screenLabels[f.key] ?? f.label })),
        rows: sortRows(result.rows, sort, dir).map((r) => {
          const cases = `/cases?month=${month}&${grouping}=${encodeURIComponent(r.key)}${scopeQuery}`;
          return { ...r, rank: rankText(r.rank, result.minCasesForRanking), cases, cells: cells(r.figures, r.previous, cases) };
        }),
        total: cells(result.total, result.previous?.total ?? null, `/cases?month=${month}${scopeQuery}`),
        previousMonthLabel: monthName(addMonths(month, -1)),
        sort,
        dir,
        minCases: result.minCasesForRanking,
        departments: grouping === 'cadre' ? config.departments.map((d) => ({ id: d.id, name: d.name })) : [],
        department: department?.id ?? null,
        scopeQuery,
      });
    });
  }

  app.get('/overdue', async (request: Request, reply) => {
    const now = clock();
    const [rows, names] = await Promise.all([stats.overdueNow(now), stats.cadreNames()]);
    return ctx.render(reply, 'overdue', {
      ...base(request, 'overdue', currentMonth()),
      title: '超时案件',
      pastNow: rows.filter((r) => r.pastNow).length,
      rows: rows.map((r) => ({
        ...r,
        village: stats.villageName(r.villageId),
        department: stats.departmentName(r.departmentId),
        assignee: r.assigneeId ? (names.get(r.assigneeId) ?? r.assigneeId) : '无人',
        // The holder's overdue cases of this case's month (the case list is by month).
        assigneeCases: r.assigneeId
          ? `/cases?${new URLSearchParams({ month: monthOf(r.dispatchedAt, tz), cadre: r.assigneeId, overdue: '1' }).toString()}`
          : null,
        status: statusNames[r.status as keyof typeof statusNames] ?? r.status,
        limitName: r.limit ? limitNames[r.limit] : '已标记超时',
        late: r.pastNow && r.dueAt ? lateness(r.dueAt, r.priority, now, workingTime) : '曾超时',
      })),
    });
  });

  app.get('/cases', async (request: Request, reply) => {
    const month = monthParam(request);
    const q = request.query;
    const page = Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1);
    const [{ total, cases }, names] = await Promise.all([
      stats.cases(month, { ...caseFilter(q), limit: casesPerPage, offset: (page - 1) * casesPerPage }),
      stats.cadreNames(),
    ]);
    const filterText = [
      q.cadre !== undefined ? `干部：${names.get(q.cadre) ?? (q.cadre || '（无人）')}` : '',
      q.department ? `部门：${stats.departmentName(q.department)}` : '',
      q.village ? `村：${stats.villageName(q.village)}` : '',
      ...caseFlags.filter((flag) => q[flag] === '1').map((flag) => caseFlagNames[flag]),
    ].filter(Boolean);
    const link = (p: number) => `/cases?${new URLSearchParams({ ...(q as Record<string, string>), month, page: String(p) }).toString()}`;
    // The list's order (the slowest first by 响应 or 办结), its filters kept, from the first page.
    const order = caseFilter(q).order ?? 'dispatch';
    const orderLink = (o: CaseOrder) =>
      `/cases?${new URLSearchParams([['month', month], ...pick(q, caseFilterKeys), ...(o === 'dispatch' ? [] : [['sort', o]])]).toString()}`;
    const pages = Math.max(1, Math.ceil(total / casesPerPage));
    return ctx.render(reply, 'cases', {
      ...base(request, 'cases', month),
      title: '案件',
      total,
      filterText,
      rows: cases.map((c) => ({
        ...c,
        village: stats.villageName(c.villageId),
        department: stats.departmentName(c.departmentId),
        cadre: c.cadreId ? (names.get(c.cadreId) ?? c.cadreId) : '',
        statusName: statusNames[c.status as keyof typeof statusNames] ?? c.status,
        ratingName: c.rating ? ratingNames[c.rating as keyof typeof ratingNames] : '',
        lapses: lapsesText(c.lapses, (id) => names.get(id) ?? id),
      })),
      order,
      orderLinks: Object.fromEntries(caseOrders.map((o) => [o, orderLink(o)])),
      // The file has the list's cases in the list's order.
      download: `/download/cases?${new URLSearchParams([['month', month], ...pick(q, [...caseFilterKeys, 'sort'])]).toString()}`,
      // Past the last page (an old link), back leads to the last one.
      previous: page > 1 ? link(Math.min(page - 1, pages)) : null,
      next: page * casesPerPage < total ? link(page + 1) : null,
      pageNo: page,
      pages,
    });
  });

  // The box at the top of every page: "1001", "#1001", "１００１".
  app.get('/find', async (request: Request, reply) => {
    const number = /^[#＃]?(\d{1,9})$/.exec((request.query.number ?? '').normalize('NFKC').replace(/\s+/g, ''))?.[1];
    return reply.redirect(number ? `/cases/${number}` : '/cases');
  });

  app.get('/cases/:number', async (request: Request, reply) => {
    const number = Number.parseInt(request.params.number ?? '', 10);
    const detail = Number.isSafeInteger(number) ? await stats.caseDetail(number) : null;
    const month = currentMonth();
    if (!detail) {
      return ctx.render(reply, 'message', { ...base(request, 'cases', month), title: '没有这个案件', text: `没有找到 #${request.params.number}。` }, 404);
    }
    const names = await stats.cadreNames();
    const cadre = (id: string) => (id ? (names.get(id) ?? id) : '无人');
    const k = detail.kase;
    const lookups = { cadre, department: stats.departmentName, village: stats.villageName, timezone: tz };
    return ctx.render(reply, 'case', {
      ...base(request, 'cases', monthOf(k.dispatchedAt, tz)),
      title: `#${k.number}`,
      k,
      village: stats.villageName(k.villageId),
      department: stats.departmentName(k.departmentId),
      relay: k.relayCadreId ? cadre(k.relayCadreId) : null,
      assignee: cadre(k.assigneeId ?? ''),
      creditedTo: cadre(k.cadreId ?? ''),
      statusName: statusNames[k.status as keyof typeof statusNames] ?? k.status,
      ratingName: k.rating ? ratingNames[k.rating as keyof typeof ratingNames] : '',
      events: detail.events.map((e) => ({
        at: dateTime(e.at, tz),
        name: eventNames[e.type] ?? e.type,
        type: e.type,
        actor: e.actorType === 'system' ? '系统' : e.actorType === 'resident' ? `群众 ${k.residentName}` : cadre(e.actorId ?? ''),
        detail: eventDetail(e.type, e.data, lookups),
      })),
    });
  });

  app.get('/hotspots', async (request: Request, reply) => {
    const month = monthParam(request);
    return ctx.render(reply, 'hotspots', {
      ...base(request, 'hotspots', month),
      title: '热点',
      villages: await stats.hotspots(month),
      noCases: noneIn(month, '案件'),
    });
  });

  app.get('/definitions', async (request: Request, reply) =>
    ctx.render(reply, 'definitions', { ...base(request, 'definitions', monthParam(request)), title: '统计口径', figures, otherDefinitions, minCases: stats.minCasesForRanking }),
  );

  // ── Downloads: the same files as `npm run report` ──
  const send = (reply: FastifyReply, name: string, type: string, body: Buffer | string) =>
    reply
      .header('content-type', type)
      .header('content-disposition', `attachment; filename="report.${name.split('.').pop()}"; filename*=UTF-8''${encodeURIComponent(name)}`)
      .send(body);
  const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  app.get('/download/monthly', async (request: Request, reply) => {
    const month = monthParam(request);
    return send(reply, reportFileName(month, 'monthly', 'xlsx'), xlsxType, await monthlyWorkbook(stats, month, wholeTownship, clock()));
  });
  app.get('/download/cases', async (request: Request, reply) => {
    const month = monthParam(request);
    return send(reply, reportFileName(month, 'cases', 'csv'), 'text/csv; charset=utf-8', await casesCsv(stats, month, wholeTownship, caseFilter(request.query)));
  });
  app.get('/download/:by', async (request: Request, reply) => {
    const by = request.params.by as Grouping;
    if (!groupings.includes(by)) return reply.callNotFound();
    const month = monthParam(request);
    const department = cadresOf(by, request);
    const result = await stats.byGroup(month, by, { departmentIds: department ? [department.id] : null });
    return request.query.format === 'csv'
      ? send(reply, reportFileName(month, by, 'csv', department?.name), 'text/csv; charset=utf-8', groupCsv(result))
      : send(reply, reportFileName(month, by, 'xlsx', department?.name), xlsxType, await groupWorkbook(result, asOfText(clock(), tz)));
  });

  // ── JSON for other tools ──
  app.get('/api/stats', async (request: Request, reply) => {
    const by = (request.query.by ?? 'cadre') as Grouping;
    if (!groupings.includes(by)) return reply.code(400).send({ error: `by must be one of ${groupings.join(', ')}` });
    return stats.byGroup(monthParam(request), by);
  });
  app.get('/api/trend', async (request: Request) => stats.trend(monthParam(request), 12));
}

/** Rates as percentages with one decimal for the chart; null stays a gap. */
function ratio(rate: number | null): number | null {
  return rate === null ? null : percentOf(rate);
}

function sortRows(rows: GroupRow[], sort: string, dir: string): GroupRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  const value = (row: GroupRow): number | string | null =>
    sort === 'rank' ? row.rank : sort === 'name' ? row.name : (row.figures[sort as FigureKey] as number | null);
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === y) return 0;
    if (x === null) return 1; // empty values last, whichever direction
    if (y === null) return -1;
    return (typeof x === 'string' ? x.localeCompare(y as string, 'zh') : x - (y as number)) * sign;
  });
}
