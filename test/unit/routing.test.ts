import { describe, expect, it } from 'vitest';
import { chineseCalendar, dayRuleApplies } from '../../src/domain/calendar.js';
import { onLeave, pickAssignee, routingCandidates, type Assignment } from '../../src/domain/routing.js';
import { config, local } from './fixtures.js';

const cfg = config({
  villages: [
    { id: 'v1', name: '东山村' },
    { id: 'v2', name: '西湾村' },
    { id: 'v3', name: '绿水村' },
  ],
  departments: [
    { id: 'nongji', name: '农技站' },
    { id: 'dzb', name: '党政办' },
  ],
  cadres: [
    { id: 'a', name: '甲', departments: ['nongji'], villages: ['v1'] },
    { id: 'b', name: '乙', departments: ['nongji'], villages: ['v1'] },
    { id: 'c', name: '丙', departments: ['nongji'], villages: ['v2'] },
    { id: 'n', name: '夜班', departments: ['nongji'] },
    { id: 'bk', name: '备岗', departments: ['nongji'] },
    { id: 'h1', name: '站长', role: 'head', departments: ['nongji'] },
    { id: 'h2', name: '副站长', role: 'head', departments: ['nongji'] },
    { id: 'hx', name: '别的站长', role: 'head', departments: ['dzb'] },
    { id: 'o1', name: '办公室一', role: 'office', departments: ['dzb'] },
    { id: 'o2', name: '办公室二', role: 'office', departments: ['dzb'] },
  ],
  roster: {
    weekly: [
      { department: 'nongji', villages: ['v1'], days: 'workdays', cadres: ['a', 'b'], backup: 'bk' },
      { department: 'nongji', villages: ['v2'], days: ['sat', 'sun'], cadres: ['c'] },
      { department: 'nongji', villages: 'all', days: 'everyday', hours: '18:00-22:00', cadres: ['n'] },
      { department: 'dzb', villages: 'all', days: 'workdays', cadres: ['o2'] },
    ],
    overrides: [
      { date: '2026-10-10', department: 'nongji', villages: ['v1'], cadres: ['b'] },
      { date: '2026-09-17', department: 'nongji', villages: 'all', hours: '08:00-12:00', cadres: ['c'], backup: 'bk' },
    ],
    leave: [
      { cadre: 'a', from: '2026-09-14', to: '2026-09-15' },
      { cadre: 'bk', from: '2026-09-22', to: '2026-09-22' },
    ],
  },
});

function pick(
  at: string,
  villageId: string,
  options: { open?: Record<string, number>; exclude?: string[]; departmentId?: string } = {},
): Assignment {
  return pickAssignee({
    config: cfg,
    villageId,
    departmentId: options.departmentId ?? 'nongji',
    at: local(at),
    openCases: new Map(Object.entries(options.open ?? {})),
    calendar: chineseCalendar,
    exclude: new Set(options.exclude ?? []),
  });
}

