import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { groupCsv, groupTextTable, groupWorkbook, reportFileName, textTable } from '../../src/services/report.service.js';
import { chatText, duration, percent, versusLastMonth, workingDuration } from '../../src/services/stats-format.js';
import {
  addMonths,
  emptyFigures,
  findHotspots,
  monthBounds,
  parseMonth,
  rankRows,
  type CaseFigures,
  type GroupStats,
} from '../../src/services/stats.service.js';
import { authenticate, hashPassword, LoginThrottle, verifyPassword } from '../../src/web/auth.js';
import { department, local, village } from './fixtures.js';

const tz = 'Asia/Shanghai';

describe('months', () => {
  const now = local('2026-01-15 10:00');

  it('reads the ways people write a month', () => {
    expect(parseMonth('本月', now, tz)).toBe('2026-01');
    expect(parseMonth('上月', now, tz)).toBe('2025-12');
    expect(parseMonth('2026-10', now, tz)).toBe('2026-10');
    expect(parseMonth('2026-3', now, tz)).toBe('2026-03');
    expect(parseMonth('2025年11月', now, tz)).toBe('2025-11');
    expect(parseMonth('２０２６－１０', now, tz)).toBe('2026-10');
    expect(parseMonth('202610', now, tz)).toBe('2026-10');
    expect(parseMonth('1月', now, tz)).toBe('2026-01');
    expect(parseMonth('11月', now, tz)).toBe('2025-11'); // not come yet this year: last year's
    for (const bad of ['2026-13', '13月', '农技站', '', '2026']) expect(parseMonth(bad, now, tz), bad).toBeNull();
  });

  it('bounds a month in township time', () => {
    expect(monthBounds('2026-10', tz)).toEqual({ from: new Date('2026-09-30T16:00:00Z'), to: new Date('2026-10-31T16:00:00Z') });
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -13)).toBe('2024-12');
    expect(() => monthBounds('2026-1', tz)).toThrow(RangeError);
  });
});

describe('ranking', () => {
  const row = (name: string, dispatched: number, satisfactionRate: number | null, responseRate: number | null, median: number | null = 30, answered = 5) => ({
    name,
    rank: null as number | null,
    figures: { ...emptyFigures(name), dispatched, satisfactionRate, responseRate, responseMedianWorkingMinutes: median, answered },
  });

  it('ranks by 满意率, then 响应率, then response time; ties share a place; small samples are listed unranked', () => {
    const ranked = rankRows(
      [
        row('甲', 12, 0.9, 0.8),
        row('乙', 30, 0.95, 0.7),
        row('丙', 9, 1, 1), // too few cases
        row('丁', 10, 0.9, 0.9),
        row('戊', 15, 0.9, 0.8),
        row('己', 20, null, 0.99, 30, 0), // no answered callback, and no scope given: last of the ranked
        row('庚', 0, null, null),
      ],
      10,
    );
    expect(ranked.map((r) => [r.name, r.rank])).toEqual([
      ['乙', 1],
      ['丁', 2],
      ['甲', 3],
      ['戊', 3],
      ['己', 5],
      ['丙', null],
      ['庚', null],
    ]);
  });

  it('ranks a cadre with too few answered callbacks by the scope’s 满意率, not last and not first', () => {
    const scope = { ...emptyFigures('all'), satisfactionRate: 0.9 };
    const ranked = rankRows(
      [
        row('甲', 12, 0.95, 0.8),
        row('乙', 12, null, 1, 30, 0), // nobody answered: ranks as 0.9
        row('丙', 12, 1, 0.5, 30, 1), // one 满意: ranks as 0.9 too
        row('丁', 12, 0.85, 1),
      ],
      10,
      scope,
    );
    expect(ranked.map((r) => [r.name, r.rank])).toEqual([
      ['甲', 1],
      ['乙', 2],
      ['丙', 3],
      ['丁', 4],
    ]);
    // Shown as they are: the ranking does not change the figures.
    expect(ranked.find((r) => r.name === '乙')!.figures.satisfactionRate).toBeNull();
  });

  it('needs at least one case even with a threshold of 0', () => {
    expect(rankRows([row('甲', 0, null, null)], 0)[0]!.rank).toBeNull();
  });
});

