/**
 * Phone and ID numbers as residents and cadres really write them, masked in the log; the numbers
 * lianxin's own lines are full of (case numbers, dates, amounts, times, job ids) left alone.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { maskPersonalNumbers } from '../../src/logger.js';

const root = path.resolve(import.meta.dirname, '../..');

describe('maskPersonalNumbers', () => {
  it.each([
    ['电话13812345678', '电话138****5678'],
    ['电话：138 1234 5678。', '电话：138 **** 5678。'],
    ['138-1234-5678', '138-****-5678'],
    ['+86 138 1234 5678', '+86 138 **** 5678'],
    ['+8613812345678', '+86138****5678'],
    ['008613812345678', '0086138****5678'],
    ['手机 86 138 1234 5678', '手机 86 138 **** 5678'],
    ['(+86)13812345678', '(+86)138****5678'],
    // Typed with a Chinese input method: full-width digits and separators.
    ['１３８１２３４５６７８', '１３８****５６７８'],
    ['１３８－１２３４－５６７８', '１３８－****－５６７８'],
    // A number in a range no carrier has yet is still someone's, mistyped or not.
    ['14012345678', '140****5678'],
    // Landlines with their area code.
    ['家里座机0731-56781234', '家里座机0731-****1234'],
    ['（0731）5678 1234', '（0731）**** 1234'],
    ['010-62345678', '010-6***5678'],
    ['+86 731 5678 1234', '+86 731 **** 1234'],
    // Two numbers written together: the second read as the first's extension, masked whole.
    ['13812345678,13912345678', '138****5678,*********78'],
    // Resident ID numbers: 18 digits (X last), also in groups, and the old 15-digit ones.
    ['身份证430381199001011234', '身份证430381********1234'],
    ['43038119900101123X', '430381********123X'],
    ['43038119900101123x', '430381********123x'],
    ['430381 19900101 1234', '430381 ******** 1234'],
    ['４３０３８１１９９００１０１１２３Ｘ', '４３０３８１********１２３Ｘ'],
    ['老身份证430381900101123', '老身份证430381******123'],
  ])('%s → %s', (text, masked) => {
    expect(maskPersonalNumbers(text)).toBe(masked);
  });

  it.each([
    '接单 1001 1002 1003',
    '回复1001 明天上午来',
    '补贴 12000 元，2026-10-01 到账',
    '20261001',
    '2026年10月1日 09:30',
    '5678-1234',
    '3 亩 2.5 万斤',
    '{"time":1764180000000,"job":"in-m-abc123"}',
    'migration ResidentPace1764180000000',
    // Inside a longer run of digits: another kind of identifier (a WeChat message id), not a phone.
    'message 8571234567890123456',
    '第1381234567800号',
    '110 120 119 12345',
  ])('leaves %s as it is', (text) => {
    expect(maskPersonalNumbers(text)).toBe(text);
  });
});

describe('an uncaught exception', () => {
  // wechat4u, the default puppet, sets a process-wide listener that prints every uncaught exception
  // with console.log: unmasked, on stdout. Run in a child process: vitest has listeners of its own.
  it('is logged masked on stderr in the place of a library’s console.log, and the process goes on', async () => {
    const script = `
      import { createLogger, logUncaughtExceptions } from './src/logger.ts';
      process.on('uncaughtException', (err) => console.log('uncaughtException', err));
      logUncaughtExceptions(createLogger('info'));
      setTimeout(() => { throw new Error('send failed to 13812345678'); }, 0);
      setTimeout(() => console.log('still running'), 50);
    `;
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root });
    expect(stdout).toBe('still running\n');
    const line = JSON.parse(stderr.trim().split('\n').at(-1)!) as { level: number; msg: string; err: { message: string } };
    expect(line).toMatchObject({ level: 50, msg: 'uncaught exception', err: { message: 'send failed to 138****5678' } });
  });
});
