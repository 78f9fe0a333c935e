/**
 * The statistics as files: a month by cadre, department or village as CSV, an Excel sheet or a
 * terminal table, and the month's review workbook (一月一讲评) — one sheet per grouping, every
 * case of the month, bookings, hotspots, and the definitions. Used by `npm run report` and the
 * dashboard's download buttons, so both give the same numbers.
 */
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import stringWidth from 'string-width';
import type { CaseFacts, CaseListFilter } from '../db/repositories/stats.repository.js';
import {
  bookingGroupingNames,
  bookingLabels,
  caseColumns,
  changeText,
  cut,
  dateTime,
  everyColumn,
  figures,
  figureText,
  groupingNames,
  hasChange,
  lapsesText,
  monthChanges,
  monthName,
  otherDefinitions,
  percentOf,
  rankText,
  ratingNames,
  reviewKeys,
  statusNames,
  type FigureKey,
  type FigureKind,
} from './stats-format.js';
import { type CaseFigures, type GroupStats, type Grouping, type Scope, type StatsService, wholeTownship, groupings } from './stats.service.js';

export type ReportFormat = 'table' | 'csv' | 'xlsx';
type Cell = string | number | Date | null;

/** A figure column of a grouping's files, or (`change`) the change of the figure before it against the month before. */
interface FileColumn {
  key: FigureKey;
  label: string;
  kind: FigureKind;
  change: boolean;
  /** A column of the dashboard's tables: shown in Excel, the others folded away. */
  review: boolean;
}

/**
 * The figure columns of a grouping's files: every figure, those of the dashboard's tables first and
 * in their order ({@link everyColumn}), each of `changeKeys` followed by its change against the month
 * before (`响应率较上月`: points; `派单数较上月`: cases).
 */
const fileColumns: FileColumn[] = everyColumn.flatMap((f) => {
  const column = { key: f.key, label: f.label, kind: f.kind, change: false, review: reviewKeys.includes(f.key) };
  return hasChange(f.key) ? [column, { ...column, label: `${f.label}较上月`, change: true }] : [column];
});

/** A group's cells of the figure columns: its figures, and their changes (null: nothing to compare). */
function figureCells(figures: CaseFigures, previous: CaseFigures | null, minCases: number): (number | null)[] {
  const changes = monthChanges(figures, previous, minCases);
  return fileColumns.map((c) => (c.change && hasChange(c.key) ? changes[c.key] : figures[c.key]));
}

/**
 * Headers, rows and the 合计 row of a month by one grouping: rank (cadres only: departments and
 * villages are not ranked), name, then the figures ({@link fileColumns}).
 */
export function groupRows(stats: GroupStats): { headers: string[]; rows: Cell[][]; total: Cell[] } {
  const ranked = stats.grouping === 'cadre';
  const min = stats.minCasesForRanking;
  const headers = [...(ranked ? ['排名'] : []), groupingNames[stats.grouping], ...fileColumns.map((c) => c.label)];
  const rows = stats.rows.map((row) => [
    ...(ranked ? [rankText(row.rank, min)] : []),
    row.name,
    ...figureCells(row.figures, row.previous, min),
  ]);
  const total = [...(ranked ? [''] : []), '合计', ...figureCells(stats.total, stats.previous?.total ?? null, min)];
  return { headers, rows, total };
}

/**
 * CSV with a byte-order mark, so Excel opens the Chinese correctly. Pasted into a spreadsheet every
 * rate reads as the page shows it, in percent to one decimal (`响应率（%）` 92.3), and its change in
 * percentage points of the same scale (`响应率较上月（百分点）` -8.3), so the two add up; 派单数较上月
 * in cases. Each header says its unit; other figures are counts or minutes (`…（分钟）`).
 */
export function groupCsv(stats: GroupStats): string {
  const { headers, rows, total } = groupRows(stats);
  // The figure columns are the last ones, after the rank and the name.
  const first = headers.length - fileColumns.length;
  const columnAt = (i: number): FileColumn | undefined => fileColumns[i - first];
  const value = (cell: Cell, i: number) => {
    if (typeof cell !== 'number') return cell;
    const column = columnAt(i);
    return column?.kind === 'rate' && !column.change ? percentOf(cell) : round(cell);
  };
  return csv([headers.map((h, i) => csvHeader(h, columnAt(i))), ...[...rows, total].map((r) => r.map(value))]);
}

