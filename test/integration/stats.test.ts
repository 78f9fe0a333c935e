/**
 * The statistics against hand-computed figures, on a small October 2026 of 青山乡
 * (test/fixtures/qingshan: working hours 09:00–12:00 and 13:00–17:00, 420 minutes a day;
 * 1–7 October 国庆 holidays, Saturday 10 October a 调休 workday). Rows go in with SQL, as
 * the cadre loop would have left them, so every expected number below can be checked by hand:
 * the cases are in test/support/october.ts.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { Database } from '../../src/db/database.js';
import { openDataSource } from '../../src/db/data-source.js';
import { chineseCalendar } from '../../src/domain/calendar.js';
import { workingMinutesBetween } from '../../src/domain/sla.js';
import { StatsService, statsReply } from '../../src/services/stats.service.js';
import { casesCsv, groupRows, monthlyWorkbook } from '../../src/services/report.service.js';
import { caseColumns } from '../../src/services/stats-format.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertOctober, octoberCases } from '../support/october.js';
import { local } from '../unit/fixtures.js';
import ExcelJS from 'exceljs';

const qingshan = path.resolve(import.meta.dirname, '../fixtures/qingshan');
/** With 3 as the ranking threshold: 林 (4 cases) and 郑 (3) are ranked; 吴 (2) and 陈 (1) are not. */
const config: Config = (() => {
  const loaded = loadConfig(qingshan);
  return {
    ...loaded,
    township: { ...loaded.township, dashboard: { accounts: [], sessionIdleMinutes: 60, secureCookies: false, trustProxy: false, minCasesForRanking: 3 } },
  };
})();
const workingTime = { timezone: 'Asia/Shanghai', workingHours: config.township.workingHours, calendar: chineseCalendar };

let database: TestDatabase;
let dataSource: DataSource;
let db: Database;
let stats: StatsService;

/** The fixture's case numbers by name (A1 …). */
let numbers: Map<string, number>;
const byKey = <T extends { key: string }>(rows: T[], key: string) => rows.find((r) => r.key === key)!;

