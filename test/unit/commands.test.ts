import { describe, expect, it } from 'vitest';
import { RepeatCounter } from '../../src/bot/repeat-counter.js';
import { RecipientPacer } from '../../src/bot/sender.js';
import {
  copiedPlaceholder, fileForWithoutSpaces, isPlaceholder, leadingCaseNumber, looksLikeCommand, parseCadreCommand, replyMarksCase, startsWithVerb, wordsTo, type CadreCommand,
} from '../../src/domain/commands.js';
import { bookingReplies } from '../../src/services/booking-replies.js';
import { replies } from '../../src/services/replies.js';
import { slaReplies } from '../../src/services/sla-replies.js';
import { addressesCadre, asksToBook, isGreeting, isPleasantry, parseMenuNumber, sendsCadre } from '../../src/domain/text.js';
import { asksAfterVisit, parseBookingWord } from '../../src/services/booking-words.js';
import { parseRating } from '../../src/services/callback.service.js';

describe('cadre commands', () => {
  it('reads case numbers with or without #, full-width too, and with or without a space', () => {
    expect(parseCadreCommand('接单 1001')).toEqual({ kind: 'accept', caseNumber: 1001 });
    expect(parseCadreCommand('接单#1001')).toEqual({ kind: 'accept', caseNumber: 1001 });
    expect(parseCadreCommand('接单　＃1001')).toEqual({ kind: 'accept', caseNumber: 1001 });
    expect(parseCadreCommand('回复1001 明天上午到')).toEqual({ kind: 'reply', caseNumber: 1001, text: '明天上午到' });
    expect(parseCadreCommand('办结 1001')).toEqual({ kind: 'resolve', caseNumber: 1001, note: '' });
    expect(parseCadreCommand('转派 1001 民政办 属于低保')).toEqual({ kind: 'transfer', caseNumber: 1001, department: '民政办', reason: '属于低保' });
    expect(parseCadreCommand('延期 1001 3天 等材料')).toEqual({ kind: 'extend', caseNumber: 1001, days: 3, reason: '等材料' });
    expect(parseCadreCommand('同意延期 1001')).toEqual({ kind: 'approve-extension', caseNumber: 1001, note: '' });
    expect(parseCadreCommand('同意延期 1001 抓紧')).toEqual({ kind: 'approve-extension', caseNumber: 1001, note: '抓紧' });
    // Without a number: the one request waiting for this head.
    expect(parseCadreCommand('同意延期')).toEqual({ kind: 'decide-waiting-extension', approve: true, text: '' });
    expect(parseCadreCommand('同意延期。')).toEqual({ kind: 'decide-waiting-extension', approve: true, text: '' });
    expect(parseCadreCommand('同意延期，抓紧')).toEqual({ kind: 'decide-waiting-extension', approve: true, text: '抓紧' });
    expect(parseCadreCommand('驳回延期 先电话联系')).toEqual({ kind: 'decide-waiting-extension', approve: false, text: '先电话联系' });
    expect(parseCadreCommand('驳回延期 3天太长')).toEqual({ kind: 'malformed', verb: '驳回延期' });
    expect(parseCadreCommand('派单 1001 贺建军')).toEqual({ kind: 'assign', caseNumber: 1001, cadre: '贺建军', note: '' });
    expect(parseCadreCommand('派单 1001 贺建军，请今天上门')).toEqual({ kind: 'assign', caseNumber: 1001, cadre: '贺建军', note: '请今天上门' });
    // Typed in one go: the name cannot be part of the number.
    expect(parseCadreCommand('派单1001贺建军')).toEqual({ kind: 'assign', caseNumber: 1001, cadre: '贺建军', note: '' });
    // "处理一下" after the name is the request, not part of the name.
    expect(parseCadreCommand('派单 1001 贺建军处理一下')).toEqual({ kind: 'assign', caseNumber: 1001, cadre: '贺建军', note: '' });
    expect(parseCadreCommand('把1001交给易春林办理')).toEqual({ kind: 'assign', caseNumber: 1001, cadre: '易春林', note: '' });
    expect(parseCadreCommand('把1001和1002交给易春林处理一下')).toEqual({ kind: 'assign-several', caseNumbers: [1001, 1002], cadre: '易春林', note: '' });
    expect(parseCadreCommand('派单 1001号 贺建军')).toEqual({ kind: 'assign', caseNumber: 1001, cadre: '贺建军', note: '' });
    expect(parseCadreCommand('派单 1001号')).toEqual({ kind: 'malformed', verb: '派单' });
    expect(parseCadreCommand('定村 1001 东台村')).toEqual({ kind: 'set-village', caseNumber: 1001, village: '东台村' });
    expect(parseCadreCommand('定村1001号，东台。')).toEqual({ kind: 'set-village', caseNumber: 1001, village: '东台' });
    expect(parseCadreCommand('定村 1001')).toEqual({ kind: 'malformed', verb: '定村' });
    expect(parseCadreCommand('定村 1001 东台村 她打电话说的')).toEqual({ kind: 'malformed', verb: '定村' });
    expect(parseCadreCommand('统计 农技站 上月')).toEqual({ kind: 'stats', args: '农技站 上月' });
    expect(parseCadreCommand('完成 101 已指导')).toEqual({ kind: 'complete-booking', bookingNumber: 101, note: '已指导' });
  });

  it('reads what a phone keyboard makes of a command: full-width digits, a comma or colon, a trailing 。', () => {
    expect(parseCadreCommand('接单１００１')).toEqual({ kind: 'accept', caseNumber: 1001 });
    expect(parseCadreCommand('接单＃１００１')).toEqual({ kind: 'accept', caseNumber: 1001 });
    expect(parseCadreCommand('接单，1001')).toEqual({ kind: 'accept', caseNumber: 1001 });
    expect(parseCadreCommand('接单 1001。')).toEqual({ kind: 'accept', caseNumber: 1001 });
    expect(parseCadreCommand('任务。')).toEqual({ kind: 'tasks' });
    expect(parseCadreCommand('帮助！')).toEqual({ kind: 'help' });
    expect(parseCadreCommand('延期 1001 ３天 等材料')).toEqual({ kind: 'extend', caseNumber: 1001, days: 3, reason: '等材料' });
    expect(parseCadreCommand('绑定 ＡＢ１２３４')).toEqual({ kind: 'bind', code: 'AB1234' });
    // The words for the resident keep their own characters, without the separator before them.
    expect(parseCadreCommand('回复１００１ 明天１０点到。')).toEqual({ kind: 'reply', caseNumber: 1001, text: '明天１０点到。' });
    expect(parseCadreCommand('回复 1001：明天上午到')).toEqual({ kind: 'reply', caseNumber: 1001, text: '明天上午到' });
    expect(parseCadreCommand('办结 1001。')).toEqual({ kind: 'resolve', caseNumber: 1001, note: '' });
    expect(parseCadreCommand('回复 1001。')).toEqual({ kind: 'malformed', verb: '回复' });
    expect(parseCadreCommand('接单 1001 马上去')).toEqual({ kind: 'accept', caseNumber: 1001, text: '马上去' });
    // Several numbers: each is accepted; with words after them, whose words is unclear.
    for (const text of ['接单 1001 1002', '接单 1001，1002', '接单1001、1002。', '接 #1001 #1002号', '接单 1001 和 1002', '接单１００１，１００２']) {
      expect(parseCadreCommand(text), text).toEqual({ kind: 'accept-several', caseNumbers: [1001, 1002] });
    }
    expect(parseCadreCommand('接单 1002 1001 1002')).toEqual({ kind: 'accept-several', caseNumbers: [1002, 1001] });
    expect(parseCadreCommand('接单 1001 1001')).toEqual({ kind: 'accept', caseNumber: 1001 });
    // Words after them are for each resident.
    expect(parseCadreCommand('接单 1001 1002 马上到')).toEqual({ kind: 'accept-several', caseNumbers: [1001, 1002], text: '马上到' });
    // A nod after them is no words, as after one number.
    for (const text of ['接单 1001 1002 收到', '接单 1001，1002，好的。', '接 1001 1002👍']) {
      expect(parseCadreCommand(text), text).toEqual({ kind: 'accept-several', caseNumbers: [1001, 1002] });
    }
    expect(parseCadreCommand('接单 1001 2')).toEqual({ kind: 'malformed', verb: '接单' });
    expect(parseCadreCommand('接单 1001 300米外，马上到')).toEqual({ kind: 'accept', caseNumber: 1001, text: '300米外，马上到' });
  });

  it('reads 代办 as the resident’s name and the rest, however they are separated', () => {
    expect(parseCadreCommand('代办 张大爷 东山村 猪不吃食')).toEqual({ kind: 'file-for', resident: '张大爷', text: '东山村 猪不吃食' });
    expect(parseCadreCommand('代办，张大爷，东山村，猪不吃食。')).toEqual({ kind: 'file-for', resident: '张大爷', text: '东山村，猪不吃食。' });
    expect(parseCadreCommand('代办张大爷：路灯坏了')).toEqual({ kind: 'file-for', resident: '张大爷', text: '路灯坏了' });
    expect(parseCadreCommand('代办 张大爷')).toEqual({ kind: 'malformed', verb: '代办' });
    // 待办: how pinyin and voice input often write it.
    expect(parseCadreCommand('待办 张大爷 东山村 猪不吃食')).toEqual({ kind: 'file-for', resident: '张大爷', text: '东山村 猪不吃食' });
    expect(parseCadreCommand('代办 张大爷 。')).toEqual({ kind: 'malformed', verb: '代办' });
    // Without any separator it is one word, for intake to take apart at a village name.
    expect(parseCadreCommand('代办张大爷东山村家里漏水')).toEqual({ kind: 'malformed', verb: '代办' });
    expect(fileForWithoutSpaces('代办张大爷东山村家里漏水。')).toEqual({ kind: 'file-for', resident: '张大爷东山村家里漏水', text: '' });
    expect(fileForWithoutSpaces('待办：张大爷东山村家里漏水')).toEqual({ kind: 'file-for', resident: '张大爷东山村家里漏水', text: '' });
    expect(fileForWithoutSpaces('代办 张大爷 东山村')).toBeNull();
    expect(fileForWithoutSpaces('回复1001好的')).toBeNull();
  });

  it('tidies the words: no space before Chinese punctuation, no lone "." after a space at the end', () => {
    expect(parseCadreCommand('办结 1001 已处理 。')).toEqual({ kind: 'resolve', caseNumber: 1001, note: '已处理。' });
    expect(parseCadreCommand('办结 1001 已处理 .')).toEqual({ kind: 'resolve', caseNumber: 1001, note: '已处理' });
    expect(parseCadreCommand('回复 1001 下午两点到 ，请在家等 ！')).toEqual({ kind: 'reply', caseNumber: 1001, text: '下午两点到，请在家等！' });
    expect(parseCadreCommand('退单 1001 不归我们管 ~')).toEqual({ kind: 'send-back', caseNumber: 1001, reason: '不归我们管' });
    // The words and the spaces between them stay as written.
    expect(parseCadreCommand('回复 1001 明天 10 点到（带上 身份证 ）')).toEqual({ kind: 'reply', caseNumber: 1001, text: '明天 10 点到（带上 身份证）' });
    expect(parseCadreCommand('办结 1001 已处理 👍')).toEqual({ kind: 'resolve', caseNumber: 1001, note: '已处理 👍' });
    expect(parseCadreCommand('办结 1001 。')).toEqual({ kind: 'resolve', caseNumber: 1001, note: '' });
  });

  it('takes a name without the 。 after it', () => {
    expect(parseCadreCommand('派单 1001 彭德明。')).toEqual({ kind: 'assign', caseNumber: 1001, cadre: '彭德明', note: '' });
    expect(parseCadreCommand('转派 1001 农技站。')).toEqual({ kind: 'transfer', caseNumber: 1001, department: '农技站', reason: '' });
    expect(parseCadreCommand('绑定码 彭德明。')).toEqual({ kind: 'issue-bind-code', cadre: '彭德明' });
    expect(parseCadreCommand('统计 上月。')).toEqual({ kind: 'stats', args: '上月' });
  });

  it('knows text that starts with a verb, written wrongly', () => {
    expect(parseCadreCommand('统计局来检查')).toBeNull();
    expect(startsWithVerb('统计局来检查')).toBe(true);
    expect(startsWithVerb('好的，我下午过去')).toBe(false);
  });

  it('tells a resident writing a command from words that start with a verb', () => {
    for (const text of ['接单 1001', '回复#1001 谢谢', '办结１００１', '任务', '统计。', '取消预约 101']) expect(looksLikeCommand(text), text).toBe(true);
    for (const text of ['回复，3点以后在家', '回复 ３楼漏水', '统计，我们村果树死了多少', '完成，3天了', '任务太重了']) {
      expect(looksLikeCommand(text), text).toBe(false);
    }
  });

  it('never takes the last digit of a number as the text', () => {
    expect(parseCadreCommand('回复 10011')).toEqual({ kind: 'malformed', verb: '回复' });
    expect(parseCadreCommand('退单 10011')).toEqual({ kind: 'malformed', verb: '退单' });
  });

  it('reads what a hurried cadre types: 号 after the number, a nod after 接单, days with their unit, commas', () => {
    expect(parseCadreCommand('接单')).toEqual({ kind: 'accept-waiting' });
    expect(parseCadreCommand('接单。')).toEqual({ kind: 'accept-waiting' });
    expect(parseCadreCommand('接单 1001号')).toEqual({ kind: 'accept', caseNumber: 1001 });
    for (const nod of ['接单 1002 👍', '接单1001👍', '接单 1001 收到', '接单1001，好的。']) {
      expect(parseCadreCommand(nod), nod).toEqual({ kind: 'accept', caseNumber: /100\d/.test(nod) ? Number(/100\d/.exec(nod)![0]) : 0 });
    }
    expect(parseCadreCommand('接单1001马上到')).toEqual({ kind: 'accept', caseNumber: 1001, text: '马上到' });
    expect(parseCadreCommand('接单 1001 号')).toEqual({ kind: 'accept', caseNumber: 1001 });
    expect(parseCadreCommand('回复 1001 号码是 13800000000')).toEqual({ kind: 'reply', caseNumber: 1001, text: '号码是 13800000000' });
    // Weeks and ranges are no number of working days: the example line, not a wrong one.
    for (const text of ['延期 1001 一周 等配件', '延期 1001 两周 等配件', '延期 1001 三到五天 等配件', '延期 1001 3-5天 等配件']) {
      expect(parseCadreCommand(text), text).toEqual({ kind: 'malformed', verb: '延期' });
    }
    expect(parseCadreCommand('回复 1002号 明天上午去看')).toEqual({ kind: 'reply', caseNumber: 1002, text: '明天上午去看' });
    expect(parseCadreCommand('办结1002号 已处理')).toEqual({ kind: 'resolve', caseNumber: 1002, note: '已处理' });
    expect(parseCadreCommand('延期1001 3天 等农药到货')).toEqual({ kind: 'extend', caseNumber: 1001, days: 3, reason: '等农药到货' });
    expect(parseCadreCommand('延期 1001 5个工作日 等农药')).toEqual({ kind: 'extend', caseNumber: 1001, days: 5, reason: '等农药' });
    expect(parseCadreCommand('延期 1001，三天，等农药')).toEqual({ kind: 'extend', caseNumber: 1001, days: 3, reason: '等农药' });
    expect(parseCadreCommand('延期 1001 十天 天气不好')).toEqual({ kind: 'extend', caseNumber: 1001, days: 10, reason: '天气不好' });
    expect(parseCadreCommand('转派1002 防疫站，是猪的问题')).toEqual({ kind: 'transfer', caseNumber: 1002, department: '防疫站', reason: '是猪的问题' });
    expect(parseCadreCommand('转派 1002，防疫')).toEqual({ kind: 'transfer', caseNumber: 1002, department: '防疫', reason: '' });
    // The 任务 list is headed 您的待办: "待办" alone asks for it again.
    for (const words of ['待办', '我的任务', '待办。', '任务？', '任务?']) expect(parseCadreCommand(words), words).toEqual({ kind: 'tasks' });
    expect(parseCadreCommand('帮助？')).toEqual({ kind: 'help' });
    // Asked in words: short questions only.
    for (const words of ['我手上有几件', '还有啥没办？', '还剩几件没办', '手上还有几件事', '还有什么没办完的', '我有哪些', '还有哪些？', '我手上的', '我还有什么事', '还有几个', '我的案子呢']) {
      expect(parseCadreCommand(words), words).toEqual({ kind: 'tasks' });
    }
    for (const words of ['你家有几件农具', '还有啥没办的手续要问问村里', '几件1001', '还有什么', '我的', '你有哪些症状', '我有哪些材料要带']) expect(parseCadreCommand(words), words).not.toEqual({ kind: 'tasks' });
    // The day's visits, asked in words; tomorrow's to plan ahead.
    for (const words of ['今日预约', '今天的预约', '今天预约', '预约', '我的预约', '今天有几个预约？', '今天有哪些预约']) {
      expect(parseCadreCommand(words), words).toEqual({ kind: 'day-bookings', daysAhead: 0 });
    }
    for (const words of ['明天的预约', '明日预约', '明天有几个预约']) expect(parseCadreCommand(words), words).toEqual({ kind: 'day-bookings', daysAhead: 1 });
    for (const words of ['预约的群众没来', '后天的预约', '帮他预约一下']) expect(parseCadreCommand(words)?.kind, words).not.toBe('day-bookings');
  });

  it('reads a number with a unit right after it as words, not a case number', () => {
    // "3点到": arriving at three, not case #3; the example comes, not "no such case".
    for (const text of ['回复 3点到', '回复3点到', '回复 2楼漏水那家', '回复 3号来', '办结 3天前就修好了', '退单 5个村都不归我管', '督办 2天了还没去', '接单 3点到']) {
      expect(parseCadreCommand(text), text).toEqual({ kind: 'malformed', verb: /^\p{Script=Han}{2}/u.exec(text)![0] });
    }
    expect(parseCadreCommand('回复 200块一瓶')).toEqual({ kind: 'malformed', verb: '回复' });
    // With the case number first, the unit is the words'; "#" says a number is the case's; 号 before a space is the case's.
    expect(parseCadreCommand('回复 1001 3点到')).toEqual({ kind: 'reply', caseNumber: 1001, text: '3点到' });
    expect(parseCadreCommand('回复 #3点到')).toEqual({ kind: 'reply', caseNumber: 3, text: '点到' });
    expect(parseCadreCommand('回复 1001号 3点到')).toEqual({ kind: 'reply', caseNumber: 1001, text: '3点到' });
    // 号 is a day only after one or two digits: "1001号明天到" is the case's number and the words.
    expect(parseCadreCommand('回复 1001号明天到')).toEqual({ kind: 'reply', caseNumber: 1001, text: '明天到' });
    expect(parseCadreCommand('回复1001号 明天到')).toEqual({ kind: 'reply', caseNumber: 1001, text: '明天到' });
    expect(parseCadreCommand('办结 １００１号已修好')).toEqual({ kind: 'resolve', caseNumber: 1001, note: '已修好' });
    expect(parseCadreCommand('接单 1001号马上到')).toEqual({ kind: 'accept', caseNumber: 1001, text: '马上到' });
    expect(parseCadreCommand('回复 12号来')).toEqual({ kind: 'malformed', verb: '回复' });
    expect(parseCadreCommand('回复 1001号楼灯坏了')).toEqual({ kind: 'malformed', verb: '回复' });
    // "1001号" with nothing after it is the number alone: 号 is no words for her.
    expect(parseCadreCommand('回复 1001号')).toEqual({ kind: 'malformed', verb: '回复' });
    expect(parseCadreCommand('回复 1001 号。')).toEqual({ kind: 'malformed', verb: '回复' });
    expect(parseCadreCommand('预约 101号')).toEqual({ kind: 'malformed', verb: '预约' });
    expect(parseCadreCommand('接单 1001 300米外，马上到')).toEqual({ kind: 'accept', caseNumber: 1001, text: '300米外，马上到' });
    // 延期's days keep their unit.
    expect(parseCadreCommand('延期 1001 3天 等药')).toEqual({ kind: 'extend', caseNumber: 1001, days: 3, reason: '等药' });
  });

  it('reads a case asked after by its number, short questions only', () => {
    for (const words of ['1001怎么样了', '1001怎么样了？', '#1001 进展如何', '1001号办了没', '１００１现在什么情况']) {
      expect(parseCadreCommand(words), words).toEqual({ kind: 'case-status', caseNumber: 1001 });
    }
    for (const words of ['1001号怎么走', '1001块钱怎么样', '10怎么样了']) expect(parseCadreCommand(words)?.kind, words).not.toBe('case-status');
  });

  it('reads how many cases the department has, asked in words; one’s own are 任务', () => {
    for (const words of ['我们站现在有多少件', '站里还有几件没办完？', '全所一共多少件', '全镇有多少件']) {
      expect(parseCadreCommand(words), words).toEqual({ kind: 'open-cases' });
    }
    expect(parseCadreCommand('我手上有几件')).toEqual({ kind: 'tasks' });
    for (const words of ['我们站有多少件农药', '站里有几件事要跟你说一下']) expect(parseCadreCommand(words), words).toBeNull();
  });

  it('reads 超时 asked in words, short questions only', () => {
    for (const words of ['有哪些超时的', '哪些超时了？', '超时的有几件', '有没有超时的', '有超时的吗', '看看超时', '我们站有哪些超时的', '现在有几件超时']) {
      expect(parseCadreCommand(words), words).toEqual({ kind: 'overdue' });
    }
    for (const words of ['不好意思超时了', '已经超时了还没来', '超时的那件我去看了', '超时1001']) {
      expect(parseCadreCommand(words), words).not.toEqual({ kind: 'overdue' });
    }
  });

  it('reads 接 as 接单, and a number alone as a case number', () => {
    expect(parseCadreCommand('接')).toEqual({ kind: 'accept-waiting' });
    expect(parseCadreCommand('接了')).toEqual({ kind: 'accept-waiting' });
    expect(parseCadreCommand('接 1002')).toEqual({ kind: 'accept', caseNumber: 1002 });
    expect(parseCadreCommand('接1002。')).toEqual({ kind: 'accept', caseNumber: 1002 });
    expect(parseCadreCommand('接，＃１００２号')).toEqual({ kind: 'accept', caseNumber: 1002 });
    expect(parseCadreCommand('接到通知了')).toBeNull();
    expect(parseCadreCommand('1001')).toEqual({ kind: 'case-number', caseNumber: 1001 });
    expect(parseCadreCommand('#１００１号')).toEqual({ kind: 'case-number', caseNumber: 1001 });
    // "1" is a nod, "12" a menu answer: no case number.
    expect(parseCadreCommand('1')).toBeNull();
    expect(parseCadreCommand('12')).toBeNull();
  });

  it('reads 接单 with words and no number as the case waiting, the words for its resident; a nod is none', () => {
    expect(parseCadreCommand('接单，明天上午过去')).toEqual({ kind: 'accept-waiting', text: '明天上午过去' });
    expect(parseCadreCommand('接单 马上到')).toEqual({ kind: 'accept-waiting', text: '马上到' });
    expect(parseCadreCommand('接单 收到')).toEqual({ kind: 'accept-waiting' });
    expect(parseCadreCommand('接单👍')).toEqual({ kind: 'accept-waiting' });
    // Particles are no words for the resident; a question is no command.
    expect(parseCadreCommand('接单了')).toEqual({ kind: 'accept-waiting' });
    expect(parseCadreCommand('接单吧！')).toEqual({ kind: 'accept-waiting' });
    expect(parseCadreCommand('接单了吗')).toEqual({ kind: 'malformed', verb: '接单' });
    expect(parseCadreCommand('接单 1001 了')).toEqual({ kind: 'accept', caseNumber: 1001 });
  });

  it('reads a command written with the number first, as one hand types it; a question after it is none', () => {
    expect(parseCadreCommand('1001接单')).toEqual({ kind: 'accept', caseNumber: 1001 });
    expect(parseCadreCommand('#1001 接单了')).toEqual({ kind: 'accept', caseNumber: 1001 });
    expect(parseCadreCommand('1001 接单 明天上午去')).toEqual({ kind: 'accept', caseNumber: 1001, text: '明天上午去' });
    expect(parseCadreCommand('1001办结了')).toEqual({ kind: 'resolve', caseNumber: 1001, note: '' });
    expect(parseCadreCommand('1001 已办结 缺肥')).toEqual({ kind: 'resolve', caseNumber: 1001, note: '缺肥' });
    expect(parseCadreCommand('１００１号办结了，已指导施肥。')).toEqual({ kind: 'resolve', caseNumber: 1001, note: '已指导施肥。' });
    expect(parseCadreCommand('1001 回复 明天去')).toEqual({ kind: 'reply', caseNumber: 1001, text: '明天去' });
    expect(parseCadreCommand('1001 转派 防疫站 猪的问题')).toEqual({ kind: 'transfer', caseNumber: 1001, department: '防疫站', reason: '猪的问题' });
    expect(parseCadreCommand('1001延期3天 等药')).toEqual({ kind: 'extend', caseNumber: 1001, days: 3, reason: '等药' });
    expect(parseCadreCommand('1001 退单')).toEqual({ kind: 'malformed', verb: '退单' });
    expect(parseCadreCommand('101完成了')).toEqual({ kind: 'complete-booking', bookingNumber: 101, note: '' });
    expect(parseCadreCommand('101 已完成 指导了施肥')).toEqual({ kind: 'complete-booking', bookingNumber: 101, note: '指导了施肥' });
    expect(parseCadreCommand('102号没来')).toEqual({ kind: 'no-show', bookingNumber: 102 });
    expect(parseCadreCommand('102 未到')).toEqual({ kind: 'no-show', bookingNumber: 102 });
    expect(parseCadreCommand('102 改约 下雨')).toEqual({ kind: 'move-booking', bookingNumber: 102, reason: '下雨' });
    // Words for a visit's resident, by its number: 预约 and the number, then the words.
    expect(parseCadreCommand('预约101 路上堵了，晚半小时到')).toEqual({ kind: 'booking-words', bookingNumber: 101, text: '路上堵了，晚半小时到' });
    expect(parseCadreCommand('预约 101号：请把牛圈好')).toEqual({ kind: 'booking-words', bookingNumber: 101, text: '请把牛圈好' });
    // 号 and words right after a visit's number (three digits at least) are its number and the words, as after 回复.
    expect(parseCadreCommand('预约 101号明天上午到')).toEqual({ kind: 'booking-words', bookingNumber: 101, text: '明天上午到' });
    expect(parseCadreCommand('预约1001号路上堵了')).toEqual({ kind: 'booking-words', bookingNumber: 1001, text: '路上堵了' });
    expect(parseCadreCommand('预约 101')).toEqual({ kind: 'malformed', verb: '预约' });
    // A verb of the visit's after it is that command; words about the visit, and 预约 without a visit's number, are none.
    expect(parseCadreCommand('预约101完成了')).toEqual({ kind: 'complete-booking', bookingNumber: 101, note: '' });
    expect(parseCadreCommand('预约101的时间改到下午')).toEqual({ kind: 'malformed', verb: '预约' });
    expect(parseCadreCommand('预约明天上午的')).toBeNull();
    expect(parseCadreCommand('预约2个')).toBeNull();
    expect(parseCadreCommand('预约')).toEqual({ kind: 'day-bookings', daysAhead: 0 });
    // "#" marks a case's number (lianxin shows a visit's without it).
    expect([replyMarksCase('回复 #1001 明天去'), replyMarksCase('回复＃1001 明天去'), replyMarksCase('回复 1001 明天去')]).toEqual([true, true, false]);
    // A nod after the number: the number alone.
    expect(parseCadreCommand('1001 收到')).toEqual({ kind: 'case-number', caseNumber: 1001 });
    expect(parseCadreCommand('#1001好的。')).toEqual({ kind: 'case-number', caseNumber: 1001 });
    // A particle after the verb is no note.
    expect(parseCadreCommand('1001办结了呀')).toEqual({ kind: 'resolve', caseNumber: 1001, note: '' });
    expect(parseCadreCommand('1001 办结啦！')).toEqual({ kind: 'resolve', caseNumber: 1001, note: '' });
    // Asked: where the case stands.
    for (const asked of ['1001办结了吗', '1001接单了吗？', '1001办结了吧', '1001办完了没有']) {
      expect(parseCadreCommand(asked), asked).toEqual({ kind: 'case-status', caseNumber: 1001 });
    }
    // Said done, or no verb: words.
    for (const words of ['1001回复了', '1001 已回复', '1001 明天上午到', '3点到']) {
      expect(parseCadreCommand(words), words).toBeNull();
    }
    expect(leadingCaseNumber('1001 明天上午到')).toEqual({ caseNumber: 1001, rest: '明天上午到' });
    expect(leadingCaseNumber('#1001，明天上午到')).toEqual({ caseNumber: 1001, rest: '明天上午到' });
    expect(leadingCaseNumber('1500斤稻谷')).toBeNull();
    expect(leadingCaseNumber('明天上午到')).toBeNull();
  });

  it('reads a head asking which cases wait to be accepted', () => {
    for (const text of ['都有哪些没接的', '谁还没接单？', '还有几件没接', '没接单的有哪些', '哪些没接']) {
      expect(parseCadreCommand(text), text).toEqual({ kind: 'waiting-cases' });
    }
    for (const text of ['接单', '没接到电话', '我还没接单呢']) expect(parseCadreCommand(text)?.kind, text).not.toBe('waiting-cases');
    // One cadre's load: the counts per holder; one's own: 任务.
    for (const text of ['小贺手上有几件', '贺建军手里还有多少件？']) expect(parseCadreCommand(text), text).toEqual({ kind: 'open-cases' });
    expect(parseCadreCommand('我手上有几件')).toEqual({ kind: 'tasks' });
  });

  it('reads 请假 as people say it: the name or 我 first, the days before or after, 请一天假', () => {
    expect(parseCadreCommand('我明天请假')).toEqual({ kind: 'leave', cadre: null, when: '明天' });
    expect(parseCadreCommand('明天请假，孩子发烧')).toEqual({ kind: 'leave', cadre: null, when: '明天 孩子发烧' });
    expect(parseCadreCommand('我请一天假 孩子发烧')).toEqual({ kind: 'leave', cadre: null, when: '一天 孩子发烧' });
    expect(parseCadreCommand('贺建军请假两天')).toEqual({ kind: 'leave', cadre: '贺建军', when: '两天' });
    expect(parseCadreCommand('贺建军明天请假')).toEqual({ kind: 'leave', cadre: '贺建军', when: '明天' });
    // No days: the example; asked, or a 请假条: no command.
    expect(parseCadreCommand('小贺请假了')).toEqual({ kind: 'malformed', verb: '请假' });
    for (const text of ['贺建军请假了吗', '他请假了吗', '我请假条交了']) expect(parseCadreCommand(text), text).toBeNull();
  });

  it('calls a known verb used wrongly malformed, and anything else no command', () => {
    expect(parseCadreCommand('退单 1001')).toEqual({ kind: 'malformed', verb: '退单' });
    expect(parseCadreCommand('延期 1001 99 太久')).toEqual({ kind: 'malformed', verb: '延期' });
    expect(parseCadreCommand('接单 3点到')).toEqual({ kind: 'malformed', verb: '接单' });
    expect(parseCadreCommand('延期1001 3天')).toEqual({ kind: 'malformed', verb: '延期' });
    expect(parseCadreCommand('代办')).toEqual({ kind: 'malformed', verb: '代办' });
    expect(parseCadreCommand('今天下雨了')).toBeNull();
    expect(parseCadreCommand('统计局来人说要填表')).toBeNull();
    expect(parseCadreCommand('统计')).toEqual({ kind: 'stats', args: '' });
    expect(parseCadreCommand('绑定 123456')).toEqual({ kind: 'bind', code: '123456' });
    expect(parseCadreCommand('绑定码 彭德明')).toEqual({ kind: 'issue-bind-code', cadre: '彭德明' });
  });

  it('reads 派单 as a busy clerk writes it: the number first, 派给, 给, 改派', () => {
    const to = (cadre: string, note = '') => ({ kind: 'assign', caseNumber: 1001, cadre, note });
    for (const text of ['1001 派给 贺建军', '1001派给贺建军', '#1001 交给 贺建军', '把1001派给贺建军', '1001号派给贺建军。', '１００１派给贺建军', '1001改派贺建军']) {
      expect(parseCadreCommand(text), text).toEqual(to('贺建军'));
    }
    expect(parseCadreCommand('1001交给农技站，今天要回话')).toEqual(to('农技站', '今天要回话'));
    for (const text of ['改派 1001 贺建军', '重新派单 1001 贺建军', '派给 1001 贺建军', '派单 1001 给贺建军', '派单 1001 给 贺建军', '派单1001给贺建军']) {
      expect(parseCadreCommand(text), text).toEqual(to('贺建军'));
    }
    expect(parseCadreCommand('改派 1001 贺建军 请今天上门')).toEqual(to('贺建军', '请今天上门'));
    // 给 alone: a command only as the whole message; who may give it and whether the name is anyone's, the service knows.
    expect(parseCadreCommand('1001给农技站')).toEqual({ ...to('农技站'), loose: true });
    expect(parseCadreCommand('１００１ 给 贺建军')).toEqual({ ...to('贺建军'), loose: true });
    expect(parseCadreCommand('1001给他回过电话了，在等材料')).toBeNull();
    // Not a case number: too short, or a count.
    expect(parseCadreCommand('3个给贺建军')).toBeNull();
    expect(parseCadreCommand('20给贺建军')).toBeNull();
    expect(parseCadreCommand('改派 1001')).toEqual({ kind: 'malformed', verb: '改派' });
    // 改派 and 派给 are 派单 only with a case number after them: else a sentence ("派给我的那件…").
    for (const text of ['派给我了，明天上午就去', '派给我的那件不归我们管', '改派一下吧']) {
      expect(parseCadreCommand(text), text).toBeNull();
      expect(startsWithVerb(text), text).toBe(false);
    }
  });

  it('reads "1001派给谁了" and "1001改派了吗" as asking where the case stands, and no question as a name to 派单 to', () => {
    for (const text of ['1001派给谁了？', '1001交给谁了', '1001给谁了', '1001改派了吗？', '1001改派了没', '1001在谁手上']) {
      expect(parseCadreCommand(text), text).toEqual({ kind: 'case-status', caseNumber: 1001 });
    }
    for (const text of ['1001派给我的吗', '1001交给他们了吗？', '1001给钱了吗', '1001给了吗']) expect(parseCadreCommand(text), text).toBeNull();
  });

  it('reads 统计 written without the space, or in words, as 统计 with the month and department', () => {
    const stats = (args: string) => ({ kind: 'stats', args });
    expect(parseCadreCommand('统计上月')).toEqual(stats('上月'));
    expect(parseCadreCommand('统计１０月')).toEqual(stats('１０月'));
    expect(parseCadreCommand('统计2026年10月')).toEqual(stats('2026年10月'));
    expect(parseCadreCommand('统计农技站')).toEqual(stats('农技站'));
    expect(parseCadreCommand('统计农技站上月')).toEqual(stats('农技站 上月'));
    expect(parseCadreCommand('统计上月农技站')).toEqual(stats('上月 农技站'));
    for (const text of ['统计一下', '统计数据', '看看统计', '统计一下。']) expect(parseCadreCommand(text), text).toEqual(stats(''));
    expect(parseCadreCommand('上月的统计')).toEqual(stats('上月'));
    expect(parseCadreCommand('本月统计')).toEqual(stats('本月'));
    expect(parseCadreCommand('统计一下上个月')).toEqual(stats('上个月'));
    expect(parseCadreCommand('看看农技站的统计')).toEqual(stats('农技站'));
    // Words that start with 统计 and are no figures asked for.
    expect(parseCadreCommand('统计局')).toBeNull();
    expect(parseCadreCommand('统计局的人来了')).toBeNull();
    expect(parseCadreCommand('我来统计一下')).toBeNull();
  });

  it('reads 请假 as the days (and the reason) for oneself, or a name and then the days', () => {
    expect(parseCadreCommand('请假 今天')).toEqual({ kind: 'leave', cadre: null, when: '今天' });
    expect(parseCadreCommand('请假今天')).toEqual({ kind: 'leave', cadre: null, when: '今天' });
    expect(parseCadreCommand('请假：明天 孩子发烧。')).toEqual({ kind: 'leave', cadre: null, when: '明天 孩子发烧。' });
    expect(parseCadreCommand('请假 今天到周五')).toEqual({ kind: 'leave', cadre: null, when: '今天到周五' });
    expect(parseCadreCommand('请假 12月3日到12月5日 年休')).toEqual({ kind: 'leave', cadre: null, when: '12月3日到12月5日 年休' });
    expect(parseCadreCommand('请假 3天 感冒')).toEqual({ kind: 'leave', cadre: null, when: '3天 感冒' });
    expect(parseCadreCommand('请假 两个工作日')).toEqual({ kind: 'leave', cadre: null, when: '两个工作日' });
    expect(parseCadreCommand('请假 贺建军 今天')).toEqual({ kind: 'leave', cadre: '贺建军', when: '今天' });
    expect(parseCadreCommand('请假，贺建军，明天到下周一 培训')).toEqual({ kind: 'leave', cadre: '贺建军', when: '明天到下周一 培训' });
    // No days: the example.
    expect(parseCadreCommand('请假')).toEqual({ kind: 'malformed', verb: '请假' });
    expect(parseCadreCommand('请假 贺建军')).toEqual({ kind: 'malformed', verb: '请假' });
    expect(parseCadreCommand('请假 感冒了')).toEqual({ kind: 'malformed', verb: '请假' });
    expect(startsWithVerb('请假条收到了')).toBe(true);
  });

  it('reads the everyday verbs as voice input writes them, where nothing else is meant: 恢复, 半截 before a number, 人物 alone', () => {
    expect(parseCadreCommand('恢复1001 明天去')).toEqual({ kind: 'reply', caseNumber: 1001, text: '明天去' });
    expect(parseCadreCommand('恢复，#1001 明天去')).toEqual({ kind: 'reply', caseNumber: 1001, text: '明天去' });
    expect(parseCadreCommand('1001 恢复 下午到')).toEqual({ kind: 'reply', caseNumber: 1001, text: '下午到' });
    expect(parseCadreCommand('恢复 1001')).toEqual({ kind: 'malformed', verb: '回复' });
    expect(parseCadreCommand('半截 1001 已指导打药')).toEqual({ kind: 'resolve', caseNumber: 1001, note: '已指导打药' });
    expect(parseCadreCommand('1001半截了')).toEqual({ kind: 'resolve', caseNumber: 1001, note: '' });
    expect(parseCadreCommand('人物')).toEqual({ kind: 'tasks' });
    expect(parseCadreCommand('人物。')).toEqual({ kind: 'tasks' });
    // Asked, as 1001办结了吗: where the case stands.
    expect(parseCadreCommand('1001半截了吗')).toEqual({ kind: 'case-status', caseNumber: 1001 });
    // Words that start with them stay words.
    for (const text of ['恢复供电了', '恢复 3点到', '半截路还没修', '人物照片发你了', '半截 2000 米水渠还没修完', '恢复 1001 户供电了']) {
      expect(parseCadreCommand(text), text).toBeNull();
      expect(startsWithVerb(text), text).toBe(false);
    }
  });

  it('reads 结案 and 转办, as offices say them, and 接但, as pinyin types 接单, for those commands', () => {
    expect(parseCadreCommand('结案 1001 已处理')).toEqual({ kind: 'resolve', caseNumber: 1001, note: '已处理' });
    expect(parseCadreCommand('结案1001')).toEqual({ kind: 'resolve', caseNumber: 1001, note: '' });
    expect(parseCadreCommand('1001结案了')).toEqual({ kind: 'resolve', caseNumber: 1001, note: '' });
    expect(parseCadreCommand('1001结案了吗')).toEqual({ kind: 'case-status', caseNumber: 1001 });
    expect(parseCadreCommand('转办 1002 防疫站 不是我们的事')).toEqual({ kind: 'transfer', caseNumber: 1002, department: '防疫站', reason: '不是我们的事' });
    expect(parseCadreCommand('1002 转办 防疫站')).toEqual({ kind: 'transfer', caseNumber: 1002, department: '防疫站', reason: '' });
    expect(parseCadreCommand('接但 1001')).toEqual({ kind: 'accept', caseNumber: 1001 });
    expect(parseCadreCommand('接但')).toEqual({ kind: 'accept-waiting' });
    expect(parseCadreCommand('接但，明天上午过去')).toEqual({ kind: 'accept-waiting', text: '明天上午过去' });
    // Without a case number they stay words.
    for (const text of ['结案了没有', '转办的事我问问', '结案 2000 元']) expect(parseCadreCommand(text), text).toBeNull();
  });

  it('reads 结单, which may be 接单 (as pinyin types it) or 办结, as neither: the number and words kept to ask', () => {
    expect(parseCadreCommand('结单 1001')).toEqual({ kind: 'close-or-accept', caseNumber: 1001, text: '' });
    expect(parseCadreCommand('结单１００１ 已指导打药')).toEqual({ kind: 'close-or-accept', caseNumber: 1001, text: '已指导打药' });
    expect(parseCadreCommand('1001结单了')).toEqual({ kind: 'close-or-accept', caseNumber: 1001, text: '' });
    expect(parseCadreCommand('1001结单了吗')).toEqual({ kind: 'case-status', caseNumber: 1001 });
    expect(parseCadreCommand('结单了')).toEqual({ kind: 'close-or-accept', caseNumber: null, text: '' });
    expect(parseCadreCommand('结单，已处理')).toEqual({ kind: 'close-or-accept', caseNumber: null, text: '已处理' });
    for (const text of ['结单率是多少', '结单了没有']) expect(parseCadreCommand(text), text).toBeNull();
  });

  it('reads 结案报告, 转办单 after a number as the papers of the case, not as 办结 or 转派 with words', () => {
    for (const text of ['1001结案报告写好了', '1001 结案材料交了', '1001转办单填好了', '1001办结报告交了', '1001转派单在我这']) {
      expect(parseCadreCommand(text), text).toBeNull();
    }
    expect(parseCadreCommand('1001转办给谁了')).toEqual({ kind: 'case-status', caseNumber: 1001 });
    expect(parseCadreCommand('1001 转派给谁了？')).toEqual({ kind: 'case-status', caseNumber: 1001 });
    expect(parseCadreCommand('1001结案，已处理')).toEqual({ kind: 'resolve', caseNumber: 1001, note: '已处理' });
    expect(parseCadreCommand('1001转办防疫站')).toEqual({ kind: 'transfer', caseNumber: 1001, department: '防疫站', reason: '' });
  });

  it('reads 回复 or 办结 with several numbers as the same words for each, keeping the reading as one case for when they are words', () => {
    expect(parseCadreCommand('回复 1001 1003 明天上午过去')).toEqual({
      kind: 'on-several', verb: 'reply', caseNumbers: [1001, 1003], text: '明天上午过去',
      single: { kind: 'reply', caseNumber: 1001, text: '1003 明天上午过去' },
    });
    expect(parseCadreCommand('办结 1001、#1003和1005，已指导打药')).toMatchObject({ kind: 'on-several', verb: 'resolve', caseNumbers: [1001, 1003, 1005], text: '已指导打药' });
    expect(parseCadreCommand('半截1001 1003')).toMatchObject({ kind: 'on-several', verb: 'resolve', caseNumbers: [1001, 1003], text: '' });
    // Typed with one hand, without the space before the words.
    expect(parseCadreCommand('回复1001 1003马上到')).toMatchObject({ kind: 'on-several', caseNumbers: [1001, 1003], text: '马上到' });
    expect(parseCadreCommand('接单1001 1003马上到')).toEqual({ kind: 'accept-several', caseNumbers: [1001, 1003], text: '马上到' });
    // A number with its unit is words.
    expect(parseCadreCommand('回复 1001 1200元')).toEqual({ kind: 'reply', caseNumber: 1001, text: '1200元' });
    expect(parseCadreCommand('回复 1001 1002号楼灯坏了')).toEqual({ kind: 'reply', caseNumber: 1001, text: '1002号楼灯坏了' });
    expect(parseCadreCommand('回复 1001 2000块一天')).toEqual({ kind: 'reply', caseNumber: 1001, text: '2000块一天' });
    expect(parseCadreCommand('回复 1001 1500 元已到账')).toEqual({ kind: 'reply', caseNumber: 1001, text: '1500 元已到账' });
    // Words that begin with a number after 接单 N: the example, nobody's words sent.
    expect(parseCadreCommand('接单 1001 1500 斤化肥明天到')).toEqual({ kind: 'malformed', verb: '接单' });
  });

  it('reads 销假 alone for oneself, or with a name', () => {
    expect(parseCadreCommand('销假')).toEqual({ kind: 'end-leave', cadre: null });
    expect(parseCadreCommand('销假。')).toEqual({ kind: 'end-leave', cadre: null });
    expect(parseCadreCommand('销假 贺建军')).toEqual({ kind: 'end-leave', cadre: '贺建军' });
    expect(parseCadreCommand('销假 贺建军 今天回来了')).toEqual({ kind: 'malformed', verb: '销假' });
  });
});

