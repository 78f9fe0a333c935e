/**
 * The time-limit sweep. Due times are columns in Postgres, so a restarted or flushed Redis
 * loses no timer: each run looks for what is due now. Before a limit the holder is warned;
 * at the limit the case is marked overdue, the head is told (催办) and a case nobody accepted
 * goes to the roster's next cadre. `sla_alerts` makes each of these happen once.
 */
import type { Config } from '../config/schema.js';
import type { Database, Repositories } from '../db/database.js';
import type { Case } from '../db/entities/case.entity.js';
import type { Delivery } from '../db/repositories/outbox.repository.js';
import type { SlaLimit } from '../domain/case.js';
import { quietUntil } from '../domain/quiet-hours.js';
import type { CallbackService } from './callback.service.js';
import type { Clock } from './clock.js';
import type { DispatchService } from './dispatch.service.js';
import { Outbox } from './outbox.js';
import { formatTime, formatTimeInLine, limitNames, replies } from './replies.js';
import { slaReplies } from './sla-replies.js';
import { SweepNotices } from './sla-notices.js';

type WorkLimit = Exclude<SlaLimit, 'callback'>;

/** How many of a department's due cases one transaction sweeps (and one message may name). */
const casesPerTransaction = 20;

/**
 * A department's due cases in batches of at most `size`, each holder's together where they fit
 * (so he reads them in one message), each batch in id order (the order every sweep locks them in).
 */
function batches(due: readonly { id: number; assigneeId: string | null }[], size: number): number[][] {
  const byHolder = new Map<string | null, number[]>();
  for (const { id, assigneeId } of due) byHolder.set(assigneeId, [...(byHolder.get(assigneeId) ?? []), id]);
  const all: number[][] = [];
  let batch: number[] = [];
  for (const ids of byHolder.values()) {
    for (let i = 0; i < ids.length; i += size) {
      const chunk = ids.slice(i, i + size);
      if (batch.length + chunk.length > size) {
        all.push(batch);
        batch = [];
      }
      batch.push(...chunk);
    }
  }
  if (batch.length > 0) all.push(batch);
  return all.map((ids) => ids.sort((a, b) => a - b));
}

/** The limits a case is running against now, with their due times. */
function runningLimits(kase: Case): [WorkLimit, Date][] {
  const limits: [WorkLimit, Date | null][] = [];
  if (kase.status === 'assigned') limits.push(['accept', kase.acceptDueAt]);
  if (kase.status === 'assigned' || kase.status === 'accepted') {
    if (!kase.firstResponseAt) limits.push(['first-response', kase.firstResponseDueAt]);
    limits.push(['resolve', kase.resolveDueAt]);
  }
  return limits.filter((entry): entry is [WorkLimit, Date] => entry[1] !== null);
}

export class SlaService {
  constructor(
    private readonly deps: {
      db: Database;
      config: Config;
      clock: Clock;
      dispatch: DispatchService;
      callbacks: CallbackService;
    },
  ) {}

  /**
   * One sweep over every case with something due; returns the outbox rows to enqueue. A
   * department's cases are swept together (a few at a time, a holder's side by side), so a head
   * whose cadre let four limits pass reads one 【催办】 naming them, not four, and a cadre with
   * four cases near their limits one 【提醒】 (see SweepNotices).
   */
  async sweep(): Promise<Delivery[]> {
    const now = this.deps.clock();
    const warnBeforeMs = this.deps.config.township.caseRules.warnBeforeMinutes * 60_000;
    const byDepartment = new Map<string, { id: number; assigneeId: string | null }[]>();
    for (const due of await this.deps.db.cases.dueForSweep(now, warnBeforeMs)) {
      byDepartment.set(due.departmentId, [...(byDepartment.get(due.departmentId) ?? []), due]);
    }
    const ids: Delivery[] = [];
    let failed: unknown;
    const sweep = (batch: readonly number[]) => this.deps.db.transaction((tx) => this.sweepCases(tx, batch, now, warnBeforeMs));
    for (const due of byDepartment.values()) {
      for (const batch of batches(due, casesPerTransaction)) {
        try {
          ids.push(...(await sweep(batch)));
        } catch {
          // One case that fails (or a deadlock) holds back no other: each alone, the first failure
          // reported once the rest are swept.
          for (const caseId of batch) {
            try {
              ids.push(...(await sweep([caseId])));
            } catch (error) {
              failed ??= error;
            }
          }
        }
      }
    }
    // Rows of the batches that committed are sent by the outbox relay meanwhile.
    if (failed !== undefined) throw failed;
    return ids;
  }

