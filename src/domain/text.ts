import Nzh from 'nzh';

/**
 * What a resident typed, made safe to route on: control characters (other than line breaks
 * and tabs) and lone surrogate halves removed, line endings unified, ends trimmed. Emoji,
 * zero-width and RTL characters stay — the resident's words are kept verbatim elsewhere.
 */
export function cleanText(raw: string): string {
  return raw
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .trim();
}

/**
 * A menu number as people write it: "1", "１", "1.", "１．", "①", "一", "十二", "第1个", "第三项".
 * Null for anything else ("3号" is a date, not a menu item).
 */
export function parseMenuNumber(text: string): number | null {
  const bare = text
    .normalize('NFKC')
    .trim()
    .replace(/^第\s*/, '')
    .replace(/\s*[个项]?\s*[.。、]?$/, '');
  if (/^\d{1,2}$/.test(bare)) return Number(bare);
  if (/^(?:零|[一二三四五六七八九]|十[一二三四五六七八九]?|二十)$/.test(bare)) return Number(Nzh.cn.decodeS(bare));
  return null;
}

/** "新问题 …": a resident opening another matter while one is open. */
export function isNewProblem(text: string): boolean {
  return text.startsWith('新问题');
}

/** The matter itself, without a leading "新问题" marker. */
export function matterText(text: string): string {
  return isNewProblem(text) ? text.slice('新问题'.length).replace(/^[\s:：，,。]+/, '') : text;
}
