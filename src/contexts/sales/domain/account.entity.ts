import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { AggregateEntity } from '../../../platform/database/base.entity.js';
import { MONEY } from './columns.js';

export const ACCOUNT_TYPES = ['customer', 'prospect', 'partner', 'competitor'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

export const ACCOUNT_TIERS = ['key', 'large', 'medium', 'small'] as const;
export type AccountTier = (typeof ACCOUNT_TIERS)[number];

export const LIFECYCLE_STAGES = ['suspect', 'prospect', 'new-customer', 'repeat', 'loyal', 'lapsed'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export const ACCOUNT_FLAGS = ['active', 'at-risk', 'churned', 'blacklisted'] as const;
export type AccountFlag = (typeof ACCOUNT_FLAGS)[number];

export interface PostalAddress {
  street?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  country?: string;
}

export type CustomFields = Record<string, string | number | boolean | null>;

/** A company or person the business sells to, partners with, or competes against. */
@Index('account_name_idx', { synchronize: false })
@Index('account_owner_name_idx', { synchronize: false })
@Index('account_org_unit_name_idx', { synchronize: false })
@Index('account_type_name_idx', { synchronize: false })
@Index('account_created_idx', { synchronize: false })
@Index('account_updated_idx', { synchronize: false })
@Index('account_parent_idx', { synchronize: false })
@Index('account_external_id_key', { synchronize: false })
@Index('account_name_key_idx', { synchronize: false })
@Index('account_email_key_idx', { synchronize: false })
@Index('account_phone_key_idx', { synchronize: false })
@Index('account_search_idx', { synchronize: false })
@Check('account_type_check', `type IN ('customer', 'prospect', 'partner', 'competitor')`)
@Check('account_tier_check', `tier IN ('key', 'large', 'medium', 'small')`)
@Check('account_lifecycle_stage_check', `lifecycle_stage IN ('suspect', 'prospect', 'new-customer', 'repeat', 'loyal', 'lapsed')`)
@Index('account_custom_fields_idx', { synchronize: false })
@Entity({ schema: 'sales', name: 'account' })
export class Account extends AggregateEntity {
  @Column('text') name: string;
  @Column('text') type: AccountType;
  @Column('text', { nullable: true }) industry: string | null;
  @Column('text', { nullable: true }) tier: AccountTier | null;
  @Column('text') lifecycleStage: LifecycleStage;
  @Column('text', { array: true }) flags: AccountFlag[];
  @Column('uuid') ownerId: string;
  @Column('uuid', { nullable: true }) orgUnitId: string | null;
  @Column('uuid', { nullable: true }) parentAccountId: string | null;
  /** Foreign key only: the code refers to the record by its id column. */
  @ManyToOne(() => Account)
  @JoinColumn({ name: 'parent_account_id', foreignKeyConstraintName: 'account_parent_account_id_fkey' })
  protected readonly parentAccount?: Relation<Account>;
  @Column('text', { nullable: true }) phone: string | null;
  @Column('text', { nullable: true }) email: string | null;
  @Column('text', { nullable: true }) website: string | null;
  @Column('jsonb', { nullable: true }) address: PostalAddress | null;
  @Column('date', { nullable: true }) anniversary: string | null;
  @Column('text', { nullable: true }) creditRating: string | null;
  @Column({ ...MONEY, nullable: true }) creditLimitMinor: number | null;
  @Column('char', { length: 3, nullable: true }) creditCurrency: string | null;
  @Column('text', { nullable: true }) externalId: string | null;
  @Column('jsonb') customFields: CustomFields;
  /** Duplicate-check keys (see duplicate.rules.ts), maintained on every write. */
  @Column('text') nameKey: string;
  @Column('text', { nullable: true }) emailKey: string | null;
  @Column('text', { nullable: true }) phoneKey: string | null;
  /** Lower-cased name, email and phone: the trigram-indexed text `?q=` searches. */
  @Column('text', { select: false }) searchText: string;
}
