import { describe, expect, it } from 'vitest';
import { asksProgress, caseAsked, isEmojiOnly, matterParts, saysNotFixed } from '../../src/domain/text.js';
import { excerpt, quote } from '../../src/services/replies.js';
import { cut } from '../../src/services/stats-format.js';

describe('asksProgress', () => {
  it('reads a question where one’s matter stands, as villagers type it', () => {
    for (const text of [
      '咋样了', '进度', '怎么样了', '有人管没', '到哪一步了', '咋样了？', '我的事怎么样了', '俺家那个事咋样了', '请问进度如何',
      '有人管吗', '办得怎么样了', '处理了没有', '有消息了吗', '啥时候来啊', '怎么还没人来', '查一下进度', '你好，请问我的事情怎么样了',
      '上次反映的问题怎么样了', '修好了没有', '什么时候能修好',
    ]) {
      expect(asksProgress(text), text).toEqual({ caseNumber: null });
    }
    expect(asksProgress('#1001 怎么样了')).toEqual({ caseNumber: 1001 });
    expect(asksProgress('1001号办好了没')).toEqual({ caseNumber: 1001 });
  });

  it('leaves words that tell more, or ask about something else', () => {
    for (const text of ['猪还是不吃食，咋样了', '还没修好', '谢谢', '好的', '我家的猪怎么样了', '稻子怎么样了', '什么时候发补贴', '补贴到账了没有', '怎么办', '好了吗']) {
      expect(asksProgress(text), text).toBeNull();
    }
  });
});

describe('caseAsked', () => {
  it('reads a case number asked after, alone, marked as a case’s, or with 怎么样', () => {
    expect(caseAsked('1001')).toEqual({ caseNumber: 1001, form: 'number' });
    expect(caseAsked('１００１。')).toEqual({ caseNumber: 1001, form: 'number' });
    for (const text of ['#1001', '＃1001', '1001号', '# 1001 号', '查询 1001', '查询1001', '查询#1001', '查1001？']) {
      expect(caseAsked(text), text).toEqual({ caseNumber: 1001, form: 'marked' });
    }
    expect(caseAsked('1001怎么样了')).toEqual({ caseNumber: 1001, form: 'progress' });
    expect(caseAsked('请问1001号办好了没')).toEqual({ caseNumber: 1001, form: 'progress' });
  });

  it('leaves a number that is something else, and words', () => {
    for (const text of ['200', '3号', '12号', '13912345678', '0731', '2000块', '1001 明天在家', '回复 1001', '取消1001', '查询', '咋样了']) {
      expect(caseAsked(text), text).toBeNull();
    }
  });
});

describe('isEmojiOnly', () => {
  it('hears emoji alone, however many, joined or toned, and WeChat emoticons', () => {
    for (const text of ['😂😂😂', '😭 😭！', '🙏'.repeat(1000), '👍🏻👍🏻', '👨‍👩‍👧', '🇨🇳', '[捂脸][捂脸]', '❤️']) expect(isEmojiOnly(text), text).toBe(true);
    for (const text of ['', '#', '2', '1️⃣', '好😂', '猪不吃食了😭', '[图片] 看看']) expect(isEmojiOnly(text), text).toBe(false);
  });
});

describe('matterParts', () => {
  it('splits at 还有/另外 after a clause break, and nowhere else', () => {
    expect(matterParts('路灯坏了，还有低保的事')).toEqual(['路灯坏了', '低保的事']);
    expect(matterParts('路灯坏了。另外，低保停了')).toEqual(['路灯坏了', '低保停了']);
    expect(matterParts('路灯坏了 还有就是低保的事，还有猪不吃食')).toEqual(['路灯坏了', '低保的事', '猪不吃食']);
    expect(matterParts('猪还有点发烧')).toEqual(['猪还有点发烧']);
    expect(matterParts('还有低保的事')).toEqual(['还有低保的事']);
  });
});

describe('saysNotFixed', () => {
  it('hears a matter that is not over, or is back', () => {
    for (const text of ['还没修好', '灯又坏了', '还是不行', '问题没解决', '又不亮了', '还没有弄好呢', '水管又漏了']) expect(saysNotFixed(text), text).toBe(true);
    for (const text of ['修好了，谢谢', '我家门口那个', '路灯坏了', '还有个事']) expect(saysNotFixed(text), text).toBe(false);
  });
});

describe('cutting a resident’s words', () => {
  // 👨‍👩‍👧 is five code points joined into one picture, 🇨🇳 two: cut by code points, a list ended
  // in half a family or half a flag, and counted each as several characters.
  const family = '👨‍👩‍👧';
  const flag = '🇨🇳';

  it('cuts and counts by what she sees: a joined emoji or a flag is one character', () => {
    expect(cut(`${family}${family}${family}`, 2)).toBe(`${family}${family}…`);
    expect(cut(`${flag}${flag}`, 2)).toBe(`${flag}${flag}`);
    expect(excerpt(`路灯${family}${family}坏了`, 3)).toBe(`路灯${family}……`);
    expect(quote(flag.repeat(600)).startsWith(`${flag.repeat(500)}……（全文共 `)).toBe(true);
    expect(quote(flag.repeat(500))).toBe(flag.repeat(500));
    expect(quote('柑'.repeat(100_000))).toBe(`${'柑'.repeat(500)}……（全文共 100000 字）`);
    // Marks piled on letters, longer than any usual character: cut by code points, not segmented whole.
    const piled = `a${'\u0301'.repeat(40)}`.repeat(100);
    expect([...cut(piled, 30)].length).toBe(31);
  });
});
