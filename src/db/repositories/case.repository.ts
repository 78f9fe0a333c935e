import { In, MoreThan, type EntityManager } from 'typeorm';
import { openCaseStatuses, type ActorType, type CaseEventType, type SlaLimit } from '../../domain/case.js';
import { Case } from '../entities/case.entity.js';
import { hydrate, literalList, prepared } from '../sql.js';

export type NewCase = Pick<
  Case,
  | 'residentId' | 'villageId' | 'departmentId' | 'status' | 'priority' | 'assigneeId' | 'description'
  | 'createdAt' | 'assignedAt' | 'dispatchedAt' | 'acceptDueAt' | 'firstResponseDueAt' | 'resolveDueAt'
>;

export interface NewCaseEvent {
  caseId: number;
  at: Date;
  actorType: ActorType;
  actorId: string | null;
  type: CaseEventType;
  data?: Record<string, unknown>;
}

/** An open case of alias `c` past a limit at `now` (a bind parameter), or marked overdue. */
const overdueAt = (now: string) =>
  `(c.sla_status = 'overdue' OR (c.status = 'assigned' AND c.accept_due_at <= ${now})
    OR (c.first_response_at IS NULL AND c.first_response_due_at <= ${now}) OR c.resolve_due_at <= ${now})`;

/** A resident's earlier case of a department, done (see CaseRepository.create). */
export interface EarlierCase {
  number: number;
  description: string;
  resolvedAt: Date;
  assigneeId: string | null;
}

