import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessExplainService } from './application/access-explain.service.js';
import { AccessTokens } from './application/access-tokens.js';
import { ActorLoader } from './application/actor-loader.js';
import { AdminBootstrap } from './application/admin-bootstrap.js';
import { ApiKey } from './domain/api-key.entity.js';
import { ApiKeysService } from './application/api-keys.service.js';
import { AuthController } from './api/auth.controller.js';
import { AuthService } from './application/auth.service.js';
import { Authenticator } from './application/authenticator.js';
import { DataScopeService } from './application/data-scope.js';
import { OrgTreeDataScopeService } from './application/data-scope.service.js';
import { AccessController, ApiKeysController, OrgUnitsController, RolesController, UsersController } from './api/identity.controller.js';
import { LoginThrottle } from './application/login-throttle.js';
import { OrgDirectory } from './application/org-directory.js';
import { SqlOrgDirectory } from './application/org-directory.service.js';
import { OrgUnit } from './domain/org-unit.entity.js';
import { OrgUnitVisibility } from './application/org-unit-visibility.js';
import { OrgUnitsService } from './application/org-units.service.js';
import { RecordScopeRegistry } from './application/record-scope.registry.js';
import { References } from './application/references.js';
import { Role } from './domain/role.entity.js';
import { RolesService } from './application/roles.service.js';
import { User } from './domain/user.entity.js';
import { UsersService } from './application/users.service.js';
import { OpenApiTags } from '../http/openapi-tags.js';

/** Users, org units, roles, authentication and data scopes (the shared kernel's identity). */
@OpenApiTags({ name: 'auth', description: 'Sign in, refresh, sign out' }, { name: 'identity', description: 'Org units, users, roles, API keys, access explanations' })
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([User, OrgUnit, Role, ApiKey])],
  controllers: [AuthController, OrgUnitsController, UsersController, RolesController, ApiKeysController, AccessController],
  providers: [
    Authenticator,
    AccessTokens,
    ActorLoader,
    LoginThrottle,
    AuthService,
    UsersService,
    OrgUnitsService,
    RolesService,
    ApiKeysService,
    AccessExplainService,
    RecordScopeRegistry,
    References,
    OrgUnitVisibility,
    AdminBootstrap,
    { provide: DataScopeService, useClass: OrgTreeDataScopeService },
    { provide: OrgDirectory, useClass: SqlOrgDirectory },
  ],
  exports: [Authenticator, DataScopeService, OrgDirectory, RecordScopeRegistry, References],
})
export class IdentityModule {}
