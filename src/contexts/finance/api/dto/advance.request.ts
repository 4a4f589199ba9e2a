import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQuery } from '../../../../platform/http/pagination.js';
import { ADVANCE_STATUSES, type AdvanceStatus } from '../../domain/advance.rules.js';
import { CURRENCY_PATTERN } from '../../domain/money.js';
import { MAX_MINOR } from './cost-centre.request.js';

export class CreateAdvanceRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() costCentreId: string;
  @ApiProperty({ example: 500_000 }) @IsInt() @Min(1) @Max(MAX_MINOR) amountMinor: number;
  @ApiProperty({ example: 'CNY', description: 'Must equal the cost centre’s currency' }) @Matches(CURRENCY_PATTERN) currency: string;
  @ApiProperty({ example: 'On-site installation trip, Chengdu' }) @IsString() @MinLength(1) @MaxLength(500) purpose: string;
}

export class PayAdvanceRequest {
  @ApiPropertyOptional({ example: 'BANK-2026-03-0042', description: 'Payment reference (bank transfer id)' }) @IsOptional() @IsString() @MaxLength(100) paymentRef?: string;
}

export class AdvanceListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ADVANCE_STATUSES, enumName: 'AdvanceStatus' }) @IsOptional() @IsIn(ADVANCE_STATUSES) status?: AdvanceStatus;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() costCentreId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() ownerId?: string;
}
