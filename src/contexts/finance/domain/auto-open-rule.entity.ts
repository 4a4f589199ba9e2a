import { Column, Entity, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { bigintToNumber } from './money.js';

/** Whether (and with which defaults) a cost centre opens when another context creates a subject. */
@Entity({ schema: 'finance', name: 'auto_open_rule' })
export class AutoOpenRule {
  @PrimaryColumn('text') subjectType: string;
  @Column('boolean') enabled: boolean;
  @Column('bigint', { transformer: bigintToNumber }) defaultCapMinor: number;
  @Column('int') warningLinePct: number;
  @Column('char', { length: 3 }) defaultCurrency: string;
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
  @VersionColumn({ type: 'integer', default: 1 }) version: number;
}
