import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { AggregateEntity } from '../../../platform/database/base.entity.js';
import { Account, type CustomFields } from './account.entity.js';

export const PREFERRED_CHANNELS = ['email', 'phone', 'mobile', 'sms', 'visit', 'none'] as const;
export type PreferredChannel = (typeof PREFERRED_CHANNELS)[number];

/**
 * A person at exactly one account. Visibility: a contact has its own `ownerId`, which
 * defaults to the account's owner when the contact is created and moves with ownership transfers.
 */
@Index('contact_last_name_idx', { synchronize: false })
@Index('contact_account_idx', { synchronize: false })
@Index('contact_owner_idx', { synchronize: false })
@Index('contact_created_idx', { synchronize: false })
@Index('contact_updated_idx', { synchronize: false })
@Index('contact_email_key_idx', { synchronize: false })
@Index('contact_phone_key_idx', { synchronize: false })
@Index('contact_mobile_key_idx', { synchronize: false })
@Index('contact_search_idx', { synchronize: false })
@Index('contact_birthday_idx', { synchronize: false })
@Index('contact_custom_fields_idx', { synchronize: false })
@Entity({ schema: 'sales', name: 'contact' })
export class Contact extends AggregateEntity {
  @Column('uuid') accountId: string;
  /** Foreign key only: the code refers to the record by its id column. */
  @ManyToOne(() => Account, { nullable: false })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'contact_account_id_fkey' })
  protected readonly account?: Relation<Account>;
  @Column('text', { nullable: true }) firstName: string | null;
  @Column('text') lastName: string;
  @Column('text', { nullable: true }) title: string | null;
  @Column('text', { nullable: true }) department: string | null;
  @Column('text', { nullable: true }) email: string | null;
  @Column('text', { nullable: true }) phone: string | null;
  @Column('text', { nullable: true }) mobile: string | null;
  @Column('date', { nullable: true }) birthday: string | null;
  @Column('text', { nullable: true }) preferredChannel: PreferredChannel | null;
  /** What the person cares about (price, function, service, …). */
  @Column('text', { array: true }) interests: string[];
  @Column('uuid') ownerId: string;
  @Column('jsonb') customFields: CustomFields;
  @Column('text', { nullable: true }) emailKey: string | null;
  @Column('text', { nullable: true }) phoneKey: string | null;
  @Column('text', { nullable: true }) mobileKey: string | null;
  @Column('text', { select: false }) searchText: string;
}
