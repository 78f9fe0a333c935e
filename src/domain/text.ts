import Nzh from 'nzh';

const graphemeSegmenter = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/**
 * The first `count` characters of `text` as she sees them (grapheme clusters: a joined emoji 👨‍👩‍👧
 * or a flag is one, never cut in half), and whether more follow. Only the start is segmented:
 * Intl.Segmenter slows down badly on long texts (100 000 characters took seconds). A start of
 * unusually long clusters (marks piled on letters) is cut by code points instead.
 */
export function leadingCharacters(text: string, count: number): { head: string; more: boolean } {
  const start = text.slice(0, (count + 1) * 16);
  const seen: string[] = [];
  for (const { segment } of graphemeSegmenter.segment(start)) {
    if (seen.length === count) return { head: seen.join(''), more: true };
    seen.push(segment);
  }
  if (start.length === text.length) return { head: text, more: false };
  const points = [...text];
  return { head: points.slice(0, count).join(''), more: points.length > count };
}

/**
 * What a resident typed, made safe to route on: control characters (other than line breaks
 * and tabs) and lone surrogate halves removed, line endings unified, ends trimmed. Emoji,
 * zero-width and RTL characters stay — the resident's words are kept verbatim elsewhere.
 */
export function cleanText(raw: string): string {
  return withoutQuote(
    raw
      .replace(/\r\n?/g, '\n')
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, ''),
  ).trim();
}

/**
 * Nothing she can see: spaces and invisible format characters only (zero-width, byte-order mark,
 * direction marks and isolates), which `cleanText` keeps.
 */
export function isBlank(text: string): boolean {
  return !/[^\s\p{Cf}]/u.test(text);
}

/**
 * WeChat's 引用 (a reply to an earlier message) as the puppet puts it in the text: the quoted
 * message after its sender's name in 「」, a dashed line, then what was typed
 * (wechaty-puppet-wechat4u's refermsg parser; padlocal writes the same) —
 * "「东山办事处连心：请您评价：回复 1 满意…」\n- - - - - - - - - - - - - - -\n满意".
 * The quoted part is mostly lianxin's own words (a menu, the rating question): read as the
 * sender's, it named a village ("东山办事处" → 东山村), a department or a rating nobody gave.
 * Greedy: a quote of a quote keeps the inner one inside.
 */
const quoteReply = /^\s*「(?:[^：:\n「」]{1,40}[：:])?([\s\S]*)」\n(?:- ?){5,}\n([\s\S]*)$/;

export interface QuoteReply {
  /** The quoted message's text, without its sender (a photo's is "图片"). */
  quoted: string;
  /** What was typed. */
  reply: string;
}

/** The quoted message and the words typed about it; null for a message that quotes nothing. */
export function splitQuote(text: string): QuoteReply | null {
  const match = quoteReply.exec(text.replace(/\r\n?/g, '\n'));
  return match ? { quoted: match[1]!.trim(), reply: match[2]! } : null;
}

/** What was typed, without the message it quotes. */
export function withoutQuote(text: string): string {
  return splitQuote(text)?.reply ?? text;
}

/**
 * A cadre's words as the resident reads them: no space before Chinese punctuation ("已处理 ，明天再看 。"
 * → "已处理，明天再看。"), and no lone "." or "~" typed after a space at the end ("已处理 ." → "已处理").
 * The words themselves, and spaces between them, stay as written.
 */
export function tidyWords(text: string): string {
  return text
    .replace(/[ \t\u3000]+(?=[，。！？；：、）》」』】…～])/gu, '')
    .replace(/[ \t\u3000]+[.,;:~…]+$/u, '');
}

/** Without the spaces a one-finger typist leaves between Chinese characters: "满 意" → "满意", "东 台" → "东台". */
export function closeGaps(text: string): string {
  return text.replace(/(?<=\p{Script=Han})[ \t\u3000]+(?=\p{Script=Han})/gu, '');
}