/** A CSV header with its unit: `响应率（%）`, `响应率较上月（百分点）`, `派单数较上月（件）`. */
function csvHeader(header: string, column: FileColumn | undefined): string {
  if (!column) return header;
  if (column.change) return `${header}（${column.kind === 'rate' ? '百分点' : '件'}）`;
  return column.kind === 'rate' ? `${header}（%）` : header;
}

/**
 * Text starting with = + - @ tab or CR gets a leading ' (csv-stringify's `escape_formulas`):
 * Excel would run a resident's "=HYPERLINK(…)" as a formula. Negative numbers stay numbers.
 */
function csv(rows: Cell[][]): string {
  return '\uFEFF' + stringify(rows, { escape_formulas: true });
}

/** A compact table for the terminal: the figures the review talks about, each of `changeKeys` followed by its change (较上月). */
export function groupTextTable(stats: GroupStats): string {
  const columns = fileColumns.filter((c) => c.review);
  const ranked = stats.grouping === 'cadre';
  const min = stats.minCasesForRanking;
  const headers = [...(ranked ? ['排名'] : []), groupingNames[stats.grouping], ...columns.map((c) => (c.change ? '较上月' : c.label.replace('（分钟）', '')))];
  const line = (rank: string, name: string, figures: CaseFigures, previous: CaseFigures | null) => {
    const changes = monthChanges(figures, previous, min);
    return [
      ...(ranked ? [rank] : []),
      name,
      ...columns.map((c) => (c.change && hasChange(c.key) ? changeText(c.key, changes[c.key]) : figureText(c.kind, figures[c.key]))),
    ];
  };
  const rows = stats.rows.map((r) => line(String(rankText(r.rank, min)), r.name, r.figures, r.previous));
  rows.push(line('', '合计', stats.total, stats.previous?.total ?? null));
  const title =
    `${monthName(stats.month)} · ${stats.scopeName} · 按${groupingNames[stats.grouping]}` +
    `（工作时长单位：分钟；较上月：派单为件，各率为百分点；“—”：无可计算或可比较的数据）`;
  return `${title}\n${textTable(headers, rows, ranked ? 2 : 1)}`;
}