describe('a resident writing to her case as a cadre would', () => {
  it('reads her words without 回复 and the case number, for that case only', () => {
    expect(wordsTo('回复1001 在家等着呢', 1001)).toBe('在家等着呢');
    expect(wordsTo('回复 1001：在家等着呢', 1001)).toBe('在家等着呢');
    expect(wordsTo('回复 #1001，在家等着呢。', 1001)).toBe('在家等着呢。');
    expect(wordsTo('回复1001 在家等着呢', 1002)).toBe('回复1001 在家等着呢');
    expect(wordsTo('回复一下 在家等着呢', 1001)).toBe('回复一下 在家等着呢');
    expect(wordsTo('回复1001 139 1234 5678', 1001)).toBe('139 1234 5678');
  });
});

/** A holder's cases past different limits in one sweep. */
const severalLate = [
  { number: 1001, village: '东岸村', resident: '赵叔', text: '水稻纹枯病怎么治', limit: 'first-response', due: '15:30' },
  { number: 1002, village: '东台村', resident: '', text: '秧苗发黄是不是病虫害，叶子尖都黄了', limit: 'resolve', due: '11月27日 17:30' },
  { number: 1003, village: '东台村', resident: '钱大伯', text: '稻飞虱打什么农药', limit: 'first-response', due: '15:30' },
] as const;
/** Cases a head takes over in one sweep, one of them his to place. */
const severalGivenAnew = [
  { number: 1001, village: '东岸村', resident: '赵叔', text: '水稻纹枯病怎么治', from: '贺建军', next: { limit: 'first-response', due: '15:30' }, dispatcher: false },
  { number: 1002, village: '东台村', resident: '钱大伯', text: '稻飞虱打什么农药', from: '贺建军', next: { limit: 'first-response', due: null }, dispatcher: true },
] as const;

