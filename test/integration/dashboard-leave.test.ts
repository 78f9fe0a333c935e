/**
 * The overview's 请假 list, read as plain HTML: who is away today and in the next 7 days, the
 * roster's leave (test/fixtures/qingshan: 吴, 30 November–1 December) beside leave taken in chat,
 * with the dates, the reason, who put it in and who takes the new cases meanwhile; a leave ended
 * by 销假, or beyond the 7 days, is not there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/web/auth.js';
import { logIn, startWebTownship, type WebTownship } from '../support/web.js';
import { local } from '../unit/fixtures.js';

const password = 'qingshan-office-2026';
let web: WebTownship;
let now = local('2026-11-26 10:00'); // a Thursday
let cookie: string;

beforeAll(async () => {
  web = await startWebTownship({
    dashboard: `  accounts:\n    - { username: office, name: 陈秘书, passwordHash: "${await hashPassword(password)}" }\n`,
    clock: () => now,
  });
  cookie = await logIn(web.url, 'office', password);

  // Leave as 请假 / 销假 put it in (the repository they use), on Thursday 26 November.
  const leaves = web.app.db.leaves;
  await leaves.replace({ cadre: 'q-farm-a', from: '2026-11-26', to: '2026-11-27', note: '孩子发烧', setBy: 'q-farm-a' }, '2026-11-24', now);
  await leaves.replace({ cadre: 'q-farm-b', from: '2026-12-03', to: '2026-12-03', setBy: 'q-farm-head' }, '2026-11-24', now);
  // 郑医生: one the office put in from Tuesday, ended by 销假 today; one after the 7 days.
  await leaves.replace({ cadre: 'q-clinic', from: '2026-11-24', to: '2026-11-28', setBy: 'q-office' }, '2026-11-24', now);
  await leaves.end((await leaves.fromDate('q-clinic', '2026-11-26'))[0]!.id, '2026-11-26');
  await leaves.replace({ cadre: 'q-clinic', from: '2026-12-10', to: '2026-12-11', note: '年休假', setBy: 'q-office' }, '2026-11-24', now);
});

afterAll(async () => {
  await web?.stop();
});

/** The overview's 请假 section: its note, and its table's rows as cell texts. */
async function leaveSection(month = ''): Promise<{ note: string; rows: string[][] }> {
  const response = await fetch(`${web.url}/${month ? `?month=${month}` : ''}`, { headers: { cookie }, redirect: 'manual' });
  expect(response.status).toBe(200);
  const section = /<section class="card" id="leave">([\s\S]*?)<\/section>/.exec(await response.text())?.[1] ?? '';
  const text = (html: string) => html.replace(/<[^>]*>/g, '').trim();
  const tbody = /<tbody>([\s\S]*?)<\/tbody>/.exec(section)?.[1] ?? '';
  return {
    note: text(/<p class="note">([\s\S]*?)<\/p>/.exec(section)?.[1] ?? ''),
    rows: [...tbody.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => text(cell[1]!))),
  };
}

describe('the overview’s 请假 list', () => {
  it('lists leave in chat and in the roster from today on, not one ended by 销假 nor one beyond the next 7 days', async () => {
    now = local('2026-11-26 10:00');
    const { note, rows } = await leaveSection();
    expect(note).toBe('今天请假：林技术员。');
    // 干部, 部门, 日期, 事由, 登记, 期间新案件由谁接: each the backup of the other's villages.
    expect(rows).toEqual([
      ['林技术员', '农业站', '11月26日 周四 至 11月27日 周五', '孩子发烧', '本人', '吴技术员'],
      ['吴技术员', '农业站', '11月30日 周一 至 12月1日 周二', '', '排班表', '林技术员'],
      ['吴技术员', '农业站', '12月3日 周四', '', '黄站长（负责人）', '林技术员'],
    ]);
    // The same list whichever month the statistics show.
    expect((await leaveSection('2026-10')).rows).toHaveLength(3);
  });

  it('leaves out the roster’s leave while it is more than 7 days ahead, and says when nobody is away', async () => {
    now = local('2026-11-20 10:00');
    const ahead = await leaveSection();
    expect(ahead.note).toBe('今天无人请假。');
    // 郑医生's leave as 销假 on the 26th left it, to the 25th. The clinic has neither backup nor head: the office.
    expect(ahead.rows).toEqual([
      ['郑医生', '卫生院', '11月24日 周二 至 11月25日 周三', '', '陈秘书（办公室）', '陈秘书'],
      ['林技术员', '农业站', '11月26日 周四 至 11月27日 周五', '孩子发烧', '本人', '吴技术员'],
    ]);

    now = local('2026-11-10 10:00');
    expect(await leaveSection()).toEqual({ note: '今天及未来 7 天无人请假。', rows: [] });
  });
});