/** Columns padded by display width (a Chinese character is two columns wide); the first `textColumns` to the left, numbers to the right. */
export function textTable(headers: string[], rows: string[][], textColumns = 2): string {
  const widths = headers.map((h, i) => Math.max(stringWidth(h), ...rows.map((r) => stringWidth(r[i] ?? ''))));
  const format = (cells: string[]) =>
    cells.map((cell, i) => (i < textColumns ? cell + ' '.repeat(widths[i]! - stringWidth(cell)) : ' '.repeat(widths[i]! - stringWidth(cell)) + cell)).join('  ').trimEnd();
  return [format(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(format)].join('\n');
}

/**
 * When the figures were taken, as the workbook says it (`2026-12-01 09:00`, township time): a month's
 * figures keep moving while its cases are worked and rated, so two files of one month may differ.
 */
export const asOfText = (at: Date, timezone: string) => dateTime(at, timezone);

/**
 * What every printed page of a sheet says at its top: the month, whose figures and when they were
 * taken — the 预约, 热点 and 案件明细 sheets have no title row of their own.
 */
function pageHeader(month: string, scopeName: string, asOf: string | undefined): string {
  // & starts a code in Excel's header text: && is one.
  const escape = (text: string) => text.replace(/&/g, '&&');
  return `&L${escape(`${monthName(month)} ${scopeName}`)}${asOf ? `&R${escape(`数据截至 ${asOf}`)}` : ''}`;
}

/** One grouping as an Excel workbook with one sheet; `asOf`: when its figures were taken ({@link asOfText}). */
export async function groupWorkbook(stats: GroupStats, asOf?: string): Promise<Buffer> {
  const book = newWorkbook();
  addGroupSheet(book, stats, asOf);
  addDefinitionsSheet(book, undefined, pageHeader(stats.month, stats.scopeName, asOf));
  return Buffer.from(await book.xlsx.writeBuffer());
}

/**
 * The month's review workbook: 说明 (definitions), 按干部, 按部门, 按村（社区）, 预约, 热点,
 * 案件明细 (every case of the month, one row per case).
 */
export async function monthlyWorkbook(service: StatsService, month: string, scope: Scope = wholeTownship, at: Date = new Date()): Promise<Buffer> {
  const book = newWorkbook();
  const asOf = asOfText(at, service.timezone);
  const header = pageHeader(month, service.scopeName(scope), asOf);
  // The definitions are what a reviewer reads first.
  addDefinitionsSheet(book, `${monthName(month)} ${service.scopeName(scope)} 讲评数据 · 统计口径（数据截至 ${asOf}）`, header);
  const byGroup = await Promise.all(groupings.map((g) => service.byGroup(month, g, scope)));
  for (const stats of byGroup) addGroupSheet(book, stats, asOf);

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
    if (rows.length === 0) bookingSheet.getRow(row++).values = [`（${monthName(month)}无预约）`];
    row += 1;
  }
  bookingSheet.columns.forEach((c, i) => (c.width = i === 0 ? 28 : 10));
  printable(bookingSheet, null, 'portrait', header);

  const hotspotSheet = book.addWorksheet('热点');
  hotspotSheet.addRow(['村（社区）', '案件数', '反映最多的部门', '热点词（出现的案件数）', '示例编号']).font = { bold: true };
  for (const h of await service.hotspots(month, scope)) {
    hotspotSheet.addRow([
      h.villageName,
      h.cases,
      h.departments.map((d) => `${d.name} ${d.count}`).join('，'),
      h.topics.map((t) => `${t.word} ${t.count}`).join('，'),
      // One case often holds several of the words: each number once.
      [...new Set(h.topics.flatMap((t) => t.examples.slice(0, 1)))].map((n) => `#${n}`).join(' '),
    ]);
  }
  hotspotSheet.columns.forEach((c, i) => (c.width = [14, 8, 36, 48, 30][i] ?? 12));
  printable(hotspotSheet, '1:1', 'landscape', header);

  const { cases } = await service.cases(month, {}, scope);
  const names = await service.cadreNames();
  const caseSheet = book.addWorksheet('案件明细', { views: [{ state: 'frozen', ySplit: 1 }] });
  caseSheet.addRow([...caseColumns]).font = { bold: true };
  for (const c of cases) caseSheet.addRow(caseRow(c, service, names, (at) => excelTime(at, service.timezone)));
  caseSheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: caseColumns.length } };
  const times = (['派单时间', '首次回复时间', '办结时间'] as const).map((name) => caseColumns.indexOf(name));
  const wide = [caseColumns.indexOf('超时环节（当时负责人）'), caseColumns.indexOf('评价意见')];
  caseSheet.columns.forEach((col, i) => {
    col.width = i === caseColumns.length - 1 ? 60 : times.includes(i) ? 17 : wide.includes(i) ? 26 : 11;
    if (times.includes(i)) col.numFmt = 'yyyy-mm-dd hh:mm';
  });
  printable(caseSheet, '1:1', 'landscape', header);

  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Characters of a resident's words in a row of 案件明细 (her matter, her rating's comment). */
const fileTextLimit = 500;

/** One case of the month as a row of 案件明细; `time` writes its times (text in CSV, dates in Excel). */
export function caseRow(c: CaseFacts, service: StatsService, names: Map<string, string>, time: (at: Date) => Cell): Cell[] {
  /** Null: the limit has not come yet, so neither. */
  const yesNo = (value: boolean | null) => (value === null ? '未到时限' : value ? '是' : '否');
  const at = (value: Date | null) => (value ? time(value) : null);
  return [
    c.number,
    at(c.dispatchedAt),
    service.villageName(c.villageId),
    service.departmentName(c.departmentId),
    c.cadreId ? (names.get(c.cadreId) ?? c.cadreId) : '',
    c.assigneeId ? (names.get(c.assigneeId) ?? c.assigneeId) : '',
    statusNames[c.status as keyof typeof statusNames] ?? c.status,
    c.priority === 'urgent' ? '是' : '',
    at(c.firstResponseAt),
    c.responseMinutes,
    c.responseWorkingMinutes,
    yesNo(c.respondedInTime),
    at(c.resolvedAt),
    c.resolutionMinutes,
    c.resolutionWorkingMinutes,
    yesNo(c.resolvedOnTime),
    c.rating ? (ratingNames[c.rating as keyof typeof ratingNames] ?? c.rating) : '',
    // Excel holds 32 767 characters in a cell: a resident's words are cut well before.
    cut(c.ratingComment ?? '', fileTextLimit),
    c.reopenCount,
    yesNo(c.sentBack),
    yesNo(c.overdue),
    lapsesText(c.lapses, (id) => names.get(id) ?? id),
    yesNo(c.repeat),
    c.filedBy ? (names.get(c.filedBy) ?? c.filedBy) : '',
    cut(c.description, fileTextLimit),
  ];
}

