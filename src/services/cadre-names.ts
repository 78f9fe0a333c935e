/**
 * Cadres and departments as the office types their names in chat (派单, 绑定码, 请假): what a
 * name names, from the configuration (the active cadres are exactly the configured ones), and
 * what to say when it names nobody.
 */
import { findDepartment, type Config } from '../config/schema.js';
import { similarNames, type Named } from '../domain/name-match.js';
import { replies } from './replies.js';

/** Cadres, and where `departments`, departments, as names to match typed ones against. */
function candidates(config: Config, departments: boolean): Named[] {
  return [
    ...config.cadres.map((c) => ({ name: c.name })),
    ...(departments ? config.departments.map((d) => ({ name: d.name, spellings: d.aliases })) : []),
  ];
}

/** Whether `text` is a configured cadre's name or id, or names a department — or nearly ("贺建君"). */
export function namesSomeone(config: Config, text: string): boolean {
  return (
    config.cadres.some((c) => c.name === text || c.id === text) ||
    findDepartment(config.departments, text) !== undefined ||
    similarNames(text, candidates(config, true)).length > 0
  );
}

/**
 * The answer to a name that is nobody's: the command again with the name meant, when one is close
 * (贺建君 → 贺建军; departments too where `departments`); two cadres of that very name are told
 * apart by id; a name close to nobody's is, for 绑定码 (`newCadre`), a cadre not in the list yet.
 * `line`: the command as it should have been sent, for a name.
 */
export function unknownName(config: Config, typed: string, p: { line: (name: string) => string; departments?: boolean; newCadre?: boolean }): string {
  const same = config.cadres.filter((c) => c.name === typed);
  if (same.length > 1) return replies.sameNameCadres({ name: typed, ids: same.map((c) => c.id), line: p.line });
  const near = similarNames(typed, candidates(config, p.departments === true)).slice(0, 3);
  if (near.length > 0) return replies.didYouMean({ typed, names: near, lines: near.map(p.line) });
  return p.newCadre ? replies.notACadreYet({ name: typed, line: p.line(typed) }) : replies.noSuchCadre(typed, p.departments === true);
}
