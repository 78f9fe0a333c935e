/**
 * The statistics as files: a month by cadre, department or village as CSV, an Excel sheet or a
 * terminal table, and the month's review workbook (一月一讲评) — one sheet per grouping, every
 * case of the month, bookings, hotspots, and the definitions. Used by `npm run report` and the
 * dashboard's download buttons, so both give the same numbers.
 */
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import type { CaseFacts, CaseListFilter } from '../db/repositories/stats.repository.js';
import {
  bookingGroupingNames,
  bookingLabels,
  caseColumns,
  dateTime,
  figures,
  figureText,
  groupingNames,
  monthName,
  otherDefinitions,
  ratingNames,
  statusNames,
} from './stats-format.js';
import { type GroupStats, type Grouping, type Scope, type StatsService, wholeTownship, groupings } from './stats.service.js';

export type ReportFormat = 'table' | 'csv' | 'xlsx';
type Cell = string | number | null;

/** Headers and rows of a month by one grouping: rank, name, then every figure. */
export function groupRows(stats: GroupStats): { headers: string[]; rows: Cell[][] } {
  const headers = ['排名', groupingNames[stats.grouping], ...figures.map((f) => f.label)];
  const rows = stats.rows.map((row) => [
    row.rank ?? (stats.grouping === 'cadre' ? `不足${stats.minCasesForRanking}件` : ''),
    row.name,
    ...figures.map((f) => row.figures[f.key]),
  ]);
  rows.push(['', '合计', ...figures.map((f) => stats.total[f.key])]);
  return { headers, rows };
}

/** CSV with a byte-order mark, so Excel opens the Chinese correctly; rates as fractions (0.923). */
export function groupCsv(stats: GroupStats): string {
  const { headers, rows } = groupRows(stats);
  return csv([headers, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? round(c) : c)))]);
}

/**
 * Text starting with = + - @ tab or CR gets a leading ' (csv-stringify's `escape_formulas`):
 * Excel would run a resident's "=HYPERLINK(…)" as a formula. Negative numbers stay numbers.
 */
function csv(rows: Cell[][]): string {
  return '\uFEFF' + stringify(rows, { escape_formulas: true });
}

/** A compact table for the terminal: the figures the review talks about. */
export function groupTextTable(stats: GroupStats): string {
  const shown = [
    'dispatched', 'open', 'responseRate', 'resolutionRate', 'satisfactionRate', 'unsatisfiedShare', 'callbackResponseRate',
    'onTimeClosureRate', 'responseMedianWorkingMinutes', 'resolutionMedianWorkingMinutes', 'sendBackRate', 'reopenRate',
    'overdue', 'repeat',
  ];
  const columns = figures.filter((f) => shown.includes(f.key));
  const headers = ['排名', groupingNames[stats.grouping], ...columns.map((f) => f.label.replace('（分钟）', ''))];
  const line = (rank: string, name: string, values: GroupStats['total']) => [rank, name, ...columns.map((f) => figureText(f.kind, values[f.key]))];
  const rows = stats.rows.map((r) => line(r.rank !== null ? String(r.rank) : stats.grouping === 'cadre' ? '—' : '', r.name, r.figures));
  rows.push(['', '合计', ...line('', '', stats.total).slice(2)]);
  const title = `${monthName(stats.month)} · ${stats.scopeName} · 按${groupingNames[stats.grouping]}（工作时长单位：分钟；“—”：无可计算的数据或未排名）`;
  return `${title}\n${textTable(headers, rows)}`;
}