describe('a sweep’s list of several cases', () => {
  it('ends with what to send for each limit in the list, on one line', () => {
    expect(slaReplies.slaOverdueHolderSeveral(severalLate)).toBe(
      `【超时】3 件已超过时限，请尽快处理：\n` +
        `#1001 东岸村 回复群众超时（时限 15:30） · 赵叔：水稻纹枯病怎么治\n` +
        `#1002 东台村 办结超时（时限 11月27日 17:30） · 群众：秧苗发黄是不是病虫害，叶……\n` +
        `#1003 东台村 回复群众超时（时限 15:30） · 钱大伯：稻飞虱打什么农药\n` +
        `转告群众请发：回复 1001 内容；办结请发：办结 1002 办理说明`,
    );
    const warning = slaReplies.slaWarningSeveral([
      { number: 1001, village: '东岸村', resident: '赵叔', text: '水稻纹枯病怎么治', dispatcher: false, limits: [{ limit: 'accept', due: '11:00' }, { limit: 'first-response', due: '11:15' }] },
      { number: 1002, village: '东台村', resident: '钱大伯', text: '稻飞虱打什么农药', dispatcher: false, limits: [{ limit: 'accept', due: '11:00' }] },
    ]);
    expect(warning.split('\n').slice(1)).toEqual([
      '#1001 东岸村 11:00 前接单、11:15 前回复群众 · 赵叔：水稻纹枯病怎么治',
      '#1002 东台村 11:00 前接单 · 钱大伯：稻飞虱打什么农药',
      '接单请发：接单 1001 1002；转告群众请发：回复 1001 内容',
    ]);
    // The 接单 line takes them all at once.
    expect(parseCadreCommand('接单 1001 1002')).toEqual({ kind: 'accept-several', caseNumbers: [1001, 1002] });
  });

  it('offers a head who is to place one of them 派单 before 接单, and a limit passed as 尽快', () => {
    expect(slaReplies.cadreNewCases(severalGivenAnew).split('\n')).toEqual([
      '【新案件】2 件超时未接单，转由您办理：',
      '#1001 东岸村 原贺建军，15:30 前回复群众 · 赵叔：水稻纹枯病怎么治',
      '#1002 东台村 原贺建军，尽快回复群众 · 钱大伯：稻飞虱打什么农药',
      // The example names the one he is to place.
      '派单请发：派单 1002 干部姓名或部门；自己办理请发：接单 1001 1002',
    ]);
  });
});

