/**
 * Every statistic of lianxin, in SQL, in one place. The dashboard, the report command and the
 * chat summary all read their figures here; nothing else counts cases.
 *
 * A case belongs to the month (township time) of its dispatch, whatever happened to it later:
 * a case dispatched on 31 October and resolved on 2 November is an October case. Figures of a
 * month still move while its cases are being worked and rated.
 *
 * The cadre a case counts for: the cadre whose 办结 stands (actor of the case's latest
 * 'resolved' event, while the case is resolved or closed); otherwise its current assignee.
 * A case sent back (退单) or escalated at the accept limit therefore counts for whoever took it
 * over, and a reopened case for whoever resolves it again. Callback answers are the exception: by
 * cadre, each counts for the cadre whose 办结 it answered (see `factsQuery`); per department,
 * village, month and in total, a case counts once with its latest answer.
 *
 * Months are calendar months in the township's time zone: the caller gives their boundaries
 * as instants, and cases fall into them by `width_bucket(dispatched_at, boundaries)` — the same
 * as grouping by `date_trunc('month', dispatched_at AT TIME ZONE 'Asia/Shanghai')`, without
 * converting every row.
 *
 * Per case facts come from `factsQuery`; group figures are `counts`, `rates` and percentiles over them. Rates
 * are numerator ÷ denominator as written below, null when the denominator is 0. Medians and
 * 90th percentiles are PostgreSQL's `percentile_cont` (linear interpolation between the two
 * nearest values, as Excel's PERCENTILE.INC) over the cases that have the value.
 */
import type { EntityManager } from 'typeorm';

/** How case figures are grouped. `month` = township-local calendar month; `total` = one row. */
export type CaseGrouping = 'cadre' | 'department' | 'village' | 'month' | 'total';
/** How booking figures are grouped. */
export type BookingGrouping = 'service' | 'department' | 'village' | 'cadre';

/**
 * Which cases: dispatched from the first to the last of `months` (the starts of consecutive
 * township-local months, then the end of the last one), optionally of some departments only.
 */
export interface CaseScope {
  /** Month boundaries, ascending, at least two: [start of the first month, …, end of the last]. */
  months: readonly Date[];
  /** Only these departments (a head's); null or absent = all. */
  departmentIds?: readonly string[] | null;
}

/**
 * Facts the case list filters on, each the cases of one count (see `flagConditions`): 在办, those
 * answered late or left unanswered past the limit (应响应 less 按时响应), resolved late or left open
 * past it (应办结 less 按时办结), 不满意 (the latest answer), 退单, 重开, ever overdue (超时), 重复诉求.
 */
export const caseFlags = ['open', 'lateResponse', 'lateResolution', 'unsatisfied', 'sentBack', 'reopened', 'overdue', 'repeat'] as const;
export type CaseFlag = (typeof caseFlags)[number];

/**
 * Orders of the case list: by dispatch (oldest first), or the slowest first by working time to the
 * first reply (`response`) or to 办结 (`resolution`); cases without that time yet come last.
 */
export const caseOrders = ['dispatch', 'response', 'resolution'] as const;
export type CaseOrder = (typeof caseOrders)[number];

const caseOrderBy: Record<CaseOrder, string> = {
  dispatch: 'f.dispatched_at, f.id',
  response: 'f.response_working_minutes DESC NULLS LAST, f.response_minutes DESC NULLS LAST, f.dispatched_at, f.id',
  resolution: 'f.resolution_working_minutes DESC NULLS LAST, f.resolution_minutes DESC NULLS LAST, f.dispatched_at, f.id',
};

/** Filters on the per-case list, applied after the facts are computed. */
export interface CaseListFilter {
  /** The cadre the case counts for; '' for the cases nobody is on. */
  cadreId?: string;
  departmentId?: string;
  villageId?: string;
  /** Only cases with all of these. */
  flags?: readonly CaseFlag[];
  /** Default: by dispatch. */
  order?: CaseOrder;
  limit?: number;
  offset?: number;
}

