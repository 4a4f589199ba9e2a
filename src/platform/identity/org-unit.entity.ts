import { Column, Entity } from 'typeorm';
import { AggregateEntity } from '../database/base.entity.js';
import type { OrgUnitType } from './permissions.rules.js';

@Entity({ schema: 'platform', name: 'org_unit' })
export class OrgUnit extends AggregateEntity {
  @Column('text') name: string;
  @Column('text') type: OrgUnitType;
  @Column('uuid', { nullable: true }) parentId: string | null;
  @Column('uuid', { nullable: true }) headUserId: string | null;
}
