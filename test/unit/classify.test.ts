import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { DepartmentClassifier } from '../../src/domain/classify.js';
import { department } from './fixtures.js';

const sla = { acceptMinutes: 30, firstResponseMinutes: 60, resolveMinutes: 1440 };
const departments = [
  department({
    id: 'hezhan',
    name: '合医站',
    aliases: ['合作医疗'],
    keywords: [{ word: '新农合', weight: 3 }, '报销', { word: '医保', weight: 2 }, '住院'],
    urgentKeywords: ['急诊'],
    sla,
  }),
  department({
    id: 'nongji',
    name: '农技站',
    keywords: [{ word: '稻瘟病', weight: 3 }, '水稻', { word: '病虫害', weight: 2 }, '化肥'],
    urgentKeywords: ['大面积'],
    sla,
  }),
  department({
    id: 'fangyi',
    name: '动物防疫站',
    aliases: ['防疫站'],
    keywords: [{ word: '猪瘟', weight: 3 }, '疫苗', { word: '兽医', weight: 2 }],
    urgentKeywords: ['非洲猪瘟', '大量死亡'],
    sla,
  }),
  department({ id: 'minzheng', name: '民政办', keywords: [{ word: '低保', weight: 3 }, '补贴'], sla }),
  department({ id: 'caizheng', name: '财政所', keywords: ['补贴', { word: '惠农', weight: 2 }], sla }),
];

const classifier = new DepartmentClassifier(departments, { minScore: 2, minMargin: 1 });

describe('DepartmentClassifier', () => {
  it('places a 新农合 question with the medical station', () => {
    const result = classifier.classify('我想问一下新农合怎么报销');
    expect(result).toEqual({ departmentId: 'hezhan', scores: [{ departmentId: 'hezhan', score: 4 }], urgent: false });
  });

  it('keeps domain words whole (新农合 alone would split into 新农 / 合 without the user dictionary)', () => {
    expect(classifier.classify('新农合').departmentId).toBe('hezhan');
  });

  it('places 稻瘟病 with the agricultural station', () => {
    const result = classifier.classify('水稻叶子上有褐色病斑，是不是稻瘟病？');
    expect(result.departmentId).toBe('nongji');
    expect(result.scores).toEqual([{ departmentId: 'nongji', score: 4 }]);
    expect(result.urgent).toBe(false);
  });

  it('finds 猪瘟 inside 非洲猪瘟 and marks it urgent', () => {
    const result = classifier.classify('我家的猪得了非洲猪瘟，死了好几头');
    expect(result.departmentId).toBe('fangyi');
    // 猪瘟 (keyword, 3) + 非洲猪瘟 (urgent word, counted like a name: 2).
    expect(result.scores).toEqual([{ departmentId: 'fangyi', score: 5 }]);
    expect(result.urgent).toBe(true);
  });

  it('is not confident when two departments tie', () => {
    const result = classifier.classify('新农合和稻瘟病的事');
    expect(result.departmentId).toBeNull();
    expect(result.scores).toEqual([
      { departmentId: 'hezhan', score: 3 },
      { departmentId: 'nongji', score: 3 },
    ]);
  });

  it('is not confident below minScore', () => {
    const result = classifier.classify('补贴什么时候发');
    expect(result.departmentId).toBeNull();
    expect(result.scores).toEqual([
      { departmentId: 'minzheng', score: 1 },
      { departmentId: 'caizheng', score: 1 },
    ]);
  });

  it('needs the margin: best − second ≥ minMargin', () => {
    // hezhan 3 (新农合), caizheng 2 (惠农) + 1 (补贴) = 3 → tie; drop 补贴 → 3 vs 2 → margin 1 is enough.
    expect(classifier.classify('新农合和惠农补贴').departmentId).toBeNull();
    expect(classifier.classify('新农合和惠农').departmentId).toBe('hezhan');
    const strict = new DepartmentClassifier(departments, { minScore: 2, minMargin: 2 });
    expect(strict.classify('新农合和惠农').departmentId).toBeNull();
  });

  it('counts a department name or alias like a keyword of weight 2', () => {
    expect(classifier.classify('合作医疗的事找谁').scores).toEqual([{ departmentId: 'hezhan', score: 2 }]);
    expect(classifier.classify('防疫站电话多少').departmentId).toBe('fangyi');
  });

  it('counts each keyword once per text', () => {
    expect(classifier.classify('报销报销报销，报销').scores).toEqual([{ departmentId: 'hezhan', score: 1 }]);
  });

  it('takes urgent words from the chosen department only when confident', () => {
    // Confident hezhan: fangyi's urgent 大量死亡 does not count.
    expect(classifier.classify('新农合报销，猪大量死亡')).toMatchObject({ departmentId: 'hezhan', urgent: false });
    expect(classifier.classify('新农合报销，急诊能报吗')).toMatchObject({ departmentId: 'hezhan', urgent: true });
  });

  it('counts an urgent word toward its department', () => {
    expect(classifier.classify('村里的猪大量死亡')).toMatchObject({ departmentId: 'fangyi', urgent: true });
  });

  it('takes urgent words from every department when not confident', () => {
    expect(classifier.classify('新农合报销住院，稻瘟病大面积')).toMatchObject({ departmentId: null, urgent: true });
  });

  it('returns nothing for empty or unrelated text', () => {
    expect(classifier.classify('')).toEqual({ departmentId: null, scores: [], urgent: false });
    expect(classifier.classify('   ')).toEqual({ departmentId: null, scores: [], urgent: false });
    expect(classifier.classify('你好')).toEqual({ departmentId: null, scores: [], urgent: false });
  });
});

describe('the sample township’s keywords', () => {
  const sample = loadConfig(new URL('../../config', import.meta.url).pathname);
  const township = new DepartmentClassifier(sample.departments, sample.township.classification);

  it('place a request for the agronomist about seeds that do not sprout with 农技站', () => {
    // 种子 (1) alone was the menu; 发芽 and 技术员 are the station's words too.
    expect(township.classify('种子发芽率低，想请技术员来看看').departmentId).toBe('nongjizhan');
    expect(township.classify('种子不发芽').departmentId).toBe('nongjizhan');
    // 技术员 alone names no station: the resident picks.
    expect(township.classify('想请技术员来看看').departmentId).toBeNull();
    // A technician for a pig is the animal station's.
    expect(township.classify('请技术员来看看猪').departmentId).toBe('fangyizhan');
  });

  it('place a crop with what is wrong with it with 农技站, a crop alone or with money nowhere', () => {
    for (const text of ['俺家稻子叶子黄了 咋整', '俺家水稻叶子发黄 是不是得病了', '我家稻子倒伏了怎么办', '麦子长虫了', '玉米生虫子了', '水稻打什么药', '菜地里全是虫子']) {
      expect(township.classify(text).departmentId, text).toBe('nongjizhan');
    }
    // 稻谷补贴, 水稻保险: a crop named is no agronomist's matter yet; the resident picks.
    for (const text of ['稻谷补贴什么时候发', '卖稻谷的钱没到账', '水稻保险怎么理赔', '孩子皮肤发黄', '自来水发黄', '院子里有长虫，咬了人打什么药']) {
      expect(township.classify(text).departmentId, text).toBeNull();
    }
    expect(township.classify('种粮补贴什么时候发').departmentId).toBe('caizhengsuo');
    expect(township.classify('猪得病了，叶子菜也不吃').departmentId).toBe('fangyizhan');
  });
});
