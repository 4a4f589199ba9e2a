import { ApiProperty } from '@nestjs/swagger';
import { PageMetaDto } from '../../../../platform/http/pagination.js';
import type { Activity } from '../../domain/activity.entity.js';
import { ACTIVITY_STATUSES, ACTIVITY_TYPES, PRIORITIES } from '../../domain/activity.rules.js';
import type { OwnershipTransfer } from '../../domain/ownership-transfer.entity.js';
import { RelatedRecordDto } from './activity.request.js';
import { iso } from './common.js';

export class ActivityResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ACTIVITY_TYPES, enumName: 'ActivityType' }) type: string;
  @ApiProperty() subject: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ format: 'date-time' }) startAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) endAt: string | null;
  @ApiProperty({ type: String, nullable: true }) location: string | null;
  @ApiProperty({ enum: PRIORITIES, enumName: 'ActivityPriority' }) priority: string;
  @ApiProperty({ enum: ACTIVITY_STATUSES, enumName: 'ActivityStatus' }) status: string;
  @ApiProperty({ type: String, nullable: true }) outcome: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt: string | null;
  @ApiProperty({ format: 'uuid' }) ownerId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) orgUnitId: string | null;
  @ApiProperty({ type: [String] }) participantIds: string[];
  @ApiProperty({ type: RelatedRecordDto, nullable: true }) related: RelatedRecordDto | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) accountId: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) reminderAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) reminderSentAt: string | null;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class ActivityPage extends PageMetaDto {
  @ApiProperty({ type: [ActivityResponse] }) items: ActivityResponse[];
}

export class CalendarResponse {
  @ApiProperty({ type: [ActivityResponse], description: 'By start time; at most 2,000' }) items: ActivityResponse[];
}

export const toActivityResponse = (a: Activity): ActivityResponse => ({
  id: a.id,
  type: a.type,
  subject: a.subject,
  description: a.description,
  startAt: a.startAt.toISOString(),
  endAt: iso(a.endAt),
  location: a.location,
  priority: a.priority,
  status: a.status,
  outcome: a.outcome,
  completedAt: iso(a.completedAt),
  ownerId: a.ownerId,
  orgUnitId: a.orgUnitId,
  participantIds: a.participantIds,
  related: a.relatedType && a.relatedId ? { type: a.relatedType, id: a.relatedId } : null,
  accountId: a.accountId,
  reminderAt: iso(a.reminderAt),
  reminderSentAt: iso(a.reminderSentAt),
  version: a.version,
  createdAt: a.createdAt.toISOString(),
  updatedAt: a.updatedAt.toISOString(),
});

export class TransferCountsResponse {
  @ApiProperty() accounts: number;
  @ApiProperty() contacts: number;
  @ApiProperty() leads: number;
  @ApiProperty() opportunities: number;
  @ApiProperty() activities: number;
}

export class OwnershipTransferResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) fromUserId: string;
  @ApiProperty({ format: 'uuid' }) toUserId: string;
  @ApiProperty({ format: 'uuid' }) requestedBy: string;
  @ApiProperty({ type: TransferCountsResponse, description: 'Records moved' }) counts: TransferCountsResponse;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class OwnershipTransferPage extends PageMetaDto {
  @ApiProperty({ type: [OwnershipTransferResponse] }) items: OwnershipTransferResponse[];
}

export const toOwnershipTransferResponse = (t: OwnershipTransfer): OwnershipTransferResponse => ({
  id: t.id,
  fromUserId: t.fromUserId,
  toUserId: t.toUserId,
  requestedBy: t.requestedBy,
  counts: t.counts,
  createdAt: t.createdAt.toISOString(),
});
