/**
 * The dashboard on the 1st of the month, as the office clerk opens it for the review: this month has
 * no case yet, and the page says so and leads to the month before, instead of a page of zeros and
 * dashes; a month with no case, or one still to come, is said too. The October of
 * test/support/october.ts (and its one November case, X); now is Tuesday 1 December, 09:00.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/web/auth.js';
import { insertOctober } from '../support/october.js';
import { fetchPage, logIn, startWebTownship, type WebTownship } from '../support/web.js';
import { local } from '../unit/fixtures.js';

const password = 'qingshan-office-2026';
let web: WebTownship;
let cookie: string;

const page = async (path: string) => (await fetchPage(web.url, cookie, path)).text();
/** The line above the page saying why it is empty; null when there is none. */
const emptyMonth = (html: string) => /<p class="alert empty-month">(.*?)<\/p>/s.exec(html)?.[1]?.replaceAll('&amp;', '&') ?? null;

beforeAll(async () => {
  web = await startWebTownship({
    dashboard: `  minCasesForRanking: 3\n  accounts:\n    - { username: office, name: 陈秘书, passwordHash: "${await hashPassword(password)}" }\n`,
    clock: () => local('2026-12-01 09:00'),
  });
  await insertOctober(web.app.db.dataSource);
  cookie = await logIn(web.url, 'office', password);
});

afterAll(async () => {
  await web?.stop();
});

describe('a month without cases on the dashboard', () => {
  it('on the 1st, says this month has none yet and leads to the month before, also for one department', async () => {
    expect(emptyMonth(await page('/'))).toBe('本月还没有派单。 <a href="?month=2026-11">看上月（2026年11月）›</a>');
    expect(emptyMonth(await page('/departments'))).toBe('本月还没有派单。 <a href="?month=2026-11">看上月（2026年11月）›</a>');
    expect(emptyMonth(await page('/cadres?department=farm'))).toBe(
      '农业站本月还没有派单。 <a href="?month=2026-11&department=farm">看上月（2026年11月）›</a>',
    );
    // The month before has its case: nothing to say there.
    expect(emptyMonth(await page('/?month=2026-11'))).toBeNull();
    expect(emptyMonth(await page('/cadres?month=2026-10&department=farm'))).toBeNull();
  });

  it('says a month had no case, and that a month to come has not come', async () => {
    expect(emptyMonth(await page('/villages?month=2026-09'))).toBe('2026年9月没有派单。');
    expect(emptyMonth(await page('/cadres?month=2026-09&department=clinic'))).toBe('卫生院2026年9月没有派单。');
    expect(emptyMonth(await page('/?month=2027-01'))).toBe('2027年1月还没有到，没有数据。');
  });
});