  /** Cases of one department, then what each cadre is told about them, one message of each kind. */
  private async sweepCases(tx: Repositories, caseIds: readonly number[], now: Date, warnBeforeMs: number): Promise<Delivery[]> {
    const notices = new SweepNotices();
    const ids: Delivery[] = [];
    for (const caseId of caseIds) ids.push(...(await this.sweepCase(tx, caseId, now, warnBeforeMs, notices)));
    const outbox = new Outbox(tx, now, null, this.deps.config.township);
    await notices.write(tx, outbox);
    return [...ids, ...(await outbox.flush())];
  }

  private async sweepCase(tx: Repositories, caseId: number, now: Date, warnBeforeMs: number, notices: SweepNotices): Promise<Delivery[]> {
    const kase = await tx.cases.lockById(caseId);
    if (!kase) return [];
    const outbox = new Outbox(tx, now, null, this.deps.config.township);
    if (kase.status === 'resolved' && kase.callbackDueAt && kase.callbackDueAt <= now) {
      if (await tx.cases.recordAlert(kase.id, 'callback', 'overdue', kase.callbackDueAt, now)) {
        await this.deps.callbacks.expire(tx, kase, outbox, now);
      }
      return outbox.flush();
    }
    const warnings: [WorkLimit, Date][] = [];
    for (const [limit, dueAt] of runningLimits(kase)) {
      if (dueAt <= now) {
        if (await tx.cases.recordAlert(kase.id, limit, 'overdue', dueAt, now)) {
          await this.escalate(tx, kase, limit, dueAt, outbox, now, notices);
          // The case has a new holder: the next sweep judges the other limits against them.
          if (limit === 'accept') break;
        }
      } else if (dueAt.getTime() - warnBeforeMs <= now.getTime()) {
        if (await tx.cases.recordAlert(kase.id, limit, 'warning', dueAt, now)) warnings.push([limit, dueAt]);
      }
    }
    await this.warn(tx, kase, warnings, now, notices);
    return outbox.flush();
  }

  /** What a line about the case in a list of several says of it, but for the limits. */
  private caseLine(kase: Case) {
    return { number: kase.number, village: this.deps.dispatch.villageName(kase.villageId), residentId: kase.residentId, text: kase.description };
  }

  /** The holder is warned of the limits coming up, all in one message (an urgent case has two within minutes). */
  private async warn(tx: Repositories, kase: Case, warnings: readonly [WorkLimit, Date][], now: Date, notices: SweepNotices): Promise<void> {
    for (const [limit, dueAt] of warnings) {
      await tx.cases.appendEvent({ caseId: kase.id, at: now, actorType: 'system', actorId: null, type: 'warned', data: { limit, dueAt } });
    }
    if (!kase.assigneeId || warnings.length === 0) return;
    const tz = this.deps.config.township.timezone;
    notices.add(kase.assigneeId, 'warning', {
      caseId: kase.id, urgent: kase.priority === 'urgent',
      text: slaReplies.slaWarning({ number: kase.number, limits: warnings.map(([limit, dueAt]) => ({ limit: limitNames[limit], due: formatTime(dueAt, tz) })) }),
      line: {
        ...this.caseLine(kase), limits: warnings.map(([limit, dueAt]) => ({ limit, due: this.lineTime(dueAt, now) })),
        // Only a line to accept offers 派单: asked only then.
        dispatcher: warnings.some(([limit]) => limit === 'accept') && (await this.deps.dispatch.holderPlaces(tx, kase)),
      },
    });
  }

