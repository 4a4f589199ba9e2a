import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One change of one record. Append-only (a trigger refuses UPDATE/DELETE). */
@Index('audit_entries_at_idx', { synchronize: false })
@Index('audit_entries_record_idx', { synchronize: false })
@Index('audit_entries_actor_idx', { synchronize: false })
@Entity({ schema: 'platform', name: 'audit_entries' })
export class AuditEntry {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'timestamptz', precision: 3 }) at: Date;
  @Column('text', { nullable: true }) actorType: 'user' | 'api-key' | null;
  @Column('uuid', { nullable: true }) actorId: string | null;
  @Column('uuid', { nullable: true }) actorUserId: string | null;
  @Column('text', { nullable: true }) ip: string | null;
  @Column('text', { nullable: true }) requestId: string | null;
  @Column('text') recordType: string;
  @Column('text') recordId: string;
  @Column('text') action: string;
  /** `{ field: { before, after } }`; secrets dropped. */
  @Column('jsonb') changes: Record<string, { before?: unknown; after?: unknown }>;
}
