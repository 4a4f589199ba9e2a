import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { AggregateEntity } from '../../../platform/database/base.entity.js';
import { Contact } from './contact.entity.js';
import { Opportunity } from './opportunity.entity.js';

/** One stage move of an opportunity (append-only). */
@Index('opportunity_stage_change_opportunity_idx', { synchronize: false })
@Entity({ schema: 'sales', name: 'opportunity_stage_change' })
export class OpportunityStageChange {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') opportunityId: string;
  /** Foreign key only: the code refers to the record by its id column. */
  @ManyToOne(() => Opportunity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'opportunity_id', foreignKeyConstraintName: 'opportunity_stage_change_opportunity_id_fkey' })
  protected readonly opportunity?: Relation<Opportunity>;
  @Column('text', { nullable: true }) fromStageKey: string | null;
  @Column('text') toStageKey: string;
  @Column({ type: 'timestamptz', precision: 3 }) changedAt: Date;
  @Column('uuid', { nullable: true }) changedBy: string | null;
  /** Days spent in `fromStageKey` (fractional, 2 decimals). */
  @Column('numeric', { precision: 10, scale: 2, transformer: { to: (v: number) => v, from: (v: string | null) => (v === null ? null : Number(v)) } })
  daysInStage: number;
}

export const CONTACT_ROLES = ['decision-maker', 'economic-buyer', 'technical-buyer', 'influencer', 'user', 'champion', 'gatekeeper', 'other'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];
export const ATTITUDES = ['supporter', 'neutral', 'opponent'] as const;
export type Attitude = (typeof ATTITUDES)[number];

/** A contact's role in an opportunity (decision maker, influencer, …) and attitude. */
@Index('opportunity_contact_role_contact_idx', { synchronize: false })
@Check('opportunity_contact_role_attitude_check', `attitude IN ('supporter', 'neutral', 'opponent')`)
@Entity({ schema: 'sales', name: 'opportunity_contact_role' })
export class OpportunityContactRole {
  @PrimaryColumn('uuid') opportunityId: string;
  @PrimaryColumn('uuid') contactId: string;
  /** Foreign key only: the code refers to the record by its id column. */
  @ManyToOne(() => Opportunity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'opportunity_id', foreignKeyConstraintName: 'opportunity_contact_role_opportunity_id_fkey' })
  protected readonly opportunity?: Relation<Opportunity>;
  @ManyToOne(() => Contact, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contact_id', foreignKeyConstraintName: 'opportunity_contact_role_contact_id_fkey' })
  protected readonly contact?: Relation<Contact>;
  @Column('text') role: ContactRole;
  @Column('text') attitude: Attitude;
  @Column('text', { nullable: true }) note: string | null;
  @Column({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}

/** A competitor present in an opportunity, with its strengths and weaknesses there. */
@Index('opportunity_competitor_competitor_idx', { synchronize: false })
@Entity({ schema: 'sales', name: 'opportunity_competitor' })
export class OpportunityCompetitor {
  @PrimaryColumn('uuid') opportunityId: string;
  @PrimaryColumn('uuid') competitorId: string;
  /** Foreign key only: the code refers to the record by its id column. */
  @ManyToOne(() => Opportunity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'opportunity_id', foreignKeyConstraintName: 'opportunity_competitor_opportunity_id_fkey' })
  protected readonly opportunity?: Relation<Opportunity>;
  @ManyToOne(() => Competitor)
  @JoinColumn({ name: 'competitor_id', foreignKeyConstraintName: 'opportunity_competitor_competitor_id_fkey' })
  protected readonly competitor?: Relation<Competitor>;
  @Column('text', { nullable: true }) strengths: string | null;
  @Column('text', { nullable: true }) weaknesses: string | null;
  @Column({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}

/** A company the business competes with (catalogue shared by all opportunities). */
@Index('competitor_name_idx', { synchronize: false })
@Index('competitor_updated_idx', { synchronize: false })
@Entity({ schema: 'sales', name: 'competitor' })
export class Competitor extends AggregateEntity {
  @Column('text') name: string;
  @Column('text', { nullable: true }) website: string | null;
  @Column('text', { nullable: true }) strengths: string | null;
  @Column('text', { nullable: true }) weaknesses: string | null;
}