/** The month's cases as CSV (same columns as 案件明细), all or those of `filter`. */
export async function casesCsv(service: StatsService, month: string, scope: Scope = wholeTownship, filter: CaseListFilter = {}): Promise<string> {
  const { cases } = await service.cases(month, filter, scope);
  const names = await service.cadreNames();
  return csv([[...caseColumns], ...cases.map((c) => caseRow(c, service, names, (at) => dateTime(at, service.timezone)))]);
}

/**
 * An instant as an Excel date showing the township's wall-clock time. Excel dates have no time
 * zone, and exceljs writes a Date by its UTC fields: the local time goes in as if it were UTC.
 */
function excelTime(at: Date, timezone: string): Date {
  return DateTime.fromJSDate(at, { zone: timezone }).setZone('UTC', { keepLocalTime: true }).toJSDate();
}

/**
 * `连心统计-2026-10-按干部.csv`; one department's files carry its name, so a file per department
 * keeps them apart: `连心统计-2026-10-农技站-按干部.csv`.
 */
export function reportFileName(month: string, what: Grouping | 'monthly' | 'cases', format: 'csv' | 'xlsx', department?: string): string {
  const label = what === 'monthly' ? '月度讲评' : what === 'cases' ? '案件明细' : `按${groupingNames[what]}`;
  return `连心统计-${month}-${department ? `${department}-` : ''}${label}.${format}`;
}

/**
 * Print setup for a sheet of the review: A4 landscape, one page wide (Excel shrinks it; hidden
 * columns make it larger again), the header rows on every page, page numbers in the footer.
 */
function printable(sheet: ExcelJS.Worksheet, titleRows: string | null, orientation: 'landscape' | 'portrait' = 'landscape', header?: string): void {
  sheet.pageSetup = {
    ...sheet.pageSetup,
    paperSize: 9, // A4
    orientation,
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0, // as many pages down as needed
    horizontalCentered: true,
    margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    ...(titleRows ? { printTitlesRow: titleRows } : {}),
  };
  sheet.headerFooter = { ...(header ? { oddHeader: header } : {}), oddFooter: '第 &P 页，共 &N 页' };
}

function newWorkbook(): ExcelJS.Workbook {
  const book = new ExcelJS.Workbook();
  book.creator = '连心';
  book.created = new Date();
  return book;
}

/**
 * One grouping's sheet, the month before's 合计 under this month's, to compare. The figures of the
 * dashboard's tables show, each of `changeKeys` with its change beside it (`↑3.2`, `—`); the
 * others are folded away (an outline group, "+" above the columns opens it), so the sheet prints
 * legibly on A4 as the meeting reads it.
 */
