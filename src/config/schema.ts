/**
 * Zod schemas for the township configuration in `config/*.yaml`.
 *
 * One schema per file; cross-references between files are checked in `load.ts`.
 * Every field is documented in README.md ("Configuration reference").
 */
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and "-"');

/**
 * The id of a village, department or cadre defined in another file. Any text here: whether it
 * names one is checked across files (load.ts), which can then say which id was meant ("农技站" →
 * nongjizhan) instead of only that the characters are wrong.
 */
const ref = z.string().min(1);

/** "HH:MM", 00:00–24:00. */
const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a time like "08:30"');

/** A calendar date "YYYY-MM-DD" (YAML may give a Date for unquoted dates). */
const isoDate = z.preprocess(
  (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value),
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like "2026-12-01"')
    .refine((date) => DateTime.fromISO(date).isValid, { message: 'must be a day of the calendar', when: valid }),
);

/** A union's message for a value written wrongly; a missing one is left to say it is missing (load.ts). */
function writtenWrongly(message: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? undefined : message);
}

/** Runs a refinement only on input without problems of its own, so one mistake gives one message. */
function valid(payload: { issues: readonly unknown[] }): boolean {
  return payload.issues.length === 0;
}

const period = z
  .object({ start: clockTime, end: clockTime })
  .strict()
  .refine((p) => p.start < p.end, { message: 'start must be before end', when: valid });

const positiveMinutes = z.number().int().positive();

export const townshipSchema = z
  .object({
    name: z.string().min(1),
    timezone: z
      .string()
      .refine((zone) => IANAZone.isValidZone(zone), { message: 'must be an IANA time zone such as "Asia/Shanghai"' })
      .default('Asia/Shanghai'),
    /** Working periods of a working day; SLA clocks run only inside them. */
    workingHours: z.array(period).min(1),
    /** Department id of the office (党政办); its dispatcher receives what no rule can place. */
    officeDepartment: ref,
    classification: z
      .object({
        /** Smallest keyword score that counts as confident. */
        minScore: z.number().positive().default(2),
        /** How far the best department must lead the second one. */
        minMargin: z.number().nonnegative().default(1),
      })
      .strict()
      .prefault({}),
    caseRules: z
      .object({
        /** Warn the assignee this many minutes (wall clock) before a limit. */
        warnBeforeMinutes: z.number().int().nonnegative().default(30),
        /** How often due times are checked. */
        sweepEverySeconds: z.number().int().positive().default(60),
        /** 退单 is allowed only this long after the case reached the cadre (wall clock). */
        sendBackWindowMinutes: z.number().int().positive().default(120),
        /** Without a rating by then after 办结, the case closes as 未回访 (wall clock). */
        callbackTimeoutMinutes: z.number().int().positive().default(4320),
        /** A photo or voice a cadre sends within this long after 接单/回复/办结 goes to that case's resident. */
        photoFollowsMinutes: z.number().int().positive().default(30),
        /**
         * Photos (or voices…) of one kind from one person into one case, each within this long of
         * the one before, read as one run: one header line and one confirmation, every file forwarded.
         */
        mediaRunSeconds: z.number().int().nonnegative().default(90),
        /** A 绑定 code from the office is valid this long. */
        bindCodeMinutes: z.number().int().positive().default(1440),
        /** A department menu left unanswered this long: the matter goes to the office dispatcher, as 不清楚. */
        departmentMenuMinutes: z.number().int().positive().default(60),
        /** "新的事，还是补充？" left unanswered this long: her words join the open case, as 2 would. */
        newMatterQuestionMinutes: z.number().int().positive().default(10),
      })
      .strict()
      .prefault({}),
    /** Dates `chinese-days` does not know yet (or gets wrong): next year's schedule once published. */
    calendar: z
      .object({
        /** Public holidays: days off, whatever the weekday. */
        holidays: z.array(isoDate).default([]),
        /** 调休 days: Saturdays or Sundays worked. */
        workdays: z.array(isoDate).default([]),
      })
      .strict()
      .prefault({})
      .refine((c) => !c.holidays.some((d) => c.workdays.includes(d)), { message: 'a date cannot be both a holiday and a workday', when: valid }),
    /**
     * 夜间免打扰: what lianxin writes to a cadre in these hours waits until they end, unless its
     * case is urgent or the cadre wrote to lianxin a few minutes ago (awake). `null` sends at any hour.
     */
    quietHours: z
      .object({ start: clockTime, end: clockTime })
      .strict()
      .refine((q) => q.start !== q.end, { message: 'start and end must differ', when: valid })
      .nullable()
      .default({ start: '22:00', end: '07:00' }),
    /** A resident sending more than this many messages a minute is told once to slow down; the rest are kept unanswered. */
    // Three batches of nine photos (WeChat's most per send) fit in a minute; a stuck phone does not.
    residentMessagesPerMinute: z.number().int().positive().default(30),
    bookings: z
      .object({
        /** A booking dialog left this long without an answer ends, with a message. */
        dialogIdleMinutes: z.number().int().positive().default(30),
        /** `取消预约` is possible until this long before the visit. */
        cancelCutoffMinutes: z.number().int().nonnegative().default(120),
        /** Reminders to resident and cadre, minutes before the visit. */
        reminderMinutes: z.array(z.number().int().positive()).default([1440, 120]),
        /** When cadres get the day's visits. */
        morningDigestAt: clockTime.default('07:30'),
        /** From this many no-shows on, the cadre is asked to confirm by phone first. */
        noShowFlagAfter: z.number().int().positive().default(2),
      })
      .strict()
      .prefault({}),
    outbound: z
      .object({
        /** Minimum gap between two messages to the same recipient; 0 turns it off. */
        perRecipientIntervalMs: z.number().int().nonnegative().default(1000),
        /** Global cap on messages sent per second by one bot; 0 turns it off. */
        globalPerSecond: z.number().int().nonnegative().default(5),
      })
      .strict()
      .prefault({}),
    /** The office dashboard (web role) and the statistics; read through `dashboardSettings()`. */
    dashboard: z
      .object({
        /** Office accounts that may log in to the dashboard. */
        accounts: z
          .array(
            z
              .object({
                /** Login name. */
                username: z.string().regex(/^[A-Za-z0-9._-]{2,32}$/, 'must be 2–32 letters, digits, ".", "_" or "-"'),
                /** Shown in the dashboard's header. */
                name: z.string().min(1),
                /** From `npm run report -- --hash-password` (scrypt); never the password itself. */
                passwordHash: z
                  .string()
                  .regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/, 'must be a hash from `npm run report -- --hash-password`'),
              })
              .strict(),
          )
          .default([]),
        /** Signs the session cookie; at least 32 characters. Default: a new random one at each start (everyone logs in again). */
        sessionSecret: z.string().min(32).optional(),
        /** A login lasts this long without use. */
        sessionIdleMinutes: z.number().int().positive().default(480),
        /** Send the session cookie over HTTPS only: turn on behind an HTTPS proxy. */
        secureCookies: z.boolean().default(false),
        /**
         * The proxy in front of the dashboard, whose X-Forwarded-Proto and X-Forwarded-For are
         * believed: its address ("127.0.0.1", a list or a CIDR), or true for any. Needed with
         * `secureCookies` behind an HTTPS proxy, and so the login limit counts each office PC.
         */
        trustProxy: z.union([z.boolean(), z.string().min(1)], { error: writtenWrongly('must be true, false or the proxy\'s address') }).default(false),
        /** Cadres with fewer cases in the period are shown but not ranked. */
        minCasesForRanking: z.number().int().nonnegative().default(10),
      })
      .strict()
      .optional(),
  })
  .strict();