describe('pickAssignee', () => {
  it('picks the on-duty cadre of the weekly roster, roster order on ties', () => {
    expect(pick('2026-09-16 10:00', 'v1')).toEqual({ cadreId: 'a', reason: 'on-duty' });
  });

  it('picks the on-duty cadre with the fewest open cases', () => {
    expect(pick('2026-09-16 10:00', 'v1', { open: { a: 3, b: 1 } })).toEqual({ cadreId: 'b', reason: 'on-duty' });
    expect(pick('2026-09-16 10:00', 'v1', { open: { a: 1, b: 1 } })).toEqual({ cadreId: 'a', reason: 'on-duty' });
  });

  it('skips a cadre on leave (inclusive dates) for the next on-duty one', () => {
    expect(pick('2026-09-14 10:00', 'v1')).toEqual({ cadreId: 'b', reason: 'on-duty' });
    expect(pick('2026-09-15 16:00', 'v1')).toEqual({ cadreId: 'b', reason: 'on-duty' });
    expect(pick('2026-09-16 08:00', 'v1')).toEqual({ cadreId: 'a', reason: 'on-duty' });
  });

  it('falls back to the backup when no on-duty cadre is available', () => {
    expect(pick('2026-09-14 10:00', 'v1', { exclude: ['b'] })).toEqual({ cadreId: 'bk', reason: 'backup' });
  });

  it('falls back to the head with the fewest open cases when the backup is away too', () => {
    expect(pick('2026-09-22 10:00', 'v1', { exclude: ['a', 'b'] })).toEqual({ cadreId: 'h1', reason: 'head' });
    expect(pick('2026-09-22 10:00', 'v1', { exclude: ['a', 'b'], open: { h1: 2, h2: 0 } })).toEqual({
      cadreId: 'h2',
      reason: 'head',
    });
  });

  it('falls back to the office cadre with the fewest open cases, then to the first office cadre regardless', () => {
    const away = ['a', 'b', 'bk', 'h1', 'h2'];
    expect(pick('2026-09-16 10:00', 'v1', { exclude: away, open: { o1: 4, o2: 1 } })).toEqual({
      cadreId: 'o2',
      reason: 'office',
    });
    expect(pick('2026-09-16 10:00', 'v1', { exclude: [...away, 'o1', 'o2'] })).toEqual({ cadreId: 'o1', reason: 'office' });
  });

  it('follows the Chinese calendar for "workdays": holidays off, 调休 days on', () => {
    // 国庆 Friday: the workdays slot does not apply, no backup either → head.
    expect(pick('2026-10-02 10:00', 'v1')).toEqual({ cadreId: 'h1', reason: 'head' });
    // Sunday 2026-09-20 is a 调休 workday.
    expect(pick('2026-09-20 10:00', 'v1')).toEqual({ cadreId: 'a', reason: 'on-duty' });
    // An ordinary Saturday is not.
    expect(pick('2026-09-19 10:00', 'v1')).toEqual({ cadreId: 'h1', reason: 'head' });
  });

  it('reads "restdays" as the days that are not working days: weekends and holidays, not 调休 days', () => {
    expect(dayRuleApplies('restdays', '2026-10-02', chineseCalendar)).toBe(true); // 国庆 Friday
    expect(dayRuleApplies('restdays', '2026-09-19', chineseCalendar)).toBe(true); // Saturday
    expect(dayRuleApplies('restdays', '2026-09-20', chineseCalendar)).toBe(false); // 调休 Sunday
    expect(dayRuleApplies('restdays', '2026-09-16', chineseCalendar)).toBe(false); // Wednesday
  });

  it('reads weekday lists literally, whatever the holiday calendar says', () => {
    expect(pick('2026-09-19 10:00', 'v2')).toEqual({ cadreId: 'c', reason: 'on-duty' }); // Saturday
    expect(pick('2026-09-20 10:00', 'v2')).toEqual({ cadreId: 'c', reason: 'on-duty' }); // 调休 Sunday
    expect(pick('2026-10-03 10:00', 'v2')).toEqual({ cadreId: 'c', reason: 'on-duty' }); // 国庆 Saturday
    expect(pick('2026-09-16 10:00', 'v2')).toEqual({ cadreId: 'h1', reason: 'head' }); // Wednesday
  });

  it('lets a dated override replace the weekly slots of that department × village', () => {
    // 2026-10-10 is a 调休 Saturday: the weekly slot would give a, the override gives b.
    expect(pick('2026-10-10 10:00', 'v1', { open: { a: 0, b: 5 } })).toEqual({ cadreId: 'b', reason: 'on-duty' });
    // Other villages keep their weekly slots.
    expect(pick('2026-10-10 10:00', 'v2')).toEqual({ cadreId: 'c', reason: 'on-duty' });
  });

  it('does not fall back to the weekly slots when the override cadre is away', () => {
    expect(pick('2026-10-10 10:00', 'v1', { exclude: ['b'] })).toEqual({ cadreId: 'h1', reason: 'head' });
  });

  it('applies the hours window of weekly slots and overrides', () => {
    expect(pick('2026-09-16 19:00', 'v3')).toEqual({ cadreId: 'n', reason: 'on-duty' });
    expect(pick('2026-09-16 21:59', 'v3')).toEqual({ cadreId: 'n', reason: 'on-duty' });
    expect(pick('2026-09-16 22:00', 'v3')).toEqual({ cadreId: 'h1', reason: 'head' });
    expect(pick('2026-09-16 17:59', 'v3')).toEqual({ cadreId: 'h1', reason: 'head' });
    // At 19:00 v1 has both its all-day slot and the evening slot.
    expect(pick('2026-09-16 19:00', 'v1', { open: { a: 2, b: 2 } })).toEqual({ cadreId: 'n', reason: 'on-duty' });
    // The 2026-09-17 override (08:00–12:00) replaces the weekly slots for the whole day.
    expect(pick('2026-09-17 09:00', 'v1')).toEqual({ cadreId: 'c', reason: 'on-duty' });
    expect(pick('2026-09-17 09:00', 'v1', { exclude: ['c'] })).toEqual({ cadreId: 'bk', reason: 'backup' });
    expect(pick('2026-09-17 15:00', 'v1')).toEqual({ cadreId: 'h1', reason: 'head' });
  });

  it('evaluates the moment in the township time zone', () => {
    // Friday 20:00 UTC is Saturday 04:00 in Shanghai.
    const at = new Date('2026-09-18T20:00:00Z');
    const input = { config: cfg, departmentId: 'nongji', at, openCases: new Map(), calendar: chineseCalendar };
    expect(pickAssignee({ ...input, villageId: 'v2' })).toEqual({ cadreId: 'c', reason: 'on-duty' });
    expect(pickAssignee({ ...input, villageId: 'v1' })).toEqual({ cadreId: 'h1', reason: 'head' });
  });

  it('routes the office department by its roster first', () => {
    expect(pick('2026-09-16 10:00', 'v1', { departmentId: 'dzb' })).toEqual({ cadreId: 'o2', reason: 'on-duty' });
    expect(pick('2026-09-19 10:00', 'v1', { departmentId: 'dzb' })).toEqual({ cadreId: 'hx', reason: 'head' });
    expect(pick('2026-09-19 10:00', 'v1', { departmentId: 'dzb', exclude: ['hx'] })).toEqual({
      cadreId: 'o1',
      reason: 'office',
    });
  });

  it('throws when the configuration has no office cadre', () => {
    const noOffice = { ...cfg, cadres: cfg.cadres.filter((c) => c.role !== 'office') };
    expect(() =>
      pickAssignee({
        config: noOffice,
        villageId: 'v1',
        departmentId: 'nongji',
        at: local('2026-09-19 10:00'),
        openCases: new Map(),
        calendar: chineseCalendar,
        exclude: new Set(['h1', 'h2']),
      }),
    ).toThrow(/office/);
  });
});

