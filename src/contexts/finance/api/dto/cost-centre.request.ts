import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQuery } from '../../../../platform/http/pagination.js';
import { COST_CENTRE_STATUSES, type CostCentreStatus } from '../../domain/cost-centre.rules.js';
import { CURRENCY_PATTERN } from '../../domain/money.js';

export const MAX_MINOR = Number.MAX_SAFE_INTEGER;
export const SUBJECT_TYPE_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)?$/;

export class CreateCostCentreRequest {
  @ApiProperty({ example: 'Project Apollo roll-out' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ example: 'service.project', description: 'What the centre is for: `<context>.<record>` or a free kind such as `department`' })
  @IsString() @MaxLength(100) @Matches(SUBJECT_TYPE_PATTERN) subjectType: string;
  @ApiPropertyOptional({ example: '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d', nullable: true, description: 'The subject record; one centre per subject' })
  @IsOptional() @IsUUID() subjectId?: string;
  @ApiPropertyOptional({ example: '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3e', description: 'Defaults to the caller' }) @IsOptional() @IsUUID() ownerId?: string;
  @ApiProperty({ example: 1_000_000, description: 'Upper limit, minor units' }) @IsInt() @Min(0) @Max(MAX_MINOR) capMinor: number;
  @ApiPropertyOptional({ example: 800_000, description: 'Defaults to 80% of the cap' }) @IsOptional() @IsInt() @Min(0) @Max(MAX_MINOR) warningLineMinor?: number;
  @ApiProperty({ example: 'CNY' }) @Matches(CURRENCY_PATTERN) currency: string;
}

export class UpdateCostCentreRequest {
  @ApiPropertyOptional({ example: 'Project Apollo roll-out (phase 2)' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ example: '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3e' }) @IsOptional() @IsUUID() ownerId?: string;
  @ApiPropertyOptional({ example: 1_500_000, description: 'Changing it needs `finance.cost-centre:change-cap`; not below spent + reserved' })
  @IsOptional() @IsInt() @Min(0) @Max(MAX_MINOR) capMinor?: number;
  @ApiPropertyOptional({ example: 1_200_000 }) @IsOptional() @IsInt() @Min(0) @Max(MAX_MINOR) warningLineMinor?: number;
}

export class CostCentreListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: COST_CENTRE_STATUSES, enumName: 'CostCentreStatus' }) @IsOptional() @IsIn(COST_CENTRE_STATUSES) status?: CostCentreStatus;
  @ApiPropertyOptional({ example: 'sales.opportunity' }) @IsOptional() @IsString() @MaxLength(100) subjectType?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() subjectId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() ownerId?: string;
}

export class AutoOpenRuleRequest {
  @ApiProperty({ example: true, description: 'Open a cost centre when such a subject is created' }) @IsBoolean() enabled: boolean;
  @ApiProperty({ example: 1_000_000, description: 'Cap when the event carries no budget' }) @IsInt() @Min(0) @Max(MAX_MINOR) defaultCapMinor: number;
  @ApiProperty({ example: 80, minimum: 0, maximum: 100 }) @IsInt() @Min(0) @Max(100) warningLinePct: number;
  @ApiProperty({ example: 'CNY' }) @Matches(CURRENCY_PATTERN) defaultCurrency: string;
}
