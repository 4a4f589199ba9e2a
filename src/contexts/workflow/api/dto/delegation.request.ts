import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQuery } from '../../../../platform/http/pagination.js';

export class CreateDelegationRequest {
  @ApiPropertyOptional({ format: 'uuid', description: 'Default: the caller. Others’ only with data scope all on workflow.delegation' }) @IsOptional() @IsUUID() fromUserId?: string;
  @ApiProperty({ format: 'uuid', example: '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d' }) @IsUUID() toUserId: string;
  @ApiProperty({ example: '2026-03-01T00:00:00Z' }) @IsISO8601({ strict: true }) startsAt: string;
  @ApiProperty({ example: '2026-03-15T00:00:00Z', description: 'Exclusive' }) @IsISO8601({ strict: true }) endsAt: string;
  @ApiPropertyOptional({ type: String, example: 'Holiday', nullable: true }) @IsOptional() @IsString() @MaxLength(500) reason?: string | null;
}

export class DelegationListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Delegations from or to this user' }) @IsOptional() @IsUUID() userId?: string;
}
