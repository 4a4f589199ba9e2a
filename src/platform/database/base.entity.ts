import { BeforeInsert, CreateDateColumn, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { uuidv7 } from 'uuidv7';

/**
 * Columns every aggregate has: a time-ordered UUID v7 id, timestamps and an optimistic-lock
 * `version`. Timestamps are `timestamptz(3)` (millisecond precision, so a keyset cursor
 * carries them exactly). The version is bumped by {@link VersionedUpdate} conditional updates, never by
 * `save()` (which does not check it).
 */
export abstract class AggregateEntity {
  @PrimaryColumn('uuid')
  id: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @VersionColumn({ type: 'integer', default: 1 })
  version: number;

  @BeforeInsert()
  protected assignId() {
    this.id ??= uuidv7();
  }
}

export const newId = (): string => uuidv7();
