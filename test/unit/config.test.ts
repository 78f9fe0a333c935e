import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { EnvError, loadEnv } from '../../src/config/env.js';
import { ConfigError, configWarnings, loadConfig } from '../../src/config/load.js';
import { dashboardSettings } from '../../src/config/schema.js';
import { samplePassword, verifyPassword } from '../../src/web/auth.js';
import { createLogger } from '../../src/logger.js';
import { createDataSource } from '../../src/db/data-source.js';
import { createTestDatabase } from '../support/database.js';
import { startHarness } from '../support/harness.js';

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
    expect(problemsOf(dir)).toContainEqual(expect.stringMatching(/\/roster\.yaml:41: weekly\[\d+\]\.cadres\[0\]: unknown cadre "c-nobody"$/));
  });

  it('names file, path and problem for a wrong type', async () => {
    await edit('departments.yaml', (t) => t.replace(/acceptMinutes: \d+/, 'acceptMinutes: 一小时'));
    const problems = problemsOf(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/\/departments\.yaml:\d+: departments\[0\]\.sla\.acceptMinutes: must be a number, not "一小时"$/);
  });

  it('refuses a time zone that does not exist', async () => {
    await edit('township.yaml', (t) => t.replace('timezone: Asia/Shanghai', 'timezone: Asia/Shangai'));
    expect(problemsOf(dir)).toEqual([expect.stringMatching(/\/township\.yaml:\d+: timezone: must be an IANA time zone/)]);
  });

  it("reads the township's holiday dates and refuses one that is both a holiday and a workday", async () => {
    await edit('township.yaml', (t) => `${t}\ncalendar:\n  holidays: [2027-02-08, "2027-02-09"]\n  workdays: ["2027-02-06"]\n`);
    expect(loadConfig(dir).township.calendar).toEqual({ holidays: ['2027-02-08', '2027-02-09'], workdays: ['2027-02-06'] });
    await edit('township.yaml', (t) => t.replace('workdays: ["2027-02-06"]', 'workdays: ["2027-02-09"]'));
    expect(problemsOf(dir)).toEqual([expect.stringMatching(/\/township\.yaml:\d+: calendar: a date cannot be both a holiday and a workday/)]);
  });

  it('reports broken YAML and a missing file', async () => {
    await writeFile(path.join(dir, 'villages.yaml'), 'villages: [\n  - id: a');
    await rm(path.join(dir, 'cadres.yaml'));
    const problems = problemsOf(dir);
    expect(problems).toContainEqual(expect.stringMatching(/\/villages\.yaml:\d+: YAML syntax: /));
    expect(problems).toContainEqual(expect.stringMatching(/cadres\.yaml: cannot be read/));
  });

  it('reports broken YAML once, at its line, with what is written there', async () => {
    // One space short of the list's indentation: the yaml parser finds six errors in it.
    await edit('villages.yaml', (t) => t.replace('  - id: chengdong', ' - id: chengdong'));
    const line = (await readFile(path.join(dir, 'villages.yaml'), 'utf8')).split('\n').indexOf(' - id: chengdong') + 1;
    expect(problemsOf(dir)).toEqual([expect.stringMatching(new RegExp(`/villages\\.yaml:${line}: YAML syntax: .* in " - id: chengdong"$`))]);
  });

  it('says in one line that the folder is missing, or holds none of the files, naming LIANXIN_CONFIG_DIR', async () => {
    expect(problemsOf(path.join(dir, 'nowhere'))).toEqual([expect.stringMatching(/\/nowhere: no such folder\. LIANXIN_CONFIG_DIR names the folder with township\.yaml, /)]);
    expect(problemsOf(path.dirname(dir))).toEqual([expect.stringMatching(/: none of township\.yaml, .* is in this folder\. LIANXIN_CONFIG_DIR names the folder/)]);
  });

  it("tells the id to write where a department, village or cadre is named instead", async () => {
    await edit('roster.yaml', (t) => t.replace('  - department: nongjizhan', '  - department: 农技站').replace('cadres: [c-peng-deming]', 'cadres: [彭德明]'));
    await edit('cadres.yaml', (t) => t.replace('villages: [dongshan, chengdong,', 'villages: [东山村, chengdong,'));
    await edit('township.yaml', (t) => t.replace('officeDepartment: dangzhengban', 'officeDepartment: 党政办'));
    expect(problemsOf(dir)).toEqual([
      expect.stringMatching(/\/township\.yaml:\d+: officeDepartment: unknown department "党政办": write its id, "dangzhengban"$/),
      expect.stringMatching(/\/cadres\.yaml:\d+: cadres\[\d+\]\.villages\[0\]: unknown village "东山村": write its id, "dongshan"$/),
      expect.stringMatching(/\/roster\.yaml:38: weekly\[\d+\]\.department: unknown department "农技站": write its id, "nongjizhan"$/),
      expect.stringMatching(/\/roster\.yaml:41: weekly\[\d+\]\.cadres\[0\]: unknown cadre "彭德明": write its id, "c-peng-deming"$/),
    ]);
  });

  it('lists the ids of a small file beside an unknown one, and does not repeat a wrong department at every slot', async () => {
    const small = path.join(root, 'test/fixtures/qingshan');
    await cp(small, dir, { recursive: true });
    const cadres = await readFile(path.join(dir, 'cadres.yaml'), 'utf8');
    const [, wrongId, department] = /id: (\S+)[^]*?departments: \[(\w+)\]/.exec(cadres)!;
    await edit('cadres.yaml', (t) => t.replace(`departments: [${department}]`, `departments: [${department}x]`));
    const problems = problemsOf(dir);
    expect(problems).toEqual([expect.stringMatching(new RegExp(`cadres\\.yaml:\\d+: cadres\\[0\\]\\.departments\\[0\\]: unknown department "${department}x"; departments\\.yaml has \\S+, `))]);
    expect(problems.join('\n')).not.toContain(`cadre "${wrongId}" is not in department`);
  });

  it('says a required field is missing, and which fields a misspelt one could be', async () => {
    await edit('departments.yaml', (t) => t.replace(/, resolveMinutes: \d+ \}/, ' }'));
    await edit('villages.yaml', (t) => t.replace('aliases: [', 'alias: ['));
    await edit('roster.yaml', (t) => t.replace('    days: workdays\n', ''));
    expect(problemsOf(dir)).toEqual([
      expect.stringMatching(/\/villages\.yaml:\d+: villages\[\d+\]: unknown field "alias"; the fields here are id, name, kind, aliases$/),
      expect.stringMatching(/\/departments\.yaml:\d+: departments\[0\]\.sla\.resolveMinutes: is missing \(required\)$/),
      expect.stringMatching(/\/roster\.yaml:\d+: weekly\[0\]\.days: is missing \(required\)$/),
    ]);
  });

  it('gives one message, with what was written, for a mistyped time, day rule or date, and refuses a day no calendar has', async () => {
    await edit('township.yaml', (t) => t.replace('{ start: "08:30", end: "12:00" }', '{ start: "8:30", end: "12:00" }'));
    await edit('roster.yaml', (t) => t.replace('    days: workdays', '    days: weekdays').replace('from: "2026-12-07"', 'from: "2026-02-30"'));
    expect(problemsOf(dir)).toEqual([
      expect.stringMatching(/\/township\.yaml:\d+: workingHours\[0\]\.start: must be a time like "08:30", not "8:30"$/),
      expect.stringMatching(/\/roster\.yaml:\d+: weekly\[0\]\.days: must be workdays, restdays, everyday or a list of days such as \[sat, sun\], not "weekdays"$/),
      expect.stringMatching(/\/roster\.yaml:\d+: leave\[\d+\]\.from: must be a day of the calendar, not "2026-02-30"$/),
    ]);
  });

  it('warns (without refusing) of villages no duty slot of a department serves: their cases go to its head', async () => {
    expect(configWarnings(loadConfig(dir))).toEqual([]);
    await edit('roster.yaml', (t) => t.replace('villages: *south\n    cadres: [c-li-haiping]', 'villages: [dongtai]\n    cadres: [c-li-haiping]'));
    expect(configWarnings(loadConfig(dir))).toEqual([
      expect.stringMatching(/^roster\.yaml: weekly: no duty slot of 移民办 \(yiminban\) serves 东岸村, 东胜村, .*: their cases go to its head, \S+ \(c-[a-z-]+\)$/),
    ]);
  });

  it('logs at start who was taken out of cadres.yaml while holding open cases, and who has no WeChat yet', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({ write: (chunk: Buffer, _e, done) => done(void lines.push(...chunk.toString().split('\n').filter(Boolean))) }));
    const h = await startHarness({ configDir: dir });
    try {
      const he = await h.cadre('c-he-jianjun');
      await h.cadre('c-peng-deming');
      const resident = h.resident('王大妈');
      await h.query(`INSERT INTO residents (wechat_id, name, village_id, created_at, updated_at) VALUES ($1, '王大妈', 'dongtai', now(), now())`, [resident.id]);
      resident.say('我家秧苗发黄，是不是病虫害');
      await he.waitForMessages(1);
      // 贺建军 moves away: cadres.yaml and the roster have another colleague in his place.
      for (const file of ['cadres.yaml', 'roster.yaml']) await edit(file, (t) => t.replaceAll('c-he-jianjun', 'c-xu-jianjun').replace('name: 贺建军', 'name: 徐建军'));
      await h.startApp({ configDir: dir, roles: [], logger });
      const messages = lines.map((line) => JSON.parse(line) as { level: number; msg: string });
      expect(messages).toContainEqual(
        expect.objectContaining({
          level: 40,
          cadre: 'c-he-jianjun',
          cases: [1001],
          msg: '贺建军 (c-he-jianjun) is no longer in cadres.yaml but holds open cases #1001: nobody is reminded of them. A head or the office gives each to someone else in WeChat: 派单 1001 干部姓名',
        }),
      );
      expect(messages).toContainEqual(
        expect.objectContaining({ level: 30, msg: expect.stringMatching(/^30 of 31 cadres have no WeChat bound yet and see none of their cases until they do: (?!.*彭德明).*徐建军.*\. Make each a code with: npm run cli -- bind-code 姓名$/) }),
      );
    } finally {
      await h.stop();
    }
  }, 60_000);

  it("refuses a department name or alias that names another department too", async () => {
    await edit('departments.yaml', (t) => t.replace('aliases: [农技推广站, 农业站, 农技员]', 'aliases: [农技推广站, 农业站, 农技员, 党政办]'));
    expect(problemsOf(dir)).toEqual([expect.stringMatching(/\/departments\.yaml:\d+: departments\[\d+\]: "党政办" also names department "nongjizhan"$/)]);
  });

  it('makes start refuse with the message, before touching a database', async () => {
    await edit('township.yaml', (t) => t.replace('officeDepartment: dangzhengban', 'officeDepartment: nowhere'));
    const app = createApp({ configDir: dir, databaseUrl: 'postgres://127.0.0.1:1/none', logger: createLogger('silent') });
    await expect(app.start()).rejects.toThrow(/\/township\.yaml:\d+: officeDepartment: unknown department "nowhere"/);
  });

  it('makes `npm start` exit 1 with a plain message', async () => {
    await edit('roster.yaml', (t) => t.replace(/backup: c-he-jianjun/, 'backup: c-ghost'));
    const run = promisify(execFile)(path.join(root, 'node_modules/.bin/tsx'), ['src/main.ts'], {
      cwd: root,
      env: { ...process.env, LIANXIN_CONFIG_DIR: dir, LOG_LEVEL: 'silent' },
    });
    const failure = await run.then(() => null, (error: { code: number; stderr: string }) => error);
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/^Invalid configuration:\n  \S+\/roster\.yaml:\d+: weekly\[\d+\]\.backup: unknown cadre "c-ghost"\n$/);
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

  it('makes `npm run cli -- bind-code` ask for the id of a name two cadres share, and name the cadre a mistyped name meant', async () => {
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
      // A name typed from memory, with a character of the same sound: the one meant, no code made.
      const typo = await promisify(execFile)(path.join(root, 'node_modules/.bin/tsx'), ['src/cli.ts', 'bind-code', '彭德名'], {
        cwd: root,
        env: { ...process.env, LIANXIN_CONFIG_DIR: dir, LOG_LEVEL: 'silent', DATABASE_URL: database.url },
      }).then(() => null, (error: { code: number; stderr: string }) => error);
      expect(typo?.code).toBe(1);
      expect(typo?.stderr).toBe('no cadre with id or name "彭德名" in cadres.yaml; did you mean 彭德明 (c-peng-deming)?\n');
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      expect((await client.query('SELECT count(*)::int AS n FROM bind_codes')).rows).toEqual([{ n: 0 }]);
      await client.end();
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
    const dataSource = createDataSource({ url: database.url, poolSize: 1 });
    try {
      expect((await cli('migrate')).stdout).toMatch(/^applied \d{2} migrations; the database schema is up to date\n$/);
      expect((await cli('migrate')).stdout).toBe('database schema is up to date\n');
      expect((await cli('migrate', '--revert')).stdout).toMatch(/^reverted BookingWords1764300000000; /);
      // A second run undoes the one before: nothing is migrated forward first.
      expect((await cli('migrate', '--revert')).stdout).toMatch(/^reverted CaseLists1764290000000; /);
      // The rest of each down() as the CLI runs it, in this process (a tsx start each is slow).
      await dataSource.initialize();
      const reverted: string[] = [];
      for (let i = 0; i < 7; i++) {
        const [last]: { name: string }[] = await dataSource.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`);
        await dataSource.undoLastMigration({ transaction: 'each' });
        reverted.push(last!.name);
      }
      expect(reverted).toEqual([
        'CadreRatings1764280000000',
        'UnsatisfiedKept1764270000000',
        'CadreLeaves1764250000000',
        'HeldMedia1764240000000',
        'QuietHours1764230000000',
        'RelayOrder1764220000000',
        'LimitsDue1764210000000',
      ]);
      await client.connect();
      const column = `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'cases' AND column_name = 'response_missed'`;
      const leaves = `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'cadre_leaves'`;
      expect((await client.query(column)).rows).toEqual([{ n: 0 }]);
      expect((await client.query(leaves)).rows).toEqual([{ n: 0 }]);
      expect((await cli('migrate')).stdout).toBe('applied 9 migrations; the database schema is up to date\n');
      expect((await client.query(column)).rows).toEqual([{ n: 1 }]);
      expect((await client.query(leaves)).rows).toEqual([{ n: 1 }]);
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
      await client.end();
      await database.drop();
    }
  }, 120_000); // five CLI runs, each starting tsx

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

describe('environment', () => {
  const problemOf = (env: NodeJS.ProcessEnv) => {
    try {
      loadEnv(env);
    } catch (error) {
      if (error instanceof EnvError) return error.message;
      throw error;
    }
    return null;
  };

  it('refuses a LIANXIN_ variable lianxin does not read (the sample township would start instead), naming the one meant', () => {
    expect(problemOf({ LIANXIN_CONFIG: 'mytown' })).toBe(
      'Invalid environment:\n  LIANXIN_CONFIG: lianxin has no such setting; did you mean LIANXIN_CONFIG_DIR?',
    );
    expect(problemOf({ LIANXIN_PORT: '80' })).toMatch(/LIANXIN_PORT: lianxin has no such setting; its settings are LIANXIN_CONFIG_DIR, .*LIANXIN_WEB_PORT$/);
  });

  it('says what a database or Redis URL and a port must look like, with what was set, a password left out', () => {
    expect(problemOf({ DATABASE_URL: 'lianxin:secret@127.0.0.1:5432/lianxin' })).toBe(
      'Invalid environment:\n  DATABASE_URL: must start with postgres:// or postgresql://, e.g. postgres://lianxin:password@127.0.0.1:5432/lianxin, not "lianxin:***@127.0.0.1:5432/lianxin"',
    );
    expect(problemOf({ DATABASE_URL: 'postgresql://lianxin:secret@db/lianxin', REDIS_URL: 'http://lianxin:secret@127.0.0.1:6379' })).toBe(
      'Invalid environment:\n  REDIS_URL: must start with redis:// or rediss://, e.g. redis://127.0.0.1:6379, not "http://lianxin:***@127.0.0.1:6379"',
    );
    expect(problemOf({ LIANXIN_WEB_PORT: '80a' })).toBe('Invalid environment:\n  LIANXIN_WEB_PORT: must be a port number, 0–65535, not "80a"');
    expect(problemOf({ DATABASE_URL: 'postgres://127.0.0.1/lianxin', REDIS_URL: 'rediss://r', LIANXIN_WEB_PORT: '8081' })).toBeNull();
  });

  it('makes `npm start` with a variable set wrongly exit 1 with the message, not a stack trace', async () => {
    const run = promisify(execFile)(path.join(root, 'node_modules/.bin/tsx'), ['src/main.ts'], {
      cwd: root,
      // Its own data folder and queue prefix: without the check lianxin would start the sample township
      // and run on (stopped by the timeout), and should touch nothing shared.
      env: { ...process.env, LOG_LEVEL: 'silent', LIANXIN_CONFIG: dir, LIANXIN_DATA_DIR: path.join(dir, 'data'), LIANXIN_QUEUE_PREFIX: `t-env-${path.basename(dir)}` },
      timeout: 15_000,
    });
    const failure = await run.then(() => null, (error: { code: number; stderr: string }) => error);
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toBe('Invalid environment:\n  LIANXIN_CONFIG: lianxin has no such setting; did you mean LIANXIN_CONFIG_DIR?\n');
  });
});
