import type { EntityManager } from 'typeorm';
import { openCaseStatuses, type ActorType, type CaseEventType } from '../../domain/case.js';
import { Case } from '../entities/case.entity.js';

export type NewCase = Pick<
  Case,
  | 'residentId' | 'villageId' | 'departmentId' | 'status' | 'priority' | 'assigneeId' | 'description'
  | 'createdAt' | 'assignedAt' | 'acceptDueAt' | 'firstResponseDueAt' | 'resolveDueAt'
>;

export interface NewCaseEvent {
  caseId: number;
  at: Date;
  actorType: ActorType;
  actorId: string | null;
  type: CaseEventType;
  data?: Record<string, unknown>;
}

export class CaseRepository {
  constructor(private readonly em: EntityManager) {}

  async create(fields: NewCase): Promise<Case> {
    const repo = this.em.getRepository(Case);
    const { id } = await repo.save(repo.create({ ...fields, slaStatus: 'on-time', updatedAt: fields.createdAt }));
    // `number` comes from a sequence default; read it back.
    return repo.findOneByOrFail({ id });
  }

  /** The resident's most recent case that still needs work. */
  findOpenForResident(residentId: number): Promise<Case | null> {
    return this.em
      .getRepository(Case)
      .createQueryBuilder('c')
      .where('c.resident_id = :residentId', { residentId })
      .andWhere('c.status IN (:...open)', { open: openCaseStatuses })
      .orderBy('c.created_at', 'DESC')
      .getOne();
  }

  async appendEvent(event: NewCaseEvent): Promise<void> {
    await this.em.query(
      `INSERT INTO case_events (case_id, at, actor_type, actor_id, type, data) VALUES ($1, $2, $3, $4, $5, $6)`,
      [event.caseId, event.at, event.actorType, event.actorId, event.type, event.data ?? {}],
    );
  }
}
