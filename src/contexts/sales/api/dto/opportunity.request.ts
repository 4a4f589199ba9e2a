import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max,
  MaxLength, Min, MinLength, ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../../../platform/http/pagination.js';
import type { CustomFields } from '../../domain/account.entity.js';
import { ATTITUDES, CONTACT_ROLES, type Attitude, type ContactRole } from '../../domain/opportunity-parts.entity.js';
import { OPPORTUNITY_STATUSES, type OpportunityStatus } from '../../domain/opportunity-stage.rules.js';
import type { StageTerminal } from '../../domain/sales-method.rules.js';
import { CUSTOM_FIELDS_SCHEMA, IsCurrency, IsCustomFields, CustomFieldsFilter } from './common.js';

export class StageRequest {
  @ApiProperty({ example: 'propose', maxLength: 50 }) @IsString() @Matches(/^[a-z0-9][a-z0-9-]{0,49}$/) key: string;
  @ApiProperty({ example: 'Proposal', maxLength: 100 }) @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiProperty({ example: 2, description: 'Position in the method' }) @IsInt() @Min(0) @Max(1000) order: number;
  @ApiProperty({ example: 40, description: 'Default win probability, percent' }) @IsInt() @Min(0) @Max(100) probability: number;
  @ApiProperty({ enum: ['won', 'lost'], enumName: 'StageTerminal', nullable: true, example: null })
  @IsOptional() @IsIn(['won', 'lost']) terminal: StageTerminal | null;
}

export class CreateSalesMethodRequest {
  @ApiProperty({ example: 'B2B solution selling', maxLength: 200 }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional({ type: String, maxLength: 2000, nullable: true }) @IsOptional() @IsString() @MaxLength(2000) description?: string | null;
  @ApiPropertyOptional({ default: false, description: 'Forward stage moves go one stage at a time' }) @IsOptional() @IsBoolean() strictOrder?: boolean;
  @ApiPropertyOptional({ default: false, description: 'Make this the default method (the first method always is); needs `sales.sales-method:set-default`' }) @IsOptional() @IsBoolean() isDefault?: boolean;
  @ApiProperty({ type: [StageRequest], description: 'Open stages plus exactly one won stage (probability 100) and at least one lost stage (probability 0)' })
  @IsArray() @ArrayMinSize(3) @ArrayMaxSize(30) @ValidateNested({ each: true }) @Type(() => StageRequest) stages: StageRequest[];
}

export class CreateOpportunityRequest {
  @ApiProperty({ example: 'Acme – CRM rollout', maxLength: 200 }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() accountId: string;
  @ApiProperty({ example: 4_800_000, description: 'Minor units' }) @IsInt() @Min(0) amountMinor: number;
  @ApiProperty({ example: 'EUR' }) @IsCurrency() currency: string;
  @ApiProperty({ example: '2026-12-31' }) @IsISO8601({ strict: true }) @MaxLength(10) closeDate: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Defaults to the default sales method' }) @IsOptional() @IsUUID() salesMethodId?: string;
  @ApiPropertyOptional({ example: 30, description: 'Percent; defaults to the stage’s probability' }) @IsOptional() @IsInt() @Min(0) @Max(100) probability?: number;
  @ApiPropertyOptional({ format: 'uuid', description: 'Defaults to the caller' }) @IsOptional() @IsUUID() ownerId?: string;
  @ApiPropertyOptional({ type: String, example: 'referral', maxLength: 100, nullable: true }) @IsOptional() @IsString() @MaxLength(100) source?: string | null;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true }) @IsOptional() @IsUUID() leadId?: string | null;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true }) @IsOptional() @IsUUID() campaignId?: string | null;
  @ApiPropertyOptional({ type: String, example: 'Send proposal', maxLength: 500, nullable: true }) @IsOptional() @IsString() @MaxLength(500) nextStep?: string | null;
  @ApiPropertyOptional({ type: String, maxLength: 4000, nullable: true }) @IsOptional() @IsString() @MaxLength(4000) description?: string | null;
  @ApiPropertyOptional(CUSTOM_FIELDS_SCHEMA) @IsOptional() @IsCustomFields() customFields?: CustomFields;
}

