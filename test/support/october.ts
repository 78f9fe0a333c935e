/**
 * A small October 2026 of 青山乡 (test/fixtures/qingshan: working hours 09:00–12:00 and
 * 13:00–17:00, 420 minutes a day; 1–7 October 国庆 holidays, Saturday 10 October a 调休 workday).
 * Rows go in with SQL, as the cadre loop would have left them, so every figure of it can be
 * checked by hand: the statistics test does, and the review pages' test opens their cases.
 *
 *  case  resident  village   dept    credited  response (wall/work)  resolved (wall/work)  rating      notes
 *  A1    R1        qingshan  farm    林        1050 / 90   in time    3930 / 510 on time    满意        Fri 16:30 → 调休 Sat
 *  A2    R1        qingshan  farm    林         360 / 300  late       1500 / 480 on time    基本满意    overdue alert; repeat
 *  A3    R2        qingshan  farm    林          30 / 30   in time    reopened, open        不满意      reopened; overdue alert
 *  A4    R2        qingshan  farm    林        —  not responded          open                 —           marked overdue; repeat
 *  B1    R3        baishi    farm    吴          10 / 10   in time    1260 / 300 LATE       未回访      overdue alert
 *  B2    R4        baishi    farm    吴         120 / 120  in time     420 / 360 on time    满意        sent back by 林, resolved by 吴
 *  C1    R4        baishi    clinic  郑          60 / 60   in time     420 / 360 on time    满意
 *  C2    R3        baishi    clinic  陈       10620 / 30   in time   10710 / 120 on time    满意        1 Oct 00:30 local (30 Sep UTC); resolved by the office
 *  C3    R4        baishi    clinic  郑          20 / 20   in time     180 / 180 on time    基本满意    urgent; repeat
 *  C4    R1        qingshan  clinic  郑          30 / 30   in time    4380 / 480 on time    满意        reopened once, resolved again
 *  X     R1        qingshan  farm    林        November: 1 Nov 00:30 local = 31 Oct 16:30 UTC — not October
 */
import type { DataSource } from 'typeorm';
import { StatsService } from '../../src/services/stats.service.js';
import { hashPassword } from '../../src/web/auth.js';
import { logIn, startWebTownship, type WebTownship } from './web.js';
import { local } from '../unit/fixtures.js';

export interface CaseRow {
  name: string;
  resident: string;
  village: string;
  department: string;
  assignee: string;
  status: 'assigned' | 'accepted' | 'resolved' | 'closed';
  priority?: 'normal' | 'urgent';
  dispatched: string;
  firstResponse?: string;
  firstResponseDue: string;
  resolved?: string;
  resolveDue: string;
  /** Wall-clock and working minutes, as the cadre loop stores them (checked against the calendar below). */
  response?: [number, number];
  resolution?: [number, number];
  rating?: 'satisfied' | 'basically-satisfied' | 'unsatisfied' | 'no-answer';
  reopenCount?: number;
  slaStatus?: 'on-time' | 'overdue';
  resolvedBy?: string;
  /** A cadre who resolved the case first, was answered 不满意 and lost it to `assignee` (派单 after the reopening). */
  unsatisfiedWith?: string;
  sentBackBy?: string;
  overdueAlert?: 'first-response' | 'resolve';
}

