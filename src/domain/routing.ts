/**
 * Who receives a case: the on-duty cadre for village × department at a moment, then the
 * roster's backup, then the department head, then the office dispatcher.
 */
import { DateTime } from 'luxon';
import type { CadreConfig, CadreRole, Config, Leave, OverrideSlot, WeeklySlot } from '../config/schema.js';
import { dayRuleApplies, type WorkCalendar } from './calendar.js';

/** Why a cadre was picked. */
export type AssignmentReason = 'on-duty' | 'backup' | 'head' | 'office';

/** The cadre who holds a case, and why. */
export interface Assignment {
  cadreId: string;
  reason: AssignmentReason;
}

/** Input of {@link pickAssignee}. */
export interface PickAssigneeInput {
  config: Config;
  villageId: string;
  departmentId: string;
  /** The moment of routing, evaluated in `config.township.timezone`. */
  at: Date;
  /** Open cases per cadre id (missing = 0). */
  openCases: ReadonlyMap<string, number>;
  calendar: WorkCalendar;
  /** Cadres not to pick, e.g. the one a case is being reassigned away from. */
  exclude?: ReadonlySet<string>;
  /** Leave taken in chat (请假), beside the roster's `leave`; those covering the day are enough. Default none. */
  leaves?: readonly Leave[];
}


type Slot = WeeklySlot | OverrideSlot;

/**
 * The leave `cadreId` is on on `date` ("YYYY-MM-DD", from/to inclusive), if any: the roster's,
 * else one of `leaves` (taken in chat).
 */
export function leaveOn(config: Config, cadreId: string, date: string, leaves: readonly Leave[] = []): Leave | undefined {
  const covers = (l: Leave) => l.cadre === cadreId && l.from <= date && date <= l.to;
  return config.roster.leave.find(covers) ?? leaves.find(covers);
}

/** Whether `cadreId` is on leave on `date` (the roster's, or one of `leaves`). */
export function onLeave(config: Config, cadreId: string, date: string, leaves: readonly Leave[] = []): boolean {
  return leaveOn(config, cadreId, date, leaves) !== undefined;
}

function coversVillage(slot: Slot, villageId: string): boolean {
  return slot.villages === 'all' || slot.villages.includes(villageId);
}

/** Whether "HH:MM-HH:MM" (end exclusive) contains `time` "HH:MM"; no hours = whole day. */
function withinHours(hours: string | undefined, time: string): boolean {
  if (hours === undefined) return true;
  return hours.slice(0, 5) <= time && time < hours.slice(6);
}

/**
 * The duty slots in force: the date's overrides for department × village replace the weekly
 * slots when there is at least one; `hours` then restricts either kind to its time window.
 */
function matchingSlots(input: PickAssigneeInput, local: DateTime): Slot[] {
  const { config, villageId, departmentId, calendar } = input;
  const date = local.toISODate() ?? '';
  const time = local.toFormat('HH:mm');
  const applies = (slot: Slot) => slot.department === departmentId && coversVillage(slot, villageId);

  const overrides = config.roster.overrides.filter((o) => o.date === date && applies(o));
  const slots: Slot[] =
    overrides.length > 0
      ? overrides
      : config.roster.weekly.filter((w) => applies(w) && dayRuleApplies(w.days, date, calendar));
  return slots.filter((slot) => withinHours(slot.hours, time));
}

/** The candidate with the fewest open cases; the earliest in `ids` on ties. */
function fewestOpen(ids: string[], openCases: ReadonlyMap<string, number>): string | undefined {
  let best: string | undefined;
  for (const id of ids) {
    if (best === undefined || (openCases.get(id) ?? 0) < (openCases.get(best) ?? 0)) best = id;
  }
  return best;
}

/**
 * Every cadre whose open cases {@link pickAssignee} may compare for `departmentId`: those on any
 * of its duty slots, its heads and the office. Counting only these keeps routing cheap.
 */
export function routingCandidates(config: Config, departmentId: string): string[] {
  const slots: Slot[] = [...config.roster.weekly, ...config.roster.overrides].filter((s) => s.department === departmentId);
  const byRole = config.cadres.filter((c) => c.role === 'office' || (c.role === 'head' && c.departments.includes(departmentId)));
  return [...new Set([...slots.flatMap((s) => s.cadres), ...byRole.map((c) => c.id)])];
}

/**
 * Picks the holder of a case for village × department at `at`:
 * 1. on-duty cadres of the matching slots, not on leave (roster or chat) nor excluded, fewest open cases
 *    (ties: roster order);
 * 2. the first available backup of the matching slots, in slot order;
 * 3. available heads (role 'head') of the department, fewest open cases (ties: config order);
 * 4. available office cadres (role 'office'), fewest open cases;
 * 5. the first office cadre even if on leave or excluded — a case always has a holder.
 *
 * @throws Error when the configuration has no office cadre at all.
 */
export function pickAssignee(input: PickAssigneeInput): Assignment {
  const { config, departmentId, openCases } = input;
  const local = DateTime.fromJSDate(input.at, { zone: config.township.timezone });
  if (!local.isValid) throw new RangeError(`invalid time zone: ${config.township.timezone}`);
  const date = local.toISODate() ?? '';
  const available = (id: string) => !input.exclude?.has(id) && !onLeave(config, id, date, input.leaves);

  const slots = matchingSlots(input, local);
  const onDuty = [...new Set(slots.flatMap((s) => s.cadres))].filter(available);
  const duty = fewestOpen(onDuty, openCases);
  if (duty !== undefined) return { cadreId: duty, reason: 'on-duty' };

  const backup = slots.map((s) => s.backup).find((id): id is string => id !== undefined && available(id));
  if (backup !== undefined) return { cadreId: backup, reason: 'backup' };

  const withRole = (role: CadreRole, dept?: string): CadreConfig[] =>
    config.cadres.filter((c) => c.role === role && (dept === undefined || c.departments.includes(dept)));

  const head = fewestOpen(withRole('head', departmentId).map((c) => c.id).filter(available), openCases);
  if (head !== undefined) return { cadreId: head, reason: 'head' };

  const officeCadres = withRole('office').map((c) => c.id);
  const office = fewestOpen(officeCadres.filter(available), openCases) ?? officeCadres[0];
  if (office === undefined) throw new Error('configuration has no office cadre (role "office")');
  return { cadreId: office, reason: 'office' };
}