/** Columns padded by display width (a Chinese character is two columns wide). */
export function textTable(headers: string[], rows: string[][]): string {
  const width = (text: string) => [...text].reduce((w, ch) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const format = (cells: string[]) =>
    cells.map((cell, i) => (i < 2 ? cell + ' '.repeat(widths[i]! - width(cell)) : ' '.repeat(widths[i]! - width(cell)) + cell)).join('  ').trimEnd();
  return [format(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(format)].join('\n');
}

/** One grouping as an Excel workbook with one sheet. */
export async function groupWorkbook(stats: GroupStats): Promise<Buffer> {
  const book = newWorkbook();
  addGroupSheet(book, stats);
  addDefinitionsSheet(book);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/**
 * The month's review workbook: 说明 (definitions), 按干部, 按部门, 按村（社区）, 预约, 热点,
 * 案件明细 (every case of the month, one row per case).
 */
export async function monthlyWorkbook(service: StatsService, month: string, scope: Scope = wholeTownship): Promise<Buffer> {
  const book = newWorkbook();
  // The definitions are what a reviewer reads first.
  addDefinitionsSheet(book, `${monthName(month)} ${service.scopeName(scope)} 讲评数据 · 统计口径`);
  const byGroup = await Promise.all(groupings.map((g) => service.byGroup(month, g, scope)));
  for (const stats of byGroup) addGroupSheet(book, stats);

  const bookingSheet = book.addWorksheet('预约');
  let row = 1;
  for (const grouping of ['service', 'department', 'village', 'cadre'] as const) {
    const rows = await service.bookings(month, grouping, scope);
    const header = bookingSheet.getRow(row);
    header.values = [bookingGroupingNames[grouping], ...Object.values(bookingLabels)];
    header.font = { bold: true };
    row += 1;
    for (const r of rows) {
      bookingSheet.getRow(row).values = [r.name, r.total, r.booked, r.completed, r.noShow, r.cancelled];
      row += 1;
    }
    if (rows.length === 0) bookingSheet.getRow(row++).values = ['（本月无预约）'];
    row += 1;
  }
  bookingSheet.columns.forEach((c, i) => (c.width = i === 0 ? 28 : 10));

  const hotspotSheet = book.addWorksheet('热点');
  hotspotSheet.addRow(['村（社区）', '案件数', '反映最多的部门', '热点词（出现的案件数）', '示例编号']).font = { bold: true };
  for (const h of await service.hotspots(month, scope)) {
    hotspotSheet.addRow([
      h.villageName,
      h.cases,
      h.departments.map((d) => `${d.name} ${d.count}`).join('，'),
      h.topics.map((t) => `${t.word} ${t.count}`).join('，'),
      h.topics.flatMap((t) => t.examples.slice(0, 1)).map((n) => `#${n}`).join(' '),
    ]);
  }
  hotspotSheet.columns.forEach((c, i) => (c.width = [14, 8, 36, 48, 30][i] ?? 12));

  const { cases } = await service.cases(month, {}, scope);
  const names = await service.cadreNames();
  const caseSheet = book.addWorksheet('案件明细', { views: [{ state: 'frozen', ySplit: 1 }] });
  caseSheet.addRow([...caseColumns]).font = { bold: true };
  for (const c of cases) caseSheet.addRow(caseRow(c, service, names));
  caseSheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: caseColumns.length } };
  caseSheet.columns.forEach((col, i) => (col.width = i === caseColumns.length - 1 ? 60 : i === 1 || i === 8 || i === 12 ? 17 : 11));

  return Buffer.from(await book.xlsx.writeBuffer());
}

/** One case of the month as a row of 案件明细. */
export function caseRow(c: CaseFacts, service: StatsService, names: Map<string, string>): Cell[] {
  const tz = service.timezone;
  const yesNo = (value: boolean) => (value ? '是' : '否');
  return [
    c.number,
    dateTime(c.dispatchedAt, tz),
    service.villageName(c.villageId),
    service.departmentName(c.departmentId),
    c.cadreId ? (names.get(c.cadreId) ?? c.cadreId) : '',
    c.assigneeId ? (names.get(c.assigneeId) ?? c.assigneeId) : '',
    statusNames[c.status as keyof typeof statusNames] ?? c.status,
    c.priority === 'urgent' ? '是' : '',
    dateTime(c.firstResponseAt, tz),
    c.responseMinutes,
    c.responseWorkingMinutes,
    yesNo(c.respondedInTime),
    dateTime(c.resolvedAt, tz),
    c.resolutionMinutes,
    c.resolutionWorkingMinutes,
    c.resolvedAt ? yesNo(c.resolvedOnTime) : '',
    c.rating ? (ratingNames[c.rating as keyof typeof ratingNames] ?? c.rating) : '',
    c.reopenCount,
    yesNo(c.sentBack),
    yesNo(c.overdue),
    yesNo(c.repeat),
    c.description.length > 500 ? `${c.description.slice(0, 500)}…` : c.description,
  ];
}

/** The month's cases as CSV (same columns as 案件明细), all or those of `filter`. */
export async function casesCsv(service: StatsService, month: string, scope: Scope = wholeTownship, filter: CaseListFilter = {}): Promise<string> {
  const { cases } = await service.cases(month, filter, scope);
  const names = await service.cadreNames();
  return csv([[...caseColumns], ...cases.map((c) => caseRow(c, service, names))]);
}

/**
 * `连心统计-2026-10-按干部.csv`; one department's files carry its name, so a file per department
 * keeps them apart: `连心统计-2026-10-农技站-按干部.csv`.
 */
export function reportFileName(month: string, what: Grouping | 'monthly' | 'cases', format: 'csv' | 'xlsx', department?: string): string {
  const label = what === 'monthly' ? '月度讲评' : what === 'cases' ? '案件明细' : `按${groupingNames[what]}`;
  return `连心统计-${month}-${department ? `${department}-` : ''}${label}.${format}`;
}

function newWorkbook(): ExcelJS.Workbook {
  const book = new ExcelJS.Workbook();
  book.creator = '连心';
  book.created = new Date();
  return book;
}

function addGroupSheet(book: ExcelJS.Workbook, stats: GroupStats): void {
  const sheet = book.addWorksheet(`按${groupingNames[stats.grouping]}`, { views: [{ state: 'frozen', xSplit: 2, ySplit: 2 }] });
  const { headers, rows } = groupRows(stats);
  sheet.addRow([`${monthName(stats.month)} ${stats.scopeName} 按${groupingNames[stats.grouping]}统计（口径见“说明”）`]).font = { bold: true, size: 13 };
  const header = sheet.addRow(headers);
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'middle' };
  header.height = 45;
  for (const r of rows) sheet.addRow(r);
  figures.forEach((f, i) => {
    const column = sheet.getColumn(i + 3);
    column.width = f.kind === 'count' ? 9 : 11;
    if (f.kind === 'rate') column.numFmt = '0.0%';
    if (f.kind === 'minutes') column.numFmt = '0';
  });
  sheet.getColumn(1).width = 10;
  sheet.getColumn(2).width = 14;
  sheet.lastRow!.font = { bold: true };
  sheet.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: headers.length } };
}

function addDefinitionsSheet(book: ExcelJS.Workbook, title = '统计口径'): void {
  const sheet = book.addWorksheet('说明');
  sheet.addRow([title]).font = { bold: true, size: 14 };
  sheet.addRow(['指标', '口径']).font = { bold: true };
  for (const f of figures) sheet.addRow([f.label, f.definition]);
  for (const [name, text] of otherDefinitions) sheet.addRow([name, text]);
  sheet.getColumn(1).width = 26;
  sheet.getColumn(2).width = 100;
  sheet.getColumn(2).alignment = { wrapText: true };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
