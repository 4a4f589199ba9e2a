import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { PageQuery } from '../../../../platform/http/pagination.js';
import type { CustomFields } from '../../domain/account.entity.js';
import { PREFERRED_CHANNELS, type PreferredChannel } from '../../domain/contact.entity.js';
import { CUSTOM_FIELDS_SCHEMA, IsCustomFields, CustomFieldsFilter } from './common.js';

export class CreateContactRequest {
  @ApiProperty({ format: 'uuid', description: 'The one account the contact belongs to' }) @IsUUID() accountId: string;
  @ApiPropertyOptional({ type: String, example: 'Ann', maxLength: 100, nullable: true }) @IsOptional() @IsString() @MaxLength(100) firstName?: string | null;
  @ApiProperty({ example: 'Lee', maxLength: 100 }) @IsString() @MinLength(1) @MaxLength(100) lastName: string;
  @ApiPropertyOptional({ type: String, example: 'Head of Purchasing', maxLength: 100, nullable: true }) @IsOptional() @IsString() @MaxLength(100) title?: string | null;
  @ApiPropertyOptional({ type: String, example: 'Purchasing', maxLength: 100, nullable: true }) @IsOptional() @IsString() @MaxLength(100) department?: string | null;
  @ApiPropertyOptional({ type: String, example: 'ann.lee@acme.example', maxLength: 254, nullable: true }) @IsOptional() @IsEmail() @MaxLength(254) email?: string | null;
  @ApiPropertyOptional({ type: String, example: '+49 30 1234567', maxLength: 40, nullable: true }) @IsOptional() @IsString() @MaxLength(40) phone?: string | null;
  @ApiPropertyOptional({ type: String, example: '+49 171 1234567', maxLength: 40, nullable: true }) @IsOptional() @IsString() @MaxLength(40) mobile?: string | null;
  @ApiPropertyOptional({ type: String, example: '1985-07-14', nullable: true }) @IsOptional() @IsISO8601({ strict: true }) @MaxLength(10) birthday?: string | null;
  @ApiPropertyOptional({ enum: PREFERRED_CHANNELS, enumName: 'PreferredChannel', nullable: true })
  @IsOptional() @IsIn(PREFERRED_CHANNELS) preferredChannel?: PreferredChannel | null;
  @ApiPropertyOptional({ example: ['price', 'service'], description: 'What the person cares about', type: [String] })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(50, { each: true }) interests?: string[];
  @ApiPropertyOptional({ format: 'uuid', description: 'Defaults to the account’s owner' }) @IsOptional() @IsUUID() ownerId?: string;
  @ApiPropertyOptional(CUSTOM_FIELDS_SCHEMA) @IsOptional() @IsCustomFields() customFields?: CustomFields;
  @ApiPropertyOptional({ default: false, description: 'Create even when possible duplicates exist' }) @IsOptional() @IsBoolean() force?: boolean;
}

export class UpdateContactRequest extends PartialType(OmitType(CreateContactRequest, ['force'] as const)) {}

export class ContactListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Search name, email and phones', example: 'lee' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(100) q?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() accountId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() ownerId?: string;
  @ApiPropertyOptional({ example: 'ann.lee@acme.example' }) @IsOptional() @IsEmail() @MaxLength(254) email?: string;
  @CustomFieldsFilter() customFields?: CustomFields;
}