/** Figures of one group. Counts are numbers; rates 0–1 or null; minutes numbers or null. */
export interface CaseFigures {
  key: string;
  /** 派单: cases dispatched in the period. */
  dispatched: number;
  /** 在办: still assigned or accepted. */
  open: number;
  /** Cases with a first message to the resident. */
  responded: number;
  /** First message to the resident at or before the first-response limit. */
  respondedInTime: number;
  /** 应响应: cases whose first-response limit has come — answered, or the limit passed unmet. */
  responsesDue: number;
  /** 响应率 = respondedInTime ÷ responsesDue. */
  responseRate: number | null;
  responseMedianMinutes: number | null;
  responseP90Minutes: number | null;
  responseMedianWorkingMinutes: number | null;
  responseP90WorkingMinutes: number | null;
  /** 已办结: resolved_at set (resolved, or closed after a rating or 未回访). */
  resolved: number;
  /** 按时办结: resolved at or before the resolve limit in force. */
  resolvedOnTime: number;
  /** 应办结: cases whose resolve limit has come — resolved, or the limit passed unmet. */
  resolutionsDue: number;
  /** 按时办结率 = resolvedOnTime ÷ resolutionsDue. */
  onTimeClosureRate: number | null;
  resolutionMedianMinutes: number | null;
  resolutionP90Minutes: number | null;
  resolutionMedianWorkingMinutes: number | null;
  resolutionP90WorkingMinutes: number | null;
  satisfied: number;
  basicallySatisfied: number;
  unsatisfied: number;
  /** 未回访: the callback went unanswered. */
  noAnswer: number;
  /** 回访应答 = satisfied + basicallySatisfied + unsatisfied. */
  answered: number;
  /** 解决率 = answered and not 不满意 ÷ answered. */
  resolutionRate: number | null;
  /** 满意率 = (满意 + 基本满意) ÷ answered. */
  satisfactionRate: number | null;
  /** 不满意率 = 不满意 ÷ answered. */
  unsatisfiedShare: number | null;
  /** 回访应答率 = answered ÷ (answered + 未回访). */
  callbackResponseRate: number | null;
  /** 退单: cases with a 'sent-back' event. */
  sentBack: number;
  sendBackRate: number | null;
  /** 重开: cases reopened after a 不满意 (reopen_count > 0). */
  reopened: number;
  reopenRate: number | null;
  /** 超时: cases marked overdue now, or that ever passed the accept, response or resolve limit. */
  overdue: number;
  /** 重复诉求: cases of a resident who already had a case of the same department that month. */
  repeat: number;
}

/** One case with its facts, as the case list and the monthly workbook show it. */
export interface CaseFacts {
  id: number;
  number: number;
  residentId: number;
  villageId: string;
  departmentId: string;
  cadreId: string | null;
  assigneeId: string | null;
  status: string;
  priority: string;
  description: string;
  dispatchedAt: Date;
  firstResponseAt: Date | null;
  firstResponseDueAt: Date | null;
  responseMinutes: number | null;
  responseWorkingMinutes: number | null;
  /** Null while the limit has not come (not answered, not missed). */
  respondedInTime: boolean | null;
  resolvedAt: Date | null;
  resolveDueAt: Date | null;
  resolutionMinutes: number | null;
  resolutionWorkingMinutes: number | null;
  /** Null while the limit has not come (not resolved, not missed). */
  resolvedOnTime: boolean | null;
  rating: string | null;
  /** What the resident wrote with the latest rating (the reason of a 不满意). */
  ratingComment: string | null;
  reopenCount: number;
  sentBack: boolean;
  overdue: boolean;
  repeat: boolean;
  /** 代办: the cadre who filed the case for a resident without WeChat. */
  filedBy: string | null;
  /**
   * Each limit the case passed (its overdue alerts, oldest first) with whoever held the case
   * then: the cadre who was slow, who may not be the cadre the case counts for (an accept limit
   * passed by one cadre, the case then resolved by the backup).
   */
  lapses: Lapse[];
}

/** A limit a case passed, and who held it at that moment (null: nobody). */
export interface Lapse {
  limit: 'accept' | 'first-response' | 'resolve';
  cadreId: string | null;
}

export interface BookingFigures {
  key: string;
  total: number;
  /** Still booked: upcoming, or not yet marked. */
  booked: number;
  completed: number;
  noShow: number;
  cancelled: number;
}

/** An open case past a limit now, or marked overdue (as the 超时 list in chat has them). */
export interface OverdueCase {
  number: number;
  villageId: string;
  departmentId: string;
  assigneeId: string | null;
  status: string;
  priority: string;
  description: string;
  dispatchedAt: Date;
  /**
   * The limit it is past now, the first of accept → first-response → resolve; for a case only
   * marked overdue (a limit passed earlier, e.g. a late first reply), the limit of its latest
   * overdue alert. Null: marked, without an alert.
   */
  limit: 'accept' | 'first-response' | 'resolve' | null;
  dueAt: Date | null;
  /** Whether `limit` is past now; false for a case marked overdue and inside its limits now. */
  pastNow: boolean;
}

export interface CaseDetail {
  kase: CaseFacts & {
    residentName: string;
    /** A resident without WeChat: the cadre who passes messages on now (代办). */
    relayCadreId: string | null;
    acceptedAt: Date | null;
    closedAt: Date | null;
    acceptDueAt: Date | null;
    resolutionNote: string | null;
    slaStatus: string;
  };
  events: { at: Date; actorType: string; actorId: string | null; type: string; data: Record<string, unknown> }[];
}