/** The dashboard settings with their defaults, also when `township.dashboard` is left out. */
export function dashboardSettings(township: Pick<TownshipConfig, 'dashboard'>): DashboardSettings {
  return township.dashboard ?? { accounts: [], sessionIdleMinutes: 480, secureCookies: false, trustProxy: false, minCasesForRanking: 10 };
}

export const villageSchema = z
  .object({
    id,
    name: z.string().min(1),
    kind: z.enum(['village', 'community']).default('village'),
    aliases: z.array(z.string().min(1)).default([]),
  })
  .strict();

export const villagesFileSchema = z.object({ villages: z.array(villageSchema).min(1) }).strict();

const keyword = z.union(
  [
    z.string().min(1).transform((word) => ({ word, weight: 1 })),
    z.object({ word: z.string().min(1), weight: z.number().positive() }).strict(),
  ],
  { error: writtenWrongly('must be a word, or { word: 病虫害, weight: 2 }') },
);

const slaSchema = z
  .object({
    acceptMinutes: positiveMinutes,
    firstResponseMinutes: positiveMinutes,
    resolveMinutes: positiveMinutes,
  })
  .strict();

const weekdayEnum = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
/** `workdays` follows the Chinese calendar (holidays off, 调休 Saturdays on); `restdays` is the rest. */
const dayRule = z.union([z.enum(['workdays', 'restdays', 'everyday']), z.array(weekdayEnum).min(1)], {
  error: writtenWrongly('must be workdays, restdays, everyday or a list of days such as [sat, sun]'),
});

/** "HH:MM-HH:MM", start before end. */
const hoursRange = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$|^([01]\d|2[0-3]):[0-5]\d-24:00$/, 'must look like "08:00-18:00"')
  .refine((h) => h.slice(0, 5) < h.slice(6), { message: 'start must be before end', when: valid });

