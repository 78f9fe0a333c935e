import { describe, expect, it } from 'vitest';
import { morningWords } from '../../src/services/night-replies.js';

const tz = 'Asia/Shanghai';
const at = (iso: string) => new Date(`${iso}+08:00`);

describe('when a resident is told the cadre sees her words', () => {
  it('says the end of the quiet hours as she would: this or tomorrow morning, at the hour', () => {
    expect(morningWords(at('2026-11-27T07:00:00'), at('2026-11-26T23:00:00'), tz)).toBe('明早7点');
    expect(morningWords(at('2026-11-27T06:30:00'), at('2026-11-27T01:30:00'), tz)).toBe('今早6点30分');
    // Quiet hours ending in the afternoon; further off than tomorrow, the date.
    expect(morningWords(at('2026-11-27T13:00:00'), at('2026-11-26T23:00:00'), tz)).toBe('明天13点');
    expect(morningWords(at('2026-11-28T07:00:00'), at('2026-11-26T23:00:00'), tz)).toBe('11月28日 07:00');
  });
});