/** The cases of the fixture, as in the table above. */
export const octoberCases: CaseRow[] = [
  {
    name: 'A1', resident: 'R1', village: 'qingshan', department: 'farm', assignee: 'q-farm-a', status: 'closed',
    dispatched: '2026-10-09 16:30', firstResponse: '2026-10-10 10:00', firstResponseDue: '2026-10-10 13:30',
    resolved: '2026-10-12 10:00', resolveDue: '2026-10-15 10:30', response: [1050, 90], resolution: [3930, 510],
    rating: 'satisfied', resolvedBy: 'q-farm-a',
  },
  {
    name: 'A2', resident: 'R1', village: 'qingshan', department: 'farm', assignee: 'q-farm-a', status: 'closed',
    dispatched: '2026-10-13 09:00', firstResponse: '2026-10-13 15:00', firstResponseDue: '2026-10-13 14:00',
    resolved: '2026-10-14 10:00', resolveDue: '2026-10-19 09:00', response: [360, 300], resolution: [1500, 480],
    rating: 'basically-satisfied', resolvedBy: 'q-farm-a', overdueAlert: 'first-response',
  },
  {
    name: 'A3', resident: 'R2', village: 'qingshan', department: 'farm', assignee: 'q-farm-a', status: 'accepted',
    dispatched: '2026-10-20 09:00', firstResponse: '2026-10-20 09:30', firstResponseDue: '2026-10-20 14:00',
    resolveDue: '2026-11-03 09:00', response: [30, 30], rating: 'unsatisfied', reopenCount: 1,
    resolvedBy: 'q-farm-a', overdueAlert: 'resolve',
  },
  {
    name: 'A4', resident: 'R2', village: 'qingshan', department: 'farm', assignee: 'q-farm-a', status: 'assigned',
    dispatched: '2026-10-28 10:00', firstResponseDue: '2026-10-28 15:00', resolveDue: '2026-11-02 10:00', slaStatus: 'overdue',
    overdueAlert: 'first-response',
  },
  {
    name: 'B1', resident: 'R3', village: 'baishi', department: 'farm', assignee: 'q-farm-b', status: 'closed',
    dispatched: '2026-10-15 14:00', firstResponse: '2026-10-15 14:10', firstResponseDue: '2026-10-16 10:00',
    resolved: '2026-10-16 11:00', resolveDue: '2026-10-16 10:00', response: [10, 10], resolution: [1260, 300],
    rating: 'no-answer', resolvedBy: 'q-farm-b', overdueAlert: 'resolve',
  },
  {
    name: 'B2', resident: 'R4', village: 'baishi', department: 'farm', assignee: 'q-farm-b', status: 'closed',
    dispatched: '2026-10-21 09:00', firstResponse: '2026-10-21 11:00', firstResponseDue: '2026-10-21 14:00',
    resolved: '2026-10-21 16:00', resolveDue: '2026-10-27 09:00', response: [120, 120], resolution: [420, 360],
    rating: 'satisfied', resolvedBy: 'q-farm-b', sentBackBy: 'q-farm-a',
  },
  {
    name: 'C1', resident: 'R4', village: 'baishi', department: 'clinic', assignee: 'q-clinic', status: 'closed',
    dispatched: '2026-10-08 09:00', firstResponse: '2026-10-08 10:00', firstResponseDue: '2026-10-08 11:00',
    resolved: '2026-10-08 16:00', resolveDue: '2026-10-12 09:20', response: [60, 60], resolution: [420, 360],
    rating: 'satisfied', resolvedBy: 'q-clinic',
  },
  {
    name: 'C2', resident: 'R3', village: 'baishi', department: 'clinic', assignee: 'q-clinic', status: 'closed',
    dispatched: '2026-10-01 00:30', firstResponse: '2026-10-08 09:30', firstResponseDue: '2026-10-08 11:00',
    resolved: '2026-10-08 11:00', resolveDue: '2026-10-12 09:20', response: [10620, 30], resolution: [10710, 120],
    rating: 'satisfied', resolvedBy: 'q-office',
  },
  {
    name: 'C3', resident: 'R4', village: 'baishi', department: 'clinic', assignee: 'q-clinic', status: 'closed', priority: 'urgent',
    dispatched: '2026-10-22 09:00', firstResponse: '2026-10-22 09:20', firstResponseDue: '2026-10-22 09:30',
    resolved: '2026-10-22 12:00', resolveDue: '2026-10-22 19:00', response: [20, 20], resolution: [180, 180],
    rating: 'basically-satisfied', resolvedBy: 'q-clinic',
  },
  {
    name: 'C4', resident: 'R1', village: 'qingshan', department: 'clinic', assignee: 'q-clinic', status: 'closed',
    dispatched: '2026-10-23 09:00', firstResponse: '2026-10-23 09:30', firstResponseDue: '2026-10-23 11:00',
    resolved: '2026-10-26 10:00', resolveDue: '2026-10-28 10:00', response: [30, 30], resolution: [4380, 480],
    rating: 'satisfied', reopenCount: 1, resolvedBy: 'q-clinic',
  },
  {
    name: 'X', resident: 'R1', village: 'qingshan', department: 'farm', assignee: 'q-farm-a', status: 'assigned',
    dispatched: '2026-11-01 00:30', firstResponseDue: '2026-11-02 13:00', resolveDue: '2026-11-06 13:00',
  },
];