/**
 * What is counted: per-case conditions over the facts `f`. `rollup` names the column of
 * `case_stats_hourly` that holds the same count (its trigger, `case_stats_counts()`, last in
 * migration 1764210000000, mirrors these conditions; test/integration/stats.test.ts holds them equal).
 * `answer`: a count of callback answers, which by cadre follow the 办结 answered (see `factsQuery`).
 */
const counts: { as: string; where: string; rollup: string | null; answer?: true }[] = [
  { as: 'dispatched', where: `true`, rollup: 'dispatched' },
  { as: 'open', where: `f.status IN ('assigned', 'accepted')`, rollup: 'open' },
  { as: 'responded', where: `f.first_response_at IS NOT NULL`, rollup: null },
  { as: 'responded_in_time', where: `f.first_response_at <= f.first_response_due_at`, rollup: 'responded_in_time' },
  { as: 'responses_due', where: `f.first_response_at IS NOT NULL OR f.response_missed`, rollup: 'responses_due' },
  { as: 'resolved', where: `f.resolved_at IS NOT NULL`, rollup: 'resolved' },
  { as: 'resolved_on_time', where: `f.resolved_at <= f.resolve_due_at`, rollup: 'resolved_on_time' },
  { as: 'resolutions_due', where: `f.resolved_at IS NOT NULL OR f.resolve_missed`, rollup: 'resolutions_due' },
  { as: 'satisfied', where: `f.rating = 'satisfied'`, rollup: 'satisfied', answer: true },
  { as: 'basically_satisfied', where: `f.rating = 'basically-satisfied'`, rollup: 'basically_satisfied', answer: true },
  { as: 'unsatisfied', where: `f.rating = 'unsatisfied'`, rollup: 'unsatisfied', answer: true },
  { as: 'no_answer', where: `f.rating = 'no-answer'`, rollup: 'no_answer', answer: true },
  {
    as: 'answered',
    where: `f.rating IN ('satisfied', 'basically-satisfied', 'unsatisfied')`,
    rollup: 'satisfied + basically_satisfied + unsatisfied',
    answer: true,
  },
  { as: 'sent_back', where: `f.sent_back`, rollup: 'sent_back' },
  { as: 'reopened', where: `f.reopen_count > 0`, rollup: 'reopened' },
  { as: 'overdue', where: `f.overdue`, rollup: 'overdue' },
  { as: 'repeat', where: `f.repeat`, rollup: null },
];

/**
 * A count's condition over a row of the facts. By cadre, a row only for a cadre's answered 办结 of
 * a case counted for another (`counted` false) counts the answer and nothing else.
 */
const condition = (c: (typeof counts)[number]) => (c.answer ? c.where : `f.counted AND (${c.where})`);

/** A count's condition, to list the cases it counts. */
const countedBy = (as: string) => `(${condition(counts.find((c) => c.as === as)!)})`;

/** The case list's filters that are callback answers: only they list a cadre's answered 办结 of a case counted for another. */
const answerFlags: readonly CaseFlag[] = ['unsatisfied'];

/** The case list's filters: the conditions of the counts, so a list holds what its count says. */
const flagConditions: Record<CaseFlag, string> = {
  open: countedBy('open'),
  // Due and not in time: exactly 应响应 less 按时响应 (a case without a limit is neither in time nor out of 应响应).
  lateResponse: `${countedBy('responses_due')} AND NOT COALESCE(${countedBy('responded_in_time')}, false)`,
  lateResolution: `${countedBy('resolutions_due')} AND NOT COALESCE(${countedBy('resolved_on_time')}, false)`,
  unsatisfied: countedBy('unsatisfied'),
  sentBack: countedBy('sent_back'),
  reopened: countedBy('reopened'),
  overdue: countedBy('overdue'),
  repeat: countedBy('repeat'),
};

/** Rates: numerator ÷ denominator over the counts above (null when the denominator is 0). */
const rates: { as: string; numerator: string; denominator: string }[] = [
  // Only cases whose limit has come: answered or resolved, or the limit passed unmet.
  { as: 'response_rate', numerator: 'responded_in_time', denominator: 'responses_due' },
  { as: 'on_time_closure_rate', numerator: 'resolved_on_time', denominator: 'resolutions_due' },
  // 解决 = answered and not 不满意. With three answers this equals 满意率; it would not with a fourth.
  { as: 'resolution_rate', numerator: 'answered - unsatisfied', denominator: 'answered' },
  { as: 'satisfaction_rate', numerator: 'satisfied + basically_satisfied', denominator: 'answered' },
  { as: 'unsatisfied_share', numerator: 'unsatisfied', denominator: 'answered' },
  { as: 'callback_response_rate', numerator: 'answered', denominator: 'answered + no_answer' },
  { as: 'send_back_rate', numerator: 'sent_back', denominator: 'dispatched' },
  { as: 'reopen_rate', numerator: 'reopened', denominator: 'dispatched' },
];

