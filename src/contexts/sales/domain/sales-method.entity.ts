import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation, Unique } from 'typeorm';
import { AggregateEntity } from '../../../platform/database/base.entity.js';
import type { StageTerminal } from './sales-method.rules.js';

/** A selling process: ordered stages an opportunity moves through. */
@Index('sales_method_name_idx', { synchronize: false })
@Index('sales_method_one_default', { synchronize: false })
@Entity({ schema: 'sales', name: 'sales_method' })
export class SalesMethod extends AggregateEntity {
  @Column('text') name: string;
  @Column('text', { nullable: true }) description: string | null;
  /** Forward moves go one stage at a time (backward moves are always allowed). */
  @Column('boolean') strictOrder: boolean;
  /** The method new opportunities get when none is named (exactly one is the default). */
  @Column('boolean') isDefault: boolean;
}

/** One stage of a sales method; part of the SalesMethod aggregate. */
@Unique('sales_method_stage_sales_method_id_position_key', ['salesMethodId', 'position'])
@Check('sales_method_stage_probability_check', `probability BETWEEN 0 AND 100`)
@Check('sales_method_stage_terminal_check', `terminal IN ('won', 'lost')`)
@Entity({ schema: 'sales', name: 'sales_method_stage' })
export class SalesMethodStage {
  @PrimaryColumn('uuid') salesMethodId: string;
  /** Foreign key only: the code refers to the record by its id column. */
  @ManyToOne(() => SalesMethod, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'sales_method_id', foreignKeyConstraintName: 'sales_method_stage_sales_method_id_fkey' })
  protected readonly salesMethod?: Relation<SalesMethod>;
  @PrimaryColumn('text') key: string;
  @Column('text') name: string;
  @Column('int') position: number;
  /** Default win probability in percent, 0–100. */
  @Column('int') probability: number;
  @Column('text', { nullable: true }) terminal: StageTerminal | null;
}
