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

/** Full-width digits and a trailing "." or "、" are what people type for a menu number. */
export function parseMenuNumber(text: string): number | null {
  const ascii = text.trim().replace(/[０-９]/g, (d) => String(d.charCodeAt(0) - 0xff10));
  const m = /^(\d{1,2})\s*[.。、]?$/.exec(ascii);
  return m ? Number(m[1]) : null;
}

/** "新问题 …": a resident opening another matter while one is open. */
export function isNewProblem(text: string): boolean {
  return text.startsWith('新问题');
}

/** The matter itself, without a leading "新问题" marker. */
export function matterText(text: string): string {
  return isNewProblem(text) ? text.slice('新问题'.length).replace(/^[\s:：，,。]+/, '') : text;
}
