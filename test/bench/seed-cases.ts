/**
 * Fills a database with a township's worth of history for the statistics benchmark:
 * `DATABASE_URL=postgres://… npm run seed:cases -- [--cases 1000000] [--months 24] [--reset]`.
 *
 * Everything is generated inside Postgres (INSERT … SELECT generate_series), so a million cases
 * with their events, callbacks, alerts and bookings take a few minutes, not hours. The data is
 * plausible rather than exact: dispatch in daytime, response and resolution times drawn from
 * exponential distributions, working minutes a fixed share of the wall-clock ones, 70 % 满意,
 * 15 % 基本满意, 5 % 不满意, 10 % 未回访, 2 % sent back, 3.5 % reopened. Cases end "now", spread over
 * the `--months` calendar months up to the current one. Routing follows the roster's weekly
 * slots, so each cadre gets the villages and departments they serve.
 *
 * Refuses a database that already has cases unless `--reset` (which empties every case,
 * resident and booking table first). Needs a role that may set `session_replication_role`
 * (a superuser, as in the test setup).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { Database } from '../../src/db/database.js';
import { openDataSource } from '../../src/db/data-source.js';

export interface SeedOptions {
  databaseUrl: string;
  /** Default 1 000 000. */
  cases?: number;
  /** Calendar months of history, the current one included. Default 24. */
  months?: number;
  /** Empty the tables first. Default false (a database with cases is refused). */
  reset?: boolean;
  /** Default `config`. */
  configDir?: string;
  /** The end of the history. Default: now. */
  now?: Date;
  log?: (line: string) => void;
}

export interface SeedResult {
  cases: number;
  events: number;
  bookings: number;
  seconds: number;
  steps: { name: string; seconds: number }[];
}

const seedTables = [
  'booking_notices', 'bookings', 'booking_slots', 'sla_alerts', 'case_events', 'outbound_messages', 'inbound_messages',
  'bind_codes', 'cadre_ratings', 'cases', 'residents', 'case_stats_hourly',
];

/** The limit an overdue case passed (the first response's when it missed that one, else the resolution's) and when it fell due: `missed`. */
const missedLimit = `CROSS JOIN LATERAL (SELECT CASE WHEN c.response_missed THEN 'first-response' ELSE 'resolve' END AS sla_limit,
  CASE WHEN c.response_missed THEN c.first_response_due_at ELSE c.resolve_due_at END AS due_at) missed`;

/** Department weights: the first departments of the config (the field stations) get most matters. */
function weightedDepartments(config: Config): string[] {
  const list: string[] = [];
  config.departments.forEach((d, i) => {
    const weight = Math.max(1, 8 - i);
    for (let k = 0; k < weight; k++) list.push(d.id);
  });
  return list;
}

/** department|village → the cadre the roster's weekly slots put first (else the head, else anyone of it). */
function routes(config: Config): Record<string, string> {
  const map: Record<string, string> = {};
  for (const slot of config.roster.weekly) {
    const villages = slot.villages === 'all' ? config.villages.map((v) => v.id) : slot.villages;
    for (const village of villages) map[`${slot.department}|${village}`] ??= slot.cadres[0]!;
  }
  for (const d of config.departments) {
    const fallback =
      config.cadres.find((c) => c.role === 'head' && c.departments.includes(d.id)) ??
      config.cadres.find((c) => c.departments.includes(d.id)) ??
      config.cadres.find((c) => c.role === 'office')!;
    for (const v of config.villages) map[`${d.id}|${v.id}`] ??= fallback.id;
  }
  return map;
}

/** A few ways residents put a department's matters, built from its keywords. */
function phrases(config: Config): Record<string, string[]> {
  const frames = ['{k}的问题想请人来看看', '我家{k}出了点状况，麻烦帮忙', '问一下{k}的事情怎么办', '{k}，急需指导', '关于{k}反映一下情况'];
  const out: Record<string, string[]> = {};
  for (const d of config.departments) {
    const words = d.keywords.map((k) => k.word);
    const list = (words.length > 0 ? words : [d.name]).flatMap((word, i) => [frames[i % frames.length]!.replace('{k}', word)]);
    out[d.id] = list;
  }
  return out;
}

