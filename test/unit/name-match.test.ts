import { describe, expect, it } from 'vitest';
import { similarNames } from '../../src/domain/name-match.js';

const cadres = ['贺建军', '彭德明', '谭晓燕', '欧阳敏', '宋佳', '易春林'].map((name) => ({ name }));
const departments = [
  { name: '农技站', spellings: [] },
  { name: '动物防疫站', spellings: ['防疫站', '兽医站'] },
];

describe('names typed from memory', () => {
  it('finds a name written with a character of the same sound, one character off, or the given name alone', () => {
    expect(similarNames('贺建君', cadres)).toEqual(['贺建军']);
    expect(similarNames('谭小燕', cadres)).toEqual(['谭晓燕']);
    expect(similarNames('宋嘉', cadres)).toEqual(['宋佳']);
    expect(similarNames('彭德华', cadres)).toEqual(['彭德明']);
    expect(similarNames('欧阳民', cadres)).toEqual(['欧阳敏']);
    expect(similarNames('建军', cadres)).toEqual(['贺建军']);
    expect(similarNames('小易', cadres)).toEqual(['易春林']);
    expect(similarNames('老贺', cadres)).toEqual(['贺建军']);
    expect(similarNames('小欧阳', cadres)).toEqual(['欧阳敏']);
    expect(similarNames('小宋', cadres)).toEqual(['宋佳']);
    expect(similarNames('小彭', [...cadres, { name: '彭学文' }])).toEqual(['彭德明', '彭学文']);
    expect(similarNames('农机站', departments)).toEqual(['农技站']);
    expect(similarNames('防役站', departments)).toEqual(['动物防疫站']);
  });

  it('offers nothing for the name itself, one character, a sentence or a stranger', () => {
    expect(similarNames('贺建军', cadres)).toEqual([]);
    expect(similarNames('军', cadres)).toEqual([]);
    // Two characters: one off is half the name.
    expect(similarNames('宋江', cadres)).toEqual([]);
    expect(similarNames('张三', cadres)).toEqual([]);
    expect(similarNames('小张', cadres)).toEqual([]);
    expect(similarNames('他回过电话了', cadres)).toEqual([]);
    expect(similarNames('c-he-jianjun', cadres)).toEqual([]);
  });
});