export class UpdateOpportunityRequest extends PartialType(
  PickType(CreateOpportunityRequest, ['name', 'amountMinor', 'currency', 'closeDate', 'probability', 'ownerId', 'source', 'campaignId', 'nextStep', 'description', 'customFields'] as const),
) {}

export class ChangeStageRequest {
  @ApiProperty({ example: 'propose' }) @IsString() @MaxLength(50) stageKey: string;
}

export class ReopenRequest {
  @ApiPropertyOptional({ example: 'negotiate', description: 'Defaults to the stage it was lost in' }) @IsOptional() @IsString() @MaxLength(50) stageKey?: string;
}

export class OpportunityListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Search the name', example: 'rollout' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(100) q?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() accountId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() ownerId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() orgUnitId?: string;
  @ApiPropertyOptional({ enum: OPPORTUNITY_STATUSES, enumName: 'OpportunityStatus' }) @IsOptional() @IsIn(OPPORTUNITY_STATUSES) status?: OpportunityStatus;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() salesMethodId?: string;
  @ApiPropertyOptional({ example: 'propose' }) @IsOptional() @IsString() @MaxLength(50) stageKey?: string;
  @ApiPropertyOptional({ example: '2026-01-01' }) @IsOptional() @IsISO8601({ strict: true }) @MaxLength(10) closeFrom?: string;
  @ApiPropertyOptional({ example: '2026-12-31' }) @IsOptional() @IsISO8601({ strict: true }) @MaxLength(10) closeTo?: string;
  @CustomFieldsFilter() customFields?: CustomFields;
}

export class PipelineQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Defaults to the default sales method' }) @IsOptional() @IsUUID() salesMethodId?: string;
  @ApiPropertyOptional({ example: 'EUR', description: 'Defaults to the setting pipeline-default-currency' }) @IsOptional() @IsCurrency() currency?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() ownerId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() orgUnitId?: string;
  @ApiPropertyOptional({ example: '2026-01-01', description: 'Close date from (inclusive)' }) @IsOptional() @IsISO8601({ strict: true }) @MaxLength(10) closeFrom?: string;
  @ApiPropertyOptional({ example: '2026-03-31', description: 'Close date to (inclusive)' }) @IsOptional() @IsISO8601({ strict: true }) @MaxLength(10) closeTo?: string;
}

export class PutCompetitorRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() competitorId: string;
  @ApiPropertyOptional({ type: String, example: 'Cheaper licences', maxLength: 2000, nullable: true }) @IsOptional() @IsString() @MaxLength(2000) strengths?: string | null;
  @ApiPropertyOptional({ type: String, example: 'No local support', maxLength: 2000, nullable: true }) @IsOptional() @IsString() @MaxLength(2000) weaknesses?: string | null;
}

export class PutContactRoleRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() contactId: string;
  @ApiProperty({ enum: CONTACT_ROLES, enumName: 'ContactRole', example: 'decision-maker' }) @IsIn(CONTACT_ROLES) role: ContactRole;
  @ApiProperty({ enum: ATTITUDES, enumName: 'Attitude', example: 'supporter' }) @IsIn(ATTITUDES) attitude: Attitude;
  @ApiPropertyOptional({ type: String, maxLength: 1000, nullable: true }) @IsOptional() @IsString() @MaxLength(1000) note?: string | null;
}

export class CreateCompetitorRequest {
  @ApiProperty({ example: 'Initech', maxLength: 200 }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional({ type: String, example: 'https://initech.example', maxLength: 500, nullable: true }) @IsOptional() @IsString() @MaxLength(500) website?: string | null;
  @ApiPropertyOptional({ type: String, maxLength: 2000, nullable: true }) @IsOptional() @IsString() @MaxLength(2000) strengths?: string | null;
  @ApiPropertyOptional({ type: String, maxLength: 2000, nullable: true }) @IsOptional() @IsString() @MaxLength(2000) weaknesses?: string | null;
}

export class CompetitorListQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'ini' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(100) q?: string;
}
