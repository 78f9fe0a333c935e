/**
 * Understanding a resident's answer to "which village are you from?".
 *
 * Accepted, in this order of precedence: a menu number ("3", "３", "3."), the exact name or an
 * alias, the name or an alias without its suffix (村/居委会/社区/居), the name's pinyin with or
 * without the suffix (spaces and case ignored; Chinese typed with a wrong character of the same
 * sound, "冬山村" for 东山村, is read by its pinyin too, when it is the whole answer and ends in
 * 村/社区), and finally free text that mentions exactly
 * one village (its name, alias or short name of ≥ 2 characters; a mention inside a longer one is
 * ignored).
 * An answer that fits several villages at the first level that matches is ambiguous → null.
 */
import { pinyin } from 'pinyin-pro';
import type { VillageConfig } from '../config/schema.js';
import { closeGaps, parseMenuNumber } from './text.js';

/** Suffixes a resident may leave out, longest first. */
const SUFFIXES = ['居委会', '社区', '村', '居'];

/**
 * A village's group (村民小组) after its name: by number (三组, 3组, 七队) or by name (新庄组, 上湾组);
 * 队 only by number, as 施工队, 消防队 or 工作队 are no groups.
 */
const GROUP = /^(?:(?:[一二三四五六七八九十两0-9]{1,3})(?:村民小组|小组|组|队)|\p{Script=Han}{1,3}(?:村民小组|小组|组))$/u;

/** Leading/trailing whitespace, punctuation and symbols. */
const EDGE_NOISE = /^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu;

/** NFKC (full-width → half-width), lower case, without surrounding noise or spaces between Chinese characters ("东 台"). */
function normalize(text: string): string {
  return closeGaps(text.normalize('NFKC').toLowerCase().replace(EDGE_NOISE, ''));
}

/** The name without a known suffix, or null when it has none (or nothing would remain). */
function stripSuffix(name: string): string | null {
  const suffix = SUFFIXES.find((s) => name.endsWith(s) && name.length > s.length);
  return suffix ? name.slice(0, -suffix.length) : null;
}

/** Pinyin spellings of `text` without tones or spaces: "lü" also as "lv" and "lu". */
export function pinyinKeys(text: string): string[] {
  const joined = pinyin(text, { toneType: 'none' }).replace(/\s+/g, '').toLowerCase();
  return [...new Set([joined, joined.replaceAll('ü', 'v'), joined.replaceAll('ü', 'u')])];
}

/** Whether `word` is a group's name or number and nothing else ("上湾组", "三组", "七队"). */
export function namesGroup(word: string): boolean {
  return GROUP.test(normalize(word));
}

/** Map key → indexes of the villages it names. */
type Index = Map<string, Set<number>>;

function addKey(index: Index, key: string, village: number): void {
  if (!key) return;
  const villages = index.get(key) ?? new Set<number>();
  villages.add(village);
  index.set(key, villages);
}

/** Matches answers to villages; everything is precomputed in the constructor. */
export class VillageMatcher {
  private readonly villages: VillageConfig[];
  /** Lookup levels, most specific first. */
  private readonly levels: { index: Index; pinyin: boolean }[];
  /** Names, aliases and short names of ≥ 2 characters, longest first, for free-text answers. */
  private readonly mentions: { text: string; village: number; short: boolean }[];

  /** `villages` in menu order (menu number n = villages[n − 1]). */
  constructor(villages: VillageConfig[]) {
    this.villages = [...villages];
    const exact: Index = new Map();
    const stripped: Index = new Map();
    const pinyinFull: Index = new Map();
    const pinyinStripped: Index = new Map();
    const mentions: { text: string; village: number; short: boolean }[] = [];

    this.villages.forEach((village, i) => {
      const name = normalize(village.name);
      const aliases = village.aliases.map(normalize).filter(Boolean);
      const short = stripSuffix(name);
      const shortAliases = aliases.map(stripSuffix).filter((a): a is string => a !== null && [...a].length >= 2);
      for (const text of [name, ...aliases]) addKey(exact, text, i);
      for (const text of [short, ...shortAliases]) if (text) addKey(stripped, text, i);
      for (const key of pinyinKeys(name)) addKey(pinyinFull, key, i);
      if (short) for (const key of pinyinKeys(short)) addKey(pinyinStripped, key, i);
      // An alias's short form ("胜利" of 胜利村) only as a whole answer: as a word in a sentence it is likely no village.
      for (const text of [name, ...aliases]) {
        if ([...text].length >= 2) mentions.push({ text, village: i, short: false });
      }
      if (short && [...short].length >= 2) mentions.push({ text: short, village: i, short: true });
    });

    this.levels = [
      { index: exact, pinyin: false },
      { index: stripped, pinyin: false },
      { index: pinyinFull, pinyin: true },
      { index: pinyinStripped, pinyin: true },
    ];
    this.mentions = mentions.sort((a, b) => b.text.length - a.text.length);
  }

  /** The village `answer` names, or null when it names none or several. */
  match(answer: string): VillageConfig | null {
    const text = normalize(answer);
    if (!text) return null;

    const number = parseMenuNumber(answer) ?? (/^\d+$/.test(text) ? Number(text) : null);
    if (number !== null) return this.villages[number - 1] ?? null;

    return this.matchName(answer) ?? this.soundsLike(answer) ?? this.single(this.mentioned(text));
  }

