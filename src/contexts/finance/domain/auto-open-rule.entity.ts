import { Check, Column, Entity, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { bigintToNumber } from '../../../platform/database/column-types.js';

/** Whether (and with which defaults) a cost centre opens when another context creates a subject. */
@Entity({ schema: 'finance', name: 'auto_open_rule' })
@Check('auto_open_rule_default_cap_minor_check', 'default_cap_minor >= 0')
@Check('auto_open_rule_warning_line_pct_check', 'warning_line_pct BETWEEN 0 AND 100')
export class AutoOpenRule {
  @PrimaryColumn('text') subjectType: string;
  @Column('boolean') enabled: boolean;
  @Column('bigint', { transformer: bigintToNumber }) defaultCapMinor: number;
  @Column('int') warningLinePct: number;
  @Column('char', { length: 3 }) defaultCurrency: string;
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
  @VersionColumn({ type: 'integer', default: 1 }) version: number;
}
