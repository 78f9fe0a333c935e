/**
 * Who a cadre's `代办` is for, in which village, and the words: "代办 张大爷 东山村 话", the village
 * first, left out, or written together with the name ("东山村张大爷"). The intake takes the words up
 * as that resident's own.
 */
import type { Repositories } from '../db/database.js';
import type { Cadre } from '../db/entities/cadre.entity.js';
import { firstWord, type CadreCommand } from '../domain/commands.js';
import type { VillageMatcher } from '../domain/village-match.js';

/**
 * Who a 代办 is for, their village and the words: "张大爷 东山村 话" or "东山村 张大爷 话". A
 * village counts only as a word of its own, and only one the cadre may file in: one they
 * cover (any, for a cadre with no fixed area) or where they already file for that name — else
 * "居委会让他去开证明" would make a new resident of 新城社区. Without one, the village is the
 * one the cadre already files for that name in, or the cadre's only village; else null.
 */
export async function filedFor(
  tx: Repositories,
  matcher: VillageMatcher,
  cadre: Cadre,
  command: Extract<CadreCommand, { kind: 'file-for' }>,
): Promise<{ name: string; villageId: string | null; words: string }> {
  command = unglued(matcher, command, cadre);
  const [first, rest] = firstWord(command.text);
  const nameIsVillage = matcher.matchName(command.resident);
  const firstIsVillage = matcher.matchName(first);
  const [name, named, words] =
    nameIsVillage && !firstIsVillage && first ? [first, nameIsVillage, rest] : [command.resident, firstIsVillage, firstIsVillage ? rest : command.text];
  const known = await tx.residents.relayedVillages(name, cadre.id);
  if (named && (cadre.villageIds.length === 0 || cadre.villageIds.includes(named.id) || known.includes(named.id))) {
    return { name, villageId: named.id, words };
  }
  // A village the cadre does not file in is part of the words.
  const unnamed = named ? { name: command.resident, words: command.text } : { name, words };
  const villages = unnamed.name === name ? known : await tx.residents.relayedVillages(unnamed.name, cadre.id);
  const villageId = villages.length === 1 ? villages[0]! : cadre.villageIds.length === 1 ? cadre.villageIds[0]! : null;
  return { ...unnamed, villageId };
}

/**
 * A name written together with a village: "东山村张大爷", "张大爷东山村", "张大爷东山村家里漏水" →
 * 张大爷 and "东山村 …", as if spaced. Only for the full name (or an alias) of one village the
 * cadre covers, beside a name of two to six Chinese characters; anything else stays as written.
 */
function unglued(matcher: VillageMatcher, command: Extract<CadreCommand, { kind: 'file-for' }>, cadre: Cadre): Extract<CadreCommand, { kind: 'file-for' }> {
  const split = matcher.splitAtName(command.resident);
  if (!split || (cadre.villageIds.length > 0 && !cadre.villageIds.includes(split.village.id))) return command;
  const { before, named, after } = split;
  const name = before || after;
  if (!/^\p{Script=Han}{2,6}$/u.test(name)) return command;
  const words = [before ? after : '', command.text].filter(Boolean).join(' ');
  return { kind: 'file-for', resident: name, text: words ? `${named} ${words}` : named };
}
