/**
 * The office dashboard in a real headless Chromium (Debian's, driven by playwright-core): the
 * web role of a whole app on a test database, with an office account in config. Logs in, reads
 * the 三率 cards, opens a case and its history, downloads the review workbook and opens it; follows
 * the 超时 counts to their cases, keeping the filters in other months and in the download; reads
 * the 超时 page (lateness in working time, cases overdue earlier with the limit they passed); a
 * wrong password, anonymous pages and the anonymous API are refused.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { hashPassword, samplePassword } from '../../src/web/auth.js';
import { startWebTownship, type WebTownship } from '../support/web.js';
import { local } from '../unit/fixtures.js';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(executablePath);
if (!haveChromium) {
  console.warn(`dashboard tests skipped: no Chromium at ${executablePath} (apt-get install chromium; .ci/run installs it)`);
}

const password = 'qingshan-office-2026';

let dir: string;
let web: WebTownship;
let app: App;
let browser: Browser;
let base: string;
let caseNumber: number;
let relayedCaseNumber: number;

async function seed(): Promise<void> {
  const q = (sql: string, params: unknown[] = []) => app.db.dataSource.query(sql, params);
  const [zhou] = await q(
    `INSERT INTO residents (wechat_id, name, village_id, created_at, updated_at) VALUES ('wx-zhou', '周大爷', 'qingshan', now(), now()) RETURNING id`,
  );
  // 钱奶奶 has no WeChat: 吴 files for her (代办) and passes messages on.
  const [relayed] = await q(
    `INSERT INTO residents (name, village_id, relay_cadre_id, created_at, updated_at) VALUES ('钱奶奶', 'qingshan', 'q-farm-b', now(), now()) RETURNING id`,
  );
  // Two October cases of 林: one answered in time, resolved and rated 满意; one answered late (an
  // overdue alert), 不满意.
  const rows: [string, string, string, string, string][] = [
    ['2026-10-13 09:00', '2026-10-13 09:30', '2026-10-13 14:00', '2026-10-14 10:00', 'satisfied'],
    ['2026-10-20 09:00', '2026-10-20 15:00', '2026-10-20 14:00', '2026-10-21 10:00', 'unsatisfied'],
  ];
  for (const [i, [dispatched, responded, due, resolved, rating]] of rows.entries()) {
    // The second case is 钱奶奶's.
    const resident = i === 0 ? zhou : relayed;
    const [c] = await q(
      `INSERT INTO cases (resident_id, village_id, department_id, status, priority, assignee_id, description, created_at,
         assigned_at, dispatched_at, first_response_at, first_response_due_at, resolved_at, closed_at, resolve_due_at,
         response_minutes, response_working_minutes, resolution_minutes, resolution_working_minutes, rating, updated_at)
       VALUES ($1, 'qingshan', 'farm', 'closed', 'normal', 'q-farm-a', '柑橘叶子发黄，可能是黄龙病', $2, $2, $2, $3, $4, $5, $5, $5::timestamptz + interval '3 days',
         30, 30, 1500, 480, $6, $5)
       RETURNING id, number`,
      [resident.id, local(dispatched), local(responded), local(due), local(resolved), rating],
    );
    caseNumber ??= c.number;
    if (i === 1) relayedCaseNumber = c.number;
    if (rating === 'unsatisfied') {
      await q(`INSERT INTO sla_alerts (case_id, sla_limit, stage, due_at, at) VALUES ($1, 'first-response', 'overdue', $2, $2)`, [c.id, local(due)]);
    }
    for (const [at, actorType, actorId, type, data] of [
      [dispatched, 'resident', String(resident.id), 'created', { villageId: 'qingshan', departmentId: 'farm', ...(i === 1 ? { relayedBy: 'q-farm-b' } : {}) }],
      [dispatched, 'system', null, 'assigned', { cadreId: 'q-farm-a', reason: 'on-duty' }],
      [responded, 'cadre', 'q-farm-a', 'replied', { text: '明天上午到果园看看' }],
      [resolved, 'cadre', 'q-farm-a', 'resolved', { note: '已现场指导，病株已挖除' }],
      [resolved, 'resident', String(resident.id), 'rated', { rating }],
    ] as const) {
      await q(`INSERT INTO case_events (case_id, at, actor_type, actor_id, type, data) VALUES ($1, $2, $3, $4, $5, $6)`, [
        c.id, local(at), actorType, actorId, type, data,
      ]);
    }
  }

  // Open November cases for the 超时 page (now is Thursday 5 November 10:00; working hours
  // 09:00–12:00, 13:00–17:00): 林's normal case past its resolve limit since Wednesday 16:56 (64
  // working minutes, 17 hours on the clock), 林's urgent one since 08:00 (wall-clock, as urgent
  // limits count), and 吴's, whose first reply was late but which is inside its resolve limit now.
  const open: [string, string, string, string, string, string, 'first-response' | 'resolve', string][] = [
    // assignee, priority, dispatched, first reply, its limit, resolve limit, overdue alert, words
    ['q-farm-a', 'normal', '2026-11-02 09:00', '2026-11-02 09:30', '2026-11-02 14:00', '2026-11-04 16:56', 'resolve', '果园打药后叶子卷了'],
    ['q-farm-a', 'urgent', '2026-11-04 20:00', '2026-11-04 20:10', '2026-11-04 21:00', '2026-11-05 08:00', 'resolve', '猪场发现死猪，怀疑猪瘟'],
    ['q-farm-b', 'normal', '2026-11-03 09:00', '2026-11-03 15:00', '2026-11-03 14:00', '2026-11-10 09:00', 'first-response', '水稻补贴什么时候发'],
  ];
  for (const [assignee, priority, dispatched, responded, responseDue, resolveDue, missed, description] of open) {
    const [c] = await q(
      `INSERT INTO cases (resident_id, village_id, department_id, status, priority, assignee_id, description, created_at,
         assigned_at, dispatched_at, accepted_at, first_response_at, first_response_due_at, resolve_due_at, sla_status, updated_at)
       VALUES ($1, 'qingshan', 'farm', 'accepted', $2, $3, $4, $5, $5, $5, $5, $6, $7, $8, 'overdue', $5)
       RETURNING id`,
      [zhou.id, priority, assignee, description, local(dispatched), local(responded), local(responseDue), local(resolveDue)],
    );
    const due = local(missed === 'resolve' ? resolveDue : responseDue);
    await q(`INSERT INTO sla_alerts (case_id, sla_limit, stage, due_at, at) VALUES ($1, $2, 'overdue', $3, $3)`, [c.id, missed, due]);
  }
  // A later warning (of 吴's resolve limit) is not an overdue alert.
  await q(
    `INSERT INTO sla_alerts (case_id, sla_limit, stage, due_at, at) SELECT id, 'resolve', 'warning', resolve_due_at, $1 FROM cases WHERE assignee_id = 'q-farm-b'`,
    [local('2026-11-05 09:00')],
  );
}

describe.skipIf(!haveChromium)('the office dashboard', () => {
  beforeAll(async () => {
    web = await startWebTownship({
      dashboard:
        `  accounts:\n    - { username: office, name: 陈秘书, passwordHash: "${await hashPassword(password)}" }\n` +
        `    - { username: trial, name: 试用, passwordHash: "${await hashPassword(samplePassword)}" }\n`,
      clock: () => local('2026-11-05 10:00'),
    });
    ({ app, dir, url: base } = web);
    await seed();
    browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
  });

  it('refuses anonymous requests: pages go to the login, the API answers 401; /health stays open', async () => {
    const page = await fetch(`${base}/cadres?month=2026-10`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/login?next=%2Fcadres%3Fmonth%3D2026-10');
    const download = await fetch(`${base}/download/monthly?month=2026-10`, { redirect: 'manual' });
    expect(download.status).toBe(302);
    const api = await fetch(`${base}/api/stats?month=2026-10`);
    expect(api.status).toBe(401);
    expect(await api.json()).toEqual({ error: 'login required' });
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true });
  });

  it('refuses a wrong password', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('input[name=username]', 'office');
    await page.fill('input[name=password]', 'not-the-password');
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST'), page.click('button[type=submit]')]);
    expect(response.status()).toBe(401);
    await expect(page.locator('.error').textContent()).resolves.toBe('用户名或密码不对。');
    const cookies = await context.cookies();
    const api = await page.request.get(`${base}/api/stats?month=2026-10`, { headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') } });
    expect(api.status()).toBe(401);
    await context.close();
  });

  it('asks an account that logged in with the sample password to have it changed, on every page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.fill('input[name=username]', 'trial');
    await page.fill('input[name=password]', samplePassword);
    await Promise.all([page.waitForURL(`${base}/`), page.click('button[type=submit]')]);
    await expect(page.locator('p.notice').allTextContents()).resolves.toContainEqual(expect.stringContaining('示例密码'));
    await page.click('nav a:has-text("超时")');
    await expect(page.locator('p.notice').allTextContents()).resolves.toContainEqual(expect.stringContaining('示例密码'));
    await context.close();
  });

  it('logs in, shows the cards, opens a case, downloads the workbook, logs out', async () => {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${base}/?month=2026-10`);
    await page.fill('input[name=username]', 'office');
    await page.fill('input[name=password]', password);
    await Promise.all([page.waitForURL(`${base}/?month=2026-10`), page.click('button[type=submit]')]);

    // 三率: 1 of 2 answered in time; 1 of 2 answered callbacks 满意.
    await expect(page.locator('[data-figure=responseRate]').textContent()).resolves.toBe('50.0%');
    await expect(page.locator('[data-figure=resolutionRate]').textContent()).resolves.toBe('50.0%');
    await expect(page.locator('[data-figure=satisfactionRate]').textContent()).resolves.toBe('50.0%');
    await expect(page.locator('[data-figure=dispatched]').textContent()).resolves.toBe('2');
    // Beside the month before: September had no cases.
    await expect(page.locator('[data-compare=responseRate]').textContent()).resolves.toBe('上月 —');
    await expect(page.locator('[data-compare=dispatched]').textContent()).resolves.toBe('上月 0');
    await page.locator('#trend svg').waitFor(); // ECharts drew the trend
    expect(errors).toEqual([]);
    // 5 Nov 2026, and township.yaml has no 2027 holidays: the office is told (and nothing else).
    await expect(page.locator('p.notice').allTextContents()).resolves.toEqual([expect.stringContaining('2027年的法定节假日安排还没有录入')]);

    // November so far: 2 of 3 answered in time, beside October's 1 of 2; no callback answered yet.
    await page.goto(`${base}/?month=2026-11`);
    await expect(page.locator('[data-compare=responseRate]').textContent()).resolves.toBe('上月 50.0%，↑16.7 个百分点');
    await expect(page.locator('[data-compare=satisfactionRate]').textContent()).resolves.toBe('上月 50.0%');
    await expect(page.locator('[data-compare=dispatched]').textContent()).resolves.toBe('上月 2');
    await expect(page.locator('[data-compare=overdue]').textContent()).resolves.toBe('上月 1');
    // What is overdue now, whichever month, as the 超时 page has it: 林's two, and 吴's answered late.
    await expect(page.locator('p.alert').textContent()).resolves.toBe('目前在办、已超过时限的案件 2 件，另有曾超时、目前已在时限内的 1 件（不论哪月派单）。查看超时案件 ›');
    await page.goto(`${base}/?month=2026-10`);

    await page.click('nav a:has-text("干部")');
    await expect(page.locator('table.data tbody tr').first().locator('td.name').textContent()).resolves.toBe('林技术员');
    await page.click('nav a:has-text("案件")');
    await Promise.all([page.waitForURL(`${base}/cases/${caseNumber}`), page.click(`a[href="/cases/${caseNumber}"]`)]);
    await expect(page.locator('h1').textContent()).resolves.toContain(`案件 #${caseNumber}`);
    const timeline = await page.locator('ol.timeline li strong').allTextContents();
    expect(timeline).toEqual(['群众反映', '派单', '回复群众', '办结', '群众评价']);
    await expect(page.locator('ol.timeline').textContent()).resolves.toContain('已现场指导，病株已挖除');
    // A case filed for a resident without WeChat says who passes messages on, and who filed it.
    await page.goto(`${base}/cases/${relayedCaseNumber}`);
    await expect(page.locator('dl.facts dd').first().textContent()).resolves.toBe('钱奶奶（没有微信，由吴技术员代办）');
    await expect(page.locator('ol.timeline li').first().textContent()).resolves.toContain('由吴技术员代办');

    await page.goto(`${base}/?month=2026-10`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("下载月度讲评工作簿")')]);
    expect(download.suggestedFilename()).toBe('连心统计-2026-10-月度讲评.xlsx');
    const file = path.join(dir, 'review.xlsx');
    await download.saveAs(file);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    expect(book.worksheets.map((s) => s.name)).toEqual(['说明', '按干部', '按部门', '按村（社区）', '预约', '热点', '案件明细']);
    expect((book.getWorksheet('按干部')!.getRow(3).values as unknown[]).slice(2, 4)).toEqual(['林技术员', 2]);
    expect(book.getWorksheet('案件明细')!.rowCount).toBe(3);
    // As of the dashboard's clock, as the printed page says it.
    expect(book.getWorksheet('按干部')!.getCell('A1').value).toMatch(/^2026年10月 全乡镇 按干部统计（数据截至 2026-11-05 10:00；/);
    expect(book.getWorksheet('案件明细')!.headerFooter.oddHeader).toBe('&L2026年10月 全乡镇&R数据截至 2026-11-05 10:00');
    // One table's file too.
    await page.goto(`${base}/cadres?month=2026-10&department=farm`);
    const [table] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("下载 Excel")')]);
    await table.saveAs(file);
    await book.xlsx.readFile(file);
    expect(book.getWorksheet('按干部')!.getCell('A1').value).toMatch(/^2026年10月 农业站 按干部统计（数据截至 2026-11-05 10:00；/);

    await page.click('button:has-text("退出")');
    await page.waitForURL(`${base}/login`);
    await page.goto(`${base}/cadres`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await context.close();
  });

  it('links the 超时 counts to their cases; other months and the download keep the filters; a wrong page or number is handled', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    context.setDefaultTimeout(10_000); // a missing link fails here, not at the test's timeout
    const page = await context.newPage();
    await page.goto(`${base}/?month=2026-10`);
    await page.fill('input[name=username]', 'office');
    await page.fill('input[name=password]', password);
    await Promise.all([page.waitForURL(`${base}/?month=2026-10`), page.click('button[type=submit]')]);
    const note = () => page.locator('p.note').textContent();

    await expect(page.locator('table.data a[href="/cases?month=2026-10&department=farm&overdue=1"]').textContent()).resolves.toBe('1');
    // The card 10月派单超时 opens the month's overdue cases.
    await Promise.all([page.waitForURL(`${base}/cases?month=2026-10&overdue=1`), page.click('.card.warn a')]);
    await expect(note()).resolves.toMatch(/^共 1 件（超时）/);

    // 林's 超时 count in the cadres table opens 林's overdue cases.
    await page.goto(`${base}/cadres?month=2026-10`);
    const lin = page.locator('table.data tbody tr', { hasText: '林技术员' });
    await Promise.all([page.waitForURL(`${base}/cases?month=2026-10&cadre=q-farm-a&overdue=1`), lin.locator('a[href$="overdue=1"]').click()]);
    await expect(note()).resolves.toMatch(/^共 1 件（干部：林技术员，超时）/);
    await expect(page.locator('table.data tbody tr').count()).resolves.toBe(1);

    // Its download has the same cases.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("下载这些案件")')]);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.trimEnd().split('\n')).toHaveLength(1 + 1);
    expect(csv).toContain('柑橘叶子发黄');

    // ‹ 上月 keeps the filters.
    await Promise.all([page.waitForURL(`${base}/cases?cadre=q-farm-a&overdue=1&month=2026-09`), page.click('a:has-text("‹ 上月")')]);
    await expect(note()).resolves.toMatch(/^共 0 件（干部：林技术员，超时）/);
    // …and so does 下月 ›, and the order of a table.
    await Promise.all([page.waitForURL(`${base}/cases?cadre=q-farm-a&overdue=1&month=2026-10`), page.click('a:has-text("下月 ›")')]);
    await page.goto(`${base}/cadres?month=2026-10&sort=name&dir=desc`);
    await expect(page.locator('a:has-text("‹ 上月")').getAttribute('href')).resolves.toBe('?sort=name&dir=desc&month=2026-09');

    // The cadre table for one department: its cadres only, ranked among themselves; the links
    // and the download keep the department.
    await page.goto(`${base}/cadres?month=2026-10`);
    await expect(page.locator('table.data tbody td.name').allTextContents()).resolves.toContain('郑医生');
    await page.selectOption('form.filter select', 'farm');
    await Promise.all([page.waitForURL(`${base}/cadres?month=2026-10&department=farm`), page.click('form.filter button')]);
    const names = await page.locator('table.data tbody td.name').allTextContents();
    expect(names).toContain('林技术员');
    expect(names).not.toContain('郑医生');
    await expect(page.locator('table.data tbody tr', { hasText: '林技术员' }).locator('td.name a').getAttribute('href')).resolves.toBe(
      '/cases?month=2026-10&cadre=q-farm-a&department=farm',
    );
    await expect(page.locator('th a:has-text("派单")').getAttribute('href')).resolves.toMatch(/^\?month=2026-10&department=farm&sort=dispatched/);
    const [cadreCsv] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("下载 CSV")')]);
    expect(cadreCsv.suggestedFilename()).toBe('连心统计-2026-10-农业站-按干部.csv');
    const farmCsv = await readFile((await cadreCsv.path())!, 'utf8');
    expect(farmCsv).toContain('林技术员');
    expect(farmCsv).not.toContain('郑医生');

    // A page past the last still counts every case.
    await page.goto(`${base}/cases?month=2026-10&page=999`);
    await expect(note()).resolves.toMatch(/^共 2 件。/);
    await expect(page.locator('a:has-text("上一页")').getAttribute('href')).resolves.toBe('/cases?month=2026-10&page=1');

    const missing = await page.goto(`${base}/cases/99999999999`);
    expect(missing!.status()).toBe(404);
    await expect(page.locator('h1').textContent()).resolves.toBe('没有这个案件');

    // The number box at the top opens a case as the clerk types its number.
    await page.goto(`${base}/cases?month=2026-10`);
    const number = (await page.locator('table.data a[href^="/cases/"]').first().getAttribute('href'))!.split('/').at(-1)!;
    await page.fill('form.find input[name=number]', `＃${number}`);
    await Promise.all([page.waitForURL(`${base}/cases/${number}`), page.click('form.find button')]);
    await expect(page.locator('h1').textContent()).resolves.toContain(`#${number}`);
    // A month that is no month says so, and shows this month.
    await page.goto(`${base}/cases?month=2026-13`);
    await expect(page.locator('p.notice', { hasText: '月份' }).textContent()).resolves.toBe('没看懂月份“2026-13”，下面是本月的数据。月份请写成 2026-10 这样。');
    await context.close();
  });

  it('lists the cases past a limit now, with the lateness in working time, and those that were overdue with the limit they passed', async () => {
    const context = await browser.newContext();
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await page.goto(`${base}/overdue`);
    await page.fill('input[name=username]', 'office');
    await page.fill('input[name=password]', password);
    await Promise.all([page.waitForURL(`${base}/overdue`), page.click('button[type=submit]')]);

    await expect(page.locator('h1 small').textContent()).resolves.toBe('目前在办、已超过时限的 2 件，曾超时的 1 件');
    const rows = page.locator('table.data tbody tr');
    const cells = async (i: number) => (await rows.nth(i).locator('td').allTextContents()).map((t) => t.trim());
    // 超过的时限, 时限, 已超: 64 working minutes (not 17.1 hours); urgent: 2 hours on the clock.
    expect((await cells(0)).slice(3, 8)).toEqual(['林技术员', '办理中', '办结', '2026-11-04 16:56', '1.1工作小时']);
    expect((await cells(1)).slice(5, 8)).toEqual(['办结', '2026-11-05 08:00', '2小时']);
    expect((await cells(2)).slice(3, 8)).toEqual(['吴技术员', '办理中', '回复群众', '2026-11-03 14:00', '曾超时']);

    // The holder's name opens their overdue cases of the case's month.
    await Promise.all([page.waitForURL(`${base}/cases?month=2026-11&cadre=q-farm-a&overdue=1`), rows.nth(0).locator('a:has-text("林技术员")').click()]);
    await expect(page.locator('p.note').textContent()).resolves.toMatch(/^共 2 件（干部：林技术员，超时）/);
    await context.close();
  });

  it('prints a page for the review: the title and the table, every column on A4, landscape', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await page.goto(`${base}/cadres?month=2026-10`);
    await page.fill('input[name=username]', 'office');
    await page.fill('input[name=password]', password);
    await Promise.all([page.waitForURL(`${base}/cadres?month=2026-10`), page.click('button[type=submit]')]);
    // A4 landscape, 10 mm margins: 277 mm at 96 dpi.
    const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
    expect(pdf).toMatch(/\/MediaBox \[0 0 84\d\.\d+ 59\d\.\d+\]/); // wider than high
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 1047, height: 740 });
    for (const path of ['/cadres?month=2026-10', '/cases?month=2026-10', '/villages?month=2026-10']) {
      await page.goto(`${base}${path}`);
      for (const hidden of ['nav.nav', 'form.find', 'form.logout', 'form.month', 'section.downloads']) {
        if ((await page.locator(hidden).count()) > 0) await expect(page.locator(hidden).first().isVisible(), `${path} ${hidden}`).resolves.toBe(false);
      }
      // Nothing cut off at the right edge of the paper: the table is as wide as what shows it.
      const clipped = await page.locator('.scroll').evaluate((box) => box.scrollWidth - box.clientWidth);
      expect(clipped, path).toBeLessThanOrEqual(0);
      const table = (await page.locator('table.data').boundingBox())!;
      expect(table.x + table.width, path).toBeLessThanOrEqual(1047);
    }
    await context.close();
  });

  it('prints what the paper needs: whose table, when the figures were taken, which page; not the screen\'s hints', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await page.goto(`${base}/cadres?month=2026-10&department=farm`);
    await page.fill('input[name=username]', 'office');
    await page.fill('input[name=password]', password);
    await Promise.all([page.waitForURL(`${base}/cadres?month=2026-10&department=farm`), page.click('button[type=submit]')]);
    // One department's cadres, on screen and on paper: its 合计 is not the township's.
    await expect(page.locator('h1').innerText()).resolves.toMatch(/^按干部 · 农业站\s+2026年10月$/);
    await expect(page.title()).resolves.toMatch(/^按干部 · 农业站 · /);
    await expect(page.locator('.as-of').isVisible()).resolves.toBe(false);
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('h1').innerText()).resolves.toMatch(/^按干部 · 农业站/);
    // The month's figures keep moving while its cases are rated: the paper says as of when.
    await expect(page.locator('.as-of').innerText()).resolves.toBe('数据截至 2026-11-05 10:00');
    await expect(page.getByText('点表头可排序', { exact: false }).isVisible()).resolves.toBe(false);
    await page.goto(`${base}/cases?month=2026-10`);
    await expect(page.locator('.pager').innerText()).resolves.toBe('第 1 / 1 页');
    await context.close();
  });
});
