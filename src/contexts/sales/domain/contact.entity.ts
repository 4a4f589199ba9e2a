import { Column, Entity } from 'typeorm';
import { AggregateEntity } from '../../../platform/database/base.entity.js';
import type { CustomFields } from './account.entity.js';

export const PREFERRED_CHANNELS = ['email', 'phone', 'mobile', 'sms', 'visit', 'none'] as const;
export type PreferredChannel = (typeof PREFERRED_CHANNELS)[number];

/**
 * A person at exactly one account. Visibility: a contact has its own `ownerId`, which
 * defaults to the account's owner when the contact is created and moves with ownership transfers.
 */
@Entity({ schema: 'sales', name: 'contact' })
export class Contact extends AggregateEntity {
  @Column('uuid') accountId: string;
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