  /**
   * At a limit: overdue, the head told. Not even accepted: the roster's next cadre takes it
   * (the holder is told too); accepted but late: the holder is told to hurry.
   */
  private async escalate(tx: Repositories, kase: Case, limit: WorkLimit, dueAt: Date, outbox: Outbox, now: Date, notices: SweepNotices): Promise<void> {
    const from = kase.assigneeId;
    const holder = from ? await tx.cadres.get(from) : null;
    const fromName = holder?.name ?? '无人';
    // The office holding another department's case (sent back, under review) is late itself:
    // the office's next dispatcher takes it, and the office's head hears of it.
    const office = this.deps.config.township.officeDepartment;
    const officeHeld = kase.departmentId !== office && holder?.departmentIds.includes(office) === true;
    const answerable = officeHeld ? office : kase.departmentId;
    kase.slaStatus = 'overdue';
    await tx.cases.save(kase, now);
    await tx.cases.appendEvent({ caseId: kase.id, at: now, actorType: 'system', actorId: null, type: 'escalated', data: { limit, from } });

    let next: { id: string; name: string } | null = null;
    if (limit === 'accept') {
      // An unplaced matter is still the office's to place (派单): the next dispatcher reads that too.
      const unplaced = kase.departmentId === office ? `\n${replies.notesForCadre.unclear}` : '';
      const taker = await this.deps.dispatch.reassign(tx, {
        kase, now, outbox, note: `${slaReplies.escalationNote(fromName)}${unplaced}`, keepAcceptLimit: true,
        actor: { type: 'system', id: null }, reason: 'escalation', exclude: new Set(from ? [from] : []),
        ...(officeHeld ? { routeDepartmentId: office } : {}),
        // Told with whatever else came to the taker in this sweep.
        holderNotice: (notice) => notices.add(notice.holder.id, 'new-case', {
          caseId: kase.id, urgent: kase.priority === 'urgent', text: notice.text, followUps: notice.followUps,
          line: { ...this.caseLine(kase), from: fromName, next: this.nextLimit(kase, now), dispatcher: notice.dispatcher },
        }),
      });
      next = taker.id === from ? null : taker;
    } else if (from) {
      notices.add(from, 'overdue', {
        caseId: kase.id, urgent: kase.priority === 'urgent', text: slaReplies.slaOverdueHolder({ number: kase.number, limit: limitNames[limit] }),
        line: { ...this.caseLine(kase), limit, due: this.lineTime(dueAt, now) },
      });
    }

    const village = this.deps.dispatch.villageName(kase.villageId);
    const department = this.deps.dispatch.departments.get(kase.departmentId)?.name ?? kase.departmentId;
    let supervisors = await tx.cadres.supervisorsOf(answerable, from);
    // Without a head to tell, the office is told: whoever holds its desk now (the roster's
    // evening or holiday duty may be its head), not every dispatcher.
    if (supervisors.length > 1 && supervisors.every((c) => c.role === 'office')) {
      const duty = await this.deps.dispatch.onDuty(tx, office, kase.villageId, now, new Set(from ? [from] : []));
      supervisors = [supervisors.find((c) => c.id === duty) ?? (await tx.cadres.get(duty))];
    }
    // Whoever gave the case to the late holder (派单) hears of it too: their choice did not work out.
    const placer = from ? await tx.cases.assignedBy(kase.id, from) : null;
    if (placer && placer !== from && !supervisors.some((c) => c.id === placer)) supervisors.push(await tx.cadres.get(placer));
    const resident = (await tx.residents.names([kase.residentId])).get(kase.residentId) ?? '';
    const escalation = { department, limit: limitNames[limit], from: fromName, to: next?.name ?? null };
    for (const supervisor of supervisors) {
      // A head who now holds the case has just been told so in the new case's notice.
      if (supervisor.id === next?.id) continue;
      notices.add(supervisor.id, 'escalated', {
        caseId: kase.id, urgent: kase.priority === 'urgent',
        text: slaReplies.slaEscalated({ number: kase.number, village, resident, text: kase.description, ...escalation }),
        line: { ...this.caseLine(kase), ...escalation },
      });
    }
  }

  /** The limit a case given anew at its accept limit runs against next, and its due time (null: passed too). */
  private nextLimit(kase: Case, now: Date): { limit: 'first-response' | 'resolve'; due: string | null } {
    const limit = kase.firstResponseAt || !kase.firstResponseDueAt ? 'resolve' : 'first-response';
    const dueAt = limit === 'resolve' ? kase.resolveDueAt : kase.firstResponseDueAt;
    return { limit, due: dueAt && dueAt > now ? this.lineTime(dueAt, now) : null };
  }

  /**
   * A time in a line of a list written at `now`: with its date unless the list is read that day. One
   * written in the quiet hours waits for their end, maybe the next morning ("15:00" would read as today).
   */
  private lineTime(at: Date, now: Date): string {
    const { timezone, quietHours } = this.deps.config.township;
    return formatTimeInLine(at, now, timezone, quietUntil(now, quietHours, timezone) ?? now);
  }
}
