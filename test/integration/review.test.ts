/**
 * The monthly review on the dashboard, as the office clerk reads it in the meeting, on the October
 * of test/support/october.ts (ranked from 3 cases; now is 5 November): each figure of the 干部,
 * 部门 and 村 tables that stands for cases opens them in the case list, filtered the same way and
 * said so in its heading; an unranked cadre is said why, in the same words on the page and in the
 * downloads; the 概览 says its figures in plain words, and which 超时 is which.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/web/auth.js';
import { insertOctober } from '../support/october.js';
import { fetchPage, logIn, rowOf, startWebTownship, type WebTownship } from '../support/web.js';
import { local } from '../unit/fixtures.js';

const password = 'qingshan-office-2026';
let web: WebTownship;
let cookie: string;
let numbers: Map<string, number>;

const fetchOk = (path: string) => fetchPage(web.url, cookie, path);
const page = async (path: string) => (await fetchOk(path)).text();

/** The figures of some HTML that open cases: where to, what they say they open, and what they show. */
function drillDowns(html: string): { href: string; name: string; count: number; text: string }[] {
  return [...html.matchAll(/<a href="([^"]+)" title="看([^"]+)的 (\d+) 件">([^<]+)<\/a>/g)].map((m) => ({
    href: m[1]!.replaceAll('&amp;', '&'),
    name: m[2]!,
    count: Number(m[3]),
    text: m[4]!,
  }));
}

