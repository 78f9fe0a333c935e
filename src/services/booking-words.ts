/**
 * A resident's words about bookings, read as phones write them: 预约 (with a day or a time said), 我的预约
 * and the questions after one's visit, 取消 / 改约 (with a number, the day, or a new time), and the words
 * that leave a booking dialog or confirm in it. Pure: what the words mean, not what is booked.
 */
import { bareWords, bookingAsked, clauseBreaks } from '../domain/text.js';
import { saysWhen, whenAtStart, whenIn } from '../domain/when-words.js';

export type BookingWord =
  | { kind: 'mine' }
  /**
   * `said`: 预约 asked for with a day or a time ("我要预约明天上午技术员来看看"): the words naming
   * when ("明天上午"), and all her words, which may name the service.
   */
  | { kind: 'start'; said?: { when: string; words: string } }
  /** `when` (改约 only): the new time the resident already said ("改到后天下午": "后天下午"). */
  | { kind: 'cancel' | 'reschedule'; number: number; when?: string }
  /** "取消预约", "不约了", "改约" without a number: which one is asked; `only`: among these booking numbers. */
  | { kind: 'cancel-which'; only?: readonly number[] }
  | { kind: 'reschedule-which' }
  /**
   * "明天的不去了", "取消明天上午的预约", "那个预约不要了": the visit of the day said (`day`, as written; at the
   * time of day said, `time`), or her one visit (null), given up.
   */
  | { kind: 'cancel-named'; day: string | null; time?: string }
  /** Asking in words to move one's visit, with the new time when said ("改到后天下午"), else ''. */
  | { kind: 'move'; when: string };

/** Resident words that belong to bookings, as phones write them; `null` when the text is none of them. */
export function parseBookingWord(text: string): BookingWord | null {
  const compact = bareWords(text);
  if (compact === '预约' || compact === '我要预约') return { kind: 'start' };
  if (compact === '我的预约' || compact === '查预约' || asksAfterBooking(compact)) return { kind: 'mine' };
  const m = /^(取消预约|取消|改约|改预约)(\d{1,9})号?$/.exec(compact);
  if (m) return { kind: m[1]!.startsWith('改') ? 'reschedule' : 'cancel', number: Number(m[2]) };
  if (leaveWords.test(compact) && cancelPhrase.test(compact)) return { kind: 'cancel-which' };
  if (/^(改约|改预约)$/.test(compact)) return { kind: 'reschedule-which' };
  const named = visitGivenUp(compact);
  if (named) return named;
  const moveTo = moveToWhen.exec(compact);
  if (moveTo && saysWhen(moveTo[1]!)) return { kind: 'move', when: moveTo[1]! };
  if (moveAnotherTime.test(compact)) return { kind: 'move', when: '' };
  const said = visitAsked(text);
  return said ? { kind: 'start', said } : null;
}

/**
 * Words about a visit had or expected, not asking for one, though 预约 and a day are in them
 * ("预约明天上午的技术员怎么还没来", "上次预约明天来，人没来"): they stay on the path they take.
 */
const visitComplained = /没来|没到|没有来|没人|没见|到现在|不来|没上门|还没|怎么还|咋还|上次|上回|昨天|为什么|为啥/;

/** Words asking for it, before 预约 in its clause: "我想", "帮我", "能不能", "明天上午可以" — not after 不 or 没. */
const asksBeforeBooking = /能不能|可不可以|(?<![不没])(?:想|要|能|可以|帮|给|请|麻烦|申请|需要|希望|怎么|咋|如何)/;
const clauseBreak = new RegExp(`[${clauseBreaks}]`);

/**
 * 预约 asked for with when the visit should be, in one message ("我要预约明天上午技术员来看看",
 * "想预约后天请农技站的人来看看猪", "明天上午能预约吗"): the when words, preferably after 预约 ("我明天
 * 上午有事，预约后天" is 后天). Asked for: after words that ask in its clause, or opening a clause with
 * the when in it ("预约明天上午", "…，预约后天"); "我预约明天上午被拒绝了", "技术员说预约明天来", "预约太麻烦了，
 * 明天我自己去" tell or refuse. Null without a day or a time, or for words about a visit had.
 */
