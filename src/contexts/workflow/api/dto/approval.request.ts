import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQuery } from '../../../../platform/http/pagination.js';
import { INSTANCE_STATUSES, type InstanceStatus } from '../../domain/approval.rules.js';

export class ApprovalListQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'finance.expense-claim' }) @IsOptional() @IsString() @MaxLength(100) subjectType?: string;
  @ApiPropertyOptional({ example: '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d' }) @IsOptional() @IsString() @MaxLength(100) subjectId?: string;
  @ApiPropertyOptional({ enum: INSTANCE_STATUSES, enumName: 'ApprovalStatus' }) @IsOptional() @IsIn(INSTANCE_STATUSES) status?: InstanceStatus;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() requesterId?: string;
}

export class RecallApprovalRequest {
  @ApiPropertyOptional({ type: String, example: 'Wrong amount, will resubmit', nullable: true }) @IsOptional() @IsString() @MaxLength(2000) comment?: string | null;
}
