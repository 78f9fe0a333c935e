/**
 * Loads `config/*.yaml` once at start, validates each file with zod, then checks the
 * references between files. Any problem stops start-up with a message naming file, path
 * and problem; nothing reads the YAML again afterwards.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import {
  cadresFileSchema,
  departmentsFileSchema,
  rosterFileSchema,
  townshipSchema,
  villagesFileSchema,
  type Config,
} from './schema.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

const files = {
  township: ['township.yaml', townshipSchema],
  villages: ['villages.yaml', villagesFileSchema],
  departments: ['departments.yaml', departmentsFileSchema],
  cadres: ['cadres.yaml', cadresFileSchema],
  roster: ['roster.yaml', rosterFileSchema],
} as const;

export function loadConfig(configDir: string): Config {
  const problems: string[] = [];
  const parsed: Record<string, unknown> = {};
  const relative = path.relative(process.cwd(), configDir);
  const shown = relative && !relative.startsWith('..') ? relative : path.resolve(configDir);
  for (const [key, [file, schema]] of Object.entries(files)) {
    parsed[key] = readFile(path.join(configDir, file), path.join(shown, file), schema as z.ZodType, problems);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const config: Config = {
    township: parsed.township as Config['township'],
    villages: (parsed.villages as { villages: Config['villages'] }).villages,
    departments: (parsed.departments as { departments: Config['departments'] }).departments,
    cadres: (parsed.cadres as { cadres: Config['cadres'] }).cadres,
    roster: parsed.roster as Config['roster'],
  };
  // Cross-check problems start with the file name; show it where the file is.
  problems.push(...crossCheck(config).map((problem) => path.join(shown, problem.split(':')[0]!) + problem.slice(problem.indexOf(':'))));
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
}

function readFile(file: string, shown: string, schema: z.ZodType, problems: string[]): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    problems.push(`${shown}: cannot be read (missing?)`);
    return undefined;
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    for (const e of doc.errors) problems.push(`${shown}: YAML ${e.message.split('\n')[0]}`);
    return undefined;
  }
  const result = schema.safeParse(doc.toJS());
  if (!result.success) {
    for (const issue of result.error.issues) {
      problems.push(`${shown}: ${formatPath(issue.path)}: ${issue.message}`);
    }
    return undefined;
  }
  return result.data;
}

function formatPath(p: readonly PropertyKey[]): string {
  if (p.length === 0) return '(top level)';
  return p
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

/** References between files, and ambiguities a resident would trip over. */
function crossCheck(config: Config): string[] {
  const problems: string[] = [];
  const villageIds = new Set(config.villages.map((v) => v.id));
  const departmentIds = new Set(config.departments.map((d) => d.id));
  const cadres = new Map(config.cadres.map((c) => [c.id, c]));

  const duplicates = (file: string, ids: string[]) => {
    const seen = new Set<string>();
    ids.forEach((value, i) => {
      if (seen.has(value)) problems.push(`${file}: [${i}].id: "${value}" is used twice`);
      seen.add(value);
    });
  };
  duplicates('villages.yaml: villages', config.villages.map((v) => v.id));
  duplicates('departments.yaml: departments', config.departments.map((d) => d.id));
  duplicates('cadres.yaml: cadres', config.cadres.map((c) => c.id));

  const villageWords = new Map<string, string>();
  config.villages.forEach((v, i) => {
    for (const word of [v.name, ...v.aliases]) {
      const owner = villageWords.get(word);
      if (owner && owner !== v.id) {
        problems.push(`villages.yaml: villages[${i}]: "${word}" also names village "${owner}"`);
      }
      villageWords.set(word, v.id);
    }
  });

  const serviceIds = new Map<string, string>();
  config.departments.forEach((d, i) => {
    d.services.forEach((service, j) => {
      const owner = serviceIds.get(service.id);
      if (owner) problems.push(`departments.yaml: departments[${i}].services[${j}].id: "${service.id}" is also a service of "${owner}"`);
      serviceIds.set(service.id, d.id);
    });
  });

  if (!departmentIds.has(config.township.officeDepartment)) {
    problems.push(`township.yaml: officeDepartment: unknown department "${config.township.officeDepartment}"`);
  }
  if (!config.cadres.some((c) => c.role === 'office')) {
    problems.push('cadres.yaml: cadres: at least one cadre needs role "office" (the dispatcher)');
  }

  const wechatIds = new Set<string>();
  config.cadres.forEach((c, i) => {
    c.departments.forEach((d, j) => {
      if (!departmentIds.has(d)) problems.push(`cadres.yaml: cadres[${i}].departments[${j}]: unknown department "${d}"`);
    });
    c.villages.forEach((v, j) => {
      if (!villageIds.has(v)) problems.push(`cadres.yaml: cadres[${i}].villages[${j}]: unknown village "${v}"`);
    });
    if (c.wechatId) {
      if (wechatIds.has(c.wechatId)) problems.push(`cadres.yaml: cadres[${i}].wechatId: "${c.wechatId}" is used twice`);
      wechatIds.add(c.wechatId);
    }
  });

  const slotLists = [
    ['weekly', config.roster.weekly],
    ['overrides', config.roster.overrides],
  ] as const;
  for (const [list, slots] of slotLists) {
    slots.forEach((slot, i) => {
      const at = `roster.yaml: ${list}[${i}]`;
      if (!departmentIds.has(slot.department)) {
        problems.push(`${at}.department: unknown department "${slot.department}"`);
      }
      if (slot.villages !== 'all') {
        slot.villages.forEach((v, j) => {
          if (!villageIds.has(v)) problems.push(`${at}.villages[${j}]: unknown village "${v}"`);
        });
      }
      const members: [string, string][] = slot.cadres.map((c, j) => [c, `.cadres[${j}]`]);
      if (slot.backup) members.push([slot.backup, '.backup']);
      for (const [cadreId, where] of members) {
        const cadre = cadres.get(cadreId);
        if (!cadre) problems.push(`${at}${where}: unknown cadre "${cadreId}"`);
        else if (!cadre.departments.includes(slot.department) && cadre.role !== 'office') {
          problems.push(`${at}${where}: cadre "${cadreId}" is not in department "${slot.department}"`);
        }
      }
    });
  }
  config.roster.leave.forEach((l, i) => {
    if (!cadres.has(l.cadre)) problems.push(`roster.yaml: leave[${i}].cadre: unknown cadre "${l.cadre}"`);
  });
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
