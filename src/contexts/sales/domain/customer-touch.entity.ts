import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation, Unique, UpdateDateColumn } from 'typeorm';
import { Account } from './account.entity.js';

export const TOUCH_KINDS = ['service-ticket', 'call', 'campaign-response'] as const;
export type TouchKind = (typeof TOUCH_KINDS)[number];

/**
 * What another context did with a customer, as Sales learnt it from that context's events
 * (read model for the customer 360; rebuildable by replaying the events). One row per touched
 * record: `kind` + `sourceId` (the ticket, call or campaign response id).
 */
@Index('customer_touch_account_idx', { synchronize: false })
@Unique('customer_touch_kind_source_key', ['kind', 'sourceId'])
@Check('customer_touch_kind_check', `kind IN ('service-ticket', 'call', 'campaign-response')`)
@Entity({ schema: 'sales', name: 'customer_touch' })
export class CustomerTouch {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') accountId: string;
  /** Foreign key only: the code refers to the record by its id column. */
  @ManyToOne(() => Account, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'customer_touch_account_id_fkey' })
  protected readonly account?: Relation<Account>;
  @Column('uuid', { nullable: true }) contactId: string | null;
  @Column('text') kind: TouchKind;
  @Column('uuid') sourceId: string;
  /** Tickets: `open` / `closed` / `cancelled`; calls: the disposition; responses: the response type. */
  @Column('text', { nullable: true }) status: string | null;
  @Column('text', { nullable: true }) title: string | null;
  @Column({ type: 'timestamptz', precision: 3 }) occurredAt: Date;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) closedAt: Date | null;
  /** The scalar facts of the event worth showing (code, priority, direction, talk seconds, campaign, …). */
  @Column('jsonb') details: Record<string, unknown>;
  /** The last event applied to this row. */
  @Column('uuid') lastEventId: string;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
}
