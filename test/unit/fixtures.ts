/**
 * Small inline configuration fixtures for the domain unit tests (independent of config/*.yaml).
 * Objects go through the real zod schemas, so defaults are filled in as at load time.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import {
  cadreSchema,
  departmentSchema,
  rosterFileSchema,
  townshipSchema,
  villageSchema,
  type CadreConfig,
  type Config,
  type DepartmentConfig,
  type VillageConfig,
} from '../../src/config/schema.js';
import { chineseCalendar } from '../../src/domain/calendar.js';
import type { WorkingTime } from '../../src/domain/sla.js';

export const TZ = 'Asia/Shanghai';

/** A township-local "YYYY-MM-DD HH:mm[:ss]" as an instant. */
export function local(text: string): Date {
  const format = text.length > 16 ? 'yyyy-MM-dd HH:mm:ss' : 'yyyy-MM-dd HH:mm';
  const dt = DateTime.fromFormat(text, format, { zone: TZ });
  if (!dt.isValid) throw new Error(`bad fixture time ${text}`);
  return dt.toJSDate();
}

/** An instant as township-local "YYYY-MM-DD HH:mm" (seconds shown only when not 0). */
export function show(date: Date): string {
  const dt = DateTime.fromJSDate(date, { zone: TZ });
  return dt.toFormat(dt.second === 0 && dt.millisecond === 0 ? 'yyyy-MM-dd HH:mm' : 'yyyy-MM-dd HH:mm:ss.SSS');
}

/** 08:30–12:00 and 14:00–17:30: 420 working minutes a day. */
export const workingTime: WorkingTime = {
  timezone: TZ,
  workingHours: [
    { start: '08:30', end: '12:00' },
    { start: '14:00', end: '17:30' },
  ],
  calendar: chineseCalendar,
};

export function department(input: z.input<typeof departmentSchema>): DepartmentConfig {
  return departmentSchema.parse(input);
}

export function village(input: z.input<typeof villageSchema>): VillageConfig {
  return villageSchema.parse(input);
}

export function cadre(input: z.input<typeof cadreSchema>): CadreConfig {
  return cadreSchema.parse(input);
}

const defaultSla = { acceptMinutes: 30, firstResponseMinutes: 60, resolveMinutes: 1440 };

/** A whole configuration; roster given as in roster.yaml. */
export function config(input: {
  villages: z.input<typeof villageSchema>[];
  departments: (Omit<z.input<typeof departmentSchema>, 'sla'> & { sla?: z.input<typeof departmentSchema>['sla'] })[];
  cadres: z.input<typeof cadreSchema>[];
  roster: z.input<typeof rosterFileSchema>;
}): Config {
  return {
    township: townshipSchema.parse({
      name: '测试镇',
      timezone: TZ,
      workingHours: workingTime.workingHours,
      officeDepartment: 'dzb',
    }),
    villages: input.villages.map(village),
    departments: input.departments.map((d) => department({ sla: defaultSla, ...d })),
    cadres: input.cadres.map(cadre),
    roster: rosterFileSchema.parse(input.roster),
  };
}