function visitAsked(text: string): { when: string; words: string } | null {
  // Punctuation kept: "10:00" is a time.
  const unspaced = text.normalize('NFKC').replace(/\s/g, '');
  const asked = bookingAsked.exec(unspaced);
  if (!asked || visitComplained.test(unspaced)) return null;
  const before = unspaced.slice(0, asked.index);
  const after = unspaced.slice(asked.index + asked[0].length);
  const lead = before.split(clauseBreak).at(-1)!;
  const rest = after.split(clauseBreak)[0]!;
  // Opening a clause: the when in it, or said before when the clause asks nothing else ("明天上午，预约一下").
  // "我预约明天上午" and nothing more is asked for too; more words after the when may tell ("…被拒绝了").
  const when = asksBeforeBooking.test(lead)
    ? (whenIn(after) ?? whenIn(before))
    : lead === '' ? (whenIn(rest) ?? (onlyAsking.test(rest) ? whenIn(before) : null))
    : subjectOnly.test(lead) ? whenAlone(after) : null;
  return when ? { when, words: text } : null;
}

/** What may follow 预约 (or the when after it) in words that ask nothing else: "预约一下", "明天上午吧". */
const onlyAsking = /^(?:一下|个|吧|吗|啊|呀|哈|可以吗|行吗|行不行)*$/;
/** Who asks, and nothing else, before 预约: "我预约明天上午". */
const subjectOnly = /^(?:那|那就)?(?:我|俺|我们|俺们|我家|俺家)$/;

/** The when words when they are all the words, but for asking particles ("明天上午", "后天吧"); else null. */
function whenAlone(words: string): string | null {
  const when = whenIn(words);
  const compact = bareWords(words.replace(/(\d{1,2})[:：](\d{2})/g, '$1点$2分'));
  return when && compact.startsWith(when) && onlyAsking.test(compact.slice(when.length)) ? when : null;
}

/** After the day or 那个预约: the visit given up ("的不去了", "那个不要了", "的预约取消吧"). */
const givenUp =
  /^(?:的|那个|这个)?(预约|约的)?(?:就|也|我)?(?:不去了|去不了了?|不要了|不用了|不用来了|不来了|不约了|取消(?:掉|吧|了吧)?|算了)(?:吧|啦|呀|啊|哈|哦)*(?:谢谢(?:你|您|了|啦)?)?$/;

/** 取消 said before the visit named by its day: "取消明天的预约", "帮我取消后天下午那个". */
const cancelFirst = /^(?:帮我|麻烦|请)?(?:取消|退掉)/;
/** After 取消 and the day: the visit ("的预约", "那个"), nothing more. */
const visitAfterCancel = /^(?:的|那个)(?:预约)?(?:吧|啦|呀|啊|哈|哦)*(?:谢谢(?:你|您|了|啦)?)?$/;

/**
 * "明天的不去了", "明天上午的不去了", "周五那个不要了", "那个预约不要了", "我的预约取消吧", "取消明天的预约": a
 * visit given up, named by its day (and time of day) or as 预约 (day null); "不要了" alone names nothing.
 */
function visitGivenUp(compact: string): Extract<BookingWord, { kind: 'cancel-named' }> | null {
  const lead = compact.replace(/^(?:我|俺)的?/, '').replace(/^(?:那个|这个)/, '');
  const cancel = cancelFirst.exec(lead);
  const named = whenAtStart(cancel ? lead.slice(cancel[0].length) : lead);
  const rest = named ? lead.slice((cancel?.[0].length ?? 0) + named.length) : lead;
  const word = { kind: 'cancel-named', day: named?.day ?? null, ...(named?.time ? { time: named.time } : {}) } as const;
  if (cancel) return named && visitAfterCancel.test(rest) ? word : null;
  const given = givenUp.exec(rest);
  return given && (named || given[1]) ? word : null;
}

/**
 * Asking to move a visit, as people say it: "能不能换个时间", "改个日子", "改天"; with the new time:
 * "我想改到后天下午", "换到下礼拜一上午", "预约能不能改到礼拜二". Only a day or a time after 改到
 * makes it one: "把低保改到我儿子名下" is a matter.
 */
const moveAsker = '^(?:我|俺)?(?:的)?(?:预约|时间)?(?:想|要|能不能|能|可以|可不可以|麻烦)?(?:把(?:预约|时间)?)?(?:改|换|调|挪|推)';
const moveAnotherTime = new RegExp(
  `${moveAsker}(?:一下|一个|个|下|一)?(?:时间|日子|期|天)(?:吗|嘛|么|不|行不行|行吗|行不|可以吗|中不中|中不|吧|呀|啊|哈|了)*$`,
);
const moveToWhen = new RegExp(`${moveAsker}(?:到|成)(.+)$`);

/**
 * A resident asking after their own booking in words: when it is ("我约的是哪天来着", "我预约的时间是
 * 几号", "约的几点") or whether it went through ("约上了吗", "预约成功了没有"). Short questions only.
 */
