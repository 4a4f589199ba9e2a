import { Column, Entity, PrimaryColumn } from 'typeorm';
import { AggregateEntity } from '../../../platform/database/base.entity.js';
import type { StageTerminal } from './sales-method.rules.js';

/** A selling process: ordered stages an opportunity moves through. */
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
@Entity({ schema: 'sales', name: 'sales_method_stage' })
export class SalesMethodStage {
  @PrimaryColumn('uuid') salesMethodId: string;
  @PrimaryColumn('text') key: string;
  @Column('text') name: string;
  @Column('int') position: number;
  /** Default win probability in percent, 0–100. */
  @Column('int') probability: number;
  @Column('text', { nullable: true }) terminal: StageTerminal | null;
}
