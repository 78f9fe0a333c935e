/**
 * One month in every form the office clerk has it: the dashboard's 干部, 部门 and 村 tables, their
 * CSV and Excel downloads and the terminal table of `npm run report` give each cadre, department and
 * village (and 合计) the same figures, read as the page shows them — a rate 66.7%, its change ↓8.3,
 * "—" where there is nothing to show. The September and October of test/support/october.ts (ranked
 * from 3 cases); now is 5 November, whose one case leaves most of its figures without a value.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupTextTable } from '../../src/services/report.service.js';
import { changeKeys, percent, reviewColumns, workingDuration, type FigureKind } from '../../src/services/stats-format.js';
import { StatsService, groupings, type Grouping } from '../../src/services/stats.service.js';
import { septemberAndOctoberOffice } from '../support/october.js';
import { fetchPage, type WebTownship } from '../support/web.js';

let web: WebTownship;
let cookie: string;
let stats: StatsService;

const fetchOk = (path: string) => fetchPage(web.url, cookie, path);
const pagePaths: Record<Grouping, string> = { cadre: '/cadres', department: '/departments', village: '/villages' };

/** The figures of the review tables in their order, each of `changeKeys` followed by its change. */
const shown: { kind: FigureKind; change: boolean }[] = reviewColumns.flatMap((f) =>
  (changeKeys as readonly string[]).includes(f.key) ? [{ kind: f.kind, change: false }, { kind: f.kind, change: true }] : [{ kind: f.kind, change: false }],
);

/** A number as the page shows a figure of `column`: 66.7% (from 0.667), ↓8.3, ↑2, 持平, 1.5工作小时. */
function asShown(value: number, column: (typeof shown)[number], rateAsPercent: boolean): string {
  if (column.change) return value === 0 ? '持平' : `${value > 0 ? '↑' : '↓'}${Math.abs(value).toFixed(column.kind === 'rate' ? 1 : 0)}`;
  if (column.kind === 'rate') return rateAsPercent ? `${value.toFixed(1)}%` : percent(value);
  if (column.kind === 'minutes') return workingDuration(value, stats.workingMinutesPerDay);
  return String(value);
}

/** Each row of a table on the page by name (合计 too): its figures and changes as shown. */
function fromPage(html: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const tr of html.split('<tr').slice(1)) {
    const name = /<td class="name">(?:<a [^>]*>)?([^<]+)(?:<\/a>)?<\/td>/.exec(tr)?.[1];
    if (!name) continue;
    const cells = [...tr.split(/<td class="name">.*?<\/td>/)[1]!.matchAll(/<td>(.*?)<\/td>/g)].flatMap(([, inner]) => {
      const [figure, change] = inner!.split('<span class="change');
      const text = (s: string) => s.replace(/<[^>]+>/g, '').trim();
      return change === undefined ? [text(figure!)] : [text(figure!), text(`<span${change}`)];
    });
    rows.set(name, cells);
  }
  return rows;
}

/** Each row of the CSV by name: the review's figures, from the column after the name, as the page shows them. */
function fromCsv(text: string, grouping: Grouping): Map<string, string[]> {
  const lines = text.replace(/^\uFEFF/, '').trimEnd().split(/\r?\n/).map((line) => line.split(','));
  const first = grouping === 'cadre' ? 2 : 1;
  return new Map(
    lines.slice(1).map((cells) => [
      cells[first - 1]!,
      shown.map((column, i) => {
        const cell = cells[first + i]!;
        return cell === '' ? '—' : asShown(Number(cell), column, true);
      }),
    ]),
  );
}

/** Each row of the Excel sheet by name (合计 too, not the month before's), as the cells read. */
async function fromExcel(body: ArrayBuffer, grouping: Grouping): Promise<Map<string, string[]>> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(body);
  const sheet = book.worksheets.find((s) => s.name.startsWith('按'))!;
  const first = grouping === 'cadre' ? 3 : 2;
  const rows = new Map<string, string[]>();
  sheet.eachRow((row, n) => {
    const name = row.getCell(first - 1).value;
    if (n <= 2 || typeof name !== 'string' || name.startsWith('上月')) return;
    rows.set(
      name,
      shown.map((column, i) => {
        const value = row.getCell(first + i).value;
        return typeof value === 'number' ? asShown(value, column, false) : value === null || value === undefined ? '' : String(value);
      }),
    );
  });
  return rows;
}

/** Each row of the terminal table by name, its minutes as the page says them. */
function fromTerminal(text: string, grouping: Grouping): Map<string, string[]> {
  const lines = text.split('\n').slice(3);
  const first = grouping === 'cadre' ? 2 : 1;
  return new Map(
    lines.map((line) => {
      const cells = line.trim().split(/\s+/);
      // 合计 has no rank.
      const offset = grouping === 'cadre' && cells[0] === '合计' ? first - 1 : first;
      return [
        cells[offset - 1]!,
        shown.map((column, i) => {
          const cell = cells[offset + i]!;
          return column.kind === 'minutes' && !column.change && cell !== '—' ? workingDuration(Number(cell), stats.workingMinutesPerDay) : cell;
        }),
      ];
    }),
  );
}

