/**
 * Department classification of a resident's message by Chinese keywords.
 *
 * The text is segmented with jieba (department keywords, urgent words, names and aliases loaded
 * as user words so that e.g. 新农合 is not split into 新农 / 合). A keyword scores when it is one
 * of the tokens of `cut` or `cutForSearch` (the latter finds 猪瘟 inside 非洲猪瘟).
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import type { DepartmentConfig } from '../config/schema.js';

/** Outcome of {@link DepartmentClassifier.classify}. */
export interface ClassifyResult {
  /** The confident department, or null (the resident must choose). */
  departmentId: string | null;
  /** Departments with a score > 0, best first (config order on ties). */
  scores: { departmentId: string; score: number }[];
  /** Whether the text contains an urgent keyword (see {@link DepartmentClassifier.classify}). */
  urgent: boolean;
}

/** Confidence thresholds (config `township.classification`). */
export interface ClassifyOptions {
  /** Smallest best score that counts as confident. */
  minScore: number;
  /** How far the best score must lead the second one. */
  minMargin: number;
}

/** Weight of a department's name, alias or urgent word mentioned in the text. */
const NAME_WEIGHT = 2;
/** Frequency given to user words: high enough to win over the default dictionary's splits. */
const USER_WORD_FREQUENCY = 100_000;

interface DepartmentRules {
  id: string;
  /** Normalized word → weight; each word counted once per text. */
  words: Map<string, number>;
  urgentWords: string[];
}

/** Whether the text holds one of the department's urgent words (substring, normalized). */
export function isUrgent(department: Pick<DepartmentConfig, 'urgentKeywords'>, text: string): boolean {
  const normalized = normalize(text);
  return department.urgentKeywords.some((word) => {
    const key = normalize(word);
    return key !== '' && normalized.includes(key);
  });
}

/** NFKC (full-width → half-width), lower case, trimmed. */
function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase().trim();
}

/** Classifies free text into a department; build once per configuration (loads jieba, ~0.2 s). */
export class DepartmentClassifier {
  private readonly jieba: Jieba;
  private readonly rules: DepartmentRules[];
  private readonly options: ClassifyOptions;

  constructor(departments: DepartmentConfig[], options: ClassifyOptions) {
    this.options = { ...options };
    this.rules = departments.map((dept) => {
      const words = new Map<string, number>();
      const add = (word: string, weight: number) => {
        const key = normalize(word);
        if (key) words.set(key, Math.max(words.get(key) ?? 0, weight));
      };
      for (const keyword of dept.keywords) add(keyword.word, keyword.weight);
      for (const name of [dept.name, ...dept.aliases, ...dept.urgentKeywords]) add(name, NAME_WEIGHT);
      return { id: dept.id, words, urgentWords: dept.urgentKeywords.map(normalize).filter(Boolean) };
    });

    const userWords = new Set<string>();
    for (const rule of this.rules) {
      for (const word of [...rule.words.keys(), ...rule.urgentWords]) {
        // A dictionary line is "word freq tag": words with spaces cannot be user words.
        if (!/\s/.test(word)) userWords.add(word);
      }
    }
    this.jieba = Jieba.withDict(dict);
    if (userWords.size > 0) {
      const lines = [...userWords].map((word) => `${word} ${USER_WORD_FREQUENCY} n`).join('\n');
      this.jieba.loadDict(Buffer.from(lines));
    }
  }

  /**
   * Scores every department and picks one when confident: best ≥ minScore and
   * best − second ≥ minMargin. `urgent` looks at the chosen department's urgent words, or at
   * every department's when none is chosen (substring match). Empty text: nothing.
   */
  classify(text: string): ClassifyResult {
    const normalized = normalize(text);
    if (!normalized) return { departmentId: null, scores: [], urgent: false };

    const tokens = new Set([...this.jieba.cut(normalized, false), ...this.jieba.cutForSearch(normalized, false)]);
    const scores = this.rules
      .map((rule) => {
        let score = 0;
        for (const [word, weight] of rule.words) if (tokens.has(word)) score += weight;
        return { departmentId: rule.id, score };
      })
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score);

    const best = scores[0];
    const second = scores[1]?.score ?? 0;
    const confident =
      best !== undefined && best.score >= this.options.minScore && best.score - second >= this.options.minMargin;
    const departmentId = confident ? best.departmentId : null;

    const urgentRules = departmentId === null ? this.rules : this.rules.filter((r) => r.id === departmentId);
    const urgent = urgentRules.some((rule) => rule.urgentWords.some((word) => normalized.includes(word)));
    return { departmentId, scores, urgent };
  }
}
