import { Global, Module } from '@nestjs/common';
import { Authenticator } from './authenticator.js';

/** Users, org units, roles, authentication and data scopes (the shared kernel's identity). */
@Global()
@Module({
  providers: [Authenticator],
  exports: [Authenticator],
})
export class IdentityModule {}
