/**
 * Timings of the statistics on a seeded database (test/bench/seed-cases.ts): a month's figures
 * by cadre, department and village, the 12-month trend, and the dashboard pages rendered
 * through fastify (login, cookie, HTML), as the office would get them. Targets with 1 000 000
 * cases: a month by cadre < 300 ms, the overview page < 1 s.
 *
 * `benchStats(url)` is what `npm run bench` calls; alone:
 * `DATABASE_URL=postgres://… npx tsx test/bench/stats.bench.ts`.
 */
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../../src/config/load.js';
import { sampleConfigDir } from '../support/paths.js';
import type { Config } from '../../src/config/schema.js';
import { Database } from '../../src/db/database.js';
import { openDataSource } from '../../src/db/data-source.js';
import { createChineseCalendar } from '../../src/domain/calendar.js';
import { createLogger } from '../../src/logger.js';
import { addMonths, monthOf, StatsService } from '../../src/services/stats.service.js';
import { hashPassword } from '../../src/web/auth.js';
import { buildWebApp } from '../../src/web/server.js';

const runs = 5;

async function time(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * Each measurement once cold (first run after connecting) and as the median of 5 warm runs.
 * The month measured is the last complete month of the data (the current one if it is all).
 */
export async function benchStats(databaseUrl: string): Promise<{ name: string; ms: number }[]> {
  const loaded = loadConfig(sampleConfigDir);
  const password = 'bench-password-1';
  const config: Config = {
    ...loaded,
    township: {
      ...loaded.township,
      dashboard: {
        accounts: [{ username: 'bench', name: '基准', passwordHash: await hashPassword(password) }],
        sessionIdleMinutes: 60,
        secureCookies: false,
        trustProxy: false,
        minCasesForRanking: 10,
      },
    },
  };
  const dataSource = await openDataSource({ url: databaseUrl, poolSize: 10 });
  const results: { name: string; ms: number }[] = [];
  try {
    const db = new Database(dataSource);
    const stats = new StatsService(db, config);
    const [{ last, cases }] = (await dataSource.query(`SELECT max(dispatched_at) AS last, count(*) AS cases FROM cases`)) as [{ last: Date | null; cases: string }];
    if (!last) throw new Error('no cases: seed first (npm run seed:cases)');
    const current = monthOf(new Date(last), config.township.timezone);
    // The last complete month; a database filled by one bench run has only the current one.
    const month = (await stats.total(addMonths(current, -1))).dispatched > 0 ? addMonths(current, -1) : current;
    const label = `${Number(cases).toLocaleString('en')} cases, ${month}`;

    results.push({ name: `stats: compact rollup`, ms: round(await time(() => stats.repo.compactRollup())) });
    const measure = async (name: string, work: () => Promise<unknown>) => {
      results.push({ name: `${name} (first run)`, ms: round(await time(work)) });
      const warm: number[] = [];
      for (let i = 0; i < runs; i++) warm.push(await time(work));
      results.push({ name: `${name} (median of ${runs})`, ms: round(median(warm)) });
    };
    await measure(`stats: month by cadre [${label}]`, () => stats.byGroup(month, 'cadre'));
    await measure(`stats: month by department`, () => stats.byGroup(month, 'department'));
    await measure(`stats: month by village`, () => stats.byGroup(month, 'village'));
    await measure(`stats: 12-month trend from the rollup`, () => stats.trend(current, 12));
    results.push({
      name: `stats: 12-month trend without the rollup (one run, for comparison)`,
      ms: round(await time(() => stats.repo.caseFigures('month', { months: stats.monthBoundaries(addMonths(current, -11), 12) }))),
    });

    const app = await buildWebApp({
      host: '127.0.0.1',
      port: 0,
      logger: createLogger('silent'),
      checks: {},
      dashboard: { db, config, clock: () => new Date(last), calendar: createChineseCalendar(config.township.calendar) },
    });
    try {
      await app.ready();
      const login = await app.inject({ method: 'POST', url: '/login', payload: { username: 'bench', password, next: '/' } });
      const cookie = String(login.headers['set-cookie'] ?? '').split(';')[0]!;
      const page = (url: string) => async () => {
        const response = await app.inject({ method: 'GET', url, headers: { cookie } });
        if (response.statusCode !== 200) throw new Error(`${url}: HTTP ${response.statusCode}`);
      };
      const [{ number }] = (await dataSource.query(`SELECT max(number) AS number FROM cases`)) as [{ number: number }];
      await measure(`dashboard: overview page (三率 cards, 12-month trend, departments)`, page(`/?month=${current}`));
      await measure(`dashboard: cadres page`, page(`/cadres?month=${month}`));
      await measure(`dashboard: case page`, page(`/cases/${number}`));
      await measure(`dashboard: overdue list`, page(`/overdue`));
      results.push({ name: `dashboard: hotspots page (one run)`, ms: round(await time(page(`/hotspots?month=${month}`))) });
    } finally {
      await app.close();
    }
  } finally {
    await dataSource.destroy();
  }
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('set DATABASE_URL to a database filled by npm run seed:cases');
    process.exit(1);
  }
  for (const { name, ms } of await benchStats(url)) console.log(`${String(ms).padStart(9)} ms  ${name}`);
}
