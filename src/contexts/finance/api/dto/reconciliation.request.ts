import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { CURRENCY_PATTERN } from '../../domain/money.js';
import { SETTLEMENT_DIRECTIONS, type SettlementDirection } from '../../domain/reconciliation.rules.js';
import { MAX_MINOR } from './cost-centre.request.js';
import { DATE_PATTERN } from './expense-claim.request.js';

export class ReconciliationQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this cost centre (project)' }) @IsOptional() @IsUUID() costCentreId?: string;
  @ApiPropertyOptional({ example: 'CNY', description: 'Needed when the employee has records in several currencies' }) @IsOptional() @Matches(CURRENCY_PATTERN) currency?: string;
}

export class CreateSettlementRequest {
  @ApiPropertyOptional({ format: 'uuid', description: 'Settle the balance of this cost centre only' }) @IsOptional() @IsUUID() costCentreId?: string;
  @ApiProperty({ example: 'CNY' }) @Matches(CURRENCY_PATTERN) currency: string;
  @ApiProperty({ enum: SETTLEMENT_DIRECTIONS, enumName: 'SettlementDirection', description: 'Must match the sign of the balance' }) @IsIn(SETTLEMENT_DIRECTIONS) direction: SettlementDirection;
  @ApiProperty({ example: 180_000, description: 'At most the outstanding balance' }) @IsInt() @Min(1) @Max(MAX_MINOR) amountMinor: number;
  @ApiPropertyOptional({ example: '2026-03-31' }) @IsOptional() @Matches(DATE_PATTERN, { message: 'settledOn must be YYYY-MM-DD' }) settledOn?: string;
  @ApiPropertyOptional({ example: 'BANK-2026-03-0099' }) @IsOptional() @IsString() @MaxLength(100) reference?: string;
  @ApiPropertyOptional({ example: 'Returned by bank transfer' }) @IsOptional() @IsString() @MaxLength(500) note?: string;
}

export class SpendReportQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() costCentreId?: string;
  @ApiPropertyOptional({ example: '2026-01', description: 'First month (YYYY-MM)' }) @IsOptional() @Matches(/^\d{4}-(0[1-9]|1[0-2])$/) from?: string;
  @ApiPropertyOptional({ example: '2026-12', description: 'Last month (YYYY-MM), inclusive' }) @IsOptional() @Matches(/^\d{4}-(0[1-9]|1[0-2])$/) to?: string;
}

