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

/** Thanks and nods, alone or repeated: "谢谢", "好的好的", "收到。", "👍", "[抱拳]". */
const pleasantry = /^(?:谢谢(?:你们|您|你|了|啦)?|多谢|感谢|辛苦(?:了|啦|你们了|您了)|麻烦(?:你们|您)?了|好的?|好吧|好嘞|好滴|嗯|哦|噢|行|可以|收到|知道了|明白了?|晓得了|ok|okay)+$/;

/** True for a message that only thanks or nods, in words or emoji: no matter in it to take up. */
export function isPleasantry(text: string): boolean {
  const emoticons = /\[[^\]]{1,4}\]/g; // WeChat's own emoticons arrive as "[强]", "[抱拳]"
  const bare = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(emoticons, '')
    .replace(/[\p{P}\p{S}\p{Extended_Pictographic}\u200d\ufe0f\s]/gu, '');
  if (bare !== '') return pleasantry.test(bare);
  return /\p{Extended_Pictographic}/u.test(text) || emoticons.test(text);
}

/** "新问题 …": a resident opening another matter while one is open. */
export function isNewProblem(text: string): boolean {
  return text.startsWith('新问题');
}

/** The matter itself, without a leading "新问题" marker. */
export function matterText(text: string): string {
  return isNewProblem(text) ? text.slice('新问题'.length).replace(/^[\s:：，,。]+/, '') : text;
}