describe('an example copied as it stands', () => {
  /** The words a command passes on, if any. */
  const wordsOf = (c: CadreCommand) => ('text' in c ? c.text : 'note' in c ? c.note : 'reason' in c ? c.reason : '') ?? '';

  it('catches the placeholder of every example lianxin gives, with its note in brackets', () => {
    const texts = [
      replies.cadreHelp(true, '东山村'),
      replies.unknownCommand(),
      ...['接单', '回复', '办结', '转派', '退单', '延期', '派单', '督办', '同意延期', '驳回延期', '完成', '改约', '预约'].map((v) => replies.malformed(v)),
      replies.accepted({ number: 1001, resident: '王大妈' }),
      replies.acceptedSeveral({ taken: [{ number: 1001, resident: '王大妈' }, { number: 1002, resident: '' }], skipped: [] }),
      replies.caseNumberAlone({ number: 1001, resident: '王大妈' }),
      replies.overdueList({ lines: ['#1001'], more: false, example: 1001 }),
      replies.extensionForSupervisor({ number: 1001, cadre: '贺建军', days: 3, reason: '等药' }),
      replies.extensionRequestsWaiting([{ number: 1001, cadre: '贺建军', days: 3, reason: '等药' }]),
      replies.mediaWithoutCase(),
      bookingReplies.moveTooLate(101),
      slaReplies.slaOverdueHolderSeveral(severalLate),
      slaReplies.cadreNewCases(severalGivenAnew),
    ];
    // Each example on its own: between quotes, after "请发：" (not a colon in its note), one a line, "同意延期 1001 / 驳回延期 1001 原因".
    const examples = texts.flatMap((t) => t.split(/[\n“”；]|：(?![^（]*）)|\s\/\s/)).map((e) => e.trim()).filter((e) => /^\p{Script=Han}{2,4} /u.test(e));
    const withWords = examples.map((e) => [e, parseCadreCommand(e)] as const).filter(([, c]) => c && c.kind !== 'file-for' && wordsOf(c));
    expect(withWords.map(([e]) => e)).toEqual(expect.arrayContaining(['回复 1001 内容（转告群众）', '办结 1001 办理说明', '完成 101 说明', '督办 1001 要说的话']));
    for (const [example, command] of withWords) {
      // Its department is a placeholder too: the list of departments answers it (nothing is sent either).
      if (example === '转派 1001 部门 原因') continue;
      expect(copiedPlaceholder(command!), example).not.toBeNull();
    }
  });

  it('gives the command without the placeholder, to write the words after, and what they stand for', () => {
    const copied = (text: string) => copiedPlaceholder(parseCadreCommand(text)!);
    expect(copied('回复 1001 内容')).toEqual({ words: '内容', line: '回复 1001', what: ['words'] });
    expect(copied('回复1001 要转告群众的话。')).toEqual({ words: '要转告群众的话。', line: '回复 1001', what: ['words'] });
    expect(copied('办结 1001 办理说明（可随后发现场照片）')).toEqual({ words: '办理说明（可随后发现场照片）', line: '办结 1001', what: ['note'] });
    expect(copied('1001办结 说明')).toEqual({ words: '说明', line: '办结 1001', what: ['note'] });
    expect(copied('完成 101 说明')).toEqual({ words: '说明', line: '完成 101', what: ['note'] });
    expect(copied('改约 101 原因（如：下雨）')).toEqual({ words: '原因（如：下雨）', line: '改约 101', what: ['reason'] });
    expect(copied('预约 101 要转告群众的话')).toEqual({ words: '要转告群众的话', line: '预约 101', what: ['words'] });
    expect(copied('延期 1001 3 原因')).toEqual({ words: '原因', line: '延期 1001 3', what: ['reason'] });
    expect(copied('转派 1001 林业站 原因')).toEqual({ words: '原因', line: '转派 1001 林业站', what: ['reason'] });
    expect(copied('驳回延期 编号 原因')).toEqual({ words: '编号 原因', line: '驳回延期', what: ['number', 'reason'] });
    expect(copied('接单 编号 内容')).toEqual({ words: '编号 内容', line: '接单', what: ['number', 'words'] });
    expect(copied('同意延期 编号')).toEqual({ words: '编号', line: '同意延期', what: ['number'] });
    // Real words, or words that only start like one, go.
    for (const text of ['回复 1001 明天上午到', '回复 1001 内容我看了', '办结 1001 已说明政策', '退单 1001 原因是不归我们管', '办结 1001', '转派 1001 部门 原因']) {
      expect(copied(text), text).toBeNull();
    }
    expect(isPlaceholder('内容（替没有微信的群众反映）')).toBe(true);
    // The example's note alone: "接单 1001（几件一起接：接单 1001 1002）".
    expect(isPlaceholder('（几件一起接：接单 1001 1002）')).toBe(true);
    expect(isPlaceholder('（如：下雨）')).toBe(true);
    // A cadre's own words in brackets go.
    expect(isPlaceholder('（明天上午到）')).toBe(false);
    expect(copied('回复 1001 （明天上午到）')).toBeNull();
    expect(copied('回复 1002 （已和1001一起处理）')).toBeNull();
    expect(isPlaceholder('')).toBe(false);
  });
});

