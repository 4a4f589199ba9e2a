import { Check, Column, Entity, Index } from 'typeorm';
import { AggregateEntity } from '../../../platform/database/base.entity.js';
import { bigintToNumber } from '../../../platform/database/column-types.js';
import type { AssignmentCriteria, AssignmentStrategy } from './lead-assignment.rules.js';

/** One ordered rule: leads matching `criteria` go to a user, or to a member of an org unit. */
@Index('lead_assignment_rule_priority_idx', { synchronize: false })
@Check('lead_assignment_rule_strategy_check', `strategy IN ('round-robin', 'least-loaded')`)
@Check('lead_assignment_rule_target_check', `(assign_to_user_id IS NULL) <> (assign_to_org_unit_id IS NULL)`)
@Entity({ schema: 'sales', name: 'lead_assignment_rule' })
export class LeadAssignmentRule extends AggregateEntity {
  @Column('text') name: string;
  /** Lower runs first. */
  @Column('int') priority: number;
  @Column('jsonb') criteria: AssignmentCriteria;
  @Column('uuid', { nullable: true }) assignToUserId: string | null;
  @Column('uuid', { nullable: true }) assignToOrgUnitId: string | null;
  @Column('text') strategy: AssignmentStrategy;
  @Column('boolean') active: boolean;
  /** Leads this rule has handed out: the round-robin position, bumped by one conditional UPDATE. */
  @Column('bigint', { transformer: bigintToNumber }) assignedCount: number;
}