  /**
   * The village `word` is the name of (or an alias, the name without 村, its pinyin); null for
   * anything else — no menu numbers and no names inside longer words ("城东村路灯坏了").
   */
  matchName(word: string): VillageConfig | null {
    const text = normalize(word);
    const compact = text.replace(/[\s'’-]+/g, '');
    for (const level of this.levels) {
      const found = level.index.get(level.pinyin ? compact : text);
      if (found) return this.single(found);
    }
    return null;
  }

  /**
   * The village `word` names with her group after it, as villagers say where they live: "东台村新庄组",
   * "东台上湾组", "东台3组", "东胜村七队" (the group by its name or number; 组, 小组, 村民小组, 队). The
   * longest name that is a village wins ("张江新村三组" is 张江新村, not 张江村); the group itself is
   * not looked up. Also the name alone, as {@link matchName}.
   */
  matchNameAndGroup(word: string): VillageConfig | null {
    const named = this.matchName(word);
    if (named) return named;
    const text = normalize(word);
    const chars = [...text];
    for (let end = chars.length - 1; end >= 2; end--) {
      if (!GROUP.test(chars.slice(end).join(''))) continue;
      const village = this.matchName(chars.slice(0, end).join(''));
      if (village) return village;
    }
    return null;
  }

  /**
   * The village an answer in Chinese sounds like, written with a wrong character of the same
   * sound as pinyin input often picks ("冬山村" for 东山村). Only for the answer to the village
   * question: a person's name in 代办 may sound like a village.
   */
  private soundsLike(answer: string): VillageConfig | null {
    const compact = normalize(answer).replace(/[\s'’-]+/g, '');
    // With its 村 or 社区, so a word of the matter ("现金") is not taken for a village (先进).
    if (!/^\p{Script=Han}+$/u.test(compact) || !SUFFIXES.some((s) => compact.endsWith(s) && compact.length > s.length + 1)) return null;
    const sounds = pinyinKeys(compact);
    for (const level of this.levels.filter((l) => l.pinyin)) {
      const found = new Set(sounds.flatMap((key) => [...(level.index.get(key) ?? [])]));
      if (found.size > 0) return this.single(found);
    }
    return null;
  }

  /**
   * Whether `answer` was a try at naming `village` ("冬山" for 东山村, "东山三组"): once the village
   * is known, such a try is no part of the resident's matter.
   */
  triedToName(answer: string, village: VillageConfig): boolean {
    const index = this.villages.findIndex((v) => v.id === village.id);
    if (index < 0) return false;
    const text = normalize(answer);
    if (this.matchName(answer)?.id === village.id || (this.mentioned(text).has(index) && [...text].length <= [...village.name].length + 3)) return true;
    const compact = text.replace(/[\s'’-]+/g, '');
    if (!/^\p{Script=Han}{2,6}$/u.test(compact)) return false;
    const sounds = [...pinyinKeys(compact), ...(stripSuffix(compact) ? pinyinKeys(stripSuffix(compact)!) : [])];
    return this.levels.some((l) => l.pinyin && sounds.some((key) => l.index.get(key)?.has(index)));
  }

  /**
   * The one village whose full name or alias stands inside `word` ("张大爷东山村家里漏水"), as
   * written there (`named`), with what comes before and after it; null for none, several, or the word being the name itself.
   * Short names ("东山") do not count: inside a longer word they are too often something else.
   */
  splitAtName(word: string): { before: string; village: VillageConfig; named: string; after: string } | null {
    const text = word.normalize('NFKC').toLowerCase();
    // Code units of `text` and `word` must line up for the slices below.
    if (text.length !== word.length) return null;
    const spans: { start: number; end: number; village: number }[] = [];
    for (const { text: needle, village, short } of this.mentions) {
      if (short) continue;
      for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
        const end = at + needle.length;
        if (!spans.some((s) => s.start < end && at < s.end)) spans.push({ start: at, end, village });
      }
    }
    const [only] = spans;
    if (spans.length !== 1 || !only || (only.start === 0 && only.end === text.length)) return null;
    return {
      before: word.slice(0, only.start),
      village: this.villages[only.village]!,
      named: word.slice(only.start, only.end),
      after: word.slice(only.end),
    };
  }

  /** Villages whose name or alias occurs in `text`, ignoring occurrences inside a longer one. */
  private mentioned(text: string): Set<number> {
    const spans: { start: number; end: number }[] = [];
    const found = new Set<number>();
    for (const { text: needle, village } of this.mentions) {
      for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
        const end = at + needle.length;
        const inLonger = spans.some((s) => s.start <= at && end <= s.end && s.end - s.start > needle.length);
        if (inLonger) continue;
        found.add(village);
        spans.push({ start: at, end });
      }
    }
    return found;
  }

  private single(found: Set<number>): VillageConfig | null {
    if (found.size !== 1) return null;
    const [only] = found;
    return only === undefined ? null : (this.villages[only] ?? null);
  }
}
