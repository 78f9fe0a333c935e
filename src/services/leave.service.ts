/**
 * Leave by chat (请假 / 销假), kept in `cadre_leaves` beside the roster's `leave:`: routing skips a
 * cadre on either (see `pickAssignee`), and 派单 to him is refused with the dates. A cadre puts in
 * his own leave; a head his department's cadres', the office anyone's. Runs inside the inbound
 * message's transaction.
 */
import { DateTime } from 'luxon';
import type { Config, Leave } from '../config/schema.js';
import type { Repositories } from '../db/database.js';
import type { Cadre } from '../db/entities/cadre.entity.js';
import { dayRuleApplies, type WorkCalendar } from '../domain/calendar.js';
import type { CadreCommand } from '../domain/commands.js';
import { readLeave } from '../domain/leave.js';
import { leaveOn, pickAssignee } from '../domain/routing.js';
import { localDate } from '../domain/slots.js';
import { leaveDays, leaveReplies } from './leave-replies.js';
import type { BookingService } from './booking.service.js';
import type { Outbox } from './outbox.js';
import { unknownName } from './cadre-names.js';
import { replies } from './replies.js';

export type LeaveCommand = Extract<CadreCommand, { kind: 'leave' | 'end-leave' }>;

export class LeaveService {
  private readonly tz: string;

  constructor(
    private readonly config: Config,
    private readonly calendar: WorkCalendar,
    private readonly bookings: BookingService,
  ) {
    this.tz = config.township.timezone;
  }

  /** The leave a cadre is on at `now`: the roster's, or one taken in chat. */
  async leaveOn(tx: Repositories, cadreId: string, now: Date): Promise<Leave | undefined> {
    const today = localDate(now, this.tz);
    return leaveOn(this.config, cadreId, today, await tx.leaves.on([cadreId], today));
  }

  /** 请假 / 销假 from `cadre`, for himself or (a head, the office) for the cadre named. */
  async handle(tx: Repositories, command: LeaveCommand, cadre: Cadre, outbox: Outbox, now: Date): Promise<void> {
    const verb = command.kind === 'leave' ? '请假' : '销假';
    const target = command.cadre === null ? cadre : await tx.cadres.findByIdOrName(command.cadre);
    if (!target) {
      const line = (name: string) => (command.kind === 'leave' ? `请假 ${name} ${command.when}` : `销假 ${name}`);
      return outbox.toCadre(cadre.id, unknownName(this.config, command.cadre!, { line }));
    }
    if (target.id !== cadre.id) {
      if (cadre.role === 'cadre') return outbox.toCadre(cadre.id, leaveReplies.leaveOwnOnly(verb));
      if (cadre.role === 'head' && !target.departmentIds.some((d) => cadre.departmentIds.includes(d))) {
        return outbox.toCadre(cadre.id, leaveReplies.leaveOwnDepartment({ verb, cadre: target.name }));
      }
    }
    return command.kind === 'leave' ? this.take(tx, command.when, target, cadre, outbox, now) : this.end(tx, target, cadre, outbox, now);
  }

  private async take(tx: Repositories, when: string, target: Cadre, by: Cadre, outbox: Outbox, now: Date): Promise<void> {
    const today = localDate(now, this.tz);
    const leave = readLeave(when, today, this.calendar);
    if (!leave) return outbox.toCadre(by.id, replies.malformed('请假'));
    const put = await tx.leaves.replace(
      { cadre: target.id, from: leave.from, to: leave.to, ...(leave.reason ? { note: leave.reason } : {}), setBy: by.id },
      today,
      now,
    );
    const standIns = await standInsFor(tx, this.config, this.calendar, target.id, leave);
    const openCases = (await tx.cases.openForAssignee(target.id)).map((c) => c.number);
    const supervisors = await this.supervisors(tx, target);
    // His visits of those days go to whoever routing has then (the leave is written: he is passed by).
    const handedOver = await this.bookings.handOver(tx, target, leave, now);
    const days = leaveDays(leave, today, this.tz);
    const other = target.id !== by.id;
    outbox.toCadre(
      by.id,
      leaveReplies.leaveSet({
        days, workdays: leave.workdays, cadre: other ? target.name : null, replaced: put === 'changed', standIns, openCases, handedOver,
        supervisors: supervisors.every((s) => s.role === 'office') ? '办公室' : supervisors.map((s) => s.name).join('、'), reader: by.name,
      }),
    );
    // The same 请假 sent again (no answer seen yet, in the field) is news to nobody else.
    if (put === 'same') return handedOver.tell(outbox);
    if (other) outbox.toCadre(target.id, leaveReplies.leaveSetForYou({ by: by.name, days, standIns, handedOver }));
    // His head hears of it, unless the head put it in himself.
    for (const supervisor of supervisors.filter((s) => s.id !== by.id)) {
      outbox.toCadre(
        supervisor.id,
        leaveReplies.leaveNotice({ cadre: target.name, days, reason: leave.reason, standIns, openCases, reader: supervisor.name, handedOver }),
      );
    }
    handedOver.tell(outbox);
  }

