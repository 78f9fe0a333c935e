import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Dialog, ResidentContext } from '../../domain/dialog.js';

/**
 * A person who writes to the township's WeChat account, or one without WeChat whom a cadre
 * files for (代办) and passes messages on to. Data, not config.
 */
@Entity({ name: 'residents' })
export class Resident {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  /** The puppet's contact id of this person; null for a resident reached through a cadre. */
  @Column({ name: 'wechat_id', type: 'text', nullable: true, unique: true })
  wechatId: string | null;

  /** Without WeChat (代办): the cadre who filed last for this resident gets what is sent to them. */
  @Column({ name: 'relay_cadre_id', type: 'text', nullable: true })
  relayCadreId: string | null;

  @Column({ type: 'text' })
  name: string;

  /** Registered village; null until the resident has answered the village question. */
  @Column({ name: 'village_id', type: 'text', nullable: true })
  villageId: string | null;

  /** The question the bot is waiting for an answer to, if any. */
  @Column({ type: 'jsonb', nullable: true })
  dialog: Dialog | null;

  /** The visit a cadre wrote to her about last: what she writes right after goes to that cadre. */
  @Column({ type: 'jsonb', nullable: true })
  context: ResidentContext | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