export class CaseRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Writes a new case. `doneSince`: also returns the resident's case of the same department done
   * (办结) most recently after then — read by the INSERT itself, no round trip of its own.
   */
  async create(fields: NewCase, doneSince: Date | null = null): Promise<{ kase: Case; earlier: EarlierCase | null }> {
    // `number` comes from a sequence default: RETURNING gives it back with the row.
    const [row]: Record<string, unknown>[] = await prepared(
      this.em,
      `INSERT INTO cases (resident_id, village_id, department_id, status, priority, assignee_id, description,
         created_at, assigned_at, dispatched_at, accept_due_at, first_response_due_at, resolve_due_at,
         sla_status, reopen_count, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'on-time', 0, $8)
       RETURNING *, (
         SELECT json_build_object('number', p.number, 'description', p.description, 'resolvedAt', p.resolved_at, 'assigneeId', p.assignee_id)
         FROM cases p
         WHERE $14::timestamptz IS NOT NULL AND p.resident_id = $1 AND p.department_id = $3
           AND p.status IN ('resolved', 'closed') AND p.resolved_at > $14::timestamptz
         ORDER BY p.resolved_at DESC LIMIT 1) AS earlier`,
      [
        fields.residentId, fields.villageId, fields.departmentId, fields.status, fields.priority, fields.assigneeId,
        fields.description, fields.createdAt, fields.assignedAt, fields.dispatchedAt, fields.acceptDueAt,
        fields.firstResponseDueAt, fields.resolveDueAt, doneSince,
      ],
    );
    const earlier = row!.earlier as (Omit<EarlierCase, 'resolvedAt'> & { resolvedAt: string }) | null;
    return { kase: hydrate(this.em, Case, row!), earlier: earlier && { ...earlier, resolvedAt: new Date(earlier.resolvedAt) } };
  }

  /** The resident's most recent case that still needs work. */
  async findOpenForResident(residentId: number): Promise<Case | null> {
    return (await this.openForResident(residentId, 1))[0] ?? null;
  }

  /** The resident's cases that still need work, newest first. */
  openForResident(residentId: number, limit = 10): Promise<Case[]> {
    return this.em
      .getRepository(Case)
      .createQueryBuilder('c')
      .where('c.resident_id = :residentId', { residentId })
      .andWhere('c.status IN (:...open)', { open: openCaseStatuses })
      .orderBy('c.created_at', 'DESC')
      .take(limit)
      .getMany();
  }

  /**
   * The resident's most recent case that still needs work, locked until the transaction ends: read
   * as it is once a cadre's change of it at this moment (接单) has committed.
   */
  lockOpenForResident(residentId: number): Promise<Case | null> {
    return this.newestOpenLocked(residentId).getOne();
  }

  /**
   * The resident's newest case that still needs work and was opened for a message lianxin failed
   * on (see UnhandledMessages), locked until the transaction ends.
   */
  lockOpenUnhandledForResident(residentId: number): Promise<Case | null> {
    return this.newestOpenLocked(residentId)
      .andWhere(`EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.type = 'created' AND e.data ? 'unhandled')`)
      .getOne();
  }

  private newestOpenLocked(residentId: number) {
    return this.em
      .getRepository(Case)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.resident_id = :residentId', { residentId })
      .andWhere('c.status IN (:...open)', { open: openCaseStatuses })
      .orderBy('c.created_at', 'DESC')
      .limit(1);
  }

  /** The resident's case with this number; null when that number is none of hers. */
  ofResident(residentId: number, number: number): Promise<Case | null> {
    return this.em.getRepository(Case).findOneBy({ residentId, number });
  }

  /** The case with this number, locked until the transaction ends. */
  lockByNumber(number: number): Promise<Case | null> {
    return this.em.getRepository(Case).createQueryBuilder('c').setLock('pessimistic_write').where('c.number = :number', { number }).getOne();
  }

  /** The cases with these numbers, locked in ascending order (two lists at once cannot wait on each other), in that order. */
  async lockByNumbers(numbers: readonly number[]): Promise<Map<number, Case | null>> {
    const locked = new Map<number, Case | null>();
    for (const number of [...new Set(numbers)].sort((a, b) => a - b)) locked.set(number, await this.lockByNumber(number));
    return locked;
  }

  /** The cadre who gave the case to `cadreId` by 派单, the last time it came to them; null when the roster did. */
  async assignedBy(caseId: number, cadreId: string): Promise<string | null> {
    const [row]: { actor_type: string; actor_id: string | null; reason: string | null }[] = await prepared(
      this.em,
      `SELECT actor_type, actor_id, data->>'reason' AS reason FROM case_events
       WHERE case_id = $1 AND type = 'assigned' AND data->>'cadreId' = $2 ORDER BY id DESC LIMIT 1`,
      [caseId, cadreId],
    );
    return row?.actor_type === 'cadre' && row.reason === 'assign' ? row.actor_id : null;
  }

  /** Whether the case was ever given to `cadreId` (by routing, 派单, 转派 or escalation). */
  async wasAssignedTo(caseId: number, cadreId: string): Promise<boolean> {
    const rows = await prepared(
      this.em,
      `SELECT 1 FROM case_events WHERE case_id = $1 AND type = 'assigned' AND data->>'cadreId' = $2 LIMIT 1`,
      [caseId, cadreId],
    );
    return rows.length > 0;
  }

  /**
   * Whether the case came to `cadreId` last because nobody of its department was on duty: routing
   * fell back on the head, whose it is to place (派单) or do himself.
   */
  async routedToHead(caseId: number, cadreId: string): Promise<boolean> {
    const [row]: { cadre_id: string; routing: string | null }[] = await prepared(
      this.em,
      // A case opened records routing's reason as `reason`; one given anew (转派, escalation…) as `routing`.
      `SELECT data->>'cadreId' AS cadre_id, COALESCE(data->>'routing', data->>'reason') AS routing FROM case_events
       WHERE case_id = $1 AND type = 'assigned' ORDER BY id DESC LIMIT 1`,
      [caseId],
    );
    return row?.cadre_id === cadreId && row.routing === 'head';
  }

  /** The last message to the case's resident (回复, a photo, 接单 with words): when, from whom, and its words or what it was. */
  async lastReply(caseId: number): Promise<{ at: Date; actorId: string | null; text: string | null; kind: string | null } | null> {
    const [row]: { at: Date; actorId: string | null; text: string | null; kind: string | null }[] = await prepared(
      this.em,
      `SELECT at, actor_id AS "actorId", data->>'text' AS text, data->>'kind' AS kind FROM case_events
       WHERE case_id = $1 AND type = 'replied' ORDER BY id DESC LIMIT 1`,
      [caseId],
    );
    return row ?? null;
  }

  /**
   * The time by which the holder would contact the resident, as she was last told it when her
   * words were added to the case (a 收到 or an answer to 咋样了); null when she never was.
   */
  async lastToldContactBy(caseId: number): Promise<Date | null> {
    const [row]: { contactBy: string }[] = await prepared(
      this.em,
      `SELECT data->>'contactBy' AS "contactBy" FROM case_events
       WHERE case_id = $1 AND type = 'resident-message' AND data ? 'contactBy' ORDER BY id DESC LIMIT 1`,
      [caseId],
    );
    return row ? new Date(row.contactBy) : null;
  }

  /** Which of these cases are urgent. */
  async urgentAmong(ids: readonly number[]): Promise<number[]> {
    if (ids.length === 0) return [];
    const rows: { id: number }[] = await prepared(this.em, `SELECT id FROM cases WHERE id = ANY($1) AND priority = 'urgent'`, [[...new Set(ids)]]);
    return rows.map((r) => r.id);
  }

  lockById(id: number): Promise<Case | null> {
    return this.em.getRepository(Case).createQueryBuilder('c').setLock('pessimistic_write').where('c.id = :id', { id }).getOne();
  }

  async save(kase: Case, now: Date): Promise<void> {
    kase.updatedAt = now;
    await this.em.getRepository(Case).save(kase);
  }

  /** A cadre's cases that still need work, soonest limit first. */
  openForAssignee(cadreId: string, limit = 20): Promise<Case[]> {
    return this.em
      .getRepository(Case)
      .createQueryBuilder('c')
      .where('c.assignee_id = :cadreId', { cadreId })
      .andWhere('c.status IN (:...open)', { open: openCaseStatuses })
      .orderBy('c.resolve_due_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** A cadre's cases resolved since `since` and waiting for the rating, newest first: a photo of the work may follow. */
  resolvedBySince(cadreId: string, since: Date): Promise<Case[]> {
    return this.em.getRepository(Case).find({
      where: { assigneeId: cadreId, status: 'resolved', resolvedAt: MoreThan(since) },
      order: { resolvedAt: 'DESC' },
    });
  }

  /** The resident's latest resolved case still waiting for its rating. */
  awaitingRating(residentId: number): Promise<Case | null> {
    return this.em.getRepository(Case).findOne({ where: { residentId, status: 'resolved' }, order: { resolvedAt: 'DESC' } });
  }

  /** The resident's case resolved last, if that was after `since` (resolved or closed since). */
  resolvedSince(residentId: number, since: Date): Promise<Case | null> {
    return this.em
      .getRepository(Case)
      .findOne({ where: { residentId, status: In(['resolved', 'closed']), resolvedAt: MoreThan(since) }, order: { resolvedAt: 'DESC' } });
  }

  /** A resident's cases, newest first. */
  forResident(residentId: number, limit = 10): Promise<Case[]> {
    return this.em.getRepository(Case).find({ where: { residentId }, order: { createdAt: 'DESC' }, take: limit });
  }

  /**
   * Open cases whose 延期 request waits for a decision and was put to `cadreId`: a notice starting
   * with `tag` went to them (since `since`, when given). A head's own department's requests, or the
   * office's of departments without a head — not any the cadre never saw.
   */
  extensionRequestsFor(cadreId: string, tag: string, since: Date | null = null, limit = 10): Promise<Case[]> {
    return this.em
      .getRepository(Case)
      .createQueryBuilder('c')
      .where('c.status IN (:...open)', { open: openCaseStatuses })
      .andWhere('c.extension_request IS NOT NULL')
      .andWhere(
        `EXISTS (SELECT 1 FROM outbound_messages m WHERE m.case_id = c.id AND m.cadre_id = :cadreId AND starts_with(m.text, :tag)
           AND (CAST(:since AS timestamptz) IS NULL OR m.created_at >= :since))`,
        { cadreId, tag, since },
      )
      .orderBy('c.number', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Open cases past a limit (or marked overdue), optionally of some departments only. */
  overdue(now: Date, departmentIds: readonly string[] | null, limit = 30): Promise<Case[]> {
    const query = this.em
      .getRepository(Case)
      .createQueryBuilder('c')
      .where('c.status IN (:...open)', { open: openCaseStatuses })
      .andWhere(overdueAt(':now'), { now });
    if (departmentIds) query.andWhere('c.department_id IN (:...departmentIds)', { departmentIds });
    return query.orderBy('c.resolve_due_at', 'ASC').limit(limit).getMany();
  }

  /** Cases waiting to be accepted (接单), of some departments (null: all), the longest waiting first. */
  waiting(departmentIds: readonly string[] | null, limit = 30): Promise<Case[]> {
    const query = this.em.getRepository(Case).createQueryBuilder('c').where(`c.status = 'assigned'`);
    if (departmentIds) query.andWhere('c.department_id IN (:...departmentIds)', { departmentIds });
    return query.orderBy('c.assigned_at', 'ASC').limit(limit).getMany();
  }

  /**
   * Open cases counted per department and holder: all, those waiting for acceptance, and those
   * overdue (as {@link overdue} finds them); optionally of some departments only.
   */
  async openCounts(
    now: Date,
    departmentIds: readonly string[] | null,
  ): Promise<{ departmentId: string; assigneeId: string | null; open: number; waiting: number; overdue: number }[]> {
    const rows: { department_id: string; assignee_id: string | null; open: string; waiting: string; overdue: string }[] = await prepared(
      this.em,
      `SELECT c.department_id, c.assignee_id, count(*) AS open, count(*) FILTER (WHERE c.status = 'assigned') AS waiting,
         count(*) FILTER (WHERE ${overdueAt('$1')}) AS overdue
       FROM cases c WHERE c.status IN (${literalList(openCaseStatuses)}) AND ($2::text[] IS NULL OR c.department_id = ANY($2))
       GROUP BY c.department_id, c.assignee_id`,
      [now, departmentIds],
    );
    return rows.map((r) => ({
      departmentId: r.department_id, assigneeId: r.assignee_id, open: Number(r.open), waiting: Number(r.waiting), overdue: Number(r.overdue),
    }));
  }

  /**
   * Cases (with department and holder) with something to say now: a limit within `warnBeforeMs` whose warning (or,
   * once passed, whose escalation) has not gone out yet, or a callback past due. Cases already
   * dealt with drop out, so a pile of old overdue cases never crowds out new ones.
   */
  async dueForSweep(now: Date, warnBeforeMs: number, limit = 500): Promise<{ id: number; departmentId: string; assigneeId: string | null }[]> {
    const soon = new Date(now.getTime() + warnBeforeMs);
    const pending = (slaLimit: SlaLimit, due: string) =>
      `${due} <= $1 AND NOT EXISTS (SELECT 1 FROM sla_alerts a WHERE a.case_id = c.id AND a.sla_limit = '${slaLimit}'
         AND a.due_at = ${due} AND a.stage = CASE WHEN ${due} <= $2 THEN 'overdue' ELSE 'warning' END)`;
    const rows: { id: number; department_id: string; assignee_id: string | null }[] = await prepared(
      this.em,
      `SELECT c.id, c.department_id, c.assignee_id FROM cases c
       WHERE c.status IN ('assigned', 'accepted', 'resolved')
         AND ((c.status = 'assigned' AND ${pending('accept', 'c.accept_due_at')})
           OR (c.status IN ('assigned', 'accepted') AND c.first_response_at IS NULL AND ${pending('first-response', 'c.first_response_due_at')})
           OR (c.status IN ('assigned', 'accepted') AND ${pending('resolve', 'c.resolve_due_at')})
           OR (c.status = 'resolved' AND c.callback_due_at <= $2))
       ORDER BY c.id LIMIT $3`,
      [soon, now, limit],
    );
    return rows.map((r) => ({ id: r.id, departmentId: r.department_id, assigneeId: r.assignee_id }));
  }

  /** Records that an alert went out; false when it had already (each alert is sent once). */
  async recordAlert(caseId: number, slaLimit: SlaLimit, stage: 'warning' | 'overdue', dueAt: Date, now: Date): Promise<boolean> {
    const rows: unknown[] = await prepared(
      this.em,
      `INSERT INTO sla_alerts (case_id, sla_limit, stage, due_at, at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT ON CONSTRAINT uq_sla_alerts_once DO NOTHING RETURNING id`,
      [caseId, slaLimit, stage, dueAt, now],
    );
    return rows.length === 1;
  }

  /** The department menu a case's resident was shown and never answered, when the office took the matter. */
  async offeredMenu(caseId: number): Promise<string[] | null> {
    const [row]: { menu: string[] | null }[] = await prepared(
      this.em,
      `SELECT data->'offeredMenu' AS menu FROM case_events WHERE case_id = $1 AND type = 'created' LIMIT 1`,
      [caseId],
    );
    return row?.menu ?? null;
  }

  /**
   * The case's 办结 rounds, oldest first: who closed it with what note, and the comment of the
   * 不满意 that reopened it (null while not reopened). A 办结 taken back (撤销办结) is no round; a note
   * sent after the 办结 (event `replied` with `resolutionNote`) is part of its round's.
   */
  async closings(caseId: number): Promise<{ cadreId: string | null; note: string; comment: string | null }[]> {
    const rows: { type: string; actor_id: string | null; note: string | null; comment: string | null }[] = await prepared(
      this.em,
      `SELECT type, actor_id, coalesce(data->>'note', data->>'text') AS note, data->>'comment' AS comment FROM case_events
       WHERE case_id = $1 AND (type IN ('resolved', 'resolve-undone', 'reopened') OR (type = 'replied' AND data->>'resolutionNote' IS NOT NULL)) ORDER BY id`,
      [caseId],
    );
    const rounds: { cadreId: string | null; note: string; comment: string | null }[] = [];
    for (const row of rows) {
      if (row.type === 'resolved') rounds.push({ cadreId: row.actor_id, note: row.note ?? '', comment: null });
      else if (row.type === 'replied') {
        const round = rounds.at(-1);
        if (round) round.note = [round.note, row.note ?? ''].filter(Boolean).join('；');
      } else if (row.type === 'resolve-undone') rounds.pop();
      else if (rounds.length > 0) rounds.at(-1)!.comment = row.comment ?? '';
    }
    return rounds;
  }

  async appendEvent(event: NewCaseEvent): Promise<void> {
    await this.appendEvents([event]);
  }

  /** Several events in one statement, in the order given. */
  async appendEvents(events: readonly NewCaseEvent[]): Promise<void> {
    if (events.length === 0) return;
    await prepared(
      this.em,
      `INSERT INTO case_events (case_id, at, actor_type, actor_id, type, data)
       SELECT e.case_id, e.at, e.actor_type, e.actor_id, e.type, e.data
       FROM unnest($1::integer[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::jsonb[]) WITH ORDINALITY
         AS e(case_id, at, actor_type, actor_id, type, data, n)
       ORDER BY n`,
      [
        events.map((e) => e.caseId),
        events.map((e) => e.at),
        events.map((e) => e.actorType),
        events.map((e) => e.actorId),
        events.map((e) => e.type),
        events.map((e) => JSON.stringify(e.data ?? {})),
      ],
    );
  }
}