/** Median and 90th percentile of these per-case minutes (cases without a value are left out). */
const percentileColumns = ['response_minutes', 'response_working_minutes', 'resolution_minutes', 'resolution_working_minutes'];

const rateColumns = rates.map((r) => `(${r.numerator})::float8 / NULLIF(${r.denominator}, 0) AS ${r.as}`).join(',\n    ');

const groupKeys: Record<CaseGrouping, string> = {
  cadre: `COALESCE(f.cadre_id, '')`,
  department: `f.department_id`,
  village: `f.village_id`,
  // 1 = the first month of the scope.
  month: `f.month_no::text`,
  total: `'all'`,
};

/**
 * The per-case facts of the cases in a scope, as SQL with parameters $1 from, $2 to,
 * $3 month boundaries, $4 departments (null = all). `cadre_id`, `rating` and `rating_comment`
 * are added by `factsQuery`, per case or per cadre.
 */
const caseFactsQuery = `
    SELECT c.id, c.number, c.resident_id, c.village_id, c.department_id, c.assignee_id, c.status, c.priority,
      c.description, c.dispatched_at, c.first_response_at, c.first_response_due_at, c.response_minutes,
      c.response_working_minutes, c.resolved_at, c.resolve_due_at, c.resolution_minutes, c.resolution_working_minutes,
      c.rating AS case_rating, c.rating_comment AS case_rating_comment, c.reopen_count, c.sla_status, c.response_missed, c.resolve_missed,
      -- The cadre whose 办结 stands, else the holder.
      CASE WHEN c.resolved_at IS NOT NULL THEN COALESCE(c.resolved_by, c.assignee_id) ELSE c.assignee_id END AS case_cadre_id,
      c.was_sent_back AS sent_back,
      (c.sla_status = 'overdue' OR c.was_overdue) AS overdue,
      width_bucket(c.dispatched_at, $3::timestamptz[]) AS month_no,
      -- 重复诉求: not the first case of this resident with this department in this month.
      row_number() OVER (
        PARTITION BY c.resident_id, c.department_id, width_bucket(c.dispatched_at, $3::timestamptz[])
        ORDER BY c.dispatched_at, c.id) > 1 AS repeat
    FROM cases c
    WHERE c.dispatched_at >= $1 AND c.dispatched_at < $2 AND ($4::text[] IS NULL OR c.department_id = ANY ($4::text[]))`;

/**
 * Whose the facts are. Per case (`byCadre` false): one row per case, for the cadre it counts for,
 * with its latest answer. Per cadre: a case's callback answers count for the cadre whose 办结 the
 * resident answered (`cadre_ratings`, migration 1764280000000), not for whoever closed it last —
 * one row for the cadre the case counts for, with that cadre's own answer, and one more for each
 * other cadre whose 办结 of it was answered (`counted` false: it counts that answer only). A case
 * never reopened had one 办结 answered, by the cadre it counts for: its answer is the case's, and
 * the month's cases need not be looked up one by one.
 */
const factsQuery = (byCadre: boolean) => `
    SELECT f.*, a.* FROM (${caseFactsQuery}) f
    CROSS JOIN LATERAL (${
      byCadre
        ? `
      SELECT f.case_cadre_id AS cadre_id, true AS counted,
        CASE WHEN f.reopen_count = 0 THEN f.case_rating
          ELSE (SELECT r.rating FROM cadre_ratings r WHERE r.case_id = f.id AND r.cadre_id = f.case_cadre_id) END AS rating,
        CASE WHEN f.reopen_count = 0 THEN f.case_rating_comment
          ELSE (SELECT r.comment FROM cadre_ratings r WHERE r.case_id = f.id AND r.cadre_id = f.case_cadre_id) END AS rating_comment
      UNION ALL
      SELECT r.cadre_id, false, r.rating, r.comment FROM cadre_ratings r
      WHERE f.reopen_count > 0 AND r.case_id = f.id AND r.cadre_id IS DISTINCT FROM f.case_cadre_id`
        : `
      SELECT f.case_cadre_id AS cadre_id, true AS counted, f.case_rating AS rating, f.case_rating_comment AS rating_comment`
    }) a`;

const scopeParams = (scope: CaseScope) => {
  if (scope.months.length < 2) throw new RangeError('a scope needs at least one month: [start, end]');
  return [scope.months[0], scope.months.at(-1), [...scope.months], scope.departmentIds ? [...scope.departmentIds] : null];
};

const num = (value: unknown): number => Number(value ?? 0);
const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
/**
 * One of `percentile_cont`'s results. It interpolates in floating point (2964.000000000002 for
 * 2964): kept to 4 decimals, as CSV writes times, so no cell or page shows the noise.
 */
