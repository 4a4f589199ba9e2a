import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsDate, IsIn, IsISO8601, IsObject, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { PageQuery } from '../../../../platform/http/pagination.js';
import { ACTIVITY_STATUSES, ACTIVITY_TYPES, PRIORITIES, RELATED_TYPES, type ActivityStatus, type ActivityType, type Priority, type RelatedType } from '../../domain/activity.rules.js';

/** ISO 8601 instants become Dates after validation (`@IsDate` checks the parse). */
const toDate = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : value);

export class RelatedRecordDto {
  @ApiProperty({ enum: RELATED_TYPES, enumName: 'ActivityRelatedType', example: 'opportunity' }) @IsIn(RELATED_TYPES) type: RelatedType;
  @ApiProperty({ format: 'uuid' }) @IsUUID() id: string;
}

export class CreateActivityRequest {
  @ApiProperty({ enum: ACTIVITY_TYPES, enumName: 'ActivityType', example: 'meeting' }) @IsIn(ACTIVITY_TYPES) type: ActivityType;
  @ApiProperty({ example: 'Kick-off with Acme', maxLength: 300 }) @IsString() @MinLength(1) @MaxLength(300) subject: string;
  @ApiPropertyOptional({ type: String, maxLength: 4000, nullable: true }) @IsOptional() @IsString() @MaxLength(4000) description?: string | null;
  @ApiProperty({ type: String, format: 'date-time', example: '2026-03-02T09:00:00Z', description: 'Start (tasks: due time)' })
  @Transform(toDate) @IsDate({ message: 'startAt must be an ISO 8601 date-time' }) startAt: Date;
  @ApiPropertyOptional({ type: String, format: 'date-time', example: '2026-03-02T10:00:00Z', nullable: true, description: 'Bookings with an end take calendar time' })
  @IsOptional() @Transform(toDate) @IsDate({ message: 'endAt must be an ISO 8601 date-time' }) endAt?: Date | null;
  @ApiPropertyOptional({ type: String, example: 'Acme HQ, room 4', maxLength: 300, nullable: true }) @IsOptional() @IsString() @MaxLength(300) location?: string | null;
  @ApiPropertyOptional({ enum: PRIORITIES, enumName: 'ActivityPriority', default: 'normal' }) @IsOptional() @IsIn(PRIORITIES) priority?: Priority;
  @ApiPropertyOptional({ format: 'uuid', description: 'Defaults to the caller' }) @IsOptional() @IsUUID() ownerId?: string;
  @ApiPropertyOptional({ type: [String], description: 'User ids taking part' }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsUUID('all', { each: true }) participantIds?: string[];
  @ApiPropertyOptional({ type: RelatedRecordDto, nullable: true }) @IsOptional() @IsObject() @ValidateNested() @Type(() => RelatedRecordDto) related?: RelatedRecordDto | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'When to publish sales.activity.reminder-due' })
  @IsOptional() @Transform(toDate) @IsDate({ message: 'reminderAt must be an ISO 8601 date-time' }) reminderAt?: Date | null;
  @ApiPropertyOptional({ default: false, description: 'Book even when the owner has overlapping bookings' }) @IsOptional() @IsBoolean() allowConflict?: boolean;
}

export class UpdateActivityRequest extends PartialType(OmitType(CreateActivityRequest, ['type'] as const)) {}

export class CompleteActivityRequest {
  @ApiPropertyOptional({ type: String, example: 'Agreed on a pilot', maxLength: 2000, nullable: true }) @IsOptional() @IsString() @MaxLength(2000) outcome?: string | null;
}

export class ActivityListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ACTIVITY_TYPES, enumName: 'ActivityType' }) @IsOptional() @IsIn(ACTIVITY_TYPES) type?: ActivityType;
  @ApiPropertyOptional({ enum: ACTIVITY_STATUSES, enumName: 'ActivityStatus' }) @IsOptional() @IsIn(ACTIVITY_STATUSES) status?: ActivityStatus;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() ownerId?: string;
  @ApiPropertyOptional({ enum: RELATED_TYPES, enumName: 'ActivityRelatedType' }) @IsOptional() @IsIn(RELATED_TYPES) relatedType?: RelatedType;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() relatedId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() accountId?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Starts at or after' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Starts before' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
}

export class CalendarQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'One user’s calendar (or orgUnitId)' }) @IsOptional() @IsUUID() ownerId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The calendar of a unit and the units below it (or ownerId)' }) @IsOptional() @IsUUID() orgUnitId?: string;
  @ApiProperty({ type: String, format: 'date-time', example: '2026-03-02T00:00:00Z' }) @Transform(toDate) @IsDate({ message: 'from must be an ISO 8601 date-time' }) from: Date;
  @ApiProperty({ type: String, format: 'date-time', example: '2026-03-09T00:00:00Z', description: 'Exclusive; at most 92 days after from' })
  @Transform(toDate) @IsDate({ message: 'to must be an ISO 8601 date-time' }) to: Date;
}

export class CreateOwnershipTransferRequest {
  @ApiProperty({ format: 'uuid', description: 'The user whose records move' }) @IsUUID() fromUserId: string;
  @ApiProperty({ format: 'uuid', description: 'The user who receives them' }) @IsUUID() toUserId: string;
}