describe('a head sending a cadre in words', () => {
  it('names the one cadre called, and nobody when the call fits two', () => {
    expect(sendsCadre('让小易去看一下', ['易春林', '贺建军'])).toBe('易春林');
    expect(sendsCadre('让小易去看一下', ['易春林', '易小兰'])).toBeNull();
    expect(sendsCadre('让春林去看一下', ['易春林', '易小兰'])).toBe('易春林');
  });
});

describe('words to a cadre', () => {
  it('knows words that call a cadre by name at their start from words that speak of him', () => {
    for (const text of ['小贺你下午去看一下', '老贺，抓紧', '建军：今天回个话', '贺建军，怎么还没去']) expect(addressesCadre(text, '贺建军'), text).toBe(true);
    for (const text of ['贺建军明天上门', '贺建军 明天上门', '小贺明天上门', '已安排小贺去看', '建军村的路']) expect(addressesCadre(text, '贺建军'), text).toBe(false);
    // As phones type it: a space before 你, a full stop, WeChat's @, 啊 before the comma.
    for (const text of ['小贺 你下午去看一下', '贺建军\u3000您抓紧', '小贺。下午去看一下', '@小贺 你下午去看一下', '@贺建军，抓紧', '建军啊，抓紧']) {
      expect(addressesCadre(text, '贺建军'), text).toBe(true);
    }
    expect(addressesCadre('小欧阳，抓紧', '欧阳敏')).toBe(true);
    expect(addressesCadre('你下午去看一下', '')).toBe(false); // no name, nobody called
    expect(addressesCadre('佳，抓紧', '宋佳')).toBe(false); // one character of a given name is no call
  });
});

