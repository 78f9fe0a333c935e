import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A one-time code the office gives a cadre to link their WeChat contact (`绑定 码`). */
@Entity({ name: 'bind_codes' })
export class BindCode {
  @PrimaryColumn({ type: 'text' })
  code: string;

  @Column({ name: 'cadre_id', type: 'text' })
  cadreId: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  /** The WeChat contact id that used it. */
  @Column({ name: 'used_by', type: 'text', nullable: true })
  usedBy: string | null;
}
