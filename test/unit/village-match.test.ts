import { describe, expect, it } from 'vitest';
import { VillageMatcher } from '../../src/domain/village-match.js';
import { village } from './fixtures.js';

const villages = [
  village({ id: 'dongshan', name: '东山村', aliases: ['老东山'] }),
  village({ id: 'xiwan', name: '西湾村' }),
  village({ id: 'lvshui', name: '绿水村', aliases: ['绿水湾'] }),
  village({ id: 'xinhua', name: '新华社区', kind: 'community', aliases: ['镇居委会'] }),
  village({ id: 'dongshan-sq', name: '东山社区', kind: 'community' }),
];
const matcher = new VillageMatcher(villages);
const id = (answer: string) => matcher.match(answer)?.id ?? null;

describe('VillageMatcher', () => {
  it('accepts the 1-based menu number, half- or full-width, with punctuation', () => {
    expect(id('1')).toBe('dongshan');
    expect(id('3')).toBe('lvshui');
    expect(id('３')).toBe('lvshui');
    expect(id('3.')).toBe('lvshui');
    expect(id(' 4、')).toBe('xinhua');
    expect(id('5')).toBe('dongshan-sq');
    expect(id('三')).toBe('lvshui');
    expect(id('③')).toBe('lvshui');
    expect(id('第3个')).toBe('lvshui');
  });

  it('rejects numbers outside the menu', () => {
    expect(id('0')).toBeNull();
    expect(id('6')).toBeNull();
    expect(id('12')).toBeNull();
  });

  it('accepts the exact name, also with surrounding punctuation', () => {
    expect(id('西湾村')).toBe('xiwan');
    expect(id('东山村')).toBe('dongshan');
    expect(id('东山社区')).toBe('dongshan-sq');
    expect(id('【西湾村】。')).toBe('xiwan');
  });

  it('accepts the name without its suffix when only one village has it', () => {
    expect(id('西湾')).toBe('xiwan');
    expect(id('新华')).toBe('xinhua');
  });

  it('reads a name typed with a space between the characters', () => {
    expect(id('西 湾')).toBe('xiwan');
    expect(id('西　湾 村')).toBe('xiwan');
    expect(id('我是西 湾村三组的')).toBe('xiwan');
  });

  it('accepts an alias without its suffix, and a name typed with a character of the same sound', () => {
    const renamed = new VillageMatcher([...villages, village({ id: 'lianbin', name: '莲滨社区', aliases: ['莲花村', '新村'] })]);
    const of = (answer: string) => renamed.match(answer)?.id ?? null;
    expect(of('莲花')).toBe('lianbin');
    expect(of('莲花的')).toBeNull(); // an alias's short form only as the whole answer
    expect(of('新')).toBeNull(); // one character is no name
    expect(of('西弯村')).toBe('xiwan');
    expect(of('西弯')).toBeNull(); // without 村 a word of the matter may sound like a village
    expect(of('冬山村')).toBe('dongshan');
    expect(of('西弯村的路灯坏了')).toBeNull(); // only a whole answer is read by its sound
    // 代办 reads names: a person's name that sounds like a village is no village.
    expect(renamed.matchName('西弯')).toBeNull();
    // Once 西湾村 is known, "西弯" was a try at its name; "现金" or a matter was not.
    const xiwan = villages.find((v) => v.id === 'xiwan')!;
    for (const [answer, tried] of [['西弯', true], ['西湾三组', true], ['我是西湾的', true], ['现金', false], ['西湾村的路灯坏了好几天了', false]] as const) {
      expect(renamed.triedToName(answer, xiwan), answer).toBe(tried);
    }
  });

  it('accepts an alias', () => {
    expect(id('老东山')).toBe('dongshan');
    expect(id('镇居委会')).toBe('xinhua');
  });

  it('accepts pinyin with or without spaces and suffix, in any case', () => {
    expect(id('xiwan')).toBe('xiwan');
    expect(id('Xi Wan Cun')).toBe('xiwan');
    expect(id('XIWANCUN')).toBe('xiwan');
    expect(id('dongshancun')).toBe('dongshan');
    expect(id('Dong Shan Cun')).toBe('dongshan');
    expect(id('xinhua shequ')).toBe('xinhua');
    expect(id('xinhua')).toBe('xinhua');
  });

  it('accepts ü as ü, v or u', () => {
    expect(id('lüshui')).toBe('lvshui');
    expect(id('lvshuicun')).toBe('lvshui');
    expect(id('lu shui')).toBe('lvshui');
  });

  it('returns null when the short name or pinyin fits several villages', () => {
    expect(id('东山')).toBeNull();
    expect(id('dongshan')).toBeNull();
    expect(id('dong shan')).toBeNull();
  });

  it('finds exactly one village mentioned in a sentence', () => {
    expect(id('我是东山村的')).toBe('dongshan');
    expect(id('我住在东山社区')).toBe('dongshan-sq');
    expect(id('我家在西湾那边')).toBe('xiwan');
    expect(id('住绿水湾')).toBe('lvshui');
  });

  it('returns null for sentences naming several villages or none', () => {
    expect(id('东山村还是西湾村')).toBeNull();
    expect(id('我是东山的')).toBeNull(); // 东山村 or 东山社区
    expect(id('不知道')).toBeNull();
    expect(id('')).toBeNull();
    expect(id(' ？！')).toBeNull();
    expect(id('zhangsan')).toBeNull();
  });

  it('finds one village’s full name or alias inside a word, with what stands before and after it', () => {
    const split = (word: string) => {
      const found = matcher.splitAtName(word);
      return found ? [found.before, found.village.id, found.named, found.after] : null;
    };
    expect(split('张大爷东山村家里漏水')).toEqual(['张大爷', 'dongshan', '东山村', '家里漏水']);
    expect(split('东山社区王奶奶')).toEqual(['', 'dongshan-sq', '东山社区', '王奶奶']);
    expect(split('李婶绿水湾')).toEqual(['李婶', 'lvshui', '绿水湾', '']);
    // A short name ("东山") is too often something else; two villages, or the name alone, say nothing.
    expect(split('张大爷东山家里漏水')).toBeNull();
    expect(split('张大爷东山村西湾村')).toBeNull();
    expect(split('东山村')).toBeNull();
    expect(split('张大爷')).toBeNull();
  });
});

describe('VillageMatcher.matchNameAndGroup', () => {
  const withNewVillage = new VillageMatcher([...villages, village({ id: 'xiwan-xin', name: '西湾新村' })]);
  const group = (word: string) => withNewVillage.matchNameAndGroup(word)?.id ?? null;

  it('reads the village before a group named or numbered', () => {
    expect(group('东山村新庄组')).toBe('dongshan');
    expect(group('西湾上湾组')).toBe('xiwan');
    // 东山 is 东山村 or 东山社区: none.
    expect(group('东山上湾组')).toBeNull();
    expect(group('西湾村3组')).toBe('xiwan');
    expect(group('西湾村三村民小组')).toBe('xiwan');
    expect(group('绿水七队')).toBe('lvshui');
    expect(group('西湾村')).toBe('xiwan');
  });

  it('takes the longest village name, and nothing that is no group', () => {
    expect(group('西湾新村三组')).toBe('xiwan-xin');
    expect(group('上湾组')).toBeNull();
    expect(group('东山村路灯坏了')).toBeNull();
    expect(group('东山村组')).toBeNull();
    // 队 is a group by number only: a crew is no group.
    expect(group('西湾村施工队')).toBeNull();
    expect(group('绿水消防队')).toBeNull();
  });
});
