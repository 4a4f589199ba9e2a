import { Check, Column, Entity, Index } from 'typeorm';
import { AggregateEntity } from '../../../platform/database/base.entity.js';
import type { CostCentreStatus } from './cost-centre.rules.js';
import { bigintToNumber } from '../../../platform/database/column-types.js';

/**
 * A budget bucket for a subject (an opportunity, campaign, project, department…). Its figures
 * change only through conditional UPDATEs in `CostCentreLedger`, each with a ledger row.
 */
@Entity({ schema: 'finance', name: 'cost_centre' })
@Index('cost_centre_subject_uq', { synchronize: false })
@Index('cost_centre_created_idx', { synchronize: false })
@Index('cost_centre_owner_created_idx', { synchronize: false })
@Index('cost_centre_status_created_idx', { synchronize: false })
@Check('cost_centre_cap_minor_check', 'cap_minor >= 0')
@Check('cost_centre_warning_line_minor_check', 'warning_line_minor >= 0')
@Check('cost_centre_spent_minor_check', 'spent_minor >= 0')
@Check('cost_centre_reserved_minor_check', 'reserved_minor >= 0')
@Check('cost_centre_income_minor_check', 'income_minor >= 0')
@Check('cost_centre_status_check', `status IN ('ok', 'warning', 'exhausted', 'closed')`)
@Check('cost_centre_opened_by_check', `opened_by IN ('manual', 'event')`)
@Check('cost_centre_within_cap', 'spent_minor + reserved_minor <= cap_minor')
@Check('cost_centre_warning_within_cap', 'warning_line_minor <= cap_minor')
export class CostCentre extends AggregateEntity {
  @Column({ type: 'text', unique: true }) code: string;
  @Column('text') name: string;
  @Column('text') subjectType: string;
  @Column('uuid', { nullable: true }) subjectId: string | null;
  @Column('uuid', { nullable: true }) ownerId: string | null;
  @Column('char', { length: 3 }) currency: string;
  @Column('bigint', { transformer: bigintToNumber }) capMinor: number;
  @Column('bigint', { transformer: bigintToNumber }) warningLineMinor: number;
  @Column('bigint', { transformer: bigintToNumber, default: 0 }) spentMinor: number;
  @Column('bigint', { transformer: bigintToNumber, default: 0 }) reservedMinor: number;
  @Column('bigint', { transformer: bigintToNumber, default: 0 }) incomeMinor: number;
  @Column('text', { default: 'ok' }) status: CostCentreStatus;
  @Column('text') openedBy: 'manual' | 'event';
  @Column('uuid', { nullable: true }) sourceEventId: string | null;
}
