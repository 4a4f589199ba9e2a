import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID,
  Max, MaxLength, Min, MinLength, ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../../../platform/http/pagination.js';
import type { CustomFields } from '../../domain/account.entity.js';
import { LEAD_SOURCES, type LeadSource } from '../../domain/lead.entity.js';
import { ASSIGNMENT_STRATEGIES, type AssignmentStrategy } from '../../domain/lead-assignment.rules.js';
import { LEAD_STATUSES, type LeadStatus } from '../../domain/lead-status.rules.js';
import { CUSTOM_FIELDS_SCHEMA, IsCurrency, IsCustomFields, CustomFieldsFilter } from './common.js';

/** Fields a person can give about themselves (web forms capture only these). */
export class LeadContactFields {
  @ApiPropertyOptional({ type: String, example: 'Globex Ltd', maxLength: 200, nullable: true }) @IsOptional() @IsString() @MaxLength(200) company?: string | null;
  @ApiPropertyOptional({ type: String, example: 'Hank', maxLength: 100, nullable: true }) @IsOptional() @IsString() @MaxLength(100) firstName?: string | null;
  @ApiProperty({ example: 'Scorpio', maxLength: 100 }) @IsString() @MinLength(1) @MaxLength(100) lastName: string;
  @ApiPropertyOptional({ type: String, example: 'CEO', maxLength: 100, nullable: true }) @IsOptional() @IsString() @MaxLength(100) title?: string | null;
  @ApiPropertyOptional({ type: String, example: 'hank@globex.example', maxLength: 254, nullable: true }) @IsOptional() @IsEmail() @MaxLength(254) email?: string | null;
  @ApiPropertyOptional({ type: String, example: '+1 415 555 0100', maxLength: 40, nullable: true }) @IsOptional() @IsString() @MaxLength(40) phone?: string | null;
  @ApiPropertyOptional({ type: String, example: 'Manufacturing', maxLength: 100, nullable: true }) @IsOptional() @IsString() @MaxLength(100) industry?: string | null;
  @ApiPropertyOptional({ type: String, example: 'EMEA', maxLength: 100, nullable: true }) @IsOptional() @IsString() @MaxLength(100) region?: string | null;
  @ApiPropertyOptional({ type: String, example: 'CRM Suite', maxLength: 100, nullable: true }) @IsOptional() @IsString() @MaxLength(100) productInterest?: string | null;
  @ApiPropertyOptional({ type: String, example: 'Wants a demo next week', maxLength: 2000, nullable: true }) @IsOptional() @IsString() @MaxLength(2000) description?: string | null;
}

export class CaptureLeadRequest extends LeadContactFields {}

export class CreateLeadRequest extends LeadContactFields {
  @ApiPropertyOptional({ enum: LEAD_SOURCES, enumName: 'LeadSource', default: 'manual' }) @IsOptional() @IsIn(LEAD_SOURCES) source?: LeadSource;
  @ApiPropertyOptional({ type: Number, example: 2_500_000, description: 'Minor units', nullable: true }) @IsOptional() @IsInt() @Min(0) estimatedAmountMinor?: number | null;
  @ApiPropertyOptional({ type: String, example: 'EUR', nullable: true }) @IsOptional() @IsCurrency() currency?: string | null;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true }) @IsOptional() @IsUUID() campaignId?: string | null;
  @ApiPropertyOptional({ format: 'uuid', description: 'Without it the assignment rules decide, else the caller owns the lead' })
  @IsOptional() @IsUUID() ownerId?: string;
  @ApiPropertyOptional(CUSTOM_FIELDS_SCHEMA) @IsOptional() @IsCustomFields() customFields?: CustomFields;
}

class LeadUpdatableFields extends LeadContactFields {
  @ApiPropertyOptional({ enum: LEAD_SOURCES, enumName: 'LeadSource' }) @IsOptional() @IsIn(LEAD_SOURCES) source?: LeadSource;
  @ApiPropertyOptional({ type: Number, example: 2_500_000, nullable: true }) @IsOptional() @IsInt() @Min(0) estimatedAmountMinor?: number | null;
  @ApiPropertyOptional({ type: String, example: 'EUR', nullable: true }) @IsOptional() @IsCurrency() currency?: string | null;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true }) @IsOptional() @IsUUID() campaignId?: string | null;
  @ApiPropertyOptional(CUSTOM_FIELDS_SCHEMA) @IsOptional() @IsCustomFields() customFields?: CustomFields;
}

export class UpdateLeadRequest extends PartialType(LeadUpdatableFields) {}

export class AssignLeadRequest {
  @ApiProperty({ format: 'uuid', description: 'The new owner (inside your data scope)' }) @IsUUID() ownerId: string;
}

