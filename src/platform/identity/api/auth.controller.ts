import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Endpoint } from '../../http/endpoint.decorator.js';
import { CurrentActor, type Actor } from '../domain/actor.js';
import { ChangePasswordRequest, LoginRequest, RefreshRequest } from './auth.request.js';
import { MeResponse, TokenPairResponse } from './auth.response.js';
import { AuthService } from '../application/auth.service.js';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(200)
  @Endpoint({
    operationId: 'auth_login',
    summary: 'Sign in with email and password',
    description: 'Returns a short-lived access JWT and a single-use refresh token. Repeated failures per account or per IP answer 429 with Retry-After.',
    public: true,
    errors: [401, 429],
  })
  @ApiOkResponse({ type: TokenPairResponse })
  login(@Body() body: LoginRequest, @Req() request: FastifyRequest): Promise<TokenPairResponse> {
    return this.auth.login(body.email, body.password, request.ip);
  }

  @Post('refresh')
  @HttpCode(200)
  @Endpoint({
    operationId: 'auth_refresh',
    summary: 'Exchange a refresh token for a new token pair',
    description: 'The presented refresh token is spent. Presenting a spent token again revokes every token of its family (401).',
    public: true,
    errors: [401],
  })
  @ApiOkResponse({ type: TokenPairResponse })
  refresh(@Body() body: RefreshRequest): Promise<TokenPairResponse> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @Endpoint({ operationId: 'auth_logout', summary: 'Sign out: revoke the refresh token and its family', public: true })
  @ApiNoContentResponse({ description: 'Signed out (also when the token was unknown)' })
  async logout(@Body() body: RefreshRequest): Promise<void> {
    await this.auth.logout(body.refreshToken);
  }

  @Post('password')
  @HttpCode(200)
  @Endpoint({
    operationId: 'auth_changePassword',
    summary: 'Change your own password',
    description:
      'Needs the current password (wrong: 422 `identity.password.current-wrong`; repeated failures answer 429 with Retry-After). Signs out every other session — access tokens and refresh tokens issued before stop working — and returns a fresh token pair. Users only, not API keys.',
    permission: 'identity.self:update',
    errors: [422, 429],
  })
  @ApiOkResponse({ type: TokenPairResponse })
  changePassword(@CurrentActor() actor: Actor, @Body() body: ChangePasswordRequest): Promise<TokenPairResponse> {
    return this.auth.changePassword(actor, body.currentPassword, body.newPassword);
  }

  @Get('me')
  @Endpoint({ operationId: 'auth_me', summary: 'The signed-in caller, their roles and effective permissions', permission: 'identity.self:read' })
  @ApiOkResponse({ type: MeResponse })
  me(@CurrentActor() actor: Actor): Promise<MeResponse> {
    return this.auth.me(actor);
  }
}
