import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Priority } from '../../domain/sla.js';
import type { CaseStatus, ExtensionRequest, Rating, SlaStatus } from '../../domain/case.js';

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

  /** The first dispatch; response and resolution times run from here, whoever holds the case now. */
  @Column({ name: 'dispatched_at', type: 'timestamptz', nullable: true })
  dispatchedAt: Date | null;

  /** Dispatch → first message to the resident, wall clock and working time. */
  @Column({ name: 'response_minutes', type: 'integer', nullable: true })
  responseMinutes: number | null;

  @Column({ name: 'response_working_minutes', type: 'integer', nullable: true })
  responseWorkingMinutes: number | null;

  /** Dispatch → 办结, wall clock and working time. */
  @Column({ name: 'resolution_minutes', type: 'integer', nullable: true })
  resolutionMinutes: number | null;

  @Column({ name: 'resolution_working_minutes', type: 'integer', nullable: true })
  resolutionWorkingMinutes: number | null;

  @Column({ name: 'resolution_note', type: 'text', nullable: true })
  resolutionNote: string | null;

  /** Without an answer by then, the callback closes as 未回访. */
  @Column({ name: 'callback_due_at', type: 'timestamptz', nullable: true })
  callbackDueAt: Date | null;

  @Column({ type: 'text', nullable: true })
  rating: Rating | null;

  @Column({ name: 'rating_comment', type: 'text', nullable: true })
  ratingComment: string | null;

  @Column({ name: 'rated_at', type: 'timestamptz', nullable: true })
  ratedAt: Date | null;

  /** How often an unsatisfied resident reopened it. */
  @Column({ name: 'reopen_count', type: 'integer' })
  reopenCount: number;

  /** A 延期 request waiting for a head or the office. */
  @Column({ name: 'extension_request', type: 'jsonb', nullable: true })
  extensionRequest: ExtensionRequest | null;

  @Column({ name: 'sla_status', type: 'text' })
  slaStatus: SlaStatus;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
