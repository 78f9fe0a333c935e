import { describe, expect, it } from 'vitest';
import { commandOnQuotedBooking, commandOnQuotedCase, quotedBookingNumber, quotedCaseNumber, quotedVisitWords } from '../../src/domain/quote.js';
import { bookingReplies } from '../../src/services/booking-replies.js';
import { splitQuote, withoutQuote } from '../../src/domain/text.js';
import { replies } from '../../src/services/replies.js';

/** A quote reply as wechaty-puppet-wechat4u gives it. */
const quoting = (quoted: string, reply: string, from = '东山镇连心') => `「${from}：${quoted}」\n- - - - - - - - - - - - - - -\n${reply}`;

const notice = '【新案件 #1003】东山村 · 农业站\n群众：王秀兰\n内容：玉米叶子发黄\n接单请发：接单 1003';

describe('quote replies', () => {
  it('splits the quoted message from the words written about it', () => {
    expect(splitQuote(quoting(notice, '收到'))).toEqual({ quoted: notice, reply: '收到' });
    expect(splitQuote(quoting('请问您家在几组？', '3组\n在村口', '李建国'))).toEqual({ quoted: '请问您家在几组？', reply: '3组\n在村口' });
    // Line endings from another client, a name with a colon in the quoted text.
    expect(splitQuote(quoting('时间：明天 9:00', '好').replace(/\n/g, '\r\n'))).toEqual({ quoted: '时间：明天 9:00', reply: '好' });
    expect(splitQuote('「随便写的」括号')).toBeNull();
    expect(splitQuote('收到')).toBeNull();
    expect(withoutQuote(quoting('满意请回复 1', '1'))).toBe('1');
    expect(withoutQuote('我家的猪不吃食')).toBe('我家的猪不吃食');
  });

  it('shows the holder the start of what a resident quoted, never half an emoji', () => {
    const followUp = (quoted: string) => replies.cadreFollowUp({ number: 1003, village: '东山村', resident: '王秀兰', text: '好的', quoted });
    expect(followUp('【农技站 贺建军】明天上午去您家看看')).toBe('【#1003 群众补充】东山村 王秀兰：好的\n（引用：【农技站 贺建军】明天上午去您家看看）');
    const long = `【农技站 贺建军】${'药'.repeat(20)}👍好的`;
    expect(followUp(long)).toBe(`【#1003 群众补充】东山村 王秀兰：好的\n（引用：【农技站 贺建军】${'药'.repeat(20)}👍……）`);
  });

  it('reads words quoting a booking notice as about that booking: 完成, 没来, 改约 without the number', () => {
    const booked = '【新预约 101】11月27日 周五 08:30–09:30\n田间技术指导 · 东台村 王大妈\n地点/备注：东台村\n办完请发“完成 101 说明”，没来请发“未到 101”。';
    const reminded = '【预约提醒】11月27日 周五 14:30–15:30 田间技术指导 · 东台村 李大爷，地点/备注：东台村（预约号 102）';
    expect(quotedBookingNumber(booked)).toBe(101);
    expect(quotedBookingNumber(reminded)).toBe(102);
    expect(quotedBookingNumber('【预约变动】103 11月27日 周五 14:30–15:30 田间技术指导（李大爷）：群众说不能按时了。')).toBe(103);
    expect(quotedBookingNumber('【预约 104】群众在等：怎么还没来\n11月27日 周五 14:30–15:30 田间技术指导 · 东台村 钱奶奶\n请尽快和群众联系。')).toBe(104);
    expect(quotedBookingNumber('【11月27日 周五 今日预约 2 个】\n101 08:30 田间技术指导\n102 14:30 田间技术指导')).toBeNull();
    expect(quotedBookingNumber(notice)).toBeNull();
    expect(commandOnQuotedBooking('完成', 101)).toEqual({ kind: 'complete-booking', bookingNumber: 101, note: '' });
    expect(commandOnQuotedBooking('已完成 指导了施肥', 101)).toEqual({ kind: 'complete-booking', bookingNumber: 101, note: '指导了施肥' });
    expect(commandOnQuotedBooking('没来', 102)).toEqual({ kind: 'no-show', bookingNumber: 102 });
    expect(commandOnQuotedBooking('改约 下雨', 102)).toEqual({ kind: 'move-booking', bookingNumber: 102, reason: '下雨' });
    // A number written out wins; words stay words.
    expect(commandOnQuotedBooking('完成 103 已指导', 101)).toEqual({ kind: 'complete-booking', bookingNumber: 103, note: '已指导' });
    expect(commandOnQuotedBooking('好的', 101)).toBeNull();
  });

  it('finds the one case a quoted message is about', () => {
    expect(quotedCaseNumber(notice)).toBe(1003);
    expect(quotedCaseNumber('【督办】＃1005 黄站长请您抓紧办理。')).toBe(1005);
    expect(quotedCaseNumber('您的待办（2 件）：\n#1003 东山村\n#1004 西岭村')).toBeNull();
    expect(quotedCaseNumber('图片')).toBeNull();
  });

  it('puts the quoted case number into a command written without one', () => {
    expect(commandOnQuotedCase('接单', 1003)).toEqual({ kind: 'accept', caseNumber: 1003 });
    // Who holds it, asked quoting it: where it stands; how it is, asked of the resident, stays words.
    for (const asked of ['这个谁在办', '现在在谁手上？', '派给谁了']) expect(commandOnQuotedCase(asked, 1003), asked).toEqual({ kind: 'case-status', caseNumber: 1003 });
    expect(commandOnQuotedCase('现在怎么样了', 1003)).toBeNull();
    expect(commandOnQuotedCase('办结 已经修好了', 1003)).toEqual({ kind: 'resolve', caseNumber: 1003, note: '已经修好了' });
    expect(commandOnQuotedCase('办结', 1003)).toEqual({ kind: 'resolve', caseNumber: 1003, note: '' });
    expect(commandOnQuotedCase('回复：明天上午去您家', 1003)).toEqual({ kind: 'reply', caseNumber: 1003, text: '明天上午去您家' });
    expect(commandOnQuotedCase('转派 林业站 山林的事', 1003)).toEqual({ kind: 'transfer', caseNumber: 1003, department: '林业站', reason: '山林的事' });
    expect(commandOnQuotedCase('派单 易春林', 1003)).toEqual({ kind: 'assign', caseNumber: 1003, cadre: '易春林', note: '' });
    expect(commandOnQuotedCase('同意延期', 1003)).toEqual({ kind: 'approve-extension', caseNumber: 1003, note: '' });
    expect(commandOnQuotedCase('驳回延期 先电话联系', 1003)).toEqual({ kind: 'reject-extension', caseNumber: 1003, reason: '先电话联系' });
    // A number written out wins; one written wrongly stays wrong rather than guessed.
    expect(commandOnQuotedCase('接单 1004', 1003)).toEqual({ kind: 'accept', caseNumber: 1004 });
    expect(commandOnQuotedCase('退单 #１００', 1003)).toEqual({ kind: 'malformed', verb: '退单' });
    expect(commandOnQuotedCase('回复 第3组的路灯修好了', 1003)).toEqual({ kind: 'reply', caseNumber: 1003, text: '第3组的路灯修好了' });
    expect(commandOnQuotedCase('延期 3天 下雨路断了', 1003)).toEqual({ kind: 'extend', caseNumber: 1003, days: 3, reason: '下雨路断了' });
    expect(commandOnQuotedCase('延期 3 等药', 1003)).toEqual({ kind: 'extend', caseNumber: 1003, days: 3, reason: '等药' });
    // A number with a unit is words: "3点到" is when, not which case.
    expect(commandOnQuotedCase('回复 3点到', 1003)).toEqual({ kind: 'reply', caseNumber: 1003, text: '3点到' });
    expect(commandOnQuotedCase('办结 2楼的灯也换了', 1003)).toEqual({ kind: 'resolve', caseNumber: 1003, note: '2楼的灯也换了' });
    expect(commandOnQuotedCase('延期 下雨路断了', 1003)).toEqual({ kind: 'malformed', verb: '延期' });
    // Words and commands without a case stay what they are.
    expect(commandOnQuotedCase('马上到', 1003)).toBeNull();
    expect(commandOnQuotedCase('任务', 1003)).toEqual({ kind: 'tasks' });
    // A number alone is the quoted case's, or words: "302" quoting "门牌号多少" is no case #302.
    expect(commandOnQuotedCase('1003', 1003)).toEqual({ kind: 'case-number', caseNumber: 1003 });
    expect(commandOnQuotedCase('302', 1003)).toBeNull();
    expect(commandOnQuotedCase('1530', 1003)).toBeNull();
    // So is a number asked after: "1500怎么样" quoting "打一次药多少钱" is a price, though #1500 may exist.
    expect(commandOnQuotedCase('1003怎么样了', 1003)).toEqual({ kind: 'case-status', caseNumber: 1003 });
    expect(commandOnQuotedCase('1500怎么样', 1003)).toBeNull();
  });
});

describe('quotedVisitWords', () => {
  it('reads whose words about which visit a resident quotes, as lianxin wrote them to her', () => {
    const words = bookingReplies.cadreWords({ number: 101, service: '田间技术指导', when: '11月30日 周一 08:30–09:30', department: '农技站', cadre: '贺建军', text: '路上堵了：\n晚半小时到' });
    expect(splitQuote(quoting(words, '好的'))?.quoted).toBe(words);
    expect(quotedVisitWords(words)).toEqual({ cadre: '贺建军', bookingNumber: 101 });
    // A case's reply, a reminder with the visit's number: no cadre's words about a visit.
    expect(quotedVisitWords('【农技站 贺建军】明天上午过去\n（#1001，直接留言即可回复）')).toBeNull();
    expect(quotedVisitWords(bookingReplies.reminder({ number: 101, when: '11月30日 08:30', service: '田间技术指导', cadre: '贺建军' }))).toBeNull();
  });
});
