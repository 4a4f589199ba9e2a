import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { PageQuery } from '../../../../platform/http/pagination.js';
import { EXPENSE_CLAIM_KINDS, EXPENSE_CLAIM_STATUSES, type ExpenseClaimKind, type ExpenseClaimStatus } from '../../domain/expense-claim.rules.js';
import { CURRENCY_PATTERN } from '../../domain/money.js';
import { MAX_MINOR } from './cost-centre.request.js';

export const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class ExpenseLineRequest {
  @ApiProperty({ example: 'travel' }) @IsString() @MinLength(1) @MaxLength(50) category: string;
  @ApiProperty({ example: '2026-03-01', description: 'Date of the expense (YYYY-MM-DD)' }) @Matches(DATE_PATTERN, { message: 'date must be YYYY-MM-DD' }) date: string;
  @ApiProperty({ example: 12_000 }) @IsInt() @Min(1) @Max(MAX_MINOR) amountMinor: number;
  @ApiPropertyOptional({ example: 'Train Shanghai → Beijing' }) @IsOptional() @IsString() @MaxLength(500) description?: string;
  @ApiPropertyOptional({ example: 'files/receipts/2026/03/0042.pdf', description: 'Reference of the receipt attachment' }) @IsOptional() @IsString() @MaxLength(500) receiptRef?: string;
}

export class CreateExpenseClaimRequest {
  @ApiProperty({ enum: EXPENSE_CLAIM_KINDS, enumName: 'ExpenseClaimKind', example: 'reimbursement' }) @IsIn(EXPENSE_CLAIM_KINDS) kind: ExpenseClaimKind;
  @ApiProperty({ format: 'uuid' }) @IsUUID() costCentreId: string;
  @ApiProperty({ example: 'Customer visit Beijing' }) @IsString() @MinLength(1) @MaxLength(200) title: string;
  @ApiProperty({ example: 'CNY', description: 'Must equal the cost centre’s currency' }) @Matches(CURRENCY_PATTERN) currency: string;
  @ApiProperty({ type: [ExpenseLineRequest] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => ExpenseLineRequest) lines: ExpenseLineRequest[];
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() accountId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() campaignId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() productId?: string;
  @ApiPropertyOptional({ example: 'SUP-0042', description: 'Supplier reference (supplier payments)' }) @IsOptional() @IsString() @MaxLength(100) supplierRef?: string;
}

export class UpdateExpenseClaimRequest {
  @ApiPropertyOptional({ enum: EXPENSE_CLAIM_KINDS, enumName: 'ExpenseClaimKind' }) @IsOptional() @IsIn(EXPENSE_CLAIM_KINDS) kind?: ExpenseClaimKind;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() costCentreId?: string;
  @ApiPropertyOptional({ example: 'Customer visit Beijing (2 days)' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(200) title?: string;
  @ApiPropertyOptional({ example: 'CNY' }) @IsOptional() @Matches(CURRENCY_PATTERN) currency?: string;
  @ApiPropertyOptional({ type: [ExpenseLineRequest], description: 'Replaces all lines' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => ExpenseLineRequest) lines?: ExpenseLineRequest[];
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() accountId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() campaignId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() productId?: string;
  @ApiPropertyOptional({ example: 'SUP-0042' }) @IsOptional() @IsString() @MaxLength(100) supplierRef?: string;
}

export class ExpenseClaimListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: EXPENSE_CLAIM_STATUSES, enumName: 'ExpenseClaimStatus' }) @IsOptional() @IsIn(EXPENSE_CLAIM_STATUSES) status?: ExpenseClaimStatus;
  @ApiPropertyOptional({ enum: EXPENSE_CLAIM_KINDS, enumName: 'ExpenseClaimKind' }) @IsOptional() @IsIn(EXPENSE_CLAIM_KINDS) kind?: ExpenseClaimKind;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() costCentreId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() ownerId?: string;
}

export class RecallRequest {
  @ApiPropertyOptional({ example: 'Wrong cost centre' }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
}
