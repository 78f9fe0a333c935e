/**
 * Statistics from the command line: `npm run report -- …`.
 *
 *   --month 2026-10 --by cadre|department|village --format table|csv|xlsx [--out file]
 *   --monthly 2026-10 [--out file]          the month's review workbook (一月一讲评)
 *   --cases 2026-10 [--out file]            every case of the month as CSV
 *   --department 农技站                      only one department (name, alias or id)
 *   --hash-password                          hash a dashboard password for township.yaml
 *
 * Database as for `npm run cli`: DATABASE_URL, else the embedded one under LIANXIN_DATA_DIR (then
 * named on stderr); a database without any case gets a warning.
 */
import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config/load.js';
import { loadEnv, type Env } from './config/env.js';
import { findDepartment, type Config } from './config/schema.js';
import { embeddedDataDir, withDatabase } from './db/connect.js';
import { asOfText, casesCsv, groupCsv, groupTextTable, groupWorkbook, monthlyWorkbook, reportFileName } from './services/report.service.js';
import { groupings, monthOf, parseMonth, StatsService, wholeTownship, type Grouping, type Scope } from './services/stats.service.js';
import { hashPassword } from './web/auth.js';

const usage = `usage: npm run report -- <what> [options]
  --month 2026-10 --by cadre|department|village --format table|csv|xlsx [--out file]
                              a month's figures by cadre (default), department or village;
                              table (default) prints a summary, csv/xlsx have every figure
  --monthly 2026-10 [--out file]
                              the month's review workbook (一月一讲评): definitions, one sheet per
                              grouping, bookings, hotspots and every case of the month
  --cases 2026-10 [--out file]
                              every case of the month as CSV, one row per case
  --department 农技站          only this department (name, alias or id)
  --hash-password             hash a password for township.yaml dashboard.accounts
                              (asks for it on a terminal, else reads it from standard input)`;

class UsageError extends Error {}

/**
 * The statistics of the database, saying on stderr which one when it is the embedded one, and
 * warning when it has no case at all: a table of zeros more likely means the wrong database.
 */
async function withStats<T>(env: Env, config: Config, work: (stats: StatsService) => Promise<T>): Promise<T> {
  const embedded = env.DATABASE_URL ? null : embeddedDataDir(env);
  if (embedded) console.error(`读取内置数据库 ${embedded}（未设置 DATABASE_URL）`);
  return withDatabase(env, async (db) => {
    const stats = new StatsService(db, config);
    if (!(await stats.repo.hasCases())) {
      console.error(embedded ? `数据库中没有任何案件（${embedded}）：是否忘了设置 DATABASE_URL？` : '数据库中没有任何案件：DATABASE_URL 是否指向了正确的数据库？');
    }
    return work(stats);
  });
}

/** A password from the terminal (not echoed, asked twice) or from standard input. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  }
  const ask = (prompt: string) =>
    new Promise<string>((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      // Echo nothing of what is typed.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
        if (s.includes(prompt)) process.stderr.write(prompt);
      };
      rl.question(prompt, (answer) => {
        rl.close();
        process.stderr.write('\n');
        resolve(answer);
      });
    });
  const first = await ask('密码：');
  const second = await ask('再输一次：');
  if (first !== second) throw new UsageError('两次输入的密码不一致');
  return first;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      month: { type: 'string' },
      by: { type: 'string', default: 'cadre' },
      format: { type: 'string', default: 'table' },
      out: { type: 'string' },
      monthly: { type: 'string' },
      cases: { type: 'string' },
      department: { type: 'string' },
      'hash-password': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  if (values['hash-password']) {
    const password = await readPassword();
    try {
      console.log(await hashPassword(password));
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    return;
  }

  const env = loadEnv();
  const config = loadConfig(env.LIANXIN_CONFIG_DIR);
  /** 2026-10, and as the clerk says it: 上月, 本月, 10月, 2026年10月. */
  const checkMonth = (text: string, option: string) => {
    const month = parseMonth(text, new Date(), config.township.timezone);
    if (!month) throw new UsageError(`--${option} 看不懂“${text}”，请写月份，如 2026-10、上月、10月。`);
    return month;
  };
  /** Files go where the clerk typed the command, named in full in what is printed. */
  const target = (file: string) => path.resolve(env.INIT_CWD ?? '', file);
  let scope: Scope = wholeTownship;
  /** Named in the file names, so one file per department does not overwrite another. */
  let department: string | undefined;
  if (values.department) {
    const d = findDepartment(config.departments, values.department);
    if (!d) throw new UsageError(`没有“${values.department}”这个部门。现有部门：${config.departments.map((x) => x.name).join('、')}`);
    scope = { departmentIds: [d.id] };
    department = d.name;
  }

  if (values.monthly) {
    const month = checkMonth(values.monthly, 'monthly');
    const out = target(values.out ?? reportFileName(month, 'monthly', 'xlsx', department));
    await withStats(env, config, async (stats) => writeFile(out, await monthlyWorkbook(stats, month, scope)));
    console.log(`已写入 ${out}`);
    return;
  }
  if (values.cases) {
    const month = checkMonth(values.cases, 'cases');
    const csv = await withStats(env, config, (stats) => casesCsv(stats, month, scope));
    if (values.out) {
      await writeFile(target(values.out), csv);
      console.log(`已写入 ${target(values.out)}`);
    } else process.stdout.write(csv);
    return;
  }

  const month = values.month ? checkMonth(values.month, 'month') : monthOf(new Date(), config.township.timezone);
  const by = values.by as Grouping;
  if (!groupings.includes(by)) throw new UsageError('--by 只能是 cadre（干部）、department（部门）、village（村）');
  const format = values.format;
  if (format !== 'table' && format !== 'csv' && format !== 'xlsx') throw new UsageError('--format 只能是 table、csv 或 xlsx');
  const stats = await withStats(env, config, (stats) => stats.byGroup(month, by, scope));
  if (format === 'table') {
    const text = groupTextTable(stats);
    if (values.out) await writeFile(target(values.out), `${text}\n`);
    else console.log(text);
    return;
  }
  if (format === 'csv' && !values.out) {
    process.stdout.write(groupCsv(stats));
    return;
  }
  const out = target(values.out ?? reportFileName(month, by, format, department));
  await writeFile(out, format === 'csv' ? groupCsv(stats) : await groupWorkbook(stats, asOfText(new Date(), config.township.timezone)));
  console.log(`已写入 ${out}`);
}

main().catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof ConfigError) console.error(error.message);
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