/** Half-width, without spaces and punctuation: what is left of a short answer ("取消预约：１０１号。" → "取消预约101号"). */
export function bareWords(text: string): string {
  return text.normalize('NFKC').replace(/[\s\p{P}]/gu, '');
}

/** "三" → 3, "十二" → 12, "二十七" → 27, "两" → 2 (one to three Chinese numerals); null for anything else. */
export function chineseNumber(text: string): number | null {
  if (!/^(?:[零一二两三四五六七八九十]{1,3})$/.test(text)) return null;
  const value = Number(Nzh.cn.decodeS(text.replace(/两/g, '二')));
  return Number.isInteger(value) && (value > 0 || text === '零') ? value : null;
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
  const chinese = chineseNumber(bare);
  return chinese !== null && chinese <= 20 ? chinese : null;
}

/** Thanks and nods: "谢谢", "好的", "收到", "对", "是的" ("恩" is how 嗯 often comes out). */
const pleasantryWord =
  '(?:谢谢(?:你们|您|你|了|啦)?|多谢|感谢|辛苦(?:了|啦|你们了|您了)|麻烦(?:你们|您)?了|好的?|好吧|好嘞|好滴|嗯|恩|哦|噢|行|可以|收到|知道了|明白了?|晓得了|对的?|是的?|没错|ok|okay)';
/** Thanks and nods, alone or repeated: "好的好的", "收到。". */
const pleasantry = new RegExp(`^${pleasantryWord}+$`);
/** A nod before words and a comma or space: "收到，明天上午过去". */
const leadingPleasantry = new RegExp(`^${pleasantryWord}+[\\s\\p{P}]+(?=\\S)`, 'iu');

/** Emoji and WeChat emoticons ("[强]") that thank or agree; 😭 or [流泪] is no pleasantry. */
const kindSigns = /\[(?:强|抱拳|OK|玫瑰|握手|微笑|愉快|爱心|胜利|鼓掌|好的)\]|👍|🙏|👌|🌹|💐|❤|😊|🙂|😄|☺|🤝|👏|🥰|💪/gu;

/** True for a message that only thanks or nods, in words or kind emoji: no matter in it to take up. */
export function isPleasantry(text: string): boolean {
  const signs = text.match(kindSigns)?.length ?? 0;
  const rest = text.replace(kindSigns, '').normalize('NFKC').toLowerCase().replace(/[\p{P}\s\u200d\ufe0f\u{1F3FB}-\u{1F3FF}]/gu, '');
  return rest === '' ? signs > 0 : pleasantry.test(rest);
}

/** An emoji, a flag's half, or a WeChat emoticon as the puppet writes it ("[捂脸]"). */
const emojiSign = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\[[\p{Script=Han}A-Za-z]{1,4}\]/gu;
/** What joins or modifies an emoji: zero-width joiner, variation selector, keycap, skin tone, tag. */
const emojiPart = /[\u200d\ufe0f\u20e3\u{1F3FB}-\u{1F3FF}\u{E0020}-\u{E007F}]/gu;

/** Emoji only ("😂😂😂", "[捂脸][捂脸]", a thousand 🙏), spaces and punctuation between: a sticker typed, no matter in it. */
export function isEmojiOnly(text: string): boolean {
  if (text.search(emojiSign) < 0) return false;
  return text.replace(emojiSign, '').replace(emojiPart, '').replace(/[\s\p{P}]/gu, '') === '';
}

/** Thanks among the words ("谢谢", "辛苦了", "多谢 🙏"), not a mere nod ("好的", "收到"). */
export function isThanks(text: string): boolean {
  return /谢|辛苦|麻烦(?:你们|您)?了|🙏|\[抱拳\]/u.test(text);
}

/** Words without the nod in front of them: "收到，明天上午过去" → "明天上午过去". */
export function withoutLeadingNod(text: string): string {
  return text.replace(leadingPleasantry, '');
}