  /**
   * 销假: the leave running today ends yesterday; with none running, the next one not begun yet is
   * called off. The roster's leave is the office's to change.
   */
  private async end(tx: Repositories, target: Cadre, by: Cadre, outbox: Outbox, now: Date): Promise<void> {
    const today = localDate(now, this.tz);
    const other = target.id !== by.id;
    const leaves = await tx.leaves.fromDate(target.id, today);
    const running = leaves.filter((l) => l.from <= today);
    const ending = running.length > 0 ? running : leaves.slice(0, 1);
    // Back at work (or never away), he is reminded what waits for him: his open cases, by number.
    const waiting = async () => (other ? [] : (await tx.cases.openForAssignee(target.id)).map((c) => c.number));
    if (ending.length === 0) {
      const roster = leaveOn(this.config, target.id, today);
      const openCases = roster ? [] : await waiting();
      return outbox.toCadre(by.id, leaveReplies.noLeave({ cadre: other ? target.name : null, roster: roster ? leaveDays(roster, today, this.tz) : null, openCases }));
    }
    for (const leave of ending) await tx.leaves.end(leave.id, today);
    const ended = running.length > 0;
    const cancelled = ended ? null : leaveDays(ending[0]!, today, this.tz);
    const openCases = ended ? await waiting() : [];
    outbox.toCadre(by.id, leaveReplies.leaveEnded({ cadre: other ? target.name : null, ended, cancelled, openCases }));
    if (other) outbox.toCadre(target.id, leaveReplies.leaveEndedForYou({ by: by.name, ended, cancelled }));
    if (ended) {
      for (const supervisor of (await this.supervisors(tx, target)).filter((s) => s.id !== by.id)) {
        outbox.toCadre(supervisor.id, leaveReplies.backNotice(target.name));
      }
    }
  }

  /** Who looks after the cadre's work: the heads of his departments, or the office where there is none. */
  private async supervisors(tx: Repositories, cadre: Cadre): Promise<Cadre[]> {
    const all = await Promise.all(cadre.departmentIds.map((d) => tx.cadres.supervisorsOf(d, cadre.id)));
    return [...new Map(all.flat().map((c) => [c.id, c])).values()];
  }
}

/**
 * Who gets the cadre's new cases while he is away, as routing picks them on the first working
 * day of the leave (the leave's first day when it has none): for each duty slot of his that day,
 * each village it serves, at the start of its hours. Names, in roster order.
 */
export async function standInsFor(
  tx: Repositories,
  config: Config,
  calendar: WorkCalendar,
  cadreId: string,
  { from, to }: { from: string; to: string },
): Promise<string[]> {
  let day = DateTime.fromISO(from);
  while (!calendar.isWorkday(day.toISODate()!) && day.toISODate()! < to) day = day.plus({ days: 1 });
  const date = calendar.isWorkday(day.toISODate()!) ? day.toISODate()! : from;
  const { weekly, overrides } = config.roster;
  const slots = [...overrides.filter((o) => o.date === date), ...weekly.filter((w) => dayRuleApplies(w.days, date, calendar))].filter((s) =>
    s.cadres.includes(cadreId),
  );
  if (slots.length === 0) return [];
  const leaves = await tx.leaves.on(config.cadres.map((c) => c.id), date);
  const picked = new Set<string>();
  for (const slot of slots) {
    const at = DateTime.fromISO(`${date}T${slot.hours?.slice(0, 5) ?? config.township.workingHours[0]!.start}`, { zone: config.township.timezone }).toJSDate();
    for (const villageId of slot.villages === 'all' ? config.villages.map((v) => v.id) : slot.villages) {
      const { cadreId: taker } = pickAssignee({
        config, villageId, departmentId: slot.department, at, openCases: new Map(), calendar, leaves,
      });
      if (taker !== cadreId) picked.add(taker);
    }
  }
  return [...picked].map((id) => config.cadres.find((c) => c.id === id)?.name ?? id);
}

/**
 * Everyone's leave touching the days `from`–`to`: the roster's (`setBy` null) and that taken in
 * chat (`setBy`: who put it in), earliest first.
 */
export async function leavesBetween(tx: Repositories, config: Config, from: string, to: string): Promise<(Leave & { setBy: string | null })[]> {
  const roster = config.roster.leave.filter((l) => l.from <= to && l.to >= from).map((l) => ({ ...l, setBy: null }));
  const chat = await tx.leaves.overlapping(from, to);
  return [...roster, ...chat].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}
