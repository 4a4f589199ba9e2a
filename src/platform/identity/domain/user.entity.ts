import { Check, Column, Entity, Index } from 'typeorm';
import { AggregateEntity } from '../../database/base.entity.js';
import type { UserKind } from './actor.js';

@Index('app_user_email_key', { synchronize: false }) // on lower(email)
@Index('app_user_created_at_idx', { synchronize: false })
@Index('app_user_name_idx', { synchronize: false })
@Index('app_user_org_unit_idx', { synchronize: false })
@Index('app_user_manager_idx', { synchronize: false })
@Index('app_user_roles_idx', { synchronize: false })
@Check('app_user_kind_check', `kind IN ('employee', 'partner', 'customer', 'service')`)
@Check('app_user_account_check', `kind NOT IN ('partner', 'customer') OR account_id IS NOT NULL`)
@Entity({ schema: 'platform', name: 'app_user' })
export class User extends AggregateEntity {
  @Column('text') email: string;
  @Column('text') name: string;
  /** Never selected unless asked for; never in a response or an audit diff. */
  @Column('text', { nullable: true, select: false }) passwordHash: string | null;
  @Column('text') kind: UserKind;
  @Column('uuid', { nullable: true }) orgUnitId: string | null;
  @Column('uuid', { nullable: true }) managerId: string | null;
  @Column('uuid', { nullable: true }) accountId: string | null;
  @Column('text', { array: true }) roles: string[];
  @Column('boolean') active: boolean;
  /** Bumped on deactivation and password change: access tokens carrying an older one stop working. */
  @Column('int') sessionVersion: number;
}
