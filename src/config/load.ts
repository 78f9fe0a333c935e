/**
 * Loads `config/*.yaml` once at start, validates each file with zod, then checks the
 * references between files. Any problem stops start-up with a message naming file, line, path
 * and problem; nothing reads the YAML again afterwards.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
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

type FileKey = keyof typeof files;

/** A problem at `path` inside one file. */
interface Problem {
  file: FileKey;
  path: readonly PropertyKey[];
  message: string;
}

/** A file as read: its YAML document, to find the line of a path in. */
interface Source {
  shown: string;
  doc?: Document;
  lines?: LineCounter;
}

export function loadConfig(configDir: string): Config {
  const relative = path.relative(process.cwd(), configDir);
  const shownDir = relative && !relative.startsWith('..') ? relative : path.resolve(configDir);
  const folderProblem = checkFolder(configDir, shownDir);
  if (folderProblem) throw new ConfigError([folderProblem]);

  const problems: string[] = [];
  const sources = {} as Record<FileKey, Source>;
  const parsed: Partial<Record<FileKey, unknown>> = {};
  for (const [key, [file, schema]] of Object.entries(files) as [FileKey, (typeof files)[FileKey]][]) {
    sources[key] = { shown: path.join(shownDir, file) };
    parsed[key] = readFile(path.join(configDir, file), sources[key], schema as z.ZodType, problems);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const config: Config = {
    township: parsed.township as Config['township'],
    villages: (parsed.villages as { villages: Config['villages'] }).villages,
    departments: (parsed.departments as { departments: Config['departments'] }).departments,
    cadres: (parsed.cadres as { cadres: Config['cadres'] }).cadres,
    roster: parsed.roster as Config['roster'],
  };
  problems.push(...crossCheck(config).map((p) => describe(sources[p.file], p.path, p.message)));
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
}

/**
 * What is allowed but most likely unmeant, said by `check-config` and logged at start: a
 * department whose roster serves none or only some of the villages, so that their cases go
 * straight to its head, or to the office dispatcher when it has none.
 */
export function configWarnings(config: Config): string[] {
  const warnings: string[] = [];
  for (const d of config.departments) {
    if (d.id === config.township.officeDepartment) continue;
    const served = new Set(
      config.roster.weekly.filter((slot) => slot.department === d.id).flatMap((slot) => (slot.villages === 'all' ? config.villages.map((v) => v.id) : slot.villages)),
    );
    const unserved = config.villages.filter((v) => !served.has(v.id));
    if (unserved.length === 0) continue;
    const head = config.cadres.find((c) => c.role === 'head' && c.departments.includes(d.id));
    const to = head ? `its head, ${head.name} (${head.id})` : `the office dispatcher (${d.name} has no head)`;
    warnings.push(
      unserved.length === config.villages.length
        ? `roster.yaml: weekly: no duty slot of ${d.name} (${d.id}): all its cases go to ${to}`
        : `roster.yaml: weekly: no duty slot of ${d.name} (${d.id}) serves ${unserved.map((v) => v.name).join(', ')}: their cases go to ${to}`,
    );
  }
  return warnings;
}

/** One line for a folder that is not there or holds none of the files, instead of five "cannot be read". */
function checkFolder(configDir: string, shown: string): string | null {
  const names = Object.values(files).map(([file]) => file);
  if (!existsSync(configDir) || !statSync(configDir).isDirectory()) {
    return `${shown}: no such folder. LIANXIN_CONFIG_DIR names the folder with ${names.join(', ')}`;
  }
  if (!names.some((file) => existsSync(path.join(configDir, file)))) {
    return `${shown}: none of ${names.join(', ')} is in this folder. LIANXIN_CONFIG_DIR names the folder that holds them`;
  }
  return null;
}

function readFile(file: string, source: Source, schema: z.ZodType, problems: string[]): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    problems.push(`${source.shown}: cannot be read (missing?)`);
    return undefined;
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    // The first error is where the file goes wrong; the rest mostly follow from it.
    const first = doc.errors[0]!;
    // The error may start on the blank lines before what is wrong: name the first written one.
    const all = text.split('\n');
    let line = lines.linePos(first.pos[0]).line;
    while (line < all.length && !all[line - 1]!.trim()) line++;
    const written = all[line - 1]?.trimEnd();
    const message = first.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '');
    problems.push(`${source.shown}:${line}: YAML syntax: ${message}${written ? ` in ${JSON.stringify(written)}` : ''}`);
    return undefined;
  }
  source.doc = doc;
  source.lines = lines;
  const result = schema.safeParse(doc.toJS(), { error: issueMessage, reportInput: true });
  if (!result.success) {
    for (const issue of result.error.issues) {
      problems.push(describe(source, issue.path, withInput(issue.message, issue.input)));
    }
    return undefined;
  }
  return result.data;
}