const asksAboutOwnBooking = [
  /^(?:我|俺|我们|我家)?(?:预约|约好?)[的了](?:是|在)?(?:时间|日子)?(?:是|在)?(?:哪天|哪一天|几号|几点|什么时候|啥时候|什么时间|啥时间|哪个时间)(?:来着|来|呀|啊|呢|吗|了)*$/,
  /^(?:我|俺)?(?:的)?(?:预约|约)(?:上|好|成|成功)了?(?:吗|没|没有|不|没得)$/,
];
export const asksAfterBooking = (compact: string) => asksAboutOwnBooking.some((ask) => ask.test(compact));

/** Who comes on a visit, as she names them: "技术员", "他", "你们". */
/** Who comes, named ("人呢" asks after the visit; "你呢" alone is small talk). */
const visitorNouns = '技术员|农技员|防疫员|兽医|医生|大夫|师傅|干部|同志|工作人员|专家|人';
const visitorNoun = `(?:${visitorNouns})`;
const visitor = `(?:${visitorNouns}|他|她|你们|你)`;
const askingTail = '(?:啊|呀|呢|吗|嘛|哦|哈|了|啦)*';
/** Whose visit, before who comes: "我约的技术员", "我妈约的". */
const booked = '(?:(?:我|俺|我们|我家|俺家|我妈|我爸)?(?:预约|约)的)?';
/**
 * Asking when the visit comes or where its cadre is ("几点来", "我约的技术员几点到", "你们哪天上门", "人到哪了",
 * "技术员在哪", "在哪里见面", "怎么还没来", "人呢"), short questions only. Whose visit is not said: she may mean a booking of
 * hers, or a visit her case's cadre spoke of (the caller decides).
 */
const asksVisitTime = new RegExp(
  `^(?:请问)?(?:那个)?${booked}${visitor}?(?:今天|明天|后天|上午|下午|早上|中午)*(?:大概)?(?:几点钟?|什么时候|啥时候|什么时间|啥时间|哪天|几号)` +
    `(?:能|会|才|可以)?(?:来|到|过来|上门|来家里|到家)${askingTail}$`,
);
const asksVisitorWhere = new RegExp(
  `^(?:请问)?${booked}${visitor}?(?:现在)?(?:在哪|在哪里|在哪儿|到哪了|到哪里了|到哪儿了|走到哪了|到了没|到了吗|出发了没|出发了吗)${askingTail}$`,
);
const asksVisitorNotCome = new RegExp(
  `^(?:请问)?${booked}${visitor}?(?:怎么|咋|为啥|为什么|咋个)?(?:到现在|现在)?还?(?:没|没有|不)(?:来|到|过来|上门)${askingTail}$|^${booked}${visitor}?(?:来了|到了)(?:吗|没|没有)$|^${visitorNoun}呢$`,
);
const asksWhereToMeet = new RegExp(`^(?:我们|我)?(?:在哪|在哪里|在哪儿|去哪|去哪里|到哪里?)(?:见面|等|等着|碰头|找他|找你们)${askingTail}$`);
export const asksAfterVisit = (text: string): boolean => {
  const compact = bareWords(text);
  return asksVisitTime.test(compact) || asksVisitorWhere.test(compact) || asksVisitorNotCome.test(compact) || asksWhereToMeet.test(compact);
};

/** Words that give up a visit ("不约了"), not only the question asked. */
const cancelPhrases = '取消预约|预约取消|不约了|不预约了|先不约了|不去了|去不了了?';
const cancelPhrase = new RegExp(cancelPhrases);
/**
 * Words that leave a booking dialog, alone or said together as people do, with a 那 or 还是
 * before and a 吧 or 谢谢 after: "算了，不约了吧" (not the address of the visit).
 * With a phrase of {@link cancelPhrases} in them, they are about the booking too, as "不约了" is.
 */
export const leaveWords = new RegExp(
  `^(?:那|那就|还是|我)?(?:(?:${cancelPhrases}|取消|退出|算了|不要了|不用了)(?:吧|啦|呀|啊|哈|哦)?)+(?:谢谢(?:你|您|了|啦)?)?$`,
);
/** The word for going back (as "0"). */
export const backWord = '返回';
/** Words that confirm, besides "1" ("中", "要得": yes where people say so). */
export const confirmWords = /^(?:确认|确定|好的?|对|是的?|可以|行|中|成|要得|没问题)(?:吧|啊|呀|哈)?$/;
