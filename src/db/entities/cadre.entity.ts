import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CadreRole } from '../../config/schema.js';
import type { CadreContext } from '../../domain/case.js';

/** A township cadre, synced from config/cadres.yaml at every start. */
@Entity({ name: 'cadres' })
export class Cadre {
  /** The id from config. */
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  role: CadreRole;

  @Column({ name: 'department_ids', type: 'text', array: true })
  departmentIds: string[];

  @Column({ name: 'village_ids', type: 'text', array: true })
  villageIds: string[];

  /** WeChat contact id: from config, or bound later. Null = cannot be messaged yet. */
  @Column({ name: 'wechat_id', type: 'text', nullable: true, unique: true })
  wechatId: string | null;

  /** False once the cadre is no longer in config; kept for history. */
  @Column({ type: 'boolean' })
  active: boolean;

  /** The case this cadre acted on last: a photo sent right after goes to its resident. */
  @Column({ type: 'jsonb', nullable: true })
  context: CadreContext | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