/** `config/roster.yaml:14: weekly[1].department: …`: the line of the path, as editors jump to it. */
function describe(source: Source, at: readonly PropertyKey[], message: string): string {
  const line = lineOf(source, at);
  return `${source.shown}${line ? `:${line}` : ''}: ${formatPath(at)}: ${message}`;
}

/** The line of the deepest node of `at` the document has (a missing field: its parent's line). */
function lineOf(source: Source, at: readonly PropertyKey[]): number | null {
  if (!source.doc || !source.lines) return null;
  for (let depth = at.length; depth >= 0; depth--) {
    const node = source.doc.getIn(at.slice(0, depth) as unknown[], true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return source.lines.linePos(node.range[0]).line;
  }
  return null;
}

function formatPath(p: readonly PropertyKey[]): string {
  if (p.length === 0) return '(top level)';
  return p
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

/** The value that was written, after the message: `must be a time like "08:30", not "8:30"`. */
function withInput(message: string, input: unknown): string {
  if (typeof input === 'string') return message.includes(`"${input}"`) ? message : `${message}, not ${JSON.stringify(input)}`;
  if (typeof input === 'number' || typeof input === 'boolean') return `${message}, not ${String(input)}`;
  // `field:` with nothing after it.
  if (input === null) return `${message}, not empty`;
  return message;
}

const typeNames: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  array: 'a list',
  object: 'a set of fields',
  boolean: 'true or false',
};

/**
 * zod's messages as a township's IT person reads them: "is missing" rather than "expected number,
 * received undefined", the allowed fields for a misspelt one. Messages a schema sets itself win.
 */
const issueMessage: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'unrecognized_keys') {
    const allowed = issue.inst instanceof z.ZodObject ? Object.keys(issue.inst.shape) : [];
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    return `unknown field ${keys}${allowed.length > 0 ? `; the fields here are ${allowed.join(', ')}` : ''}`;
  }
  if (issue.input === undefined) return 'is missing (required)';
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${typeNames[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return issue.values.length === 1 ? `must be ${String(issue.values[0])}` : `must be one of ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'array') return issue.minimum === 1 ? 'must list at least one' : `must list at least ${issue.minimum}`;
      if (issue.origin === 'string') return issue.minimum === 1 ? 'must not be empty' : `must be at least ${issue.minimum} characters`;
      return issue.inclusive ? `must be ${issue.minimum} or more` : `must be more than ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      return issue.inclusive ? `must be ${issue.maximum} or less` : `must be less than ${issue.maximum}`;
    default:
      return undefined;
  }
};

/** Something another file refers to by id, and what people call it. */
interface Named {
  id: string;
  names: readonly string[];
}

/**
 * `unknown department "农技站": write its id, "nongjizhan"` — a name or alias where the id goes is
 * the likeliest slip; otherwise the ids there are, when few enough to read in one line.
 */
function unknownRef(kind: 'department' | 'village' | 'cadre', value: string, known: readonly Named[], file: string): string {
  const meant = known.filter((k) => k.names.includes(value) || k.id === value.toLowerCase());
  if (meant.length === 1) return `unknown ${kind} "${value}": write its id, "${meant[0]!.id}"`;
  const ids = [...new Set(known.map((k) => k.id))];
  const listed = ids.length <= 12 ? `; ${file} has ${ids.join(', ')}` : '';
  return `unknown ${kind} "${value}"${listed}`;
}

