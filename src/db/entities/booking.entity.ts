import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type BookingStatus = 'booked' | 'completed' | 'no-show' | 'cancelled';

/** A resident's booked visit or appointment (预约) with a department's service. */
@Entity({ name: 'bookings' })
export class Booking {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  /** What people see and type: "预约 101". */
  @Column({ type: 'integer', unique: true, insert: false, update: false })
  number: number;

  @Column({ name: 'resident_id', type: 'integer' })
  residentId: number;

  @Column({ name: 'village_id', type: 'text' })
  villageId: string;

  @Column({ name: 'department_id', type: 'text' })
  departmentId: string;

  @Column({ name: 'service_id', type: 'text' })
  serviceId: string;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt: Date;

  /** Where to go (home visits) or the resident's note. */
  @Column({ type: 'text' })
  address: string;

  @Column({ type: 'text' })
  status: BookingStatus;

  @Column({ name: 'assignee_id', type: 'text', nullable: true })
  assigneeId: string | null;

  /** The booking this one replaced (改约). */
  @Column({ name: 'rescheduled_from', type: 'integer', nullable: true })
  rescheduledFrom: number | null;

  /** The cadre's note on 完成. */
  @Column({ name: 'outcome_note', type: 'text', nullable: true })
  outcomeNote: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
