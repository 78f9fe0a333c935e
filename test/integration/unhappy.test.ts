/**
 * The cases residents were unhappy with, as the office prepares the monthly review. 青山乡
 * (test/fixtures/qingshan): farm cases of 青山村 go to 林技术员. 老周 answers 不满意 with a reason,
 * 林 resolves the case again, and 老周 does not answer the second callback; 老李 is 满意. The
 * office finds 老周's case, with his reason, from the 不满意 counts of the dashboard's tables.
 * In December, 林's 办结 of two cases are answered 不满意 and others close them to 满意: the 不满意
 * stay 林's.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatsService, statsReply } from '../../src/services/stats.service.js';
import { hashPassword } from '../../src/web/auth.js';
import { startHarness, type Harness, type Person } from '../support/harness.js';
import { logIn, qingshanWithDashboard } from '../support/web.js';

const password = 'qingshan-office-2026';
let dir: string;
let h: Harness;
let lin: Person;
let unhappy: number;
let happy: number;

/** A resident of 青山村 raises a farm matter; its case number. */
async function farmCase(name: string, words: string): Promise<{ resident: Person; number: number }> {
  const resident = h.resident(name);
  await h.query(`INSERT INTO residents (wechat_id, name, village_id, created_at, updated_at) VALUES ($1, $2, 'qingshan', now(), now())`, [
    resident.contact.id,
    name,
  ]);
  resident.say(words);
  const [ack] = await resident.waitForMessages(1);
  if (!/#\d+/.test(ack!)) throw new Error(ack);
  await h.settle();
  return { resident, number: Number(/#(\d+)/.exec(ack!)![1]) };
}

/** `person` says `text`, and everything it sets off is done. */
async function says(person: Person, text: string): Promise<void> {
  person.say(text);
  await h.settle();
}

/** The dashboard of a web role started now, logged in as the office: a page's HTML by its path. */
async function officeDashboard(): Promise<(path: string) => Promise<string>> {
  const web = await h.startApp({ roles: ['web'], webPort: 0 });
  const cookie = await logIn(web.web!.url, 'office', password);
  return async (path) => {
    const response = await fetch(`${web.web!.url}${path}`, { headers: { cookie } });
    expect(response.status, path).toBe(200);
    return response.text();
  };
}

beforeAll(async () => {
  dir = await qingshanWithDashboard(`  accounts:\n    - { username: office, name: 陈秘书, passwordHash: "${await hashPassword(password)}" }\n`);
  h = await startHarness({ configDir: dir, start: '2026-11-26T10:00:00+08:00' });
  lin = await h.cadre('q-farm-a');
  const zhou = await farmCase('老周', '柑橘得了黄龙病，叶子发黄');
  unhappy = zhou.number;
  await says(lin, `办结 ${unhappy} 已上门指导喷药`);
  await says(zhou.resident, '3 叶子还是黄的');
  h.clock.set('2026-11-26T11:00:00+08:00');
  await says(lin, `办结 ${unhappy} 又打了一遍药`);

  const li = await farmCase('老李', '果树要施肥，想问问怎么施');
  happy = li.number;
  await says(lin, `办结 ${happy} 已指导用药`);
  await says(li.resident, '1');

  // Three days on, 老周 has not answered the second callback.
  h.clock.set('2026-11-29T11:01:00+08:00');
  await h.app.worker!.sweep();
  await h.settle();
});

afterAll(async () => {
  await h?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a 不满意 whose second callback goes unanswered', () => {
  it('stays 不满意 when the case closes: it counts in 满意率 and as 不满意, not as 未回访', async () => {
    const [row] = await h.query(`SELECT status, rating, rating_comment FROM cases WHERE number = $1`, [unhappy]);
    expect(row).toEqual({ status: 'closed', rating: 'unsatisfied', rating_comment: '叶子还是黄的' });
    const total = await new StatsService(h.app.db, h.app.config).total('2026-11');
    expect(total).toMatchObject({ answered: 2, satisfied: 1, unsatisfied: 1, noAnswer: 0, satisfactionRate: 0.5 });
  });
});

describe('the 不满意 cases on the dashboard', () => {
  it('counts them in the tables, opens them from each count with the residents\' reasons, and downloads them', async () => {
    const page = await officeDashboard();
    const unhappyCases = '/cases?month=2026-11&amp;cadre=q-farm-a&amp;unsatisfied=1';
    const cadres = await page('/cadres?month=2026-11');
    expect(cadres).toContain(`<a href="${unhappyCases}" title="看不满意的 1 件">1</a>`);
    // The 三率 side by side, the 不满意 cases after them.
    const headers = [...cadres.matchAll(/<th[^>]*><a [^>]*>([^<▲▼]+)/g)].map((m) => m[1]!.trim());
    expect(headers.slice(0, 8)).toEqual(['排名', '干部', '派单数', '在办', '响应率', '解决率', '满意率', '不满意']);
    expect(await page('/villages?month=2026-11')).toContain('href="/cases?month=2026-11&amp;village=qingshan&amp;unsatisfied=1" title="看不满意的 1 件">1</a>');
    expect(await page('/?month=2026-11')).toContain('href="/cases?month=2026-11&unsatisfied=1"');

    const list = await page(unhappyCases.replaceAll('&amp;', '&'));
    expect(list).toContain('共 1 件（干部：林技术员，不满意）');
    expect(list).toContain(`#${unhappy}`);
    expect(list).toContain('不满意：叶子还是黄的');
    expect(list).not.toContain(`#${happy}`);

    const csv = (await page('/download/cases?month=2026-11&unsatisfied=1')).replace(/^\uFEFF/, '').trimEnd().split(/\r?\n/);
    expect(csv).toHaveLength(2);
    const [header, row] = csv.map((line) => line.split(','));
    expect(row![header!.indexOf('回访评价')]).toBe('不满意');
    expect(row![header!.indexOf('评价意见')]).toBe('叶子还是黄的');
  });
});

describe('a 不满意 with a cadre whose case someone else then closes', () => {
  let wang: number;
  let zhao: number;

  beforeAll(async () => {
    h.clock.set('2026-12-02T09:00:00+08:00');
    const head = await h.cadre('q-farm-head');
    const wu = await h.cadre('q-farm-b');
    const office = await h.cadre('q-office');
    // 老王: 林 resolves, 不满意; the head gives the case to 吴, who resolves it, 满意.
    const w = await farmCase('老王', '柑橘树施肥以后还是长不好');
    wang = w.number;
    await says(lin, `办结 ${wang} 已上门看过`);
    await says(w.resident, '3 还是长不好');
    await says(head, `派单 ${wang} 吴技术员`);
    await says(wu, `办结 ${wang} 换了肥料`);
    await says(w.resident, '1');
    // 老赵: 林 resolves twice, 不满意 twice; the office reviews it and resolves it, 满意.
    const z = await farmCase('老赵', '果树得了黄龙病');
    zhao = z.number;
    await says(lin, `办结 ${zhao} 已电话指导`);
    await says(z.resident, '3 没来看过');
    await says(lin, `办结 ${zhao} 已上门看过`);
    await says(z.resident, '3 还是没人来');
    await says(office, `办结 ${zhao} 已请农业站上门除虫`);
    await says(z.resident, '1');
  });

  it('counts each answer for the cadre whose 办结 it answered, and each case once with its last answer', async () => {
    expect(await h.count(`SELECT count(*) FROM cases WHERE number = ANY ($1) AND status = 'closed' AND rating = 'satisfied'`, [[wang, zhao]])).toBe(2);
    const stats = new StatsService(h.app.db, h.app.config);
    const cadres = await stats.byGroup('2026-12', 'cadre');
    const of = (id: string) => cadres.rows.find((r) => r.key === id)!.figures;
    // 林 closed neither case, but both his 办结 were answered 不满意.
    expect(of('q-farm-a')).toMatchObject({ dispatched: 0, answered: 2, unsatisfied: 2, satisfied: 0, satisfactionRate: 0 });
    expect(of('q-farm-b')).toMatchObject({ dispatched: 1, answered: 1, satisfied: 1, unsatisfied: 0, satisfactionRate: 1 });
    expect(of('q-office')).toMatchObject({ dispatched: 1, answered: 1, satisfied: 1, unsatisfied: 0, satisfactionRate: 1 });
    // The cases themselves, in total, by village and in the trend (the hourly rollup): two, both 满意 at last.
    const cases = { dispatched: 2, answered: 2, satisfied: 2, unsatisfied: 0, satisfactionRate: 1, reopened: 2 };
    expect(cadres.total).toMatchObject(cases);
    expect((await stats.byGroup('2026-12', 'village')).rows.find((r) => r.key === 'qingshan')!.figures).toMatchObject(cases);
    const departments = (await stats.byGroup('2026-12', 'department')).rows.map((r) => r.figures);
    expect(departments.reduce((sum, f) => sum + f.unsatisfied, 0)).toBe(0);
    expect(departments.reduce((sum, f) => sum + f.satisfied, 0)).toBe(2);
    expect((await stats.trend('2026-12', 1))[0]!.figures).toMatchObject(cases);

    // In chat, the head sees 林 with the 不满意 his 办结 got, though no case counts for him.
    const reply = await statsReply(h.app.db, h.app.config, { id: 'q-farm-head', role: 'head', departmentIds: ['farm'] }, '', h.clock.now());
    expect(reply).toContain('林技术员 0件 — 0.0%');
  });

  it('opens, from 林\'s 不满意, the cases his 办结 was answered 不满意 on, with what the resident wrote', async () => {
    const page = await officeDashboard();
    const cadres = await page('/cadres?month=2026-12');
    const linUnhappy = '/cases?month=2026-12&amp;cadre=q-farm-a&amp;unsatisfied=1';
    expect(cadres).toContain(`<a href="${linUnhappy}" title="看不满意的 2 件">2</a>`);
    expect(cadres).not.toContain('cadre=q-farm-b&amp;unsatisfied=1');
    expect(cadres).not.toContain('cadre=q-office&amp;unsatisfied=1');
    const list = await page(linUnhappy.replaceAll('&amp;', '&'));
    expect(list).toContain('共 2 件（干部：林技术员，不满意）');
    expect(list).toContain(`#${wang}`);
    expect(list).toContain(`#${zhao}`);
    expect(list).toContain('不满意：还是长不好');
    expect(list).toContain('不满意：还是没人来');
    // Every figure that opens cases opens as many as it says, in each table and its 合计.
    for (const table of ['/cadres?month=2026-12', '/departments?month=2026-12', '/villages?month=2026-12']) {
      for (const m of (await page(table)).matchAll(/<a href="([^"]+)" title="看[^"]+的 (\d+) 件">/g)) {
        const html = await page(m[1]!.replaceAll('&amp;', '&'));
        expect(html, `${table} ${m[1]}`).toContain(`共 ${m[2]} 件`);
        expect([...html.matchAll(/<a href="\/cases\/(\d+)">/g)], `${table} ${m[1]}`).toHaveLength(Number(m[2]));
      }
    }
  });
});
