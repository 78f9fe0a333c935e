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
import type { CallbackService } from './callback.service.js';
import type { Clock } from './clock.js';
import type { DispatchService } from './dispatch.service.js';
import { Outbox } from './outbox.js';
import { formatTime, limitNames, replies, type EscalationNotice } from './replies.js';

type WorkLimit = Exclude<SlaLimit, 'callback'>;

/** How many of a department's due cases one transaction sweeps (and one 【催办】 may name). */
const casesPerTransaction = 20;

/** A supervisor's 【催办】 about one case, held until the department's cases are swept. */
type Escalation = EscalationNotice & { caseId: number; urgent: boolean };

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
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
   * department's cases are swept together (a few at a time), so a head whose cadre let four
   * limits pass reads one 【催办】 naming them, not four.
   */
  async sweep(): Promise<Delivery[]> {
    const now = this.deps.clock();
    const warnBeforeMs = this.deps.config.township.caseRules.warnBeforeMinutes * 60_000;
    const byDepartment = new Map<string, number[]>();
    for (const { id, departmentId } of await this.deps.db.cases.dueForSweep(now, warnBeforeMs)) {
      byDepartment.set(departmentId, [...(byDepartment.get(departmentId) ?? []), id]);
    }
    const ids: Delivery[] = [];
    let failed: unknown;
    const sweep = (batch: readonly number[]) => this.deps.db.transaction((tx) => this.sweepCases(tx, batch, now, warnBeforeMs));
    for (const caseIds of byDepartment.values()) {
      for (let i = 0; i < caseIds.length; i += casesPerTransaction) {
        const batch = caseIds.slice(i, i + casesPerTransaction);
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

  /** Cases of one department, then each supervisor's 【催办】 about them in one message. */
  private async sweepCases(tx: Repositories, caseIds: readonly number[], now: Date, warnBeforeMs: number): Promise<Delivery[]> {
    const told = new Map<string, Escalation[]>();
    const ids: Delivery[] = [];
    for (const caseId of caseIds) ids.push(...(await this.sweepCase(tx, caseId, now, warnBeforeMs, told)));
    const outbox = new Outbox(tx, now, null, this.deps.config.township);
    for (const [supervisorId, escalations] of told) {
      // An urgent case's goes alone, with its case: in the quiet hours it wakes the head.
      const [urgent, others] = partition(escalations, (e) => e.urgent);
      for (const e of urgent) outbox.toCadre(supervisorId, replies.slaEscalated(e), e.caseId);
      if (others.length === 1) outbox.toCadre(supervisorId, replies.slaEscalated(others[0]!), others[0]!.caseId);
      else if (others.length > 1) outbox.toCadre(supervisorId, replies.slaEscalatedSeveral(others));
    }
    return [...ids, ...(await outbox.flush())];
  }

  private async sweepCase(tx: Repositories, caseId: number, now: Date, warnBeforeMs: number, told: Map<string, Escalation[]>): Promise<Delivery[]> {
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
          await this.escalate(tx, kase, limit, outbox, now, told);
          // The case has a new holder: the next sweep judges the other limits against them.
          if (limit === 'accept') break;
        }
      } else if (dueAt.getTime() - warnBeforeMs <= now.getTime()) {
        if (await tx.cases.recordAlert(kase.id, limit, 'warning', dueAt, now)) warnings.push([limit, dueAt]);
      }
    }
    await this.warn(tx, kase, warnings, outbox, now);
    return outbox.flush();
  }

  /** The holder is warned of the limits coming up, all in one message (an urgent case has two within minutes). */
  private async warn(tx: Repositories, kase: Case, warnings: readonly [WorkLimit, Date][], outbox: Outbox, now: Date): Promise<void> {
    for (const [limit, dueAt] of warnings) {
      await tx.cases.appendEvent({ caseId: kase.id, at: now, actorType: 'system', actorId: null, type: 'warned', data: { limit, dueAt } });
    }
    if (!kase.assigneeId || warnings.length === 0) return;
    const tz = this.deps.config.township.timezone;
    const limits = warnings.map(([limit, dueAt]) => ({ limit: limitNames[limit], due: formatTime(dueAt, tz) }));
    outbox.toCadre(kase.assigneeId, replies.slaWarning({ number: kase.number, limits }), kase.id);
  }

  /**
   * At a limit: overdue, the head told. Not even accepted: the roster's next cadre takes it
   * (the holder is told too); accepted but late: the holder is told to hurry.
   */
  private async escalate(tx: Repositories, kase: Case, limit: WorkLimit, outbox: Outbox, now: Date, told: Map<string, Escalation[]>): Promise<void> {
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
        kase, now, outbox, note: `${replies.escalationNote(fromName)}${unplaced}`, keepAcceptLimit: true,
        actor: { type: 'system', id: null }, reason: 'escalation', exclude: new Set(from ? [from] : []),
        ...(officeHeld ? { routeDepartmentId: office } : {}),
      });
      next = taker.id === from ? null : taker;
    } else if (from) {
      outbox.toCadre(from, replies.slaOverdueHolder({ number: kase.number, limit: limitNames[limit] }), kase.id);
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
    for (const supervisor of supervisors) {
      // A head who now holds the case has just been told so in the new case's notice.
      if (supervisor.id === next?.id) continue;
      told.set(supervisor.id, [
        ...(told.get(supervisor.id) ?? []),
        {
          caseId: kase.id, urgent: kase.priority === 'urgent',
          number: kase.number, village, department, limit: limitNames[limit], from: fromName, to: next?.name ?? null, resident, text: kase.description,
        },
      ]);
    }
  }
}
