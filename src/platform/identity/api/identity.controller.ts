import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../../http/endpoint.decorator.js';
import { IfMatch } from '../../http/etag.js';
import type { Page } from '../../http/pagination.js';
import { AccessExplainService } from '../application/access-explain.service.js';
import { ApiKeysService } from '../application/api-keys.service.js';
import { CurrentActor, type Actor } from '../domain/actor.js';
import {
  ApiKeyListQuery,
  CreateApiKeyRequest,
  CreateOrgUnitRequest,
  CreateRoleRequest,
  CreateUserRequest,
  ExplainAccessQuery,
  OrgUnitListQuery,
  RoleListQuery,
  UpdateOrgUnitRequest,
  UpdateRoleRequest,
  UpdateUserRequest,
  UserListQuery,
} from './identity.request.js';
import {
  AccessExplanationResponse,
  ApiKeyPage,
  CreatedApiKeyResponse,
  OrgUnitPage,
  OrgUnitResponse,
  RolePage,
  RoleResponse,
  UserPage,
  UserResponse,
  type ApiKeyResponse,
} from './identity.response.js';
import { OrgUnitsService } from '../application/org-units.service.js';
import { RolesService } from '../application/roles.service.js';
import { UsersService } from '../application/users.service.js';
import { ParseRoleKeyPipe } from './role-key.pipe.js';

@ApiTags('identity')
@Controller('api/v1/identity/org-units')
export class OrgUnitsController {
  constructor(private readonly units: OrgUnitsService) {}

  @Get()
  @Endpoint({ operationId: 'identity_listOrgUnits', summary: 'List org units', permission: 'identity.org-unit:read' })
  @ApiOkResponse({ type: OrgUnitPage })
  list(@Query() query: OrgUnitListQuery): Promise<Page<OrgUnitResponse>> {
    return this.units.list(query);
  }

  @Post()
  @Endpoint({
    operationId: 'identity_createOrgUnit',
    summary: 'Create an org unit',
    description: '`parentId` must be an org unit and `headUserId` a user the caller sees: an unknown or out-of-scope id answers 422 alike.',
    permission: 'identity.org-unit:create',
    errors: [422],
    idempotent: true,
  })
  @ApiCreatedResponse({ type: OrgUnitResponse })
  create(@CurrentActor() actor: Actor, @Body() body: CreateOrgUnitRequest): Promise<OrgUnitResponse> {
    return this.units.create(actor, body);
  }

  @Get(':id')
  @Endpoint({ operationId: 'identity_getOrgUnit', summary: 'Get an org unit', permission: 'identity.org-unit:read', errors: [404] })
  @ApiOkResponse({ type: OrgUnitResponse })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<OrgUnitResponse> {
    return this.units.get(id);
  }

  @Patch(':id')
  @Endpoint({
    operationId: 'identity_updateOrgUnit',
    summary: 'Rename, re-head or move an org unit',
    description:
      'Moving a unit (new `parentId`) moves everything below it; a unit cannot move below itself. `headUserId` must be a user the caller sees: an unknown or out-of-scope id answers 422 alike.',
    permission: 'identity.org-unit:update',
    errors: [404, 422],
    ifMatch: true,
  })
  @ApiOkResponse({ type: OrgUnitResponse })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateOrgUnitRequest,
    @IfMatch() version?: number,
  ): Promise<OrgUnitResponse> {
    return this.units.update(actor, id, version, body);
  }
}

@ApiTags('identity')
@Controller('api/v1/identity/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Endpoint({ operationId: 'identity_listUsers', summary: 'List users', permission: 'identity.user:read' })
  @ApiOkResponse({ type: UserPage })
  list(@CurrentActor() actor: Actor, @Query() query: UserListQuery): Promise<Page<UserResponse>> {
    return this.users.list(actor, query);
  }

  @Post()
  @Endpoint({
    operationId: 'identity_createUser',
    summary: 'Create a user',
    description:
      'Each role given must hold nothing the caller lacks (422 `identity.role.not-held`). `managerId` must be a user the caller sees, `accountId` an account the caller sees, `orgUnitId` an org unit: an unknown or out-of-scope id answers 422 alike.',
    permission: 'identity.user:create',
    errors: [409, 422],
    idempotent: true,
  })
  @ApiCreatedResponse({ type: UserResponse })
  create(@CurrentActor() actor: Actor, @Body() body: CreateUserRequest): Promise<UserResponse> {
    return this.users.create(actor, body);
  }

  @Get(':id')
  @Endpoint({ operationId: 'identity_getUser', summary: 'Get a user', permission: 'identity.user:read', errors: [404] })
  @ApiOkResponse({ type: UserResponse })
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<UserResponse> {
    return this.users.get(actor, id);
  }

  @Patch(':id')
  @Endpoint({
    operationId: 'identity_updateUser',
    summary: 'Update a user',
    description:
      'Role changes apply to the next request. Another user’s `password` or `email` needs `identity.user:manage-credentials`, `active` needs `identity.user:deactivate` (403 without). Their roles, credentials or status change only when they hold nothing the caller lacks (422 `identity.user.outranks-you`); a role added must hold nothing the caller lacks (422 `identity.role.not-held`); nobody adds roles to themselves (422 `identity.role.self-grant`). A new password signs the user out everywhere; one’s own password changes only through `POST /api/v1/auth/password` (422 `identity.user.own-password` here). Reference checks as on create.',
    permission: 'identity.user:update',
    errors: [403, 404, 409, 422],
    ifMatch: true,
  })
  @ApiOkResponse({ type: UserResponse })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateUserRequest,
    @IfMatch() version?: number,
  ): Promise<UserResponse> {
    return this.users.update(actor, id, version, body);
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @Endpoint({
    operationId: 'identity_deactivateUser',
    summary: 'Deactivate a user',
    description:
      'Their access tokens and refresh tokens stop working at once and their API keys are revoked (reactivation does not bring the keys back). Refused for a user who holds a permission or data scope the caller lacks (422 `identity.user.outranks-you`).',
    permission: 'identity.user:deactivate',
    errors: [404, 422],
    idempotent: true,
    ifMatch: true,
  })
  @ApiOkResponse({ type: UserResponse })
  deactivate(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @IfMatch() version?: number): Promise<UserResponse> {
    return this.users.deactivate(actor, id, version);
  }
}