/** A bookable field service (预约), e.g. an agronomist's visit to a field. */
export const serviceSchema = z
  .object({
    id,
    name: z.string().min(1),
    /** `home`: the cadre comes to the resident's home or field; `station`: the resident comes. */
    where: z.enum(['home', 'station']).default('home'),
    durationMinutes: z.number().int().positive(),
    /** Residents per slot. One slot per half-day with capacity N models "N per cadre per half-day". */
    capacity: z.number().int().positive().default(1),
    /** Travel between villages: a gap after each slot before the next one starts. */
    bufferMinutes: z.number().int().nonnegative().default(0),
    /** A slot must start at least this long after the booking (wall clock). */
    minNoticeMinutes: z.number().int().nonnegative().default(120),
    /** How many days ahead one may book. */
    horizonDays: z.number().int().min(1).max(90).default(14),
    /** The weekly working plan: on these days, slots fill these hours. */
    plan: z.array(z.object({ days: dayRule, hours: z.array(hoursRange).min(1) }).strict()).min(1),
    /** Dated exceptions: closed that day, or other hours. */
    exceptions: z
      .array(
        z
          .object({ date: isoDate, closed: z.boolean().default(false), hours: z.array(hoursRange).optional(), note: z.string().optional() })
          .strict(),
      )
      .default([]),
  })
  .strict();

export const departmentSchema = z
  .object({
    id,
    name: z.string().min(1),
    /** Shown beside the name in the resident's department menu. */
    description: z.string().default(''),
    aliases: z.array(z.string().min(1)).default([]),
    keywords: z.array(keyword).default([]),
    /** Words that make a case urgent: wall-clock limits from `urgentSla`. */
    urgentKeywords: z.array(z.string().min(1)).default([]),
    /** Limits in working minutes. */
    sla: slaSchema,
    /** Limits in wall-clock minutes for urgent cases; defaults to `sla`. */
    urgentSla: slaSchema.optional(),
    /** Services residents can book. */
    services: z.array(serviceSchema).default([]),
  })
  .strict();

export const departmentsFileSchema = z
  .object({ departments: z.array(departmentSchema).min(1) })
  .strict();

export const cadreSchema = z
  .object({
    id,
    name: z.string().min(1),
    /** How residents see them, e.g. "农技员". */
    title: z.string().default(''),
    role: z.enum(['cadre', 'head', 'office']).default('cadre'),
    departments: z.array(ref).min(1),
    villages: z.array(ref).default([]),
    /** A stable WeChat id (wxid_…) when the puppet provides one. */
    wechatId: z.string().min(1).optional(),
  })
  .strict();

export const cadresFileSchema = z.object({ cadres: z.array(cadreSchema).min(1) }).strict();

export type Weekday = z.infer<typeof weekdayEnum>;
export type DayRule = z.infer<typeof dayRule>;

const villageList = z.union([z.literal('all'), z.array(ref).min(1)], { error: writtenWrongly('must be all, or a list of village ids') });

const dutySlot = {
  department: ref,
  villages: villageList,
  hours: hoursRange.optional(),
  cadres: z.array(ref).min(1),
  backup: ref.optional(),
};

export const rosterFileSchema = z
  .object({
    weekly: z.array(z.object({ ...dutySlot, days: dayRule }).strict()).default([]),
    /** Replace the weekly slots of that department and those villages on one date. */
    overrides: z
      .array(z.object({ ...dutySlot, date: isoDate, note: z.string().optional() }).strict())
      .default([]),
    leave: z
      .array(
        z
          .object({ cadre: ref, from: isoDate, to: isoDate, note: z.string().optional() })
          .strict()
          .refine((l) => l.from <= l.to, { message: '"from" must not be after "to"', when: valid }),
      )
      .default([]),
  })
  .strict();

export type TownshipConfig = z.infer<typeof townshipSchema>;
export type DashboardSettings = NonNullable<TownshipConfig['dashboard']>;
export type VillageConfig = z.infer<typeof villageSchema>;
export type DepartmentConfig = z.infer<typeof departmentSchema>;
export type SlaConfig = z.infer<typeof slaSchema>;
export type ServiceConfig = z.infer<typeof serviceSchema>;
export type CadreConfig = z.infer<typeof cadreSchema>;
export type CadreRole = CadreConfig['role'];
export type RosterConfig = z.infer<typeof rosterFileSchema>;
export type WeeklySlot = RosterConfig['weekly'][number];
export type OverrideSlot = RosterConfig['overrides'][number];
export type Leave = RosterConfig['leave'][number];

/**
 * A department as people name it: its id, name or one of its aliases; else the one department
 * a name or alias of which contains the words ("防疫" → 动物防疫站, "农技" → 农技站).
 */
export function findDepartment(departments: readonly DepartmentConfig[], text: string): DepartmentConfig | undefined {
  const exact = departments.find((d) => d.id === text || d.name === text || d.aliases.includes(text));
  if (exact || [...text].length < 2) return exact;
  const partly = departments.filter((d) => [d.name, ...d.aliases].some((n) => n.includes(text)));
  return partly.length === 1 ? partly[0] : undefined;
}

/** The whole validated configuration, frozen after load. */
export interface Config {
  township: TownshipConfig;
  villages: VillageConfig[];
  departments: DepartmentConfig[];
  cadres: CadreConfig[];
  roster: RosterConfig;
}
