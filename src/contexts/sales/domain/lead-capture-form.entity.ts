import { Column, Entity, Index, Unique } from 'typeorm';
import { AggregateEntity } from '../../../platform/database/base.entity.js';

/** A web form allowed to post leads to the public capture endpoint under its `formKey`. */
@Index('lead_capture_form_created_idx', { synchronize: false })
@Unique('lead_capture_form_form_key_key', ['formKey'])
@Entity({ schema: 'sales', name: 'lead_capture_form' })
export class LeadCaptureForm extends AggregateEntity {
  @Column('text') name: string;
  /** Unguessable public key embedded in the web page. */
  @Column('text') formKey: string;
  @Column('boolean') active: boolean;
  /** Submissions allowed per client IP per minute. */
  @Column('int') ratePerMinute: number;
  @Column('text', { nullable: true }) productInterest: string | null;
  @Column('text', { nullable: true }) region: string | null;
  @Column('uuid', { nullable: true }) campaignId: string | null;
  @Column('uuid') createdBy: string;
}