/** The case numbers a case list shows. */
const listed = (html: string) => [...html.matchAll(/<a href="\/cases\/(\d+)">/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
const cases = (...names: string[]) => names.map((n) => numbers.get(n)!).sort((a, b) => a - b);

beforeAll(async () => {
  web = await startWebTownship({
    dashboard: `  minCasesForRanking: 3\n  accounts:\n    - { username: office, name: 陈秘书, passwordHash: "${await hashPassword(password)}" }\n`,
    clock: () => local('2026-11-05 10:00'),
  });
  numbers = await insertOctober(web.app.db.dataSource);
  cookie = await logIn(web.url, 'office', password);
});

afterAll(async () => {
  await web?.stop();
});

describe('the figures of the review tables', () => {
  it('open 林技术员\'s cases behind each of his counts and rates, filtered as the figure counts them', async () => {
    const lin = drillDowns(rowOf(await page('/cadres?month=2026-10'), '林技术员'));
    // In the table's order: 在办, 响应率, 不满意, 按时办结率, 重开率, 超时, 重复诉求 (no 退单: B2 counts for 吴).
    expect(lin.map((d) => [d.name, d.count, d.text])).toEqual([
      ['在办', 2, '2'],
      ['未按时响应', 2, '50.0%'],
      ['不满意', 1, '1'],
      ['未按时办结', 1, '66.7%'],
      ['重开', 1, '25.0%'],
      ['超时', 3, '3'],
      ['重复诉求', 2, '2'],
    ]);
    const list = async (name: string) => {
      const html = await page(lin.find((d) => d.name === name)!.href);
      expect(html).toContain(`共 ${lin.find((d) => d.name === name)!.count} 件（干部：林技术员，${name}）`);
      return listed(html);
    };
    expect(await list('在办')).toEqual(cases('A3', 'A4'));
    // A2 answered late; A4 never answered, its limit past.
    expect(await list('未按时响应')).toEqual(cases('A2', 'A4'));
    // A3, reopened and open past its resolve limit.
    expect(await list('未按时办结')).toEqual(cases('A3'));
    expect(await list('重开')).toEqual(cases('A3'));
    expect(await list('重复诉求')).toEqual(cases('A2', 'A4'));
    expect(lin[0]!.href).toBe('/cases?month=2026-10&cadre=q-farm-a&open=1');

    // 吴's 退单率 opens B2, sent back to the office by 林 and resolved by 吴.
    const wu = drillDowns(rowOf(await page('/cadres?month=2026-10'), '吴技术员')).find((d) => d.name === '退单')!;
    expect([wu.count, wu.text]).toEqual([1, '50.0%']);
    expect(listed(await page(wu.href))).toEqual(cases('B2'));
  });

  it('each list as many cases as the figure says, in every table and its 合计, and download them', async () => {
    let links = 0;
    for (const table of ['/cadres?month=2026-10', '/cadres?month=2026-10&department=farm', '/departments?month=2026-10', '/villages?month=2026-10']) {
      for (const d of drillDowns(await page(table))) {
        const html = await page(d.href);
        expect(html, `${table} ${d.href}`).toMatch(new RegExp(`共 ${d.count} 件（[^）]*${d.name}）`));
        expect(listed(html), `${table} ${d.href}`).toHaveLength(d.count);
        links += 1;
      }
    }
    expect(links).toBeGreaterThan(40);
    // The 合计 of the village table: the month's repeat requests, and their download.
    const repeat = drillDowns((await page('/villages?month=2026-10')).split('<tfoot>')[1]!).find((d) => d.name === '重复诉求')!;
    expect(repeat.href).toBe('/cases?month=2026-10&repeat=1');
    const csv = (await (await fetchOk('/download/cases?month=2026-10&repeat=1')).text()).trimEnd().split('\n');
    expect(csv.slice(1).map((line) => Number(line.split(',')[0])).sort((a, b) => a - b)).toEqual(cases('A2', 'A4', 'C3'));
  });
});

describe('a cadre not ranked', () => {
  it('is said why, in the same words on the page, in the CSV and in the workbook', async () => {
    const html = await page('/cadres?month=2026-10');
    expect(rowOf(html, '郑医生')).toContain('<td class="rank">1</td>');
    // 吴 has 2 cases, 黄站长 none: neither reaches 3.
    expect(rowOf(html, '吴技术员')).toContain('<td class="rank">不排名（不足3件）</td>');
    expect(rowOf(html, '黄站长')).toContain('<td class="rank">不排名（不足3件）</td>');
    expect(html).not.toMatch(/<td class="rank">(不排名|—)<\/td>/);

    const csv = await (await fetchOk('/download/cadre?month=2026-10&format=csv')).text();
    expect(csv).toContain('\n不排名（不足3件）,吴技术员,2,');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await (await fetchOk('/download/monthly?month=2026-10')).arrayBuffer());
    const sheet = book.getWorksheet('按干部')!;
    const wu = sheet.getRows(3, sheet.rowCount - 2)!.find((r) => r.getCell(2).value === '吴技术员')!;
    expect(wu.getCell(1).value).toBe('不排名（不足3件）');
  });
});

describe('the 概览', () => {
  it('says what 解决率 is made of in plain words, and tells the month\'s 超时 from the cases overdue now', async () => {
    const html = await page('/?month=2026-10');
    // Eight answered callbacks, one of them 不满意: 87.5%.
    expect(html).toContain('回访应答 8 件，其中不满意 1 件');
    expect(html).not.toContain('未答不满意');
    // October's cases that ever passed a limit (A2, A3, A4, B1), resolved ones too …
    expect(html).toMatch(/<div class="label">10月派单超时<\/div><div class="value"><a [^>]*>4<\/a><\/div><div class="sub">含已办结的<\/div>/);
    // … and the open cases past a limit now, whichever month: A3, A4 and November's X.
    expect(html).toContain('目前在办、已超过时限的案件 <strong>3</strong> 件（不论哪月派单）。');
    const overdue = await page('/overdue');
    expect(overdue).toContain('目前在办、已超过时限的 3 件');
    expect(overdue).toContain('本页只列目前在办的案件，不论哪月派单；概览的“本月派单超时”和各表的“超时”数的是当月派出、超过了时限的案件，含已办结的');
  });
});

describe('the slowest cases of the month', () => {
  /** The case numbers of a list, in its order. */
  const inOrder = (html: string) => [...html.matchAll(/<td><a href="\/cases\/(\d+)">/g)].map((m) => Number(m[1]));
  const named = (...names: string[]) => names.map((n) => numbers.get(n)!);

  it('come first when the clerk clicks 办结 or 响应, with who they count for; those without the time yet last', async () => {
    const list = await page('/cases?month=2026-10');
    const resolution = /<a href="([^"]+)" title="办结用时最长的在前">办结<\/a>/.exec(list)![1]!.replaceAll('&amp;', '&');
    expect(resolution).toBe('/cases?month=2026-10&sort=resolution');
    // By working minutes to 办结: A1 510; C4 and A2 480 (C4 the longer on the clock, 4380 against 1500); C1 and
    // B2 360 (the same on the clock too: in dispatch order); B1 300, C3 180, C2 120; A3 and A4 still open.
    const slowest = await page(resolution);
    expect(inOrder(slowest)).toEqual(named('A1', 'C4', 'A2', 'C1', 'B2', 'B1', 'C3', 'C2', 'A3', 'A4'));
    expect(slowest).toContain('按办结用时排列，最慢的在前，还没有办结的在最后');
    expect(slowest).toContain('办结 ▼</a>');
    // Who held the slowest: the cadre it counts for.
    const first = slowest.split('<tbody>')[1]!.split('</tr>')[0]!;
    expect(first).toContain(`#${numbers.get('A1')}</a>`);
    expect(first).toContain('<td>林技术员</td>');
    // By working minutes to the first reply: A2 300, B2 120, A1 90, C1 60; C2, A3 and C4 30 (C2 the longer on
    // the clock); C3 20, B1 10; A4 not answered.
    expect(inOrder(await page('/cases?month=2026-10&sort=response'))).toEqual(named('A2', 'B2', 'A1', 'C1', 'C2', 'A3', 'C4', 'C3', 'B1', 'A4'));
  });

  it('keeps the order with a filter, in other months and in the download', async () => {
    const lin = await page('/cases?month=2026-10&cadre=q-farm-a&sort=resolution');
    expect(inOrder(lin)).toEqual(named('A1', 'A2', 'A3', 'A4'));
    expect(lin).toContain('href="?cadre=q-farm-a&amp;sort=resolution&amp;month=2026-09"');
    const download = /<a class="button" href="([^"]+)" download>/.exec(lin)![1]!.replaceAll('&amp;', '&');
    expect(download).toBe('/download/cases?month=2026-10&cadre=q-farm-a&sort=resolution');
    const csv = (await page(download)).replace(/^\uFEFF/, '').trimEnd().split(/\r?\n/).slice(1);
    expect(csv.map((line) => Number(line.split(',')[0]))).toEqual(named('A1', 'A2', 'A3', 'A4'));
    // The default order is back from 派单时间.
    expect(lin).toContain('<a href="/cases?month=2026-10&amp;cadre=q-farm-a">派单时间</a>');
  });
});
