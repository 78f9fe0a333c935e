/**
 * 较上月 in the review tables, as the office clerk says it at the meeting ("青山村的响应率比上月降了
 * 40 个百分点"): the October of test/support/october.ts after its September (`septemberCases`), ranked
 * from 3 cases (so a rate is compared when both months have 3 cases or more). Every change below is
 * computed by hand from the two tables: October's per group is in test/integration/stats.test.ts and
 * the 统计 replies, September's in test/support/october.ts.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupCsv, groupTextTable } from '../../src/services/report.service.js';
import { monthChanges } from '../../src/services/stats-format.js';
import { StatsService, type GroupStats } from '../../src/services/stats.service.js';
import { septemberAndOctoberOffice } from '../support/october.js';
import { fetchPage, rowOf, type WebTownship } from '../support/web.js';

let web: WebTownship;
let cookie: string;
let stats: StatsService;

const fetchOk = (path: string) => fetchPage(web.url, cookie, path);
const page = async (path: string) => (await fetchOk(path)).text();

/** Each group's changes by name, and the 合计's: 派单数, then 响应率, 解决率, 满意率, 按时办结率. */
function changes(table: GroupStats): Record<string, (number | null)[]> {
  const order = ['dispatched', 'responseRate', 'resolutionRate', 'satisfactionRate', 'onTimeClosureRate'] as const;
  const of = (now: Parameters<typeof monthChanges>[0], before: Parameters<typeof monthChanges>[1]) => {
    const c = monthChanges(now, before, table.minCasesForRanking);
    return order.map((key) => c[key]);
  };
  return {
    ...Object.fromEntries(table.rows.map((r) => [r.name, of(r.figures, r.previous)])),
    合计: of(table.total, table.previous!.total),
  };
}

beforeAll(async () => {
  ({ web, stats, cookie } = await septemberAndOctoberOffice());
});

afterAll(async () => {
  await web?.stop();
});

describe('the change against the month before', () => {
  it('by cadre, counted as the month is: each answer for the cadre whose 办结 it answered', async () => {
    expect(changes(await stats.byGroup('2026-10', 'cadre'))).toEqual({
      // 林: 4 cases against 3 (S1–S3). 响应率 50.0% against 100.0%, 按时办结率 66.7% against 100.0%. His
      // 满意率 66.7% against 75.0%: S4's 不满意 answered his 办结, though S4 counts for 吴 (as 100.0%, ↓33.3).
      林技术员: [1, -50, -8.3, -8.3, -33.3],
      // 郑: 3 cases against 1 (S5): too few the month before to compare a rate.
      郑医生: [2, null, null, null, null],
      // 吴: 2 against 3 (S4, S6, S7): too few this month.
      吴技术员: [-1, null, null, null, null],
      // 陈 resolved C2 in October; nothing the month before.
      陈秘书: [null, null, null, null, null],
      黄站长: [null, null, null, null, null],
      // 10 against 7. 响应率 80.0% against 85.7% (6/7), 解决率 and 满意率 87.5% against 100.0% (S6 未回访
      // is not answered), 按时办结率 77.8% (7/9) against 85.7%.
      合计: [3, -5.7, -12.5, -12.5, -7.9],
    });
  });

  it('by department and village', async () => {
    expect(changes(await stats.byGroup('2026-10', 'department'))).toEqual({
      乡政府办: [null, null, null, null, null],
      // 6 against 6. 响应率 66.7% against 83.3% (S6 late): the points between the figures as shown, 16.6.
      // 满意率 75.0% against 100.0% (5 answered, S6 未回访); 按时办结率 60.0% against 83.3%.
      农业站: [0, -16.6, -25, -25, -23.3],
      // 4 against 1: too few the month before.
      卫生院: [3, null, null, null, null],
      合计: [3, -5.7, -12.5, -12.5, -7.9],
    });
    expect(changes(await stats.byGroup('2026-10', 'village'))).toEqual({
      // 5 against 3 (S1–S3, all in time and answered). October: 60.0%, 75.0%, 75.0%, 75.0%.
      青山村: [2, -40, -25, -25, -25],
      // 5 against 4 (S4–S7): 响应率 100.0% against 75.0%, 满意率 unchanged, 按时办结率 80.0% against 75.0%.
      白石村: [1, 25, 0, 0, 5],
      合计: [3, -5.7, -12.5, -12.5, -7.9],
    });
  });

  it('compares one department\'s cadres on its cases the month before', async () => {
    // 农业站's cadres: 林 had 3 of its cases in September as in the township's table, 吴 3.
    const farm = changes(await stats.byGroup('2026-10', 'cadre', { departmentIds: ['farm'] }));
    expect(farm.林技术员).toEqual([1, -50, -8.3, -8.3, -33.3]);
    expect(farm.合计).toEqual([0, -16.6, -25, -25, -23.3]);
  });
});

