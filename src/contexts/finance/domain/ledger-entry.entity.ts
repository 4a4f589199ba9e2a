import { BeforeInsert, Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { uuidv7 } from 'uuidv7';
import type { LedgerKind, LedgerSource } from './ledger.rules.js';
import { bigintToNumber } from '../../../platform/database/column-types.js';

/** One movement of a cost centre's figures (append-only; never updated). */
@Entity({ schema: 'finance', name: 'ledger_entry' })
@Index('ledger_entry_centre_created_idx', { synchronize: false })
@Index('ledger_entry_report_idx', { synchronize: false })
@Index('ledger_entry_source_idx', { synchronize: false })
@Check('ledger_entry_kind_check', `kind IN ('reservation', 'release', 'posting', 'income')`)
@Check('ledger_entry_source_type_check', `source_type IN ('expense-claim', 'advance', 'income')`)
@Check('ledger_entry_amount_minor_check', 'amount_minor > 0')
export class LedgerEntry {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') costCentreId: string;
  @Column('text') kind: LedgerKind;
  @Column('text') sourceType: LedgerSource;
  @Column('uuid') sourceId: string;
  @Column('text', { nullable: true }) sourceCode: string | null;
  @Column('text', { nullable: true }) category: string | null;
  @Column('date') occurredOn: string;
  @Column('bigint', { transformer: bigintToNumber }) amountMinor: number;
  @Column('bigint', { transformer: bigintToNumber }) reservedDeltaMinor: number;
  @Column('bigint', { transformer: bigintToNumber }) spentDeltaMinor: number;
  @Column('bigint', { transformer: bigintToNumber }) incomeDeltaMinor: number;
  @Column('uuid', { nullable: true }) actorId: string | null;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;

  @BeforeInsert()
  protected assignId() {
    this.id ??= uuidv7();
  }
}
