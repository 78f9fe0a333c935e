/**
 * `npm run report` as the office runs it: a child process with its own environment. One
 * department's files carry its name; the embedded database is named on stderr, and a database
 * without any case is pointed out (a table of zeros otherwise looks like a quiet month).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { Database } from '../../src/db/database.js';
import { openDataSource } from '../../src/db/data-source.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { repoRoot } from '../support/paths.js';
import { local } from '../unit/fixtures.js';

const qingshan = path.join(repoRoot, 'test/fixtures/qingshan');

let dir: string;
let database: TestDatabase;

/**
 * Runs `npm run report -- …args` typed in `dir`: npm runs it from the package's folder and says
 * where it was typed in INIT_CWD. The repository's tsconfig (decorators); DATABASE_URL only when given.
 */
async function report(args: string[], databaseUrl?: string): Promise<{ stdout: string; stderr: string }> {
  const { DATABASE_URL: _ignored, ...env } = process.env;
  return promisify(execFile)(path.join(repoRoot, 'node_modules/.bin/tsx'), ['--tsconfig', path.join(repoRoot, 'tsconfig.json'), path.join(repoRoot, 'src/report.ts'), ...args], {
    cwd: repoRoot,
    env: { ...env, INIT_CWD: dir, LIANXIN_CONFIG_DIR: qingshan, LIANXIN_DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'silent', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) },
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lianxin-report-'));
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('npm run report', () => {
  it('says which database it reads when it is the embedded one, and that it has no case', async () => {
    const { stdout, stderr } = await report(['--month', '2026-10']);
    const where = path.join(dir, 'data', 'pg');
    expect(stderr.trimEnd().split('\n')).toEqual([
      `读取内置数据库 ${where}（未设置 DATABASE_URL）`,
      `数据库中没有任何案件（${where}）：是否忘了设置 DATABASE_URL？`,
    ]);
    expect(stdout).toContain('2026年10月 · 全乡镇 · 按干部');
  }, 120_000);

  it('reads months as the clerk writes them, and says in Chinese what it cannot read', async () => {
    const written = await report(['--month', '2026年10月', '--department', '农业'], database.url);
    expect(written.stdout.split('\n')[0]).toMatch(/^2026年10月 · 农业站 · 按干部（/);
    const wrong = await report(['--month', '2026-13'], database.url).catch((error: { stderr: string; code: number }) => error);
    expect(wrong).toMatchObject({ code: 1 });
    expect((wrong as { stderr: string }).stderr).toContain('--month 看不懂“2026-13”，请写月份，如 2026-10、上月、10月。');
  }, 60_000);

  it('warns about a DATABASE_URL without any case; names the department in the table and the file', async () => {
    const empty = await report(['--month', '2026-10', '--department', '农业站'], database.url);
    expect(empty.stderr.trimEnd()).toBe('数据库中没有任何案件：DATABASE_URL 是否指向了正确的数据库？');
    expect(empty.stdout.split('\n')[0]).toMatch(/^2026年10月 · 农业站 · 按干部（/);

    const dataSource = await openDataSource({ url: database.url, poolSize: 1 });
    try {
      await new Database(dataSource).cadres.sync(loadConfig(qingshan).cadres, new Date());
      // 周大爷 has no WeChat: 吴 filed this case for him (代办); 林 files for him now.
      const [resident] = await dataSource.query(
        `INSERT INTO residents (name, village_id, relay_cadre_id, created_at, updated_at) VALUES ('周大爷', 'qingshan', 'q-farm-a', now(), now()) RETURNING id`,
      );
      const [kase] = await dataSource.query(
        `INSERT INTO cases (resident_id, village_id, department_id, status, priority, assignee_id, description, created_at,
           assigned_at, dispatched_at, first_response_due_at, resolve_due_at, updated_at)
         VALUES ($1, 'qingshan', 'farm', 'assigned', 'normal', 'q-farm-a', '柑橘叶子发黄', $2, $2, $2, $2, $2, $2) RETURNING id`,
        [resident.id, local('2026-10-13 09:00')],
      );
      await dataSource.query(
        `INSERT INTO case_events (case_id, at, actor_type, actor_id, type, data) VALUES ($1, $2, 'resident', $3, 'created', $4)`,
        [kase.id, local('2026-10-13 09:00'), String(resident.id), { villageId: 'qingshan', departmentId: 'farm', relayedBy: 'q-farm-b' }],
      );
    } finally {
      await dataSource.destroy();
    }

    const monthly = await report(['--monthly', '2026-10', '--department', '农业站'], database.url);
    expect(monthly.stderr).toBe('');
    expect(monthly.stdout.trim()).toBe(`已写入 ${path.join(dir, '连心统计-2026-10-农业站-月度讲评.xlsx')}`);
    await report(['--monthly', '2026-10'], database.url);
    expect((await readdir(dir)).filter((f) => f.endsWith('.xlsx')).sort()).toEqual(['连心统计-2026-10-农业站-月度讲评.xlsx', '连心统计-2026-10-月度讲评.xlsx']);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path.join(dir, '连心统计-2026-10-农业站-月度讲评.xlsx'));
    // As of when the command ran, in township time.
    expect(book.getWorksheet('说明')!.getCell('A1').value).toMatch(/^2026年10月 农业站 讲评数据 · 统计口径（数据截至 \d{4}-\d\d-\d\d \d\d:\d\d）$/);
    expect(book.getWorksheet('按部门')!.getCell('A1').value).toMatch(/^2026年10月 农业站 按部门统计（数据截至 \d{4}-\d\d-\d\d \d\d:\d\d；较上月：派单为件，各率为百分点；口径见“说明”）$/);
    const cases = book.getWorksheet('案件明细')!;
    const column = (cases.getRow(1).values as unknown[]).indexOf('代办干部');
    expect(cases.getRow(2).getCell(column).value).toBe('吴技术员');
  }, 120_000);
});
