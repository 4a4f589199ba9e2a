import { BeforeInsert, Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { uuidv7 } from 'uuidv7';
import type { LedgerKind, LedgerSource } from './ledger.rules.js';
import { bigintToNumber } from './money.js';

/** One movement of a cost centre's figures (append-only; never updated). */
@Entity({ schema: 'finance', name: 'ledger_entry' })
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