export class ConvertOpportunityFields {
  @ApiPropertyOptional({ example: 'Globex – CRM Suite', maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) name?: string;
  @ApiPropertyOptional({ example: 2_500_000, description: 'Defaults to the lead’s estimate' }) @IsOptional() @IsInt() @Min(0) amountMinor?: number;
  @ApiPropertyOptional({ example: 'EUR', description: 'Defaults to the lead’s currency' }) @IsOptional() @IsCurrency() currency?: string;
  @ApiProperty({ example: '2026-12-31' }) @IsISO8601({ strict: true }) @MaxLength(10) closeDate: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Defaults to the default sales method' }) @IsOptional() @IsUUID() salesMethodId?: string;
}

export class ConvertLeadRequest {
  @ApiPropertyOptional({ format: 'uuid', description: 'Attach to this existing account instead of creating one' }) @IsOptional() @IsUUID() accountId?: string;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() createOpportunity?: boolean;
  @ApiPropertyOptional({ type: ConvertOpportunityFields }) @IsOptional() @IsObject() @ValidateNested() @Type(() => ConvertOpportunityFields) opportunity?: ConvertOpportunityFields;
  @ApiPropertyOptional({ default: false, description: 'Create the account and contact even when possible duplicates exist' }) @IsOptional() @IsBoolean() force?: boolean;
}

export class LeadListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Search company, name, email and phone', example: 'globex' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(100) q?: string;
  @ApiPropertyOptional({ enum: LEAD_STATUSES, enumName: 'LeadStatus' }) @IsOptional() @IsIn(LEAD_STATUSES) status?: LeadStatus;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() ownerId?: string;
  @ApiPropertyOptional({ enum: LEAD_SOURCES, enumName: 'LeadSource' }) @IsOptional() @IsIn(LEAD_SOURCES) source?: LeadSource;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() campaignId?: string;
  @ApiPropertyOptional({ example: 'EMEA' }) @IsOptional() @IsString() @MaxLength(100) region?: string;
  @CustomFieldsFilter() customFields?: CustomFields;
}

export class LeadPoolQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'EMEA' }) @IsOptional() @IsString() @MaxLength(100) region?: string;
  @ApiPropertyOptional({ example: 'CRM Suite' }) @IsOptional() @IsString() @MaxLength(100) productInterest?: string;
}

export class AssignmentCriteriaDto {
  @ApiPropertyOptional({ example: ['EMEA'], type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(100, { each: true }) regions?: string[];
  @ApiPropertyOptional({ example: ['Retail'], type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(100, { each: true }) industries?: string[];
  @ApiPropertyOptional({ example: ['web-form'], type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(50, { each: true }) sources?: string[];
  @ApiPropertyOptional({ example: ['CRM Suite'], type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(100, { each: true }) productInterests?: string[];
  @ApiPropertyOptional({ example: 1_000_000 }) @IsOptional() @IsInt() @Min(0) minAmountMinor?: number;
  @ApiPropertyOptional({ example: 50_000_000 }) @IsOptional() @IsInt() @Min(0) maxAmountMinor?: number;
}

export class AssignToDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() userId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Members of this unit and the units below it take turns' }) @IsOptional() @IsUUID() orgUnitId?: string;
}

export class CreateAssignmentRuleRequest {
  @ApiProperty({ example: 'EMEA retail web leads', maxLength: 200 }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ example: 10, description: 'Lower runs first' }) @IsInt() @Min(0) @Max(1_000_000) priority: number;
  @ApiProperty({ type: AssignmentCriteriaDto }) @IsObject() @ValidateNested() @Type(() => AssignmentCriteriaDto) criteria: AssignmentCriteriaDto;
  @ApiProperty({ type: AssignToDto, description: 'Exactly one of userId or orgUnitId' }) @IsObject() @ValidateNested() @Type(() => AssignToDto) assignTo: AssignToDto;
  @ApiProperty({ enum: ASSIGNMENT_STRATEGIES, enumName: 'AssignmentStrategy', example: 'round-robin' }) @IsIn(ASSIGNMENT_STRATEGIES) strategy: AssignmentStrategy;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
}

export class UpdateAssignmentRuleRequest extends PartialType(CreateAssignmentRuleRequest) {}

export class CreateCaptureFormRequest {
  @ApiProperty({ example: 'Website contact form', maxLength: 200 }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional({ example: 10, default: 10, description: 'Submissions allowed per client IP per minute' }) @IsOptional() @IsInt() @Min(1) @Max(10_000) ratePerMinute?: number;
  @ApiPropertyOptional({ type: String, example: 'CRM Suite', nullable: true }) @IsOptional() @IsString() @MaxLength(100) productInterest?: string | null;
  @ApiPropertyOptional({ type: String, example: 'EMEA', nullable: true }) @IsOptional() @IsString() @MaxLength(100) region?: string | null;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true }) @IsOptional() @IsUUID() campaignId?: string | null;
}
