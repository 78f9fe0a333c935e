/**
 * The dashboard on the 1st of the month, as the office clerk opens it for the review: this month has
 * no case yet, and the page says so and leads to the month before, instead of a page of zeros and
 * dashes; a month with no case, or one still to come, is said too. The October of
 * test/support/october.ts (and its one November case, X); now is Tuesday 1 December, 09:00.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/web/auth.js';
import { insertOctober } from '../support/october.js';
import { fetchPage, logIn, startWebTownship, type WebTownship } from '../support/web.js';
import { local } from '../unit/fixtures.js';

const password = 'qingshan-office-2026';
let web: WebTownship;
let cookie: string;
let unheld: number;

const page = async (path: string) => (await fetchPage(web.url, cookie, path)).text();
/** The line above the page saying why it is empty; null when there is none. */
const emptyMonth = (html: string) => /<p class="alert empty-month">(.*?)<\/p>/s.exec(html)?.[1]?.replaceAll('&amp;', '&') ?? null;

beforeAll(async () => {
  web = await startWebTownship({
    dashboard: `  minCasesForRanking: 3\n  accounts:\n    - { username: office, name: 陈秘书, passwordHash: "${await hashPassword(password)}" }\n`,
    clock: () => local('2026-12-01 09:00'),
  });
  const numbers = await insertOctober(web.app.db.dataSource, [
    {
      name: 'N', resident: 'R3', village: 'baishi', department: 'farm', assignee: 'q-farm-b', status: 'assigned',
      dispatched: '2026-11-10 09:00', firstResponseDue: '2026-11-10 14:00', resolveDue: '2026-11-16 09:00',
    },
  ]);
  // N has nobody on it (as a case whose cadre was removed from config leaves it): the 干部 table's （无人） row.
  unheld = numbers.get('N')!;
  await web.app.db.dataSource.query(`UPDATE cases SET assignee_id = NULL WHERE number = $1`, [unheld]);
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

describe('a month shown that is not this one', () => {
  it('says the overview’s department list and the 热点 are empty for that month, not for 本月', async () => {
    const overview = await page('/?month=2026-09');
    expect(overview).toContain('<td colspan="8" class="empty">2026年9月没有派单。</td>');
    expect(overview).not.toContain('本月还没有');
    const hotspots = await page('/hotspots?month=2026-09');
    expect(hotspots).toContain('<p class="empty">2026年9月没有案件。</p>');
    expect(hotspots).toContain('各村（社区）9月群众反映最多的事项');
    expect(hotspots).not.toContain('本月还没有');
    // This month (1 December, no case yet) is still 本月.
    expect(await page('/hotspots')).toContain('<p class="empty">本月还没有案件。</p>');
  });
});

describe('the labels of a month shown', () => {
  /** The text of the first element `pattern` finds, tags removed. */
  const text = (html: string, pattern: RegExp) => pattern.exec(html)?.[1]?.replace(/<[^>]+>/g, '') ?? null;
  const card = (html: string) => text(html, /<div class="card warn"><div class="label">(.*?)<\/div>/);
  const download = (html: string) => text(html, /<a class="button" href="\/download\/cases[^"]*" download>(.*?)<\/a>/);
  const ranking = (html: string) => text(html, /<p class="note">(排名：.*?)<\/p>/);

  it('name a past month, not 本月: the 超时 card, the case list’s download, the ranking note', async () => {
    expect(card(await page('/?month=2026-11'))).toBe('11月派单超时');
    expect(download(await page('/cases?month=2026-10'))).toBe('下载10月案件（CSV）');
    expect(ranking(await page('/cadres?month=2026-10'))).toBe('排名：10月案件满 3 件的干部依次比较满意率、响应率、按时办结率、响应用时；不足 3 件的照常列出，不排名。');
    // A month of another year says its year.
    expect(card(await page('/?month=2025-12'))).toBe('2025年12月派单超时');
    // This month is 本月; a filtered list says 这些.
    expect(card(await page('/'))).toBe('本月派单超时');
    expect(download(await page('/cases'))).toBe('下载本月案件（CSV）');
    expect(download(await page('/cases?month=2026-10&open=1'))).toBe('下载这些案件（CSV）');
  });

  it('name the month in the workbook’s 预约 sheet when it had no booking', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await (await fetchPage(web.url, cookie, '/download/monthly?month=2026-09')).arrayBuffer());
    const cells = book.getWorksheet('预约')!.getColumn(1).values;
    expect(cells).toContain('（2026年9月无预约）');
    expect(cells).not.toContain('（本月无预约）');
  });
});

describe('the 干部 table’s （无人） row', () => {
  it('opens the cases nobody holds, not every case of the month', async () => {
    const href = /<td class="name"><a href="([^"]*)">（无人）<\/a><\/td>/.exec(await page('/cadres?month=2026-11'))?.[1]?.replaceAll('&amp;', '&');
    expect(href).toBeDefined();
    const cases = await page(href!);
    expect(cases).toContain('共 1 件（干部：（无人））');
    expect(cases).toContain(`#${unheld}</a>`);
    expect(cases).not.toContain('>#1011</a>');
  });
});
