import { Column, Entity, PrimaryColumn } from 'typeorm';
import { AggregateEntity } from '../../../platform/database/base.entity.js';

/** One stage move of an opportunity (append-only). */
@Entity({ schema: 'sales', name: 'opportunity_stage_change' })
export class OpportunityStageChange {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') opportunityId: string;
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
@Entity({ schema: 'sales', name: 'opportunity_contact_role' })
export class OpportunityContactRole {
  @PrimaryColumn('uuid') opportunityId: string;
  @PrimaryColumn('uuid') contactId: string;
  @Column('text') role: ContactRole;
  @Column('text') attitude: Attitude;
  @Column('text', { nullable: true }) note: string | null;
  @Column({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}

/** A competitor present in an opportunity, with its strengths and weaknesses there. */
@Entity({ schema: 'sales', name: 'opportunity_competitor' })
export class OpportunityCompetitor {
  @PrimaryColumn('uuid') opportunityId: string;
  @PrimaryColumn('uuid') competitorId: string;
  @Column('text', { nullable: true }) strengths: string | null;
  @Column('text', { nullable: true }) weaknesses: string | null;
  @Column({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}

/** A company the business competes with (catalogue shared by all opportunities). */
@Entity({ schema: 'sales', name: 'competitor' })
export class Competitor extends AggregateEntity {
  @Column('text') name: string;
  @Column('text', { nullable: true }) website: string | null;
  @Column('text', { nullable: true }) strengths: string | null;
  @Column('text', { nullable: true }) weaknesses: string | null;
}
