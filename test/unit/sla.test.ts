import { describe, expect, it } from 'vitest';
import { quietEndedWithin, quietUntil } from '../../src/domain/quiet-hours.js';
import { chineseCalendar, createChineseCalendar, missingHolidayYear, type WorkCalendar } from '../../src/domain/calendar.js';
import { addWorkingMinutes, computeDueTimes, workingMinutesBetween, workingMinutesPerDay, type WorkingTime } from '../../src/domain/sla.js';
import { department, local, show, workingTime as wt } from './fixtures.js';

const add = (start: string, minutes: number) => show(addWorkingMinutes(local(start), minutes, wt));
const between = (from: string, to: string) => workingMinutesBetween(local(from), local(to), wt);

describe('chineseCalendar', () => {
  it('knows weekdays, weekends, 国庆 2026 and the 调休 make-up days', () => {
    const workday = (d: string) => chineseCalendar.isWorkday(d);
    expect(workday('2026-09-16')).toBe(true); // Wednesday
    expect(workday('2026-09-19')).toBe(false); // Saturday
    expect(workday('2026-09-20')).toBe(true); // Sunday, 调休 for 国庆
    expect(workday('2026-09-25')).toBe(false); // Friday, 中秋
    for (let d = 1; d <= 7; d++) expect(workday(`2026-10-0${d}`)).toBe(false);
    expect(workday('2026-10-08')).toBe(true);
    expect(workday('2026-10-10')).toBe(true); // Saturday, 调休 for 国庆
    expect(workday('2026-10-11')).toBe(false); // Sunday
  });

  it('does not depend on the process time zone', () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati', 'UTC']) {
        process.env.TZ = tz;
        expect([
          chineseCalendar.isWorkday('2026-09-19'),
          chineseCalendar.isWorkday('2026-09-21'),
          chineseCalendar.isWorkday('2026-10-01'),
          chineseCalendar.isWorkday('2026-10-10'),
        ]).toEqual([false, true, false, true]);
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('rejects what is not a date', () => {
    expect(() => chineseCalendar.isWorkday('2026-02-30')).toThrow(RangeError);
    expect(() => chineseCalendar.isWorkday('20261010')).toThrow(RangeError);
  });

  it("takes the township's own dates over the package's: next year's holidays, 调休 days, corrections", () => {
    const calendar = createChineseCalendar({
      holidays: ['2027-02-08', '2026-09-16'], // a Monday of next year; a Wednesday the package has as a workday
      workdays: ['2027-02-06', '2026-10-01'], // a Saturday; a day of 国庆 the package has off
    });
    expect(calendar.isWorkday('2027-02-08')).toBe(false);
    expect(calendar.isHoliday('2027-02-08')).toBe(true);
    expect(calendar.isWorkday('2026-09-16')).toBe(false);
    expect(calendar.isWorkday('2027-02-06')).toBe(true);
    expect(calendar.isWorkday('2026-10-01')).toBe(true);
    expect(calendar.isHoliday('2026-10-01')).toBe(false);
    expect(calendar.isWorkday('2026-10-02')).toBe(false); // the rest of the package's tables stand
    expect(calendar.lastKnownYear).toBe(2027);
    expect(chineseCalendar.isWorkday('2026-09-16')).toBe(true); // the package-only calendar is untouched
    expect(chineseCalendar.lastKnownYear).toBeLessThan(2027);
  });

  it('says which year lacks holidays: this one when past the tables, next one from November', () => {
    expect(missingHolidayYear(2026, '2026-10-31')).toBeNull();
    expect(missingHolidayYear(2026, '2026-11-01')).toBe(2027);
    expect(missingHolidayYear(2026, '2027-03-01')).toBe(2027);
    expect(missingHolidayYear(2027, '2026-12-31')).toBeNull();
  });
});

describe('addWorkingMinutes', () => {
  it('counts inside one period', () => {
    expect(add('2026-09-16 09:00', 30)).toBe('2026-09-16 09:30');
  });

  it('skips the lunch break', () => {
    expect(add('2026-09-16 11:30', 60)).toBe('2026-09-16 14:30');
  });

  it('ends exactly at the end of a period rather than at the next start', () => {
    expect(add('2026-09-16 11:00', 60)).toBe('2026-09-16 12:00');
    expect(add('2026-09-16 17:00', 30)).toBe('2026-09-16 17:30');
  });

  it('starts counting at the next working period when started outside working hours', () => {
    expect(add('2026-09-16 07:00', 10)).toBe('2026-09-16 08:40');
    expect(add('2026-09-16 12:30', 30)).toBe('2026-09-16 14:30');
    expect(add('2026-09-16 20:00', 30)).toBe('2026-09-17 09:00');
  });

  it('continues on the next working day', () => {
    expect(add('2026-09-16 17:00', 60)).toBe('2026-09-17 09:00');
  });

  it('skips a weekend', () => {
    expect(add('2026-09-11 17:00', 60)).toBe('2026-09-14 09:00');
    expect(add('2026-09-12 10:00', 15)).toBe('2026-09-14 08:45'); // started on Saturday
  });

  it('skips 中秋 (Fri 25 – Sun 27 Sep 2026)', () => {
    expect(add('2026-09-24 17:00', 60)).toBe('2026-09-28 09:00');
  });

  it('works on the 调休 Sunday 2026-09-20', () => {
    expect(add('2026-09-18 17:00', 60)).toBe('2026-09-20 09:00');
  });

  it('skips 国庆 (1–7 Oct 2026)', () => {
    expect(add('2026-09-30 17:00', 60)).toBe('2026-10-08 09:00');
  });

  it('works on the 调休 Saturday 2026-10-10, then skips Sunday', () => {
    expect(add('2026-10-09 17:00', 60)).toBe('2026-10-10 09:00');
    expect(add('2026-10-10 17:00', 60)).toBe('2026-10-12 09:00');
  });

  it('spans several working days across a holiday', () => {
    // 3 × 420 minutes: 30 Sep, 8 Oct, 9 Oct.
    expect(add('2026-09-30 08:30', 3 * 420)).toBe('2026-10-09 17:30');
    expect(add('2026-09-30 08:30', 3 * 420 + 1)).toBe('2026-10-10 08:31');
  });

  it('keeps seconds and accepts fractional minutes', () => {
    expect(add('2026-09-16 11:59:30', 1)).toBe('2026-09-16 14:00:30.000');
    expect(add('2026-09-16 09:00', 0.5)).toBe('2026-09-16 09:00:30.000');
  });

  it('returns the start for 0 minutes and rejects negative ones', () => {
    expect(add('2026-09-16 20:00', 0)).toBe('2026-09-16 20:00');
    expect(() => addWorkingMinutes(local('2026-09-16 09:00'), -1, wt)).toThrow(RangeError);
    expect(() => addWorkingMinutes(local('2026-09-16 09:00'), Number.NaN, wt)).toThrow(RangeError);
  });

  it('uses the configured time zone, not the machine one', () => {
    // 2026-09-16T01:00Z is 09:00 in Shanghai.
    expect(addWorkingMinutes(new Date('2026-09-16T01:00:00Z'), 30, wt).toISOString()).toBe('2026-09-16T01:30:00.000Z');
  });

  it('throws instead of looping when the calendar has no working day', () => {
    const never: WorkCalendar = { isWorkday: () => false };
    expect(() => addWorkingMinutes(local('2026-09-16 09:00'), 10, { ...wt, calendar: never })).toThrow(/400/);
  });

  it('rejects working hours without a period', () => {
    expect(() => addWorkingMinutes(local('2026-09-16 09:00'), 10, { ...wt, workingHours: [] })).toThrow(RangeError);
  });
});

describe('workingMinutesBetween', () => {
  it('counts only working time', () => {
    expect(between('2026-09-16 11:30', '2026-09-16 14:30')).toBe(60);
    expect(between('2026-09-16 07:00', '2026-09-16 20:00')).toBe(420);
    expect(between('2026-09-11 17:00', '2026-09-14 09:00')).toBe(60);
    expect(between('2026-09-30 17:00', '2026-10-08 09:00')).toBe(60);
    expect(between('2026-10-09 17:30', '2026-10-10 10:00')).toBe(90);
  });

  it('is 0 for an empty or reversed interval and rounds down', () => {
    expect(between('2026-09-16 10:00', '2026-09-16 10:00')).toBe(0);
    expect(between('2026-09-16 10:00', '2026-09-16 09:00')).toBe(0);
    expect(between('2026-09-16 10:00:00', '2026-09-16 10:00:59')).toBe(0);
    expect(between('2026-09-16 10:00:00', '2026-09-16 10:02:59')).toBe(2);
  });

  it('is the inverse of addWorkingMinutes', () => {
    const starts = ['2026-09-16 07:13', '2026-09-16 11:59', '2026-09-18 17:29', '2026-09-30 12:00', '2026-10-03 10:00', '2026-10-09 16:45:20'];
    for (const start of starts) {
      for (const minutes of [1, 29, 210, 211, 420, 421, 1000, 5000]) {
        const end = addWorkingMinutes(local(start), minutes, wt);
        expect(workingMinutesBetween(local(start), end, wt), `${start} + ${minutes}`).toBe(minutes);
      }
    }
  });
});

describe('computeDueTimes', () => {
  const sla = { acceptMinutes: 30, firstResponseMinutes: 120, resolveMinutes: 3 * 420 };
  const agri = department({ id: 'nongji', name: '农技站', sla, urgentSla: { acceptMinutes: 10, firstResponseMinutes: 30, resolveMinutes: 480 } });
  const plain = department({ id: 'minzheng', name: '民政办', sla });

  it('counts working minutes for normal cases', () => {
    const due = computeDueTimes(local('2026-09-30 17:15'), agri, 'normal', wt);
    // 15 minutes are left on 30 Sep; 1–7 Oct are off.
    expect(show(due.acceptDueAt)).toBe('2026-10-08 08:45');
    expect(show(due.firstResponseDueAt)).toBe('2026-10-08 10:15');
    // 15 + 420 (8 Oct) + 420 (9 Oct) + 405 on the 调休 Saturday 10 Oct.
    expect(show(due.resolveDueAt)).toBe('2026-10-10 17:15');
  });

  it('counts wall-clock minutes from urgentSla for urgent cases, holidays included', () => {
    const due = computeDueTimes(local('2026-10-01 23:00'), agri, 'urgent', wt);
    expect(show(due.acceptDueAt)).toBe('2026-10-01 23:10');
    expect(show(due.firstResponseDueAt)).toBe('2026-10-01 23:30');
    expect(show(due.resolveDueAt)).toBe('2026-10-02 07:00');
  });

  it('falls back to sla (as wall-clock minutes) for urgent cases without urgentSla', () => {
    const due = computeDueTimes(local('2026-09-19 20:00'), plain, 'urgent', wt);
    expect(show(due.acceptDueAt)).toBe('2026-09-19 20:30');
    expect(show(due.firstResponseDueAt)).toBe('2026-09-19 22:00');
    expect(show(due.resolveDueAt)).toBe('2026-09-20 17:00');
  });
});

describe('WorkingTime with other hours', () => {
  it('merges overlapping periods and supports a period ending at 24:00', () => {
    const late: WorkingTime = {
      timezone: 'Asia/Shanghai',
      workingHours: [
        { start: '20:00', end: '24:00' },
        { start: '08:00', end: '12:00' },
        { start: '11:00', end: '13:00' },
      ],
      calendar: chineseCalendar,
    };
    expect(show(addWorkingMinutes(local('2026-09-16 12:30'), 60, late))).toBe('2026-09-16 20:30');
    expect(show(addWorkingMinutes(local('2026-09-16 23:30'), 60, late))).toBe('2026-09-17 08:30');
    expect(workingMinutesBetween(local('2026-09-16 00:00'), local('2026-09-17 00:00'), late)).toBe(5 * 60 + 4 * 60);
  });
});

describe('workingMinutesPerDay', () => {
  it('adds up the working periods, merging overlaps', () => {
    expect(workingMinutesPerDay([{ start: '08:30', end: '12:00' }, { start: '14:30', end: '17:30' }])).toBe(390);
    expect(workingMinutesPerDay([{ start: '09:00', end: '12:00' }, { start: '11:00', end: '13:00' }])).toBe(240);
  });
});

describe('quietUntil', () => {
  const at = (local: string) => new Date(`${local}+08:00`);
  const night = { start: '22:00', end: '07:00' };

  it('ends hours that cross midnight on the next morning, or the same morning after midnight', () => {
    expect(quietUntil(at('2026-11-26T22:00:00'), night, 'Asia/Shanghai')).toEqual(at('2026-11-27T07:00:00'));
    expect(quietUntil(at('2026-11-26T23:59:00'), night, 'Asia/Shanghai')).toEqual(at('2026-11-27T07:00:00'));
    expect(quietUntil(at('2026-11-27T03:00:00'), night, 'Asia/Shanghai')).toEqual(at('2026-11-27T07:00:00'));
  });

  it('is null outside the hours, at their end, and when there are none', () => {
    expect(quietUntil(at('2026-11-26T21:59:00'), night, 'Asia/Shanghai')).toBeNull();
    expect(quietUntil(at('2026-11-27T07:00:00'), night, 'Asia/Shanghai')).toBeNull();
    expect(quietUntil(at('2026-11-26T12:00:00'), night, 'Asia/Shanghai')).toBeNull();
    expect(quietUntil(at('2026-11-26T23:00:00'), null, 'Asia/Shanghai')).toBeNull();
  });

  it('knows the first minutes after the hours end', () => {
    expect(quietEndedWithin(at('2026-11-27T07:05:00'), night, 'Asia/Shanghai', 10)).toBe(true);
    expect(quietEndedWithin(at('2026-11-27T07:00:00'), night, 'Asia/Shanghai', 10)).toBe(true);
    expect(quietEndedWithin(at('2026-11-27T07:11:00'), night, 'Asia/Shanghai', 10)).toBe(false);
    expect(quietEndedWithin(at('2026-11-27T06:59:00'), night, 'Asia/Shanghai', 10)).toBe(false);
    expect(quietEndedWithin(at('2026-11-27T07:05:00'), null, 'Asia/Shanghai', 10)).toBe(false);
  });

  it('takes hours within one day, in the township time zone', () => {
    const noon = { start: '12:00', end: '14:30' };
    expect(quietUntil(at('2026-11-26T13:00:00'), noon, 'Asia/Shanghai')).toEqual(at('2026-11-26T14:30:00'));
    expect(quietUntil(at('2026-11-26T11:59:00'), noon, 'Asia/Shanghai')).toBeNull();
    // 13:00 in Shanghai is 06:00 in Berlin: not within Berlin's noon hours.
    expect(quietUntil(at('2026-11-26T13:00:00'), noon, 'Europe/Berlin')).toBeNull();
  });
});