describe('onLeave', () => {
  it('includes both ends of the leave', () => {
    expect(onLeave(cfg, 'a', '2026-09-13')).toBe(false);
    expect(onLeave(cfg, 'a', '2026-09-14')).toBe(true);
    expect(onLeave(cfg, 'a', '2026-09-15')).toBe(true);
    expect(onLeave(cfg, 'a', '2026-09-16')).toBe(false);
    expect(onLeave(cfg, 'b', '2026-09-14')).toBe(false);
  });

  it('counts leave taken in chat as the roster’s: the on-duty cadre, then the backup, are passed by', () => {
    const chat = [{ cadre: 'b', from: '2026-09-16', to: '2026-09-16' }];
    expect(onLeave(cfg, 'b', '2026-09-16', chat)).toBe(true);
    expect(onLeave(cfg, 'b', '2026-09-17', chat)).toBe(false);
    const at = (leaves: { cadre: string; from: string; to: string }[]) =>
      pickAssignee({ config: cfg, villageId: 'v1', departmentId: 'nongji', at: local('2026-09-16 10:00'), openCases: new Map([['a', 5]]), calendar: chineseCalendar, leaves });
    expect(at([])).toEqual({ cadreId: 'b', reason: 'on-duty' });
    expect(at(chat)).toEqual({ cadreId: 'a', reason: 'on-duty' });
    expect(at([...chat, { cadre: 'a', from: '2026-09-10', to: '2026-09-20' }])).toEqual({ cadreId: 'bk', reason: 'backup' });
  });
});

describe('routing candidates', () => {
  it('are every cadre whose open cases can change the pick: counting only them picks the same cadre', async () => {
    const { loadConfig } = await import('../../src/config/load.js');
    const sample = loadConfig(new URL('../../config', import.meta.url).pathname);
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    let differentPicks = 0;
    for (const [township, start] of [[cfg, '2026-09-14T00:00:00Z'], [sample, '2026-11-23T00:00:00Z']] as const) {
      const ids = township.cadres.map((c) => c.id);
      for (const department of township.departments) {
        const candidates = new Set(routingCandidates(township, department.id));
        expect(candidates.size).toBeLessThan(ids.length); // the point is to count fewer
        for (let i = 0; i < 60; i++) {
          const counts = new Map(ids.map((id) => [id, Math.floor(random() * 5)]));
          const counted = new Map([...counts].filter(([id]) => candidates.has(id)));
          const input = {
            config: township,
            villageId: township.villages[Math.floor(random() * township.villages.length)]!.id,
            departmentId: department.id,
            at: new Date(Date.parse(start) + Math.floor(random() * 14 * 24) * 3600_000),
            calendar: chineseCalendar,
            // Turning cadres away sends cases down to backups, heads and the office.
            exclude: new Set(ids.filter(() => random() < 0.3)),
          };
          const pick = pickAssignee({ ...input, openCases: counts });
          expect(pickAssignee({ ...input, openCases: counted })).toEqual(pick);
          if (pick.cadreId !== pickAssignee({ ...input, openCases: new Map() }).cadreId) differentPicks += 1;
        }
      }
    }
    // The counts did decide picks, so the comparison above means something.
    expect(differentPicks).toBeGreaterThan(20);
  });
});