const pct = (value: unknown, index: number): number | null =>
  Array.isArray(value) && value[index] !== null && value[index] !== undefined ? Math.round(Number(value[index]) * 10_000) / 10_000 : null;

type Row = Record<string, unknown>;

function toFigures(row: Row): CaseFigures {
  return {
    key: String(row.key),
    dispatched: num(row.dispatched),
    open: num(row.open),
    responded: num(row.responded),
    respondedInTime: num(row.responded_in_time),
    responsesDue: num(row.responses_due),
    responseRate: numOrNull(row.response_rate),
    responseMedianMinutes: pct(row.response_minutes, 0),
    responseP90Minutes: pct(row.response_minutes, 1),
    responseMedianWorkingMinutes: pct(row.response_working_minutes, 0),
    responseP90WorkingMinutes: pct(row.response_working_minutes, 1),
    resolved: num(row.resolved),
    resolvedOnTime: num(row.resolved_on_time),
    resolutionsDue: num(row.resolutions_due),
    onTimeClosureRate: numOrNull(row.on_time_closure_rate),
    resolutionMedianMinutes: pct(row.resolution_minutes, 0),
    resolutionP90Minutes: pct(row.resolution_minutes, 1),
    resolutionMedianWorkingMinutes: pct(row.resolution_working_minutes, 0),
    resolutionP90WorkingMinutes: pct(row.resolution_working_minutes, 1),
    satisfied: num(row.satisfied),
    basicallySatisfied: num(row.basically_satisfied),
    unsatisfied: num(row.unsatisfied),
    noAnswer: num(row.no_answer),
    answered: num(row.answered),
    resolutionRate: numOrNull(row.resolution_rate),
    satisfactionRate: numOrNull(row.satisfaction_rate),
    unsatisfiedShare: numOrNull(row.unsatisfied_share),
    callbackResponseRate: numOrNull(row.callback_response_rate),
    sentBack: num(row.sent_back),
    sendBackRate: numOrNull(row.send_back_rate),
    reopened: num(row.reopened),
    reopenRate: numOrNull(row.reopen_rate),
    overdue: num(row.overdue),
    repeat: num(row.repeat),
  };
}

function toFacts(row: Row): CaseFacts {
  const date = (value: unknown) => (value === null || value === undefined ? null : new Date(value as Date));
  return {
    id: num(row.id),
    number: num(row.number),
    residentId: num(row.resident_id),
    villageId: String(row.village_id),
    departmentId: String(row.department_id),
    cadreId: (row.cadre_id as string | null) ?? null,
    assigneeId: (row.assignee_id as string | null) ?? null,
    status: String(row.status),
    priority: String(row.priority),
    description: String(row.description),
    dispatchedAt: new Date(row.dispatched_at as Date),
    firstResponseAt: date(row.first_response_at),
    firstResponseDueAt: date(row.first_response_due_at),
    responseMinutes: numOrNull(row.response_minutes),
    responseWorkingMinutes: numOrNull(row.response_working_minutes),
    respondedInTime: row.responded_in_time === null ? null : row.responded_in_time === true,
    resolvedAt: date(row.resolved_at),
    resolveDueAt: date(row.resolve_due_at),
    resolutionMinutes: numOrNull(row.resolution_minutes),
    resolutionWorkingMinutes: numOrNull(row.resolution_working_minutes),
    resolvedOnTime: row.resolved_on_time === null ? null : row.resolved_on_time === true,
    rating: (row.rating as string | null) ?? null,
    ratingComment: (row.rating_comment as string | null) ?? null,
    reopenCount: num(row.reopen_count),
    sentBack: row.sent_back === true,
    overdue: row.overdue === true,
    repeat: row.repeat === true,
    filedBy: (row.filed_by as string | null | undefined) ?? null,
    lapses: Array.isArray(row.lapses) ? (row.lapses as Lapse[]).map((l) => ({ limit: l.limit, cadreId: l.cadreId ?? null })) : [],
  };
}

/**
 * The limits case `f` passed, with the holder at each: the escalation recorded with the alert
 * names them (`from`); without one, the cadre of the latest assignment before the alert.
 */
const lapsesColumn = `CASE WHEN f.overdue THEN (
    SELECT json_agg(json_build_object('limit', a.sla_limit, 'cadreId', COALESCE(
      (SELECT e.data->>'from' FROM case_events e
        WHERE e.case_id = f.id AND e.type = 'escalated' AND e.at = a.at AND e.data->>'limit' = a.sla_limit ORDER BY e.id LIMIT 1),
      (SELECT e.data->>'cadreId' FROM case_events e
        WHERE e.case_id = f.id AND e.type = 'assigned' AND e.at <= a.at ORDER BY e.at DESC, e.id DESC LIMIT 1)))
      ORDER BY a.at, a.id)
    FROM sla_alerts a WHERE a.case_id = f.id AND a.stage = 'overdue' AND a.sla_limit <> 'callback') END AS lapses`;