describe('hotspots', () => {
  const departments = [
    department({ id: 'farm', name: '农业站', keywords: ['猪', '猪瘟', { word: '非洲猪瘟', weight: 3 }, '化肥'], sla: { acceptMinutes: 1, firstResponseMinutes: 1, resolveMinutes: 1 } }),
    department({ id: 'road', name: '城建办', keywords: ['路灯'], urgentKeywords: ['塌方'], sla: { acceptMinutes: 1, firstResponseMinutes: 1, resolveMinutes: 1 } }),
  ];
  const villages = [village({ id: 'a', name: '甲村' }), village({ id: 'b', name: '乙村' })];

  it('counts each word once per case, the longest of overlapping words, per village', () => {
    const spots = findHotspots(
      [
        { number: 1, villageId: 'a', departmentId: 'farm', description: '非洲猪瘟来了，非洲猪瘟！' },
        { number: 2, villageId: 'a', departmentId: 'farm', description: '买化肥，猪也病了' },
        { number: 3, villageId: 'a', departmentId: 'road', description: '路灯坏了，还有塌方' },
        { number: 4, villageId: 'b', departmentId: 'road', description: '路灯不亮' },
        { number: 5, villageId: 'a', departmentId: 'road', description: '路灯又坏了' },
      ],
      { departments, villages },
    );
    expect(spots.map((s) => [s.villageName, s.cases])).toEqual([['甲村', 4], ['乙村', 1]]);
    expect(spots[0]!.departments).toEqual([{ name: '农业站', count: 2 }, { name: '城建办', count: 2 }]);
    // 非洲猪瘟 twice in case 1 counts once, and not as 猪瘟 or 猪; equal counts in pinyin order.
    expect(spots[0]!.topics.map((t) => [t.word, t.count, t.examples])).toEqual([
      ['路灯', 2, [3, 5]],
      ['非洲猪瘟', 1, [1]],
      ['化肥', 1, [2]],
      ['塌方', 1, [3]],
      ['猪', 1, [2]],
    ]);
  });
});