/** "你好", "在吗", "有人吗？": someone making sure a person is there before saying what it is about. */
export function isGreeting(text: string): boolean {
  const bare = text.normalize('NFKC').toLowerCase().replace(/[\p{P}\s]/gu, '');
  return (
    /^(?:(?:你好|您好|大家好|在吗|在不在|在么|有人吗|有人在吗|有没有人|喂|哈喽|hello|hi)[啊呀吗呢哈]?)+$/.test(bare) ||
    // Openers that say a question is coming, not what it is.
    /^(?:你好|您好)?(?:请问(?:一下)?|问一下|(?:我)?想?问(?:个|一下|点)?事(?:情|儿)?|麻烦问一?下|打扰(?:一下|了)?|怎么没人(?:回|理|管)(?:我)?)[啊呀吗呢哈]?$/.test(bare)
  );
}

/**
 * "你是谁", "你们是哪里的", "这是什么号": someone not sure whom they are writing to (an elderly
 * resident given the account by a grandchild). A question for lianxin, not part of a matter.
 * "这是什么" alone is not one: after a photo of a pest it asks what the pest is.
 */
export function asksWhoWeAre(text: string): boolean {
  const bare = text.normalize('NFKC').toLowerCase().replace(/[\p{P}\s]/gu, '');
  return (
    /^(?:请问)?(?:你|您|你们|您们)(?:是|是不是)?(?:谁|哪位|哪个|哪里|哪儿|什么人|什么单位|哪个单位|哪个部门|干什么的|做什么的|干啥的|机器人|真人)(?:的|啊|呀|吗|呢|哈|么)*$/.test(bare) ||
    /^(?:请问)?这(?:是|里是)?(?:哪里|哪儿|什么号|什么地方|什么单位|谁)(?:的|啊|呀|吗|呢|哈|么)*$/.test(bare)
  );
}

/**
 * "咋样了", "进度", "有人管没", "到哪一步了", "我的事办得怎么样了", "1001咋样了": a resident asking where
 * her matter stands, and saying nothing else ("猪还是不吃食，咋样了" tells more: words for the
 * holder). Read on the words without spaces and punctuation; a greeting or 请问 may come first.
 */
const progressAsked = new RegExp(
  '^(?:你好|您好|同志|领导|请问|问一下|想问一下|麻烦问一下|打扰一下)*' +
    // Whose matter: "我的事", "俺家那个事", "上次反映的问题", or the case number.
    '(?:#?(\\d{3,9})号?|(?:我|俺|我们|俺们|我家|俺家)?(?:上次|上回|前几天)?(?:的|家的|反映的|说的|报的)?(?:那个|这个)?(?:事情?|事儿|问题))?' +
    '(?:现在|目前|到底|究竟)?' +
    '(?:' +
    [
      '咋样|怎么样|怎样|如何|啥情况|什么情况',
      '(?:查|问|看)?(?:一下|一问|问|看)?(?:进度|进展)(?:如何|怎么样|咋样|到哪)?',
      '有(?:进展|结果|消息|回音|回信|下文|动静)',
      '(?:办|处理|弄|搞|修)?到哪(?:一步|步|儿)?',
      '有人管|有没有人管|没人管|管不管|有人处理|有没有人处理',
      '(?:办|处理|弄|搞|修)(?:得|的)?(?:怎么样|咋样|如何)',
      '(?:办|处理|弄|搞|修)(?:好|完)?了?(?:吗|没有?|没)',
      '(?:什么时候|啥时候|几时)(?:能|会|才)?(?:来|过来|上门|处理|办|办好|修|修好|有结果|回复|答复|联系我?)',
      '(?:怎么)?还没(?:有)?人?(?:来|联系|回复|回话|管|处理)(?:我)?',
    ].join('|') +
    ')(?:了|啦)?(?:吗|没有?|没|不)?[啊呀吗呢哈啦嘛么哦]*$',
);

