import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../../../platform/http/endpoint.decorator.js';
import { IfMatch } from '../../../platform/http/etag.js';
import type { RenderedJson } from '../../../platform/http/record-view.js';
import { CurrentActor, type Actor } from '../../../platform/identity/domain/actor.js';
import { AccountService } from '../application/account.service.js';
import { AccountListQuery, CreateAccountRequest, UpdateAccountRequest } from './dto/account.request.js';
import { ACCOUNT_VIEW, AccountPage, AccountResponse, toAccountResponse } from './dto/account.response.js';

@ApiTags('sales')
@Controller('api/v1/sales/accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountService) {}

  @Post()
  @Endpoint({
    operationId: 'sales_createAccount',
    summary: 'Create an account',
    description: 'Refuses with 409 `sales.account.possible-duplicate` listing `candidates` (same normalized name, email or phone) unless `force` is true. `candidates` lists only the matches you can see; the number of the others (`hiddenCandidates`) is in the answer only when the Sales setting `duplicateCheckRevealHiddenCandidates` is on (default off: absent).',
    permission: 'sales.account:create',
    errors: [409, 422],
    idempotent: true,
  })
  @ApiCreatedResponse({ type: AccountResponse })
  async create(@CurrentActor() actor: Actor, @Body() { force, ...body }: CreateAccountRequest): Promise<AccountResponse> {
    return toAccountResponse(await this.accounts.create(actor, body, force));
  }

  @Get()
  @Endpoint({ operationId: 'sales_listAccounts', summary: 'List accounts in your data scope', permission: 'sales.account:read' })
  @ApiOkResponse({ type: AccountPage })
  async list(@CurrentActor() actor: Actor, @Query() query: AccountListQuery): Promise<RenderedJson> {
    return this.accounts.list(actor, query, ACCOUNT_VIEW);
  }

  @Get(':id')
  @Endpoint({ operationId: 'sales_getAccount', summary: 'Get an account', permission: 'sales.account:read', errors: [404] })
  @ApiOkResponse({ type: AccountResponse })
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<RenderedJson> {
    return this.accounts.getRendered(actor, id, ACCOUNT_VIEW);
  }

  @Patch(':id')
  @Endpoint({ operationId: 'sales_updateAccount', summary: 'Update an account', permission: 'sales.account:update', errors: [404, 409, 422], ifMatch: true })
  @ApiOkResponse({ type: AccountResponse })
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateAccountRequest,
    @IfMatch() version?: number,
  ): Promise<AccountResponse> {
    return toAccountResponse(await this.accounts.update(actor, id, version, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @Endpoint({
    operationId: 'sales_deleteAccount',
    summary: 'Delete an account without contacts, opportunities or child accounts',
    permission: 'sales.account:delete',
    errors: [404, 409],
    ifMatch: true,
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  async delete(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @IfMatch() version?: number): Promise<void> {
    await this.accounts.delete(actor, id, version);
  }
}
