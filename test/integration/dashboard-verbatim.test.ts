/**
 * What residents send, on the office dashboard in a real headless Chromium: shown as sent —
 * SQL- and HTML-looking text, zero-width and right-to-left characters — and a case page that
 * stays usable with 100 000 characters of it, written as one paragraph or as one unbroken run
 * (a pasted link). The lists cut her words by characters, never in half an emoji.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/web/auth.js';
import { startWebTownship, type WebTownship } from '../support/web.js';
import { local } from '../unit/fixtures.js';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(executablePath);
const password = 'qingshan-office-2026';

const texts = {
  long: '柑橘'.padEnd(100_000, '叶子发黄，果子掉了不少，'),
  unbroken: 'http://x.cn/'.padEnd(100_000, 'a'),
  html: `柑橘 <script>document.title='x'</script><img src=x onerror="document.title='y'"> &amp; '); DROP TABLE cases; --`,
  bidi: '柑橘\u200b\u200d\ufeff \u202eevil.exe\u202c \u2067שלום\u2069 \u200f!',
  emoji: `${'柑'.repeat(29)}🍊🍊 掉果`,
};

let web: WebTownship;
let browser: Browser;
let page: Page;
const numbers = new Map<keyof typeof texts, number>();

describe.skipIf(!haveChromium)('residents’ words on the dashboard', () => {
  beforeAll(async () => {
    web = await startWebTownship({
      dashboard: `  accounts:\n    - { username: office, name: 陈秘书, passwordHash: "${await hashPassword(password)}" }\n`,
      clock: () => local('2026-11-05 10:00'),
    });
    const q = (sql: string, params: unknown[] = []) => web.app.db.dataSource.query(sql, params);
    const [resident] = await q(
      `INSERT INTO residents (wechat_id, name, village_id, created_at, updated_at) VALUES ('wx-zhou', '周大爷', 'qingshan', now(), now()) RETURNING id`,
    );
    for (const [key, text] of Object.entries(texts) as [keyof typeof texts, string][]) {
      const [c] = await q(
        `INSERT INTO cases (resident_id, village_id, department_id, status, priority, assignee_id, description, created_at, assigned_at, dispatched_at, updated_at)
         VALUES ($1, 'qingshan', 'farm', 'assigned', 'normal', 'q-farm-a', $2, $3, $3, $3, $3) RETURNING number`,
        [resident.id, text, local('2026-11-02 09:00')],
      );
      numbers.set(key, c.number);
    }
    browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${web.url}/login`);
    await page.fill('input[name=username]', 'office');
    await page.fill('input[name=password]', password);
    await Promise.all([page.waitForURL(`${web.url}/`), page.click('button[type=submit]')]);
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
  });

  it.each(['long', 'unbroken'] as const)('keeps a case page of 100 000 characters (%s) usable: all of it there, the facts on the first screen, no sideways scrolling', async (key) => {
    await page.goto(`${web.url}/cases/${numbers.get(key)}`);
    await expect(page.locator('p.quote').textContent()).resolves.toBe(texts[key]);
    const layout = await page.evaluate(() => ({
      wider: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      factsTop: document.querySelector('dl.facts')!.getBoundingClientRect().top,
      timelineTop: document.querySelector('ol.timeline')!.getBoundingClientRect().top,
    }));
    expect(layout.wider).toBeLessThanOrEqual(0);
    expect(layout.factsTop).toBeLessThan(900);
    expect(layout.timelineTop).toBeLessThan(2 * 900);
  });

  it.each(['html', 'bidi'] as const)('shows %s text exactly as sent, and runs none of it', async (key) => {
    await page.goto(`${web.url}/cases/${numbers.get(key)}`);
    await expect(page.locator('p.quote').textContent()).resolves.toBe(texts[key]);
    expect(await page.title()).not.toMatch(/^[xy]$/);
  });

  it('cuts her words in the list by characters, never in half an emoji', async () => {
    await page.goto(`${web.url}/cases?month=2026-11`);
    const row = page.locator('table.data tbody tr', { has: page.locator(`a[href="/cases/${numbers.get('emoji')}"]`) });
    await expect(row.locator('td.text').textContent()).resolves.toBe(`${'柑'.repeat(29)}🍊…`);
  });
});
