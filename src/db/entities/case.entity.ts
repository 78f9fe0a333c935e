import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Priority } from '../../domain/sla.js';
import type { CaseStatus, SlaStatus } from '../../domain/case.js';

/** One matter a resident raised, from dispatch to closure. */
@Entity({ name: 'cases' })
export class Case {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  /** What people see and type: "#1001". */
  @Column({ type: 'integer', unique: true, insert: false, update: false })
  number: number;

  @Column({ name: 'resident_id', type: 'integer' })
  residentId: number;

  @Column({ name: 'village_id', type: 'text' })
  villageId: string;

  @Column({ name: 'department_id', type: 'text' })
  departmentId: string;

  @Column({ type: 'text' })
  status: CaseStatus;

  @Column({ type: 'text' })
  priority: Priority;

  @Column({ name: 'assignee_id', type: 'text', nullable: true })
  assigneeId: string | null;

  /** The resident's words that opened the case. */
  @Column({ type: 'text' })
  description: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Dispatch: when the current assignee got it. Response and resolution run from the first one. */
  @Column({ name: 'assigned_at', type: 'timestamptz', nullable: true })
  assignedAt: Date | null;

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt: Date | null;

  @Column({ name: 'first_response_at', type: 'timestamptz', nullable: true })
  firstResponseAt: Date | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ name: 'accept_due_at', type: 'timestamptz', nullable: true })
  acceptDueAt: Date | null;

  @Column({ name: 'first_response_due_at', type: 'timestamptz', nullable: true })
  firstResponseDueAt: Date | null;

  @Column({ name: 'resolve_due_at', type: 'timestamptz', nullable: true })
  resolveDueAt: Date | null;

  @Column({ name: 'sla_status', type: 'text' })
  slaStatus: SlaStatus;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