describe('resident words', () => {
  it('reads ratings only where they are ratings', () => {
    expect(parseRating('1')).toEqual({ rating: 'satisfied', comment: '' });
    expect(parseRating('３ 没修好')).toEqual({ rating: 'unsatisfied', comment: '没修好' });
    expect(parseRating('2，还行')).toEqual({ rating: 'basically-satisfied', comment: '还行' });
    expect(parseRating('不满意，没人来')).toEqual({ rating: 'unsatisfied', comment: '没人来' });
    expect(parseRating('3楼漏水')).toBeNull();
    expect(parseRating('1满意')).toEqual({ rating: 'satisfied', comment: '' });
    expect(parseRating('回复 1 满意 很好')).toEqual({ rating: 'satisfied', comment: '很好' });
    expect(parseRating('谢谢')).toBeNull();
    // "评价1": the question's own word in front of the answer.
    expect(parseRating('评价1')).toEqual({ rating: 'satisfied', comment: '' });
    expect(parseRating('评价 2')).toEqual({ rating: 'basically-satisfied', comment: '' });
    expect(parseRating('评价：满意')).toEqual({ rating: 'satisfied', comment: '' });
    expect(parseRating('评价，3 没人来')).toEqual({ rating: 'unsatisfied', comment: '没人来' });
    // A comment keeps the spaces she typed; a rating typed with spaces is read closed up.
    expect(parseRating('3 还是不行 人没来')).toEqual({ rating: 'unsatisfied', comment: '还是不行 人没来' });
    expect(parseRating('不 满 意')).toEqual({ rating: 'unsatisfied', comment: '' });
    // Said twice, it is no comment.
    expect(parseRating('满意满意')).toEqual({ rating: 'satisfied', comment: '' });
    expect(parseRating('满意，非常满意！')).toEqual({ rating: 'satisfied', comment: '' });
    expect(parseRating('评价一下')).toBeNull();
    expect(parseRating('评价')).toBeNull();
  });

  it('reads ratings as people say them', () => {
    expect(parseRating('很满意')).toEqual({ rating: 'satisfied', comment: '' });
    expect(parseRating('非常满意，谢谢你们！')).toEqual({ rating: 'satisfied', comment: '谢谢你们！' });
    expect(parseRating('不太满意，还是漏水')).toEqual({ rating: 'unsatisfied', comment: '还是漏水' });
    expect(parseRating('基本满意')).toEqual({ rating: 'basically-satisfied', comment: '' });
    expect(parseRating('一')).toEqual({ rating: 'satisfied', comment: '' });
    expect(parseRating('③')).toEqual({ rating: 'unsatisfied', comment: '' });
    expect(parseRating('３，师傅没来')).toEqual({ rating: 'unsatisfied', comment: '师傅没来' });
    expect(parseRating('4')).toBeNull();
    expect(parseRating('不满足低保条件怎么办')).toBeNull();
    for (const text of ['3个', '第三', '1项', '3号楼漏水', '1楼']) expect(parseRating(text), text).toBeNull();
    // Everyday words, when they are all there is; longer words are words for the holder.
    for (const [text, rating] of [['挺好的', 'satisfied'], ['不错！', 'satisfied'], ['还行吧', 'basically-satisfied'], ['一般', 'basically-satisfied'], ['不好', 'unsatisfied'], ['太差了', 'unsatisfied'], ['不行', 'unsatisfied']] as const) {
      expect(parseRating(text)?.rating ?? null, text).toBe(rating);
    }
    for (const text of ['还行，就是还漏一点', '不好意思，再问一下', '挺好的天气', '好的', '可以']) expect(parseRating(text), text).toBeNull();
    // Typed with one finger, a space between the characters.
    expect(parseRating('满 意')).toEqual({ rating: 'satisfied', comment: '' });
    expect(parseRating('不 满 意 没 来 人')).toEqual({ rating: 'unsatisfied', comment: '没来人' });
    expect(parseRating('基本　满意')).toEqual({ rating: 'basically-satisfied', comment: '' });
    expect(parseRating('挺 好')).toEqual({ rating: 'satisfied', comment: '' });
    expect(parseRating('2 楼 道灯坏了')).toBeNull();
  });

  it('greets back a greeting, and nothing else', () => {
    for (const text of ['你好', '您好！', '在吗？', '有人吗', '您好，在吗？', 'hello', '我想问个事情', '麻烦问一下', '请问', '怎么没人回？']) {
      expect(isGreeting(text), text).toBe(true);
    }
    for (const text of ['你好，我家路灯坏了', '在吗 猪病了', '好', '？？？', '请问低保怎么申请', '问一下医保报销']) expect(isGreeting(text), text).toBe(false);
  });

  it('tells thanks and nods from a matter', () => {
    for (const text of ['谢谢', '谢谢您！', '好的好的', '嗯嗯', '收到。', 'OK', '👍', '🙏🏻', '[抱拳]', '辛苦了[玫瑰]']) expect(isPleasantry(text), text).toBe(true);
    for (const text of ['好冷', '谢谢，我家秧苗又发黄了', '？？？', '1', '路灯坏了']) expect(isPleasantry(text), text).toBe(false);
  });

  it('reads menu numbers as people write them, and nothing else', () => {
    for (const [text, number] of [['1', 1], ['１', 1], ['1.', 1], ['１．', 1], ['①', 1], ['一', 1], ['十二', 12], ['第三项', 3], ['第1个', 1], ['0', 0], ['零', 0], ['12、', 12]] as const) {
      expect(parseMenuNumber(text), text).toBe(number);
    }
    for (const text of ['3号', '一点', '123', '东山', '十三五']) expect(parseMenuNumber(text), text).toBeNull();
  });

  it('hears a question after a visit: when it comes, where its cadre is', () => {
    for (const text of [
      '几点来', '几点来？', '技术员几点到', '你们哪天来', '他什么时候来呀', '我约的技术员几点来', '技术员在哪', '人到哪了', '在哪里见面', '防疫员几点过来',
      '怎么还没来', '技术员怎么还没到啊', '人呢', '来了吗', '技术员到了没',
    ]) {
      expect(asksAfterVisit(text), text).toBe(true);
    }
    for (const text of ['几点了', '路灯在哪', '我在哪', '几点来都行，我在家', '钱怎么还没到', '低保还没来', '你呢', '他呢']) expect(asksAfterVisit(text), text).toBe(false);
  });

  it('knows the booking words', () => {
    expect(parseBookingWord('预约')).toEqual({ kind: 'start' });
    expect(parseBookingWord('我的预约')).toEqual({ kind: 'mine' });
    // Asked in words: when it is, or whether it went through.
    for (const text of ['我约的是哪天来着', '我约的哪天？', '我预约的时间是几号', '约的几点来着', '我约了什么时候', '约上了吗', '预约成功了没有', '约好了没']) {
      expect(parseBookingWord(text), text).toEqual({ kind: 'mine' });
    }
    for (const text of ['我约的技术员怎么还没来', '约的是哪个技术员', '你们哪天来', '约好时间了']) expect(parseBookingWord(text), text).toBeNull();
    expect(parseBookingWord('取消预约 101')).toEqual({ kind: 'cancel', number: 101 });
    expect(parseBookingWord('改约#101')).toEqual({ kind: 'reschedule', number: 101 });
    expect(parseBookingWord('取消预约１０１。')).toEqual({ kind: 'cancel', number: 101 });
    expect(parseBookingWord('改约＃１０１')).toEqual({ kind: 'reschedule', number: 101 });
    expect(parseBookingWord('取消预约：101号')).toEqual({ kind: 'cancel', number: 101 });
    expect(parseBookingWord('取消 101')).toEqual({ kind: 'cancel', number: 101 });
    expect(parseBookingWord('取消预约')).toEqual({ kind: 'cancel-which' });
    expect(parseBookingWord('不约了！')).toEqual({ kind: 'cancel-which' });
    // Said together, as people do.
    for (const text of ['算了不约了', '算了，不约了吧', '那算了，不去了，谢谢', '我不约了']) expect(parseBookingWord(text), text).toEqual({ kind: 'cancel-which' });
    for (const text of ['算了吧', '那就算了', '不约了的人多吗', '算了不约了我家果树怎么办']) expect(parseBookingWord(text), text).toBeNull();
    expect(parseBookingWord('改约')).toEqual({ kind: 'reschedule-which' });
    // Moving a visit in words: the new time when said; only a day or a time after 改到 makes it one.
    for (const [text, when] of [['我想改到后天下午', '后天下午'], ['换到下礼拜一上午吧', '下礼拜一上午吧'], ['预约能不能改到礼拜二', '礼拜二'], ['能不能换个时间', ''], ['改个日子中不中', ''], ['改天', '']] as const) {
      expect(parseBookingWord(text), text).toEqual({ kind: 'move', when });
    }
    for (const text of ['把补贴改到我儿子名下', '改到哪里去了', '时间换了吗', '换个技术员']) expect(parseBookingWord(text), text).toBeNull();
    expect(parseBookingWord('取消')).toBeNull(); // a booking word only for someone with a booking: decided with the database
    expect(parseBookingWord('预约的事怎么说')).toBeNull();
  });

  it('reads 预约 said with when the visit should be as a booking started with it, and not words about a visit had', () => {
    for (const [text, when] of [
      ['我要预约明天上午技术员来看看', '明天上午'], ['想预约后天请农技站的人来看看猪', '后天'], ['明天上午能预约吗', '明天上午'],
      ['我明天上午有事，预约后天', '后天'], ['预约下午来看看', '下午'], ['预约明天10:00', '明天10点00分'],
    ] as const) {
      expect(parseBookingWord(text), text).toEqual({ kind: 'start', said: { when, words: text } });
    }
    for (const text of [
      '上次预约的人没来', '预约明天上午的技术员怎么还没来', '我已经预约了明天上午', '明天上午预约的人会来吗', '不想预约明天', '我要预约技术员来看看', '预约快一点',
    ]) {
      expect(parseBookingWord(text), text).toBeNull();
    }
    expect(parseBookingWord('预约能不能改到礼拜二')).toEqual({ kind: 'move', when: '礼拜二' });
  });

  it('does not read a complaint or a refusal that mentions 预约 and a day as a booking asked for', () => {
    for (const [text, when] of [
      ['帮我预约明天上午去看病', '明天上午'], ['可不可以预约后天', '后天'], ['我想预约，明天上午技术员来看看', '明天上午'], ['明天上午，能预约吗', '明天上午'],
      ['明天上午，预约一下', '明天上午'], ['我预约明天上午', '明天上午'], ['俺预约后天吧', '后天'], ['那我预约下礼拜一。', '下礼拜一'],
    ] as const) {
      expect(parseBookingWord(text), text).toEqual({ kind: 'start', said: { when, words: text } });
    }
    for (const text of [
      '我预约明天上午被拒绝了', '技术员说预约明天上午来，是真的吗', '我在网上预约明天上午办证，结果说约满了', '没有预约，明天上午能来吗',
      '预约太麻烦了，明天我自己去乡里', '不会预约，明天上午我直接去行不行', '预约今天上午的技术员到现在都没见人',
    ]) {
      expect(parseBookingWord(text), text).toBeNull();
    }
  });

  it('reads a visit given up by its day, or as 那个预约, and not 不要了 alone or more words after it', () => {
    for (const [text, day, time] of [
      ['明天的不去了', '明天'], ['明天的不要了', '明天'], ['那个预约不要了', null], ['我的预约取消吧', null], ['周五那个算了', '周五'],
      ['明天我不去了', '明天'], ['27号的不用来了', '27号'], ['后天的预约不要了，谢谢', '后天'],
      // A half-day or a time after the day; 取消 before it.
      ['明天上午的不去了', '明天', '上午'], ['周五下午那个算了', '周五', '下午'], ['明天9点的不用来了', '明天', '9点'],
      ['取消明天的预约', '明天'], ['帮我取消后天下午的预约吧', '后天', '下午'], ['取消明天上午那个', '明天', '上午'],
    ] as const) {
      expect(parseBookingWord(text), text).toEqual({ kind: 'cancel-named', day, ...(time ? { time } : {}) });
    }
    for (const text of [
      '不要了', '那个不要了', '明天的预约取消了吗', '明天不去了，在家等', '明天的猪不要了', '明天上午的猪不要了', '取消明天的会', '取消明天',
    ]) {
      expect(parseBookingWord(text), text).toBeNull();
    }
  });

  it('hears a visit asked for in the words residents use, and not a booking made, refused or never meant', () => {
    const asks = [
      '我想约农技员来看看我家果树', '能不能预约上门', '想约个时间来看看', '能不能上门看看', '请上门指导一下', '怎么预约',
      '我想预约体检', '可以约技术员过来看一下吗', '希望能上门', '能约一下时间吗？',
    ];
    for (const text of asks) expect(asksToBook(text), text).toBe(true);
    const others = [
      '我约了他', '我约了他，明天来看看果树', '我约了他明天来看看果树', '我已经预约了，怎么没人来', '预约的技术员没来', '我的预约怎么还没人来',
      '不想预约了', '约好时间了', '上门推销的太多了', '他们要上门收费', '不用上门了', '不能上门', '技术员大约下午来看', '节约用水',
      '柑橘叶子发黄了',
    ];
    for (const text of others) expect(asksToBook(text), text).toBe(false);
  });
});