/** A question where one's matter stands (see {@link progressAsked}), with the case number when one is written; null for anything else. */
export function asksProgress(text: string): { caseNumber: number | null } | null {
  const match = progressAsked.exec(bareWords(text));
  return match ? { caseNumber: match[1] ? Number(match[1]) : null } : null;
}

/** "1001", "#1001", "1001号", "查询 1001": a case number alone (4 to 6 digits: cases start at 1001), perhaps after 查询. */
const caseNamed = /^(查询|查一下|查)?\s*(#)?\s*([1-9][0-9]{3,5})\s*(号)?[.。?？!！]*$/;

/**
 * "1001", "#1001", "1001号", "查询 1001", "1001怎么样了": a resident asking after one case by its number;
 * null for anything else — "200" (an amount), a phone number, "3号" (a day) are words. `form`: the
 * number alone (`number`), which may as well answer a question of her holder's ("卖了多少斤？" "3000");
 * marked as a case's (`marked`: #, 号, 查询); or asked how it stands (`progress`).
 */
export function caseAsked(text: string): { caseNumber: number; form: 'number' | 'marked' | 'progress' } | null {
  const named = caseNamed.exec(text.normalize('NFKC').trim());
  if (named) return { caseNumber: Number(named[3]), form: named[1] || named[2] || named[4] ? 'marked' : 'number' };
  const progress = asksProgress(text)?.caseNumber;
  return progress ? { caseNumber: progress, form: 'progress' } : null;
}

/** "猪好了", "修好了", "已经解决了", "没事了": news that a matter is over, about the case it was. */
export function saysSettled(text: string): boolean {
  return /好了|好啦|解决了|没事了|不用了/.test(bareWords(text));
}

/**
 * "还没修好", "灯又坏了", "还是不行", "问题没解决": words that a matter told before is not over, or is
 * back. Whose matter they do not say.
 */
export function saysNotFixed(text: string): boolean {
  return /还没有?(?:修|弄|搞|办|处理|解决|治)?好|没有?(?:修|弄|搞|办|治)好|没有?解决|还是(?:不行|不好|没用|坏|老样子|一样|那样|没好|不亮|漏|没人)|又(?:坏|不亮|漏|堵|停|断|犯|出问题|出毛病|不行|不通|没了)/.test(
    bareWords(text),
  );
}

/** A clause break, then the words that start another matter: "，还有…", "。另外…", "，再就是…". */
const anotherMatter = /[，。,.!！?？;；、\s]+(?:另外还有|还有就是|还有个事|还有一个事|还有件事|还有一件事|还有|另外|再就是|再有|顺便问一下|顺便问下)[\s，,:：]*/;

/**
 * The parts of a message that tells more than one matter, joined by 还有/另外 after a clause break
 * ("路灯坏了，还有低保的事" → 路灯坏了 / 低保的事); one part for any other text. Whether the parts
 * are matters of their own (of different departments) is the caller's to judge.
 */
export function matterParts(text: string): string[] {
  return text
    .split(new RegExp(anotherMatter.source, 'g'))
    .map((part) => part.replace(/^[\s，。,.!！?？;；、]+|[\s，。,.!！?？;；、]+$/g, ''))
    .filter(Boolean);
}

/**
 * "我是低保户", "俺家是五保户": a part of a message that only says who she is — what the other part
 * asks is of her ("我是低保户，另外住院能报销多少" is one matter), not a matter of its own.
 */
export function saysOnlyWhoSheIs(part: string): boolean {
  return /^(?:我|俺)们?家?(?:是|属于).{1,8}$/u.test(bareWords(part));
}

/** "新问题 …": a resident opening another matter while one is open. */
export function isNewProblem(text: string): boolean {
  return text.startsWith('新问题');
}

/** The matter itself, without a leading "新问题" marker. */
export function matterText(text: string): string {
  return isNewProblem(text) ? text.slice('新问题'.length).replace(/^[\s:：，,。]+/, '') : text;
}

/** What ends a clause: "我约了他，来看看" is two. */
export const clauseBreaks = '，。,.!！?？;；、\\n';
const inClause = `[^${clauseBreaks}]`;

/** 预约 asked for, not made, cancelled or refused ("我想预约", not "已经预约了", "取消预约", "预约的人"). */
export const bookingAsked = /(?<!取消|已|已经|的|不想|不要|不用|不需要)预约(?![了过的好成])/;

/**
 * Asking, in one's own words, for someone to come, or for a booking: "我想约农技员来看看我家果树",
 * "能不能预约上门", "想约个时间来看看", "给我儿子约个上门的". Conservative on purpose: a booking made or refused ("我约了他",
 * "已经预约了", "不想预约"), 大约/节约, and 上门 without a request ("上门推销的太多了") are not.
 */
const bookingAsks = [
  bookingAsked,
  /(?<![大节合契签公制])约(?:个|一个|一下|下)?时间/,
  new RegExp(`(?<![大节合契签公制预])约(?![了好过定])${inClause}{0,10}?(?:(?:来|过来|上门)(?:看|瞧|指导|检查|一下|一趟)|上门的?$)`),
  new RegExp(`(?<!不)(?:能|可以|请|想|希望|麻烦|帮|需要)${inClause}{0,8}?上门(?=$|[${clauseBreaks}看瞧来吗么不呢吧]|服务|指导|检查|一趟)`),
];

/** Whether the resident's words ask to book a visit (see {@link bookingAsks}); the bare word "预约" is handled before. */
export function asksToBook(text: string): boolean {
  const words = text.normalize('NFKC').replace(/[ \t\u3000]/g, '');
  return bookingAsks.some((ask) => ask.test(words));
}

/** Two-character surnames among people's names; any other name's surname is its first character. */
const compoundSurnames = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '夏侯', '司徒'];