/** Booking services: those in config, else one home-visit service per department. */
function services(config: Config): { id: string; departmentId: string }[] {
  const configured = config.departments.flatMap((d) => d.services.map((s) => ({ id: s.id, departmentId: d.id })));
  return configured.length > 0 ? configured : config.departments.slice(0, 6).map((d) => ({ id: `${d.id}-visit`, departmentId: d.id }));
}

export async function seedCases(options: SeedOptions): Promise<SeedResult> {
  const log = options.log ?? (() => undefined);
  const total = options.cases ?? 1_000_000;
  const months = options.months ?? 24;
  const config = loadConfig(path.resolve(options.configDir ?? 'config'));
  const tz = config.township.timezone;
  const now = options.now ?? new Date();
  const start = DateTime.fromJSDate(now, { zone: tz }).startOf('month').minus({ months: months - 1 });
  const days = Math.max(1, Math.floor(DateTime.fromJSDate(now, { zone: tz }).startOf('day').diff(start, 'days').days));
  const residents = Math.max(100, Math.floor(total / 4));
  const bookings = Math.floor(total / 10);
  const startedAt = Date.now();
  const steps: SeedResult['steps'] = [];

  const dataSource: DataSource = await openDataSource({ url: options.databaseUrl, poolSize: 2 });
  const runner = dataSource.createQueryRunner();
  const q = (sql: string, params: unknown[] = []) => runner.query(sql, params);
  const step = async (name: string, work: () => Promise<unknown>) => {
    const t0 = Date.now();
    await work();
    const seconds = (Date.now() - t0) / 1000;
    steps.push({ name, seconds });
    log(`${name}: ${seconds.toFixed(1)} s`);
  };
  try {
    const [{ n }] = (await q(`SELECT count(*) AS n FROM cases`)) as [{ n: string }];
    if (Number(n) > 0 && !options.reset) {
      throw new Error(`the database already has ${n} cases; pass --reset to replace them`);
    }
    await step('reset', () => q(`TRUNCATE ${seedTables.join(', ')} RESTART IDENTITY CASCADE`));
    await new Database(dataSource).cadres.sync(config.cadres, now);
    // What the statistics triggers would derive row by row (resolved_by, was_sent_back, was_overdue,
    // response_missed, resolve_missed, cadre_ratings, the hourly rollup) is written directly below; with triggers (and foreign-key
    // checks) off in this session the bulk inserts run 2–3× faster.
    await q(`SET session_replication_role = replica`);

    const villages = config.villages.map((v) => v.id);
    await step(`residents (${residents})`, () =>
      q(
        `INSERT INTO residents (wechat_id, name, village_id, created_at, updated_at)
         SELECT 'seed-' || g, '群众' || g, ($2::text[])[1 + g % cardinality($2::text[])], $3, $3
         FROM generate_series(1, $1::int) g`,
        [residents, villages, start.toJSDate()],
      ),
    );

    await step(`cases (${total})`, () =>
      q(
        `INSERT INTO cases (resident_id, village_id, department_id, status, priority, assignee_id, description,
           created_at, assigned_at, dispatched_at, accepted_at, first_response_at, resolved_at, closed_at,
           accept_due_at, first_response_due_at, resolve_due_at, sla_status, response_minutes, response_working_minutes,
           resolution_minutes, resolution_working_minutes, resolution_note, rating, rated_at, reopen_count, updated_at,
           resolved_by, was_sent_back, was_overdue, response_missed, resolve_missed)
         SELECT resident_id, village_id, department_id,
           CASE WHEN resolved_at IS NULL THEN (CASE WHEN first_response_at IS NULL THEN 'assigned' ELSE 'accepted' END)
                WHEN resolved_at > $5::timestamptz - interval '3 days' THEN 'resolved' ELSE 'closed' END,
           CASE WHEN u_urgent < 0.05 THEN 'urgent' ELSE 'normal' END,
           ($8::jsonb) ->> (department_id || '|' || village_id),
           ($9::jsonb -> department_id) ->> floor(u_text * jsonb_array_length($9::jsonb -> department_id))::int,
           t, t, t, first_response_at, first_response_at, resolved_at,
           CASE WHEN resolved_at <= $5::timestamptz - interval '3 days' THEN resolved_at + interval '1 day' END,
           t + interval '2 hours', t + interval '4 hours', t + interval '3 days',
           CASE WHEN first_response_at > t + interval '4 hours' OR resolved_at > t + interval '3 days'
                  OR (first_response_at IS NULL AND t + interval '4 hours' < $5)
                  OR (resolved_at IS NULL AND t + interval '3 days' < $5) THEN 'overdue' ELSE 'on-time' END,
           CASE WHEN first_response_at IS NOT NULL THEN floor(resp)::int END,
           CASE WHEN first_response_at IS NOT NULL THEN floor(resp * 0.55)::int END,
           CASE WHEN resolved_at IS NOT NULL THEN floor(resp + resol)::int END,
           CASE WHEN resolved_at IS NOT NULL THEN floor((resp + resol) * 0.4)::int END,
           CASE WHEN resolved_at IS NOT NULL THEN '已处理' END,
           CASE WHEN resolved_at <= $5::timestamptz - interval '3 days' THEN
             CASE WHEN u_rating < 0.70 THEN 'satisfied' WHEN u_rating < 0.85 THEN 'basically-satisfied'
                  -- A reopened case's last callback unanswered: its 不满意 stands, as the app keeps it.
                  WHEN u_rating < 0.90 OR u_reopen < 0.035 THEN 'unsatisfied' ELSE 'no-answer' END END,
           CASE WHEN resolved_at <= $5::timestamptz - interval '3 days' AND (u_rating < 0.90 OR u_reopen < 0.035) THEN resolved_at + interval '1 day' END,
           CASE WHEN resolved_at IS NULL THEN 0 WHEN u_reopen < 0.005 THEN 2 WHEN u_reopen < 0.035 THEN 1 ELSE 0 END,
           GREATEST(t, resolved_at),
           CASE WHEN resolved_at IS NOT NULL THEN ($8::jsonb) ->> (department_id || '|' || village_id) END,
           u_misc < 0.02,
           COALESCE(first_response_at > t + interval '4 hours' OR resolved_at > t + interval '3 days'
             OR (first_response_at IS NULL AND t + interval '4 hours' < $5) OR (resolved_at IS NULL AND t + interval '3 days' < $5), false),
           COALESCE(first_response_at > t + interval '4 hours', t + interval '4 hours' < $5),
           COALESCE(resolved_at > t + interval '3 days', t + interval '3 days' < $5)
         FROM (
           SELECT *, CASE WHEN t + resp * interval '1 minute' < $5 THEN t + resp * interval '1 minute' END AS first_response_at,
                     CASE WHEN t + (resp + resol) * interval '1 minute' < $5 THEN t + (resp + resol) * interval '1 minute' END AS resolved_at
           FROM (
             SELECT resident_id, ($6::text[])[1 + resident_id % cardinality($6::text[])] AS village_id, department_id, t,
                    u_urgent, u_text, u_rating, u_reopen, u_misc, resp, resol
             FROM (
               SELECT 1 + floor(random() * $2::int)::int AS resident_id,
                      ($7::text[])[1 + floor(random() * cardinality($7::text[]))::int] AS department_id,
                      ((($3::date + floor(random() * $4::int)::int) + time '08:00' + random() * interval '10 hours') AT TIME ZONE $10::text) AS t,
                      random() AS u_urgent, random() AS u_text, random() AS u_rating, random() AS u_reopen, random() AS u_misc,
                      -ln(1 - random()) * 100 AS resp, -ln(1 - random()) * 1500 AS resol
               FROM generate_series(1, $1::int) g
             ) raw
           ) routed
         ) timed
         WHERE t < $5
         ORDER BY t`,
        [
          total, residents, start.toISODate(), days, now, villages, weightedDepartments(config), JSON.stringify(routes(config)),
          JSON.stringify(phrases(config)), tz,
        ],
      ),
    );
    // Resident ids start at 1 after the reset; the resident → village rule above matches the residents' rows.

    await step('case events', () =>
      q(
        `INSERT INTO case_events (case_id, at, actor_type, actor_id, type, data)
         SELECT c.id, ev.at, ev.actor_type, ev.actor_id, ev.type, ev.data
         FROM cases c
         ${missedLimit}
         CROSS JOIN LATERAL (VALUES
           (c.dispatched_at, 'resident', c.resident_id::text, 'created',
             jsonb_build_object('departmentId', c.department_id, 'villageId', c.village_id, 'priority', c.priority)),
           (c.dispatched_at, 'system', NULL, 'assigned', jsonb_build_object('cadreId', c.assignee_id, 'reason', 'on-duty')),
           (CASE WHEN c.was_sent_back THEN c.dispatched_at + interval '20 minutes' END, 'cadre', c.assignee_id, 'sent-back',
             jsonb_build_object('reason', '不属于本站业务')),
           (c.accepted_at, 'cadre', c.assignee_id, 'accepted', '{}'::jsonb),
           (c.first_response_at, 'cadre', c.assignee_id, 'replied', jsonb_build_object('text', '您好，已收到，马上联系您')),
           (CASE WHEN c.sla_status = 'overdue' THEN missed.due_at END, 'system', NULL, 'escalated',
             jsonb_build_object('limit', missed.sla_limit, 'from', c.assignee_id)),
           (c.resolved_at, 'cadre', c.assignee_id, 'resolved', jsonb_build_object('note', '已处理')),
           (c.rated_at, 'resident', c.resident_id::text, 'rated', jsonb_build_object('rating', c.rating)),
           (c.closed_at, 'system', NULL, 'closed', jsonb_build_object('reason', CASE WHEN c.rating = 'no-answer' THEN 'no-callback' ELSE 'rated' END))
         ) AS ev(at, actor_type, actor_id, type, data)
         WHERE ev.at IS NOT NULL
         UNION ALL
         -- Each reopening: an earlier 办结 by the holder, answered 不满意, reopened at once; spread
         -- evenly between dispatch and the final 办结.
         SELECT c.id, cycle.at + ev.after, ev.actor_type, ev.actor_id, ev.type, ev.data
         FROM cases c
         CROSS JOIN LATERAL (SELECT k, c.dispatched_at + (c.resolved_at - c.dispatched_at) * k / (c.reopen_count + 1) AS at
                             FROM generate_series(1, c.reopen_count) k) cycle
         CROSS JOIN LATERAL (VALUES
           (interval '0', 'cadre', c.assignee_id, 'resolved', jsonb_build_object('note', '已处理')),
           (interval '1 second', 'resident', c.resident_id::text, 'rated', jsonb_build_object('rating', 'unsatisfied', 'comment', '还没解决')),
           (interval '2 seconds', 'resident', c.resident_id::text, 'reopened', jsonb_build_object('comment', '还没解决', 'reopenCount', cycle.k))
         ) AS ev(after, actor_type, actor_id, type, data)
         WHERE c.reopen_count > 0
         ORDER BY 2`,
      ),
    );

    // Every 办结 of a case here is its holder's, so his latest answer is the case's — or the 不满意 that
    // reopened it while the last callback is still to come: what the trigger derives from these events.
    await step('callback answers by cadre', () =>
      q(
        `INSERT INTO cadre_ratings (case_id, cadre_id, rating)
         SELECT id, resolved_by, COALESCE(rating, 'unsatisfied') FROM cases
         WHERE resolved_by IS NOT NULL AND (rating IS NOT NULL OR reopen_count > 0)`,
      ),
    );

    await step('time-limit alerts', () =>
      q(
        `INSERT INTO sla_alerts (case_id, sla_limit, stage, due_at, at)
         SELECT c.id, missed.sla_limit, 'overdue', missed.due_at, missed.due_at FROM cases c ${missedLimit} WHERE c.sla_status = 'overdue'`,
      ),
    );

    await step('statistics rollup', () =>
      q(
        `INSERT INTO case_stats_hourly
         SELECT hour, department_id, sum(k[1]), sum(k[2]), sum(k[3]), sum(k[4]), sum(k[5]), sum(k[6]), sum(k[7]),
           sum(k[8]), sum(k[9]), sum(k[10]), sum(k[11]), sum(k[12]), sum(k[13]), sum(k[14])
         FROM (SELECT date_trunc('hour', c.dispatched_at) AS hour, c.department_id, case_stats_counts(c) AS k FROM cases c) x
         GROUP BY hour, department_id`,
      ),
    );

    const svc = services(config);
    await step(`bookings (${bookings})`, async () => {
      if (bookings === 0) return;
      const minutes = Math.floor((now.getTime() + 14 * 86_400_000 - start.toMillis()) / 60_000);
      const spacing = Math.max(30, Math.floor((minutes * svc.length) / bookings / 30) * 30);
      await q(
        `INSERT INTO booking_slots (service_id, starts_at, capacity, booked)
         SELECT ($2::text[])[1 + g % cardinality($2::text[])], $3::timestamptz + (g / cardinality($2::text[])) * $4::int * interval '1 minute', 1, 1
         FROM generate_series(0, $1::int - 1) g`,
        [bookings, svc.map((s) => s.id), start.toJSDate(), spacing],
      );
      await q(
        `INSERT INTO bookings (resident_id, village_id, department_id, service_id, starts_at, ends_at, address, status,
           assignee_id, created_at, cancelled_at, completed_at, updated_at)
         SELECT r.id, r.village_id, s.department_id, s.service_id, s.starts_at, s.starts_at + interval '1 hour', '家中',
           st.status, ($5::jsonb) ->> (s.department_id || '|' || r.village_id),
           s.starts_at - interval '2 days',
           CASE WHEN st.status = 'cancelled' THEN s.starts_at - interval '1 day' END,
           CASE WHEN st.status = 'completed' THEN s.starts_at + interval '1 hour' END,
           s.starts_at
         FROM (
           SELECT b.service_id, b.starts_at, d.department_id, 1 + floor(random() * $1::int)::int AS resident_id, random() AS u
           FROM booking_slots b JOIN unnest($2::text[], $3::text[]) AS d(service_id, department_id) USING (service_id)
         ) s
         JOIN residents r ON r.id = s.resident_id
         CROSS JOIN LATERAL (SELECT CASE WHEN s.starts_at > $4 THEN (CASE WHEN s.u < 0.1 THEN 'cancelled' ELSE 'booked' END)
                                         WHEN s.u < 0.80 THEN 'completed' WHEN s.u < 0.88 THEN 'no-show' ELSE 'cancelled' END AS status) st
         ORDER BY s.starts_at`,
        [residents, svc.map((s) => s.id), svc.map((s) => s.departmentId), now, JSON.stringify(routes(config))],
      );
    });

    await q(`SET session_replication_role = DEFAULT`);
    // Sets the visibility map too, as autovacuum would by the time anyone asks: index-only scans.
    await step('vacuum analyze', () => q(`VACUUM ANALYZE`));
    const [{ cases, events, booked }] = (await q(
      `SELECT (SELECT count(*) FROM cases) AS cases, (SELECT count(*) FROM case_events) AS events,
              (SELECT count(*) FROM bookings) AS booked`,
    )) as [{ cases: string; events: string; booked: string }];
    return { cases: Number(cases), events: Number(events), bookings: Number(booked), seconds: (Date.now() - startedAt) / 1000, steps };
  } finally {
    await runner.release();
    await dataSource.destroy();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string' },
      months: { type: 'string' },
      reset: { type: 'boolean', default: false },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log('usage: DATABASE_URL=postgres://… npm run seed:cases -- [--cases 1000000] [--months 24] [--reset] [--config config]');
    return;
  }
  // A benchmark tool, not part of the app: it reads its target from the environment directly.
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('set DATABASE_URL to the database to fill (it must not be a production one)');
  const result = await seedCases({
    databaseUrl,
    cases: values.cases ? Number(values.cases.replace(/[_ ,]/g, '')) : undefined,
    months: values.months ? Number(values.months) : undefined,
    reset: values.reset,
    configDir: values.config,
    log: (line) => console.log(line),
  });
  console.log(`${result.cases} cases, ${result.events} events, ${result.bookings} bookings in ${result.seconds.toFixed(1)} s`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