describe('the per-recipient pace', () => {
  it('lets one message a second through to each recipient, independently', () => {
    const pacer = new RecipientPacer(1000);
    expect(pacer.wait('r:1', 10_000)).toBe(0);
    pacer.take('r:1', 10_000);
    expect(pacer.wait('r:1', 10_400)).toBe(600);
    expect(pacer.wait('r:2', 10_400)).toBe(0);
    expect(pacer.wait('r:1', 11_000)).toBe(0);
    pacer.take('r:1', 11_000);
    expect(pacer.wait('r:1', 11_999)).toBe(1);
  });

  it('does nothing when turned off', () => {
    const pacer = new RecipientPacer(0);
    pacer.take('r:1', 1);
    expect(pacer.wait('r:1', 1)).toBe(0);
  });
});
describe('a puppet failing the same way again and again', () => {
  it('is logged once, then as a count once a minute', () => {
    const errors = new RepeatCounter(60_000);
    expect(errors.seen('getaddrinfo EAI_AGAIN', 0)).toEqual({ log: 'full', earlier: 0 });
    for (let t = 1; t < 60; t++) expect(errors.seen('getaddrinfo EAI_AGAIN', t * 1000)).toEqual({ log: 'none' });
    expect(errors.seen('getaddrinfo EAI_AGAIN', 60_000)).toEqual({ log: 'count', repeats: 60 });
    expect(errors.seen('getaddrinfo EAI_AGAIN', 60_500)).toEqual({ log: 'none' });
  });

  it('counts two alternating errors each on its own', () => {
    const errors = new RepeatCounter(60_000);
    expect(errors.seen('a', 0)).toEqual({ log: 'full', earlier: 0 });
    expect(errors.seen('b', 1)).toEqual({ log: 'full', earlier: 0 });
    for (let t = 2; t < 100; t++) expect(errors.seen(t % 2 ? 'a' : 'b', t)).toEqual({ log: 'none' });
    expect(errors.seen('a', 60_001)).toEqual({ log: 'count', repeats: 50 });
    expect(errors.seen('b', 60_002)).toEqual({ log: 'count', repeats: 50 });
  });

  it('reports a burst that stopped with the next one, after a quiet spell', () => {
    const errors = new RepeatCounter(60_000);
    errors.seen('x', 0);
    for (let t = 1; t < 500; t++) errors.seen('x', t);
    expect(errors.seen('x', 400_000)).toEqual({ log: 'full', earlier: 499 });
  });
});