/** How colleagues call the cadre `name`: the full name, 小贺, 老贺, the given name of two characters or more. */
function callsOf(name: string): string[] {
  const surname = compoundSurnames.find((s) => name.startsWith(s) && name.length > s.length) ?? name.slice(0, 1);
  const given = name.slice(surname.length);
  return [name, `小${surname}`, `老${surname}`, ...(given.length >= 2 ? [given] : [])];
}

/**
 * "让小易去看一下", "叫易春林下午去一趟", "交给小易吧", "小易去看看": a head sending one of `names`
 * (his cadres) to a matter — 派单 in words. The name he calls them by at the start, after 让, 叫,
 * 请, 安排 or 交给, or followed by 去; the one of `names` so called, or null (none, or two: 小易 for two 易).
 */
export function sendsCadre(text: string, names: readonly string[]): string | null {
  const bare = text.trim().replace(/^(?:那就|那|就)/, '');
  const sent = /^(?:让|叫|请|安排|交给|给)([\s\S]*)$/.exec(bare);
  const rest = sent ? sent[1]!.trim() : bare;
  const called = names.filter((name) =>
    callsOf(name).some((call) => rest.startsWith(call) && (sent !== null || /^[\s\u3000]*(?:今天|明天|下午|上午|马上)?(?:去|过去)/.test(rest.slice(call.length)))),
  );
  // "小易" with two 易 in the department: whom is not clear, and no line is offered for a guess.
  return called.length === 1 ? called[0]! : null;
}

/**
 * "小贺你下午去看一下", "建军，抓紧", "@小贺 你…": words that call the cadre `name` (full name, given
 * name, 小贺, 老贺) at their start, then a comma, colon or full stop (啊 or 呀 before it) or 你 — said
 * to that cadre, not to a resident. "贺建军明天上门" and "贺建军 明天上门" speak of him.
 */
export function addressesCadre(text: string, name: string): boolean {
  if (!name) return false;
  const calls = callsOf(name);
  const head = text.trim().replace(/^[@＠]/, '');
  return calls.some((call) => head.startsWith(call) && /^[\s\u3000]*(?:[啊呀]?[，,：:、。!！]|你|您)/.test(head.slice(call.length)));
}
