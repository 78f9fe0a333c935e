/**
 * Names as a busy clerk types them from memory: a character of the same sound (贺建君 for 贺建军,
 * 农机站 for 农技站), one character off in a longer name (贺建华), the given name alone (建军), or the
 * surname as colleagues call each other (小易, 老贺).
 * Only ever offered back as a suggestion: a case is never given to a guessed name.
 */
import { pinyinKeys } from './village-match.js';

/** Something that can be named: its name, and other ways of writing it (a department's aliases). */
export interface Named {
  name: string;
  spellings?: readonly string[];
}

/** Characters of `a` and `b` that differ, when both are equally long; Infinity otherwise. */
function differences(a: string[], b: string[]): number {
  return a.length === b.length ? a.filter((c, i) => c !== b[i]).length : Infinity;
}

/** Whether `typed` is close to `spelling` (and not the same). */
function close(typed: string, spelling: string, typedSounds: readonly string[]): boolean {
  if (typed === spelling) return false;
  const a = [...typed];
  const b = [...spelling];
  if (a.length < 2 || b.length < 2) return false;
  if (pinyinKeys(spelling).some((key) => typedSounds.includes(key))) return true;
  if (b.length >= 3 && differences(a, b) === 1) return true;
  // The surname as colleagues call each other: 小易 for 易春林, 老贺 for 贺建军, 小欧阳 for 欧阳敏.
  const surname = /^[小老]/.test(typed) ? typed.slice(1) : '';
  if (surname && spelling.startsWith(surname) && b.length > [...surname].length && b.length <= 4) return true;
  // The given name alone: 建军 for 贺建军 (not 军 for 贺建军: one character names nobody).
  return b.length >= 3 && a.length === b.length - 1 && spelling.endsWith(typed);
}

/** The names of `candidates` close to `typed`, in their order, each once. */
export function similarNames(typed: string, candidates: readonly Named[]): string[] {
  const text = typed.normalize('NFKC').trim();
  if (!/^\p{Script=Han}{2,8}$/u.test(text)) return [];
  const sounds = pinyinKeys(text);
  const found = candidates.filter((c) => [c.name, ...(c.spellings ?? [])].some((s) => close(text, s, sounds))).map((c) => c.name);
  return [...new Set(found)];
}