function addGroupSheet(book: ExcelJS.Workbook, stats: GroupStats, asOf?: string): void {
  const { headers, rows, total } = groupRows(stats);
  const previous = stats.previous;
  const nameColumn = headers.indexOf(groupingNames[stats.grouping]) + 1;
  const shown = fileColumns.filter((c) => c.review).length;
  const folded = fileColumns.length - shown;
  /**
   * A figure without a value says "—", as the page and the terminal table do: a rate with nothing to
   * divide by, a time without a case, a change with nothing to compare (a blank would look forgotten on paper).
   */
  const dashed = (cells: Cell[]) => cells.map((cell, i) => (cell === null && fileColumns[i - nameColumn] ? '—' : cell));
  const sheet = book.addWorksheet(`按${groupingNames[stats.grouping]}`, {
    views: [{ state: 'frozen', xSplit: nameColumn, ySplit: 2 }],
    // The "+" of the folded figures stands over the last shown column, next to them.
    properties: { outlineLevelCol: 1, outlineProperties: { summaryBelow: true, summaryRight: false } },
  });
  sheet.addRow([
    `${monthName(stats.month)} ${stats.scopeName} 按${groupingNames[stats.grouping]}统计（${asOf ? `数据截至 ${asOf}；` : ''}较上月：派单为件，各率为百分点；口径见“说明”）`,
  ]).font = { bold: true, size: 13 };
  // Right-aligned over the last shown column, beside its "+".
  const hint = sheet.getCell(1, nameColumn + shown);
  hint.value = `另有 ${folded} 项指标已折叠，点上方“+”展开`;
  hint.font = { size: 9, color: { argb: 'FF7B8794' } };
  hint.alignment = { horizontal: 'right' };
  const header = sheet.addRow(headers);
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'middle' };
  header.height = 45;
  for (const r of rows) sheet.addRow(dashed(r));
  // The filter ends above a blank row: sorting from it leaves 合计 below the data.
  sheet.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2 + rows.length, column: headers.length } };
  sheet.addRow([]);
  sheet.addRow(dashed(total)).font = { bold: true };
  if (previous) {
    // Its figures only ("—" where one has no value): a change of the month before is not this sheet's.
    sheet.addRow([
      ...total.slice(0, nameColumn - 1),
      `上月（${monthName(previous.month)}）合计`,
      ...fileColumns.map((c) => (c.change ? null : (previous.total[c.key] ?? '—'))),
    ]);
  }
  fileColumns.forEach((c, i) => {
    const column = sheet.getColumn(nameColumn + 1 + i);
    // Narrow enough that the shown columns, changes included, print one page wide at a legible size.
    column.width = c.change ? 7 : { count: 7, rate: 8, minutes: 11 }[c.kind];
    if (c.change) {
      // Numbers, so they sort; shown as the page shows them: ↑3.2, ↓8.0, 持平 ("—" is text).
      column.numFmt = c.kind === 'rate' ? '"↑"0.0;"↓"0.0;"持平"' : '"↑"0;"↓"0;"持平"';
      column.alignment = { horizontal: 'right' };
    } else if (c.kind === 'rate') column.numFmt = '0.0%';
    else if (c.kind === 'minutes') column.numFmt = '0';
    if (!c.review) {
      column.outlineLevel = 1;
      column.hidden = true;
    }
  });
  // A column's alignment reached its header too: wrapped again, so a narrow column shows its whole name.
  header.alignment = { wrapText: true, vertical: 'middle' };
  // "—" stands where a number would, on the right as numbers do.
  sheet.eachRow((row, n) => {
    if (n > 2) row.eachCell((cell, column) => {
      if (column > nameColumn && cell.value === '—') cell.alignment = { horizontal: 'right' };
    });
  });
  if (nameColumn > 1) sheet.getColumn(1).width = 10;
  printable(sheet, '1:2', 'landscape', pageHeader(stats.month, stats.scopeName, asOf));
  // Wide enough for the longest name (a Chinese character takes two widths), and a little room.
  sheet.getColumn(nameColumn).width = Math.max(10, ...[headers[nameColumn - 1]!, ...stats.rows.map((r) => r.name)].map((name) => stringWidth(name))) + 2;
}

function addDefinitionsSheet(book: ExcelJS.Workbook, title = '统计口径', header?: string): void {
  const sheet = book.addWorksheet('说明');
  sheet.addRow([title]).font = { bold: true, size: 14 };
  sheet.addRow(['指标', '口径']).font = { bold: true };
  for (const f of figures) sheet.addRow([f.label, f.definition]);
  for (const [name, text] of otherDefinitions) sheet.addRow([name, text]);
  sheet.getColumn(1).width = 26;
  sheet.getColumn(2).width = 100;
  sheet.getColumn(2).alignment = { wrapText: true };
  printable(sheet, '2:2', 'portrait', header);
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