beforeAll(async () => {
  ({ web, stats, cookie } = await septemberAndOctoberOffice());
});

afterAll(async () => {
  await web?.stop();
});

describe.each(['2026-10', '2026-11'])('%s in every form', (month) => {
  const table = async (grouping: Grouping) => fromPage(await (await fetchOk(`${pagePaths[grouping]}?month=${month}`)).text());
  const download = (grouping: Grouping, format: 'csv' | 'xlsx') => fetchOk(`/download/${grouping}?month=${month}&format=${format}`);

  it('the CSV has the page\'s figures, rates in percent as the page shows them; an empty cell where it shows "—"', async () => {
    for (const grouping of groupings) {
      const page = await table(grouping);
      expect(page.size, grouping).toBeGreaterThan(2);
      expect(fromCsv(await (await download(grouping, 'csv')).text(), grouping), grouping).toEqual(page);
    }
  });

  it('the Excel sheet has the page\'s figures, and "—" where the page has it, not a blank', async () => {
    for (const grouping of groupings) {
      const page = await table(grouping);
      expect(await fromExcel(await (await download(grouping, 'xlsx')).arrayBuffer(), grouping), grouping).toEqual(page);
    }
  });

  it('the terminal table of npm run report has the page\'s figures', async () => {
    for (const grouping of groupings) {
      expect(fromTerminal(groupTextTable(await stats.byGroup(month, grouping)), grouping), grouping).toEqual(await table(grouping));
    }
  });
});

describe('the CSV header', () => {
  it('says the unit of each rate and change: percent, percentage points, cases', async () => {
    const header = (await (await fetchOk('/download/village?month=2026-10&format=csv')).text()).replace(/^\uFEFF/, '').split(/\r?\n/)[0]!.split(',');
    expect(header.slice(0, 7)).toEqual(['村（社区）', '派单数', '派单数较上月（件）', '在办', '响应率（%）', '响应率较上月（百分点）', '解决率（%）']);
    expect(header).toContain('按时办结率较上月（百分点）');
    expect(header).toContain('不满意率（%）');
    expect(header).toContain('响应工作时长中位数（分钟）');
    // Counts say nothing more.
    expect(header).toContain('不满意');
  });
});

describe('the Excel sheet', () => {
  const sheetOf = async (path: string) => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await (await fetchOk(path)).arrayBuffer());
    const sheet = book.worksheets.find((s) => s.name.startsWith('按'))!;
    const headers = (sheet.getRow(2).values as unknown[]).slice(1);
    // The name column: after the rank in the cadres' sheet.
    const nameColumn = headers[0] === '排名' ? 2 : 1;
    const row = (name: string) => sheet.getRows(3, sheet.rowCount - 2)!.find((r) => r.getCell(nameColumn).value === name)!;
    return { column: (header: string) => headers.indexOf(header) + 1, row };
  };

  it('wraps every header, the changes\' too, so a narrow column shows its whole name on paper', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await (await fetchOk('/download/monthly?month=2026-10')).arrayBuffer());
    for (const name of ['按干部', '按部门', '按村（社区）']) {
      const sheet = book.getWorksheet(name)!;
      const headers = (sheet.getRow(2).values as unknown[]).slice(1);
      for (const header of ['派单数较上月', '响应率较上月', '按时办结率较上月', '响应率']) {
        const cell = sheet.getCell(2, headers.indexOf(header) + 1);
        expect(cell.alignment, `${name} ${header}`).toMatchObject({ wrapText: true, vertical: 'middle' });
      }
    }
  });

  it('puts "—" on the right, where the numbers of its column stand', async () => {
    const { column, row } = await sheetOf('/download/cadre?month=2026-11&format=xlsx');
    // November's one case has not come to its reply limit: no 响应率 yet.
    const cell = row('林技术员').getCell(column('响应率'));
    expect(cell.value).toBe('—');
    expect(cell.alignment).toEqual({ horizontal: 'right' });
  });

  it('writes "—" in the month before\'s 合计 where it has no value, and leaves its changes empty', async () => {
    const { column, row } = await sheetOf('/download/village?month=2026-10&format=xlsx');
    const september = row('上月（2026年9月）合计');
    // September's cases here have no stored times: no median.
    expect(september.getCell(column('响应工作时长中位数（分钟）')).value).toBe('—');
    expect(september.getCell(column('响应率')).value).toBeCloseTo(6 / 7);
    expect(september.getCell(column('响应率较上月')).value).toBeNull();
  });
});
