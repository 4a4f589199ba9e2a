import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PageQuery } from '../../http/pagination.js';
import type { DataScope, UserKind } from '../domain/actor.js';
import { DATA_SCOPES, ORG_UNIT_TYPES, PERMISSION_PATTERN, type OrgUnitType } from '../domain/permissions.rules.js';

const ROLE_KEY = /^[a-z][a-z0-9-]{1,62}$/;
const USER_KINDS: UserKind[] = ['employee', 'partner', 'customer', 'service'];
const EXAMPLE_ID = '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d';

// ---- org units ----
export class CreateOrgUnitRequest {
  @ApiProperty({ example: 'Team East' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ enum: ORG_UNIT_TYPES, enumName: 'OrgUnitType', example: 'team' }) @IsIn(ORG_UNIT_TYPES) type: OrgUnitType;
  @ApiPropertyOptional({ type: String, nullable: true, example: EXAMPLE_ID, description: 'null for a root (group)' })
  @IsOptional()
  @IsUUID()
  parentId?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: EXAMPLE_ID }) @IsOptional() @IsUUID() headUserId?: string | null;
}

export class UpdateOrgUnitRequest {
  @ApiPropertyOptional({ example: 'Team East' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: EXAMPLE_ID, description: 'Moves the unit and everything below it' })
  @IsOptional()
  @IsUUID()
  parentId?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: EXAMPLE_ID }) @IsOptional() @IsUUID() headUserId?: string | null;
}

export class OrgUnitListQuery extends PageQuery {
  @ApiPropertyOptional({ example: EXAMPLE_ID }) @IsOptional() @IsUUID() parentId?: string;
  @ApiPropertyOptional({ enum: ORG_UNIT_TYPES, enumName: 'OrgUnitType' }) @IsOptional() @IsIn(ORG_UNIT_TYPES) type?: OrgUnitType;
  @ApiPropertyOptional({ description: 'Only this unit and the units below it', example: EXAMPLE_ID })
  @IsOptional()
  @IsUUID()
  subtreeOf?: string;
  @ApiPropertyOptional({ description: 'Name contains', example: 'East' }) @IsOptional() @IsString() @MaxLength(200) q?: string;
}

// ---- users ----
export class CreateUserRequest {
  @ApiProperty({ example: 'rita.rep@example.com' }) @IsEmail() @MaxLength(254) email: string;
  @ApiProperty({ example: 'Rita Rep' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional({ example: 'a-long-passphrase', format: 'password', description: 'Absent: the user cannot sign in with a password' })
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  password?: string;
  @ApiPropertyOptional({ enum: USER_KINDS, enumName: 'UserKind', default: 'employee' }) @IsOptional() @IsIn(USER_KINDS) kind?: UserKind;
  @ApiPropertyOptional({ type: String, nullable: true, example: EXAMPLE_ID }) @IsOptional() @IsUUID() orgUnitId?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: EXAMPLE_ID }) @IsOptional() @IsUUID() managerId?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: EXAMPLE_ID, description: 'Required for partner and customer users: their account' })
  @IsOptional()
  @IsUUID()
  accountId?: string | null;
  @ApiProperty({ type: [String], example: ['sales-rep'] })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(ROLE_KEY, { each: true })
  roles: string[];
}

export class UpdateUserRequest {
  @ApiPropertyOptional({ example: 'rita.rep@example.com' }) @IsOptional() @IsEmail() @MaxLength(254) email?: string;
  @ApiPropertyOptional({ example: 'Rita Rep' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ format: 'password', description: 'Sets a new password and signs the user out everywhere', example: 'a-new-passphrase' })
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  password?: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: EXAMPLE_ID }) @IsOptional() @IsUUID() orgUnitId?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: EXAMPLE_ID }) @IsOptional() @IsUUID() managerId?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: EXAMPLE_ID }) @IsOptional() @IsUUID() accountId?: string | null;
  @ApiPropertyOptional({ type: [String], example: ['sales-manager'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(ROLE_KEY, { each: true })
  roles?: string[];
  @ApiPropertyOptional({ description: 'true reactivates a deactivated user (use POST …/deactivate to deactivate)', example: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UserListQuery extends PageQuery {
  @ApiPropertyOptional({ example: EXAMPLE_ID }) @IsOptional() @IsUUID() orgUnitId?: string;
  @ApiPropertyOptional({ example: 'sales-rep' }) @IsOptional() @IsString() @Matches(ROLE_KEY) role?: string;
  @ApiPropertyOptional({ enum: USER_KINDS, enumName: 'UserKind' }) @IsOptional() @IsIn(USER_KINDS) kind?: UserKind;
  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;
  @ApiPropertyOptional({ description: 'Name or email contains', example: 'rita' }) @IsOptional() @IsString() @MaxLength(200) q?: string;
}

// ---- roles ----
export class CreateRoleRequest {
  @ApiProperty({ example: 'key-account-manager', pattern: ROLE_KEY.source }) @IsString() @Matches(ROLE_KEY) key: string;
  @ApiProperty({ example: 'Key account manager' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional({ example: 'Sees every key account' }) @IsOptional() @IsString() @MaxLength(1000) description?: string;
  @ApiProperty({ type: [String], example: ['sales.account:*', 'sales.opportunity:read'], description: '`<context>.<resource>:<action>`, `*` allowed per segment' })
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @Matches(PERMISSION_PATTERN, { each: true })
  permissions: string[];
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', enum: [...DATA_SCOPES] },
    example: { 'sales.account': 'team', 'sales.*': 'own' },
    description: 'Per resource (`<ctx>.<resource>`, `<ctx>.*` or `*`): own / team / subtree / all. Absent: own',
  })
  @IsOptional()
  @IsObject()
  dataScopes?: Record<string, DataScope>;
}

export class UpdateRoleRequest {
  @ApiPropertyOptional({ example: 'Key account manager' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ example: 'Sees every key account' }) @IsOptional() @IsString() @MaxLength(1000) description?: string;
  @ApiPropertyOptional({ type: [String], example: ['sales.account:*'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @Matches(PERMISSION_PATTERN, { each: true })
  permissions?: string[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string', enum: [...DATA_SCOPES] }, example: { 'sales.*': 'team' } })
  @IsOptional()
  @IsObject()
  dataScopes?: Record<string, DataScope>;
}

export class RoleListQuery extends PageQuery {}

// ---- API keys ----
export class CreateApiKeyRequest {
  @ApiProperty({ example: 'ERP nightly sync' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ type: [String], example: ['sales.product:*', 'sales.order:read'], description: 'At most what the creator holds' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Matches(PERMISSION_PATTERN, { each: true })
  permissions: string[];
}

export class ApiKeyListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Include revoked keys', example: false })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  includeRevoked?: boolean;
}

// ---- access explanation ----
export class ExplainAccessQuery {
  @ApiProperty({ example: EXAMPLE_ID }) @IsUUID() userId: string;
  @ApiProperty({ example: 'sales.account' }) @IsString() @Matches(/^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/) @MaxLength(100) recordType: string;
  @ApiProperty({ example: EXAMPLE_ID }) @IsString() @MinLength(1) @MaxLength(100) recordId: string;
}
