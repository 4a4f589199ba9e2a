import { Check, Column, Entity, Index } from 'typeorm';
import { AggregateEntity } from '../../database/base.entity.js';
import type { OrgUnitType } from './permissions.rules.js';

/** Indexes and checks live in the migration; declared here (synchronize: false) so the drift check knows them. */
@Index('org_unit_name_idx', { synchronize: false })
@Index('org_unit_created_at_idx', { synchronize: false })
@Index('org_unit_parent_idx', { synchronize: false })
@Index('org_unit_head_idx', { synchronize: false })
@Check('org_unit_type_check', `type IN ('group', 'region', 'branch', 'department', 'team')`)
@Entity({ schema: 'platform', name: 'org_unit' })
export class OrgUnit extends AggregateEntity {
  @Column('text') name: string;
  @Column('text') type: OrgUnitType;
  @Column('uuid', { nullable: true }) parentId: string | null;
  @Column('uuid', { nullable: true }) headUserId: string | null;
}
