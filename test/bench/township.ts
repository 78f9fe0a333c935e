/**
 * A generated township for benchmarks and fault runs: villages, cadres with stable WeChat ids,
 * a roster that has someone on duty for every village × department at every hour (so routing
 * does not depend on when the run happens), the sample departments with their real keywords,
 * and residents pre-registered in a village so that every message opens a case at once.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { DepartmentClassifier } from '../../src/domain/classify.js';

import { sampleConfigDir } from '../support/paths.js';

export interface TownshipOptions {
  /** Villages. Default 13 (like the sample). */
  villages?: number;
  /** Cadres on duty per department, besides its head. Default 3. */
  cadresPerDepartment?: number;
  /** `township.outbound`: the pace of the bot. Default 1500 ms per recipient, 5 per second. */
  outbound?: { perRecipientIntervalMs: number; globalPerSecond: number };
  /**
   * Check each message template with the real classifier. Default true; the benchmark turns it
   * off because a second jieba instance (~35 MB) in its process would count against the app's
   * memory — a template that did not classify would show there as messages never acknowledged.
   */
  verifyTemplates?: boolean;
  /** `township.residentMessagesPerMinute` (the flood limit). Default: the schema's default. */
  residentMessagesPerMinute?: number;
}

export interface Township {
  configDir: string;
  config: Config;
  /** Cadres with their configured WeChat ids. */
  cadres: { id: string; name: string; wechatId: string }[];
  /** One message per department that the classifier places there with confidence (not urgent). */
  templates: { departmentId: string; text: string }[];
  remove(): Promise<void>;
}

const firstSyllables = [...'东西南北上下前后新老大小青白金石'];
const secondSyllables = [...'山岭河湾塘坪冲桥林田'];
const surnames = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'];
const givenNames = ['建国', '丽华', '志强', '晓燕', '德明', '春林', '秀英', '国平', '海燕', '红梅', '卫东', '桂兰', '振华', '玉兰', '新民', '金凤'];

/** Writes the five YAML files to a fresh temporary folder and loads them as the app will. */
export async function generateTownship(options: TownshipOptions = {}): Promise<Township> {
  const villageCount = options.villages ?? 13;
  const perDepartment = options.cadresPerDepartment ?? 3;
  if (villageCount > firstSyllables.length * secondSyllables.length) throw new Error(`at most ${firstSyllables.length * secondSyllables.length} villages`);

  const departmentsYaml = await readFile(path.join(sampleConfigDir, 'departments.yaml'), 'utf8');
  const sample = loadConfig(sampleConfigDir);
  const office = sample.township.officeDepartment;

  const villages = Array.from({ length: villageCount }, (_, i) => ({
    id: `v${String(i + 1).padStart(3, '0')}`,
    name: `${firstSyllables[Math.floor(i / secondSyllables.length)]}${secondSyllables[i % secondSyllables.length]}村`,
  }));

  let n = 0;
  const nextName = () => {
    const name = `${surnames[n % surnames.length]}${givenNames[Math.floor(n / surnames.length) % givenNames.length]}`;
    n += 1;
    return name;
  };
  const cadres: { id: string; name: string; title: string; role: 'cadre' | 'head' | 'office'; departments: string[]; wechatId: string }[] = [];
  const weekly: Record<string, unknown>[] = [];
  for (const department of sample.departments) {
    const head = { id: `c-${department.id}-head`, name: nextName(), title: `${department.name}负责人`, role: 'head' as const, departments: [department.id], wechatId: `wxid_bench_${department.id}_head` };
    const staff = Array.from({ length: perDepartment }, (_, i) => ({
      id: `c-${department.id}-${i + 1}`,
      name: nextName(),
      title: department.id === office ? '值班员' : `${department.name}干部`,
      role: department.id === office ? ('office' as const) : ('cadre' as const),
      departments: [department.id],
      wechatId: `wxid_bench_${department.id}_${i + 1}`,
    }));
    cadres.push(head, ...staff);
    weekly.push({ department: department.id, days: 'everyday', villages: 'all', cadres: staff.map((c) => c.id), backup: head.id });
  }

  const township = {
    name: '基准乡',
    timezone: 'Asia/Shanghai',
    workingHours: sample.township.workingHours,
    officeDepartment: office,
    classification: sample.township.classification,
    outbound: options.outbound ?? { perRecipientIntervalMs: 1500, globalPerSecond: 5 },
    ...(options.residentMessagesPerMinute ? { residentMessagesPerMinute: options.residentMessagesPerMinute } : {}),
  };

  const configDir = await mkdtemp(path.join(os.tmpdir(), 'lianxin-township-'));
  await writeFile(path.join(configDir, 'township.yaml'), stringify(township));
  await writeFile(path.join(configDir, 'villages.yaml'), stringify({ villages }));
  await writeFile(path.join(configDir, 'departments.yaml'), departmentsYaml);
  await writeFile(path.join(configDir, 'cadres.yaml'), stringify({ cadres }));
  await writeFile(path.join(configDir, 'roster.yaml'), stringify({ weekly }));
  const config = loadConfig(configDir);

  return {
    configDir,
    config,
    cadres: cadres.map(({ id, name, wechatId }) => ({ id, name, wechatId })),
    templates: messageTemplates(config, options.verifyTemplates ?? true),
    remove: () => rm(configDir, { recursive: true, force: true }),
  };
}

/**
 * For each department but the office, a plain sentence around one of its strong keywords, kept
 * only when the real classifier places it there, confidently and not as urgent.
 */
export function messageTemplates(config: Config, verify = true): { departmentId: string; text: string }[] {
  const classifier = verify ? new DepartmentClassifier(config.departments, config.township.classification) : null;
  const templates: { departmentId: string; text: string }[] = [];
  for (const department of config.departments) {
    if (department.id === config.township.officeDepartment) continue;
    for (const keyword of department.keywords.filter((k) => k.weight >= 2)) {
      const text = `${keyword.word}的事想请你们看一下`;
      const result = classifier?.classify(text) ?? { departmentId: department.id, urgent: false };
      if (result.departmentId === department.id && !result.urgent) {
        templates.push({ departmentId: department.id, text });
        break;
      }
    }
  }
  if (templates.length === 0) throw new Error('no message template classifies with confidence');
  return templates;
}

/** Residents' WeChat ids and names: `r000001` …; ids have no "@" (the mock takes those for rooms). */
export function residentIds(count: number): { wechatId: string; name: string }[] {
  return Array.from({ length: count }, (_, i) => ({ wechatId: `r${String(i + 1).padStart(6, '0')}`, name: `居民${i + 1}` }));
}

/** Registers residents in villages (round robin), as if each had answered the village question. */
export async function registerResidents(
  query: (sql: string, params: unknown[]) => Promise<unknown>,
  residents: readonly { wechatId: string; name: string }[],
  villageIds: readonly string[],
): Promise<void> {
  for (let start = 0; start < residents.length; start += 5000) {
    const chunk = residents.slice(start, start + 5000);
    await query(
      `INSERT INTO residents (wechat_id, name, village_id, created_at, updated_at)
       SELECT w, n, v, now(), now() FROM unnest($1::text[], $2::text[], $3::text[]) AS t(w, n, v)`,
      [chunk.map((r) => r.wechatId), chunk.map((r) => r.name), chunk.map((_, i) => villageIds[(start + i) % villageIds.length]!)],
    );
  }
}