/**
 * A September before the October, for the change against the month before (较上月):
 *
 *  case  resident  village   dept    credited  response   resolved   rating     notes
 *  S1    R1        qingshan  farm    林        in time    on time    满意
 *  S2    R2        qingshan  farm    林        in time    on time    满意
 *  S3    R1        qingshan  farm    林        in time    on time    基本满意
 *  S4    R3        baishi    farm    吴        in time    on time    满意       林 resolved first and was answered 不满意; then 吴
 *  S5    R4        baishi    clinic  郑        in time    on time    满意
 *  S6    R3        baishi    farm    吴        LATE       LATE       未回访
 *  S7    R4        baishi    farm    吴        in time    on time    满意
 *
 * Insert it as `insertOctober(dataSource, septemberCases)`.
 */
export const septemberCases: CaseRow[] = [
  {
    name: 'S1', resident: 'R1', village: 'qingshan', department: 'farm', assignee: 'q-farm-a', status: 'closed',
    dispatched: '2026-09-08 09:00', firstResponse: '2026-09-08 10:00', firstResponseDue: '2026-09-08 14:00',
    resolved: '2026-09-09 10:00', resolveDue: '2026-09-14 09:00', rating: 'satisfied', resolvedBy: 'q-farm-a',
  },
  {
    name: 'S2', resident: 'R2', village: 'qingshan', department: 'farm', assignee: 'q-farm-a', status: 'closed',
    dispatched: '2026-09-09 09:00', firstResponse: '2026-09-09 09:30', firstResponseDue: '2026-09-09 14:00',
    resolved: '2026-09-10 10:00', resolveDue: '2026-09-15 09:00', rating: 'satisfied', resolvedBy: 'q-farm-a',
  },
  {
    name: 'S3', resident: 'R1', village: 'qingshan', department: 'farm', assignee: 'q-farm-a', status: 'closed',
    dispatched: '2026-09-14 09:00', firstResponse: '2026-09-14 09:20', firstResponseDue: '2026-09-14 14:00',
    resolved: '2026-09-15 16:00', resolveDue: '2026-09-18 09:00', rating: 'basically-satisfied', resolvedBy: 'q-farm-a',
  },
  {
    name: 'S4', resident: 'R3', village: 'baishi', department: 'farm', assignee: 'q-farm-b', status: 'closed',
    dispatched: '2026-09-10 09:00', firstResponse: '2026-09-10 09:30', firstResponseDue: '2026-09-10 14:00',
    resolved: '2026-09-16 10:00', resolveDue: '2026-09-21 09:00', rating: 'satisfied', reopenCount: 1,
    unsatisfiedWith: 'q-farm-a', resolvedBy: 'q-farm-b',
  },
  {
    name: 'S5', resident: 'R4', village: 'baishi', department: 'clinic', assignee: 'q-clinic', status: 'closed',
    dispatched: '2026-09-15 09:00', firstResponse: '2026-09-15 09:10', firstResponseDue: '2026-09-15 11:00',
    resolved: '2026-09-15 15:00', resolveDue: '2026-09-17 09:00', rating: 'satisfied', resolvedBy: 'q-clinic',
  },
  {
    name: 'S6', resident: 'R3', village: 'baishi', department: 'farm', assignee: 'q-farm-b', status: 'closed',
    dispatched: '2026-09-16 09:00', firstResponse: '2026-09-16 16:00', firstResponseDue: '2026-09-16 14:00',
    resolved: '2026-09-23 10:00', resolveDue: '2026-09-22 09:00', rating: 'no-answer', resolvedBy: 'q-farm-b',
  },
  {
    name: 'S7', resident: 'R4', village: 'baishi', department: 'farm', assignee: 'q-farm-b', status: 'closed',
    dispatched: '2026-09-17 09:00', firstResponse: '2026-09-17 09:30', firstResponseDue: '2026-09-17 14:00',
    resolved: '2026-09-17 16:00', resolveDue: '2026-09-22 09:00', rating: 'satisfied', resolvedBy: 'q-farm-b',
  },
];

