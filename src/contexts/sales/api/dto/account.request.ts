import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUrl, IsUUID,
  MaxLength, Min, MinLength, ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../../../platform/http/pagination.js';
import { ACCOUNT_FLAGS, ACCOUNT_TIERS, ACCOUNT_TYPES, LIFECYCLE_STAGES, type AccountFlag, type AccountTier, type AccountType, type CustomFields, type LifecycleStage } from '../../domain/account.entity.js';
import { AddressDto, CUSTOM_FIELDS_SCHEMA, IsCurrency, IsCustomFields, CustomFieldsFilter } from './common.js';

export class CreateAccountRequest {
  @ApiProperty({ example: 'Acme GmbH', maxLength: 200 }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional({ enum: ACCOUNT_TYPES, enumName: 'AccountType', example: 'customer', default: 'prospect' })
  @IsOptional() @IsIn(ACCOUNT_TYPES) type?: AccountType;
  @ApiPropertyOptional({ type: String, example: 'Retail', maxLength: 100, nullable: true }) @IsOptional() @IsString() @MaxLength(100) industry?: string | null;
  @ApiPropertyOptional({ enum: ACCOUNT_TIERS, enumName: 'AccountTier', example: 'large', nullable: true }) @IsOptional() @IsIn(ACCOUNT_TIERS) tier?: AccountTier | null;
  @ApiPropertyOptional({ enum: LIFECYCLE_STAGES, enumName: 'LifecycleStage', example: 'prospect', default: 'suspect' })
  @IsOptional() @IsIn(LIFECYCLE_STAGES) lifecycleStage?: LifecycleStage;
  @ApiPropertyOptional({ enum: ACCOUNT_FLAGS, enumName: 'AccountFlag', isArray: true, example: ['active'], default: ['active'] })
  @IsOptional() @IsArray() @ArrayMaxSize(ACCOUNT_FLAGS.length) @IsIn(ACCOUNT_FLAGS, { each: true }) flags?: AccountFlag[];
  @ApiPropertyOptional({ format: 'uuid', description: 'Defaults to the caller; another user must be inside the caller’s data scope' })
  @IsOptional() @IsUUID() ownerId?: string;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'Group structure: the parent account' }) @IsOptional() @IsUUID() parentAccountId?: string | null;
  @ApiPropertyOptional({ type: String, example: '+49 30 1234567', maxLength: 40, nullable: true }) @IsOptional() @IsString() @MaxLength(40) phone?: string | null;
  @ApiPropertyOptional({ type: String, example: 'info@acme.example', maxLength: 254, nullable: true }) @IsOptional() @IsEmail() @MaxLength(254) email?: string | null;
  @ApiPropertyOptional({ type: String, example: 'https://acme.example', maxLength: 500, nullable: true }) @IsOptional() @IsUrl() @MaxLength(500) website?: string | null;
  @ApiPropertyOptional({ type: AddressDto, nullable: true }) @IsOptional() @ValidateNested() @Type(() => AddressDto) address?: AddressDto | null;
  @ApiPropertyOptional({ type: String, example: '2010-04-01', description: 'Founding or customer anniversary (care reminders)', nullable: true })
  @IsOptional() @IsISO8601({ strict: true }) @MaxLength(10) anniversary?: string | null;
  @ApiPropertyOptional({ type: String, example: 'A', maxLength: 20, nullable: true }) @IsOptional() @IsString() @MaxLength(20) creditRating?: string | null;
  @ApiPropertyOptional({ type: Number, example: 5_000_000, description: 'Minor units', nullable: true }) @IsOptional() @IsInt() @Min(0) creditLimitMinor?: number | null;
  @ApiPropertyOptional({ type: String, example: 'EUR', nullable: true }) @IsOptional() @IsCurrency() creditCurrency?: string | null;
  @ApiPropertyOptional({ type: String, example: 'ERP-100234', maxLength: 100, nullable: true, description: 'The id in the ERP; unique' })
  @IsOptional() @IsString() @MaxLength(100) externalId?: string | null;
  @ApiPropertyOptional(CUSTOM_FIELDS_SCHEMA) @IsOptional() @IsCustomFields() customFields?: CustomFields;
  @ApiPropertyOptional({ default: false, description: 'Create even when possible duplicates exist' }) @IsOptional() @IsBoolean() force?: boolean;
}

export class UpdateAccountRequest extends PartialType(OmitType(CreateAccountRequest, ['force'] as const)) {}

export class AccountListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Search name, email and phone (substring, case-insensitive)', example: 'acme' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100) q?: string;
  @ApiPropertyOptional({ enum: ACCOUNT_TYPES, enumName: 'AccountType' }) @IsOptional() @IsIn(ACCOUNT_TYPES) type?: AccountType;
  @ApiPropertyOptional({ enum: ACCOUNT_TIERS, enumName: 'AccountTier' }) @IsOptional() @IsIn(ACCOUNT_TIERS) tier?: AccountTier;
  @ApiPropertyOptional({ enum: LIFECYCLE_STAGES, enumName: 'LifecycleStage' }) @IsOptional() @IsIn(LIFECYCLE_STAGES) lifecycleStage?: LifecycleStage;
  @ApiPropertyOptional({ enum: ACCOUNT_FLAGS, enumName: 'AccountFlag' }) @IsOptional() @IsIn(ACCOUNT_FLAGS) flag?: AccountFlag;
  @ApiPropertyOptional({ example: 'Retail' }) @IsOptional() @IsString() @MaxLength(100) industry?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() ownerId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() orgUnitId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() parentAccountId?: string;
  @ApiPropertyOptional({ example: 'ERP-100234' }) @IsOptional() @IsString() @MaxLength(100) externalId?: string;
  @CustomFieldsFilter() customFields?: CustomFields;
}