beforeAll(async () => {
  database = await createTestDatabase();
  dataSource = await openDataSource({ url: database.url, poolSize: 4 });
  db = new Database(dataSource);
  await db.cadres.sync(config.cadres, new Date());
  numbers = await insertOctober(dataSource);
  stats = new StatsService(db, config);
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

describe('the fixture', () => {
  it('stores working minutes that agree with the holiday calendar (国庆 off, 调休 Saturday on)', () => {
    for (const c of octoberCases) {
      if (c.response) {
        expect(workingMinutesBetween(local(c.dispatched), local(c.firstResponse!), workingTime), `${c.name} response`).toBe(c.response[1]);
        expect((local(c.firstResponse!).getTime() - local(c.dispatched).getTime()) / 60_000, `${c.name} response wall`).toBe(c.response[0]);
      }
      if (c.resolution) {
        expect(workingMinutesBetween(local(c.dispatched), local(c.resolved!), workingTime), `${c.name} resolution`).toBe(c.resolution[1]);
        expect((local(c.resolved!).getTime() - local(c.dispatched).getTime()) / 60_000, `${c.name} resolution wall`).toBe(c.resolution[0]);
      }
    }
  });
});

describe('October for the whole township', () => {
  it('counts the month in township time: 1 Oct 00:30 is October, 1 Nov 00:30 is not', async () => {
    const october = await stats.cases('2026-10');
    expect(october.cases.map((c) => c.number).sort()).toEqual(
      ['A1', 'A2', 'A3', 'A4', 'B1', 'B2', 'C1', 'C2', 'C3', 'C4'].map((n) => numbers.get(n)).sort(),
    );
    expect((await stats.total('2026-11')).dispatched).toBe(1);
    expect((await stats.total('2026-09')).dispatched).toBe(0);
  });

  it('judges no case before its limit: X, within its limits on 5 Nov, is neither on time nor late yet', async () => {
    const november = await stats.total('2026-11');
    expect(november).toMatchObject({ dispatched: 1, responsesDue: 0, responseRate: null, resolutionsDue: 0, onTimeClosureRate: null });
    const [x] = (await stats.cases('2026-11')).cases;
    expect(x).toMatchObject({ respondedInTime: null, resolvedOnTime: null });
    // A4 missed its response limit, A3 its resolve limit: late, though not answered or resolved.
    const october = (await stats.cases('2026-10')).cases;
    expect(october.find((c) => c.number === numbers.get('A4'))).toMatchObject({ respondedInTime: false, resolvedOnTime: null });
    expect(october.find((c) => c.number === numbers.get('A3'))).toMatchObject({ respondedInTime: true, resolvedOnTime: false });
  });

  it('has the hand-computed figures', async () => {
    const t = await stats.total('2026-10');
    expect(t).toMatchObject({
      dispatched: 10,
      open: 2,
      responded: 9,
      respondedInTime: 8,
      // Nine answered and A4's limit passed unanswered.
      responsesDue: 10,
      responseRate: 0.8,
      // Percentiles exactly (percentile_cont gives 2964.000000000002, 156.00000000000003, 6278.999999999999).
    // Wall: 10 20 30 30 60 120 360 1050 10620 → median 60; P90 at 7.2 → 1050 + 0.2 × 9570.
      responseMedianMinutes: 60,
      responseP90Minutes: 2964,
      // Working: 10 20 30 30 30 60 90 120 300 → median 30; P90 → 120 + 0.2 × 180.
      responseMedianWorkingMinutes: 30,
      responseP90WorkingMinutes: 156,
      resolved: 8,
      resolvedOnTime: 7,
      // Eight resolved and A3, still open past its resolve limit; A4's limit has not been found passed.
      resolutionsDue: 9,
      // Wall: 180 420 420 1260 1500 3930 4380 10710 → median 1380; P90 at 6.3 → 4380 + 0.3 × 6330.
      resolutionMedianMinutes: 1380,
      resolutionP90Minutes: 6279,
      // Working: 120 180 300 360 360 480 480 510 → median 360; P90 → 480 + 0.3 × 30.
      resolutionMedianWorkingMinutes: 360,
      resolutionP90WorkingMinutes: 489,
      satisfied: 5,
      basicallySatisfied: 2,
      unsatisfied: 1,
      noAnswer: 1,
      answered: 8,
      resolutionRate: 0.875,
      satisfactionRate: 0.875,
      unsatisfiedShare: 0.125,
      sentBack: 1,
      sendBackRate: 0.1,
      reopened: 2,
      reopenRate: 0.2,
      overdue: 4,
      repeat: 3,
    });
    expect(t.callbackResponseRate).toBeCloseTo(8 / 9, 12);
    expect(t.onTimeClosureRate).toBeCloseTo(7 / 9, 12);
  });

  it('gives a case to the cadre whose 办结 stands, else to its holder; ranks only cadres with enough cases', async () => {
    const { rows } = await stats.byGroup('2026-10', 'cadre');
    const lin = byKey(rows, 'q-farm-a');
    expect(lin.figures).toMatchObject({ dispatched: 4, open: 2, respondedInTime: 2, responseRate: 0.5, resolved: 2, resolutionsDue: 3, answered: 3, repeat: 2, overdue: 3 });
    // A3, open past its limit, counts against 按时办结率: sitting on a case does not help.
    expect(lin.figures.onTimeClosureRate).toBeCloseTo(2 / 3, 12);
    expect(lin.figures.satisfactionRate).toBeCloseTo(2 / 3, 12);
    expect(byKey(rows, 'q-farm-b').figures).toMatchObject({ dispatched: 2, sentBack: 1, noAnswer: 1, onTimeClosureRate: 0.5 });
    expect(byKey(rows, 'q-clinic').figures).toMatchObject({ dispatched: 3, responseRate: 1, satisfactionRate: 1, reopened: 1, repeat: 1 });
    // C2 was resolved by the office dispatcher: it counts for 陈, not for the holder 郑.
    expect(byKey(rows, 'q-office').figures).toMatchObject({ dispatched: 1, resolutionMedianMinutes: 10710 });
    expect(rows.map((r) => [r.name, r.rank])).toEqual([
      ['郑医生', 1],
      ['林技术员', 2],
      ['吴技术员', null],
      ['陈秘书', null],
      ['黄站长', null], // no cases: listed, not ranked
    ]);
  });

  it('groups by department and village', async () => {
    const departments = await stats.byGroup('2026-10', 'department');
    expect(departments.rows.map((r) => [r.name, r.figures.dispatched])).toEqual([['乡政府办', 0], ['农业站', 6], ['卫生院', 4]]);
    const villages = await stats.byGroup('2026-10', 'village');
    expect(villages.rows.map((r) => [r.name, r.figures.dispatched, r.figures.repeat])).toEqual([['青山村', 5, 2], ['白石村', 5, 1]]);
  });

  it('counts bookings by visit time', async () => {
    const byService = await stats.bookings('2026-10', 'service');
    expect(byService.map((b) => [b.name, b.total, b.booked, b.completed, b.noShow, b.cancelled])).toEqual([
      ['体检（卫生院）', 2, 1, 0, 0, 1],
      ['果园指导（农业站）', 3, 0, 2, 1, 0],
    ]);
    expect((await stats.bookings('2026-10', 'cadre')).map((b) => [b.name, b.total])).toEqual([['郑医生', 2], ['林技术员', 3]]);
  });

  it('keeps the hourly rollup equal to the cases, before and after compaction and later changes', async () => {
    const check = async () => {
      const [fromRollup] = (await stats.trend('2026-10', 1)).map((t) => t.figures);
      const live = await stats.total('2026-10');
      for (const key of ['dispatched', 'open', 'respondedInTime', 'resolved', 'resolvedOnTime', 'satisfied', 'basicallySatisfied', 'unsatisfied', 'noAnswer', 'answered', 'sentBack', 'reopened', 'overdue'] as const) {
        expect(fromRollup![key], key).toBe(live[key]);
      }
      for (const key of ['responseRate', 'resolutionRate', 'satisfactionRate', 'callbackResponseRate', 'onTimeClosureRate'] as const) {
        expect(fromRollup![key], key).toBe(live[key]);
      }
    };
    await check();
    await stats.repo.compactRollup();
    await check();
    // A4 gets its first response and is resolved and rated; A3 changes department.
    await dataSource.query(
      `UPDATE cases SET first_response_at = $2, response_minutes = 30, response_working_minutes = 30, status = 'closed',
         resolved_at = $3, closed_at = $3, rating = 'satisfied' WHERE number = $1`,
      [numbers.get('A4'), local('2026-10-28 10:30'), local('2026-10-29 10:00')],
    );
    await dataSource.query(`UPDATE cases SET department_id = 'clinic' WHERE number = $1`, [numbers.get('A3')]);
    await check();
    const [october] = await stats.trend('2026-10', 1);
    expect(october!.figures).toMatchObject({ dispatched: 10, open: 1, satisfied: 6 });
    await stats.repo.compactRollup();
    await check();
    const rows = await dataSource.query(`SELECT hour, department_id, count(*) AS n FROM case_stats_hourly GROUP BY 1, 2 HAVING count(*) > 1`);
    expect(rows).toEqual([]);
    // Undo, for the tests after this one.
    await dataSource.query(
      `UPDATE cases SET first_response_at = NULL, response_minutes = NULL, response_working_minutes = NULL, status = 'assigned',
         resolved_at = NULL, closed_at = NULL, rating = NULL WHERE number = $1`,
      [numbers.get('A4')],
    );
    await dataSource.query(`UPDATE cases SET department_id = 'farm' WHERE number = $1`, [numbers.get('A3')]);
    await check();
  });

  it('shows a case with its whole history', async () => {
    const detail = await stats.caseDetail(numbers.get('B2')!);
    expect(detail!.kase).toMatchObject({ cadreId: 'q-farm-b', sentBack: true, residentName: '居民R4', repeat: false });
    expect(detail!.events.map((e) => e.type)).toEqual(['created', 'assigned', 'sent-back', 'assigned', 'replied', 'resolved', 'rated']);
    expect((await stats.caseDetail(numbers.get('A2')!))!.kase).toMatchObject({ repeat: true, overdue: true, respondedInTime: false });
    expect(await stats.caseDetail(999_999)).toBeNull();
    // Beyond a Postgres integer: no case, not an error.
    expect(await stats.caseDetail(99_999_999_999)).toBeNull();
  });

  it('counts all the cases of the list whatever the page, also past the last one', async () => {
    expect(await stats.cases('2026-10', { limit: 4, offset: 8 })).toMatchObject({ total: 10, cases: [expect.anything(), expect.anything()] });
    expect(await stats.cases('2026-10', { limit: 4, offset: 50 })).toEqual({ total: 10, cases: [] });
    expect(await stats.cases('2026-10', { cadreId: 'q-farm-a', limit: 4, offset: 50 })).toEqual({ total: 4, cases: [] });
  });

  it('lists the open cases past a limit now', async () => {
    const overdue = await stats.overdueNow(local('2026-10-28 16:00'));
    expect(overdue.map((o) => [o.number, o.limit, o.pastNow])).toEqual([[numbers.get('A4'), 'accept', true]]);
  });

  it('finds the hotspots of each village from the department keywords', async () => {
    const hotspots = await stats.hotspots('2026-10');
    const qing = hotspots.find((h) => h.villageId === 'qingshan')!;
    expect(qing.cases).toBe(5);
    expect(qing.topics.map((t) => [t.word, t.count])).toEqual([['柑橘', 4], ['施肥', 3], ['报销', 1], ['黄龙病', 1], ['看病', 1]]);
  });

  it('writes the review workbook with the same numbers and one row per case', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await monthlyWorkbook(stats, '2026-10', undefined, local('2026-11-02 08:45'))) as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['说明', '按干部', '按部门', '按村（社区）', '预约', '热点', '案件明细']);
    const cadres = book.getWorksheet('按干部')!;
    const header = cadres.getRow(2).values as unknown[];
    expect(header.slice(1, 4)).toEqual(['排名', '干部', '派单数']);
    const first = cadres.getRow(3).values as unknown[];
    expect(first.slice(1, 4)).toEqual([1, '郑医生', 3]);
    expect(book.getWorksheet('案件明细')!.rowCount).toBe(1 + 10);
    const { total } = groupRows(await stats.byGroup('2026-10', 'department'));
    expect(total.slice(0, 2)).toEqual(['合计', 10]);
    expect(book.getWorksheet('说明')!.getCell('A1').value).toBe('2026年10月 全乡镇 讲评数据 · 统计口径（数据截至 2026-11-02 08:45）');
    // No floating-point noise in the percentile cells: P90 of the 合计 row as computed by hand.
    const departments = book.getWorksheet('按部门')!;
    const headers = (departments.getRow(2).values as unknown[]);
    const sum = departments.getRows(3, departments.rowCount - 2)!.find((row) => row.getCell(1).value === '合计')!;
    expect(sum.getCell(headers.indexOf('响应时长P90（分钟）')).value).toBe(2964);
    expect(sum.getCell(headers.indexOf('办结时长P90（分钟）')).value).toBe(6279);
  });

  it('keeps 合计 out of the filter, so sorting leaves it below the data', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await monthlyWorkbook(stats, '2026-10')) as unknown as ArrayBuffer);
    for (const [name, grouping] of [['按干部', 'cadre'], ['按部门', 'department'], ['按村（社区）', 'village']] as const) {
      const sheet = book.getWorksheet(name)!;
      const { headers, rows } = groupRows(await stats.byGroup('2026-10', grouping));
      const last = 2 + rows.length;
      expect(sheet.autoFilter, name).toBe(`A2:${sheet.getColumn(headers.length).letter}${last}`);
      expect(sheet.getRow(last + 1).cellCount, name).toBe(0);
      expect((sheet.getRow(last + 2).values as unknown[]).includes('合计'), name).toBe(true);
    }
  });

  it('names each example case of a village\'s hotspots once, though one case holds several of the words', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await monthlyWorkbook(stats, '2026-10')) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('热点')!;
    const examples = (sheet.getRow(1).values as unknown[]).indexOf('示例编号');
    const lists = sheet.getRows(2, sheet.rowCount - 1)!.map((row) => String(row.getCell(examples).value).split(' '));
    expect(lists.length).toBeGreaterThan(0);
    for (const list of lists) expect(list).toEqual([...new Set(list)]);
  });

  it('leads each table sheet with the dashboard table\'s columns, in its order, and folds the other figures away', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await monthlyWorkbook(stats, '2026-10')) as unknown as ArrayBuffer);
    // Each figure the page shows a change under has its change beside it.
    const review = [
      '派单数', '派单数较上月', '在办', '响应率', '响应率较上月', '解决率', '解决率较上月', '满意率', '满意率较上月', '不满意', '回访应答率',
      '按时办结率', '按时办结率较上月', '响应工作时长中位数（分钟）', '办结工作时长中位数（分钟）', '退单率', '重开率', '超时', '重复诉求',
    ];
    for (const [name, lead] of [['按干部', ['排名', '干部']], ['按部门', ['部门']], ['按村（社区）', ['村（社区）']]] as const) {
      const sheet = book.getWorksheet(name)!;
      const headers = (sheet.getRow(2).values as unknown[]).slice(1);
      const shown = headers.filter((_, i) => !sheet.getColumn(i + 1).hidden);
      // On paper, the table the meeting reads: what the page shows, one page wide at a legible size.
      expect(shown, name).toEqual([...lead, ...review]);
      // The other 18 figures are there, one "+" away.
      expect(headers.length - shown.length, name).toBe(18);
      for (let i = shown.length + 1; i <= headers.length; i++) expect(sheet.getColumn(i).outlineLevel, `${name} ${String(headers[i - 1])}`).toBe(1);
      expect(sheet.properties.outlineLevelCol, name).toBe(1);
      expect(String(sheet.getCell(1, shown.length).value), name).toBe('另有 18 项指标已折叠，点上方“+”展开');
    }
  });

  it('prints each table one page wide, landscape, with its header rows on every page', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await monthlyWorkbook(stats, '2026-10')) as unknown as ArrayBuffer);
    const titles = { 按干部: '1:2', 按部门: '1:2', '按村（社区）': '1:2', 热点: '1:1', 案件明细: '1:1' } as const;
    for (const [name, rows] of Object.entries(titles)) {
      const setup = book.getWorksheet(name)!.pageSetup;
      expect(setup, name).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: rows });
      expect(book.getWorksheet(name)!.headerFooter.oddFooter, name).toBe('第 &P 页，共 &N 页');
    }
    expect(book.getWorksheet('说明')!.pageSetup).toMatchObject({ orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
  });

  it('puts the month before\'s 合计 under this month\'s, to compare', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await monthlyWorkbook(stats, '2026-11')) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('按部门')!;
    const values = (row: number) => (sheet.getRow(row).values as unknown[]).slice(1);
    const { rows } = groupRows(await stats.byGroup('2026-11', 'department'));
    // 合计 of November (X alone), then October's 10 cases with its 响应率 of 80 %.
    expect(values(2 + rows.length + 2).slice(0, 2)).toEqual(['合计', 1]);
    const october = values(2 + rows.length + 3);
    expect(october.slice(0, 2)).toEqual(['上月（2026年10月）合计', 10]);
    const header = values(2);
    expect(october[header.indexOf('响应率')]).toBeCloseTo(0.8);
  });

  it('writes the times of 案件明细 as dates in township time, and as text in CSV', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await monthlyWorkbook(stats, '2026-10')) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('案件明细')!;
    const row = (name: string) => sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(1).value === numbers.get(name))!;
    // C2 came in at 1 October 00:30 in Shanghai (30 September 16:30 UTC): Excel shows 2026-10-01 00:30.
    const dispatched = row('C2').getCell(2);
    expect(dispatched.value).toEqual(new Date('2026-10-01T00:30:00Z'));
    expect(dispatched.numFmt).toBe('yyyy-mm-dd hh:mm');
    expect(row('C2').getCell(9).value).toEqual(new Date('2026-10-08T09:30:00Z')); // 首次回复时间
    expect(row('C2').getCell(13).value).toEqual(new Date('2026-10-08T11:00:00Z')); // 办结时间
    expect(row('A3').getCell(13).value).toBeNull(); // not resolved
    const csv = await casesCsv(stats, '2026-10');
    expect(csv.split('\n').find((line) => line.startsWith(`${numbers.get('C2')},`))).toMatch(/^\d+,2026-10-01 00:30,/);
  });

  it('names the department in the titles of its workbook', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await monthlyWorkbook(stats, '2026-10', { departmentIds: ['farm'] }, local('2026-11-02 08:45'))) as unknown as ArrayBuffer);
    expect(book.getWorksheet('说明')!.getCell('A1').value).toBe('2026年10月 农业站 讲评数据 · 统计口径（数据截至 2026-11-02 08:45）');
    expect(book.getWorksheet('按干部')!.getCell('A1').value).toBe('2026年10月 农业站 按干部统计（数据截至 2026-11-02 08:45；较上月：派单为件，各率为百分点；口径见“说明”）');
    // Every printed page says which month, whose and as of when: 预约, 热点 and 案件明细 have no title row.
    for (const sheet of book.worksheets) {
      expect(sheet.headerFooter.oddHeader, sheet.name).toBe('&L2026年10月 农业站&R数据截至 2026-11-02 08:45');
    }
    expect(book.getWorksheet('案件明细')!.rowCount).toBe(1 + 6);
  });

  it('writes the cases as CSV, only those of a filter, and a resident\'s formula as text', async () => {
    const lines = (text: string) => text.trimEnd().split('\n');
    expect(lines(await casesCsv(stats, '2026-10'))).toHaveLength(1 + 10);
    expect(lines(await casesCsv(stats, '2026-10', { departmentIds: null }, { cadreId: 'q-farm-a', flags: ['overdue'] }))).toHaveLength(1 + 3);
    await dataSource.query(`UPDATE cases SET description = $2 WHERE number = $1`, [numbers.get('X'), '=HYPERLINK("http://x.cn","点我领补贴")']);
    try {
      expect(lines(await casesCsv(stats, '2026-11'))[1]).toMatch(/,"'=HYPERLINK\(""http:\/\/x\.cn"",""点我领补贴""\)"$/);
      // In the workbook it is a text cell as it is: Excel and WPS run no formula from a text cell.
      const book = new ExcelJS.Workbook();
      await book.xlsx.load((await monthlyWorkbook(stats, '2026-11')) as unknown as ArrayBuffer);
      const cell = book.getWorksheet('案件明细')!.getRow(2).getCell(caseColumns.indexOf('群众诉求') + 1);
      expect({ type: cell.type, value: cell.value }).toEqual({ type: ExcelJS.ValueType.String, value: '=HYPERLINK("http://x.cn","点我领补贴")' });
    } finally {
      await dataSource.query(`UPDATE cases SET description = '柑橘施肥的事' WHERE number = $1`, [numbers.get('X')]);
    }
  });

  // A cell holds at most 32 767 characters in Excel (WPS cuts there too): a resident's 100 000 —
  // her matter, or what she said with her rating — would break the row the clerk opens.
  it('cuts a resident\'s long words in the files at 500 characters, never in half an emoji', async () => {
    const [before] = await dataSource.query(`SELECT description, rating_comment FROM cases WHERE number = $1`, [numbers.get('X')]);
    await dataSource.query(`UPDATE cases SET description = $2, rating_comment = $3 WHERE number = $1`, [numbers.get('X'), `${'稻'.repeat(499)}😭尾`, '慢'.repeat(100_000)]);
    try {
      const line = (await casesCsv(stats, '2026-11')).trimEnd().split('\n')[1]!;
      expect(line).toContain(`,${'慢'.repeat(500)}…,`);
      expect(line).toMatch(/稻😭…$/);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load((await monthlyWorkbook(stats, '2026-11')) as unknown as ArrayBuffer);
      const cells = (book.getWorksheet('案件明细')!.getRow(2).values as unknown[]).filter((v): v is string => typeof v === 'string');
      expect(cells).toContain(`${'慢'.repeat(500)}…`);
      expect(cells).toContain(`${'稻'.repeat(499)}😭…`);
    } finally {
      await dataSource.query(`UPDATE cases SET description = $2, rating_comment = $3 WHERE number = $1`, [numbers.get('X'), before.description, before.rating_comment]);
    }
  });
});

