import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ActorType, CaseEventType } from '../../domain/case.js';

/** Append-only history of a case: who did what, when. The table refuses UPDATE and DELETE. */
@Entity({ name: 'case_events' })
export class CaseEvent {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'case_id', type: 'integer' })
  caseId: number;

  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ name: 'actor_type', type: 'text' })
  actorType: ActorType;

  /** Resident id, cadre id, or null for the system. */
  @Column({ name: 'actor_id', type: 'text', nullable: true })
  actorId: string | null;

  @Column({ type: 'text' })
  type: CaseEventType;

  @Column({ type: 'jsonb' })
  data: Record<string, unknown>;
}
