import { Column, Entity } from 'typeorm';
import { AggregateEntity } from '../../../platform/database/base.entity.js';
import type { CostCentreStatus } from './cost-centre.rules.js';
import { bigintToNumber } from './money.js';

/**
 * A budget bucket for a subject (an opportunity, campaign, project, department…). Its figures
 * change only through conditional UPDATEs in `CostCentreLedger`, each with a ledger row.
 */
@Entity({ schema: 'finance', name: 'cost_centre' })
export class CostCentre extends AggregateEntity {
  @Column() code: string;
  @Column() name: string;
  @Column() subjectType: string;
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