describe('统计 in chat', () => {
  const now = local('2026-11-05 10:00');
  const office = { id: 'q-office', role: 'office' as const, departmentIds: ['office'] };
  const head = { id: 'q-farm-head', role: 'head' as const, departmentIds: ['farm'] };

  it('gives the office the township, by department', async () => {
    const text = await statsReply(db, config, office, '2026-10', now);
    expect(text).toContain('【统计】2026年10月 · 全乡镇（截至 11月5日 10:00）');
    expect(text).toContain('派单 10 件，在办 2，已办结 8，超时 4');
    expect(text).toContain('三率：响应率 80.0%，解决率 87.5%，满意率 87.5%');
    expect(text).toContain('回访：应答 8，未回访 1（应答率 88.9%），不满意 12.5%');
    expect(text).toContain('农业站 6件 66.7% 75.0%');
    expect(text).toContain('预约 5：已约 1，完成 2，爽约 1，取消 1');
    expect(text).not.toContain('较上月'); // September had no case
    expect(await statsReply(db, config, office, '上月', now)).toBe(text);
  });

  it('gives a head their department, by cadre, with who is not ranked', async () => {
    const text = await statsReply(db, config, head, '上月', now);
    expect(text).toContain('2026年10月 · 农业站');
    expect(text).toContain('1. 林技术员 4件 50.0% 66.7%');
    expect(text).toContain('吴技术员 2件 100.0% 100.0%');
    expect(text).toContain('（1 人不足 3 件，不排名）');
    expect(await statsReply(db, config, head, '农业站 2026-10', now)).toBe(text);
    // November so far against October, for the department: X alone, within its limits.
    expect(await statsReply(db, config, head, '', now)).toContain('较上月：响应率 —，解决率 —，满意率 —；派单减少 5 件');
  });

  it('names a department for the office, refuses other departments to a head, and plain cadres', async () => {
    expect(await statsReply(db, config, office, '卫生院 2026年10月', now)).toContain('2026年10月 · 卫生院');
    expect(await statsReply(db, config, head, '卫生院 上月', now)).toBe('您只能查看本部门（农业站）的统计，不能查看卫生院。');
    expect(await statsReply(db, config, { id: 'q-farm-a', role: 'cadre', departmentIds: ['farm'] }, '', now)).toBe('统计只有部门负责人和办公室可以查看。');
    expect(await statsReply(db, config, office, '天气', now)).toContain('没看懂“天气”');
    expect(await statsReply(db, config, office, '2026-08', now)).toBe('2026年8月 · 全乡镇：没有派单。');
    // This month still empty: last month is one message away.
    expect(await statsReply(db, config, office, '乡政府办', now)).toBe('2026年11月 · 乡政府办：没有派单。看上月请发“统计 乡政府办 上月”。');
  });

  it('defaults to this month', async () => {
    expect(await statsReply(db, config, office, '', now)).toContain('2026年11月 · 全乡镇');
  });
});
