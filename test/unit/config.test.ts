import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { dashboardSettings } from '../../src/config/schema.js';
import { samplePassword, verifyPassword } from '../../src/web/auth.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase } from '../support/database.js';

const root = path.resolve(import.meta.dirname, '../..');
const sample = path.join(root, 'config');
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lianxin-config-'));
  await cp(sample, dir, { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function edit(file: string, change: (text: string) => string): Promise<void> {
  const at = path.join(dir, file);
  await writeFile(at, change(await readFile(at, 'utf8')));
}

function problemsOf(configDir: string): string[] {
  try {
    loadConfig(configDir);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('loads the sample township: 12 villages and a community, every department with a head', () => {
    const config = loadConfig(sample);
    expect(config.villages.filter((v) => v.kind === 'village')).toHaveLength(12);
    expect(config.villages.filter((v) => v.kind === 'community')).toHaveLength(1);
    expect(config.villages.map((v) => v.name)).toEqual(
      expect.arrayContaining(['东山村', '张江村', '先进村', '新岸村', '东台村', '东岸村', '东胜村']),
    );
    for (const d of config.departments) {
      expect(config.cadres.some((c) => c.role === 'head' && c.departments.includes(d.id)), d.name).toBe(true);
    }
    expect(Object.isFrozen(config.roster.weekly)).toBe(true);
  });

  it("has a sample dashboard account whose password is the README's (the dashboard asks to change it)", async () => {
    const [account] = dashboardSettings(loadConfig(sample).township).accounts;
    expect(await verifyPassword(samplePassword, account!.passwordHash)).toBe(true);
  });

  it('names file, path and problem for an unknown cadre in the roster', async () => {
    await edit('roster.yaml', (t) => t.replace('cadres: [c-peng-deming]', 'cadres: [c-nobody]'));
    expect(problemsOf(dir)).toContainEqual(expect.stringMatching(/\/roster\.yaml: weekly\[\d+\]\.cadres\[0\]: unknown cadre "c-nobody"$/));
  });

  it('names file, path and problem for a wrong type', async () => {
    await edit('departments.yaml', (t) => t.replace(/acceptMinutes: \d+/, 'acceptMinutes: 一小时'));
    const problems = problemsOf(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/\/departments\.yaml: departments\[0\]\.sla\.acceptMinutes: /);
  });

  it('refuses a time zone that does not exist', async () => {
    await edit('township.yaml', (t) => t.replace('timezone: Asia/Shanghai', 'timezone: Asia/Shangai'));
    expect(problemsOf(dir)).toEqual([expect.stringMatching(/\/township\.yaml: timezone: must be an IANA time zone/)]);
  });

  it("reads the township's holiday dates and refuses one that is both a holiday and a workday", async () => {
    await edit('township.yaml', (t) => `${t}\ncalendar:\n  holidays: [2027-02-08, "2027-02-09"]\n  workdays: ["2027-02-06"]\n`);
    expect(loadConfig(dir).township.calendar).toEqual({ holidays: ['2027-02-08', '2027-02-09'], workdays: ['2027-02-06'] });
    await edit('township.yaml', (t) => t.replace('workdays: ["2027-02-06"]', 'workdays: ["2027-02-09"]'));
    expect(problemsOf(dir)).toEqual([expect.stringMatching(/\/township\.yaml: calendar: a date cannot be both a holiday and a workday/)]);
  });

  it('reports broken YAML and a missing file', async () => {
    await writeFile(path.join(dir, 'villages.yaml'), 'villages: [\n  - id: a');
    await rm(path.join(dir, 'cadres.yaml'));
    const problems = problemsOf(dir);
    expect(problems).toContainEqual(expect.stringMatching(/\/villages\.yaml: YAML /));
    expect(problems).toContainEqual(expect.stringMatching(/cadres\.yaml: cannot be read/));
  });

  it('makes start refuse with the message, before touching a database', async () => {
    await edit('township.yaml', (t) => t.replace('officeDepartment: dangzhengban', 'officeDepartment: nowhere'));
    const app = createApp({ configDir: dir, databaseUrl: 'postgres://127.0.0.1:1/none', logger: createLogger('silent') });
    await expect(app.start()).rejects.toThrow('/township.yaml: officeDepartment: unknown department "nowhere"');
  });

  it('makes `npm start` exit 1 with a plain message', async () => {
    await edit('roster.yaml', (t) => t.replace(/backup: c-he-jianjun/, 'backup: c-ghost'));
    const run = promisify(execFile)(path.join(root, 'node_modules/.bin/tsx'), ['src/main.ts'], {
      cwd: root,
      env: { ...process.env, LIANXIN_CONFIG_DIR: dir, LOG_LEVEL: 'silent' },
    });
    const failure = await run.then(() => null, (error: { code: number; stderr: string }) => error);
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/^Invalid configuration:\n  \S+\/roster\.yaml: weekly\[\d+\]\.backup: unknown cadre "c-ghost"\n$/);
  });

  it('makes `npm start` against a database that does not exist exit 1 with the message and what to check', async () => {
    const run = promisify(execFile)(path.join(root, 'node_modules/.bin/tsx'), ['src/main.ts', '--role', 'worker'], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: `${process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'}_no_such_db` },
    });
    const failure = await run.then(() => null, (error: { code: number; stderr: string }) => error);
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/^database "\S+_no_such_db" does not exist\n\(check DATABASE_URL\)\n$/);
  });

  it('makes `npm run cli -- bind-code` with a name two cadres share ask for the id', async () => {
    await edit('cadres.yaml', (t) => t.replace('name: 彭学文', 'name: 谭晓燕'));
    const database = await createTestDatabase();
    try {
      const run = promisify(execFile)(path.join(root, 'node_modules/.bin/tsx'), ['src/cli.ts', 'bind-code', '谭晓燕'], {
        cwd: root,
        env: { ...process.env, LIANXIN_CONFIG_DIR: dir, LOG_LEVEL: 'silent', DATABASE_URL: database.url },
      });
      const failure = await run.then(() => null, (error: { code: number; stderr: string }) => error);
      expect(failure?.code).toBe(1);
      expect(failure?.stderr).toBe('2 cadres are named "谭晓燕": give the id, one of c-tan-xiaoyan, c-peng-xuewen\n');
    } finally {
      await database.drop();
    }
  });

  it('makes `npm run cli -- migrate --revert` undo the latest migration, and `migrate` bring it back', async () => {
    const database = await createTestDatabase();
    const cli = (...args: string[]) =>
      promisify(execFile)(path.join(root, 'node_modules/.bin/tsx'), ['src/cli.ts', ...args], {
        cwd: root,
        env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: database.url },
      });
    const client = new pg.Client({ connectionString: database.url });
    try {
      expect((await cli('migrate')).stdout).toBe('database schema is up to date\n');
      expect((await cli('migrate', '--revert')).stdout).toMatch(/^reverted CadreRatings1764280000000; /);
      expect((await cli('migrate', '--revert')).stdout).toMatch(/^reverted UnsatisfiedKept1764270000000; /);
      // A second run undoes the one before: nothing is migrated forward first.
      expect((await cli('migrate', '--revert')).stdout).toMatch(/^reverted CadreLeaves1764250000000; /);
      expect((await cli('migrate', '--revert')).stdout).toMatch(/^reverted HeldMedia1764240000000; /);
      expect((await cli('migrate', '--revert')).stdout).toMatch(/^reverted QuietHours1764230000000; /);
      expect((await cli('migrate', '--revert')).stdout).toMatch(/^reverted RelayOrder1764220000000; /);
      expect((await cli('migrate', '--revert')).stdout).toMatch(/^reverted LimitsDue1764210000000; /);
      await client.connect();
      const column = `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'cases' AND column_name = 'response_missed'`;
      const leaves = `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'cadre_leaves'`;
      expect((await client.query(column)).rows).toEqual([{ n: 0 }]);
      expect((await client.query(leaves)).rows).toEqual([{ n: 0 }]);
      await cli('migrate');
      expect((await client.query(column)).rows).toEqual([{ n: 1 }]);
      expect((await client.query(leaves)).rows).toEqual([{ n: 1 }]);
    } finally {
      await client.end();
      await database.drop();
    }
  }, 120_000); // nine CLI runs, each starting tsx

  it('makes `npm start` with a mistyped option exit 1 with the usage, not a stack trace', async () => {
    const run = promisify(execFile)(path.join(root, 'node_modules/.bin/tsx'), ['src/main.ts', '--roles', 'worker'], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    const failure = await run.then(() => null, (error: { code: number; stderr: string }) => error);
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/^Unknown option '--roles'.*\nusage: npm start \[-- --role bot\|worker\|web \.\.\.\]/s);
    expect(failure?.stderr).not.toContain('    at ');
  });
});