/** References between files, and ambiguities a resident would trip over. */
function crossCheck(config: Config): Problem[] {
  const problems: Problem[] = [];
  const problem = (file: FileKey, at: readonly PropertyKey[], message: string) => problems.push({ file, path: at, message });
  const villages: Named[] = config.villages.map((v) => ({ id: v.id, names: [v.name, ...v.aliases] }));
  const departments: Named[] = config.departments.map((d) => ({ id: d.id, names: [d.name, ...d.aliases] }));
  const cadreNames: Named[] = config.cadres.map((c) => ({ id: c.id, names: [c.name] }));
  const villageIds = new Set(villages.map((v) => v.id));
  const departmentIds = new Set(departments.map((d) => d.id));
  const cadres = new Map(config.cadres.map((c) => [c.id, c]));
  const unknownVillage = (v: string) => unknownRef('village', v, villages, 'villages.yaml');
  const unknownDepartment = (d: string) => unknownRef('department', d, departments, 'departments.yaml');
  const unknownCadre = (c: string) => unknownRef('cadre', c, cadreNames, 'cadres.yaml');

  const duplicates = (file: FileKey, list: string, ids: string[]) => {
    const seen = new Set<string>();
    ids.forEach((value, i) => {
      if (seen.has(value)) problem(file, [list, i, 'id'], `"${value}" is used twice`);
      seen.add(value);
    });
  };
  duplicates('villages', 'villages', config.villages.map((v) => v.id));
  duplicates('departments', 'departments', config.departments.map((d) => d.id));
  duplicates('cadres', 'cadres', config.cadres.map((c) => c.id));

  // A word naming two villages (or departments) would send a resident's matter, or a 转派, to a guess.
  const sameWords = (file: FileKey, list: string, kind: string, named: Named[]) => {
    const owners = new Map<string, string>();
    named.forEach((entry, i) => {
      for (const word of entry.names) {
        const owner = owners.get(word);
        if (owner && owner !== entry.id) problem(file, [list, i], `"${word}" also names ${kind} "${owner}"`);
        owners.set(word, entry.id);
      }
    });
  };
  sameWords('villages', 'villages', 'village', villages);
  sameWords('departments', 'departments', 'department', departments);

  const serviceIds = new Map<string, string>();
  config.departments.forEach((d, i) => {
    d.services.forEach((service, j) => {
      const owner = serviceIds.get(service.id);
      if (owner) problem('departments', ['departments', i, 'services', j, 'id'], `"${service.id}" is also a service of "${owner}"`);
      serviceIds.set(service.id, d.id);
    });
  });

  if (!departmentIds.has(config.township.officeDepartment)) {
    problem('township', ['officeDepartment'], unknownDepartment(config.township.officeDepartment));
  }
  if (!config.cadres.some((c) => c.role === 'office')) {
    problem('cadres', ['cadres'], 'at least one cadre needs role "office" (the dispatcher)');
  }

  // A cadre whose own departments are wrong is told once, not again at every slot of the roster.
  const misplaced = new Set(config.cadres.filter((c) => c.departments.some((d) => !departmentIds.has(d))).map((c) => c.id));
  const wechatIds = new Set<string>();
  config.cadres.forEach((c, i) => {
    c.departments.forEach((d, j) => {
      if (!departmentIds.has(d)) problem('cadres', ['cadres', i, 'departments', j], unknownDepartment(d));
    });
    c.villages.forEach((v, j) => {
      if (!villageIds.has(v)) problem('cadres', ['cadres', i, 'villages', j], unknownVillage(v));
    });
    if (c.wechatId) {
      if (wechatIds.has(c.wechatId)) problem('cadres', ['cadres', i, 'wechatId'], `"${c.wechatId}" is used twice`);
      wechatIds.add(c.wechatId);
    }
  });

  const slotLists = [
    ['weekly', config.roster.weekly],
    ['overrides', config.roster.overrides],
  ] as const;
  for (const [list, slots] of slotLists) {
    slots.forEach((slot, i) => {
      const knownDepartment = departmentIds.has(slot.department);
      if (!knownDepartment) problem('roster', [list, i, 'department'], unknownDepartment(slot.department));
      if (slot.villages !== 'all') {
        slot.villages.forEach((v, j) => {
          if (!villageIds.has(v)) problem('roster', [list, i, 'villages', j], unknownVillage(v));
        });
      }
      const members: [string, PropertyKey[]][] = slot.cadres.map((c, j) => [c, ['cadres', j]]);
      if (slot.backup) members.push([slot.backup, ['backup']]);
      for (const [cadreId, where] of members) {
        const cadre = cadres.get(cadreId);
        if (!cadre) problem('roster', [list, i, ...where], unknownCadre(cadreId));
        else if (knownDepartment && !misplaced.has(cadreId) && !cadre.departments.includes(slot.department) && cadre.role !== 'office') {
          problem('roster', [list, i, ...where], `cadre "${cadreId}" is not in department "${slot.department}"`);
        }
      }
    });
  }
  config.roster.leave.forEach((l, i) => {
    if (!cadres.has(l.cadre)) problem('roster', ['leave', i, 'cadre'], unknownCadre(l.cadre));
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