@ApiTags('identity')
@Controller('api/v1/identity/roles')
export class RolesController {
  constructor(private readonly roles: RolesService) {}

  @Get()
  @Endpoint({ operationId: 'identity_listRoles', summary: 'List roles with their permissions and data scopes', permission: 'identity.role:read' })
  @ApiOkResponse({ type: RolePage })
  list(@Query() query: RoleListQuery): Promise<Page<RoleResponse>> {
    return this.roles.list(query);
  }

  @Post()
  @Endpoint({
    operationId: 'identity_createRole',
    summary: 'Create a custom role',
    description: 'A role holds at most what its creator holds: a permission or data scope the caller lacks answers 422 `identity.role.not-held`.',
    permission: 'identity.role:create',
    errors: [409, 422],
    idempotent: true,
  })
  @ApiCreatedResponse({ type: RoleResponse })
  create(@CurrentActor() actor: Actor, @Body() body: CreateRoleRequest): Promise<RoleResponse> {
    return this.roles.create(actor, body);
  }

  @Get(':key')
  @Endpoint({ operationId: 'identity_getRole', summary: 'Get a role', permission: 'identity.role:read', errors: [404] })
  @ApiParam({ name: 'key', example: 'sales-rep' })
  @ApiOkResponse({ type: RoleResponse })
  get(@Param('key', ParseRoleKeyPipe) key: string): Promise<RoleResponse> {
    return this.roles.get(key);
  }

  @Patch(':key')
  @Endpoint({
    operationId: 'identity_updateRole',
    summary: 'Update a custom role',
    description:
      'Built-in roles are read-only (409). Changes apply to every holder on their next request. Changing the permissions or data scopes needs the caller to hold what the role grants before and after (422 `identity.role.not-held`).',
    permission: 'identity.role:update',
    errors: [404, 409, 422],
    ifMatch: true,
  })
  @ApiParam({ name: 'key', example: 'key-account-manager' })
  @ApiOkResponse({ type: RoleResponse })
  update(
    @CurrentActor() actor: Actor,
    @Param('key', ParseRoleKeyPipe) key: string,
    @Body() body: UpdateRoleRequest,
    @IfMatch() version?: number,
  ): Promise<RoleResponse> {
    return this.roles.update(actor, key, version, body);
  }
}

@ApiTags('identity')
@Controller('api/v1/identity/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @Endpoint({ operationId: 'identity_listApiKeys', summary: 'List API keys (never the keys themselves)', permission: 'identity.api-key:read' })
  @ApiOkResponse({ type: ApiKeyPage })
  list(@Query() query: ApiKeyListQuery): Promise<Page<ApiKeyResponse>> {
    return this.keys.list(query);
  }

  @Post()
  @Endpoint({
    operationId: 'identity_createApiKey',
    summary: 'Create an API key',
    description: 'The answer carries the key once; only its hash is stored. Send it as `X-API-Key`.',
    permission: 'identity.api-key:create',
    errors: [422],
    idempotent: true,
  })
  @ApiCreatedResponse({ type: CreatedApiKeyResponse })
  create(@CurrentActor() actor: Actor, @Body() body: CreateApiKeyRequest): Promise<CreatedApiKeyResponse> {
    return this.keys.create(actor, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Endpoint({ operationId: 'identity_revokeApiKey', summary: 'Revoke an API key', permission: 'identity.api-key:revoke', errors: [404] })
  @ApiNoContentResponse({ description: 'Revoked (also when it already was)' })
  async revoke(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.keys.revoke(id);
  }
}

@ApiTags('identity')
@Controller('api/v1/identity/access')
export class AccessController {
  constructor(private readonly explainer: AccessExplainService) {}

  @Get('explain')
  @Endpoint({
    operationId: 'identity_explainAccess',
    summary: 'Explain why a user can or cannot see a record',
    description: 'Checks the read permission for the record type, the user’s data scope and the record’s owner / account.',
    permission: 'identity.access:explain',
    errors: [404],
  })
  @ApiOkResponse({ type: AccessExplanationResponse })
  explain(@Query() query: ExplainAccessQuery): Promise<AccessExplanationResponse> {
    return this.explainer.explain(query.userId, query.recordType, query.recordId);
  }
}
