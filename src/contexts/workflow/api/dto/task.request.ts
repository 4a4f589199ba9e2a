import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { UUID_SHAPE } from '../../../../platform/database/ids.js';
import { PageQuery } from '../../../../platform/http/pagination.js';
import { TASK_STATUSES, type TaskStatus } from '../../domain/approval.rules.js';

export class TaskListQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'me', description: '`me` or a user id' })
  @IsOptional()
  @Matches(new RegExp(`^(me|${UUID_SHAPE})$`, 'i'), { message: 'assignee must be me or a user id' })
  assignee?: string;

  @ApiPropertyOptional({ enum: TASK_STATUSES, enumName: 'TaskStatus', example: 'open' }) @IsOptional() @IsIn(TASK_STATUSES) status?: TaskStatus;
  @ApiPropertyOptional({ enum: ['approval', 'action'], enumName: 'TaskKind' }) @IsOptional() @IsIn(['approval', 'action']) kind?: 'approval' | 'action';
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() approvalId?: string;
}

export class DecideTaskRequest {
  @ApiPropertyOptional({ type: String, example: 'Within budget', nullable: true }) @IsOptional() @IsString() @MaxLength(2000) comment?: string | null;
}

export class DelegateTaskRequest {
  @ApiProperty({ format: 'uuid', example: '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d' }) @IsUUID() toUserId: string;
  @ApiPropertyOptional({ type: String, example: 'Please cover while I travel', nullable: true }) @IsOptional() @IsString() @MaxLength(2000) comment?: string | null;
}
