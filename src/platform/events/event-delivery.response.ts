import { ApiProperty } from '@nestjs/swagger';
import { PageMetaDto } from '../http/pagination.js';
import { DELIVERY_STATUSES, type DeliveryStatus, type EventDelivery } from './event-delivery.entity.js';

export class EventDeliveryResponse {
  @ApiProperty({ format: 'uuid', example: '0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b' }) id: string;
  @ApiProperty({ format: 'uuid', example: '0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5c' }) eventId: string;
  @ApiProperty({ example: 'sales.opportunity.won' }) eventType: string;
  @ApiProperty({ example: 'sales.opportunity', description: 'Aggregate type of the event' }) aggregateType: string;
  @ApiProperty({ example: '0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5d' }) aggregateId: string;
  @ApiProperty({ example: 'finance.open-cost-centre' }) consumer: string;
  @ApiProperty({ enum: DELIVERY_STATUSES, enumName: 'EventDeliveryStatus', example: 'parked' }) status: DeliveryStatus;
  @ApiProperty({ example: 10, description: 'Attempts made so far' }) attempts: number;
  @ApiProperty({ format: 'date-time', example: '2026-11-22T10:00:00.000Z', description: 'When a pending delivery is tried next' }) nextAttemptAt: string;
  @ApiProperty({ type: String, nullable: true, example: 'Error: cost centre service unavailable' }) lastError: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null }) deliveredAt: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-11-22T09:00:00.000Z' }) createdAt: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-22T10:00:00.000Z' }) updatedAt: string;
  @ApiProperty({ example: 11 }) version: number;
}

export class EventDeliveryPage extends PageMetaDto {
  @ApiProperty({ type: [EventDeliveryResponse] }) items: EventDeliveryResponse[];
}

export function toEventDeliveryResponse(d: EventDelivery): EventDeliveryResponse {
  const split = d.aggregateKey.indexOf(':');
  return {
    id: d.id,
    eventId: d.eventId,
    eventType: d.eventType,
    aggregateType: d.aggregateKey.slice(0, split),
    aggregateId: d.aggregateKey.slice(split + 1),
    consumer: d.consumer,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt.toISOString(),
    lastError: d.lastError,
    deliveredAt: d.deliveredAt ? d.deliveredAt.toISOString() : null,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
    version: d.version,
  };
}
