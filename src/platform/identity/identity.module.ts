import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessExplainService } from './access-explain.service.js';
import { AccessTokens } from './access-tokens.js';
import { ActorLoader } from './actor-loader.js';
import { AdminBootstrap } from './admin-bootstrap.js';
import { ApiKey } from './api-key.entity.js';
import { ApiKeysService } from './api-keys.service.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { Authenticator } from './authenticator.js';
import { DataScopeService } from './data-scope.js';
import { OrgTreeDataScopeService } from './data-scope.service.js';
import { AccessController, ApiKeysController, OrgUnitsController, RolesController, UsersController } from './identity.controller.js';
import { LoginThrottle } from './login-throttle.js';
import { OrgDirectory } from './org-directory.js';
import { SqlOrgDirectory } from './org-directory.service.js';
import { OrgUnit } from './org-unit.entity.js';
import { OrgUnitVisibility } from './org-unit-visibility.js';
import { OrgUnitsService } from './org-units.service.js';
import { RecordScopeRegistry } from './record-scope.registry.js';
import { References } from './references.js';
import { Role } from './role.entity.js';
import { RolesService } from './roles.service.js';
import { User } from './user.entity.js';
import { UsersService } from './users.service.js';
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
