import { Column, Entity, PrimaryColumn } from 'typeorm';

export type DeliveryStatus = 'pending' | 'done' | 'parked';
export const DELIVERY_STATUSES: DeliveryStatus[] = ['pending', 'done', 'parked'];

/**
 * One event's delivery to one consumer (`platform.event_deliveries`), fanned out at publish.
 * `done` is written in the consumer's own transaction: this row is also the inbox entry.
 * Written by raw SQL in the dispatcher; the entity serves the admin API.
 */
@Entity({ schema: 'platform', name: 'event_deliveries' })
export class EventDelivery {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') eventId: string;
  @Column('bigint', { transformer: { to: (v: number) => v, from: (v: string | null) => (v === null ? null : Number(v)) } }) eventSeq: number;
  @Column('text') eventType: string;
  @Column('text') aggregateKey: string;
  @Column('text') consumer: string;
  @Column('text') status: DeliveryStatus;
  @Column('int') attempts: number;
  @Column({ type: 'timestamptz', precision: 3 }) nextAttemptAt: Date;
  @Column('text', { nullable: true }) lastError: string | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) deliveredAt: Date | null;
  @Column({ type: 'timestamptz', precision: 3 }) createdAt: Date;
  @Column({ type: 'timestamptz', precision: 3 }) updatedAt: Date;
  @Column('int') version: number;
}