const residents = { R1: 'qingshan', R2: 'qingshan', R3: 'baishi', R4: 'baishi' } as const;

/**
 * Writes the fixture's residents, cases with their events and alerts, and bookings; the case numbers
 * by name (A1 …). `extra`: more cases of the same residents, e.g. a month before (their names unique).
 */
export async function insertOctober(dataSource: DataSource, extra: readonly CaseRow[] = []): Promise<Map<string, number>> {
  const q = (sql: string, params: unknown[]) => dataSource.query(sql, params);
  const numbers = new Map<string, number>();
  const residentIds = new Map<string, number>();
  for (const [name, village] of Object.entries(residents)) {
    const [row] = await q(`INSERT INTO residents (wechat_id, name, village_id, created_at, updated_at) VALUES ($1, $2, $3, now(), now()) RETURNING id`, [
      `wx-${name}`, `居民${name}`, village,
    ]);
    residentIds.set(name, row.id);
  }
  const at = (text: string | undefined) => (text ? local(text) : null);
  for (const c of [...octoberCases, ...extra]) {
    const dispatched = local(c.dispatched);
    const [row] = await q(
      `INSERT INTO cases (resident_id, village_id, department_id, status, priority, assignee_id, description, created_at,
         assigned_at, dispatched_at, accepted_at, first_response_at, resolved_at, closed_at, accept_due_at,
         first_response_due_at, resolve_due_at, sla_status, response_minutes, response_working_minutes,
         resolution_minutes, resolution_working_minutes, rating, reopen_count, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8, $9, $9, $10, $11, $8, $12, $13, $14, $15, $16, $17, $18, $19, $20, $8)
       RETURNING id, number`,
      [
        residentIds.get(c.resident), c.village, c.department, c.status, c.priority ?? 'normal', c.assignee,
        c.department === 'farm' ? `柑橘${c.name === 'A1' ? '黄龙病' : '施肥'}的事` : '看病报销', dispatched,
        at(c.firstResponse), c.status === 'assigned' || c.status === 'accepted' ? null : at(c.resolved),
        c.status === 'closed' ? at(c.resolved) : null, at(c.firstResponseDue), at(c.resolveDue), c.slaStatus ?? 'on-time',
        c.response?.[0] ?? null, c.response?.[1] ?? null, c.resolution?.[0] ?? null, c.resolution?.[1] ?? null,
        c.rating ?? null, c.reopenCount ?? 0,
      ],
    );
    numbers.set(c.name, row.number);
    const event = (atText: string, actorType: string, actorId: string | null, type: string, data: object = {}) =>
      q(`INSERT INTO case_events (case_id, at, actor_type, actor_id, type, data) VALUES ($1, $2, $3, $4, $5, $6)`, [
        row.id, local(atText), actorType, actorId, type, data,
      ]);
    await event(c.dispatched, 'resident', String(residentIds.get(c.resident)), 'created', { villageId: c.village, departmentId: c.department });
    await event(c.dispatched, 'system', null, 'assigned', { cadreId: c.sentBackBy ?? c.unsatisfiedWith ?? c.assignee, reason: 'on-duty' });
    if (c.unsatisfiedWith) {
      await event(c.dispatched, 'cadre', c.unsatisfiedWith, 'resolved', { note: '已处理' });
      await event(c.dispatched, 'resident', String(residentIds.get(c.resident)), 'rated', { rating: 'unsatisfied' });
      await event(c.dispatched, 'resident', String(residentIds.get(c.resident)), 'reopened', {});
      await event(c.dispatched, 'cadre', 'q-office', 'assigned', { cadreId: c.assignee, reason: 'assign' });
    }
    if (c.sentBackBy) {
      await event(c.dispatched, 'cadre', c.sentBackBy, 'sent-back', { reason: '不归我管' });
      await event(c.dispatched, 'cadre', 'q-office', 'assigned', { cadreId: c.assignee, reason: 'assign' });
    }
    if (c.firstResponse) await event(c.firstResponse, 'cadre', c.assignee, 'replied', { text: '收到' });
    if (c.resolvedBy) await event(c.resolved ?? c.dispatched, 'cadre', c.resolvedBy, 'resolved', { note: '已处理' });
    if (c.rating) await event(c.resolved ?? c.dispatched, 'resident', String(residentIds.get(c.resident)), 'rated', { rating: c.rating });
    if (c.overdueAlert) {
      const due = local(c.overdueAlert === 'resolve' ? c.resolveDue : c.firstResponseDue);
      await q(`INSERT INTO sla_alerts (case_id, sla_limit, stage, due_at, at) VALUES ($1, $2, 'overdue', $3, $3)`, [row.id, c.overdueAlert, due]);
    }
  }
  // Bookings (by visit time): 林's orchard visits 2 completed, 1 no-show; 郑's health checks 1 booked, 1 cancelled; 1 in November.
  const bookings: [string, string, string, string, string, string][] = [
    ['orchard-visit', 'farm', 'q-farm-a', 'R1', '2026-10-12 09:00', 'completed'],
    ['orchard-visit', 'farm', 'q-farm-a', 'R2', '2026-10-13 09:00', 'completed'],
    ['orchard-visit', 'farm', 'q-farm-a', 'R1', '2026-10-14 09:00', 'no-show'],
    ['health-check', 'clinic', 'q-clinic', 'R3', '2026-10-30 09:00', 'booked'],
    ['health-check', 'clinic', 'q-clinic', 'R4', '2026-10-29 09:00', 'cancelled'],
    ['health-check', 'clinic', 'q-clinic', 'R4', '2026-11-02 09:00', 'booked'],
  ];
  for (const [service, department, cadre, resident, startsAt, status] of bookings) {
    await q(`INSERT INTO booking_slots (service_id, starts_at, capacity, booked) VALUES ($1, $2, 3, 1)`, [service, local(startsAt)]);
    await q(
      `INSERT INTO bookings (resident_id, village_id, department_id, service_id, starts_at, ends_at, address, status, assignee_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $5::timestamptz + interval '1 hour', '家里', $6, $7, now(), now())`,
      [residentIds.get(resident), residents[resident as keyof typeof residents], department, service, local(startsAt), status, cadre],
    );
  }
  return numbers;
}

/**
 * The office's dashboard on 5 Nov 2026 (ranking from 3 cases) over October's cases and September's
 * (`septemberCases`), logged in as its clerk 陈秘书: what the review tests compare the files with.
 */
export async function septemberAndOctoberOffice(): Promise<{ web: WebTownship; stats: StatsService; cookie: string }> {
  const password = 'qingshan-office-2026';
  const web = await startWebTownship({
    dashboard: `  minCasesForRanking: 3\n  accounts:\n    - { username: office, name: 陈秘书, passwordHash: "${await hashPassword(password)}" }\n`,
    clock: () => local('2026-11-05 10:00'),
  });
  await insertOctober(web.app.db.dataSource, septemberCases);
  return { web, stats: new StatsService(web.app.db, web.app.config), cookie: await logIn(web.url, 'office', password) };
}
