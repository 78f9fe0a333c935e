import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { SlaLimit } from '../../domain/case.js';

/** A warning or an escalation that was sent; unique per limit, stage and due time, so each goes once. */
@Entity({ name: 'sla_alerts' })
export class SlaAlert {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'case_id', type: 'integer' })
  caseId: number;

  @Column({ name: 'sla_limit', type: 'text' })
  slaLimit: SlaLimit;

  @Column({ type: 'text' })
  stage: 'warning' | 'overdue';

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt: Date;

  @Column({ type: 'timestamptz' })
  at: Date;
}