describe('formatting', () => {
  it('shows rates and times as people read them', () => {
    expect(percent(null)).toBe('—');
    expect(percent(0.8)).toBe('80.0%');
    expect(percent(2 / 3)).toBe('66.7%');
    expect(duration(45)).toBe('45分钟');
    expect(duration(150)).toBe('2.5小时');
    expect(duration(2160)).toBe('1.5天');
    expect(workingDuration(585, 390)).toBe('1.5个工作日');
    expect(workingDuration(120, 390)).toBe('2工作小时');
  });

  it('says once in 统计 that the times are working time, and does not mix units', () => {
    const total = {
      ...emptyFigures('all'), dispatched: 4,
      responseMedianWorkingMinutes: 40, responseP90WorkingMinutes: 210, resolutionMedianWorkingMinutes: 300, resolutionP90WorkingMinutes: 850,
    };
    const lines = chatText
      .summary({
        month: '2026-10', scopeName: '全乡镇', asOf: '11月5日 10:00', total, previous: emptyFigures('all'), breakdownTitle: '按部门',
        breakdown: [], unrankedCount: 0, minCasesForRanking: 10, bookings: { total: 0, booked: 0, completed: 0, noShow: 0, cancelled: 0 }, minutesPerDay: 390,
      })
      .split('\n');
    expect(lines).toContain('响应用时（工作时间）：中位 40分钟，P90 3.5小时');
    expect(lines).toContain('办结用时（工作时间）：中位 5小时，P90 2.2个工作日');
  });

  it('compares the rates in 统计 only when both months have enough cases, as the tables do', () => {
    const summary = (total: CaseFigures, previous: CaseFigures) =>
      chatText.summary({
        month: '2026-10', scopeName: '全乡镇', asOf: '11月5日 10:00', total, previous, breakdownTitle: '按部门',
        breakdown: [], unrankedCount: 0, minCasesForRanking: 10, bookings: { total: 0, booked: 0, completed: 0, noShow: 0, cancelled: 0 }, minutesPerDay: 390,
      });
    const rates = { responseRate: 0.5, resolutionRate: 1, satisfactionRate: 1 };
    const before = { ...emptyFigures('all'), dispatched: 20, responseRate: 0.8, resolutionRate: 0.9, satisfactionRate: 1 };
    // Two cases this month: a rate of two swings by 50 points on one case.
    expect(summary({ ...emptyFigures('all'), dispatched: 2, ...rates }, before)).toContain('较上月：响应率 —，解决率 —，满意率 —；派单减少 18 件');
    expect(summary({ ...emptyFigures('all'), dispatched: 12, ...rates }, before)).toContain(
      '较上月：响应率 ↓30.0 个百分点，解决率 ↑10.0 个百分点，满意率 持平；派单减少 8 件',
    );
  });

  it('sets a rate beside the month before in points, as both are shown', () => {
    expect(versusLastMonth(2 / 3, 0.5)).toBe('上月 50.0%，↑16.7 个百分点');
    expect(versusLastMonth(0.4, 0.5)).toBe('上月 50.0%，↓10.0 个百分点');
    expect(versusLastMonth(0.5, 0.5)).toBe('上月 50.0%，持平');
    // Both read 50.0%: no change of 0.1 that the page does not show.
    expect(versusLastMonth(0.50049, 0.49951)).toBe('上月 50.0%，持平');
    expect(versusLastMonth(null, 0.5)).toBe('上月 50.0%');
    expect(versusLastMonth(0.5, null)).toBe('上月 —');
  });

  it('aligns Chinese columns by display width', () => {
    expect(textTable(['名称', '数'], [['农技站', '1'], ['ab', '10']])).toBe(['名称    数', '------  --', '农技站  1', 'ab      10'].join('\n'));
  });

  it('writes CSV with a byte-order mark so Excel reads the Chinese; a rank column only for cadres', () => {
    const stats: GroupStats = { month: '2026-10', scopeName: '全乡镇', grouping: 'village', rows: [], total: emptyFigures('all'), previous: null, minCasesForRanking: 10 };
    const csv = groupCsv(stats);
    expect(csv.startsWith('\uFEFF村（社区）,派单数,')).toBe(true);
    expect(csv.trim().split('\n')).toHaveLength(2);
    expect(groupCsv({ ...stats, grouping: 'cadre' }).startsWith('\uFEFF排名,干部,派单数,')).toBe(true);
  });

  it('writes a sheet without a rank column where nothing is ranked, its name column as wide as the longest name', async () => {
    const names = ['青山乡东山村第二居民小组', '白石村'];
    const rows = names.map((name, i) => ({ key: name, name, figures: { ...emptyFigures(name), dispatched: 3 - i }, rank: null, previous: null }));
    const stats: GroupStats = { month: '2026-10', scopeName: '全乡镇', grouping: 'village', rows, total: { ...emptyFigures('all'), dispatched: 5 }, previous: null, minCasesForRanking: 10 };
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await groupWorkbook(stats)) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('按村（社区）')!;
    expect((sheet.getRow(2).values as unknown[]).slice(1, 3)).toEqual(['村（社区）', '派单数']);
    expect(sheet.getColumn(1).width).toBe(12 * 2 + 2); // 12 Chinese characters, two widths each
    expect((sheet.getRow(3).values as unknown[]).slice(1, 3)).toEqual(['青山乡东山村第二居民小组', 3]);
    expect((sheet.getRow(6).values as unknown[]).slice(1, 3)).toEqual(['合计', 5]);
  });

  it('writes text that Excel would run as a formula with a leading quote, in CSV; numbers stay numbers', () => {
    const names = ['=HYPERLINK("http://x","点我")', '+86 139', '-1', '@SUM(A1)', '\tx', '\rx', '村（社区）'];
    const rows = names.map((name) => ({ key: name, name, figures: { ...emptyFigures(name), responseMedianMinutes: -5 }, rank: null, previous: null }));
    const stats: GroupStats = { month: '2026-10', scopeName: '全乡镇', grouping: 'village', rows, total: emptyFigures('all'), previous: null, minCasesForRanking: 10 };
    const lines = groupCsv(stats).split('\n');
    const cells = [`"'=HYPERLINK(""http://x"",""点我"")"`, `'+86 139`, `'-1`, `'@SUM(A1)`, `'\tx`, `"'\rx"`, '村（社区）'];
    cells.forEach((cell, i) => expect(lines[i + 1]!.startsWith(`${cell},`), cell).toBe(true));
    expect(lines[1]).toMatch(/,-5(,|$)/);
  });

  it('names one department in the file name and in the terminal table', () => {
    expect(reportFileName('2026-10', 'monthly', 'xlsx')).toBe('连心统计-2026-10-月度讲评.xlsx');
    expect(reportFileName('2026-10', 'monthly', 'xlsx', '农技站')).toBe('连心统计-2026-10-农技站-月度讲评.xlsx');
    expect(reportFileName('2026-10', 'cadre', 'csv', '农技站')).toBe('连心统计-2026-10-农技站-按干部.csv');
    const stats: GroupStats = { month: '2026-10', scopeName: '农技站', grouping: 'cadre', rows: [], total: emptyFigures('all'), previous: null, minCasesForRanking: 10 };
    expect(groupTextTable(stats).split('\n')[0]).toMatch(/^2026年10月 · 农技站 · 按干部（/);
    expect(groupTextTable(stats).split('\n')[1]).toMatch(/^排名  干部  派单数/);
    expect(groupTextTable({ ...stats, grouping: 'department' }).split('\n')[1]).toMatch(/^部门  派单数/); // departments are not ranked
  });
});

describe('dashboard passwords', () => {
  it('hashes with scrypt and verifies; a wrong password or an unknown user fails', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horsE', hash)).toBe(false);
    expect(hash).not.toBe(await hashPassword('correct horse')); // salted
    const accounts = [{ username: 'office', name: '办公室', passwordHash: hash }];
    expect(await authenticate(accounts, 'office', 'correct horse')).toEqual(accounts[0]);
    expect(await authenticate(accounts, 'office', 'wrong')).toBeNull();
    expect(await authenticate(accounts, 'nobody', 'correct horse')).toBeNull();
    await expect(hashPassword('short')).rejects.toThrow(RangeError);
  });

  it('blocks a client after five failures for ten minutes', () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < 5; i++) throttle.fail('1.2.3.4', 1000 + i);
    expect(throttle.blocked('1.2.3.4', 2000)).toBe(true);
    expect(throttle.blocked('5.6.7.8', 2000)).toBe(false);
    expect(throttle.blocked('1.2.3.4', 1000 + 10 * 60_000 + 5)).toBe(false);
  });
});