describe('the review tables', () => {
  it('show each change under its figure, outside the figure\'s link, and say what it compares', async () => {
    const villages = await page('/villages?month=2026-10');
    const qingshan = rowOf(villages, '青山村');
    // 响应率 opens the cases answered late; the change under it opens nothing.
    expect(qingshan).toMatch(/<a href="[^"]*lateResponse=1" title="看未按时响应的 2 件">60\.0%<\/a><span class="change fall" title="上月 100\.0%，↓40\.0 个百分点">↓40\.0<\/span><\/td>/);
    expect(qingshan).toContain('<td>5<span class="change" title="上月 3 件">↑2</span></td>');
    expect(rowOf(villages, '白石村')).toContain('<span class="change rise" title="上月 75.0%，↑25.0 个百分点">↑25.0</span>');
    expect(rowOf(villages, '白石村')).toContain('<span class="change" title="上月 100.0%，持平">持平</span>');
    const total = villages.split('<tfoot>')[1]!;
    expect(total).toContain('<span class="change fall" title="上月 85.7%，↓5.7 个百分点">↓5.7</span>');
    expect(villages).toContain('派单数和各率下的小字是较上月（2026年9月）的增减：派单为件数，各率为百分点；两个月都满 3 件才比较各率，否则为“—”。');

    const cadres = await page('/cadres?month=2026-10');
    expect(rowOf(cadres, '郑医生')).toContain('<span class="change" title="上月 1 件、本月 3 件，两个月都满 3 件才比较">—</span>');
    expect(rowOf(cadres, '陈秘书')).toContain('<td>1<span class="change" title="上月无派单">—</span></td>');
    // Only the five figures carry a change.
    expect(rowOf(cadres, '林技术员').match(/class="change/g)).toHaveLength(5);
  });

  it('put each change in a column after its figure in the workbook, as numbers shown as the page shows them', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await (await fetchOk('/download/monthly?month=2026-10')).arrayBuffer());
    const sheet = book.getWorksheet('按村（社区）')!;
    const headers = (sheet.getRow(2).values as unknown[]).slice(1);
    const column = (name: string) => headers.indexOf(name) + 1;
    expect(column('响应率较上月')).toBe(column('响应率') + 1);
    expect(column('派单数较上月')).toBe(column('派单数') + 1);
    const row = (name: string) => sheet.getRows(3, sheet.rowCount - 2)!.find((r) => r.getCell(1).value === name)!;
    expect(row('青山村').getCell(column('响应率较上月')).value).toBe(-40);
    expect(row('青山村').getCell(column('派单数较上月')).value).toBe(2);
    expect(row('合计').getCell(column('按时办结率较上月')).value).toBe(-7.9);
    expect(sheet.getColumn(column('响应率较上月')).numFmt).toBe('"↑"0.0;"↓"0.0;"持平"');
    expect(sheet.getColumn(column('派单数较上月')).numFmt).toBe('"↑"0;"↓"0;"持平"');
    // The month before's 合计 has its figures, no change of its own.
    const before = row('上月（2026年9月）合计');
    expect([before.getCell(column('派单数')).value, before.getCell(column('派单数较上月')).value]).toEqual([7, null]);

    const cadres = book.getWorksheet('按干部')!;
    const cadreHeaders = (cadres.getRow(2).values as unknown[]).slice(1);
    const zheng = cadres.getRows(3, cadres.rowCount - 2)!.find((r) => r.getCell(2).value === '郑医生')!;
    expect(zheng.getCell(cadreHeaders.indexOf('响应率较上月') + 1).value).toBe('—');
    expect(zheng.getCell(cadreHeaders.indexOf('派单数较上月') + 1).value).toBe(2);
  });

  it('write the changes to CSV as points and cases, and to the terminal table as the page shows them', async () => {
    const villages = await stats.byGroup('2026-10', 'village');
    const csv = groupCsv(villages).trimEnd().split('\n');
    expect(csv[0]).toMatch(/^\uFEFF村（社区）,派单数,派单数较上月（件）,在办,响应率（%）,响应率较上月（百分点）,/);
    // 60.0% against 100.0%: 60 and -40, on one scale.
    expect(csv.find((line) => line.startsWith('青山村,'))).toMatch(/^青山村,5,2,2,60,-40,/);
    // Nothing to compare: an empty cell, as a rate without cases.
    const cadres = groupCsv(await stats.byGroup('2026-10', 'cadre')).split('\n');
    expect(cadres.find((line) => line.includes(',郑医生,'))).toMatch(/,郑医生,3,2,0,100,,/);

    const table = groupTextTable(villages).split('\n');
    expect(table[1]).toMatch(/^村（社区）\s+派单数\s+较上月\s+在办\s+响应率\s+较上月\s/);
    expect(table.find((line) => line.startsWith('青山村'))).toMatch(/^青山村\s+5\s+↑2\s+2\s+60\.0%\s+↓40\.0\s/);
  });
});
