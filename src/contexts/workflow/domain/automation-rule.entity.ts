import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import { AggregateEntity } from '../../../platform/database/base.entity.js';
import type { AutomationAction } from './automation.rules.js';
import type { Condition } from './condition.rules.js';

/** "When an event of `eventType` is published and `condition` holds on its payload, do `action`." */
@Entity({ schema: 'workflow', name: 'automation_rule' })
@Index('automation_rule_event_idx', ['eventType'], { where: 'enabled' })
@Index('automation_rule_created_idx', ['createdAt', 'id'])
export class AutomationRule extends AggregateEntity {
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text' }) eventType: string;
  @Column({ type: 'jsonb', nullable: true }) condition: Condition | null;
  @Column({ type: 'jsonb' }) action: AutomationAction;
  @Column({ type: 'boolean', default: true }) enabled: boolean;
  @Column({ type: 'uuid', nullable: true }) createdBy: string | null;
}

export type ExecutionStatus = 'executed' | 'skipped' | 'failed';

/** One rule × one event: unique, so a rule fires at most once per event. */
@Entity({ schema: 'workflow', name: 'automation_execution' })
@Unique('automation_execution_once_uq', ['ruleId', 'eventId'])
@Index('automation_execution_rule_idx', ['ruleId', 'createdAt', 'id'])
export class AutomationExecution {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'uuid' }) ruleId: string;
  @Column({ type: 'uuid' }) eventId: string;
  @Column({ type: 'text' }) eventType: string;
  @Column({ type: 'text' }) status: ExecutionStatus;
  @Column({ type: 'jsonb' }) result: Record<string, unknown>;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}