export class StatsRepository {
  constructor(private readonly em: EntityManager) {}

  /** Case figures of `scope` grouped by `grouping`, one row per group that has cases. */
  async caseFigures(grouping: CaseGrouping, scope: CaseScope): Promise<CaseFigures[]> {
    const rows = await this.query(
      `SELECT *, ${rateColumns}
       FROM (
         SELECT ${groupKeys[grouping]} AS key,
           ${counts.map((c) => `count(*) FILTER (WHERE ${condition(c)}) AS ${c.as}`).join(',\n           ')},
           ${percentileColumns
             .map((p) => `percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY f.${p}) FILTER (WHERE f.counted) AS ${p}`)
             .join(',\n           ')}
         FROM (${factsQuery(grouping === 'cadre')}) f
         GROUP BY 1
       ) g
       ORDER BY key`,
      scopeParams(scope),
    );
    return rows.map(toFigures);
  }

  /**
   * Case figures per month of `scope` from the hourly rollup: the counts and rates, without
   * the times (median, P90) and 重复诉求, which need every case (0 and null here). Months must
   * begin on whole hours (UTC offsets of whole hours), else use `caseFigures('month', …)`.
   * Keys: 1 = the first month of the scope.
   */
  async monthlyCountsFromRollup(scope: CaseScope): Promise<CaseFigures[]> {
    const [from, to, months, departments] = scopeParams(scope);
    const rows = await this.query(
      `SELECT *, ${rateColumns}
       FROM (
         SELECT width_bucket(h.hour, $3::timestamptz[])::text AS key,
           ${counts.map((c) => `${c.rollup ? `sum(${c.rollup})` : '0'} AS ${c.as}`).join(',\n           ')}
         FROM case_stats_hourly h
         WHERE h.hour >= $1 AND h.hour < $2 AND ($4::text[] IS NULL OR h.department_id = ANY ($4::text[]))
         GROUP BY 1
       ) g
       ORDER BY key`,
      [from, to, months, departments],
    );
    return rows.map(toFigures);
  }

  /**
   * Folds the rollup's rows of each hour and department into one (the trigger only appends).
   * Safe to run at any time, from several processes: each run is one statement.
   */
  async compactRollup(): Promise<void> {
    await this.em.query(
      `WITH many AS (
         SELECT hour, department_id FROM case_stats_hourly GROUP BY hour, department_id HAVING count(*) > 1
       ), gone AS (
         DELETE FROM case_stats_hourly h USING many m
         WHERE h.hour = m.hour AND h.department_id = m.department_id
         RETURNING h.*
       )
       INSERT INTO case_stats_hourly
       SELECT hour, department_id, sum(dispatched), sum(open), sum(responded_in_time), sum(resolved), sum(resolved_on_time),
         sum(satisfied), sum(basically_satisfied), sum(unsatisfied), sum(no_answer), sum(sent_back), sum(reopened), sum(overdue),
         sum(responses_due), sum(resolutions_due)
       FROM gone GROUP BY hour, department_id`,
    );
  }

  /** Every case of `scope` with its facts, in dispatch order or the filter's. */
  async caseFacts(scope: CaseScope, filter: CaseListFilter = {}): Promise<{ total: number; cases: CaseFacts[] }> {
    const params: unknown[] = scopeParams(scope);
    const where: string[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    // '' is nobody, as the cadre grouping keys it.
    if (filter.cadreId !== undefined) add(`${groupKeys.cadre} = ?`, filter.cadreId);
    if (filter.departmentId !== undefined) add(`f.department_id = ?`, filter.departmentId);
    if (filter.villageId !== undefined) add(`f.village_id = ?`, filter.villageId);
    const flags = filter.flags ?? [];
    for (const flag of flags) where.push(flagConditions[flag]);
    // A cadre's cases are those counted for them, and with an answer flag their answered 办结 of others.
    if (!flags.some((flag) => answerFlags.includes(flag))) where.push('f.counted');
    const from = `FROM (${factsQuery(filter.cadreId !== undefined)}) f ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}`;
    const rows: Row[] = await this.query(
      `SELECT f.*,
         CASE WHEN f.first_response_at IS NOT NULL THEN f.first_response_at <= f.first_response_due_at WHEN f.response_missed THEN false END
           AS responded_in_time,
         CASE WHEN f.resolved_at IS NOT NULL THEN f.resolved_at <= f.resolve_due_at WHEN f.resolve_missed THEN false END AS resolved_on_time,
         count(*) OVER () AS total,
         (SELECT e.data->>'relayedBy' FROM case_events e WHERE e.case_id = f.id AND e.type = 'created') AS filed_by,
         ${lapsesColumn}
       ${from}
       ORDER BY ${caseOrderBy[filter.order ?? 'dispatch']}
       ${filter.limit !== undefined ? `LIMIT ${Math.max(0, Math.floor(filter.limit))}` : ''}
       ${filter.offset ? `OFFSET ${Math.max(0, Math.floor(filter.offset))}` : ''}`,
      params,
    );
    if (rows.length === 0 && filter.offset) {
      // Past the last page the window total has no row to ride on: count on their own.
      const [count] = await this.query(`SELECT count(*) AS total ${from}`, params);
      return { total: num(count!.total), cases: [] };
    }
    return { total: rows.length > 0 ? num(rows[0]!.total) : 0, cases: rows.map(toFacts) };
  }

  /** Bookings with a visit in [from, to) — booked, completed, no-show, cancelled — by `grouping`. */
  async bookingFigures(grouping: BookingGrouping, scope: CaseScope): Promise<BookingFigures[]> {
    const key = { service: 'b.service_id', department: 'b.department_id', village: 'b.village_id', cadre: `COALESCE(b.assignee_id, '')` }[
      grouping
    ];
    const rows: Row[] = await this.em.query(
      `SELECT ${key} AS key, count(*) AS total,
         count(*) FILTER (WHERE b.status = 'booked') AS booked,
         count(*) FILTER (WHERE b.status = 'completed') AS completed,
         count(*) FILTER (WHERE b.status = 'no-show') AS no_show,
         count(*) FILTER (WHERE b.status = 'cancelled') AS cancelled
       FROM bookings b
       WHERE b.starts_at >= $1 AND b.starts_at < $2 AND ($3::text[] IS NULL OR b.department_id = ANY ($3::text[]))
       GROUP BY 1 ORDER BY 1`,
      [scope.months[0], scope.months.at(-1), scope.departmentIds ? [...scope.departmentIds] : null],
    );
    return rows.map((r) => ({
      key: String(r.key),
      total: num(r.total),
      booked: num(r.booked),
      completed: num(r.completed),
      noShow: num(r.no_show),
      cancelled: num(r.cancelled),
    }));
  }

  /**
   * Open cases past a limit at `now`, the longest overdue first, then those only marked overdue
   * (with the limit they last passed): the cases of the 超时 list in chat (`cases.overdue`).
   */
  async overdueNow(now: Date, departmentIds: readonly string[] | null, limit = 500): Promise<OverdueCase[]> {
    const rows: Row[] = await this.em.query(
      `SELECT c.number, c.village_id, c.department_id, c.assignee_id, c.status, c.priority, c.description, c.dispatched_at,
         p.limit_name IS NOT NULL AS past_now,
         COALESCE(p.limit_name, a.sla_limit) AS limit_name, COALESCE(p.due_at, a.due_at) AS due_at
       FROM cases c
       CROSS JOIN LATERAL (SELECT
         CASE WHEN c.status = 'assigned' AND c.accept_due_at <= $1 THEN 'accept'
              WHEN c.first_response_at IS NULL AND c.first_response_due_at <= $1 THEN 'first-response'
              WHEN c.resolve_due_at <= $1 THEN 'resolve' END AS limit_name,
         CASE WHEN c.status = 'assigned' AND c.accept_due_at <= $1 THEN c.accept_due_at
              WHEN c.first_response_at IS NULL AND c.first_response_due_at <= $1 THEN c.first_response_due_at
              WHEN c.resolve_due_at <= $1 THEN c.resolve_due_at END AS due_at) p
       LEFT JOIN LATERAL (SELECT a.sla_limit, a.due_at FROM sla_alerts a
         WHERE p.limit_name IS NULL AND a.case_id = c.id AND a.stage = 'overdue' AND a.sla_limit <> 'callback'
         ORDER BY a.at DESC, a.id DESC LIMIT 1) a ON true
       WHERE c.status IN ('assigned', 'accepted')
         AND (c.sla_status = 'overdue' OR (c.status = 'assigned' AND c.accept_due_at <= $1)
           OR (c.first_response_at IS NULL AND c.first_response_due_at <= $1) OR c.resolve_due_at <= $1)
         AND ($2::text[] IS NULL OR c.department_id = ANY ($2::text[]))
       ORDER BY past_now DESC, due_at ASC NULLS LAST, c.number
       LIMIT $3`,
      [now, departmentIds ? [...departmentIds] : null, limit],
    );
    return rows.map((r) => ({
      number: num(r.number),
      villageId: String(r.village_id),
      departmentId: String(r.department_id),
      assigneeId: (r.assignee_id as string | null) ?? null,
      status: String(r.status),
      priority: String(r.priority),
      description: String(r.description),
      dispatchedAt: new Date(r.dispatched_at as Date),
      limit: (r.limit_name as OverdueCase['limit']) ?? null,
      dueAt: r.due_at ? new Date(r.due_at as Date) : null,
      pastNow: r.past_now === true,
    }));
  }

  /**
   * One case with its facts and its whole event history, oldest event first. `months` are the
   * boundaries of the case's month (重复诉求 is relative to it): use `monthOf` on its dispatch.
   */
  async caseDetail(number: number, monthOfDispatch: (dispatchedAt: Date) => readonly Date[]): Promise<CaseDetail | null> {
    // cases.number is a Postgres integer: a larger number is no case (and Postgres would refuse it).
    if (!Number.isInteger(number) || number < 1 || number > 2_147_483_647) return null;
    const [head]: Row[] = await this.em.query(`SELECT dispatched_at FROM cases WHERE number = $1`, [number]);
    if (!head?.dispatched_at) return null;
    const [row]: Row[] = await this.query(
      `SELECT f.*, f.first_response_at <= f.first_response_due_at AS responded_in_time,
         f.resolved_at <= f.resolve_due_at AS resolved_on_time,
         r.name AS resident_name, r.relay_cadre_id, c.accepted_at,
         (SELECT e.data->>'relayedBy' FROM case_events e WHERE e.case_id = f.id AND e.type = 'created') AS filed_by, ${lapsesColumn}, c.closed_at, c.accept_due_at, c.resolution_note
       FROM (${factsQuery(false)}) f JOIN cases c ON c.id = f.id JOIN residents r ON r.id = f.resident_id
       WHERE f.number = $5`,
      [...scopeParams({ months: monthOfDispatch(new Date(head.dispatched_at as Date)) }), number],
    );
    if (!row) return null;
    const events: Row[] = await this.em.query(
      `SELECT e.at, e.actor_type, e.actor_id, e.type, e.data FROM case_events e WHERE e.case_id = $1 ORDER BY e.at, e.id`,
      [row.id],
    );
    const date = (value: unknown) => (value ? new Date(value as Date) : null);
    return {
      kase: {
        ...toFacts(row),
        residentName: String(row.resident_name),
        relayCadreId: (row.relay_cadre_id as string | null) ?? null,
        acceptedAt: date(row.accepted_at),
        closedAt: date(row.closed_at),
        acceptDueAt: date(row.accept_due_at),
        resolutionNote: (row.resolution_note as string | null) ?? null,
        slaStatus: String(row.sla_status),
      },
      events: events.map((e) => ({
        at: new Date(e.at as Date),
        actorType: String(e.actor_type),
        actorId: (e.actor_id as string | null) ?? null,
        type: String(e.type),
        data: (e.data as Record<string, unknown>) ?? {},
      })),
    };
  }

  /** The residents' words of the cases in `scope`, for hotspots. */
  async caseTexts(scope: CaseScope): Promise<{ number: number; villageId: string; departmentId: string; description: string }[]> {
    const rows: Row[] = await this.em.query(
      `SELECT c.number, c.village_id, c.department_id, c.description FROM cases c
       WHERE c.dispatched_at >= $1 AND c.dispatched_at < $2 AND ($3::text[] IS NULL OR c.department_id = ANY ($3::text[]))`,
      [scope.months[0], scope.months.at(-1), scope.departmentIds ? [...scope.departmentIds] : null],
    );
    return rows.map((r) => ({
      number: num(r.number),
      villageId: String(r.village_id),
      departmentId: String(r.department_id),
      description: String(r.description),
    }));
  }

  /** Whether its queries run in the caller's transaction: one connection, one query at a time. */
  get inTransaction(): boolean {
    return this.em.queryRunner?.isTransactionActive === true;
  }

  /**
   * Runs a statistics query with JIT compilation off: the plans of these queries look costly
   * enough to trigger it, and compiling them took 4× longer than running them (1.2 s vs 0.3 s).
   */
  private async query(sql: string, params: unknown[]): Promise<Row[]> {
    if (this.inTransaction) {
      // Inside the caller's transaction (统计 in chat): same connection, no nested transaction.
      await this.em.query(`SET LOCAL jit = off`);
      return (await this.em.query(sql, params)) as Row[];
    }
    return this.em.transaction(async (em) => {
      await em.query(`SET LOCAL jit = off`);
      return (await em.query(sql, params)) as Row[];
    });
  }

  /** Whether the database holds any case at all (an empty one is likely the wrong database). */
  async hasCases(): Promise<boolean> {
    const [row]: Row[] = await this.em.query(`SELECT EXISTS (SELECT 1 FROM cases) AS found`);
    return row?.found === true;
  }

  /** Names of every cadre the database knows, including those no longer in config. */
  async cadreNames(): Promise<Map<string, string>> {
    const rows: { id: string; name: string }[] = await this.em.query(`SELECT id, name FROM cadres`);
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
