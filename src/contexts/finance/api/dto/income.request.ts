import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQuery } from '../../../../platform/http/pagination.js';
import { CURRENCY_PATTERN } from '../../domain/money.js';
import { MAX_MINOR } from './cost-centre.request.js';
import { DATE_PATTERN } from './expense-claim.request.js';

export class CreateIncomeRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() costCentreId: string;
  @ApiProperty({ example: 2_000_000 }) @IsInt() @Min(1) @Max(MAX_MINOR) amountMinor: number;
  @ApiProperty({ example: 'CNY' }) @Matches(CURRENCY_PATTERN) currency: string;
  @ApiProperty({ example: '2026-03-15' }) @Matches(DATE_PATTERN, { message: 'receivedOn must be YYYY-MM-DD' }) receivedOn: string;
  @ApiProperty({ example: 'Customer payment, milestone 1' }) @IsString() @MinLength(1) @MaxLength(200) source: string;
  @ApiPropertyOptional({ example: 'Invoice INV-0042' }) @IsOptional() @IsString() @MaxLength(500) description?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() accountId?: string;
}

export class IncomeListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() costCentreId?: string;
}
