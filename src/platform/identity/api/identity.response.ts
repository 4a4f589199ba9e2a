import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageMetaDto } from '../../http/pagination.js';
import type { DataScope, UserKind } from '../domain/actor.js';
import type { ApiKey } from '../domain/api-key.entity.js';
import type { OrgUnit } from '../domain/org-unit.entity.js';
import type { OrgUnitType } from '../domain/permissions.rules.js';
import type { Role } from '../domain/role.entity.js';
import type { User } from '../domain/user.entity.js';

const EXAMPLE_ID = '0193a0b4-6f7e-7c4e-9d7c-2d1f8a1b2c3d';
const EXAMPLE_AT = '2026-01-01T10:00:00.000Z';

export class OrgUnitResponse {
  @ApiProperty({ example: EXAMPLE_ID }) id: string;
  @ApiProperty({ example: 'Team East' }) name: string;
  @ApiProperty({ enum: ['group', 'region', 'branch', 'department', 'team'], enumName: 'OrgUnitType' }) type: OrgUnitType;
  @ApiProperty({ type: String, nullable: true, example: EXAMPLE_ID }) parentId: string | null;
  @ApiProperty({ type: String, nullable: true, example: EXAMPLE_ID }) headUserId: string | null;
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty({ example: EXAMPLE_AT }) createdAt: string;
  @ApiProperty({ example: EXAMPLE_AT }) updatedAt: string;
}

export class OrgUnitPage extends PageMetaDto {
  @ApiProperty({ type: [OrgUnitResponse] }) items: OrgUnitResponse[];
}

export const toOrgUnitResponse = (o: OrgUnit): OrgUnitResponse => ({
  id: o.id,
  name: o.name,
  type: o.type,
  parentId: o.parentId,
  headUserId: o.headUserId,
  version: o.version,
  createdAt: o.createdAt.toISOString(),
  updatedAt: o.updatedAt.toISOString(),
});

export class UserResponse {
  @ApiProperty({ example: EXAMPLE_ID }) id: string;
  @ApiProperty({ example: 'rita.rep@example.com' }) email: string;
  @ApiProperty({ example: 'Rita Rep' }) name: string;
  @ApiProperty({ enum: ['employee', 'partner', 'customer', 'service'], enumName: 'UserKind' }) kind: UserKind;
  @ApiProperty({ type: String, nullable: true, example: EXAMPLE_ID }) orgUnitId: string | null;
  @ApiProperty({ type: String, nullable: true, example: EXAMPLE_ID }) managerId: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) accountId: string | null;
  @ApiProperty({ type: [String], example: ['sales-rep'] }) roles: string[];
  @ApiProperty({ example: true }) active: boolean;
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty({ example: EXAMPLE_AT }) createdAt: string;
  @ApiProperty({ example: EXAMPLE_AT }) updatedAt: string;
}

export class UserPage extends PageMetaDto {
  @ApiProperty({ type: [UserResponse] }) items: UserResponse[];
}

export const toUserResponse = (u: User): UserResponse => ({
  id: u.id,
  email: u.email,
  name: u.name,
  kind: u.kind,
  orgUnitId: u.orgUnitId,
  managerId: u.managerId,
  accountId: u.accountId,
  roles: u.roles,
  active: u.active,
  version: u.version,
  createdAt: u.createdAt.toISOString(),
  updatedAt: u.updatedAt.toISOString(),
});

export class RoleResponse {
  @ApiProperty({ example: EXAMPLE_ID }) id: string;
  @ApiProperty({ example: 'sales-rep' }) key: string;
  @ApiProperty({ example: 'Sales representative' }) name: string;
  @ApiProperty({ type: String, nullable: true, example: null }) description: string | null;
  @ApiProperty({ type: [String], example: ['sales.*:*'] }) permissions: string[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string', enum: ['own', 'team', 'subtree', 'all'] }, example: { 'sales.*': 'own' } })
  dataScopes: Record<string, DataScope>;
  @ApiProperty({ description: 'Seeded with the product; read-only', example: true }) builtIn: boolean;
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty({ example: EXAMPLE_AT }) createdAt: string;
  @ApiProperty({ example: EXAMPLE_AT }) updatedAt: string;
}

export class RolePage extends PageMetaDto {
  @ApiProperty({ type: [RoleResponse] }) items: RoleResponse[];
}

export const toRoleResponse = (r: Role): RoleResponse => ({
  id: r.id,
  key: r.key,
  name: r.name,
  description: r.description,
  permissions: r.permissions,
  dataScopes: r.dataScopes,
  builtIn: r.builtIn,
  version: r.version,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

export class ApiKeyResponse {
  @ApiProperty({ example: EXAMPLE_ID }) id: string;
  @ApiProperty({ example: 'ERP nightly sync' }) name: string;
  @ApiProperty({ description: 'The first characters of the key, to recognise it', example: 'crm_Ab3dE6gH' }) prefix: string;
  @ApiProperty({ type: [String], example: ['sales.product:*'] }) permissions: string[];
  @ApiProperty({ example: EXAMPLE_ID }) createdBy: string;
  @ApiProperty({ type: String, nullable: true, example: EXAMPLE_AT }) lastUsedAt: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) revokedAt: string | null;
  @ApiProperty({ example: EXAMPLE_AT }) createdAt: string;
}

export class CreatedApiKeyResponse extends ApiKeyResponse {
  @ApiProperty({ description: 'The key itself: shown once, never again. Send it as `X-API-Key`.', example: 'crm_Ab3dE6gH…' }) key: string;
}

export class ApiKeyPage extends PageMetaDto {
  @ApiProperty({ type: [ApiKeyResponse] }) items: ApiKeyResponse[];
}

export const toApiKeyResponse = (k: ApiKey): ApiKeyResponse => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  permissions: k.permissions,
  createdBy: k.createdBy,
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
  createdAt: k.createdAt.toISOString(),
});

export class ExplainPermissionResponse {
  @ApiProperty({ example: 'sales.account:read' }) name: string;
  @ApiProperty({ example: true }) granted: boolean;
  @ApiProperty({ type: [String], description: 'Roles whose permissions grant it', example: ['sales-rep'] }) grantedBy: string[];
}

export class ExplainRecordResponse {
  @ApiProperty({ example: true }) found: boolean;
  @ApiProperty({ type: String, nullable: true, example: EXAMPLE_ID }) ownerId: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: null }) accountId: string | null;
}

export class AccessExplanationResponse {
  @ApiProperty({ example: EXAMPLE_ID }) userId: string;
  @ApiProperty({ example: 'sales.account' }) recordType: string;
  @ApiProperty({ example: EXAMPLE_ID }) recordId: string;
  @ApiProperty({ description: 'Whether the user can read the record', example: false }) canRead: boolean;
  @ApiProperty({ type: ExplainPermissionResponse }) permission: ExplainPermissionResponse;
  @ApiProperty({ enum: ['own', 'team', 'subtree', 'all', 'account'], enumName: 'EffectiveScope', example: 'team' })
  scope: DataScope | 'account';
  @ApiProperty({ description: 'The record is within the user’s data scope', example: false }) inScope: boolean;
  @ApiProperty({ type: ExplainRecordResponse }) record: ExplainRecordResponse;
  @ApiProperty({ type: [String], example: ['The user holds sales.account:read through sales-rep', 'Scope own: the record is owned by someone else'] })
  reasons: string[];
}
